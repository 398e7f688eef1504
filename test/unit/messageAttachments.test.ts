import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptedKind, ALLOWED_NAME_EXTS, cleanDisplayName, extensionOf, refusalOf } from '../../domain/messageAttachments.ts';
import { checkReceived, uploadProblemMessage, type UploadProblem } from '../../services/messaging/uploads.ts';
import { translate } from '../../locales/index.ts';
import { TINY_DOCX, TINY_EXE, TINY_JPEG, TINY_MOV, TINY_MPEG, TINY_PDF, TINY_PNG, TINY_ZIP } from '../support/attachmentSamples.ts';

describe('message attachments: names', () => {
  it('keeps only the last segment of a path sent as the filename', () => {
    expect(cleanDisplayName('C:\\Users\\ana\\Documents\\form.pdf')).to.equal('form.pdf');
    expect(cleanDisplayName('../../etc/passwd.pdf')).to.equal('passwd.pdf');
    expect(cleanDisplayName('/tmp/x/scan.png')).to.equal('scan.png');
  });

  it('removes control characters and the invisible right-to-left override used to disguise names', () => {
    expect(cleanDisplayName('re\u0000port\r\n.pdf')).to.equal('report.pdf');
    expect(cleanDisplayName('photo\u202Egnp.exe')).to.equal('photognp.exe');
    expect(cleanDisplayName('a\u200Bb.pdf')).to.equal('ab.pdf');
    expect(cleanDisplayName('a\u2028b.pdf')).to.equal('ab.pdf');
  });

  it('collapses spaces, keeps accents and quotes, and composes characters (NFC)', () => {
    expect(cleanDisplayName('  informe \t  médico.pdf ')).to.equal('informe médico.pdf');
    expect(cleanDisplayName('Jose\u0301 "Pepe".pdf')).to.equal('José "Pepe".pdf');
    expect(cleanDisplayName('Jose\u0301.pdf')).to.have.length(8);
  });

  it('names a file that has nothing left "attachment"', () => {
    expect(cleanDisplayName('')).to.equal('attachment');
    expect(cleanDisplayName('..')).to.equal('attachment');
    expect(cleanDisplayName('dir/')).to.equal('attachment');
    expect(cleanDisplayName('\u0007\u0008')).to.equal('attachment');
  });

  it('shortens a very long name to 200 characters and keeps its extension', () => {
    const name = cleanDisplayName(`${'ñ'.repeat(300)}.jpeg`);
    expect([...name]).to.have.length(200);
    expect(name.endsWith('ñ.jpeg')).to.equal(true);
  });

  it('reads the extension in lower case, and none from "report" or ".pdf"', () => {
    expect(extensionOf('Scan.JPG')).to.equal('jpg');
    expect(extensionOf('a.tar.pdf')).to.equal('pdf');
    expect(extensionOf('report')).to.equal('');
    expect(extensionOf('.pdf')).to.equal('');
    expect(extensionOf('report.')).to.equal('');
  });
});

