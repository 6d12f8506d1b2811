-- My tasks past 200 (issue 13 §4, §6): each section of the list (overdue, today, upcoming,
-- no due date; one list for closed statuses) pages with a keyset "Load more", a count per
-- section comes in one round trip, and the restaurant and sequence filters search as you
-- type instead of offering the first 1,000 / newest 200.
--
-- Both task functions are security invoker: RLS on tasks decides what a caller sees (an
-- outsider counts zeros and pages nothing), so no membership rule is repeated here. They
-- build their query with format() and run it with EXECUTE so each call is planned with its
-- own filters: a cached generic plan over "(p_x is null or col = p_x)" could not pick the
-- index that fits.

-- Indexes --------------------------------------------------------------------------------
-- Partial on deleted_at is null: the tasks select policy has that condition, so the planner
-- can use these under RLS, and index-only scans answer the counts.

-- A rep's (or the unassigned) open tasks by section: (due_date, id) is the keyset.
create index tasks_my_tasks_due_idx
  on public.tasks (organisation_id, assigned_to, status, due_date, id)
  where deleted_at is null;

-- Undated open tasks page by (created_at, id).
create index tasks_my_tasks_undated_idx
  on public.tasks (organisation_id, assigned_to, status, created_at, id)
  where deleted_at is null and due_date is null;

-- Closed tasks, newest first: the one stamp its status sets (the table's checks make the
-- other two null), so one expression covers completed, skipped and cancelled.
create index tasks_my_tasks_closed_idx
  on public.tasks (organisation_id, assigned_to, status, (coalesce(completed_at, skipped_at, cancelled_at)), id)
  where deleted_at is null;

-- "Anyone": the whole organisation's tasks of a status by due date.
create index tasks_organisation_status_due_idx
  on public.tasks (organisation_id, status, due_date, id)
  where deleted_at is null;

-- Pickers: a name prefix, case-insensitively, in byte order ("C"), so one btree range both
-- finds the prefix and returns the first 20 in order without sorting the matches.
create index restaurants_organisation_lower_name_idx
  on public.restaurants (organisation_id, (lower(name) collate "C"), id)
  where deleted_at is null;

create index sequence_instances_running_lower_name_idx
  on public.sequence_instances (organisation_id, (lower(name) collate "C"), id)
  where deleted_at is null and status in ('active', 'paused');


-- The shared filter of both functions ------------------------------------------------------
-- Returns the WHERE clause (after "where") for the filters, or raises 22023 for bad input.
-- p_assignee: a member's user id, 'anyone' or 'unassigned'.
create function private.my_tasks_where(
  p_organisation_id uuid,
  p_status text,
  p_assignee text,
  p_type text,
  p_restaurant_id uuid,
  p_instance_id uuid
) returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_where text;
begin
  if p_organisation_id is null then
    raise exception 'organisation is required' using errcode = '22023';
  end if;
  if p_status is null or p_status not in ('active', 'pending', 'completed', 'skipped', 'cancelled') then
    raise exception 'status must be one of active, pending, completed, skipped, cancelled'
      using errcode = '22023';
  end if;
  if p_type is not null
    and p_type not in ('email', 'call', 'text', 'social_message', 'internal_activity') then
    raise exception 'type must be one of email, call, text, social_message, internal_activity'
      using errcode = '22023';
  end if;
  v_where := format('t.organisation_id = %L and t.status = %L and t.deleted_at is null',
    p_organisation_id, p_status);
  if p_assignee is null or p_assignee = 'anyone' then
    null;
  elsif p_assignee = 'unassigned' then
    v_where := v_where || ' and t.assigned_to is null';
  elsif p_assignee ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    v_where := v_where || format(' and t.assigned_to = %L::uuid', p_assignee);
  else
    raise exception 'assignee must be a user id, anyone or unassigned' using errcode = '22023';
  end if;
  if p_type is not null then
    v_where := v_where || format(' and t.type = %L', p_type);
  end if;
  if p_restaurant_id is not null then
    v_where := v_where || format(' and t.restaurant_id = %L', p_restaurant_id);
  end if;
  if p_instance_id is not null then
    v_where := v_where || format(' and t.sequence_instance_id = %L', p_instance_id);
  end if;
  return v_where;
end;
$$;

comment on function private.my_tasks_where(uuid, text, text, text, uuid, uuid) is
  'The WHERE clause of my_task_counts and my_tasks_page for their filters; 22023 on bad input.';

revoke execute on function private.my_tasks_where(uuid, text, text, text, uuid, uuid)
  from public, anon;
-- The invoker functions below run as the caller; this only builds text.
grant execute on function private.my_tasks_where(uuid, text, text, text, uuid, uuid)
  to authenticated;


