import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@forkflow/local-stack/paths';
import { failedTestDigest, formatSummary, skippedTests, type VitestReport } from './test-report.ts';

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

type Test = NonNullable<
  NonNullable<VitestReport['testResults']>[number]['assertionResults']
>[number];

const files = (byFile: Record<string, Test[]>): VitestReport => {
  const tests = Object.values(byFile).flat();
  return {
    numPassedTests: tests.filter((t) => t.status === 'passed').length,
    numFailedTests: tests.filter((t) => t.status === 'failed').length,
    numPendingTests: tests.filter((t) => t.status === 'skipped').length,
    testResults: Object.entries(byFile).map(([name, assertionResults]) => ({
      name: join(repoRoot, name),
      assertionResults,
    })),
  };
};

const GEMINI = 'needs the fake Gemini server (FAKE_GEMINI_URL)';
const HTTP = 'needs 127.0.0.1 allowed (HTTP_REQUEST_ALLOWED_HOSTS)';
const skipped = (fullName: string, skipReason?: string): Test => ({
  fullName,
  status: 'skipped',
  ...(skipReason ? { meta: { skipReason } } : {}),
});
const passed = (fullName: string): Test => ({ fullName, status: 'passed' });

describe('skippedTests', () => {
  it('says nothing when every test ran', () => {
    expect(skippedTests(files({ 'supabase/tests/a.test.ts': [passed('a')] }))).toBeUndefined();
  });

  it('groups the skipped tests by reason, each with its files', () => {
    const result = skippedTests(
      files({
        'supabase/tests/gemini.test.ts': [skipped('g1', GEMINI), skipped('g2', GEMINI)],
        'supabase/tests/workflows.test.ts': [
          passed('w0'),
          skipped('w1', GEMINI),
          skipped('w2', HTTP),
        ],
        'supabase/tests/http.test.ts': [skipped('h1', HTTP)],
      }),
    );
    expect(result).toEqual({
      count: 5,
      detail:
        `    3 tests: ${GEMINI}\n` +
        '      supabase/tests/gemini.test.ts, supabase/tests/workflows.test.ts\n' +
        `    2 tests: ${HTTP}\n` +
        '      supabase/tests/http.test.ts, supabase/tests/workflows.test.ts',
    });
  });

  it('counts a skip with no stated reason, and todo tests, rather than dropping them', () => {
    const result = skippedTests(
      files({ 'supabase/tests/a.test.ts': [skipped('a'), { fullName: 'b', status: 'todo' }] }),
    );
    expect(result?.count).toBe(2);
    expect(result?.detail).toContain('2 tests: no reason given');
    expect(result?.detail).toContain('supabase/tests/a.test.ts');
  });
});

describe('formatSummary', () => {
  it('prints each check, then the skipped tests and why, then the totals', () => {
    const report = files({
      'supabase/tests/gemini.test.ts': [passed('a'), passed('b'), skipped('g', GEMINI)],
    });
    const summary = formatSummary(
      [
        { name: 'typecheck', ok: true },
        {
          name: 'deno lint (supabase/functions, import rules)',
          ok: false,
          detail: '    x.ts: jsr:',
        },
        { name: 'vitest', ok: true },
      ],
      report,
    );
    expect(summary).toBe(
      [
        'Summary',
        '  ok   typecheck',
        '  FAIL deno lint (supabase/functions, import rules)',
        '    x.ts: jsr:',
        '  ok   vitest',
        '  skip 1 test',
        `    1 test: ${GEMINI}`,
        '      supabase/tests/gemini.test.ts',
        // 2 tests and 1 check passed; the failed check counts as a failure.
        'tests: 3 passed, 1 failed',
      ].join('\n'),
    );
  });

  it('counts a vitest run that crashed without a failed test as one failure', () => {
    const summary = formatSummary([{ name: 'vitest', ok: false }], undefined);
    expect(summary.split('\n').at(-1)).toBe('tests: 0 passed, 1 failed');
  });
});
