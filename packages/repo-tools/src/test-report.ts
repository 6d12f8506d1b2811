import { relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { repoRoot } from '@forkflow/local-stack/paths';

/** The parts of vitest's JSON report (`--reporter=json`) the summary reads. */
export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults?: {
    name: string;
    assertionResults?: {
      fullName: string;
      status: string;
      failureMessages?: string[];
      /** A test's meta; `skipReason` is set by supabase/tests/support/needs.ts. */
      meta?: { skipReason?: string };
    }[];
  }[];
}

/** One line of the summary: a check, or vitest as a whole. */
export interface StepResult {
  name: string;
  ok: boolean;
  detail?: string;
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

const plural = (n: number): string => (n === 1 ? '1 test' : `${n} tests`);

const NOT_RUN = new Set(['skipped', 'pending', 'todo']);

/**
 * The tests that did not run, grouped by why: against a real Supabase, suites that need the
 * local stack's fakes skip themselves with a reason (supabase/tests/support/needs.ts), and the
 * summary says so instead of leaving them out of the count.
 */
export function skippedTests(report: VitestReport): { count: number; detail: string } | undefined {
  const groups = new Map<string, { count: number; files: Set<string> }>();
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (!NOT_RUN.has(test.status)) continue;
      const reason = test.meta?.skipReason ?? 'no reason given (skipped, todo or filtered out)';
      const group = groups.get(reason) ?? { count: 0, files: new Set<string>() };
      group.count += 1;
      group.files.add(relative(repoRoot, file.name));
      groups.set(reason, group);
    }
  }
  if (groups.size === 0) return undefined;
  let count = 0;
  const lines = [...groups].map(([reason, group]) => {
    count += group.count;
    return `    ${plural(group.count)}: ${reason}\n      ${[...group.files].sort().join(', ')}`;
  });
  return { count, detail: lines.join('\n') };
}

/**
 * The end of `pnpm test`'s output: one line per check, the skipped tests and why, and the
 * totals. The last line stays `tests: N passed, N failed` (the README promises it).
 */
export function formatSummary(results: StepResult[], report: VitestReport | undefined): string {
  const lines = ['Summary'];
  for (const r of results)
    lines.push(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.detail ? `\n${r.detail}` : ''}`);
  const skipped = report && skippedTests(report);
  if (skipped) lines.push(`  skip ${plural(skipped.count)}\n${skipped.detail}`);
  const checks = results.filter((r) => r.name !== 'vitest');
  const passed = (report?.numPassedTests ?? 0) + checks.filter((r) => r.ok).length;
  const vitestCrashed =
    results.some((r) => r.name === 'vitest' && !r.ok) && !report?.numFailedTests;
  const failed =
    (report?.numFailedTests ?? 0) + (vitestCrashed ? 1 : 0) + checks.filter((r) => !r.ok).length;
  lines.push(`tests: ${passed} passed, ${failed} failed`);
  return lines.join('\n');
}
