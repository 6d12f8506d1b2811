-- A word's matches in name order, without reading them all (issue 13 §6: the last request
-- over 20 ms p95 at 100,000 restaurants, "pizza" sorted by name, ~32 / 67 ms in the bench).
--
-- Why it was still slow after …008200: the GIN index finds a word's 20,000 rows but knows
-- nothing of their names, so the page needed every match's heap row (scan, heap and a top-N
-- sort, ~15 ms CPU of ~20) to find the first 20 by name.
--
-- What changes: private.restaurant_search_terms keeps one row per (restaurant, search
-- lexeme) with the restaurant's name, indexed (organisation, term, name, id): for one word
-- sorted by name, each term the prefix matches is a range already in name order, so the page
-- reads offset + limit entries per term and the count at most 1,001 — a few hundred index
-- entries instead of 20,000 heap rows. Triggers on restaurants keep it (never the trash);
-- nothing outside this schema's functions reads it. The other searches keep their paths
-- (a common word walks the list's index, a rare one or several words with filters use GIN).

create table private.restaurant_search_terms (
  organisation_id uuid not null,
  -- A lexeme of restaurants.search of 3 characters or more, cut to 400 (as the
  -- organisation's GIN keys). Shorter ones are left out: only a word of 3 or more takes this
  -- path, and every lexeme it is a prefix of is at least as long.
  -- Byte order, so a prefix is one index range, as tsquery's prefix match compares bytes.
  term text collate "C" not null,
  -- restaurants.name, in its own collation: the list's order.
  name text not null,
  restaurant_id uuid not null,
  primary key (organisation_id, term, name, restaurant_id)
);

comment on table private.restaurant_search_terms is
  'One row per live restaurant and lexeme of its search vector, for a word''s matches in name order (list_restaurants). Kept by triggers on public.restaurants; not readable through the API.';

-- The terms of a search vector, as the table keeps them.
create function private.restaurant_search_terms_of(p_search tsvector) returns setof text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select distinct pg_catalog.left(l, 400) collate "C"
  from pg_catalog.unnest(pg_catalog.tsvector_to_array(p_search)) as l
  where pg_catalog.length(l) >= 3
$$;

-- Inserts: set-based over the statement's rows (an import inserts 1,000 a call). Security
-- definer: the API roles that insert restaurants have no rights on the private table.
create function private.tg__restaurant_search_terms_insert() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.restaurant_search_terms (organisation_id, term, name, restaurant_id)
  select n.organisation_id, t.term, n.name, n.id
  from new_rows as n
  cross join lateral private.restaurant_search_terms_of(n.search) as t (term)
  where n.deleted_at is null;
  return null;
end;
$$;

-- Deletes (purging the trash, an organisation going): the rows' own terms, by primary key.
create function private.tg__restaurant_search_terms_delete() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from private.restaurant_search_terms as s
  using old_rows as o
  cross join lateral private.restaurant_search_terms_of(o.search) as t (term)
  where o.deleted_at is null
    and s.organisation_id = o.organisation_id and s.term = t.term
    and s.name = o.name and s.restaurant_id = o.id;
  return null;
end;
$$;

-- Updates that change what the list finds or how it sorts it (the trigger's when clause):
-- the old row's terms out, the new row's in. Into and out of the trash included.
create function private.tg__restaurant_search_terms_update() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.deleted_at is null then
    delete from private.restaurant_search_terms as s
    where s.organisation_id = old.organisation_id
      and s.term = any (array(select private.restaurant_search_terms_of(old.search)))
      and s.name = old.name and s.restaurant_id = old.id;
  end if;
  if new.deleted_at is null then
    insert into private.restaurant_search_terms (organisation_id, term, name, restaurant_id)
    select new.organisation_id, t.term, new.name, new.id
    from private.restaurant_search_terms_of(new.search) as t (term);
  end if;
  return null;
end;
$$;

revoke execute on function private.restaurant_search_terms_of(tsvector) from public, anon, authenticated;
revoke execute on function private.tg__restaurant_search_terms_insert() from public, anon, authenticated;
revoke execute on function private.tg__restaurant_search_terms_delete() from public, anon, authenticated;
revoke execute on function private.tg__restaurant_search_terms_update() from public, anon, authenticated;

create trigger restaurants_search_terms_insert
  after insert on public.restaurants
  referencing new table as new_rows
  for each statement execute function private.tg__restaurant_search_terms_insert();
create trigger restaurants_search_terms_delete
  after delete on public.restaurants
  referencing old table as old_rows
  for each statement execute function private.tg__restaurant_search_terms_delete();
-- Row by row: most updates (a stage, a rep) change none of these and cost only the test.
create trigger restaurants_search_terms_update
  after update on public.restaurants
  for each row
  when (old.search is distinct from new.search or old.name is distinct from new.name
    or old.deleted_at is distinct from new.deleted_at
    or old.organisation_id is distinct from new.organisation_id)
  execute function private.tg__restaurant_search_terms_update();

-- An organisation's terms made again from its restaurants: the backfill below, and for rows
-- written with triggers off (the scale bench loads 100,000 so).
create function private.rebuild_restaurant_search_terms(p_organisation_id uuid) returns void
language sql
set search_path = ''
as $$
  delete from private.restaurant_search_terms where organisation_id = p_organisation_id;
  insert into private.restaurant_search_terms (organisation_id, term, name, restaurant_id)
  select r.organisation_id, t.term, r.name, r.id
  from public.restaurants as r
  cross join lateral private.restaurant_search_terms_of(r.search) as t (term)
  where r.organisation_id = p_organisation_id and r.deleted_at is null;
$$;

revoke execute on function private.rebuild_restaurant_search_terms(uuid) from public, anon, authenticated;

select private.rebuild_restaurant_search_terms(o.id) from public.organisations as o;

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
  v_words integer;
  v_terms text[];
  v_by_terms boolean := false;
  c_probe constant integer := 1000;
  -- A prefix matching more distinct terms than this (a letter or two) takes the other paths.
  c_max_terms constant integer := 16;
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
         max(length(m[1])),
         count(*)
    into v_tsquery, v_gin_match, v_longest, v_words
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
  end if;

  -- One word sorted by name, nothing else filtered: the terms it is a prefix of, each a
  -- range of private.restaurant_search_terms in name order (at most c_max_terms + 1 of
  -- them, found by skipping from one term to the next). Only when the text search parser
  -- reads the word as typed and the word is 3 to 400 characters, as the terms kept.
  if v_words = 1 and p_sort = 'name' and v_longest between 3 and 400
      and p_stage is null and p_warmth is null and p_rep is null and not coalesce(p_unassigned, false)
      and to_tsquery('simple'::regconfig, v_tsquery)::text = quote_literal(left(v_tsquery, -2)) || ':*' then
    -- Literal patterns (EXECUTE), so the planner turns each LIKE into an index range.
    execute format(
      'with recursive t (term) as ('
      || '(select s.term from private.restaurant_search_terms as s'
      || ' where s.organisation_id = %1$L and s.term like %2$L order by s.term limit 1)'
      || ' union all'
      || ' select (select s.term from private.restaurant_search_terms as s'
      || ' where s.organisation_id = %1$L and s.term > t.term and s.term like %2$L order by s.term limit 1)'
      || ' from t where t.term is not null)'
      || ' select coalesce(array_agg(term), ''{}'') from (select term from t where term is not null limit %3$s) as f',
      p_organisation_id, left(v_tsquery, -2) || '%', c_max_terms + 1)
      into v_terms;
    v_by_terms := cardinality(v_terms) <= c_max_terms;
  end if;

  if v_tsquery is not null and not v_by_terms then
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

  if v_by_terms or (v_tsquery is not null and not v_common) then
    -- The page's ids in list order, and how many there are up to N: fewer than
    -- N = max(threshold + 1, offset + limit) is the exact total, N means past the threshold.
    v_keep := greatest(private.list_count_threshold() + 1, p_offset + p_limit);
    if v_by_terms then
      -- Terms path: each term's first N restaurants in name order, merged without repeats,
      -- and the first N of those. A restaurant in the overall first N is within the first N
      -- of every term it has, so the page is exact; fewer than N means no range was cut.
      select coalesce(array_agg(p.restaurant_id order by p.name, p.restaurant_id), '{}'), count(*)
        into v_ids, v_total
        from (
          select m.restaurant_id, m.name
          from unnest(v_terms) as t (term)
          cross join lateral (
            select s.name, s.restaurant_id from private.restaurant_search_terms as s
            where s.organisation_id = p_organisation_id and s.term = t.term collate "C"
            order by s.name, s.restaurant_id
            limit v_keep) as m
          group by m.restaurant_id, m.name
          order by m.name, m.restaurant_id
          limit v_keep) as p;
    else
      -- GIN path: one bitmap scan. It reads every match anyway, so keep the first N in list
      -- order (a top-N sort of the ids and sort keys). A second scan to count would cost
      -- the GIN scan again (most of the time of a common word).
      execute format(
        'select coalesce(array_agg(m.id order by %s), ''{}''), count(*) from ('
        || 'select r.id, r.name, r.updated_at from public.restaurants as r where %s order by %s limit %s) as m',
        replace(v_order, 'r.', 'm.'), v_where, v_order, v_keep)
        into v_ids, v_total;
    end if;
    -- The page's rows by id, the organisation, the trash and the match checked on each
    -- (ts_match_vq is @@ spelled so that no index takes it: with index scans off on the GIN
    -- path, @@ had the planner AND the plain GIN index's every-organisation matches in).
    execute format(
      'select coalesce(jsonb_agg(to_jsonb(t) order by u.ord), ''[]''::jsonb)'
      || ' from unnest($1) with ordinality as u(id, ord)'
      || ' cross join lateral (select r.id, r.organisation_id, r.name, r.city, r.cuisine, r.contact_name,'
      || ' r.contact_email, r.contact_phone, r.lead_stage, r.lead_warmth, r.lead_status,'
      || ' r.assigned_sales_rep, r.updated_at, r.created_at from public.restaurants as r'
      || ' where r.id = u.id and %s and ts_match_vq(r.search, to_tsquery(''simple''::regconfig, %L))) as t',
      v_base, v_tsquery)
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


