import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from './support/env.ts';
import { adminDb } from './support/sequences.ts';
import { anonClient, createFixtures, type TestUser } from './support/users.ts';

// The restaurant list at scale (issue 13 §6; migration 20261122007900_restaurant_list_scale.sql),
// as real users through PostgREST: list_restaurants (security definer, so it must keep other
// organisations and the trash out itself), its capped count, the indexes it is meant to use,
// and saved_views' RLS for every verb across users and organisations.

const fx = createFixtures('restaurant-list-scale');

let rep: TestUser;
let colleague: TestUser;
let outsider: TestUser;
let organisationId: string;
let otherOrganisationId: string;
/** An organisation past the count threshold (1,000): 1,200 restaurants. */
let bigOrganisationId: string;
/**
 * A word clustered late in name order, as the bench's "Pizza …" (…008200): 1,200 "Aaa …"
 * first (two of them match "pizza" through their city), then 300 "Pasta …" and 1,100
 * "Pizza …" with every name twice or three times (ties broken by id), and trashed pizzas.
 */
let clusterOrganisationId: string;
let db: pg.Client;

type ListArgs = {
  search?: string;
  stage?: string;
  warmth?: string;
  rep?: string;
  unassigned?: boolean;
  sort?: string;
  offset?: number;
  limit?: number;
};
type ListResult = {
  rows: { id: string; name: string; organisation_id: string }[];
  total: number;
  estimated: boolean;
};

async function list(client: Client, args: ListArgs = {}, organisation = organisationId) {
  const answer = await client.rpc('list_restaurants', {
    p_organisation_id: organisation,
    ...(args.search === undefined ? {} : { p_search: args.search }),
    ...(args.stage === undefined ? {} : { p_stage: args.stage }),
    ...(args.warmth === undefined ? {} : { p_warmth: args.warmth }),
    ...(args.rep === undefined ? {} : { p_rep: args.rep }),
    ...(args.unassigned === undefined ? {} : { p_unassigned: args.unassigned }),
    ...(args.sort === undefined ? {} : { p_sort: args.sort }),
    ...(args.offset === undefined ? {} : { p_offset: args.offset }),
    ...(args.limit === undefined ? {} : { p_limit: args.limit }),
  });
  return { ...answer, data: answer.data as unknown as ListResult | null };
}

const names = (result: { data: ListResult | null }) => result.data?.rows.map((row) => row.name);

async function seed(organisation: string, rows: Record<string, unknown>[]): Promise<void> {
  await db.query(
    `insert into public.restaurants (organisation_id, name, city, lead_stage, lead_warmth, assigned_sales_rep, updated_at, deleted_at)
     select $1, r.name, r.city, coalesce(r.stage, 'new'), coalesce(r.warmth, 'cold'), r.rep, coalesce(r.updated_at, now()), r.deleted_at
     from jsonb_to_recordset($2::jsonb) as r(name text, city text, stage text, warmth text, rep uuid, updated_at timestamptz, deleted_at timestamptz)`,
    [organisation, JSON.stringify(rows)],
  );
}

