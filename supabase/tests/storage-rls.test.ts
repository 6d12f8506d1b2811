import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_FILES_BUCKET, workflowFilePath } from '@forkflow/domain/file-ref';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';

// The workflow-files bucket's policies (migration 20261122006800) through the stack's Storage
// server as real signed-in users: members of the organisation named by a path's first folder
// list, read, sign and upload; the uploader or the organisation's owners/admins overwrite and
// delete; another organisation and anon nothing. Every refusal is re-checked with the service
// role: the object is still there, with its bytes.

const fx = createFixtures('storage-rls');
let owner: TestUser;
let admin: TestUser;
let member: TestUser;
let colleague: TestUser;
let outsider: TestUser;
let orgId: string;
let otherOrgId: string;

const files = (who: TestUser) => who.client.storage.from(WORKFLOW_FILES_BUCKET);
const serviceFiles = () => fx.service.storage.from(WORKFLOW_FILES_BUCKET);
const newPath = (organisationId: string, name = 'call.mp3') =>
  workflowFilePath(organisationId, randomUUID(), name);
const created: string[] = [];

async function put(who: TestUser, path: string, text = 'ID3 audio', upsert = false) {
  const result = await files(who).upload(path, Buffer.from(text), {
    contentType: 'audio/mpeg',
    upsert,
  });
  if (!result.error) created.push(path);
  return result;
}

async function bytes(path: string): Promise<string | null> {
  const { data } = await serviceFiles().download(path);
  return data ? data.text() : null;
}

beforeAll(async () => {
  ({ owner, admin, member, colleague, outsider } = await fx.users(
    'owner',
    'admin',
    'member',
    'colleague',
    'outsider',
  ));
  orgId = await fx.organisation(owner, { admins: [admin], members: [member, colleague] });
  otherOrgId = await fx.organisation(outsider);
});

afterAll(async () => {
  if (created.length > 0) await serviceFiles().remove(created);
  await fx.cleanup();
});

describe('workflow-files bucket', () => {
  it('is private, 50 MB, with the listed types', async () => {
    const { data, error } = await fx.service.storage.getBucket(WORKFLOW_FILES_BUCKET);
    expect(error).toBeNull();
    expect(data).toMatchObject({
      public: false,
      file_size_limit: 52428800,
      allowed_mime_types: expect.arrayContaining(['audio/*', 'application/pdf', 'text/csv']),
    });
  });

  it('lets a member upload into their organisation, and colleagues list, read and sign it', async () => {
    const path = newPath(orgId);
    expect((await put(member, path)).error).toBeNull();
    const folder = path.split('/').slice(0, 2).join('/');
    for (const who of [member, colleague, admin, owner]) {
      const listed = await files(who).list(folder);
      expect(listed.data?.map((f) => f.name)).toEqual(['call.mp3']);
      expect(await (await files(who).download(path)).data?.text()).toBe('ID3 audio');
      const signed = await files(who).createSignedUrl(path, 60);
      expect(signed.error).toBeNull();
      expect(await (await fetch(signed.data!.signedUrl)).text()).toBe('ID3 audio');
    }
  });

  it('hides one organisation’s files from another: not listed, read, signed, overwritten or deleted', async () => {
    const path = newPath(orgId);
    await put(member, path, 'private');
    const folder = path.split('/').slice(0, 2).join('/');
    expect((await files(outsider).list(folder)).data).toEqual([]);
    expect((await files(outsider).list(orgId)).data).toEqual([]);
    expect((await files(outsider).download(path)).error).toMatchObject({ statusCode: '404' });
    expect((await files(outsider).createSignedUrl(path, 60)).error).not.toBeNull();
    const batch = await files(outsider).createSignedUrls([path], 60);
    expect(batch.data?.[0]?.signedUrl ?? null).toBeNull();
    expect((await put(outsider, path, 'overwritten', true)).error).not.toBeNull();
    expect((await files(outsider).update(path, Buffer.from('x'))).error).not.toBeNull();
    expect((await files(outsider).remove([path])).data).toEqual([]);
    expect(await bytes(path)).toBe('private');
  });

  it('refuses an upload into an organisation the caller is not in, or off the path shape', async () => {
    for (const path of [
      newPath(otherOrgId), // another organisation
      `${orgId}/call.mp3`, // no <uuid> folder
      `${orgId}/${randomUUID()}/deeper/call.mp3`, // too deep
      `not-a-uuid/${randomUUID()}/call.mp3`, // the first folder is text, compared as text
    ]) {
      expect((await put(member, path)).error, path).toMatchObject({ statusCode: '403' });
      expect(await bytes(path)).toBeNull();
    }
    expect((await put(outsider, newPath(otherOrgId))).error).toBeNull();
  });

  it('lets the uploader or an owner/admin overwrite and delete; not another member', async () => {
    const path = newPath(orgId);
    await put(member, path, 'v1');

    expect((await put(colleague, path, 'by colleague', true)).error).not.toBeNull();
    expect((await files(colleague).remove([path])).data).toEqual([]);
    expect(await bytes(path)).toBe('v1');

    expect((await put(member, path, 'v2', true)).error).toBeNull();
    expect(await bytes(path)).toBe('v2');
    expect((await put(admin, path, 'v3', true)).error).toBeNull();
    expect(await bytes(path)).toBe('v3');
    // The admin's overwrite made the admin the uploader: the member can no longer delete it.
    expect((await files(member).remove([path])).data).toEqual([]);
    expect((await files(owner).remove([path])).data?.map((f) => f.name)).toEqual([path]);
    expect(await bytes(path)).toBeNull();

    const own = newPath(orgId);
    await put(member, own);
    expect((await files(member).remove([own])).data?.map((f) => f.name)).toEqual([own]);
  });

  it('gives anon nothing', async () => {
    const path = newPath(orgId);
    await put(member, path, 'secret');
    const anon = anonClient().storage.from(WORKFLOW_FILES_BUCKET);
    expect((await anon.list(orgId)).data ?? []).toEqual([]);
    expect((await anon.download(path)).error).not.toBeNull();
    expect((await anon.createSignedUrl(path, 60)).error).not.toBeNull();
    expect(
      (await anon.upload(newPath(orgId), Buffer.from('x'), { contentType: 'audio/mpeg' })).error,
    ).not.toBeNull();
    expect((await anon.remove([path])).data ?? []).toEqual([]);
    expect(await bytes(path)).toBe('secret');
  });

  it('refuses a type outside the bucket’s list', async () => {
    const { error } = await files(member).upload(newPath(orgId, 'page.html'), '<p>', {
      contentType: 'text/html',
    });
    expect(error).toMatchObject({ statusCode: '415' });
  });
});
