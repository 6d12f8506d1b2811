// import_restaurants and find_restaurant_duplicates (issue 13 §4; migration
// 20261122007700_restaurant_import.sql), as real users through PostgREST: per-row results,
// duplicates within the call and in the organisation, skip vs update, limits, and who may
// call them (another organisation's member: 404, nothing written; anon: 401).
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminDb } from './support/sequences.ts';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';

const fx = createFixtures('import');
const service = fx.service;

let owner: TestUser;
let member: TestUser;
let outsider: TestUser;
let organisationId: string;
let otherOrganisationId: string;
let db: pg.Client;

beforeAll(async () => {
  ({ owner, member, outsider } = await fx.users('owner', 'member', 'outsider'));
  organisationId = await fx.organisation(owner, { members: [member] });
  otherOrganisationId = await fx.organisation(outsider);
  db = await adminDb();
});

afterAll(async () => {
  await db?.query('delete from private.rate_limit_overrides where subject_id = $1', [
    organisationId,
  ]);
  await db?.end();
  await fx.cleanup();
});

type Result = { index: number; status: string; id?: string; reason?: string; same_as?: number };

async function importRows(as: TestUser, rows: unknown, onDuplicate = 'skip', org = organisationId) {
  const { data, error, status } = await as.client.rpc('import_restaurants', {
    p_organisation_id: org,
    p_rows: rows as never,
    p_on_duplicate: onDuplicate,
  });
  return { results: data as Result[] | null, error, status };
}

async function countNamed(prefix: string, org = organisationId) {
  const { count, error } = await service
    .from('restaurants')
    .select('id', { count: 'exact', head: true })
    .eq('organisation_id', org)
    .like('name', `${prefix}%`);
  if (error) throw new Error(error.message);
  return count ?? 0;
}

