'use strict';
// Prints one plain closing line, "jest: N passed, N failed[, N skipped]", after Jest's own
// summary, so a CI that reads runners' closing lines can count the run without knowing Jest.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(
      `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${tail}\n`,
    );
  }
}
module.exports = SummaryReporter;
