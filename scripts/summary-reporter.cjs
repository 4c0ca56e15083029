'use strict';
// Prints one plain closing line, "jest: N passed, N failed[, N skipped]", after Jest's own
// summary, so a CI that reads runners' closing lines can count the run without knowing Jest.
// Before it, one line when the browser tests were skipped for want of Chromium (see
// test/browser/support.ts), however many of their files ran.
const { sep } = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const browserFiles = results.testResults.filter((file) =>
      file.testFilePath.includes(`${sep}test${sep}browser${sep}`),
    );
    const browserSkipped = browserFiles.filter(
      (file) => file.numPendingTests > 0 && file.numPassingTests + file.numFailingTests === 0,
    );
    if (browserSkipped.length > 0) {
      const chromium = process.env.RXMCP_CHROMIUM ?? '/usr/bin/chromium';
      process.stdout.write(
        `browser tests skipped (${browserSkipped.length} files): no Chromium at ${chromium} ` +
          '(apt-get install chromium, or set RXMCP_CHROMIUM)\n',
      );
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(
      `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${tail}\n`,
    );
  }
}
module.exports = SummaryReporter;