beforeAll(async () => {
  db = await adminDb();
  ({ rep, colleague, outsider } = await fx.users('rep', 'colleague', 'outsider'));
  organisationId = await fx.organisation(rep, { members: [colleague] });
  otherOrganisationId = await fx.organisation(outsider);
  bigOrganisationId = await fx.organisation(rep);
  await seed(organisationId, [
    {
      name: 'Saffron House',
      city: 'Leeds',
      stage: 'contacted',
      warmth: 'hot',
      rep: rep.id,
      updated_at: '2026-06-01T10:00:00Z',
    },
    {
      name: 'Basil Corner',
      city: 'York',
      stage: 'new',
      warmth: 'warm',
      rep: colleague.id,
      updated_at: '2026-06-02T10:00:00Z',
    },
    {
      name: 'Apple Tree',
      city: 'Leeds',
      stage: 'contacted',
      warmth: 'cold',
      rep: null,
      updated_at: '2026-06-03T10:00:00Z',
    },
    {
      name: 'Saffron Trashed',
      city: 'Leeds',
      stage: 'new',
      warmth: 'hot',
      rep: rep.id,
      updated_at: '2026-06-04T10:00:00Z',
      deleted_at: '2026-06-05T10:00:00Z',
    },
  ]);
  await seed(otherOrganisationId, [{ name: 'Saffron Elsewhere', city: 'Leeds', stage: 'new' }]);
  await db.query(
    `insert into public.restaurants (organisation_id, name, lead_stage, updated_at)
     select $1, 'Bulk ' || lpad(i::text, 4, '0') || case when i = 7 then ' quince' else '' end,
            case when i % 3 = 0 then 'won' else 'new' end, timestamptz '2026-01-01' + i * interval '1 minute'
     from generate_series(1, 1200) as i`,
    [bigOrganisationId],
  );
  clusterOrganisationId = await fx.organisation(rep);
  await db.query(
    `insert into public.restaurants (organisation_id, name, city, updated_at, deleted_at)
     select $1, name, city, updated_at, deleted_at from (
       select 'Aaa ' || lpad(i::text, 4, '0') as name,
              case when i in (600, 1150) then 'Pizzaville' else 'Leeds' end as city,
              timestamptz '2026-05-01' + i * interval '1 minute' as updated_at, null::timestamptz as deleted_at
       from generate_series(1, 1200) as i
       union all
       select 'Pasta ' || lpad(i::text, 3, '0'), 'York', timestamptz '2026-02-01' + i * interval '1 minute', null
       from generate_series(1, 300) as i
       union all
       select 'Pizza ' || lpad((i % 500)::text, 3, '0'), 'York',
              timestamptz '2026-03-01' + (i % 7) * interval '1 minute', null
       from generate_series(1, 1100) as i
       union all
       select 'Pizza 000', 'York', timestamptz '2026-04-01', timestamptz '2026-04-02'
       from generate_series(1, 5) as i
     ) as rows`,
    [clusterOrganisationId],
  );
  // Two notes whose words share their first 400 characters, the part the organisation's GIN
  // keys keep (…008200): a search for the longer one must still find only it.
  await db.query(
    `insert into public.restaurants (organisation_id, name, notes)
     values ($1, 'Zed Long', 'pizza' || repeat('x', 445)), ($1, 'Zed Longer', 'pizza' || repeat('x', 440) || 'yyyyy')`,
    [clusterOrganisationId],
  );
  await seed(otherOrganisationId, [
    { name: 'Pizza 000', city: 'Leeds' },
    { name: 'Aaa Pizza', city: 'Leeds' },
  ]);
  await db.query('analyze public.restaurants');
});

afterAll(async () => {
  await db.query('delete from public.restaurants where organisation_id = any ($1)', [
    [organisationId, otherOrganisationId, bigOrganisationId, clusterOrganisationId],
  ]);
  await db.end();
  await fx.cleanup();
});

