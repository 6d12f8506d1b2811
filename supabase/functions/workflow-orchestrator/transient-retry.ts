// Postgres aborts a transaction it picked as a deadlock victim (40P01) or as a serialisation
// failure (40001) and applies none of it. finish_workflow_steps is one transaction, so such a
// batch can be sent again as it is; without a retry its results would be dropped and every
// step in it run a second time when the leases expire (seen when an organisation is deleted
// while its jobs finish). Any other error is not retried here: its outcome is unknown.

/** SQLSTATEs after which the transaction is known to have changed nothing. */
const ABORTED_WHOLE = new Set(['40P01', '40001']);

export function isWholeAbort(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ABORTED_WHOLE.has(code);
}

export async function retryWholeAborts<T>(
  run: () => Promise<T>,
  {
    attempts = 3,
    delayMs = (attempt: number) => 20 * 2 ** attempt * Math.random(),
    sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  }: {
    attempts?: number;
    /** Jittered, so two victims of one deadlock don't collide again. */
    delayMs?: (attempt: number) => number;
    sleep?: (ms: number) => Promise<void>;
  } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isWholeAbort(error)) throw error;
      await sleep(delayMs(attempt));
    }
  }
}
