-- The restaurant list at 100,000 rows (issue 13 §6) and saved views of its filters.
--
-- At 100k rows the list read every row of the organisation per page: no index fit its sorts,
-- each page ran an exact count, stage and warmth had no index, and search never used the GIN
-- index under RLS (@@ is not leakproof, so the policy's filter ran first). The list now goes
-- through one security definer function that enforces membership itself, so the planner sees
-- plain predicates and picks the index that fits; the count stops at a threshold and is
-- estimated past it.

-- Indexes --------------------------------------------------------------------------------
-- Partial on deleted_at is null like the select policy, so the same indexes also serve reads
-- under RLS. Each ends in the list's tiebreaker (id), so a page is an index range with no sort.
-- (organisation_id, lead_stage, updated_at desc, id desc) exists: restaurants_board_column_idx.
create index restaurants_list_updated_idx
  on public.restaurants (organisation_id, updated_at desc, id desc)
  where deleted_at is null;
create index restaurants_list_name_idx
  on public.restaurants (organisation_id, name, id)
  where deleted_at is null;
create index restaurants_list_stage_name_idx
  on public.restaurants (organisation_id, lead_stage, name, id)
  where deleted_at is null;
create index restaurants_list_warmth_updated_idx
  on public.restaurants (organisation_id, lead_warmth, updated_at desc, id desc)
  where deleted_at is null;
create index restaurants_list_warmth_name_idx
  on public.restaurants (organisation_id, lead_warmth, name, id)
  where deleted_at is null;
create index restaurants_list_rep_updated_idx
  on public.restaurants (organisation_id, assigned_sales_rep, updated_at desc, id desc)
  where deleted_at is null;
create index restaurants_list_rep_name_idx
  on public.restaurants (organisation_id, assigned_sales_rep, name, id)
  where deleted_at is null;

-- Search within one organisation: with organisation_id inside the GIN index (btree_gin), one
-- index scan finds an organisation's matches; the plain GIN index on search had to be ANDed
-- with a bitmap of all the organisation's rows (~30 ms at 100k even for a word with 4 hits)
-- and, for a prefix, collected every organisation's matches first.
create extension if not exists btree_gin with schema extensions;
create index restaurants_list_search_idx
  on public.restaurants using gin (organisation_id, search)
  where deleted_at is null;


-- How many rows a count reads before it settles for the planner's estimate.
create function private.list_count_threshold() returns integer
language sql
immutable
set search_path = ''
as $$ select 1000 $$;

revoke execute on function private.list_count_threshold() from public, anon, authenticated;

-- The planner's row estimate for a query, read from its EXPLAIN (no rows are read). Volatile
-- because Postgres allows EXPLAIN only there; callers pass SQL they built themselves.
create function private.estimated_rows(p_query text) returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_plan json;
begin
  execute 'explain (format json) ' || p_query into v_plan;
  return (v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric::bigint;
end;
$$;

comment on function private.estimated_rows(text) is
  'The planner''s estimated row count for p_query (EXPLAIN, nothing executed). Internal: never give it user SQL.';

revoke execute on function private.estimated_rows(text) from public, anon, authenticated;


-- The list ---------------------------------------------------------------------------------
-- Security definer so RLS's non-leakproof @@ no longer blocks the GIN index; in exchange it
-- checks membership first (404 to outsiders, like every organisation RPC) and names the
-- organisation and deleted_at is null in every query it runs. The query is built with format()
-- (%L literals) and EXECUTEd so each call is planned with its own filters, and the estimate
-- can EXPLAIN the very same predicate.
create function public.list_restaurants(
  p_organisation_id uuid,
  p_search text default null,
  p_stage text default null,
  p_warmth text default null,
  p_rep uuid default null,
  p_unassigned boolean default false,
  p_sort text default 'updated',
  p_offset integer default 0,
  p_limit integer default 20
) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_tsquery text;
  v_where text;
  v_order text;
  v_rows jsonb;
  v_total bigint;
  v_estimated boolean := false;
  v_page_rows integer;
  v_match text;
  v_probe_hits integer;
  v_common boolean := false;
  c_probe constant integer := 1000;
begin
  perform private.require_organisation_member(p_organisation_id);
  if p_limit is null or p_limit < 1 or p_limit > 100 then
    perform private.raise_http(400, 'invalid_limit', 'p_limit must be between 1 and 100');
  end if;
  if p_offset is null or p_offset < 0 or p_offset > 200000 then
    perform private.raise_http(400, 'invalid_offset', 'p_offset must be between 0 and 200000');
  end if;
  if p_sort is null or p_sort not in ('updated', 'name') then
    perform private.raise_http(400, 'invalid_sort', 'p_sort must be updated or name');
  end if;
  if p_stage is not null and p_stage not in (
    'new', 'contacted', 'qualified', 'demo_booked', 'demo_done', 'proposal', 'negotiation', 'won', 'lost'
  ) then
    perform private.raise_http(400, 'invalid_stage', 'unknown lead stage');
  end if;
  if p_warmth is not null and p_warmth not in ('cold', 'warm', 'hot') then
    perform private.raise_http(400, 'invalid_warmth', 'unknown warmth');
  end if;

  -- Every word typed matches as a prefix; only letters and digits survive (as in the web's
  -- toPrefixTsQuery), so no input is a tsquery syntax error.
  select string_agg(m[1] || ':*', ' & ')
    into v_tsquery
    from regexp_matches(lower(coalesce(p_search, '')), '([[:alnum:]]+)', 'g') as m;

  -- Everything but the search: the probe below walks these rows in list order.
  v_where := format('r.organisation_id = %L and r.deleted_at is null', p_organisation_id);
  if p_stage is not null then
    v_where := v_where || format(' and r.lead_stage = %L', p_stage);
  end if;
  if p_warmth is not null then
    v_where := v_where || format(' and r.lead_warmth = %L', p_warmth);
  end if;
  if coalesce(p_unassigned, false) then
    v_where := v_where || ' and r.assigned_sales_rep is null';
  elsif p_rep is not null then
    v_where := v_where || format(' and r.assigned_sales_rep = %L', p_rep);
  end if;
  v_order := case p_sort when 'name' then 'r.name, r.id' else 'r.updated_at desc, r.id desc' end;

  if v_tsquery is not null then
    v_match := format('r.search @@ to_tsquery(''simple''::regconfig, %L)', v_tsquery);
    -- The planner cannot tell a common prefix from a rare one (it guesses ~2% for both), and
    -- the right plan differs by 100×: a common word is found fastest by walking the rows in
    -- list order (a page of "pizza" in ~100 rows), a rare one through the GIN index (a walk
    -- would read all 100,000). So measure: how many of the first PROBE rows in list order match.
    execute format(
      'select count(*) from (select r.search from public.restaurants as r where %s order by %s limit %s) as p'
      || ' where p.search @@ to_tsquery(''simple''::regconfig, %L)',
      v_where, v_order, c_probe, v_tsquery)
      into v_probe_hits;
    v_common := v_probe_hits >= p_limit;
    v_where := v_where || ' and ' || v_match;
    -- Local to this transaction, i.e. this request.
    if v_common then
      perform set_config('enable_bitmapscan', 'off', true);
    else
      perform set_config('enable_indexscan', 'off', true);
    end if;
    perform set_config('enable_seqscan', 'off', true);
  end if;

  execute format(
    'select coalesce(jsonb_agg(to_jsonb(t)), ''[]''::jsonb) from ('
    || 'select r.id, r.organisation_id, r.name, r.city, r.cuisine, r.contact_name, r.contact_email,'
    || ' r.contact_phone, r.lead_stage, r.lead_warmth, r.lead_status, r.assigned_sales_rep,'
    || ' r.updated_at, r.created_at'
    || ' from public.restaurants as r where %s order by %s offset %s limit %s) as t',
    v_where, v_order, p_offset, p_limit)
    into v_rows;

  v_page_rows := jsonb_array_length(v_rows);
  if v_page_rows < p_limit and (v_page_rows > 0 or p_offset = 0) then
    -- A short page is the last one: the total is known without counting (a rare word's
    -- search, a narrow filter).
    v_total := p_offset + v_page_rows;
  elsif v_common then
    -- A common word: extrapolate from the probe's share rather than find every match.
    v_total := greatest(
      p_offset + v_page_rows,
      round(v_probe_hits::numeric / c_probe
        * private.estimated_rows(format('select 1 from public.restaurants as r where %s',
            split_part(v_where, ' and r.search @@', 1)))));
    v_estimated := v_total > private.list_count_threshold();
    if not v_estimated then
      -- Few enough to count (the walk stops after threshold + 1 matches); the extrapolation
      -- can be low when the statistics undercount the organisation.
      execute format(
        'select count(*) from (select 1 from public.restaurants as r where %s limit %s) as c',
        v_where, private.list_count_threshold() + 1)
        into v_total;
      v_estimated := v_total > private.list_count_threshold();
    end if;
  else
    -- Exact up to the threshold (reading at most threshold + 1 rows), the planner's estimate past it.
    execute format(
      'select count(*) from (select 1 from public.restaurants as r where %s limit %s) as c',
      v_where, private.list_count_threshold() + 1)
      into v_total;
    if v_total > private.list_count_threshold() then
      v_total := greatest(v_total,
        private.estimated_rows(format('select 1 from public.restaurants as r where %s', v_where)));
      v_estimated := true;
    end if;
  end if;
  perform set_config('enable_bitmapscan', 'on', true);
  perform set_config('enable_indexscan', 'on', true);
  perform set_config('enable_seqscan', 'on', true);

  return jsonb_build_object('rows', v_rows, 'total', v_total, 'estimated', v_estimated);
end;
$$;

comment on function public.list_restaurants(uuid, text, text, text, uuid, boolean, text, integer, integer) is
  'One page of an organisation''s restaurants (members only; 404 otherwise), never the trash: {rows, total, estimated}. total is exact up to 1,000 and the planner''s estimate past it (estimated = true).';

revoke execute on function public.list_restaurants(uuid, text, text, text, uuid, boolean, text, integer, integer) from public, anon;
grant execute on function public.list_restaurants(uuid, text, text, text, uuid, boolean, text, integer, integer) to authenticated;


-- Saved views ------------------------------------------------------------------------------
-- A rep's named filter sets for a list page. Private to their author, in an organisation they
-- belong to; leaving the organisation takes them away (the membership foreign key cascades).
create table public.saved_views (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  page text not null,
  name text not null,
  filters jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  constraint saved_views_page_valid check (page in ('restaurants')),
  constraint saved_views_name_length check (char_length(btrim(name)) between 1 and 80),
  constraint saved_views_filters_is_object check (jsonb_typeof(filters) = 'object'),
  constraint saved_views_filters_size check (pg_column_size(filters) <= 4096),
  constraint saved_views_name_unique unique (organisation_id, user_id, page, name),
  constraint saved_views_member_fkey foreign key (organisation_id, user_id)
    references public.organisation_members (organisation_id, user_id) on delete cascade
);

comment on table public.saved_views is
  'A user''s named filters for a list page (page = ''restaurants''); only its author sees it.';

alter table public.saved_views enable row level security;

-- The unique constraint's index leads with (organisation_id, user_id): both foreign keys'
-- organisation side; user_id alone gets its own for the profiles foreign key.
create index saved_views_user_id_idx on public.saved_views (user_id);

revoke all on public.saved_views from anon, authenticated;
grant select on public.saved_views to anon, authenticated;
grant insert (organisation_id, page, name, filters) on public.saved_views to authenticated;
grant update (name, filters) on public.saved_views to authenticated;
grant delete on public.saved_views to authenticated;

create policy saved_views_select_own on public.saved_views
  for select to authenticated
  using (user_id = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()));

create policy saved_views_insert_own on public.saved_views
  for insert to authenticated
  with check (user_id = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()));

create policy saved_views_update_own on public.saved_views
  for update to authenticated
  using (user_id = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()))
  with check (user_id = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()));

create policy saved_views_delete_own on public.saved_views
  for delete to authenticated
  using (user_id = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()));