describe('list_restaurants', () => {
  it('lists the organisation newest first, never the trash or another organisation', async () => {
    const result = await list(rep.client);
    expect(result.error).toBeNull();
    expect(names(result)).toEqual(['Apple Tree', 'Basil Corner', 'Saffron House']);
    expect(result.data?.total).toBe(3);
    expect(result.data?.estimated).toBe(false);
    expect(new Set(result.data?.rows.map((row) => row.organisation_id))).toEqual(
      new Set([organisationId]),
    );
  });

  it('searches by word prefix in the caller’s organisation only, never the trash', async () => {
    const result = await list(rep.client, { search: 'saff' });
    expect(names(result)).toEqual(['Saffron House']);
    expect(result.data?.total).toBe(1);
    // Tsquery operators in the input are not syntax errors: only words survive.
    const odd = await list(rep.client, { search: "saffron & ! | ( ' leeds" });
    expect(odd.error).toBeNull();
    expect(names(odd)).toEqual(['Saffron House']);
    const theirs = await list(outsider.client, { search: 'saffron' }, otherOrganisationId);
    expect(names(theirs)).toEqual(['Saffron Elsewhere']);
  });

  it('filters by stage, warmth, rep and unassigned, and sorts by name', async () => {
    expect(names(await list(rep.client, { stage: 'contacted', sort: 'name' }))).toEqual([
      'Apple Tree',
      'Saffron House',
    ]);
    expect(names(await list(rep.client, { warmth: 'warm' }))).toEqual(['Basil Corner']);
    expect(names(await list(rep.client, { rep: colleague.id }))).toEqual(['Basil Corner']);
    expect(names(await list(rep.client, { unassigned: true }))).toEqual(['Apple Tree']);
    expect(names(await list(colleague.client, { sort: 'name', limit: 2, offset: 1 }))).toEqual([
      'Basil Corner',
      'Saffron House',
    ]);
  });

  it('answers 404 to a non-member and nothing to a visitor', async () => {
    const outside = await list(outsider.client);
    expect(outside.status).toBe(404);
    expect(outside.error?.code).toBe('organisation_not_found');
    expect(outside.data).toBeNull();
    const visitor = await list(anonClient());
    expect(visitor.data).toBeNull();
    expect(visitor.error).not.toBeNull();
  });

  it('answers bad input with a 400 and its code', async () => {
    for (const [args, code] of [
      [{ sort: 'price' }, 'invalid_sort'],
      [{ limit: 0 }, 'invalid_limit'],
      [{ limit: 101 }, 'invalid_limit'],
      [{ offset: -1 }, 'invalid_offset'],
      [{ stage: 'maybe' }, 'invalid_stage'],
      [{ warmth: 'tepid' }, 'invalid_warmth'],
    ] as const) {
      const result = await list(rep.client, args);
      expect(result.status, code).toBe(400);
      expect(result.error?.code).toBe(code);
    }
  });

  it('counts exactly up to 1,000 and estimates past it, saying so', async () => {
    const big = await list(rep.client, {}, bigOrganisationId);
    expect(big.data?.estimated).toBe(true);
    expect(big.data?.total).toBeGreaterThan(1000);
    expect(big.data?.rows).toHaveLength(20);
    expect(big.data?.rows[0]?.name).toBe('Bulk 1200');
    const won = await list(rep.client, { stage: 'won' }, bigOrganisationId);
    expect(won.data).toMatchObject({ total: 400, estimated: false });
    // A word in every row: the total is extrapolated from the rows probed, and says so.
    const common = await list(rep.client, { search: 'bulk' }, bigOrganisationId);
    expect(common.data?.estimated).toBe(true);
    expect(common.data?.total).toBeGreaterThan(1000);
    expect(common.data?.rows[0]?.name).toBe('Bulk 1200');
    const commonByName = await list(
      rep.client,
      { search: 'bulk', sort: 'name' },
      bigOrganisationId,
    );
    expect(commonByName.data?.rows[0]?.name).toBe('Bulk 0001');
    const rare = await list(rep.client, { search: 'quince' }, bigOrganisationId);
    expect(rare.data).toMatchObject({ total: 1, estimated: false });
    expect(names(rare)).toEqual(['Bulk 0007 quince']);
  });

  it('reads through the indexes that fit: the organisation’s GIN keys for a rare word, the name index for a page', async () => {
    await db.query('begin');
    try {
      // Hide the sequential scan so the test is about whether an index fits, not about
      // this small table's costs.
      await db.query('set local enable_seqscan = off');
      const plan = async (sql: string): Promise<string> =>
        (await db.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, [bigOrganisationId])).rows
          .map((row) => row['QUERY PLAN'])
          .join('\n');
      // The GIN path's predicate (…008200): the organisation's own keys in the GIN index,
      // the other filters as a boolean test no btree takes.
      expect(
        await plan(
          `select 1 from public.restaurants as r where r.deleted_at is null
           and (r.organisation_id = $1) is true
           and private.organisation_search(r.organisation_id, r.search)
               @@ (quote_literal(private.organisation_search_tag($1) || 'quince') || ':*')::tsquery
           and ts_match_vq(r.search, to_tsquery('simple'::regconfig, 'quince:*'))`,
        ),
      ).toMatch(/Bitmap Index Scan on restaurants_list_organisation_search_idx/);
      const byName = await plan(
        `select r.id from public.restaurants as r where r.organisation_id = $1 and r.deleted_at is null
         order by r.name, r.id limit 20`,
      );
      expect(byName).toContain('restaurants_list_name_idx');
      expect(byName).not.toContain('Sort');
      const byUpdated = await plan(
        `select r.id from public.restaurants as r where r.organisation_id = $1 and r.deleted_at is null
         order by r.updated_at desc, r.id desc limit 20`,
      );
      expect(byUpdated).toContain('restaurants_list_updated_idx');
      expect(byUpdated).not.toContain('Sort');
    } finally {
      await db.query('rollback');
    }
  });
});