-- Counts ------------------------------------------------------------------------------------
-- Open statuses: {overdue, today, upcoming, no_due_date, total, cap} as of p_now, "today"
-- ending at the next midnight in p_time_zone; closed statuses: {total, cap}. Each section
-- counts at most p_cap + 1 rows, each an index-only range: a value above cap means "more
-- than cap" (the page says "1,000+"). Exact counts of a rep's 50,000 open tasks would read
-- all 50,000 index entries on every refresh; nobody needs "21,214 overdue" to the unit.
create function public.my_task_counts(
  p_organisation_id uuid,
  p_status text,
  p_assignee text default 'anyone',
  p_type text default null,
  p_restaurant_id uuid default null,
  p_instance_id uuid default null,
  p_now timestamptz default null,
  p_time_zone text default 'UTC',
  p_cap integer default 1000
) returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_where text := private.my_tasks_where(
    p_organisation_id, p_status, p_assignee, p_type, p_restaurant_id, p_instance_id);
  v_now timestamptz := coalesce(p_now, now());
  v_day_end timestamptz;
  v_count text := 'select count(*) from (select 1 from public.tasks as t where %s%s limit %s) as s';
  v_result jsonb;
begin
  if p_cap is null or p_cap < 1 or p_cap > 100000 then
    raise exception 'cap must be between 1 and 100000' using errcode = '22023';
  end if;
  if p_status in ('completed', 'skipped', 'cancelled') then
    execute format('select jsonb_build_object(''total'', (' || v_count || '), ''cap'', %s)',
      v_where, '', p_cap + 1, p_cap)
      into v_result;
    return v_result;
  end if;
  -- 22023 "time zone not recognized" for a bad zone.
  v_day_end := (date_trunc('day', v_now at time zone p_time_zone) + interval '1 day')
    at time zone p_time_zone;
  execute format(
    'select jsonb_build_object('
    || '''overdue'', (' || v_count || '), '
    || '''today'', (' || v_count || '), '
    || '''upcoming'', (' || v_count || '), '
    || '''no_due_date'', (' || v_count || '), '
    || '''total'', (' || v_count || '), '
    || '''cap'', %s)',
    v_where, format(' and t.due_date < %L', v_now), p_cap + 1,
    v_where, format(' and t.due_date >= %L and t.due_date < %L', v_now, v_day_end), p_cap + 1,
    v_where, format(' and t.due_date >= %L', v_day_end), p_cap + 1,
    v_where, ' and t.due_date is null', p_cap + 1,
    v_where, '', p_cap + 1,
    p_cap)
    into v_result;
  return v_result;
end;
$$;

comment on function public.my_task_counts(uuid, text, text, text, uuid, uuid, timestamptz, text, integer) is
  'My tasks: how many tasks each section holds for the filters (RLS applies), each up to cap + 1. Open statuses: overdue, today, upcoming, no_due_date, total; closed: total.';

revoke execute on function public.my_task_counts(uuid, text, text, text, uuid, uuid, timestamptz, text, integer)
  from public, anon;
grant execute on function public.my_task_counts(uuid, text, text, text, uuid, uuid, timestamptz, text, integer)
  to authenticated;


