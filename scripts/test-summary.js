// Prints the plain closing line CI reads ("label: N passed, N failed, N skipped") from a runner's
// JSON report: vitest (--reporter=json) or Playwright (json reporter).
import { readFileSync } from 'node:fs';

const [label, file] = process.argv.slice(2);
const report = JSON.parse(readFileSync(file, 'utf8'));

const counts =
  'numPassedTests' in report
    ? { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + (report.numTodoTests ?? 0) }
    : { passed: report.stats.expected, failed: report.stats.unexpected + (report.stats.flaky ?? 0), skipped: report.stats.skipped };

console.log(`${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(counts.failed > 0 ? 1 : 0);