describe('list_restaurants: a word clustered late in name order', () => {
  /** The same page as a plain ORDER BY over every match (admin, no function involved). */
  async function expected(word: string, sort: 'name' | 'updated', offset: number, limit: number) {
    const order = sort === 'name' ? 'name, id' : 'updated_at desc, id desc';
    const { rows } = await db.query<{ id: string; name: string }>(
      `select id, name from public.restaurants
       where organisation_id = $1 and deleted_at is null
         and search @@ to_tsquery('simple'::regconfig, $2)
       order by ${order} offset $3 limit $4`,
      [clusterOrganisationId, `${word}:*`, offset, limit],
    );
    return rows;
  }

  it('pages a clustered common word in the same order as ORDER BY over all matches, ties included', async () => {
    for (const sort of ['name', 'updated'] as const) {
      for (const [offset, limit] of [
        [0, 20],
        [20, 20],
        [0, 100],
        [980, 20],
        [995, 20],
        [1090, 20],
        [1200, 20],
      ] as const) {
        const result = await list(
          rep.client,
          { search: 'pizza', sort, offset, limit },
          clusterOrganisationId,
        );
        expect(result.error, `${sort} ${offset}`).toBeNull();
        const page = result.data!.rows.map((row) => ({ id: row.id, name: row.name }));
        expect(page, `${sort} ${offset}`).toEqual(await expected('pizza', sort, offset, limit));
        expect(new Set(result.data!.rows.map((row) => row.organisation_id))).not.toContain(
          otherOrganisationId,
        );
      }
    }
    // The matches through the city sort first: the page must not start at the cluster.
    expect(
      names(
        await list(rep.client, { search: 'pizza', sort: 'name', limit: 3 }, clusterOrganisationId),
      ),
    ).toEqual(['Aaa 0600', 'Aaa 1150', 'Pizza 000']);
  });

  it('counts a clustered word exactly up to 1,000 and estimates past it', async () => {
    const pasta = await list(rep.client, { search: 'pasta', sort: 'name' }, clusterOrganisationId);
    expect(pasta.data).toMatchObject({ total: 300, estimated: false });
    expect(names(pasta)?.[0]).toBe('Pasta 001');
    const pizza = await list(rep.client, { search: 'pizza', sort: 'name' }, clusterOrganisationId);
    expect(pizza.data?.estimated).toBe(true);
    expect(pizza.data?.total).toBeGreaterThan(1000);
    // 1,100 pizzas, 2 in Pizzaville and 2 in the notes: the last page knows the exact total.
    const last = await list(
      rep.client,
      { search: 'pizza', sort: 'name', offset: 1090 },
      clusterOrganisationId,
    );
    expect(last.data).toMatchObject({ total: 1104, estimated: false });
    expect(last.data?.rows).toHaveLength(14);
    const beyond = await list(
      rep.client,
      { search: 'pizza', sort: 'name', offset: 1200 },
      clusterOrganisationId,
    );
    expect(beyond.data).toMatchObject({ rows: [], total: 1104, estimated: false });
    const long = await list(
      rep.client,
      { search: `pizza${'x'.repeat(445)}`, sort: 'name' },
      clusterOrganisationId,
    );
    expect(long.data).toMatchObject({ total: 1, estimated: false });
    expect(names(long)).toEqual(['Zed Long']);
  });

  it('shows another organisation none of it, and the owner of the other none of theirs', async () => {
    const outside = await list(
      outsider.client,
      { search: 'pizza', sort: 'name' },
      clusterOrganisationId,
    );
    expect(outside.status).toBe(404);
    expect(outside.data).toBeNull();
    const theirs = await list(
      outsider.client,
      { search: 'pizza', sort: 'name' },
      otherOrganisationId,
    );
    expect(names(theirs)).toEqual(['Aaa Pizza', 'Pizza 000']);
  });

  /**
   * The index scans one list_restaurants call makes, as the rep, on restaurants' GIN indexes
   * and the search terms' index. The backend's counters are not only this transaction's
   * (they hold whatever it has not flushed yet), so they are compared before and after.
   */
  async function indexScans(
    search: string,
  ): Promise<{ first?: string; scans: Record<string, number> }> {
    const count = async (): Promise<Record<string, number>> => {
      const { rows } = await db.query<{ index: string; scans: number }>(
        `select c.relname as index, pg_catalog.pg_stat_get_xact_numscans(c.oid)::int as scans
         from pg_catalog.pg_index as i
         join pg_catalog.pg_class as c on c.oid = i.indexrelid
         join pg_catalog.pg_am as am on am.oid = c.relam
         where (i.indrelid = 'public.restaurants'::regclass and am.amname = 'gin')
            or i.indrelid = 'private.restaurant_search_terms'::regclass`,
      );
      return Object.fromEntries(rows.map((row) => [row.index, row.scans]));
    };
    await db.query('begin');
    try {
      const before = await count();
      await db.query('set local role authenticated');
      await db.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: rep.id, role: 'authenticated' }),
      ]);
      const { rows } = await db.query<{ page: ListResult }>(
        `select public.list_restaurants($1, p_search => $2, p_sort => 'name') as page`,
        [clusterOrganisationId, search],
      );
      await db.query('reset role');
      const after = await count();
      const scans = Object.fromEntries(
        Object.entries(after)
          .map(([index, n]) => [index, n - (before[index] ?? 0)] as const)
          .filter(([, n]) => n > 0),
      );
      return { first: rows[0]!.page.rows[0]?.name, scans };
    } finally {
      await db.query('rollback');
    }
  }

  it('reads one word sorted by name from the search terms, with no GIN scan (…009600)', async () => {
    const { first, scans } = await indexScans('pizza');
    expect(first).toBe('Aaa 0600');
    // Each term "pizza" is a prefix of (pizza, pizzaville, pizzaxxx…) is a range in name
    // order; finding them skips from one to the next. No restaurant is read to find the page.
    expect(Object.keys(scans)).toEqual(['restaurant_search_terms_pkey']);
    expect(scans.restaurant_search_terms_pkey).toBeGreaterThanOrEqual(2);
  });

  it('reads the GIN index once for several words, through the organisation-scoped keys', async () => {
    const { first, scans } = await indexScans('pizza york');
    expect(first).toBe('Pizza 000');
    // The page and its count come from one GIN scan (before …008200, at 100k: one for the
    // page and one more to count), on the index keyed by organisation.
    expect(scans).toEqual({ restaurants_list_organisation_search_idx: 1 });
  });
});

