import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import { createApiKeys, signJwt } from '../auth/keys.ts';
import { applyBootstrap } from '../database.ts';
import { freePort } from '../ports.ts';
import { startPostgres } from '../postgres.ts';
import type { Service } from '../process.ts';
import { createStorageHandler } from './server.ts';

// The storage server against a real Postgres carrying the bootstrap SQL, driven by supabase-js's
// storage client (and plain HTTP where the wire is the point). A throwaway database of its own:
// the test writes its own bucket and a policy (a user's files live under a folder named by their
// id), which is what shows that RLS, not the server, decides.

const JWT_SECRET = 'storage-stack-test-secret-with-at-least-32-chars';
const keys = createApiKeys(JWT_SECRET);
const BUCKET = 'test-files';

let dataDir: string;
let postgres: Service;
let pool: pg.Pool;
let server: Server;
let apiUrl: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'storage-stack-test-'));
  chmodSync(dataDir, 0o755); // Postgres runs as its own user when we are root
  const running = await startPostgres({
    dataDir: join(dataDir, 'db'),
    port: await freePort(),
    password: 'postgres',
    logFile: join(dataDir, 'postgres.log'),
  });
  postgres = running.service;
  await applyBootstrap(running.url, 'authenticator');
  pool = new pg.Pool({ connectionString: running.url, max: 10 });
  pool.on('error', (err: Error & { code?: string }) => {
    if (err.code !== '57P01') throw err;
  });
  await pool.query(`
    insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
    values ('${BUCKET}', '${BUCKET}', false, 1024, array['text/*', 'audio/*', 'application/json']);
    create policy own_folder_select on storage.objects for select to authenticated
      using (bucket_id = '${BUCKET}' and (storage.foldername(name))[1] = (select auth.uid())::text);
    create policy own_folder_insert on storage.objects for insert to authenticated
      with check (bucket_id = '${BUCKET}' and (storage.foldername(name))[1] = (select auth.uid())::text);
    create policy own_folder_update on storage.objects for update to authenticated
      using (bucket_id = '${BUCKET}' and (storage.foldername(name))[1] = (select auth.uid())::text);
    create policy own_folder_delete on storage.objects for delete to authenticated
      using (bucket_id = '${BUCKET}' and (storage.foldername(name))[1] = (select auth.uid())::text);
  `);
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const handler = createStorageHandler({
    pool,
    jwtSecret: JWT_SECRET,
    dataDir: join(dataDir, 'objects'),
  });
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (!path.startsWith('/storage/v1')) {
      res.writeHead(404);
      res.end();
      return;
    }
    void handler(req, res, path.slice('/storage/v1'.length) || '/');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await pool?.end();
  await postgres?.stop('SIGINT');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function client(key: string): SupabaseClient {
  return createClient(apiUrl, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: ws as never },
  });
}

/** A signed-in user's access token, as the auth server would mint it. */
function user(): { id: string; storage: SupabaseClient['storage'] } {
  const id = randomUUID();
  const token = signJwt({ sub: id, role: 'authenticated', aud: 'authenticated' }, JWT_SECRET, 3600);
  return { id, storage: client(token).storage };
}

const service = () => client(keys.serviceRoleKey).storage;

/**
 * POSTs a chunked body of up to 10 GB in 64 KiB chunks, produced only as fast as the server
 * reads them: a server that read it all would time the test out. Answers the status and how
 * much was sent by the time the answer came.
 */
async function hugeUpload(url: string, token: string): Promise<{ status: number; sent: number }> {
  let sent = 0;
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'text/plain',
          'transfer-encoding': 'chunked',
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = (): void => {
      while (sent < 10 * 1024 ** 3) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    req.on('response', () => req.destroy());
    pump();
  });
  return { status, sent };
}

