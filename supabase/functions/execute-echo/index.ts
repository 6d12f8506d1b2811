// POST /functions/v1/execute-echo — the echo transformer's executor (seed 003, iteration 7):
// output { echoed_data: input.data }. Service role only (docs/workflows-contract.md).
//
// Test hooks, read from the input so tests drive failures through the real path. Off unless
// the functions run with ECHO_TEST_HOOKS=1, which only the stacks of `pnpm test` and `pnpm
// bench` set (issue 10 §2: delay_ms let a tenant fill every worker with sleeping jobs);
// otherwise the input's hook fields are plain data and the echo only echoes.
//   fail_times     fail while the attempt number is <= fail_times (attempt counts the job's
//                  claims), or, with fail_key, while this process has seen that key
//                  <= fail_times times (a per-step count, for multi-step workflows)
//   fail_status    the failure's HTTP status (default 500)
//   non_retryable  true → the failure says retryable: false
//   delay_ms       sleep this long before answering (capped at 120 000), to test timeouts
import {
  ExecutorError,
  executor,
  invalidInput,
  isRecord,
  retryableStatus,
} from '../_shared/executor.ts';

const MAX_DELAY_MS = 120_000;

const TEST_HOOKS = Deno.env.get('ECHO_TEST_HOOKS') === '1';

/**
 * Calls seen per fail_key. Per process: a test hook for the local stack, not a ledger.
 * Bounded: past MAX_KEYS the oldest key is forgotten (a Map iterates in insertion order). A
 * test uses a handful of keys; 10,000 is far above a suite's and a few hundred KiB at most.
 */
const callsByKey = new Map<string, number>();
const MAX_KEYS = 10_000;
const MAX_KEY_LENGTH = 200;

function countCall(key: string): number {
  const count = (callsByKey.get(key) ?? 0) + 1;
  callsByKey.delete(key);
  callsByKey.set(key, count);
  if (callsByKey.size > MAX_KEYS) {
    const oldest = callsByKey.keys().next().value;
    if (oldest !== undefined) callsByKey.delete(oldest);
  }
  return count;
}

const optionalNumber = (input: Record<string, unknown>, key: string): number | undefined => {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw invalidInput(`${key} must be a non-negative number`);
  return value;
};

Deno.serve(
  executor('execute-echo', async ({ input, attempt }) => {
    if (!isRecord(input)) throw invalidInput('input must be an object: { data, ... }');
    if (!TEST_HOOKS) return { output: { echoed_data: input.data ?? null } };
    const failTimes = optionalNumber(input, 'fail_times') ?? 0;
    const delayMs = Math.min(optionalNumber(input, 'delay_ms') ?? 0, MAX_DELAY_MS);
    const failStatus = optionalNumber(input, 'fail_status') ?? 500;
    if (!Number.isInteger(failStatus) || failStatus < 400 || failStatus > 599)
      throw invalidInput('fail_status must be an HTTP error status (400..599)');
    const failKey = input.fail_key;
    if (failKey !== undefined && (typeof failKey !== 'string' || failKey.length > MAX_KEY_LENGTH))
      throw invalidInput(`fail_key must be a string of at most ${MAX_KEY_LENGTH} characters`);

    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));

    let count = attempt;
    if (failKey !== undefined) count = countCall(failKey);
    if (count <= failTimes) {
      const retryable = input.non_retryable === true ? false : retryableStatus(failStatus);
      throw new ExecutorError(
        'echo_failure',
        `Failing on purpose: call ${count} of ${failTimes} planned failures`,
        { retryable, status: failStatus },
      );
    }
    return { output: { echoed_data: input.data ?? null } };
  }),
);
