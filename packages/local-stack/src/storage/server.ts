// A Supabase Storage-compatible server for the part of Storage's REST API that supabase-js's
// storage client and the edge functions use (buckets; upload, upsert, download, list, remove
// objects; signed URLs), mounted by the gateway at /storage/v1. Like hosted Storage, it keeps
// rows in `storage.objects` and lets Postgres decide: every read or write of a row runs as the
// caller's role with `request.jwt.claims` set, as PostgREST does, so the RLS policies the
// migrations write on storage.objects are what allow or refuse it. service_role bypasses RLS.
// Bytes live on disk under the stack's directory, named by object id and version (never by a
// caller's text), so no key can reach outside that directory.
import { randomUUID, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { errors as joseErrors, jwtVerify } from 'jose';
import type { Pool, PoolClient } from 'pg';
import { signJwt } from '../auth/keys.ts';
import {
  bucketNotFound,
  duplicate,
  invalidJwt,
  invalidKey,
  invalidRequest,
  mimeTypeRefused,
  objectNotFound,
  payloadTooLarge,
  rlsRefused,
  sendStorageError,
  StorageHttpError,
} from './errors.ts';

export interface StorageServerOptions {
  pool: Pool;
  jwtSecret: string;
  /** Where object bytes are kept, e.g. `<stack dir>/storage`. */
  dataDir: string;
  /**
   * The global upload cap (Storage's FILE_SIZE_LIMIT; 50 MB on the free plan and in
   * `supabase start`). A bucket's file_size_limit can only lower it.
   */
  maxFileSizeBytes?: number;
}

export type StorageHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) => Promise<void>;

const DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024;
/** Room for a multipart body's boundaries and its cacheControl/metadata fields. */
const MULTIPART_OVERHEAD = 64 * 1024;
const MAX_JSON_BODY = 1024 * 1024;
const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);

type Claims = Record<string, unknown> & { role: string; sub?: string };

interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  public: boolean;
  file_size_limit: string | null;
  allowed_mime_types: string[] | null;
  created_at: Date;
  updated_at: Date;
}

interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  version: string | null;
  metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date | null;
}

/**
 * Storage's own key rule (storage-api limits.ts isValidKey: the S3-safe characters), plus what
 * keeps a key meaning one thing: no empty, `.` or `..` segment, at most 1,024 characters.
 */
export function isValidKey(key: string): boolean {
  if (key.length === 0 || key.length > 1024) return false;
  if (!/^(\w|\/|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)*$/.test(key)) return false;
  return key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

const isValidBucketId = (id: string): boolean => /^[A-Za-z0-9_.-]{1,100}$/.test(id);

function decodePath(raw: string): string {
  try {
    return raw
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
  } catch {
    throw invalidRequest('malformed path');
  }
}

/** `audio/*` matches `audio/mpeg`; parameters (`;charset=…`) are not part of the type. */
export function mimeTypeAllowed(mimeType: string, allowed: readonly string[] | null): boolean {
  if (!allowed || allowed.length === 0) return true;
  const base = mimeType.split(';')[0]!.trim().toLowerCase();
  return allowed.some((entry) => {
    const rule = entry.trim().toLowerCase();
    return rule.endsWith('/*') ? base.startsWith(rule.slice(0, -1)) : base === rule;
  });
}

/** A bucket's file_size_limit as createBucket sends it: bytes, or `'50MB'`, `'1GB'`, `'100KB'`. */
export function parseSizeLimit(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const match = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(value.trim());
    if (match) {
      const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
      return Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]!;
    }
  }
  throw invalidRequest('file_size_limit must be a number of bytes or a size such as 50MB');
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  const apikey = req.headers.apikey;
  return typeof apikey === 'string' && apikey !== '' ? apikey : undefined;
}

async function verify(token: string, secret: string): Promise<Record<string, unknown>> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
    });
    return payload as Record<string, unknown>;
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired)
      throw invalidJwt('"exp" claim timestamp check failed');
    throw invalidJwt('invalid signature');
  }
}

