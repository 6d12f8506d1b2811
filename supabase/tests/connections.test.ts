// Settings → Connections (issue 12 §9, migration …007300): who reads and writes an
// organisation's connections, which hosts are accepted, and execute-http-request refusing a
// host that is not among the job's organisation's connections — then calling it once an owner
// has added it. The HTTP target is a server this file starts on 127.0.0.1, inside the test
// stack's ceiling (HTTP_REQUEST_ALLOWED_HOSTS=127.0.0.1,*.localhost).
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from './support/env.ts';
import { loopbackHttp, needs, orchestrator } from './support/needs.ts';
import { anonClient } from './support/users.ts';
import {
  createWorkflowOrganisation,
  FINAL_STATUSES,
  saveWorkflow,
  startJob,
  waitForJob,
} from './support/workflows.ts';

let t: Awaited<ReturnType<typeof createWorkflowOrganisation>>;

beforeAll(async () => {
  t = await createWorkflowOrganisation('connections');
}, 60_000);

afterAll(() => t?.fx.cleanup());

const hostsOf = async (organisationId: string) => {
  const { data, error } = await t.service
    .from('organisation_connections')
    .select('host')
    .eq('organisation_id', organisationId)
    .order('host');
  if (error) throw error;
  return data.map((row) => row.host);
};

describe('organisation_connections RLS', () => {
  let ownerRow = '';
  let otherRow = '';

  beforeAll(async () => {
    const owned = await t.owner.client
      .from('organisation_connections')
      .insert({ organisation_id: t.organisationId, host: 'api.crm.test', description: 'CRM' })
      .select('id')
      .single();
    if (owned.error) throw owned.error;
    ownerRow = owned.data.id;
    const other = await t.outsider.client
      .from('organisation_connections')
      .insert({ organisation_id: t.otherOrganisationId, host: 'secret-partner.test' })
      .select('id')
      .single();
    if (other.error) throw other.error;
    otherRow = other.data.id;
  });

  it('owner adds a connection, recorded as created by them', async () => {
    const { data } = await t.service
      .from('organisation_connections')
      .select('created_by')
      .eq('id', ownerRow)
      .single();
    expect(data?.created_by).toBe(t.owner.id);
  });

  it('admin adds a wildcard connection', async () => {
    const { error } = await t.admin.client
      .from('organisation_connections')
      .insert({ organisation_id: t.organisationId, host: '*.hooks.crm.test' });
    expect(error).toBeNull();
  });

  it('member cannot add a connection', async () => {
    const { error } = await t.member.client
      .from('organisation_connections')
      .insert({ organisation_id: t.organisationId, host: 'member.test' });
    expect(error?.code).toBe('42501');
    expect(await hostsOf(t.organisationId)).not.toContain('member.test');
  });

  it('outsider cannot add a connection to another organisation', async () => {
    const { error } = await t.outsider.client
      .from('organisation_connections')
      .insert({ organisation_id: t.organisationId, host: 'outsider.test' });
    expect(error?.code).toBe('42501');
    expect(await hostsOf(t.organisationId)).not.toContain('outsider.test');
  });

  it('anon can neither read nor add connections', async () => {
    const anon = anonClient();
    const read = await anon.from('organisation_connections').select('id');
    expect(read.error?.code).toBe('42501');
    const add = await anon
      .from('organisation_connections')
      .insert({ organisation_id: t.organisationId, host: 'anon.test' });
    expect(add.error?.code).toBe('42501');
  });

  it("members read their organisation's connections and none of another's", async () => {
    const { data, error } = await t.member.client
      .from('organisation_connections')
      .select('id, host');
    expect(error).toBeNull();
    const ids = (data ?? []).map((row) => row.id);
    expect(ids).toContain(ownerRow);
    expect(ids).not.toContain(otherRow);
    const outsider = await t.outsider.client
      .from('organisation_connections')
      .select('id')
      .eq('id', ownerRow);
    expect(outsider.data).toEqual([]);
  });

  it('nobody can edit a connection (remove it and add another)', async () => {
    const { error } = await t.owner.client
      .from('organisation_connections')
      .update({ host: 'changed.test' })
      .eq('id', ownerRow);
    expect(error?.code).toBe('42501');
  });

  it.each([
    ['a scheme', 'https://api.crm.test'],
    ['a port', 'api.crm.test:8443'],
    ['a path', 'api.crm.test/hooks'],
    ['upper case', 'API.crm.test'],
    ['a bare wildcard', '*'],
    ['a wildcard inside', 'api.*.test'],
    ['spaces', 'api crm.test'],
    ['an empty label', 'api..crm.test'],
  ])('a host with %s is refused', async (_what, host) => {
    const { error } = await t.owner.client
      .from('organisation_connections')
      .insert({ organisation_id: t.organisationId, host });
    expect(error?.code).toBe('23514');
  });

  it('the same host twice is refused', async () => {
    const { error } = await t.owner.client
      .from('organisation_connections')
      .insert({ organisation_id: t.organisationId, host: 'api.crm.test' });
    expect(error?.code).toBe('23505');
  });

  it('member and outsider cannot remove a connection; admin can', async () => {
    for (const who of [t.member, t.outsider]) {
      const { data } = await who.client
        .from('organisation_connections')
        .delete()
        .eq('id', ownerRow)
        .select('id');
      expect(data ?? []).toEqual([]);
    }
    expect(await hostsOf(t.organisationId)).toContain('api.crm.test');
    const { data, error } = await t.admin.client
      .from('organisation_connections')
      .delete()
      .eq('id', ownerRow)
      .select('id');
    expect(error).toBeNull();
    expect(data).toEqual([{ id: ownerRow }]);
  });

  it('an organisation has at most 100 connections', async () => {
    const fresh = await t.fx.organisation(t.outsider);
    const rows = Array.from({ length: 100 }, (_, i) => ({
      organisation_id: fresh,
      host: `h${i}.bulk.test`,
    }));
    const full = await t.outsider.client.from('organisation_connections').insert(rows);
    expect(full.error).toBeNull();
    const more = await t.outsider.client
      .from('organisation_connections')
      .insert({ organisation_id: fresh, host: 'one-too-many.test' });
    expect(more.error?.code).toBe('too_many_connections');
    expect((await hostsOf(fresh)).length).toBe(100);
  });
});

