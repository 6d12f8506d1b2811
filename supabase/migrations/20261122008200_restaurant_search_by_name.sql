-- A search sorted by name where the word's rows cluster (issue 13 §6, the last request over
-- 20 ms p95 at 100,000 restaurants: "pizza" sorted by name, 27.8 / 39.1 ms on a quiet machine).
--
-- Why it was slow: the probe (the first 1,000 rows in name order) sees no "Pizza …" row, since
-- they all sort late, so list_restaurants takes the GIN path. That path paid the GIN scan
-- twice (the page, then a count to 1,001), and each scan of the organisation-scoped index
-- (organisation_id, search) for a prefix ("pizza:*") first collects the prefix's matches in
-- every organisation into a bitmap and then intersects it with the organisation's 100,000
-- entries: the more tenants have pizzerias, the slower everyone's search.
--
-- What changes (the same rows in the same order; a page past the end now gets the exact total):
-- 1. An index whose keys carry the organisation: each lexeme prefixed with a 12-hex tag of the
--    organisation id. A prefix search reads only its organisation's matching entries. It
--    replaces restaurants_list_search_idx. The query still checks the organisation, so a
--    tag shared by two organisations (12 hex digits of a random uuid) would only cost time.
-- 2. One GIN scan per request: it reads every match anyway, so it keeps the first
--    max(1,001, offset + limit) in list order (a bounded top-N sort of ids and sort keys):
--    fewer is the exact total, that many is past the count threshold. The page's full rows are
--    then read by id.
-- 3. No parallel workers for the function (see its set clause).
--
-- What is left (the request stays over 20 ms p95 in the bench, ~20 ms CPU on its own): every
-- match's heap row is still read and top-N sorted (a word in a fifth of 100,000 names costs
-- that); an index that sorts within a word's matches (RUM) is not available here. Tried and
-- dropped, measured as backend CPU per call on the shared 100k stack: a sample of the GIN's
-- matches to bound the name range (a second GIN scan costs about what the bound saves, and the
-- planner ANDs the GIN bitmap with the organisation's btree rather than the name range);
-- counting in the same scan with count(*) over () (7 ms more than the bounded top-N).

-- The organisation's tag in organisation_search's lexemes: the first 12 hex digits of its id.
create function private.organisation_search_tag(p_organisation_id uuid) returns text
language sql
immutable
parallel safe
set search_path = ''
as $$ select pg_catalog.left(pg_catalog.replace(p_organisation_id::text, '-', ''), 12) $$;

-- The search vector with every lexeme prefixed by the organisation's tag, for the index below.
-- Lexemes are cut to 400 characters so the tag never pushes one past tsvector's 2 KB limit (a
-- longer query word is cut the same way, and the real vector is checked after). Both keep
-- the default EXECUTE for everyone: an insert as an API role evaluates the index expression as
-- that role, and they reveal nothing the caller did not pass in.
create function private.organisation_search(p_organisation_id uuid, p_search tsvector)
returns tsvector
language sql
immutable
parallel safe
set search_path = ''
as $$
  select pg_catalog.array_to_tsvector(coalesce(array(
    select private.organisation_search_tag(p_organisation_id) || pg_catalog.left(l, 400)
    from pg_catalog.unnest(pg_catalog.tsvector_to_array(p_search)) as l), '{}'))
$$;

create index restaurants_list_organisation_search_idx
  on public.restaurants using gin (private.organisation_search(organisation_id, search))
  where deleted_at is null;
drop index public.restaurants_list_search_idx;