describe('objects through supabase-js', () => {
  it('uploads, downloads, upserts, lists and removes a file in the caller’s folder', async () => {
    const alice = user();
    const files = alice.storage.from(BUCKET);
    const path = `${alice.id}/notes/a b.txt`;

    const up = await files.upload(path, Buffer.from('first'), { contentType: 'text/plain' });
    expect(up.error).toBeNull();
    expect(up.data).toMatchObject({ path, fullPath: `${BUCKET}/${path}` });
    expect(up.data?.id).toMatch(/^[0-9a-f-]{36}$/);

    const down = await files.download(path);
    expect(down.error).toBeNull();
    expect(await down.data!.text()).toBe('first');

    // A second upload of the same key is a 409 unless upsert is asked for.
    const again = await files.upload(path, Buffer.from('second'), { contentType: 'text/plain' });
    expect(again.error).toMatchObject({ statusCode: '409' });
    const upsert = await files.upload(path, Buffer.from('second'), {
      contentType: 'text/plain',
      upsert: true,
    });
    expect(upsert.error).toBeNull();
    expect(await (await files.download(path)).data!.text()).toBe('second');
    const update = await files.update(path, Buffer.from('third'), { contentType: 'text/plain' });
    expect(update.error).toBeNull();
    expect(await (await files.download(path)).data!.text()).toBe('third');

    await files.upload(`${alice.id}/notes/b.txt`, Buffer.from('b'), { contentType: 'text/plain' });
    await files.upload(`${alice.id}/other/c.txt`, Buffer.from('c'), { contentType: 'text/plain' });

    const top = await files.list(alice.id);
    expect(top.error).toBeNull();
    expect(top.data!.map((f) => [f.name, f.id])).toEqual([
      ['notes', null],
      ['other', null],
    ]);
    const notes = await files.list(`${alice.id}/notes`, {
      sortBy: { column: 'name', order: 'desc' },
    });
    expect(notes.data!.map((f) => f.name)).toEqual(['b.txt', 'a b.txt']);
    expect(notes.data![1]!.metadata).toMatchObject({ size: 5, mimetype: 'text/plain' });
    const searched = await files.list(`${alice.id}/notes`, { search: 'a' });
    expect(searched.data!.map((f) => f.name)).toEqual(['a b.txt']);
    const paged = await files.list(`${alice.id}/notes`, { limit: 1, offset: 1 });
    expect(paged.data!.map((f) => f.name)).toEqual(['b.txt']);
    const far = await files.list(`${alice.id}/notes`, { limit: 1.5, offset: 1e20 });
    expect(far).toMatchObject({ data: [], error: null });
    expect((await files.list(`${alice.id}/\u0000`)).error).toMatchObject({ statusCode: '400' });
    expect((await files.remove([`${alice.id}/\u0000`])).error).toMatchObject({ statusCode: '400' });

    expect((await files.exists(path)).data).toBe(true);
    expect((await files.exists(`${alice.id}/notes/missing.txt`)).data).toBe(false);
    const info = await files.info(path);
    expect(info.data).toMatchObject({ name: path, size: 5, contentType: 'text/plain' });

    const removed = await files.remove([path, `${alice.id}/notes/missing.txt`]);
    expect(removed.error).toBeNull();
    expect(removed.data!.map((f) => f.name)).toEqual([path]);
    expect((await files.download(path)).error).toMatchObject({ statusCode: '404' });
  });

  it('uploads a Blob as multipart, keeping its type', async () => {
    const alice = user();
    const files = alice.storage.from(BUCKET);
    const path = `${alice.id}/clip.wav`;
    const blob = new Blob([Buffer.from('RIFF wave')], { type: 'audio/wav' });
    expect((await files.upload(path, blob)).error).toBeNull();
    const down = await files.download(path);
    expect(down.data!.type).toBe('audio/wav');
    expect(await down.data!.text()).toBe('RIFF wave');
  });

  it('lets RLS refuse another user’s folder: upload 403, download 404, list empty, remove nothing', async () => {
    const alice = user();
    const mallory = user();
    const path = `${alice.id}/secret.txt`;
    await alice.storage
      .from(BUCKET)
      .upload(path, Buffer.from('secret'), { contentType: 'text/plain' });
    const theirs = mallory.storage.from(BUCKET);

    expect(
      (await theirs.upload(`${alice.id}/x.txt`, Buffer.from('x'), { contentType: 'text/plain' }))
        .error,
    ).toMatchObject({ statusCode: '403' });
    expect((await theirs.download(path)).error).toMatchObject({ statusCode: '404' });
    expect((await theirs.list(alice.id)).data).toEqual([]);
    expect((await theirs.remove([path])).data).toEqual([]);
    expect((await theirs.createSignedUrl(path, 60)).error).toMatchObject({ statusCode: '404' });
    // Upsert over a row the caller cannot see inserts, which the unique key refuses.
    expect(
      (
        await theirs.upload(path, Buffer.from('overwritten'), {
          contentType: 'text/plain',
          upsert: true,
        })
      ).error,
    ).not.toBeNull();
    expect(await (await alice.storage.from(BUCKET).download(path)).data!.text()).toBe('secret');

    // anon: no policy names it.
    const anon = client(keys.anonKey).storage.from(BUCKET);
    expect((await anon.download(path)).error).toMatchObject({ statusCode: '404' });
    expect(
      (await anon.upload(`${alice.id}/y.txt`, Buffer.from('y'), { contentType: 'text/plain' }))
        .error,
    ).toMatchObject({ statusCode: '403' });
    // The service role bypasses RLS.
    expect(await (await service().from(BUCKET).download(path)).data!.text()).toBe('secret');
  });

  it('refuses a request without a valid JWT', async () => {
    const res = await fetch(`${apiUrl}/storage/v1/object/list/${BUCKET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ statusCode: '400', error: 'Unauthorized' });
    const forged = signJwt({ role: 'service_role' }, 'another-secret-of-at-least-32-characters');
    const bad = await client(forged).storage.from(BUCKET).list('');
    expect(bad.error).toMatchObject({ statusCode: '400' });
    const odd = signJwt({ role: 'postgres' }, JWT_SECRET);
    expect((await client(odd).storage.from(BUCKET).list('')).error).toMatchObject({
      statusCode: '403',
    });
  });

  it('refuses keys Storage refuses', async () => {
    const alice = user();
    const files = alice.storage.from(BUCKET);
    for (const key of [`${alice.id}/../x.txt`, `${alice.id}/a\\b.txt`, `${alice.id}/<x>.txt`]) {
      // Sent with node:http, which keeps the path as written: fetch would resolve `..` first.
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: new URL(apiUrl).port,
            path: `/storage/v1/object/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`,
            method: 'POST',
            headers: {
              authorization: `Bearer ${keys.serviceRoleKey}`,
              'content-type': 'text/plain',
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end('x');
      });
      expect(status, key).toBe(400);
    }
    expect((await files.download(`${alice.id}/..`)).error).not.toBeNull();
    // Text Postgres cannot hold, in a bucket or a signed URL, is a 4xx, not a server fault.
    for (const url of [
      `${apiUrl}/storage/v1/object/sign/%00/x?token=t`,
      `${apiUrl}/storage/v1/bucket/%00`,
    ]) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${keys.serviceRoleKey}` } });
      expect(res.status, url).toBe(404);
    }
  });
});

