// Mocha's spec reporter plus the closing line CI reads:
// "tests: N passed, N failed" (", N skipped" when any were skipped).
'use strict';
const Mocha = require('mocha');
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = this.stats;
      const skipped = pending > 0 ? `, ${pending} skipped` : '';
      // After the spec reporter's own epilogue, so it is the last line printed.
      process.nextTick(() => console.log(`tests: ${passes} passed, ${failures} failed${skipped}`));
    });
  }
}
module.exports = SummaryReporter;
