// Limits on size and time (docs/security.md): statement timeouts for the API roles, caps
// on a template's steps and one bulk start, length limits on free text, transformer ids
// scoped per organisation, and authorship columns the API cannot write. Each case failed
// before its limit existed.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METADATA_MAX_BYTES, TEXT_LIMITS } from '../../packages/domain/src/text-limits.ts';
import {
  SEQUENCE_BULK_MAX_RESTAURANTS,
  SEQUENCE_BULK_MAX_TASKS,
  SEQUENCE_MAX_STEPS,
} from '../../packages/domain/src/sequence-template.ts';
import { env } from './support/env.ts';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';

const fx = createFixtures('limits');
const service = fx.service;

let db: pg.Client;
let ownerA: TestUser;
let ownerB: TestUser;
let organisationA: string;
let organisationB: string;

// A function only this file can reach: it sleeps, then answers the statement_timeout the
// request ran under. Made and dropped here; PostgREST sees it after a schema reload.
const PROBE = 'test_security_limits_probe';

beforeAll(async () => {
  db = new pg.Client({ connectionString: env.dbUrl });
  await db.connect();
  await db.query(`
    create or replace function public.${PROBE}(p_sleep double precision) returns text
    language plpgsql set search_path = '' as $$
    begin
      perform pg_sleep(p_sleep);
      return current_setting('statement_timeout');
    end;
    $$;
    grant execute on function public.${PROBE}(double precision) to anon, authenticated;
    notify pgrst, 'reload schema';
  `);
  ({ ownerA, ownerB } = await fx.users('ownerA', 'ownerB'));
  organisationA = await fx.organisation(ownerA);
  organisationB = await fx.organisation(ownerB);
  // Until PostgREST's schema cache has the probe.
  for (let i = 0; i < 100; i++) {
    const { error } = await anonClient().rpc(PROBE as never, { p_sleep: 0 } as never);
    if (!error) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

afterAll(async () => {
  await db?.query(
    `drop function if exists public.${PROBE}(double precision); notify pgrst, 'reload schema';`,
  );
  await db?.end();
  await fx.cleanup();
});

const probe = (client: TestUser['client'], sleepSeconds: number) =>
  client.rpc(PROBE as never, { p_sleep: sleepSeconds } as never) as unknown as Promise<{
    data: string | null;
    error: { code: string; message: string } | null;
  }>;

describe('statement timeouts', () => {
  it("anon's requests run under a 3 s statement timeout and a longer one is cancelled", async () => {
    expect((await probe(anonClient(), 0)).data).toBe('3s');
    const { error } = await probe(anonClient(), 3.5);
    expect(error?.code).toBe('57014');
  });

  it("a signed-in user's request that runs longer than 8 s is cancelled", async () => {
    expect((await probe(ownerA.client, 0)).data).toBe('8s');
    const { error } = await probe(ownerA.client, 8.5);
    expect(error?.code).toBe('57014');
  });
});

describe('caps on steps and bulk starts', () => {
  const stepList = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `Step ${i + 1}` }));

  it(`a sequence template with ${SEQUENCE_MAX_STEPS + 1} steps is a 400 and saves nothing`, async () => {
    const name = `Too long ${randomUUID().slice(0, 8)}`;
    const { error } = await ownerA.client.rpc('save_sequence_template', {
      p_template: { organisation_id: organisationA, name },
      p_steps: stepList(SEQUENCE_MAX_STEPS + 1),
    });
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe(
      `a sequence template has at most ${SEQUENCE_MAX_STEPS} steps (this has ${SEQUENCE_MAX_STEPS + 1})`,
    );
    const { count } = await service
      .from('sequence_templates')
      .select('id', { count: 'exact', head: true })
      .eq('name', name);
    expect(count).toBe(0);
  });

  it(`${SEQUENCE_MAX_STEPS} steps save, and a step past them inserted directly is refused`, async () => {
    const { data: template, error } = await ownerA.client.rpc('save_sequence_template', {
      p_template: { organisation_id: organisationA, name: `Full ${randomUUID().slice(0, 8)}` },
      p_steps: stepList(SEQUENCE_MAX_STEPS),
    });
    expect(error).toBeNull();
    const extra = await ownerA.client.from('sequence_steps').insert({
      organisation_id: organisationA,
      sequence_template_id: template!.id,
      step_order: SEQUENCE_MAX_STEPS + 1,
      name: 'One too many',
    });
    expect(extra.error?.code).toBe('23514');
  });

  it(`one bulk start makes at most ${SEQUENCE_BULK_MAX_TASKS} tasks (restaurants × steps)`, async () => {
    const name = `Bulk tasks ${randomUUID().slice(0, 8)}`;
    const { data: template } = await ownerA.client.rpc('save_sequence_template', {
      p_template: { organisation_id: organisationA, name },
      p_steps: stepList(SEQUENCE_MAX_STEPS),
    });
    const restaurants = SEQUENCE_BULK_MAX_TASKS / SEQUENCE_MAX_STEPS;
    const { error } = await ownerA.client.rpc('start_sequence_bulk', {
      p_template_id: template!.id,
      p_restaurant_ids: Array.from({ length: restaurants + 1 }, () => randomUUID()),
    });
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe(
      `one start makes at most ${SEQUENCE_BULK_MAX_TASKS} tasks: "${name}" has ${SEQUENCE_MAX_STEPS} steps, so start it for at most ${restaurants} restaurants at a time`,
    );
  });

  it(`one bulk start names at most ${SEQUENCE_BULK_MAX_RESTAURANTS} restaurants`, async () => {
    const { data: template } = await ownerA.client.rpc('save_sequence_template', {
      p_template: { organisation_id: organisationA, name: `Bulk ${randomUUID().slice(0, 8)}` },
      p_steps: stepList(1),
    });
    const { error } = await ownerA.client.rpc('start_sequence_bulk', {
      p_template_id: template!.id,
      p_restaurant_ids: Array.from({ length: SEQUENCE_BULK_MAX_RESTAURANTS + 1 }, () =>
        randomUUID(),
      ),
    });
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe('at most 500 restaurants at once');
  });
});

