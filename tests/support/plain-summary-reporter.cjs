// Ends every Jest run with one plain line, `jest: N passed, N failed, N skipped`, that any CI log
// reader understands without knowing Jest's own summary format.
'use strict';

class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}

module.exports = PlainSummaryReporter;
