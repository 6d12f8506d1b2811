import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './paths.ts';
import { failedTestDigest, type VitestReport } from './test-report.ts';

const report = (
  tests: { fullName: string; status: string; failureMessages?: string[] }[],
): VitestReport => ({
  numPassedTests: tests.filter((t) => t.status === 'passed').length,
  numFailedTests: tests.filter((t) => t.status === 'failed').length,
  numPendingTests: 0,
  testResults: [{ name: join(repoRoot, 'apps/web/e2e/tasks.test.ts'), assertionResults: tests }],
});

describe('failedTestDigest', () => {
  it('says nothing when every test passed', () => {
    expect(failedTestDigest(report([{ fullName: 'signs in', status: 'passed' }]))).toBeUndefined();
  });

  it('names each failed test by file and gives its error’s first three lines, colours removed', () => {
    const digest = failedTestDigest(
      report([
        { fullName: 'signs in', status: 'passed' },
        {
          fullName: 'pauses the sequence',
          status: 'failed',
          failureMessages: [
            '\u001b[31mTimeoutError\u001b[39m: click\n\n  waiting for\n  the link\n  at x.ts:1',
          ],
        },
      ]),
    );
    expect(digest).toBe(
      '    apps/web/e2e/tasks.test.ts › pauses the sequence\n' +
        '      TimeoutError: click\n      waiting for\n      the link',
    );
  });

  it('lists at most the limit and counts the rest', () => {
    const failed = ['a', 'b', 'c'].map((name) => ({
      fullName: name,
      status: 'failed',
      failureMessages: [`${name} broke`],
    }));
    const digest = failedTestDigest(report(failed), 2) ?? '';
    expect(digest).toContain('› a');
    expect(digest).toContain('› b');
    expect(digest).not.toContain('› c');
    expect(digest).toMatch(/… and 1 more$/);
  });
});