describe('length limits on text', () => {
  const restaurant = (values: Record<string, unknown>) =>
    ownerA.client
      .from('restaurants')
      .insert({ organisation_id: organisationA, name: 'Long Notes Bistro', ...values })
      .select('id')
      .single();

  it("a restaurant's notes take TEXT_LIMITS.body characters and no more", async () => {
    expect((await restaurant({ notes: 'n'.repeat(TEXT_LIMITS.body) })).error).toBeNull();
    const { error } = await restaurant({ notes: 'n'.repeat(TEXT_LIMITS.body + 1) });
    expect(error?.code).toBe('23514');
    expect(error?.message).toContain('restaurants_notes_length');
  });

  it("a restaurant's metadata takes at most METADATA_MAX_BYTES of JSON", async () => {
    const { error } = await restaurant({ metadata: { blob: 'm'.repeat(METADATA_MAX_BYTES) } });
    expect(error?.code).toBe('23514');
  });

  // The database and the forms' limits are one set of numbers (packages/domain).
  const limits: [table: string, column: string, limit: number][] = [
    ['restaurants', 'contact_name', TEXT_LIMITS.short],
    ['restaurants', 'contact_email', TEXT_LIMITS.email],
    ['restaurants', 'contact_phone', TEXT_LIMITS.phone],
    ['restaurants', 'website', TEXT_LIMITS.website],
    ['restaurants', 'address', TEXT_LIMITS.address],
    ['restaurants', 'city', TEXT_LIMITS.short],
    ['restaurants', 'cuisine', TEXT_LIMITS.short],
    ['restaurants', 'notes', TEXT_LIMITS.body],
    ['profiles', 'avatar_url', TEXT_LIMITS.url],
    ['message_templates', 'description', TEXT_LIMITS.description],
    ['message_templates', 'subject', TEXT_LIMITS.subject],
    ['message_templates', 'message_content', TEXT_LIMITS.body],
    ['task_templates', 'description', TEXT_LIMITS.description],
    ['task_templates', 'default_message', TEXT_LIMITS.body],
    ['sequence_templates', 'description', TEXT_LIMITS.description],
    ['sequence_steps', 'description', TEXT_LIMITS.description],
    ['sequence_steps', 'custom_message', TEXT_LIMITS.body],
    ['tasks', 'description', TEXT_LIMITS.description],
    ['tasks', 'subject', TEXT_LIMITS.subject],
    ['tasks', 'message', TEXT_LIMITS.renderedMessage],
    ['workflows', 'description', TEXT_LIMITS.description],
    ['transformers', 'description', TEXT_LIMITS.description],
  ];

  it.each(limits)('%s.%s is checked at %i characters', async (table, column, limit) => {
    const { rows } = await db.query<{ definition: string }>(
      `select pg_get_constraintdef(c.oid) as definition
         from pg_constraint as c
        where c.conrelid = $1::regclass and c.contype = 'c' and c.conname = $2`,
      [`public.${table}`, `${table}_${column}_length`],
    );
    expect(rows.map((r) => r.definition)).toEqual([`CHECK ((char_length(${column}) <= ${limit}))`]);
  });
});