describe('import_restaurants', () => {
  it('creates valid rows and reports each row, failing bad ones alone', async () => {
    const { results, error } = await importRows(member, [
      {
        name: 'Imp Alpha',
        city: 'Leeds',
        contact_email: 'alpha@imp.test',
        lead_stage: 'qualified',
      },
      { name: '' },
      { name: 'Imp Bad Email', contact_email: 'nope' },
      { name: 'Imp Bad Stage', lead_stage: 'sold' },
      { name: 'Imp Bad Rep', assigned_sales_rep: outsider.id },
      { name: 'Imp Rep', assigned_sales_rep: owner.id, lead_warmth: 'hot' },
      'not an object',
      { name: 'x'.repeat(201) },
    ]);
    expect(error).toBeNull();
    expect(results?.map((r) => [r.index, r.status, r.reason ?? null])).toEqual([
      [0, 'created', null],
      [1, 'failed', 'name is required'],
      [2, 'failed', 'email is not an email address'],
      [3, 'failed', 'stage sold is not a lead stage'],
      [4, 'failed', 'the rep is not a member of this organisation'],
      [5, 'created', null],
      [6, 'failed', 'the row is not an object'],
      [7, 'failed', 'name is longer than 200 characters'],
    ]);
    const { data: created } = await service
      .from('restaurants')
      .select('id, name, lead_stage, lead_warmth, assigned_sales_rep, created_by')
      .in('id', [results![0]!.id!, results![5]!.id!])
      .order('name');
    expect(created).toEqual([
      expect.objectContaining({
        name: 'Imp Alpha',
        lead_stage: 'qualified',
        created_by: member.id,
      }),
      expect.objectContaining({
        name: 'Imp Rep',
        lead_warmth: 'hot',
        assigned_sales_rep: owner.id,
      }),
    ]);
  });

  it('skips rows repeating an earlier row of the call, by email or by name and city (case folded)', async () => {
    const { results } = await importRows(member, [
      { name: 'Imp Twin', city: 'York', contact_email: 'twin@imp.test' },
      { name: 'IMP TWIN', city: 'york' },
      { name: 'Imp Other', contact_email: 'TWIN@imp.test' },
      { name: 'Imp Twin', city: 'Hull' },
    ]);
    expect(results?.map((r) => [r.status, r.same_as ?? null])).toEqual([
      ['created', null],
      ['skipped', 0],
      ['skipped', 0],
      ['created', null],
    ]);
    expect(await countNamed('Imp Twin')).toBe(2);
  });

  it('skips duplicates of existing restaurants by default, naming the one it matched', async () => {
    const { data: existing } = await service
      .from('restaurants')
      .insert({
        organisation_id: organisationId,
        name: 'Imp Existing',
        city: 'Bath',
        contact_email: 'ex@imp.test',
        notes: 'keep',
      })
      .select('id')
      .single();
    const { results } = await importRows(member, [
      { name: 'Imp Renamed', contact_email: 'EX@imp.test', notes: 'new' },
      { name: 'imp existing', city: 'BATH' },
    ]);
    expect(results).toEqual([
      {
        index: 0,
        status: 'skipped',
        id: existing!.id,
        reason: 'a restaurant with this email already exists',
      },
      {
        index: 1,
        status: 'skipped',
        reason: 'repeats an earlier row of this import',
        same_as: 0,
      },
    ]);
    const { data: after } = await service
      .from('restaurants')
      .select('name, notes')
      .eq('id', existing!.id)
      .single();
    expect(after).toEqual({ name: 'Imp Existing', notes: 'keep' });
  });

  it('updates duplicates with the non-empty values when asked, leaving the rest', async () => {
    const { data: existing } = await service
      .from('restaurants')
      .insert({
        organisation_id: organisationId,
        name: 'Imp Update Me',
        city: 'Derby',
        cuisine: 'Thai',
        lead_stage: 'contacted',
      })
      .select('id')
      .single();
    const { results } = await importRows(
      member,
      [
        {
          name: 'imp update me',
          city: 'derby',
          cuisine: '',
          contact_phone: '0113 496 0000',
          lead_stage: 'won',
        },
      ],
      'update',
    );
    expect(results).toEqual([{ index: 0, status: 'updated', id: existing!.id }]);
    const { data: after } = await service
      .from('restaurants')
      .select('cuisine, contact_phone, lead_stage')
      .eq('id', existing!.id)
      .single();
    expect(after).toEqual({ cuisine: 'Thai', contact_phone: '0113 496 0000', lead_stage: 'won' });
  });

  it('never matches a trashed restaurant', async () => {
    const { data: trashed } = await service
      .from('restaurants')
      .insert({
        organisation_id: organisationId,
        name: 'Imp Trashed',
        contact_email: 'gone@imp.test',
        deleted_at: new Date().toISOString(),
      })
      .select('id')
      .single();
    const { results } = await importRows(member, [
      { name: 'Imp Back', contact_email: 'gone@imp.test' },
    ]);
    expect(results?.[0]?.status).toBe('created');
    expect(results?.[0]?.id).not.toBe(trashed!.id);
  });

  it.each([
    ['p_on_duplicate other than skip/update', [{ name: 'Imp X' }], 'merge', 400, 'invalid_input'],
    ['p_rows not an array', { name: 'Imp X' }, 'skip', 400, 'invalid_input'],
    [
      'more than 1,000 rows',
      Array.from({ length: 1001 }, (_, i) => ({ name: `Imp Many ${i}` })),
      'skip',
      413,
      'too_many_rows',
    ],
  ])('refuses %s and writes nothing', async (_title, rows, onDuplicate, status, code) => {
    const before = await countNamed('Imp X');
    const many = await countNamed('Imp Many');
    const answer = await importRows(member, rows, onDuplicate as string);
    expect(answer.status).toBe(status);
    expect(answer.error?.code).toBe(code);
    expect(await countNamed('Imp X')).toBe(before);
    expect(await countNamed('Imp Many')).toBe(many);
  });

  it("another organisation's member gets 404 and nothing is written", async () => {
    const answer = await importRows(outsider, [{ name: 'Imp Intruder' }]);
    expect(answer.status).toBe(404);
    expect(answer.error?.code).toBe('organisation_not_found');
    expect(await countNamed('Imp Intruder')).toBe(0);
    // …while importing into their own organisation works.
    const own = await importRows(outsider, [{ name: 'Imp Intruder' }], 'skip', otherOrganisationId);
    expect(own.results?.[0]?.status).toBe('created');
    expect(await countNamed('Imp Intruder')).toBe(0);
    expect(await countNamed('Imp Intruder', otherOrganisationId)).toBe(1);
  });

  it('anon gets 401 and nothing is written', async () => {
    const { status } = await anonClient().rpc('import_restaurants', {
      p_organisation_id: organisationId,
      p_rows: [{ name: 'Imp Anon' }],
      p_on_duplicate: 'skip',
    });
    expect(status).toBe(401);
    expect(await countNamed('Imp Anon')).toBe(0);
  });

  it('an organisation past its import limit gets 429 with Retry-After, and nothing is written', async () => {
    await db.query(
      `insert into private.rate_limit_overrides (scope, subject_id, capacity, refill_per_second)
       values ('restaurant_import', $1, 1, 0.001)
       on conflict (scope, subject_id) do update set capacity = 1, refill_per_second = 0.001`,
      [organisationId],
    );
    await db.query(
      `update private.rate_limit_buckets set tokens = 1, refilled_at = now()
       where scope = 'restaurant_import' and subject_id = $1`,
      [organisationId],
    );
    const first = await importRows(member, [{ name: 'Imp Limited 1' }]);
    expect(first.results?.[0]?.status).toBe('created');
    const second = await importRows(member, [{ name: 'Imp Limited 2' }]);
    expect(second.status).toBe(429);
    expect(second.error?.code).toBe('rate_limited');
    expect(await countNamed('Imp Limited 2')).toBe(0);
    await db.query('delete from private.rate_limit_overrides where subject_id = $1', [
      organisationId,
    ]);
    await db.query(
      `delete from private.rate_limit_buckets where scope = 'restaurant_import' and subject_id = $1`,
      [organisationId],
    );
  });
});

describe('find_restaurant_duplicates', () => {
  it('names the restaurant each row duplicates, by email first', async () => {
    const { data: existing } = await service
      .from('restaurants')
      .insert({
        organisation_id: organisationId,
        name: 'Imp Find',
        city: 'Ely',
        contact_email: 'find@imp.test',
      })
      .select('id')
      .single();
    const { data, error } = await member.client.rpc('find_restaurant_duplicates', {
      p_organisation_id: organisationId,
      p_rows: [
        { name: 'imp find', city: 'ELY' },
        { name: 'Imp Find', city: 'Cambridge' },
        { name: 'Someone', contact_email: 'Find@Imp.test' },
      ],
    });
    expect(error).toBeNull();
    expect(data).toEqual([
      { index: 0, id: existing!.id, name: 'Imp Find', city: 'Ely', match: 'name_city' },
      { index: 2, id: existing!.id, name: 'Imp Find', city: 'Ely', match: 'email' },
    ]);
  });

  it("another organisation's member gets 404; anon gets 401", async () => {
    const rows = [{ name: 'Imp Find', city: 'Ely' }];
    const outside = await outsider.client.rpc('find_restaurant_duplicates', {
      p_organisation_id: organisationId,
      p_rows: rows,
    });
    expect(outside.status).toBe(404);
    expect(outside.data).toBeNull();
    const anon = await anonClient().rpc('find_restaurant_duplicates', {
      p_organisation_id: organisationId,
      p_rows: rows,
    });
    expect(anon.status).toBe(401);
  });
});