create or replace function public.list_restaurants(
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
-- No parallel workers: the planner estimates the new index's keys at ~2% of the table and
-- plans a parallel bitmap scan, whose workers' start cost ~60 ms of wall time under load for
-- a page that reads a few rows (the demo organisation's searches in the third bench run).
set max_parallel_workers_per_gather = 0
as $$
declare
  v_tsquery text;
  v_where text;
  v_base text;
  v_order text;
  v_rows jsonb;
  v_total bigint;
  v_estimated boolean := false;
  v_page_rows integer;
  v_ids uuid[];
  v_keep integer;
  v_match text;
  v_gin_match text;
  v_longest integer;
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
  select string_agg(m[1] || ':*', ' & '),
         string_agg(quote_literal(private.organisation_search_tag(p_organisation_id) || left(m[1], 400)) || ':*', ' & '),
         max(length(m[1]))
    into v_tsquery, v_gin_match, v_longest
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
  v_base := v_where;

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
    -- The GIN path finds the rows through the organisation's own keys. That is the same
    -- match as @@ on search when the text search parser reads the words as they were typed
    -- (else the plain @@, through the plain GIN index on search) and no word is longer than
    -- the 400 characters the keys keep (else the real vector is checked too; ts_match_vq is
    -- @@ spelled so that no other index takes it). A tag shared with another organisation
    -- is kept out by the organisation filter.
    if to_tsquery('simple'::regconfig, v_tsquery)::text
        = (select string_agg(quote_literal(m[1]) || ':*', ' & ')
           from regexp_matches(lower(coalesce(p_search, '')), '([[:alnum:]]+)', 'g') as m) then
      v_gin_match := format(
        'private.organisation_search(r.organisation_id, r.search) @@ %L::tsquery', v_gin_match);
      if v_longest > 400 then
        v_gin_match := v_gin_match
          || format(' and ts_match_vq(r.search, to_tsquery(''simple''::regconfig, %L))', v_tsquery);
      end if;
    else
      v_gin_match := v_match;
    end if;
    if v_common then
      v_where := v_where || ' and ' || v_match;
    else
      -- The other filters as one boolean test, which no index takes: given the chance, the
      -- planner ANDs the GIN bitmap with the organisation's 100,000 entries in a btree
      -- (deleted_at stays plain so the partial GIN index still applies).
      v_where := format('r.deleted_at is null and (%s) is true and %s', v_base, v_gin_match);
    end if;
    -- Local to this transaction, i.e. this request.
    if v_common then
      perform set_config('enable_bitmapscan', 'off', true);
    else
      perform set_config('enable_indexscan', 'off', true);
    end if;
    perform set_config('enable_seqscan', 'off', true);
  end if;

  if v_tsquery is not null and not v_common then
    -- GIN path: one bitmap scan. It reads every match anyway, so keep the first
    -- max(threshold + 1, offset + limit) in list order (a top-N sort of the ids and sort keys):
    -- fewer than that is the exact total, that many means past the threshold. A second scan
    -- to count would cost the GIN scan again (most of the time of a common word).
    v_keep := greatest(private.list_count_threshold() + 1, p_offset + p_limit);
    execute format(
      'select coalesce(array_agg(m.id order by %s), ''{}''), count(*) from ('
      || 'select r.id, r.name, r.updated_at from public.restaurants as r where %s order by %s limit %s) as m',
      replace(v_order, 'r.', 'm.'), v_where, v_order, v_keep)
      into v_ids, v_total;
    execute format(
      'select coalesce(jsonb_agg(to_jsonb(t) order by u.ord), ''[]''::jsonb)'
      || ' from unnest($1) with ordinality as u(id, ord)'
      || ' cross join lateral (select r.id, r.organisation_id, r.name, r.city, r.cuisine, r.contact_name,'
      || ' r.contact_email, r.contact_phone, r.lead_stage, r.lead_warmth, r.lead_status,'
      || ' r.assigned_sales_rep, r.updated_at, r.created_at from public.restaurants as r'
      || ' where r.id = u.id and %s) as t',
      v_base)
      using v_ids[p_offset + 1 : p_offset + p_limit]
      into v_rows;
    if v_total >= v_keep then
      v_estimated := true;
      v_total := greatest(v_total, private.estimated_rows(
        format('select 1 from public.restaurants as r where %s and %s', v_base, v_match)));
    end if;
  else
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
          * private.estimated_rows(format('select 1 from public.restaurants as r where %s', v_base))));
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


