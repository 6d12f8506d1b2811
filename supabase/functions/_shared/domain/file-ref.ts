// Generated from packages/domain by `pnpm gen:functions-domain`; do not edit.
// Edit the original in packages/domain/src and regenerate.
// A file a workflow reads, as a `file` field's value carries it (issue 12 §4): where the bytes
// sit in Supabase Storage plus what the picker knew when it uploaded them. The bytes never
// travel in a job's input; executors fetch them through a short-lived signed URL.
import { isUuid } from './ids.ts';

/** The private bucket workflow files are uploaded to (migration 20261122006800). */
export const WORKFLOW_FILES_BUCKET = 'workflow-files';

/** Longest file name kept in an object path; Storage keys are bounded and names are for people. */
export const FILE_NAME_MAX_LENGTH = 200;

/**
 * `{ bucket, path, name, size, mime_type }`; `path` is `<organisation_id>/<uuid>/<name>`, so
 * Storage's RLS policies (which read the first folder) and the executors can tell whose it is.
 */
export type FileRef = {
  bucket: string;
  path: string;
  name: string;
  size: number;
  mime_type: string;
};

/**
 * Whether a path is made of plain segments: no leading or trailing slash, no empty, `.` or `..`
 * segment, no backslash or control character. Storage would normalise or refuse the others,
 * and a reference that names a different object than it appears to is how confused-deputy
 * reads start.
 */
function isPlainPath(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x5c) return false; // controls, backslash
  }
  const segments = path.split('/');
  return segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * Structural check of a file reference: the five fields with their types, a non-negative
 * integer size and a path shaped `<uuid>/<uuid>/<name>`. Whose organisation it belongs to, and
 * whether the bucket is the one a caller accepts, is the caller's decision (fileRefOrgId).
 */
export function isFileRef(value: unknown): value is FileRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const ref = value as Record<string, unknown>;
  if (typeof ref.bucket !== 'string' || ref.bucket === '') return false;
  if (typeof ref.path !== 'string' || ref.path === '' || ref.path.length > 1024) return false;
  if (typeof ref.name !== 'string' || ref.name === '') return false;
  if (typeof ref.mime_type !== 'string') return false;
  if (typeof ref.size !== 'number' || !Number.isSafeInteger(ref.size) || ref.size < 0) {
    return false;
  }
  if (!isPlainPath(ref.path)) return false;
  const segments = ref.path.split('/');
  return segments.length === 3 && isUuid(segments[0]!) && isUuid(segments[1]!);
}

/**
 * The organisation a reference's path names (its first folder, lower-cased as Postgres prints
 * a uuid), or null when the first folder is not a UUID. Compare it with the caller's
 * organisation before touching the bytes.
 */
export function fileRefOrgId(ref: Pick<FileRef, 'path'>): string | null {
  const first = ref.path.split('/')[0] ?? '';
  return isUuid(first) ? first.toLowerCase() : null;
}

/**
 * A file name safe as the last segment of an object path. Hosted Storage accepts only S3-safe
 * key characters (storage-api's isValidKey), so accents are dropped (`é` → `e`) and path
 * separators, control characters and anything outside ASCII letters, digits, space and
 * `._-()+,` become `_`; leading dots are dropped (no hidden or `..` names); at most
 * FILE_NAME_MAX_LENGTH characters, keeping the extension; `file` when nothing is left.
 */
export function sanitizeFileName(name: string): string {
  let clean = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 ._\-()+,]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (clean.length > FILE_NAME_MAX_LENGTH) {
    const dot = clean.lastIndexOf('.');
    const extension = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : '';
    clean = clean.slice(0, FILE_NAME_MAX_LENGTH - extension.length) + extension;
  }
  return clean === '' ? 'file' : clean;
}

/** `<organisation_id>/<uuid>/<sanitised name>`: where the picker uploads a workflow file. */
export function workflowFilePath(organisationId: string, uuid: string, name: string): string {
  if (!isUuid(organisationId)) throw new Error('workflowFilePath: organisationId is not a UUID');
  if (!isUuid(uuid)) throw new Error('workflowFilePath: uuid is not a UUID');
  return `${organisationId.toLowerCase()}/${uuid.toLowerCase()}/${sanitizeFileName(name)}`;
}
