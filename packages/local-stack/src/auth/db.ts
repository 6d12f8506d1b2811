import type { Pool, QueryResult, QueryResultRow } from 'pg';

/** Anything that runs a query: the pool, or a client inside a transaction. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<QueryResult<R>>;
}

/**
 * Thrown from inside a transaction to commit what was done and still fail the request.
 * GoTrue does this when it spots a reused refresh token: the token family is revoked
 * (committed) and the caller gets an error (storage.NewCommitWithError).
 */
export class CommitThenThrow extends Error {
  constructor(readonly error: unknown) {
    super('commit, then fail the request');
  }
}

export async function withTransaction<T>(
  pool: Pool,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    try {
      const result = await fn(client);
      await client.query('commit');
      return result;
    } catch (err) {
      if (err instanceof CommitThenThrow) {
        await client.query('commit');
        throw err.error;
      }
      await client.query('rollback');
      throw err;
    }
  } finally {
    client.release();
  }
}

/** A unique constraint refused the row: two requests raced to create the same user. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}