/** The caller's claims from its JWT; the role must be one of the API roles. */
async function callerClaims(req: IncomingMessage, secret: string): Promise<Claims> {
  const token = bearer(req);
  if (!token) {
    throw new StorageHttpError(
      400,
      'Unauthorized',
      "headers must have required property 'authorization'",
    );
  }
  const claims = await verify(token, secret);
  const role = typeof claims.role === 'string' ? claims.role : 'anon';
  if (!API_ROLES.has(role))
    throw new StorageHttpError(403, 'Unauthorized', `role ${role} not allowed`);
  return { ...claims, role } as Claims;
}

/**
 * One transaction as the caller: `role` and `request.jwt.claims` set locally, as PostgREST
 * sets them, so RLS on storage.objects and storage.buckets applies exactly as it does to API
 * requests. A row-level security refusal (42501) becomes Storage's 403.
 */
async function asCaller<T>(
  pool: Pool,
  claims: Claims,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    try {
      await client.query(
        `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
                set_config('request.jwt.claim.sub', $3, true), set_config('request.jwt.claim.role', $1, true)`,
        [claims.role, JSON.stringify(claims), typeof claims.sub === 'string' ? claims.sub : ''],
      );
      const result = await fn(client);
      await client.query('commit');
      return result;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      const code = (err as { code?: string }).code;
      if (code === '42501') throw rlsRefused();
      if (code === '23505') throw duplicate();
      // Class 22, data exceptions: text Postgres cannot store (a NUL in a path), a value out
      // of range. The caller's input, not a fault of ours.
      if (code?.startsWith('22')) throw invalidRequest('invalid value in the request');
      throw err;
    }
  } finally {
    client.release();
  }
}

async function readCapped(req: IncomingMessage, limit: number): Promise<Buffer> {
  // A declared length over the cap is refused before a byte is read; a body that lies about
  // its length (or is chunked) is cut off as soon as it passes the cap.
  const declared = Number(req.headers['content-length'] ?? 0);
  if (Number.isFinite(declared) && declared > limit) throw payloadTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw payloadTooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readCapped(req, MAX_JSON_BODY)).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // the same answer as a non-object, below
  }
  throw invalidRequest('body must be a JSON object');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const bucketJson = (row: BucketRow) => ({
  id: row.id,
  name: row.name,
  owner: row.owner_id ?? row.owner ?? '',
  public: row.public,
  file_size_limit: row.file_size_limit === null ? null : Number(row.file_size_limit),
  allowed_mime_types: row.allowed_mime_types,
  type: 'STANDARD',
  created_at: row.created_at,
  updated_at: row.updated_at,
});

const objectJson = (row: ObjectRow) => ({
  name: row.name,
  bucket_id: row.bucket_id,
  owner: row.owner_id ?? row.owner ?? '',
  owner_id: row.owner_id,
  id: row.id,
  version: row.version,
  updated_at: row.updated_at,
  created_at: row.created_at,
  last_accessed_at: row.last_accessed_at,
  metadata: row.metadata,
});

/** GET /object/info's shape (storage-js FileObjectV2, which the client camel-cases). */
const objectInfoJson = (row: ObjectRow) => {
  const meta = row.metadata ?? {};
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    bucket_id: row.bucket_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    last_modified: row.updated_at,
    size: meta.size,
    cache_control: meta.cacheControl,
    content_type: meta.mimetype,
    etag: meta.eTag,
    metadata: meta,
  };
};

const BUCKET_COLUMNS =
  'id, name, owner, owner_id, public, file_size_limit, allowed_mime_types, created_at, updated_at';
const OBJECT_COLUMNS =
  'id, bucket_id, name, owner, owner_id, version, metadata, created_at, updated_at, last_accessed_at';

/** What a body's file part or raw bytes came to. */
interface Upload {
  bytes: Buffer;
  mimeType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | null;
}

/**
 * The bytes of an upload: storage-js sends a Blob or File as multipart/form-data (a
 * `cacheControl` field, maybe `metadata`, then the file part named ''), and anything else
 * (Buffer, ArrayBuffer, string) raw with its content-type header.
 */
