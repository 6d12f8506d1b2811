// POST /functions/v1/execute-echo — the echo transformer's executor (seed 003, iteration 7):
// output { echoed_data: input.data }. Service role only (docs/workflows-contract.md).
//
// Test hooks, read from the input so tests drive failures through the real path:
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

/** Calls seen per fail_key. Per process: a test hook for the local stack, not a ledger. */
const callsByKey = new Map<string, number>();

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
    const failTimes = optionalNumber(input, 'fail_times') ?? 0;
    const delayMs = Math.min(optionalNumber(input, 'delay_ms') ?? 0, MAX_DELAY_MS);
    const failStatus = optionalNumber(input, 'fail_status') ?? 500;
    if (!Number.isInteger(failStatus) || failStatus < 400 || failStatus > 599)
      throw invalidInput('fail_status must be an HTTP error status (400..599)');
    const failKey = input.fail_key;
    if (failKey !== undefined && typeof failKey !== 'string')
      throw invalidInput('fail_key must be a string');

    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));

    let count = attempt;
    if (failKey !== undefined) {
      count = (callsByKey.get(failKey) ?? 0) + 1;
      callsByKey.set(failKey, count);
    }
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
