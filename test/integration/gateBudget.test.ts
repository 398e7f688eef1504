import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { GATE_TESTS, gateTestTitle } from '../support/pageGates.ts';
import { LANGUAGES, PAGES } from '../support/pages.ts';

const run = promisify(execFile);

// Every page in test/support/pages.ts must be in every browser gate, in both languages: the gate
// files are listed with mocha's --dry-run (nothing runs) and each page's gate tests looked for.
// The HTML checker's own test counts the pages it checked.
describe('the page gates cover every page', function () {
  this.timeout(60000);

  it('has every gate test (GATE_TESTS) of every page in each language, each page named once', async () => {
    const gateFiles = readdirSync('test/browser').filter((file) => file.startsWith('pageGates')).map((file) => `test/browser/${file}`);
    expect(gateFiles.length).to.be.greaterThan(0);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'node_modules/mocha/bin/mocha.js', '--no-config', '--dry-run', '--reporter', 'json', ...gateFiles], {
      maxBuffer: 50 * 1024 * 1024,
      env: { ...process.env, CHROMIUM_PATH: '/usr/bin/chromium' },
    });
    const titles = new Set((JSON.parse(stdout) as { tests: { fullTitle: string }[] }).tests.map((test) => test.fullTitle));
    const missing: string[] = [];
    for (const language of LANGUAGES) {
      for (const page of PAGES) {
        for (const gate of Object.values(GATE_TESTS)) {
          if (!titles.has(gateTestTitle(language, page, gate))) missing.push(`${page.name} (${language}): ${gate}`);
        }
      }
    }
    expect(missing).to.deep.equal([]);
    expect(new Set(PAGES.map((page) => page.name)).size, 'page names are unique').to.equal(PAGES.length);
  });
});