describe('private.restaurant_search_terms: kept in step with the restaurants (…009600)', () => {
  const byName = async (word: string) =>
    names(await list(rep.client, { search: word, sort: 'name' }, organisationId));

  /** Rows the table has and should not, or lacks, over the whole database. */
  async function drift(): Promise<unknown[]> {
    const { rows } = await db.query(
      `with expected as (
         select r.organisation_id, t.term, r.name, r.id as restaurant_id
         from public.restaurants as r
         cross join lateral private.restaurant_search_terms_of(r.search) as t (term)
         where r.deleted_at is null),
       kept as (select organisation_id, term, name, restaurant_id from private.restaurant_search_terms)
       (select 'extra' as drift, * from (select * from kept except select * from expected) as e)
       union all
       (select 'missing', * from (select * from expected except select * from kept) as m)`,
    );
    return rows;
  }

  it('follows a restaurant through insert, rename, notes, trash, restore, import and delete', async () => {
    const created = await rep.client
      .from('restaurants')
      .insert({ organisation_id: organisationId, name: 'Quiche Corner', city: 'Leeds' })
      .select('id')
      .single();
    expect(created.error).toBeNull();
    const id = created.data!.id;
    expect(await byName('quich')).toEqual(['Quiche Corner']);

    const renamed = await rep.client
      .from('restaurants')
      .update({ name: 'Tartine Corner' })
      .eq('id', id);
    expect(renamed.error).toBeNull();
    expect(await byName('quich')).toEqual([]);
    expect(await byName('tartin')).toEqual(['Tartine Corner']);

    const noted = await rep.client
      .from('restaurants')
      .update({ notes: 'Serves zebrafish' })
      .eq('id', id);
    expect(noted.error).toBeNull();
    expect(await byName('zebraf')).toEqual(['Tartine Corner']);
    // A change the list does not search (the stage) leaves the terms as they are.
    const staged = await rep.client.from('restaurants').update({ lead_stage: 'won' }).eq('id', id);
    expect(staged.error).toBeNull();
    expect(await byName('tartin')).toEqual(['Tartine Corner']);

    const trashed = await rep.client.rpc('move_to_trash', { p_kind: 'restaurant', p_ids: [id] });
    expect(trashed.error).toBeNull();
    expect(await byName('tartin')).toEqual([]);
    const restored = await rep.client.rpc('restore_from_trash', {
      p_kind: 'restaurant',
      p_ids: [id],
    });
    expect(restored.error).toBeNull();
    expect(await byName('tartin')).toEqual(['Tartine Corner']);

    const imported = await rep.client.rpc('import_restaurants', {
      p_organisation_id: organisationId,
      p_rows: [{ name: 'Tartine Annex', city: 'York' }, { name: 'Tartine Hall' }] as never,
      p_on_duplicate: 'skip',
    });
    expect(imported.error).toBeNull();
    expect(await byName('tartin')).toEqual(['Tartine Annex', 'Tartine Corner', 'Tartine Hall']);
    // Two letters are not kept as terms (nor searched through them): the same answer.
    expect(await byName('ta')).toEqual(['Tartine Annex', 'Tartine Corner', 'Tartine Hall']);

    // Gone for good (as the trash's purge does): its terms go with it.
    await db.query('delete from public.restaurants where id = $1', [id]);
    expect(await byName('tartin')).toEqual(['Tartine Annex', 'Tartine Hall']);
    const { rows } = await db.query(
      'select 1 from private.restaurant_search_terms where restaurant_id = $1',
      [id],
    );
    expect(rows).toEqual([]);
    expect(await drift()).toEqual([]);
  });

  it('is out of the API’s reach: neither a member nor anon can read or change it', async () => {
    for (const client of [rep.client, anonClient()]) {
      const read = await client
        .schema('private' as never)
        .from('restaurant_search_terms')
        .select('*');
      expect(read.error).not.toBeNull();
      expect(read.data).toBeNull();
    }
    const { rows } = await db.query<{ allowed: boolean }>(
      `select has_table_privilege(role, 'private.restaurant_search_terms', verb) as allowed
       from unnest(array['anon', 'authenticated']) as role,
            unnest(array['select', 'insert', 'update', 'delete']) as verb`,
    );
    expect(rows.map((row) => row.allowed)).toEqual(Array(8).fill(false));
  });
});

