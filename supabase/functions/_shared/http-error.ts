// In a module of its own, without imports, so what `handle` itself uses (the claims reader)
// can raise it without an import cycle; http.ts re-exports it.

/**
 * A failure a handler raises on purpose; `handle` turns it into its HTTP response. `detail`
 * adds fields beside code and message (the executor protocol's `retryable`).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: Record<string, unknown>,
    /** Response headers it needs (429's Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}