describe('bucket limits', () => {
  it('refuses a file over the bucket’s file_size_limit with 413', async () => {
    const alice = user();
    const res = await alice.storage
      .from(BUCKET)
      .upload(`${alice.id}/big.txt`, Buffer.alloc(1025, 'a'), { contentType: 'text/plain' });
    expect(res.error).toMatchObject({ statusCode: '413' });
    const ok = await alice.storage
      .from(BUCKET)
      .upload(`${alice.id}/fits.txt`, Buffer.alloc(1024, 'a'), { contentType: 'text/plain' });
    expect(ok.error).toBeNull();
  });

  it('refuses a type outside allowed_mime_types with 415', async () => {
    const alice = user();
    const res = await alice.storage
      .from(BUCKET)
      .upload(`${alice.id}/page.html`, Buffer.from('<p>'), { contentType: 'image/svg+xml' });
    expect(res.error).toMatchObject({ statusCode: '415' });
    const wildcard = await alice.storage
      .from(BUCKET)
      .upload(`${alice.id}/a.mp3`, Buffer.from('ID3'), { contentType: 'audio/mpeg' });
    expect(wildcard.error).toBeNull();
  });

  it('stops reading a huge chunked body at the limit, writing nothing to disk', async () => {
    const alice = user();
    const token = signJwt({ sub: alice.id, role: 'authenticated' }, JWT_SECRET, 3600);
    const before = readdirSync(join(dataDir, 'objects')).length;
    const { status, sent } = await hugeUpload(
      `${apiUrl}/storage/v1/object/${BUCKET}/${alice.id}/huge.txt`,
      token,
    );
    expect(status).toBe(413);
    expect(sent).toBeLessThan(256 * 1024 * 1024);
    expect(readdirSync(join(dataDir, 'objects')).length).toBe(before);

    // Refused before reading (an unknown bucket, a bad JWT): the body is not drained either.
    const unknown = await hugeUpload(`${apiUrl}/storage/v1/object/nope/${alice.id}/x.txt`, token);
    expect(unknown.status).toBe(404);
    expect(unknown.sent).toBeLessThan(256 * 1024 * 1024);
    const forged = await hugeUpload(
      `${apiUrl}/storage/v1/object/${BUCKET}/${alice.id}/x.txt`,
      signJwt({ sub: alice.id, role: 'authenticated' }, 'another-secret-of-at-least-32-chars'),
    );
    expect(forged.status).toBe(400);
    expect(forged.sent).toBeLessThan(256 * 1024 * 1024);

    // A declared length over the limit is refused before the body is read.
    const declared = await fetch(`${apiUrl}/storage/v1/object/${BUCKET}/${alice.id}/declared.txt`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'text/plain',
        'content-length': '99999999',
      },
      body: 'short',
    }).catch(() => undefined);
    if (declared) expect(declared.status).toBe(413);
  });
});

