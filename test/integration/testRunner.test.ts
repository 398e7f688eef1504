import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';

const run = promisify(execFile);

// The browser suite run on a machine without Chromium: skipped, said once, and counted.
describe('the test run without Chromium', function () {
  this.timeout(60000);

  it('counts the browser tests as skipped, says so in one line, and ends with the tests: line', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'node_modules/mocha/bin/mocha.js', '--no-config', '--reporter', './test/support/summaryReporter.cjs', 'test/browser/pageGatesEnglish1.test.ts'],
      { env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' } },
    );
    const lines = stdout.trim().split('\n');
    expect(lines.filter((line) => line.includes('Chromium not found at /nonexistent/chromium'))).to.have.length(1);
    expect(lines.at(-1)).to.match(/^tests: 0 passed, 0 failed, \d+ skipped$/);
    expect(Number(/(\d+) skipped/.exec(lines.at(-1)!)![1])).to.be.greaterThan(60);
  });
});