async function readUpload(req: IncomingMessage, limit: number): Promise<Upload> {
  const contentType = req.headers['content-type'] ?? 'application/octet-stream';
  if (contentType.toLowerCase().startsWith('multipart/form-data')) {
    const raw = await readCapped(req, limit + MULTIPART_OVERHEAD);
    const form = await new Response(raw, { headers: { 'content-type': contentType } })
      .formData()
      .catch(() => {
        throw invalidRequest('malformed multipart body');
      });
    let file: Blob | undefined;
    for (const [, value] of form.entries()) {
      if (typeof value !== 'string') file = value;
    }
    if (!file) throw invalidRequest('multipart body has no file');
    if (file.size > limit) throw payloadTooLarge();
    const cacheControl = form.get('cacheControl');
    const metadata = form.get('metadata');
    return {
      bytes: Buffer.from(await file.arrayBuffer()),
      mimeType: file.type || 'application/octet-stream',
      cacheControl: `max-age=${typeof cacheControl === 'string' ? cacheControl : '3600'}`,
      userMetadata: typeof metadata === 'string' ? parseUserMetadata(metadata) : null,
    };
  }
  const header = req.headers['x-metadata'];
  return {
    bytes: await readCapped(req, limit),
    mimeType: contentType,
    cacheControl:
      typeof req.headers['cache-control'] === 'string' ? req.headers['cache-control'] : 'no-cache',
    userMetadata:
      typeof header === 'string'
        ? parseUserMetadata(Buffer.from(header, 'base64').toString('utf8'))
        : null,
  };
}

function parseUserMetadata(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw invalidRequest('metadata must be a JSON object');
}

