import { HttpError } from './http.ts';

interface PostgrestLikeError {
  code?: string;
  message: string;
}

/**
 * Turns an RPC's Postgres error into the HTTP error a caller can act on. The SQLSTATEs are
 * the ones our functions raise on purpose (see docs/sequences-contract.md).
 */
export function httpErrorFromPostgrest(error: PostgrestLikeError): HttpError {
  switch (error.code) {
    case 'P0002':
    case 'PGRST116':
      return new HttpError(404, 'not_found', error.message);
    case '42501':
      return new HttpError(403, 'forbidden', error.message);
    case '22023':
    case '22P02':
    case '23514':
      return new HttpError(400, 'invalid_input', error.message);
    case '23505':
      return new HttpError(409, 'conflict', error.message);
    default:
      return new HttpError(500, 'internal_error', error.message);
  }
}
