import { relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { repoRoot } from './paths.ts';

/** The parts of vitest's JSON report (`--reporter=json`) the summary reads. */
export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults?: {
    name: string;
    assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

/**
 * The failed tests and the first lines of each one's error, for the summary: a CI log is
 * often read from its end, where vitest's own failure report has scrolled out of view.
 */
export function failedTestDigest(report: VitestReport, limit = 10): string | undefined {
  const failures = (report.testResults ?? []).flatMap((file) =>
    (file.assertionResults ?? [])
      .filter((test) => test.status === 'failed')
      .map((test) => ({ file: relative(repoRoot, file.name), test })),
  );
  if (failures.length === 0) return undefined;
  const lines = failures.slice(0, limit).map(({ file, test }) => {
    const message = stripVTControlCharacters(test.failureMessages?.[0] ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .slice(0, 3)
      .join('\n      ');
    return `    ${file} › ${test.fullName}\n      ${message}`;
  });
  if (failures.length > limit) lines.push(`    … and ${failures.length - limit} more`);
  return lines.join('\n');
}
