// Turn Supabase/PostgREST/network failures into messages a rep can act on.

type ErrorLike = { message?: unknown; code?: unknown; status?: unknown; details?: unknown };

const asErrorLike = (error: unknown): ErrorLike =>
  typeof error === 'object' && error !== null ? (error as ErrorLike) : {};

/** An error that already carries a user-facing message. */
export class AppError extends Error {
  readonly code: string | undefined;
  constructor(message: string, options?: { code?: string | undefined; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = 'AppError';
    this.code = options?.code;
  }
}

const NETWORK_MESSAGE = "Can't reach the server. Check your connection and try again.";

export function getErrorMessage(error: unknown): string {
  if (error instanceof AppError) return error.message;
  const { message, code } = asErrorLike(error);
  const text = typeof message === 'string' ? message : '';
  if (/failed to fetch|networkerror|load failed|fetch failed/i.test(text)) return NETWORK_MESSAGE;
  switch (code) {
    case '42501':
      return "You don't have permission to do that in this organisation.";
    case '23505':
      return 'That already exists.';
    case '23503':
      return 'Something this refers to no longer exists. Reload and try again.';
    case '23514':
      return 'Some values were not accepted. Check the fields and try again.';
    case 'PGRST116':
      return 'It may have been deleted, or you no longer have access.';
    case 'PGRST301':
    case 'PGRST303':
      return 'Your session has expired. Sign in again.';
    default:
      return text || 'Something went wrong. Please try again.';
  }
}

/** Throw a PostgREST/Supabase error as an AppError with a readable message. */
export function raise(error: unknown): never {
  const { code } = asErrorLike(error);
  // 22P02 (invalid_text_representation) on a read is an id that cannot exist — a malformed
  // link like /restaurants/not-a-uuid. Said as not found, the page shows its "not found"
  // state at once instead of retrying and then offering a "Try again" that cannot work.
  if (code === '22P02') {
    throw new AppError('This link’s id is not valid, so there is nothing to show.', {
      code: 'not_found',
      cause: error,
    });
  }
  throw new AppError(getErrorMessage(error), {
    code: typeof code === 'string' ? code : undefined,
    cause: error,
  });
}

/** Client mistakes (4xx-like) are not worth retrying. */
export function isRetryable(error: unknown): boolean {
  const code = asErrorLike(error).code;
  if (typeof code !== 'string') return true;
  if (code === 'PGRST002') return true; // schema cache still loading
  return !(
    code === 'not_found' ||
    code.startsWith('22') || // data exceptions: the same request fails the same way
    code.startsWith('PGRST') ||
    code.startsWith('42') ||
    code.startsWith('23') ||
    code === 'P0002'
  );
}
