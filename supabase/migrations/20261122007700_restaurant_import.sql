-- Restaurants in bulk (issue 13 §4): a CSV import, a chunk of up to 1,000 rows a call, and
-- the duplicate rule the import, its preview and the create form share.
--
--   web page ── parse + map + validate (packages/domain/src/restaurant-csv) ──┐
--   find_restaurant_duplicates (preview, create form) ─┐                     │
--                                                      ├─ private.restaurant_duplicate_matches
--   import_restaurants (≤1,000 rows: validate → in-file duplicates → insert / update, one statement)
--
-- A duplicate is a live restaurant of the same organisation with the same email (case
-- folded), or else the same name and city (case folded, a missing city matching a missing
-- city). Trashed restaurants are not duplicates: they are gone to the user.

-- The two lookups, one index each, partial on live rows (the trash is never matched). Each
-- key is one array holding the organisation, so a lookup can only be planned on its own
-- index: with (organisation_id, lower(…)) columns, an organisation growing during an import
-- still looked tiny to the statistics and the planner walked all its rows by
-- restaurants_organisation_id_id_key once per key — 4.5 s for the second 1,000-row chunk,
-- 9.6 s for the third (past the API's 8 s statement timeout); with these keys each chunk of
-- a 10,000-row import takes about the same time (docs/sales-day/import-export.md).
create index restaurants_duplicate_email_idx
  on public.restaurants ((array[organisation_id::text, lower(contact_email)]))
  where deleted_at is null and contact_email is not null;
create index restaurants_duplicate_name_city_idx
  on public.restaurants ((array[organisation_id::text, lower(name), coalesce(lower(city), '')]))
  where deleted_at is null;


-- For each key {i, email, name, city}: the oldest live restaurant it duplicates, by email
-- first (an email names one business), else by name and city. The rule's one home.
create function private.restaurant_duplicate_matches(p_organisation_id uuid, p_keys jsonb)
returns table (i integer, restaurant_id uuid, match text)
language plpgsql
stable
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
begin
  -- Planned for each call's organisation (plpgsql + force_custom_plan): as a plain sql
  -- function its generic plan scanned the organisation's rows once per key, 2.4 s for
  -- 1,000 keys against 4,000 restaurants; planned per call, both lookups are index scans
  -- and the same keys take 11 ms.
  return query
  select k.i, coalesce(e.id, n.id), case when e.id is not null then 'email' else 'name_city' end
  from jsonb_to_recordset(p_keys) as k(i integer, email text, name text, city text)
  left join lateral (
    select r.id from public.restaurants as r
    where k.email is not null and btrim(k.email) <> ''
      and r.deleted_at is null and r.contact_email is not null
      and array[r.organisation_id::text, lower(r.contact_email)]
        = array[p_organisation_id::text, lower(btrim(k.email))]
    order by r.created_at, r.id
    limit 1
  ) as e on true
  left join lateral (
    select r.id from public.restaurants as r
    where e.id is null and k.name is not null and btrim(k.name) <> ''
      and r.deleted_at is null
      and array[r.organisation_id::text, lower(r.name), coalesce(lower(r.city), '')]
        = array[p_organisation_id::text, lower(btrim(k.name)), coalesce(lower(nullif(btrim(k.city), '')), '')]
    order by r.created_at, r.id
    limit 1
  ) as n on true
  where e.id is not null or n.id is not null;
end;
$$;

comment on function private.restaurant_duplicate_matches(uuid, jsonb) is
  'Duplicate rule: for keys [{i, email, name, city}], the oldest live restaurant of the organisation with the same email, else the same name and city.';

revoke execute on function private.restaurant_duplicate_matches(uuid, jsonb) from public, anon, authenticated;


-- The preview's duplicate count and the create form's warning. Members only (404).
create function public.find_restaurant_duplicates(p_organisation_id uuid, p_rows jsonb)
returns table (index integer, id uuid, name text, city text, match text)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_organisation_member(p_organisation_id);
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    perform private.raise_http(400, 'invalid_input', 'p_rows must be an array of {name, city, contact_email}');
  end if;
  if jsonb_array_length(p_rows) > 1000 then
    perform private.raise_http(413, 'too_many_rows', 'at most 1000 rows a call');
  end if;
  return query
    select m.i, r.id, r.name, r.city, m.match
    from private.restaurant_duplicate_matches(
      p_organisation_id,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'i', e.ordinality - 1,
          'email', case when jsonb_typeof(e.value) = 'object' then e.value ->> 'contact_email' end,
          'name', case when jsonb_typeof(e.value) = 'object' then e.value ->> 'name' end,
          'city', case when jsonb_typeof(e.value) = 'object' then e.value ->> 'city' end)), '[]'::jsonb)
       from jsonb_array_elements(p_rows) with ordinality as e)
    ) as m
    join public.restaurants as r on r.id = m.restaurant_id
    order by m.i;