describe('saved_views RLS', () => {
  const view = (organisation: string, name: string) => ({
    organisation_id: organisation,
    page: 'restaurants',
    name,
    filters: { stage: 'won' },
  });

  it('lets a user create, read, rename and delete their own views', async () => {
    const created = await rep.client
      .from('saved_views')
      .insert(view(organisationId, 'Hot in Leeds'))
      .select()
      .single();
    expect(created.error).toBeNull();
    expect(created.data?.user_id).toBe(rep.id);
    const read = await rep.client.from('saved_views').select('name').eq('id', created.data!.id);
    expect(read.data).toEqual([{ name: 'Hot in Leeds' }]);
    const renamed = await rep.client
      .from('saved_views')
      .update({ name: 'Leeds, hot' })
      .eq('id', created.data!.id)
      .select('name');
    expect(renamed.data).toEqual([{ name: 'Leeds, hot' }]);
    const deleted = await rep.client
      .from('saved_views')
      .delete()
      .eq('id', created.data!.id)
      .select('id');
    expect(deleted.data).toEqual([{ id: created.data!.id }]);
  });

  it('hides a view from colleagues, other organisations and visitors: no read, update or delete', async () => {
    const { data: mine } = await rep.client
      .from('saved_views')
      .insert(view(organisationId, 'Mine'))
      .select()
      .single();
    for (const other of [colleague.client, outsider.client, anonClient()]) {
      const read = await other.from('saved_views').select('id').eq('id', mine!.id);
      expect(read.data ?? []).toEqual([]);
      const updated = await other
        .from('saved_views')
        .update({ name: 'Taken' })
        .eq('id', mine!.id)
        .select('id');
      expect(updated.data ?? []).toEqual([]);
      const deleted = await other.from('saved_views').delete().eq('id', mine!.id).select('id');
      expect(deleted.data ?? []).toEqual([]);
    }
    const { rows } = await db.query('select name from public.saved_views where id = $1', [
      mine!.id,
    ]);
    expect(rows).toEqual([{ name: 'Mine' }]);
  });

  it('refuses a view in an organisation the user is not in, or for another user', async () => {
    const foreign = await rep.client.from('saved_views').insert(view(otherOrganisationId, 'X'));
    expect(foreign.error?.code).toBe('42501');
    const forSomeoneElse = await rep.client
      .from('saved_views')
      .insert({ ...view(organisationId, 'Y'), user_id: colleague.id });
    expect(forSomeoneElse.error?.code).toBe('42501');
    const visitor = await anonClient().from('saved_views').insert(view(organisationId, 'Z'));
    expect(visitor.error).not.toBeNull();
    const { rows } = await db.query(
      `select count(*)::int as n from public.saved_views where name in ('X', 'Y', 'Z')`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('refuses bad input with a 4xx and keeps nothing', async () => {
    const blank = await rep.client.from('saved_views').insert(view(organisationId, '   '));
    expect(blank.error?.code).toBe('23514');
    const page = await rep.client
      .from('saved_views')
      .insert({ ...view(organisationId, 'Odd page'), page: 'workflows' });
    expect(page.error?.code).toBe('23514');
    await rep.client.from('saved_views').insert(view(organisationId, 'Twice'));
    const twice = await rep.client.from('saved_views').insert(view(organisationId, 'Twice'));
    expect(twice.error?.code).toBe('23505');
    const { rows } = await db.query(
      `select count(*)::int as n from public.saved_views where organisation_id = $1 and name in ('Odd page', 'Twice')`,
      [organisationId],
    );
    expect(rows[0].n).toBe(1);
  });
});