describe('transformer ids are scoped per organisation', () => {
  const insertTransformer = (owner: TestUser, organisationId: string, id: string) =>
    owner.client.from('transformers').insert({
      id,
      organisation_id: organisationId,
      type: 'echo',
      description: `of ${organisationId}`,
      target_function: 'execute-echo',
    });

  it('two organisations may use the same id, and each sees only its own', async () => {
    const id = `shared-${randomUUID().slice(0, 8)}`;
    expect((await insertTransformer(ownerA, organisationA, id)).error).toBeNull();
    expect((await insertTransformer(ownerB, organisationB, id)).error).toBeNull();
    const { data } = await ownerB.client
      .from('transformers')
      .select('organisation_id')
      .eq('id', id);
    expect(data).toEqual([{ organisation_id: organisationB }]);
  });

  it('an id already used in the same organisation is a 409 that names nothing else', async () => {
    const id = `twice-${randomUUID().slice(0, 8)}`;
    expect((await insertTransformer(ownerA, organisationA, id)).error).toBeNull();
    const { error } = await insertTransformer(ownerA, organisationA, id);
    expect(error?.code).toBe('23505');
  });

  it("an organisation's transformer cannot take a built-in's id", async () => {
    const { error } = await insertTransformer(ownerA, organisationA, 'echo-transformer');
    expect(error?.code).toBe('23505');
    expect(error?.message).toBe("transformer id echo-transformer is a built-in's: choose another");
  });
});

describe('authorship columns', () => {
  const seeded = async () => {
    const { data, error } = await service
      .from('restaurants')
      .insert({ organisation_id: organisationA, name: 'Authored Bistro' })
      .select('id, created_by, created_at')
      .single();
    if (error) throw error;
    return data;
  };

  it('a member cannot backdate a restaurant they create', async () => {
    const { error } = await ownerA.client.from('restaurants').insert({
      organisation_id: organisationA,
      name: 'Backdated Bistro',
      created_at: '2000-01-01T00:00:00Z',
    });
    expect(error?.code).toBe('42501');
  });

  it.each([
    ['created_by', () => ({ created_by: ownerA.id })],
    ['created_at', () => ({ created_at: '2000-01-01T00:00:00Z' })],
  ] as const)("a member cannot change a restaurant's %s", async (_column, patch) => {
    const row = await seeded();
    const { error } = await ownerA.client.from('restaurants').update(patch()).eq('id', row.id);
    expect(error?.code).toBe('42501');
    const { data } = await service
      .from('restaurants')
      .select('created_by, created_at')
      .eq('id', row.id)
      .single();
    expect(data).toEqual({ created_by: row.created_by, created_at: row.created_at });
  });
});
