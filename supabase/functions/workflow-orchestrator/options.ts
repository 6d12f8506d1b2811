// The orchestrator's knobs, from an HTTP body or a worker's flags, with their bounds.
import { isUuid } from '../_shared/domain/ids.ts';
import { MAX_BATCH_CALLS } from '../_shared/executor-protocol.ts';
import type { OrchestratorOptions } from './orchestrator.ts';

/**
 * Default budget: below the cron interval plus pg_net's 60 s timeout, and long enough that a
 * busy queue is drained by one run instead of many short ones. Cron skips a tick while a run
 * is still going (pg_cron and the local ticker alike), so runs do not pile up.
 */
export const DEFAULT_BUDGET_MS = 20_000;
export const DEFAULT_BATCH_SIZE = 100;
export const DEFAULT_CONCURRENCY = 200;
/**
 * Most steps per executor request (the batch form of the executor protocol; 1 = one request
 * per step): a default claim's steps for one executor go in one request. The HTTP hop per
 * step was the bottleneck: `pnpm bench workflows`, 2,000 one-step echo jobs, against
 * graphile-worker c10 in the same run (a 2-CPU machine shared with other engineers' builds
 * and stacks, load average 9-17, so only ratios within a run compare): executor_batch 1 gave
 * 1 orchestrator 0.42×, 4 orchestrators 0.56×; 100 gave 2.47× and 2.58×, the gateway's and
 * the functions runtime's CPU per job falling from ~0.73 ms to ~0.22 ms. The price: a step's
 * result waits for the slowest step of its request (same executor, timeout and organisation:
 * another tenant's slow steps never hold it).
 */
export const DEFAULT_EXECUTOR_BATCH = 100;

export class OptionsError extends Error {}

const integer = (
  body: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
): number | undefined => {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new OptionsError(`${key} must be an integer from ${min} to ${max}`);
  return value;
};

/**
 * Validates `{ budget_ms?, batch_size?, concurrency?, executor_batch?, lease_seconds?, worker?,
 * log_steps?, workflow_ids?, automated_steps? }`.
 */
export function parseOptions(body: unknown): OrchestratorOptions {
  if (body === undefined || body === null) body = {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new OptionsError('The body must be a JSON object');
  const b = body as Record<string, unknown>;
  const worker = b.worker;
  if (worker !== undefined && (typeof worker !== 'string' || !/^[\w:.@-]{1,100}$/.test(worker)))
    throw new OptionsError('worker must be 1 to 100 letters, digits or _ : . @ -');
  if (b.log_steps !== undefined && typeof b.log_steps !== 'boolean')
    throw new OptionsError('log_steps must be a boolean');
  if (b.automated_steps !== undefined && typeof b.automated_steps !== 'boolean')
    throw new OptionsError('automated_steps must be a boolean');
  const ids = b.workflow_ids;
  if (
    ids !== undefined &&
    ids !== null &&
    (!Array.isArray(ids) ||
      ids.length < 1 ||
      ids.length > 100 ||
      ids.some((id) => typeof id !== 'string' || !isUuid(id)))
  )
    throw new OptionsError('workflow_ids must be a list of 1 to 100 workflow uuids');
  return {
    worker: worker ?? `orchestrator:${crypto.randomUUID()}`,
    budgetMs: integer(b, 'budget_ms', 0, 120_000) ?? DEFAULT_BUDGET_MS,
    batchSize: integer(b, 'batch_size', 1, 1000) ?? DEFAULT_BATCH_SIZE,
    concurrency: integer(b, 'concurrency', 1, 2000) ?? DEFAULT_CONCURRENCY,
    executorBatch: integer(b, 'executor_batch', 1, MAX_BATCH_CALLS) ?? DEFAULT_EXECUTOR_BATCH,
    leaseSeconds: integer(b, 'lease_seconds', 1, 3600),
    logSteps: (b.log_steps as boolean | undefined) ?? true,
    automatedSteps: (b.automated_steps as boolean | undefined) ?? true,
    workflowIds: (ids as string[] | undefined | null) ?? undefined,
  };
}