end;
$$;

comment on function public.find_restaurant_duplicates(uuid, jsonb) is
  'For rows [{name, city, contact_email}] (≤1,000): the existing restaurant each duplicates (index, id, name, city, match email|name_city). 404 outsiders.';

revoke execute on function public.find_restaurant_duplicates(uuid, jsonb) from public, anon, authenticated;
grant execute on function public.find_restaurant_duplicates(uuid, jsonb) to authenticated;


-- Imports take a token per call (≤1,000 rows) from the organisation's bucket, beside the
-- job-start buckets of …005200_rate_limits: a burst of 60 calls (60,000 rows: the largest
-- honest file, at once) then one call every 2 s (30,000 rows a minute). A script looping
-- on the RPC cannot fill the table faster than that.
alter table private.rate_limit_policies
  drop constraint rate_limit_policies_scope,
  add constraint rate_limit_policies_scope check (scope in ('user', 'organisation', 'restaurant_import'));
alter table private.rate_limit_overrides
  drop constraint rate_limit_overrides_scope,
  add constraint rate_limit_overrides_scope check (scope in ('user', 'organisation', 'restaurant_import'));
insert into private.rate_limit_policies (scope, capacity, refill_per_second)
values ('restaurant_import', 60, 0.5);


-- One chunk of an import. p_rows: [{name, contact_name, contact_email, contact_phone, website,
-- address, city, cuisine, lead_stage, lead_warmth, lead_status, assigned_sales_rep, notes}],
-- values as the domain's restaurantInputSchema outputs them; a key left out (a column not
-- mapped) is never written, and on update an empty value keeps what is there ("fill in,
-- never erase"). Returns, in order, [{index, status created|updated|skipped|failed, id?, reason?}].
-- A row repeating an earlier row of the same call (same key, or the same existing
-- restaurant) is skipped whatever p_on_duplicate says, so the first one wins; same_as
-- gives that row's index.
create function public.import_restaurants(
  p_organisation_id uuid, p_rows jsonb, p_on_duplicate text default 'skip'
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid;
  v_wait double precision;
  v_seconds integer;
  v_result jsonb;
begin
  perform private.require_organisation_member(p_organisation_id);
  v_user_id := (select auth.uid());
  if p_on_duplicate is null or p_on_duplicate not in ('skip', 'update') then
    perform private.raise_http(400, 'invalid_input', 'p_on_duplicate must be skip or update');
  end if;
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    perform private.raise_http(400, 'invalid_input', 'p_rows must be an array of restaurant rows');
  end if;
  -- 1,000 rows keep a call near 100 ms (docs/sales-day/import-export.md) and its
  -- statement well inside the API's timeout; the web page sends chunks of that size.
  if jsonb_array_length(p_rows) > 1000 then
    perform private.raise_http(413, 'too_many_rows', 'at most 1000 rows a call: send the file in chunks');
  end if;
  -- The column limits bound an honest chunk near 12 MiB; more is not a restaurant list.
  if pg_column_size(p_rows) > 16 * 1024 * 1024 then
    perform private.raise_http(413, 'payload_too_large', 'a chunk is at most 16 MiB');
  end if;
  if jsonb_array_length(p_rows) = 0 then
    return '[]'::jsonb;
  end if;

  v_wait := private.take_rate_limit_token('restaurant_import', p_organisation_id);
  if v_wait > 0 then
    v_seconds := greatest(1, ceil(v_wait)::integer);
    raise sqlstate 'PGRST' using
      message = json_build_object(
        'code', 'rate_limited',
        'message', format('Too many imports in this organisation: try again in %s s', v_seconds),
        'details', v_seconds::text, 'hint', null)::text,
      detail = json_build_object(
        'status', 429, 'headers', json_build_object('Retry-After', v_seconds::text))::text;
  end if;

  -- Chunks of one organisation's imports run one at a time, so two tabs importing the same
  -- file cannot both create a row the other would have found.
  perform pg_advisory_xact_lock(hashtext('import_restaurants'), hashtext(p_organisation_id::text));

  with input as materialized (
    select (e.ordinality - 1)::integer as idx,
      jsonb_typeof(e.value) = 'object' as is_object,
      case when jsonb_typeof(e.value) = 'object' then e.value else '{}'::jsonb end as v
    from jsonb_array_elements(p_rows) with ordinality as e
  ),
  fields as (
    select idx, is_object, v,
      nullif(btrim(v ->> 'name'), '') as name,
      nullif(btrim(v ->> 'contact_name'), '') as contact_name,
      nullif(btrim(v ->> 'contact_email'), '') as contact_email,
      nullif(btrim(v ->> 'contact_phone'), '') as contact_phone,
      nullif(btrim(v ->> 'website'), '') as website,
      nullif(btrim(v ->> 'address'), '') as address,
      nullif(btrim(v ->> 'city'), '') as city,
      nullif(btrim(v ->> 'cuisine'), '') as cuisine,
      nullif(btrim(v ->> 'lead_stage'), '') as lead_stage,
      nullif(btrim(v ->> 'lead_warmth'), '') as lead_warmth,
      nullif(btrim(v ->> 'lead_status'), '') as lead_status,
      nullif(btrim(v ->> 'assigned_sales_rep'), '') as rep_text,
      case when nullif(btrim(v ->> 'notes'), '') is not null then v ->> 'notes' end as notes
    from input
  ),
  -- The table's constraints (…000800_restaurants, …005000_limits) checked per row first,
  -- so one bad row fails alone instead of the whole chunk.
  checked as materialized (
    select f.*,
      case when f.rep_text ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        then f.rep_text::uuid end as rep_id,
      case
        when not f.is_object then 'the row is not an object'
        when f.name is null then 'name is required'
        when char_length(f.name) > 200 then 'name is longer than 200 characters'
        when f.contact_email is not null and f.contact_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'
          then 'email is not an email address'
        when char_length(f.contact_email) > 320 then 'email is longer than 320 characters'
        when char_length(f.contact_name) > 200 then 'contact name is longer than 200 characters'
        when char_length(f.contact_phone) > 40 then 'phone is longer than 40 characters'
        when char_length(f.website) > 500 then 'website is longer than 500 characters'
        when char_length(f.address) > 500 then 'address is longer than 500 characters'
        when char_length(f.city) > 200 then 'city is longer than 200 characters'
        when char_length(f.cuisine) > 200 then 'cuisine is longer than 200 characters'
        when char_length(f.notes) > 10000 then 'notes are longer than 10000 characters'
        when f.lead_stage is not null and f.lead_stage not in (
          'new', 'contacted', 'qualified', 'demo_booked', 'demo_done', 'proposal', 'negotiation', 'won', 'lost')
          then format('stage %s is not a lead stage', f.lead_stage)
        when f.lead_warmth is not null and f.lead_warmth not in ('cold', 'warm', 'hot')
          then format('warmth %s is not cold, warm or hot', f.lead_warmth)
        when f.lead_status is not null and f.lead_status not in ('active', 'paused', 'do_not_contact')
          then format('status %s is not active, paused or do_not_contact', f.lead_status)
        when f.rep_text is not null and not exists (
          select 1 from public.organisation_members as m
          where m.organisation_id = p_organisation_id
            and m.user_id::text = lower(f.rep_text))
          then 'the rep is not a member of this organisation'
      end as error
    from fields as f
  ),
  -- Materialized: looked up once per call, never rescanned inside a join loop.
  matches as materialized (
    select m.i, m.restaurant_id, m.match
    from private.restaurant_duplicate_matches(
      p_organisation_id,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'i', c.idx, 'email', c.contact_email, 'name', c.name, 'city', c.city)), '[]'::jsonb)
       from checked as c where c.error is null)
    ) as m
  ),
  -- The first row of this call with each email, each name and city, each matched restaurant.
  keyed as (
    select c.idx, m.restaurant_id as existing_id, m.match,
      case when c.contact_email is not null
        then min(c.idx) over (partition by lower(c.contact_email)) end as first_email,
      min(c.idx) over (partition by lower(c.name), coalesce(lower(c.city), '')) as first_name_city,
      case when m.restaurant_id is not null
        then min(c.idx) over (partition by m.restaurant_id) end as first_target
    from checked as c
    left join matches as m on m.i = c.idx
    where c.error is null
  ),
  decided as materialized (
    select c.*, k.existing_id, k.match,
      least(
        case when k.first_email < c.idx then k.first_email end,
        case when k.first_name_city < c.idx then k.first_name_city end,
        case when k.first_target < c.idx then k.first_target end) as same_as,
      case
        when c.error is not null then 'failed'
        when k.first_email < c.idx or k.first_name_city < c.idx or k.first_target < c.idx then 'repeat'
        when k.existing_id is not null and p_on_duplicate = 'skip' then 'skipped'
        when k.existing_id is not null then 'update'
        else 'create'
      end as action,
      gen_random_uuid() as new_id
    from checked as c
    left join keyed as k on k.idx = c.idx
  ),
  inserted as (
    insert into public.restaurants (
      id, organisation_id, name, contact_name, contact_email, contact_phone, website, address,
      city, cuisine, lead_stage, lead_warmth, lead_status, assigned_sales_rep, notes, created_by)
    select d.new_id, p_organisation_id, d.name, d.contact_name, d.contact_email, d.contact_phone,
      d.website, d.address, d.city, d.cuisine, coalesce(d.lead_stage, 'new'),
      coalesce(d.lead_warmth, 'cold'), coalesce(d.lead_status, 'active'), d.rep_id, d.notes, v_user_id
    from decided as d
    where d.action = 'create'
    order by d.idx
    returning id
  ),
  updated as (
    update public.restaurants as r set
      name = coalesce(d.name, r.name),
      contact_name = coalesce(d.contact_name, r.contact_name),
      contact_email = coalesce(d.contact_email, r.contact_email),
      contact_phone = coalesce(d.contact_phone, r.contact_phone),
      website = coalesce(d.website, r.website),
      address = coalesce(d.address, r.address),
      city = coalesce(d.city, r.city),
      cuisine = coalesce(d.cuisine, r.cuisine),
      lead_stage = coalesce(d.lead_stage, r.lead_stage),
      lead_warmth = coalesce(d.lead_warmth, r.lead_warmth),
      lead_status = coalesce(d.lead_status, r.lead_status),
      assigned_sales_rep = coalesce(d.rep_id, r.assigned_sales_rep),
      notes = coalesce(d.notes, r.notes)
    from decided as d
    where d.action = 'update' and r.id = d.existing_id and r.deleted_at is null
    returning r.id
  )
  select coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
      'index', d.idx,
      'status', case d.action
        when 'create' then case when i.id is not null then 'created' else 'failed' end
        when 'update' then case when u.id is not null then 'updated' else 'failed' end
        when 'repeat' then 'skipped'
        else d.action end,
      'same_as', d.same_as,
      'id', case d.action
        when 'create' then i.id
        when 'update' then u.id
        when 'skipped' then d.existing_id end,
      'reason', case d.action
        when 'failed' then d.error
        when 'repeat' then 'repeats an earlier row of this import'
        when 'skipped' then case d.match
          when 'email' then 'a restaurant with this email already exists'
          else 'a restaurant with this name and city already exists' end
        when 'update' then case when u.id is null then 'the restaurant was deleted meanwhile' end
      end)) order by d.idx), '[]'::jsonb)
  into v_result
  from decided as d
  left join inserted as i on i.id = d.new_id
  left join updated as u on u.id = d.existing_id and d.action = 'update';

  return v_result;
end;
$$;

comment on function public.import_restaurants(uuid, jsonb, text) is
  'Imports ≤1,000 restaurant rows into an organisation (members): creates, or per p_on_duplicate skips/updates duplicates; per row {index, status, id?, reason?}. 400 bad input, 404 outsiders, 413 too many rows, 429 rate limited.';

revoke execute on function public.import_restaurants(uuid, jsonb, text) from public, anon, authenticated;
grant execute on function public.import_restaurants(uuid, jsonb, text) to authenticated;
