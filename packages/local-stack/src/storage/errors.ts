import type { ServerResponse } from 'node:http';

/**
 * Supabase Storage's error body, `{ statusCode, error, message }` with statusCode as text:
 * storage-js reads `message` and `statusCode` from it (lib/common/fetch.ts handleError).
 */
export class StorageHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalidRequest = (message: string): StorageHttpError =>
  new StorageHttpError(400, 'InvalidRequest', message);

export const invalidKey = (key: string): StorageHttpError =>
  new StorageHttpError(400, 'InvalidKey', `Invalid key: ${key}`);

export const invalidJwt = (message: string): StorageHttpError =>
  new StorageHttpError(400, 'InvalidJWT', message);

export const bucketNotFound = (): StorageHttpError =>
  new StorageHttpError(404, 'Bucket not found', 'Bucket not found');

export const objectNotFound = (): StorageHttpError =>
  new StorageHttpError(404, 'not_found', 'Object not found');

/** What Storage answers when RLS refuses a row: the policy decided, not this server. */
export const rlsRefused = (): StorageHttpError =>
  new StorageHttpError(403, 'Unauthorized', 'new row violates row-level security policy');

export const payloadTooLarge = (): StorageHttpError =>
  new StorageHttpError(413, 'Payload too large', 'The object exceeded the maximum allowed size');

export const mimeTypeRefused = (mimeType: string): StorageHttpError =>
  new StorageHttpError(415, 'invalid_mime_type', `mime type ${mimeType} is not supported`);

export const duplicate = (): StorageHttpError =>
  new StorageHttpError(409, 'Duplicate', 'The resource already exists');

export function sendStorageError(res: ServerResponse, err: StorageHttpError): void {
  res.writeHead(err.status, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({ statusCode: String(err.status), error: err.error, message: err.message }),
  );
}