describe('signed URLs', () => {
  it('serves the bytes to anyone holding the URL until it expires', async () => {
    const alice = user();
    const files = alice.storage.from(BUCKET);
    const path = `${alice.id}/signed file.txt`;
    await files.upload(path, Buffer.from('signed'), { contentType: 'text/plain' });

    const signed = await files.createSignedUrl(path, 60);
    expect(signed.error).toBeNull();
    const res = await fetch(signed.data!.signedUrl);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('signed');

    const withDownload = await files.createSignedUrl(path, 60, { download: 'x.txt' });
    const attached = await fetch(withDownload.data!.signedUrl);
    expect(attached.headers.get('content-disposition')).toContain('x.txt');

    const batch = await files.createSignedUrls([path, `${alice.id}/missing.txt`], 60);
    expect(batch.data![0]!.signedUrl).toContain('token=');
    expect(batch.data![1]).toMatchObject({ signedUrl: null, error: expect.any(String) });
    expect(await (await fetch(batch.data![0]!.signedUrl!)).text()).toBe('signed');
  });

  it('refuses an expired, tampered or re-targeted token', async () => {
    const alice = user();
    const files = alice.storage.from(BUCKET);
    const path = `${alice.id}/t.txt`;
    const other = `${alice.id}/u.txt`;
    await files.upload(path, Buffer.from('t'), { contentType: 'text/plain' });
    await files.upload(other, Buffer.from('u'), { contentType: 'text/plain' });
    const base = `${apiUrl}/storage/v1/object/sign/${BUCKET}`;

    const expired = signJwt(
      { url: `${BUCKET}/${path}` },
      JWT_SECRET,
      60,
      Math.floor(Date.now() / 1000) - 120,
    );
    const r1 = await fetch(`${base}/${path}?token=${expired}`);
    expect(r1.status).toBe(400);
    expect(await r1.json()).toMatchObject({ error: 'InvalidJWT' });

    const { data } = await files.createSignedUrl(path, 60);
    const token = new URL(data!.signedUrl).searchParams.get('token')!;
    const [h, p, s] = token.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ url: `${BUCKET}/${other}`, exp: 9999999999 })).toString('base64url')}.${s}`;
    expect((await fetch(`${base}/${other}?token=${tampered}`)).status).toBe(400);
    expect(p).toBeDefined();
    // A valid token for one object does not open another.
    expect((await fetch(`${base}/${other}?token=${token}`)).status).toBe(400);
    expect((await fetch(`${base}/${path}`)).status).toBe(400);
    expect((await files.createSignedUrl(path, 0)).error).toMatchObject({ statusCode: '400' });
  });
});

describe('buckets', () => {
  it('lets the service role create, read, update and delete a bucket; users cannot', async () => {
    const admin = service();
    const id = `b-${randomUUID().slice(0, 8)}`;
    expect(
      (
        await admin.createBucket(id, {
          public: false,
          fileSizeLimit: '1MB',
          allowedMimeTypes: ['image/png'],
        })
      ).error,
    ).toBeNull();
    const got = await admin.getBucket(id);
    expect(got.data).toMatchObject({
      id,
      name: id,
      public: false,
      file_size_limit: 1024 * 1024,
      allowed_mime_types: ['image/png'],
    });
    expect((await admin.listBuckets()).data!.map((b) => b.id)).toContain(id);
    expect((await admin.updateBucket(id, { public: true })).error).toBeNull();
    expect((await admin.getBucket(id)).data?.public).toBe(true);

    const alice = user();
    expect((await alice.storage.createBucket(`x-${id}`)).error).toMatchObject({
      statusCode: '403',
    });
    expect((await alice.storage.listBuckets()).data).toEqual([]);
    expect((await alice.storage.getBucket(id)).error).toMatchObject({ statusCode: '404' });

    await admin.from(id).upload('a.png', Buffer.from('png'), { contentType: 'image/png' });
    expect((await admin.deleteBucket(id)).error).toMatchObject({ statusCode: '409' });
    expect((await admin.emptyBucket(id)).error).toBeNull();
    expect((await admin.deleteBucket(id)).error).toBeNull();
    expect((await admin.getBucket(id)).error).toMatchObject({ statusCode: '404' });
  });
});