export function createStorageHandler(opts: StorageServerOptions): StorageHandler {
  const { pool, jwtSecret, dataDir } = opts;
  const maxFileSize = opts.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE;
  const filePath = (id: string, version: string): string => join(dataDir, `${id}.${version}`);

  /** Read as the superuser: limits and existence, which Storage itself reads the same way. */
  async function findBucket(id: string): Promise<BucketRow> {
    if (!isValidBucketId(id)) throw bucketNotFound();
    const { rows } = await pool.query<BucketRow>(
      `select ${BUCKET_COLUMNS} from storage.buckets where id = $1`,
      [id],
    );
    if (!rows[0]) throw bucketNotFound();
    return rows[0];
  }

  async function upload(
    req: IncomingMessage,
    res: ServerResponse,
    claims: Claims,
    bucketId: string,
    key: string,
    mode: 'create' | 'upsert' | 'update',
  ): Promise<void> {
    const bucket = await findBucket(bucketId);
    const limit = Math.min(
      maxFileSize,
      bucket.file_size_limit === null ? Infinity : Number(bucket.file_size_limit),
    );
    const body = await readUpload(req, limit);
    if (!mimeTypeAllowed(body.mimeType, bucket.allowed_mime_types)) {
      throw mimeTypeRefused(body.mimeType);
    }
    const version = randomUUID();
    const metadata = {
      eTag: `"${createHash('md5').update(body.bytes).digest('hex')}"`,
      size: body.bytes.length,
      mimetype: body.mimeType,
      cacheControl: body.cacheControl,
      lastModified: new Date().toISOString(),
      contentLength: body.bytes.length,
      httpStatusCode: 200,
    };
    const owner = typeof claims.sub === 'string' ? claims.sub : null;
    const ownerUuid = owner && /^[0-9a-f-]{36}$/i.test(owner) ? owner : null;
    await mkdir(dataDir, { recursive: true });
    const staging = join(dataDir, `.upload-${version}`);
    await writeFile(staging, body.bytes);
    let replaced: { id: string; version: string | null } | undefined;
    let row: { id: string } | undefined;
    try {
      row = await asCaller(pool, claims, async (client) => {
        const existing = await client.query<{ id: string; version: string | null }>(
          `select id, version from storage.objects where bucket_id = $1 and name = $2`,
          [bucketId, key],
        );
        if (mode === 'update') {
          if (!existing.rows[0]) throw objectNotFound();
        }
        if (mode === 'create' || (mode === 'upsert' && !existing.rows[0])) {
          const inserted = await client.query<{ id: string }>(
            `insert into storage.objects (bucket_id, name, owner, owner_id, metadata, user_metadata, version)
             values ($1, $2, $3, $4, $5, $6, $7) returning id`,
            [bucketId, key, ownerUuid, owner, metadata, body.userMetadata, version],
          );
          return inserted.rows[0]!;
        }
        // Upsert or update of a row the caller can see: the update policy decides.
        replaced = existing.rows[0];
        const updated = await client.query<{ id: string }>(
          `update storage.objects
              set metadata = $3, user_metadata = $4, version = $5, owner = $6, owner_id = $7,
                  updated_at = now(), last_accessed_at = now()
            where bucket_id = $1 and name = $2 returning id`,
          [bucketId, key, metadata, body.userMetadata, version, ownerUuid, owner],
        );
        // An update USING clause that hides the row refuses silently (0 rows): Storage's 403.
        if (!updated.rows[0]) throw rlsRefused();
        return updated.rows[0];
      });
      await rename(staging, filePath(row.id, version));
    } catch (err) {
      await rm(staging, { force: true });
      throw err;
    }
    if (replaced?.version) await rm(filePath(replaced.id, replaced.version), { force: true });
    sendJson(res, 200, { Id: row.id, Key: `${bucketId}/${key}` });
  }

  async function serveObject(
    req: IncomingMessage,
    res: ServerResponse,
    row: ObjectRow,
    download: string | null,
  ): Promise<void> {
    const file = row.version ? filePath(row.id, row.version) : undefined;
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info) throw objectNotFound();
    const meta = row.metadata ?? {};
    const headers: Record<string, string> = {
      'content-type':
        typeof meta.mimetype === 'string' ? meta.mimetype : 'application/octet-stream',
      'content-length': String(info.size),
      'cache-control': typeof meta.cacheControl === 'string' ? meta.cacheControl : 'no-cache',
      'last-modified': row.updated_at.toUTCString(),
      // The uploader chose the type: a browser must not second-guess it into HTML.
      'x-content-type-options': 'nosniff',
    };
    if (typeof meta.eTag === 'string') headers.etag = meta.eTag;
    if (download !== null) {
      const name = download || row.name.split('/').pop() || 'download';
      headers['content-disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(file);
      stream.on('error', reject);
      res.on('close', resolve);
      stream.pipe(res);
    });
  }

  async function selectObject(claims: Claims, bucketId: string, key: string): Promise<ObjectRow> {
    await findBucket(bucketId);
    const row = await asCaller(pool, claims, async (client) => {
      const { rows } = await client.query<ObjectRow>(
        `select ${OBJECT_COLUMNS} from storage.objects where bucket_id = $1 and name = $2`,
        [bucketId, key],
      );
      return rows[0];
    });
    if (!row) throw objectNotFound();
    return row;
  }

  function signToken(bucketId: string, key: string, expiresIn: unknown): string {
    if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1) {
      throw invalidRequest('expiresIn must be a positive integer');
    }
    return signJwt({ url: `${bucketId}/${key}` }, jwtSecret, expiresIn);
  }

  const signedPath = (bucketId: string, key: string, token: string): string =>
    `/object/sign/${bucketId}/${key}?token=${token}`;

  async function listObjects(claims: Claims, bucketId: string, body: Record<string, unknown>) {
    await findBucket(bucketId);
    let prefix = typeof body.prefix === 'string' ? body.prefix : '';
    if (prefix !== '' && !prefix.endsWith('/')) prefix += '/';
    // Whole numbers within what Postgres takes, whatever the body says (a 1e20 offset is 0 rows).
    const whole = (value: unknown, fallback: number, max: number): number =>
      typeof value === 'number' && Number.isFinite(value) && value > 0
        ? Math.min(Math.floor(value), max)
        : fallback;
    const limit = whole(body.limit, 100, 1000);
    const offset = whole(body.offset, 0, 2 ** 31 - 1);
    const search = typeof body.search === 'string' ? body.search : '';
    const sortBy = (body.sortBy ?? {}) as { column?: unknown; order?: unknown };
    const columns = ['name', 'updated_at', 'created_at', 'last_accessed_at'];
    const column = columns.includes(String(sortBy.column)) ? String(sortBy.column) : 'name';
    const order = String(sortBy.order).toLowerCase() === 'desc' ? 'desc' : 'asc';
    const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
    // One level under the prefix: objects directly in it, and each sub-folder once (with null
    // id and dates), as Storage's storage.search does.
    return asCaller(pool, claims, async (client) => {
      const { rows } = await client.query(
        `with matched as (
           select o.*, substr(o.name, length($2) + 1) as rest
             from storage.objects as o
            where o.bucket_id = $1 and o.name like $3 escape '\\'
         ), level as (
           select split_part(rest, '/', 1) as name, null::uuid as id, null::timestamptz as updated_at,
                  null::timestamptz as created_at, null::timestamptz as last_accessed_at,
                  null::jsonb as metadata
             from matched where strpos(rest, '/') > 0
            group by split_part(rest, '/', 1)
           union all
           select rest, id, updated_at, created_at, last_accessed_at, metadata
             from matched where strpos(rest, '/') = 0
         )
         select * from level where name ilike $4 escape '\\'
          order by ${column} ${order} nulls first, name ${order}
          limit $5 offset $6`,
        [bucketId, prefix, `${escapeLike(prefix)}%`, `${escapeLike(search)}%`, limit, offset],
      );
      return rows;
    });
  }

  return async (req, res, path) => {
    const queryStart = path.indexOf('?');
    const rawPath = queryStart === -1 ? path : path.slice(0, queryStart);
    const query = new URLSearchParams(queryStart === -1 ? '' : path.slice(queryStart + 1));
    const method = req.method ?? 'GET';
    try {
      let match: RegExpExecArray | null;

      // Signed URLs carry their own authorisation: the token, not a caller's JWT.
      if (
        (method === 'GET' || method === 'HEAD') &&
        (match = /^\/object\/sign\/([^/]+)\/(.+)$/.exec(rawPath))
      ) {
        const bucketId = decodePath(match[1]!);
        const key = decodePath(match[2]!);
        const token = query.get('token');
        if (!token) throw invalidRequest('querystring must have required property token');
        if (!isValidBucketId(bucketId) || !isValidKey(key)) throw objectNotFound();
        const payload = await verify(token, jwtSecret);
        if (payload.url !== `${bucketId}/${key}`) throw invalidJwt('Invalid signature');
        const { rows } = await pool.query<ObjectRow>(
          `select ${OBJECT_COLUMNS} from storage.objects where bucket_id = $1 and name = $2`,
          [bucketId, key],
        );
        if (!rows[0]) throw objectNotFound();
        await serveObject(req, res, rows[0], query.get('download'));
        return;
      }

      if (
        (method === 'GET' || method === 'HEAD') &&
        (match = /^\/object\/public\/([^/]+)\/(.+)$/.exec(rawPath))
      ) {
        const bucket = await findBucket(decodePath(match[1]!));
        const key = decodePath(match[2]!);
        if (!bucket.public) throw bucketNotFound();
        if (!isValidKey(key)) throw objectNotFound();
        const { rows } = await pool.query<ObjectRow>(
          `select ${OBJECT_COLUMNS} from storage.objects where bucket_id = $1 and name = $2`,
          [bucket.id, key],
        );
        if (!rows[0]) throw objectNotFound();
        await serveObject(req, res, rows[0], query.get('download'));
        return;
      }

      const claims = await callerClaims(req, jwtSecret);

      // Buckets.
      if (rawPath === '/bucket' || rawPath === '/bucket/') {
        if (method === 'GET') {
          const rows = await asCaller(
            pool,
            claims,
            async (client) =>
              (
                await client.query<BucketRow>(
                  `select ${BUCKET_COLUMNS} from storage.buckets order by name`,
                )
              ).rows,
          );
          sendJson(res, 200, rows.map(bucketJson));
          return;
        }
        if (method === 'POST') {
          const body = await readJson(req);
          const id =
            typeof body.id === 'string' ? body.id : typeof body.name === 'string' ? body.name : '';
          if (!isValidBucketId(id)) throw invalidRequest('Bucket name invalid');
          const allowed = body.allowed_mime_types;
          if (
            allowed !== undefined &&
            allowed !== null &&
            (!Array.isArray(allowed) || allowed.some((m) => typeof m !== 'string'))
          ) {
            throw invalidRequest('allowed_mime_types must be an array of strings');
          }
          await asCaller(pool, claims, (client) =>
            client.query(
              `insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
               values ($1, $1, $2, $3, $4, $5, $6)`,
              [
                id,
                null,
                typeof claims.sub === 'string' ? claims.sub : null,
                body.public === true,
                parseSizeLimit(body.file_size_limit),
                allowed ?? null,
              ],
            ),
          );
          sendJson(res, 200, { name: id });
          return;
        }
      }
      if ((match = /^\/bucket\/([^/]+)(\/empty)?\/?$/.exec(rawPath))) {
        const id = decodePath(match[1]!);
        if (!isValidBucketId(id)) throw bucketNotFound();
        const empty = match[2] !== undefined;
        if (method === 'GET' && !empty) {
          const row = await asCaller(
            pool,
            claims,
            async (client) =>
              (
                await client.query<BucketRow>(
                  `select ${BUCKET_COLUMNS} from storage.buckets where id = $1`,
                  [id],
                )
              ).rows[0],
          );
          if (!row) throw bucketNotFound();
          sendJson(res, 200, bucketJson(row));
          return;
        }
        if (method === 'PUT' && !empty) {
          const body = await readJson(req);
          const updated = await asCaller(
            pool,
            claims,
            async (client) =>
              (
                await client.query(
                  `update storage.buckets
                    set public = coalesce($2, public),
                        file_size_limit = case when $3 then $4 else file_size_limit end,
                        allowed_mime_types = case when $5 then $6 else allowed_mime_types end,
                        updated_at = now()
                  where id = $1 returning id`,
                  [
                    id,
                    typeof body.public === 'boolean' ? body.public : null,
                    'file_size_limit' in body,
                    parseSizeLimit(body.file_size_limit),
                    'allowed_mime_types' in body,
                    Array.isArray(body.allowed_mime_types) ? body.allowed_mime_types : null,
                  ],
                )
              ).rowCount,
          );
          if (!updated) throw bucketNotFound();
          sendJson(res, 200, { message: 'Successfully updated' });
          return;
        }
        if (method === 'POST' && empty) {
          const removed = await asCaller(
            pool,
            claims,
            async (client) =>
              (
                await client.query<ObjectRow>(
                  `delete from storage.objects where bucket_id = $1 returning ${OBJECT_COLUMNS}`,
                  [id],
                )
              ).rows,
          );
          for (const row of removed)
            if (row.version) await rm(filePath(row.id, row.version), { force: true });
          sendJson(res, 200, { message: 'Successfully emptied' });
          return;
        }
        if (method === 'DELETE' && !empty) {
          const deleted = await asCaller(pool, claims, async (client) => {
            const { rows } = await client.query(
              `select 1 from storage.objects where bucket_id = $1 limit 1`,
              [id],
            );
            if (rows[0]) {
              throw new StorageHttpError(
                409,
                'InvalidRequest',
                'The bucket you tried to delete is not empty',
              );
            }
            return (await client.query(`delete from storage.buckets where id = $1`, [id])).rowCount;
          });
          if (!deleted) throw bucketNotFound();
          sendJson(res, 200, { message: 'Successfully deleted' });
          return;
        }
      }

      // Objects.
      if (method === 'POST' && (match = /^\/object\/list\/([^/]+)\/?$/.exec(rawPath))) {
        const rows = await listObjects(claims, decodePath(match[1]!), await readJson(req));
        sendJson(res, 200, rows);
        return;
      }
      if (method === 'POST' && (match = /^\/object\/sign\/([^/]+)\/?$/.exec(rawPath))) {
        const bucketId = decodePath(match[1]!);
        const body = await readJson(req);
        const paths = body.paths;
        if (
          !Array.isArray(paths) ||
          paths.length > 1000 ||
          paths.some((p) => typeof p !== 'string')
        ) {
          throw invalidRequest('paths must be an array of at most 1000 strings');
        }
        await findBucket(bucketId);
        const visible = await asCaller(pool, claims, async (client) => {
          const { rows } = await client.query<{ name: string }>(
            `select name from storage.objects where bucket_id = $1 and name = any($2)`,
            [bucketId, paths],
          );
          return new Set(rows.map((r) => r.name));
        });
        sendJson(
          res,
          200,
          (paths as string[]).map((key) =>
            visible.has(key)
              ? {
                  error: null,
                  path: key,
                  signedURL: signedPath(bucketId, key, signToken(bucketId, key, body.expiresIn)),
                }
              : {
                  error: 'Either the object does not exist or you do not have access to it',
                  path: key,
                  signedURL: null,
                },
          ),
        );
        return;
      }
      if (method === 'POST' && (match = /^\/object\/sign\/([^/]+)\/(.+)$/.exec(rawPath))) {
        const bucketId = decodePath(match[1]!);
        const key = decodePath(match[2]!);
        const body = await readJson(req);
        const token = signToken(bucketId, key, body.expiresIn);
        await selectObject(claims, bucketId, key);
        sendJson(res, 200, { signedURL: signedPath(bucketId, key, token) });
        return;
      }
      if (method === 'DELETE' && (match = /^\/object\/([^/]+)\/?$/.exec(rawPath))) {
        const bucketId = decodePath(match[1]!);
        const body = await readJson(req);
        const prefixes = body.prefixes;
        if (
          !Array.isArray(prefixes) ||
          prefixes.length === 0 ||
          prefixes.length > 1000 ||
          prefixes.some((p) => typeof p !== 'string')
        ) {
          throw invalidRequest('prefixes must be an array of 1 to 1000 strings');
        }
        await findBucket(bucketId);
        const removed = await asCaller(
          pool,
          claims,
          async (client) =>
            (
              await client.query<ObjectRow>(
                `delete from storage.objects where bucket_id = $1 and name = any($2) returning ${OBJECT_COLUMNS}`,
                [bucketId, prefixes],
              )
            ).rows,
        );
        for (const row of removed)
          if (row.version) await rm(filePath(row.id, row.version), { force: true });
        sendJson(res, 200, removed.map(objectJson));
        return;
      }
      if ((match = /^\/object\/(?:(authenticated|info)\/)?([^/]+)\/(.+)$/.exec(rawPath))) {
        const kind = match[1];
        const bucketId = decodePath(match[2]!);
        const key = decodePath(match[3]!);
        if (!isValidKey(key)) throw invalidKey(key);
        if ((method === 'GET' || method === 'HEAD') && kind !== 'info') {
          const row = await selectObject(claims, bucketId, key);
          await serveObject(req, res, row, query.get('download'));
          return;
        }
        if (method === 'GET' && kind === 'info') {
          sendJson(res, 200, objectInfoJson(await selectObject(claims, bucketId, key)));
          return;
        }
        if (kind === undefined && method === 'POST') {
          const upsert = String(req.headers['x-upsert'] ?? '').toLowerCase() === 'true';
          await upload(req, res, claims, bucketId, key, upsert ? 'upsert' : 'create');
          return;
        }
        if (kind === undefined && method === 'PUT') {
          await upload(req, res, claims, bucketId, key, 'update');
          return;
        }
      }
      throw new StorageHttpError(404, 'not_found', `Route ${method}:${rawPath} not found`);
    } catch (err) {
      if (!(err instanceof StorageHttpError))
        console.error(`storage: ${method} ${rawPath} failed:`, err);
      // A body left unread (over the limit, or refused before reading: a bad JWT, an unknown
      // bucket) is not drained, which Node would otherwise do byte by byte: answer and close.
      if (!req.complete) res.setHeader('connection', 'close');
      if (!res.headersSent) {
        sendStorageError(
          res,
          err instanceof StorageHttpError
            ? err
            : new StorageHttpError(500, 'internal', 'Internal Server Error'),
        );
      } else res.destroy();
    }
  };
}
