import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import vnuJar from 'vnu-jar';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { temporaryDirectory } from '../support/database.ts';
import { agentIn, visit } from '../support/http.ts';
import { LANGUAGES, PAGES } from '../support/pages.ts';

const run = promisify(execFile);

interface VnuMessage {
  type: string;
  subType?: string;
  url: string;
  message: string;
  lastLine?: number;
  extract?: string;
}

// The Nu Html Checker (the W3C validator's engine) over every page in both languages, in one run.
describe('HTML validity (Nu Html Checker)', function () {
  this.timeout(120000);
  let subject: TestApp;
  let dir: Awaited<ReturnType<typeof temporaryDirectory>>;

  before(async () => {
    subject = await buildTestApp();
    dir = await temporaryDirectory('portal-vnu-');
  });
  after(async () => {
    await subject.close();
    await dir.remove();
  });

  it('finds no errors on any page', async () => {
    const files: string[] = [];
    for (const language of LANGUAGES) {
      for (const [index, page] of PAGES.entries()) {
        const result = await visit(agentIn(subject.app, language), page, subject.database.db);
        const file = path.join(dir.path, `${language}-${index}-${page.path.replace(/\W+/g, '_')}.html`);
        await writeFile(file, result.text);
        files.push(file);
      }
    }
    const { stdout, stderr } = await run('java', ['-jar', vnuJar, '--format', 'json', '--errors-only', '--exit-zero-always', ...files], { maxBuffer: 20 * 1024 * 1024 });
    const { messages } = JSON.parse(stderr || stdout) as { messages: VnuMessage[] };
    const errors = messages.filter((m) => m.type === 'error' || m.subType === 'fatal').map((m) => `${path.basename(m.url)}:${m.lastLine}: ${m.message} [${m.extract ?? ''}]`);
    expect(errors).to.deep.equal([]);
    expect(files).to.have.length(PAGES.length * LANGUAGES.length);
  });
});