describe('execute-http-request and connections', needs(loopbackHttp), () => {
  let server: Server;
  let url = '';

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const call = async (organisationId?: string) => {
    const res = await fetch(`${env.url}/functions/v1/execute-http-request`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        Authorization: `Bearer ${env.serviceRoleKey}`,
      },
      body: JSON.stringify({
        job_id: randomUUID(),
        step_id: 'call',
        attempt: 1,
        input: { url },
        config: {},
        ...(organisationId ? { organisation_id: organisationId } : {}),
      }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, never> };
  };

  it("a call for an organisation is refused a host outside that organisation's connections", async () => {
    const fresh = await t.fx.organisation(t.outsider);
    const res = await call(fresh);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: {
        code: 'host_not_allowed',
        message:
          "127.0.0.1 is not one of this organisation's connections: add it in Settings → Connections",
        retryable: false,
      },
    });
  });

  it('a call without an organisation keeps the ceiling alone', async () => {
    const res = await call();
    expect(res.status).toBe(200);
  });

  describe('in a workflow', needs(orchestrator), () => {
    it('fails host_not_allowed, then succeeds once an owner adds the host', async () => {
      const workflow = await saveWorkflow(t.admin, {
        organisation_id: t.organisationId,
        definition: {
          start_step: 'notify',
          steps: {
            notify: {
              transformer_id: 'http-request',
              input_map: { url: '$.job_input.url' },
              next_step: null,
            },
          },
          output_map: { status: '$.notify.output.status' },
        },
        retry_policy: { max_retries: 2, base_ms: 100, cap_ms: 200 },
      });
      const refused = await startJob(t.admin, workflow.id, { url });
      const failed = await waitForJob(t.service, refused.job_id, (j) =>
        FINAL_STATUSES.includes(j.status),
      );
      expect(failed).toMatchObject({
        status: 'failed',
        error_code: 'host_not_allowed',
        retry_count: 0,
      });
      expect(failed.error_message).toContain('Settings → Connections');

      const added = await t.owner.client
        .from('organisation_connections')
        .insert({ organisation_id: t.organisationId, host: '127.0.0.1' });
      expect(added.error).toBeNull();
      const allowed = await startJob(t.admin, workflow.id, { url });
      const completed = await waitForJob(t.service, allowed.job_id, (j) =>
        FINAL_STATUSES.includes(j.status),
      );
      expect(completed).toMatchObject({ status: 'completed', final_result: { status: 200 } });
    });
  });
});