-- Pages ---------------------------------------------------------------------------------------
-- One page of one section, in the section's keyset order:
--   overdue (due < p_now), today (due from p_now to the next midnight in p_time_zone),
--   upcoming (due later): (due_date, id) ascending;
--   no_due_date: (created_at, id) ascending;
--   all (closed statuses only): (completed/skipped/cancelled stamp, id) descending.
-- p_after_*: start strictly after this key (the previous page's last row); p_through_*: end at
-- this key inclusive (a page already shown keeps its range when it refetches, so rows that
-- come or go elsewhere neither duplicate nor drop rows across pages). At most p_limit rows.
create function public.my_tasks_page(
  p_organisation_id uuid,
  p_status text,
  p_section text,
  p_assignee text default 'anyone',
  p_type text default null,
  p_restaurant_id uuid default null,
  p_instance_id uuid default null,
  p_now timestamptz default null,
  p_time_zone text default 'UTC',
  p_after_at timestamptz default null,
  p_after_id uuid default null,
  p_through_at timestamptz default null,
  p_through_id uuid default null,
  p_limit integer default 50
) returns setof public.tasks
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_where text := private.my_tasks_where(
    p_organisation_id, p_status, p_assignee, p_type, p_restaurant_id, p_instance_id);
  v_now timestamptz := coalesce(p_now, now());
  v_day_end timestamptz;
  v_key text;
  v_desc boolean := false;
begin
  if p_limit is null or p_limit < 1 or p_limit > 500 then
    raise exception 'limit must be between 1 and 500' using errcode = '22023';
  end if;
  if (p_after_at is null) <> (p_after_id is null) or (p_through_at is null) <> (p_through_id is null) then
    raise exception 'a cursor needs both its time and its id' using errcode = '22023';
  end if;
  if p_status in ('completed', 'skipped', 'cancelled') then
    if p_section is distinct from 'all' then
      raise exception 'closed tasks have one section: all' using errcode = '22023';
    end if;
    v_key := 'coalesce(t.completed_at, t.skipped_at, t.cancelled_at)';
    v_desc := true;
  else
    v_day_end := (date_trunc('day', v_now at time zone p_time_zone) + interval '1 day')
      at time zone p_time_zone;
    case p_section
      when 'overdue' then
        v_key := 't.due_date';
        v_where := v_where || format(' and t.due_date < %L', v_now);
      when 'today' then
        v_key := 't.due_date';
        v_where := v_where || format(' and t.due_date >= %L and t.due_date < %L', v_now, v_day_end);
      when 'upcoming' then
        v_key := 't.due_date';
        v_where := v_where || format(' and t.due_date >= %L', v_day_end);
      when 'no_due_date' then
        v_key := 't.created_at';
        v_where := v_where || ' and t.due_date is null';
      else
        raise exception 'section must be overdue, today, upcoming or no_due_date'
          using errcode = '22023';
    end case;
  end if;
  -- Row comparisons: the index range starts (or ends) at the cursor itself.
  if p_after_at is not null then
    v_where := v_where || format(' and (%s, t.id) %s (%L::timestamptz, %L::uuid)',
      v_key, case when v_desc then '<' else '>' end, p_after_at, p_after_id);
  end if;
  if p_through_at is not null then
    v_where := v_where || format(' and (%s, t.id) %s (%L::timestamptz, %L::uuid)',
      v_key, case when v_desc then '>=' else '<=' end, p_through_at, p_through_id);
  end if;
  return query execute format(
    'select t.* from public.tasks as t where %s order by %s %s, t.id %s limit %s',
    v_where, v_key, case when v_desc then 'desc' else 'asc' end,
    case when v_desc then 'desc' else 'asc' end, p_limit);
end;
$$;

comment on function public.my_tasks_page(uuid, text, text, text, text, uuid, uuid, timestamptz, text, timestamptz, uuid, timestamptz, uuid, integer) is
  'My tasks: one keyset page of one section (RLS applies). Embed restaurant and sequence_instance with select=.';

revoke execute on function public.my_tasks_page(uuid, text, text, text, text, uuid, uuid, timestamptz, text, timestamptz, uuid, timestamptz, uuid, integer)
  from public, anon;
grant execute on function public.my_tasks_page(uuid, text, text, text, text, uuid, uuid, timestamptz, text, timestamptz, uuid, timestamptz, uuid, integer)
  to authenticated;


-- Pickers --------------------------------------------------------------------------------------
-- Names starting with p_search (case-insensitive), first p_limit (≤ 50) by name. Security
-- definer, narrowing to the organisation after checking the caller belongs to it (404
-- otherwise) and leaving out the trash, as the select policies do: under RLS, lower() is not
-- leakproof, so the policy's filter would run first on every row of the organisation and the
-- name index would never be used (240 ms on 100,000 restaurants; under 1 ms like this).
-- A range on the lower-cased name rather than LIKE, so it stays index-backed with the
-- search as a parameter; chr(1114111) sorts after every character in "C" order.
create function public.search_task_filter_restaurants(
  p_organisation_id uuid,
  p_search text default '',
  p_limit integer default 20
) returns table (id uuid, name text)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_prefix text := lower(btrim(coalesce(p_search, '')));
begin
  perform private.require_organisation_member(p_organisation_id);
  return query
    select r.id, r.name
    from public.restaurants as r
    where r.organisation_id = p_organisation_id
      and r.deleted_at is null
      and lower(r.name) collate "C" >= v_prefix collate "C"
      and lower(r.name) collate "C" < (v_prefix || chr(1114111)) collate "C"
    order by lower(r.name) collate "C", r.id
    limit least(greatest(coalesce(p_limit, 20), 1), 50);
end;
$$;

comment on function public.search_task_filter_restaurants(uuid, text, integer) is
  'The My tasks restaurant picker: the organisation''s restaurants (not in the trash) whose name starts with p_search, by name; 404 for non-members.';

revoke execute on function public.search_task_filter_restaurants(uuid, text, integer) from public, anon;
grant execute on function public.search_task_filter_restaurants(uuid, text, integer) to authenticated;

-- Running (active or paused) sequence instances, the same way.
create function public.search_task_filter_instances(
  p_organisation_id uuid,
  p_search text default '',
  p_limit integer default 20
) returns table (id uuid, name text, status text)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_prefix text := lower(btrim(coalesce(p_search, '')));
begin
  perform private.require_organisation_member(p_organisation_id);
  return query
    select i.id, i.name, i.status
    from public.sequence_instances as i
    where i.organisation_id = p_organisation_id
      and i.deleted_at is null
      and i.status in ('active', 'paused')
      and lower(i.name) collate "C" >= v_prefix collate "C"
      and lower(i.name) collate "C" < (v_prefix || chr(1114111)) collate "C"
    order by lower(i.name) collate "C", i.id
    limit least(greatest(coalesce(p_limit, 20), 1), 50);
end;
$$;

comment on function public.search_task_filter_instances(uuid, text, integer) is
  'The My tasks sequence picker: the organisation''s running instances whose name starts with p_search, by name; 404 for non-members.';

revoke execute on function public.search_task_filter_instances(uuid, text, integer) from public, anon;
grant execute on function public.search_task_filter_instances(uuid, text, integer) to authenticated;
