// Mocha's spec reporter, then the 10 slowest test files, then the closing line CI reads:
// "tests: N passed, N failed" (", N skipped" when any were skipped).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');
const { EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END } = Mocha.Runner.constants;

const SLOWEST = 10;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    // Serial runs: a file's time is its top-level suites' time. Parallel runs: the workers
    // time each file and write it down (test/support/globalSetup.ts), read at the end.
    const serialTimes = new Map();
    const begun = new Map();
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (suite.file && suite.parent?.root) begun.set(suite, performance.now());
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      if (!begun.has(suite)) return;
      serialTimes.set(suite.file, (serialTimes.get(suite.file) ?? 0) + performance.now() - begun.get(suite));
    });
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = this.stats;
      const skipped = pending > 0 ? `, ${pending} skipped` : '';
      const times = new Map(serialTimes);
      for (const { file, ms } of readParallelTimings()) times.set(file, ms);
      // After the spec reporter's own epilogue, so the tests: line is the last line printed.
      process.nextTick(() => {
        const slowest = [...times].sort((a, b) => b[1] - a[1]).slice(0, SLOWEST);
        if (slowest.length > 1) {
          console.log(`Slowest ${slowest.length} test files:`);
          for (const [file, ms] of slowest) console.log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${path.relative(process.cwd(), file)}`);
        }
        console.log(`tests: ${passes} passed, ${failures} failed${skipped}`);
      });
    });
  }
}

function readParallelTimings() {
  const dir = process.env.TEST_TIMINGS_DIR;
  const file = dir && path.join(dir, 'files.ndjson');
  if (!file || !fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

module.exports = SummaryReporter;