describe('message attachments: type rules', () => {
  it('lists exactly the extensions of the spec', () => {
    expect([...ALLOWED_NAME_EXTS].sort()).to.deep.equal(['docx', 'jpeg', 'jpg', 'mov', 'mpeg', 'pdf', 'png']);
  });

  it('accepts a file whose content and extension agree, with the stored type', () => {
    expect(acceptedKind('a.pdf', 'pdf')?.contentType).to.equal('application/pdf');
    expect(acceptedKind('a.PNG', 'png')?.contentType).to.equal('image/png');
    expect(acceptedKind('a.jpg', 'jpg')?.contentType).to.equal('image/jpeg');
    expect(acceptedKind('a.jpeg', 'jpg')?.contentType).to.equal('image/jpeg');
    expect(acceptedKind('a.docx', 'docx')?.contentType).to.equal('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(acceptedKind('a.mov', 'mov')?.contentType).to.equal('video/quicktime');
    expect(acceptedKind('a.mpeg', 'mpg')?.contentType).to.equal('video/mpeg');
  });

  it('refuses content of another kind, unknown content, and a name that disagrees with the content', () => {
    expect(acceptedKind('a.pdf', 'exe')).to.equal(undefined);
    expect(acceptedKind('a.pdf', undefined)).to.equal(undefined);
    expect(acceptedKind('a.pdf', 'png')).to.equal(undefined);
    expect(acceptedKind('a.png', 'pdf')).to.equal(undefined);
    expect(acceptedKind('a.docx', 'zip')).to.equal(undefined);
    expect(acceptedKind('a.docm', 'docm')).to.equal(undefined);
    expect(acceptedKind('a.mp4', 'mp4')).to.equal(undefined);
    expect(acceptedKind('a.mov', 'mp4')).to.equal(undefined);
    expect(acceptedKind('pdf', 'pdf')).to.equal(undefined);
  });

  it('tells a name of an allowed kind with other content from a name of a kind not allowed', () => {
    expect(refusalOf('rash.png')).to.equal('content-mismatch');
    expect(refusalOf('Scan.PDF')).to.equal('content-mismatch');
    expect(refusalOf('rash.gif')).to.equal('wrong-type');
    expect(refusalOf('setup.exe')).to.equal('wrong-type');
    expect(refusalOf('no extension')).to.equal('wrong-type');
  });

  describe('checkReceived (real files on disk, file-type reading the content)', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'attachment-rules-'));
    });
    after(() => rm(dir, { recursive: true, force: true }));

    const onDisk = async (sentName: string, content: Buffer) => {
      const path = join(dir, `${Math.random()}`);
      await writeFile(path, content);
      return { sentName, path, size: content.length };
    };

    it('accepts each allowed kind with its detected type and cleaned name', async () => {
      const files = await Promise.all([
        onDisk('C:\\scans\\form.pdf', TINY_PDF),
        onDisk('rash.png', TINY_PNG),
        onDisk('rash.JPG', TINY_JPEG),
        onDisk('school form.docx', TINY_DOCX),
        onDisk('cough.mov', TINY_MOV),
        onDisk('walk.mpeg', TINY_MPEG),
      ]);
      const result = await checkReceived(files);
      expect(result.ok).to.equal(true);
      if (!result.ok) return;
      expect(result.files.map((file) => [file.displayName, file.contentType, file.size])).to.deep.equal([
        ['form.pdf', 'application/pdf', TINY_PDF.length],
        ['rash.png', 'image/png', TINY_PNG.length],
        ['rash.JPG', 'image/jpeg', TINY_JPEG.length],
        ['school form.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', TINY_DOCX.length],
        ['cough.mov', 'video/quicktime', TINY_MOV.length],
        ['walk.mpeg', 'video/mpeg', TINY_MPEG.length],
      ]);
    });

    it('refuses a program renamed .pdf, a zip renamed .docx and an empty file, naming the first one', async () => {
      expect(await checkReceived([await onDisk('ok.pdf', TINY_PDF), await onDisk('invoice.pdf', TINY_EXE)])).to.deep.equal({ ok: false, problem: { rule: 'content-mismatch', displayName: 'invoice.pdf', extension: 'pdf' } });
      expect(await checkReceived([await onDisk('form.docx', TINY_ZIP)])).to.deep.equal({ ok: false, problem: { rule: 'content-mismatch', displayName: 'form.docx', extension: 'docx' } });
      expect(await checkReceived([await onDisk('note.pdf', Buffer.from('just text, not a pdf'))])).to.deep.equal({ ok: false, problem: { rule: 'content-mismatch', displayName: 'note.pdf', extension: 'pdf' } });
      expect(await checkReceived([await onDisk('blank.pdf', Buffer.alloc(0))])).to.deep.equal({ ok: false, problem: { rule: 'empty-file', displayName: 'blank.pdf' } });
    });
  });
});

describe('message attachments: what the page says', () => {
  const problems: UploadProblem[] = [
    { rule: 'too-many-files', maxFiles: 10 },
    { rule: 'too-large', maxBytes: 25 * 1024 * 1024 },
    { rule: 'wrong-type', displayName: 'invoice.pdf' },
    { rule: 'empty-file', displayName: 'blank.pdf' },
    { rule: 'unreadable' },
  ];

  for (const language of ['en', 'es'] as const) {
    it(`names the rule and its limit in ${language}`, () => {
      const t = (key: string, params?: Record<string, string | number>) => translate(language, key, params);
      const [tooMany, tooLarge, wrongType, empty, unreadable] = problems.map((problem) => uploadProblemMessage(problem, t));
      expect(tooMany).to.include('10');
      expect(tooLarge).to.include('25 MB');
      expect(wrongType).to.include('invoice.pdf');
      expect(empty).to.include('blank.pdf');
      for (const message of [tooMany, tooLarge, wrongType, empty, unreadable]) expect(message).to.not.match(/messaging\.uploads|\{/);
    });

    it(`says in ${language} that a file's content did not match its name, without listing the allowed kinds`, () => {
      const t = (key: string, params?: Record<string, string | number>) => translate(language, key, params);
      const message = uploadProblemMessage({ rule: 'content-mismatch', displayName: 'rash.png', extension: 'png' }, t);
      expect(message).to.include('rash.png').and.include('(.png)').and.not.include('.docx');
      expect(message).to.not.match(/messaging\.uploads|\{/);
    });
  }
});
