// Message attachments over real HTTP: a test-only Express app mounts the upload middleware the way
// a compose route will, and answers with what the route would see (text fields, outcome) and
// what is on disk. No database: storing the message is services/messaging/threads.ts's work.
import { expect } from 'chai';
import express, { type Express } from 'express';
import multer from 'multer';
import { createHash } from 'node:crypto';
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse as parseContentDisposition } from 'content-disposition';
import supertest from 'supertest';
import { eventually } from '../support/eventually.ts';
import { discardReceived, MAX_TEXT_FIELD_BYTES, messageUploads, type UploadLimits, type UploadResult } from '../../services/messaging/uploads.ts';
import { sendAttachment } from '../../services/messaging/attachmentDownload.ts';
import { TINY_DOCX, TINY_EXE, TINY_JPEG, TINY_MOV, TINY_MPEG, TINY_PDF, TINY_PNG } from '../support/attachmentSamples.ts';

const DEFAULT_LIMITS: UploadLimits = { maxFiles: 10, maxBytes: 25 * 1024 * 1024 };
const MB = 1024 * 1024;

interface RouteSaw {
  body: Record<string, unknown>;
  upload: UploadResult | undefined;
  /** sha256 of each accepted file as read from its temporary path, in order. */
  digests: string[];
}

/** The app a compose route will look like: the upload middleware, then a handler. */
function uploadApp(tempDir: string, limits: UploadLimits = DEFAULT_LIMITS, options: { discard?: boolean; refuseAfter?: boolean; atRoute?: () => void } = {}): Express {
  const app = express();
  app.post('/compose', messageUploads({ limits, tempDir }), async (req, res) => {
    options.atRoute?.();
    // Stands for a CSRF check that refuses after the files were read: nothing may be left behind.
    if (options.refuseAfter) return res.status(403).send('refused');
    const upload = req.messageUpload;
    const digests = upload?.ok ? await Promise.all(upload.files.map(async (file) => sha256(await readFile(file.path)))) : [];
    if (upload?.ok && options.discard) await discardReceived(upload.files);
    const saw: RouteSaw = { body: { ...req.body }, upload, digests };
    res.status(upload && !upload.ok ? 422 : 200).json(saw);
  });
  return app;
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * The temporary files left in the directory once the request's clean-up has run: it runs when the
 * response closes, so it may finish just after the client has the answer. Waits for the folder to
 * empty and, if it never does, answers what is left.
 */
async function leftIn(dir: string): Promise<string[]> {
  return eventually('the temporary files to be removed', async () => ((await readdir(dir)).length === 0 ? [] : undefined), 10_000).catch(() => readdir(dir));
}

const TYPED = { subject: 'photo-upload', body: 'The rash is spreading — photos attached.', _csrf: 'token-123' };

describe('message attachments over HTTP', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'message-uploads-test-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const compose = (app: Express) => supertest(app).post('/compose').field('subject', TYPED.subject).field('_csrf', TYPED._csrf);

  describe('accepts', () => {
    it('a message with no attachments, as a browser sends an empty file input', async () => {
      const boundary = 'x-boundary';
      const form =
        `--${boundary}\r\nContent-Disposition: form-data; name="subject"\r\n\r\n${TYPED.subject}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\n${TYPED.body}\r\n--${boundary}--\r\n`;
      const response = await supertest(uploadApp(dir)).post('/compose').set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(form).expect(200);
      expect(response.body.upload).to.deep.equal({ ok: true, files: [] });
      expect(response.body.body).to.deep.equal({ subject: TYPED.subject, body: TYPED.body });
    });

    it('one file, whose bytes reach the route intact under a random name in the private directory', async () => {
      const response = await compose(uploadApp(dir)).attach('attachments', TINY_PDF, 'C:\\fakepath\\consent form.pdf').field('body', TYPED.body).expect(200);
      const upload = response.body.upload as UploadResult;
      expect(upload.ok).to.equal(true);
      if (!upload.ok) return;
      expect(upload.files).to.have.length(1);
      const [file] = upload.files;
      expect(file).to.include({ displayName: 'consent form.pdf', contentType: 'application/pdf', size: TINY_PDF.length });
      expect(file!.path.startsWith(dir + '/')).to.equal(true);
      expect(file!.path).to.match(/\/[0-9a-f-]{36}$/);
      expect(response.body.digests).to.deep.equal([sha256(TINY_PDF)]);
      expect(response.body.body).to.include({ subject: TYPED.subject, body: TYPED.body });
    });

    it('ten files, one of each allowed kind and more, in the order sent', async () => {
      const samples: [Buffer, string, string][] = [
        [TINY_PDF, 'a.pdf', 'application/pdf'],
        [TINY_PNG, 'b.png', 'image/png'],
        [TINY_JPEG, 'c.jpg', 'image/jpeg'],
        [TINY_JPEG, 'd.JPEG', 'image/jpeg'],
        [TINY_DOCX, 'e.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
        [TINY_MOV, 'f.mov', 'video/quicktime'],
        [TINY_MPEG, 'g.mpeg', 'video/mpeg'],
        [TINY_PDF, 'h.pdf', 'application/pdf'],
        [TINY_PNG, 'i.png', 'image/png'],
        [TINY_PDF, 'j.pdf', 'application/pdf'],
      ];
      let request = compose(uploadApp(dir));
      for (const [content, name] of samples) request = request.attach('attachments', content, name);
      const response = await request.expect(200);
      const upload = response.body.upload as UploadResult;
      expect(upload.ok).to.equal(true);
      if (!upload.ok) return;
      expect(upload.files.map((file) => [file.displayName, file.contentType, file.size])).to.deep.equal(samples.map(([content, name, type]) => [name, type, content.length]));
      expect(response.body.digests).to.deep.equal(samples.map(([content]) => sha256(content)));
      expect(new Set(upload.files.map((file) => file.path)).size).to.equal(10);
    });

    it('reads a UTF-8 filename as UTF-8 (busboy would read it as Latin-1)', async () => {
      const response = await compose(uploadApp(dir)).attach('attachments', TINY_PDF, 'informe-médico_niño.pdf').expect(200);
      expect((response.body.upload as { files: { displayName: string }[] }).files[0]!.displayName).to.equal('informe-médico_niño.pdf');
    });

    it('exactly the byte limit in total, counted across files', async () => {
      const limits = { maxFiles: 10, maxBytes: 300 * 1024 };
      const part = Buffer.concat([TINY_PDF, Buffer.alloc(100 * 1024 - TINY_PDF.length, 0x20)]);
      const response = await compose(uploadApp(dir, limits)).attach('attachments', part, '1.pdf').attach('attachments', part, '2.pdf').attach('attachments', part, '3.pdf').expect(200);
      expect((response.body.upload as UploadResult).ok).to.equal(true);
    });

    it('removes the temporary files when the route discards them, and at the end of the response if it does not', async () => {
      let response = await compose(uploadApp(dir, DEFAULT_LIMITS, { discard: true })).attach('attachments', TINY_PNG, 'a.png').expect(200);
      const discardedPath = (response.body.upload as { files: { path: string }[] }).files[0]!.path;
      await access(discardedPath).then(
        () => expect.fail('the discarded file is still there'),
        () => undefined,
      );
      response = await compose(uploadApp(dir)).attach('attachments', TINY_PNG, 'a.png').attach('attachments', TINY_PDF, 'b.pdf').expect(200);
      expect(response.body.digests).to.have.length(2);
      expect(await leftIn(dir)).to.deep.equal([]);
    });

    it('makes the temporary directory again if it was removed while the server ran', async () => {
      const app = uploadApp(dir);
      await compose(app).attach('attachments', TINY_PDF, 'a.pdf').expect(200);
      await rm(dir, { recursive: true, force: true });
      const response = await compose(app).attach('attachments', TINY_PDF, 'b.pdf').expect(200);
      expect(response.body.digests).to.deep.equal([sha256(TINY_PDF)]);
    });

    it('ignores a request that is not multipart, for the ordinary body parsers', async () => {
      const app = uploadApp(dir);
      const response = await supertest(app).post('/compose').type('form').send({ subject: 'x' }).expect(200);
      expect(response.body.upload).to.equal(undefined);
    });
  });

  describe('refuses, keeps the typed text and leaves no file behind', () => {
    const expectTypedKept = (body: Record<string, unknown>) => expect(body).to.deep.equal(TYPED);

    it('an 11th file', async () => {
      let request = compose(uploadApp(dir));
      for (let index = 1; index <= 11; index++) request = request.attach('attachments', TINY_PNG, `photo-${index}.png`);
      const response = await request.field('body', TYPED.body).expect(422);
      expect(response.body.upload).to.deep.equal({ ok: false, problem: { rule: 'too-many-files', maxFiles: 10 } });
      expectTypedKept(response.body.body);
      expect(await leftIn(dir)).to.deep.equal([]);
    });

    it('a total past the limit spread over several files, though each is under it', async () => {
      const limits = { maxFiles: 10, maxBytes: 300 * 1024 };
      const part = Buffer.concat([TINY_PDF, Buffer.alloc(100 * 1024 - TINY_PDF.length, 0x20)]);
      const last = Buffer.concat([part, Buffer.from(' ')]);
      const response = await compose(uploadApp(dir, limits)).attach('attachments', part, '1.pdf').attach('attachments', part, '2.pdf').attach('attachments', last, '3.pdf').field('body', TYPED.body).expect(422);
      expect(response.body.upload).to.deep.equal({ ok: false, problem: { rule: 'too-large', maxBytes: 300 * 1024 } });
      expectTypedKept(response.body.body);
      expect(await leftIn(dir)).to.deep.equal([]);
    });

    it('a program renamed .pdf, naming it', async () => {
      const response = await compose(uploadApp(dir)).attach('attachments', TINY_PNG, 'ok.png').attach('attachments', TINY_EXE, 'lab results.pdf').field('body', TYPED.body).expect(422);
      expect(response.body.upload).to.deep.equal({ ok: false, problem: { rule: 'content-mismatch', displayName: 'lab results.pdf', extension: 'pdf' } });
      expectTypedKept(response.body.body);
      expect(await leftIn(dir)).to.deep.equal([]);
    });

    it('a PNG named .pdf, and a .exe even with a real PDF inside', async () => {
      let response = await compose(uploadApp(dir)).attach('attachments', TINY_PNG, 'scan.pdf').field('body', TYPED.body).expect(422);
      expect(response.body.upload.problem).to.deep.equal({ rule: 'content-mismatch', displayName: 'scan.pdf', extension: 'pdf' });
      response = await compose(uploadApp(dir)).attach('attachments', TINY_PDF, 'scan.exe').field('body', TYPED.body).expect(422);
      expect(response.body.upload.problem).to.deep.equal({ rule: 'wrong-type', displayName: 'scan.exe' });
      expectTypedKept(response.body.body);
      expect(await leftIn(dir)).to.deep.equal([]);
    });

    it('an empty file', async () => {
      const response = await compose(uploadApp(dir)).attach('attachments', Buffer.alloc(0), 'blank.pdf').field('body', TYPED.body).expect(422);
      expect(response.body.upload).to.deep.equal({ ok: false, problem: { rule: 'empty-file', displayName: 'blank.pdf' } });
      expectTypedKept(response.body.body);
      expect(await leftIn(dir)).to.deep.equal([]);
    });

    it('a form cut off in the middle of a file, keeping the text sent before it', async () => {
      const boundary = 'cut';
      const form =
        `--${boundary}\r\nContent-Disposition: form-data; name="subject"\r\n\r\n${TYPED.subject}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 and then noth`;
      const response = await supertest(uploadApp(dir)).post('/compose').set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(form).expect(422);
      expect(response.body.upload).to.deep.equal({ ok: false, problem: { rule: 'unreadable' } });
      expect(response.body.body).to.deep.equal({ subject: TYPED.subject });
      expect(await leftIn(dir)).to.deep.equal([]);
    });

    it('nothing left behind when a later check (CSRF) refuses the request after the files were read', async () => {
      await compose(uploadApp(dir, DEFAULT_LIMITS, { refuseAfter: true })).attach('attachments', TINY_PDF, 'a.pdf').expect(403);
      expect(await leftIn(dir)).to.deep.equal([]);
    });

    it('nothing left behind when the sender goes away in the middle of a file', async () => {
      const app = express();
      app.post('/compose', messageUploads({ limits: DEFAULT_LIMITS, tempDir: dir }), (_req, res) => {
        res.end();
      });
      const server: Server = app.listen(0);
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const request = httpRequest({ port: (server.address() as AddressInfo).port, method: 'POST', path: '/compose', headers: { 'Content-Type': 'multipart/form-data; boundary=gone' } });
        request.on('error', () => undefined);
        request.write(`--gone\r\nContent-Disposition: form-data; name="attachments"; filename="a.mov"\r\nContent-Type: video/quicktime\r\n\r\n`);
        request.write(Buffer.concat([TINY_MOV, Buffer.alloc(2 * MB)]));
        // Until the temporary file exists, then leave.
        await eventually('the temporary file to be made', async () => ((await readdir(dir)).length > 0 ? true : undefined));
        expect(await readdir(dir)).to.have.length(1);
        request.destroy();
        expect(await leftIn(dir)).to.deep.equal([]);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('a text field longer than a compose form has, as unreadable', async () => {
      const response = await compose(uploadApp(dir)).field('body', 'x'.repeat(MAX_TEXT_FIELD_BYTES + 1)).attach('attachments', TINY_PDF, 'a.pdf').expect(422);
      expect(response.body.upload).to.deep.equal({ ok: false, problem: { rule: 'unreadable' } });
      expect(response.body.body).to.deep.equal({ subject: TYPED.subject, _csrf: TYPED._csrf });
      expect(await leftIn(dir)).to.deep.equal([]);
    });

    it('a file sent under another field name is read and dropped, not kept', async () => {
      const response = await compose(uploadApp(dir)).attach('other', TINY_PDF, 'a.pdf').field('body', TYPED.body).expect(200);
      expect(response.body.upload).to.deep.equal({ ok: true, files: [] });
      expectTypedKept(response.body.body);
    });
  });

  describe('25 MB + 1 byte, streamed', () => {
    // Memory measured right after a forced collection is what is held, not garbage waiting to be
    // collected. It is measured when the route starts (the whole upload has been read: an upload
    // kept in memory is all there) and after every MB the client has sent, so the samples fall at
    // the same points of the upload however fast the machine is. The same upload into multer's memory storage is the control:
    // it must show the ~25 MB this measurement is meant to catch, or the measurement proves nothing.
    // Client and server share this process; the client writes one reused 64 KiB chunk.
    let gc: () => void = () => undefined;
    before(() => {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    });
    const held = () => {
      // The backing stores of collected buffers are freed by a sweeper that may still be running
      // after a collection; the next collection finishes it, so count only after a second one.
      gc();
      const usage = process.memoryUsage();
      return usage.heapUsed + usage.arrayBuffers;
    };

    /** Streams a form of subject, csrf token, a file of `fileBytes` bytes, then body; returns status, JSON and the peak growth in held memory. */
    let peak = 0;
    const measure = () => {
      gc();
      peak = Math.max(peak, held());
    };

    async function streamUpload(app: Express, fileBytes: number): Promise<{ status: number; saw: RouteSaw; peakGrowth: number }> {
      const server: Server = app.listen(0);
      await new Promise((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      const boundary = 'stream-boundary';
      // One 64 KiB chunk written again and again: the client side allocates nothing per chunk.
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      chunk.set(TINY_PDF.subarray(0, 8));
      async function* form() {
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="subject"\r\n\r\n${TYPED.subject}\r\n--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${TYPED._csrf}\r\n`);
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="video.mov"\r\nContent-Type: video/quicktime\r\n\r\n`);
        let left = fileBytes;
        while (left > 0) {
          const size = Math.min(left, chunk.length);
          yield size === chunk.length ? chunk : chunk.subarray(0, size);
          left -= size;
          if ((fileBytes - left) % MB === 0) measure();
        }
        yield Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\n${TYPED.body}\r\n--${boundary}--\r\n`);
      }
      gc();
      const baseline = held();
      peak = baseline;
      try {
        const request = httpRequest({ port, method: 'POST', path: '/compose', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } });
        const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
          request.on('response', (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (piece: string) => (text += piece));
            response.on('end', () => resolve({ status: response.statusCode!, text }));
          });
          request.on('error', reject);
        });
        await pipeline(Readable.from(form()), request);
        const { status, text } = await answered;
        return { status, saw: JSON.parse(text) as RouteSaw, peakGrowth: peak - baseline };
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }

    it('is refused as too large, with the typed text before and after the file kept, no file left, and never held in memory', async () => {
      const { status, saw, peakGrowth } = await streamUpload(uploadApp(dir, DEFAULT_LIMITS, { atRoute: measure }), 25 * MB + 1);
      expect(status).to.equal(422);
      expect(saw.upload).to.deep.equal({ ok: false, problem: { rule: 'too-large', maxBytes: 25 * MB } });
      expect(saw.body).to.deep.equal(TYPED);
      expect(await leftIn(dir)).to.deep.equal([]);
      // Holding the upload would take at least 25 MB; streaming it to disk should stay a few MB.
      expect(peakGrowth, `peak growth ${(peakGrowth / MB).toFixed(1)} MB`).to.be.below(8 * MB);
    });

    it('(control) the same measurement sees the upload when multer keeps it in memory', async () => {
      const app = express();
      app.post('/compose', multer({ storage: multer.memoryStorage() }).any(), (req, res) => {
        measure();
        res.json({ body: { ...req.body }, upload: undefined, digests: [] });
      });
      const { status, peakGrowth } = await streamUpload(app, 25 * MB + 1);
      expect(status).to.equal(200);
      expect(peakGrowth, `peak growth ${(peakGrowth / MB).toFixed(1)} MB`).to.be.above(20 * MB);
    });
  });

  describe('download', () => {
    function downloadApp(file: { displayName: string; contentType: string; size: number }, content: Buffer | (() => Readable)): Express {
      const app = express();
      app.get('/attachment', (_req, res, next) => {
        sendAttachment(res, file, Buffer.isBuffer(content) ? content : content()).catch(next);
      });
      return app;
    }

    it('sends a non-ASCII name as RFC 5987 filename* with an ASCII fallback, the stored type, nosniff and no-store', async () => {
      const response = await supertest(downloadApp({ displayName: 'Informe médico — niño.pdf', contentType: 'application/pdf', size: TINY_PDF.length }, TINY_PDF))
        .get('/attachment')
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (piece: Buffer) => chunks.push(piece));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const disposition = response.headers['content-disposition'] as string;
      expect(disposition).to.equal(`attachment; filename="Informe m?dico ? ni?o.pdf"; filename*=UTF-8''Informe%20m%C3%A9dico%20%E2%80%94%20ni%C3%B1o.pdf`);
      expect(/^[\x20-\x7e]*$/.test(disposition), 'the header is plain ASCII').to.equal(true);
      expect(parseContentDisposition(disposition).parameters.filename).to.equal('Informe médico — niño.pdf');
      expect(response.headers['content-type']).to.equal('application/pdf');
      expect(response.headers['x-content-type-options']).to.equal('nosniff');
      expect(response.headers['cache-control']).to.equal('no-store');
      expect(response.headers['content-length']).to.equal(String(TINY_PDF.length));
      expect(Buffer.compare(response.body as Buffer, TINY_PDF)).to.equal(0);
    });

    it('escapes quotes and backslashes in a plain ASCII name, and keeps the detected type whatever the name says', async () => {
      const response = await supertest(downloadApp({ displayName: 'my "best" \\ photo.html', contentType: 'image/png', size: TINY_PNG.length }, () => Readable.from([TINY_PNG]))).get('/attachment').expect(200);
      expect(response.headers['content-disposition']).to.equal('attachment; filename="my \\"best\\" \\\\ photo.html"');
      expect(parseContentDisposition(response.headers['content-disposition'] as string).parameters.filename).to.equal('my "best" \\ photo.html');
      expect(response.headers['content-type']).to.equal('image/png');
      expect(response.headers['x-content-type-options']).to.equal('nosniff');
      expect(response.headers['cache-control']).to.equal('no-store');
    });

    it('sends a name with a percent escape in it as filename* so no browser decodes it', async () => {
      const response = await supertest(downloadApp({ displayName: '100%20done.pdf', contentType: 'application/pdf', size: TINY_PDF.length }, TINY_PDF)).get('/attachment').expect(200);
      expect(parseContentDisposition(response.headers['content-disposition'] as string).parameters.filename).to.equal('100%20done.pdf');
      expect(response.headers['content-disposition']).to.include("filename*=UTF-8''100%2520done.pdf");
    });
  });
});
