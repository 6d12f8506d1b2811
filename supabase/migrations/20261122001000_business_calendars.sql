-- Business calendars: when an organisation works, so that sequence tasks fall due inside
-- working hours (docs/sequences-contract.md, "business_calendars" and "Due-date maths").
-- The maths is implemented twice, here and in packages/domain/src/business-calendar.ts;
-- packages/domain/test-vectors/business-calendar.json holds the cases both must pass.

-- "HH:MM" → minutes after local midnight; "24:00" only as an end. Null when malformed.
create function private.calendar_clock_minutes(p_value text, p_allow_end_of_day boolean)
returns integer
language plpgsql
immutable
set search_path = ''
as $$
begin
  -- plpgsql, not sql: a sql function with SET is never inlined and is re-planned on every
  -- call (about 30 us each). The due-date maths inlines the same parse for speed.
  if p_value ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' then
    return split_part(p_value, ':', 1)::integer * 60 + split_part(p_value, ':', 2)::integer;
  elsif p_allow_end_of_day and p_value = '24:00' then
    return 1440;
  end if;
  return null;
end;
$$;

comment on function private.calendar_clock_minutes(text, boolean) is
  'Minutes after midnight of an "HH:MM" time ("24:00" allowed as an end); null when malformed.';


-- What is wrong with a windows value, or null: an array of {start, end} "HH:MM" objects,
-- each starting before it ends, in time order, not overlapping (touching is fine).
create function private.calendar_windows_problem(p_windows jsonb) returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_window jsonb;
  v_index integer := 0;
  v_start integer;
  v_end integer;
  v_previous_end integer := 0;
begin
  if p_windows is null or jsonb_typeof(p_windows) <> 'array' then
    return 'windows must be a JSON array of {"start": "HH:MM", "end": "HH:MM"}';
  end if;
  if jsonb_array_length(p_windows) = 0 then
    return 'add at least one opening window';
  end if;
  for v_window in select w.value from jsonb_array_elements(p_windows) as w loop
    v_index := v_index + 1;
    if jsonb_typeof(v_window) <> 'object'
      or (select count(*) from jsonb_object_keys(v_window)) <> 2
      or jsonb_typeof(v_window -> 'start') is distinct from 'string'
      or jsonb_typeof(v_window -> 'end') is distinct from 'string' then
      return format('window %s must be {"start": "HH:MM", "end": "HH:MM"}', v_index);
    end if;
    v_start := private.calendar_clock_minutes(v_window ->> 'start', false);
    v_end := private.calendar_clock_minutes(v_window ->> 'end', true);
    if v_start is null or v_end is null then
      return format('window %s: times are HH:MM (00:00 to 23:59; 24:00 as an end)', v_index);
    end if;
    if v_end <= v_start then
      return format('window %s must end after it starts', v_index);
    end if;
    if v_start < v_previous_end then
      return format('window %s starts before window %s ends: windows must be in time order and must not overlap', v_index, v_index - 1);
    end if;
    v_previous_end := v_end;
  end loop;
  return null;
end;
$$;

comment on function private.calendar_windows_problem(jsonb) is
  'Why a business calendar''s windows value is invalid, or null when it is valid.';


create table public.business_calendars (
  organisation_id uuid primary key references public.organisations (id) on delete cascade,
  time_zone text not null default 'UTC',
  working_days integer[] not null default '{1,2,3,4,5,6,7}',
  windows jsonb not null default '[{"start": "00:00", "end": "24:00"}]'::jsonb,
  holidays date[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- <@ is false for an array holding a null, so this also keeps nulls out.
  constraint business_calendars_working_days_valid check (
    cardinality(working_days) between 1 and 7 and working_days <@ '{1,2,3,4,5,6,7}'::integer[]
  ),
  constraint business_calendars_windows_valid check (private.calendar_windows_problem(windows) is null),
  constraint business_calendars_holidays_not_null check (array_position(holidays, null) is null)
);

comment on table public.business_calendars is
  'When an organisation works (time zone, ISO working days, daily opening windows, holidays); sequence due dates count open time only. No row: open 24/7 in UTC.';
comment on column public.business_calendars.time_zone is 'IANA zone (validated against pg_timezone_names) the windows and holidays are in.';
comment on column public.business_calendars.working_days is 'ISO weekdays, 1 = Monday .. 7 = Sunday; kept sorted and unique.';
comment on column public.business_calendars.windows is
  'Local opening windows [{"start": "HH:MM", "end": "HH:MM"}], in order, not overlapping; "24:00" ends the day.';
comment on column public.business_calendars.holidays is 'Dates (local) that are closed although a working day; kept sorted and unique.';

alter table public.business_calendars enable row level security;

-- The primary key indexes organisation_id, which every policy filters on.

create trigger _100_set_updated_at
  before update on public.business_calendars
  for each row execute function private.tg__set_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.business_calendars
  for each row execute function private.tg__keep_organisation_id('business calendar');


-- Sorts and de-duplicates days and holidays, and checks what a check constraint cannot
-- (the zone list is a catalogue view) or would report only by constraint name.
create function private.tg__business_calendars_validate() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_problem text;
begin
  -- pg_timezone_names reads the zone files: only when the zone is new or changed.
  if (tg_op = 'INSERT' or new.time_zone is distinct from old.time_zone)
    and not exists (select 1 from pg_catalog.pg_timezone_names as z where z.name = new.time_zone) then
    raise exception 'unknown time zone "%": use an IANA name such as Europe/London', new.time_zone
      using errcode = '23514';
  end if;

  new.working_days := array(select distinct d from unnest(new.working_days) as d order by d);
  if cardinality(new.working_days) = 0 then
    raise exception 'choose at least one working day' using errcode = '23514';
  end if;
  if not new.working_days <@ '{1,2,3,4,5,6,7}'::integer[] then
    raise exception 'working days are ISO weekdays 1 (Monday) to 7 (Sunday)' using errcode = '23514';
  end if;

  new.holidays := array(select distinct d from unnest(new.holidays) as d where d is not null order by d);

  v_problem := private.calendar_windows_problem(new.windows);
  if v_problem is not null then
    raise exception '%', v_problem using errcode = '23514';
  end if;
  return new;
end;
$$;

comment on function private.tg__business_calendars_validate() is
  'BEFORE INSERT/UPDATE trigger on business_calendars: validates the zone and windows, normalises days and holidays.';

revoke execute on function private.tg__business_calendars_validate() from public, anon, authenticated;

create trigger _300_validate
  before insert or update on public.business_calendars
  for each row execute function private.tg__business_calendars_validate();


-- RLS: members read their organisation's calendar; owners and admins write it.
create policy business_calendars_select_members on public.business_calendars
  for select to authenticated
  using (organisation_id in (select private.user_organisation_ids()));

create policy business_calendars_insert_admins on public.business_calendars
  for insert to authenticated
  with check (organisation_id in (select private.user_admin_organisation_ids()));

create policy business_calendars_update_admins on public.business_calendars
  for update to authenticated
  using (organisation_id in (select private.user_admin_organisation_ids()))
  with check (organisation_id in (select private.user_admin_organisation_ids()));

create policy business_calendars_delete_admins on public.business_calendars
  for delete to authenticated
  using (organisation_id in (select private.user_admin_organisation_ids()));

-- Only the settings columns are the client's to write. update(organisation_id) lets
-- supabase-js upsert (ON CONFLICT DO UPDATE sets every sent column); the trigger above
-- keeps it from actually changing.
revoke all on public.business_calendars from anon, authenticated;
grant select, delete on public.business_calendars to authenticated;
grant insert (organisation_id, time_zone, working_days, windows, holidays)
  on public.business_calendars to authenticated;
grant update (organisation_id, time_zone, working_days, windows, holidays)
  on public.business_calendars to authenticated;


-- ---------------------------------------------------------------------------------------
-- Due-date maths. Local wall-clock times become instants with `timestamp at time zone`:
-- a time in a spring-forward gap takes the offset from before the change (01:30 → 02:30
-- summer time), a time repeated at fall-back the later instant. The TypeScript does the
-- same. Limits that keep a bad calendar or delay from looping: 366 days in a row without
-- open time, or a due date more than 3660 days ahead, is an error (22023).

-- Consumes p_amount microseconds of open time from p_at; with 0, the next open moment
-- (p_at itself when open). Walks the open intervals a local day at a time, from the day
-- before p_at's (a window ending at 24:00 reaches p_at's local midnight). An amount that
-- runs out exactly at a window's close is due at the close.
create function private.calendar_walk(
  p_time_zone text,
  p_working_days integer[],
  p_holidays date[],
  p_starts integer[],
  p_ends integer[],
  p_at timestamptz,
  p_amount bigint
) returns timestamptz
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_first_day date := (p_at at time zone p_time_zone)::date;
  v_day date := v_first_day - 1;
  v_from timestamptz := p_at;
  v_remaining bigint := p_amount;
  v_closed_days integer := 0;
  v_used boolean;
  v_start timestamptz;
  v_end timestamptz;
  v_begin timestamptz;
  v_available bigint;
  v_window integer;
begin
  loop
    if v_day > v_first_day + 3660 then
      raise exception 'the due date would be more than 3660 days ahead' using errcode = '22023';
    end if;
    v_used := false;
    if extract(isodow from v_day)::integer = any (p_working_days) and not (v_day = any (p_holidays)) then
      for v_window in 1 .. coalesce(array_length(p_starts, 1), 0) loop
        v_start := (v_day + make_interval(mins => p_starts[v_window])) at time zone p_time_zone;
        v_end := (v_day + make_interval(mins => p_ends[v_window])) at time zone p_time_zone;
        continue when v_end <= v_from or v_end <= v_start;
        v_begin := greatest(v_start, v_from);
        -- Microseconds, not an interval: timestamptz - timestamptz justifies 24 h into a
        -- "day", which addition would then read as a local calendar day.
        v_available := ((extract(epoch from v_end) - extract(epoch from v_begin)) * 1000000)::bigint;
        v_used := true;
        if v_remaining <= v_available then
          return v_begin + v_remaining * interval '1 microsecond';
        end if;
        v_remaining := v_remaining - v_available;
        v_from := v_end;
      end loop;
    end if;
    v_closed_days := case when v_used then 0 else v_closed_days + 1 end;
    if v_closed_days > 366 then
      raise exception 'the business calendar has no open time in 366 days' using errcode = '22023';
    end if;
    v_day := v_day + 1;
  end loop;
end;
$$;

comment on function private.calendar_walk(text, integer[], date[], integer[], integer[], timestamptz, bigint) is
  'Adds p_amount microseconds of open time to p_at (0: next open moment). Internal to calendar_due_date_for.';


-- due(from, delay, calendar) for a calendar given as jsonb (a business_calendars row as
-- to_jsonb gives it; missing keys take the table defaults, so '{}' is open 24/7 in UTC).
-- minutes/hours: that much open time from p_from. days: N working days on, same local
-- time, then the next open moment. 0: the next open moment.
create function private.calendar_due_date_for(
  p_calendar jsonb,
  p_from timestamptz,
  p_delay_value integer,
  p_delay_unit text
) returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  v_time_zone text := coalesce(p_calendar ->> 'time_zone', 'UTC');
  v_working_days integer[] := '{1,2,3,4,5,6,7}';
  v_holidays date[] := '{}';
  v_starts integer[];
  v_ends integer[];
  v_local timestamp;
  v_day date;
  v_counted integer := 0;
  v_closed_days integer := 0;
  v_index integer;
begin
  if p_delay_value is null or p_delay_value < 0 then
    raise exception 'a delay must be a whole number >= 0, not %', coalesce(p_delay_value::text, 'null')
      using errcode = '22023';
  end if;
  if p_delay_unit is null or p_delay_unit not in ('minutes', 'hours', 'days') then
    raise exception 'unknown delay unit "%"', coalesce(p_delay_unit, 'null') using errcode = '22023';
  end if;
  -- (Parenthesised: plpgsql ends an IF condition at the first THEN outside brackets.)
  if p_delay_value > 3660 * (case p_delay_unit when 'minutes' then 1440 when 'hours' then 24 else 1 end) then
    raise exception 'the due date would be more than 3660 days ahead' using errcode = '22023';
  end if;
  if p_from is null then
    return null;
  end if;

  if p_calendar ? 'windows' and jsonb_typeof(p_calendar -> 'windows') is distinct from 'array' then
    raise exception 'windows must be a JSON array' using errcode = '22023';
  end if;
  -- One statement for the whole calendar, times parsed inline: every extra query or
  -- function call here costs microseconds on each complete_task (calendar_clock_minutes
  -- has the same rule).
  select
    case when p_calendar ? 'working_days'
      then array(select d::integer from jsonb_array_elements_text(p_calendar -> 'working_days') as d)
      else '{1,2,3,4,5,6,7}'::integer[] end,
    case when p_calendar ? 'holidays'
      then array(select d::date from jsonb_array_elements_text(p_calendar -> 'holidays') as d)
      else '{}'::date[] end,
    coalesce(w.starts, '{}'),
    coalesce(w.ends, '{}')
  into v_working_days, v_holidays, v_starts, v_ends
  from (
    select
      array_agg(case when e.value ->> 'start' ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
        then left(e.value ->> 'start', 2)::integer * 60 + right(e.value ->> 'start', 2)::integer
      end order by e.ord) as starts,
      array_agg(case
        when e.value ->> 'end' = '24:00' then 1440
        when e.value ->> 'end' ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
          then left(e.value ->> 'end', 2)::integer * 60 + right(e.value ->> 'end', 2)::integer
      end order by e.ord) as ends
    from jsonb_array_elements(
      coalesce(p_calendar -> 'windows', '[{"start": "00:00", "end": "24:00"}]'::jsonb)
    ) with ordinality as e (value, ord)
  ) as w;
  if array_position(v_starts, null) is not null or array_position(v_ends, null) is not null then
    raise exception 'a window''s times are not HH:MM' using errcode = '22023';
  end if;

  -- Around the clock: plain interval arithmetic (days are local calendar days, which in
  -- UTC are exactly 24 h). Gives what the walk below would, without walking.
  if cardinality(v_holidays) = 0 and v_working_days @> '{1,2,3,4,5,6,7}'::integer[] then
    for v_index in 1 .. cardinality(v_starts) loop
      if v_starts[v_index] = 0 and v_ends[v_index] = 1440 then
        return case
          when p_delay_unit = 'minutes' then p_from + make_interval(mins => p_delay_value)
          when p_delay_unit = 'hours' then p_from + make_interval(hours => p_delay_value)
          when p_delay_value = 0 then p_from
          when v_time_zone = 'UTC' then p_from + make_interval(hours => 24 * p_delay_value)
          else ((p_from at time zone v_time_zone) + make_interval(days => p_delay_value)) at time zone v_time_zone
        end;
      end if;
    end loop;
  end if;

  if p_delay_unit = 'minutes' then
    return private.calendar_walk(v_time_zone, v_working_days, v_holidays, v_starts, v_ends,
      p_from, p_delay_value * 60000000::bigint);
  elsif p_delay_unit = 'hours' then
    return private.calendar_walk(v_time_zone, v_working_days, v_holidays, v_starts, v_ends,
      p_from, p_delay_value * 3600000000::bigint);
  elsif p_delay_value = 0 then
    return private.calendar_walk(v_time_zone, v_working_days, v_holidays, v_starts, v_ends, p_from, 0);
  end if;

  -- days: count working days (not holidays) forward, keep the local time of day.
  v_local := p_from at time zone v_time_zone;
  v_day := v_local::date;
  while v_counted < p_delay_value loop
    v_day := v_day + 1;
    if extract(isodow from v_day)::integer = any (v_working_days) and not (v_day = any (v_holidays)) then
      v_counted := v_counted + 1;
      v_closed_days := 0;
    else
      v_closed_days := v_closed_days + 1;
      if v_closed_days > 366 then
        raise exception 'the business calendar has no working day in 366 days' using errcode = '22023';
      end if;
    end if;
  end loop;
  return private.calendar_walk(v_time_zone, v_working_days, v_holidays, v_starts, v_ends,
    (v_day + (v_local - v_local::date)) at time zone v_time_zone, 0);
end;
$$;

comment on function private.calendar_due_date_for(jsonb, timestamptz, integer, text) is
  'Due date p_delay after p_from under a calendar given as jsonb (business_calendars columns; ''{}'' = 24/7 UTC). 22023 on a bad delay or a calendar without open time.';


-- The organisation's due date: what complete_task and start_sequence call. No row, or a
-- row left at the defaults, is open 24/7 in UTC and is plain interval arithmetic.
-- Measured on the native stack (Postgres 17): about 7 us a call without a row or with the
-- default row; about 75 us with a weekday two-window calendar for +1 day, +8 hours or
-- +7 days (mostly reading the calendar; the walk costs about 5 us a day); about 2 ms for
-- +2000 open hours (a year of days); at most about 15 ms at the 3660-day limit.
create function private.calendar_due_date(
  p_organisation_id uuid,
  p_from timestamptz,
  p_delay_value integer,
  p_delay_unit text
) returns timestamptz
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_calendar public.business_calendars;
begin
  select * into v_calendar
  from public.business_calendars as c
  where c.organisation_id = p_organisation_id;

  if (not found
      or (v_calendar.time_zone = 'UTC'
          and v_calendar.working_days = '{1,2,3,4,5,6,7}'::integer[]
          and v_calendar.windows = '[{"start": "00:00", "end": "24:00"}]'::jsonb
          and cardinality(v_calendar.holidays) = 0))
    and p_delay_value between 0 and 3660 * 24 * 60
    and p_delay_unit in ('minutes', 'hours', 'days') then
    return p_from + case p_delay_unit
      when 'minutes' then make_interval(mins => p_delay_value)
      when 'hours' then make_interval(hours => p_delay_value)
      else make_interval(hours => 24 * p_delay_value)
    end;
  end if;

  -- Anything else, including a delay the fast path would not check, takes the full rules.
  return private.calendar_due_date_for(
    case when v_calendar.organisation_id is null then '{}'::jsonb else to_jsonb(v_calendar) end,
    p_from, p_delay_value, p_delay_unit);
end;
$$;

comment on function private.calendar_due_date(uuid, timestamptz, integer, text) is
  'Due date p_delay after p_from in the organisation''s business calendar (none: 24/7 UTC).';


-- Due dates of a sequence's steps if each were completed exactly when due, for previews
-- in other clients (the web app computes the same in TypeScript).
create function public.preview_due_dates(
  p_organisation_id uuid,
  p_from timestamptz,
  p_steps jsonb
) returns timestamptz[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_calendar jsonb;
  v_step jsonb;
  v_index integer := 0;
  v_at timestamptz := coalesce(p_from, now());
  v_due timestamptz[] := '{}';
begin
  if not private.is_organisation_member(p_organisation_id, private.require_user()) then
    raise exception 'only members of the organisation can preview its due dates'
      using errcode = '42501';
  end if;
  if p_steps is null or jsonb_typeof(p_steps) <> 'array' then
    raise exception 'p_steps must be a JSON array of {"delay_value": n, "delay_unit": "minutes"|"hours"|"days"}'
      using errcode = '22023';
  end if;
  if jsonb_array_length(p_steps) > 200 then
    raise exception 'at most 200 steps can be previewed at once' using errcode = '22023';
  end if;

  select to_jsonb(c) into v_calendar
  from public.business_calendars as c
  where c.organisation_id = p_organisation_id;

  for v_step in select s.value from jsonb_array_elements(p_steps) as s loop
    v_index := v_index + 1;
    if jsonb_typeof(v_step) <> 'object'
      or jsonb_typeof(v_step -> 'delay_value') is distinct from 'number'
      or (v_step ->> 'delay_value') !~ '^[0-9]{1,9}$'
      or jsonb_typeof(v_step -> 'delay_unit') is distinct from 'string' then
      raise exception 'step %: expected {"delay_value": whole number >= 0, "delay_unit": "minutes"|"hours"|"days"}', v_index
        using errcode = '22023';
    end if;
    v_at := private.calendar_due_date_for(coalesce(v_calendar, '{}'::jsonb), v_at,
      (v_step ->> 'delay_value')::integer, v_step ->> 'delay_unit');
    v_due := v_due || v_at;
  end loop;
  return v_due;
end;
$$;

comment on function public.preview_due_dates(uuid, timestamptz, jsonb) is
  'Chained due dates for [{delay_value, delay_unit}] from p_from (null: now) in the organisation''s calendar; members only (42501).';


revoke execute on function private.calendar_clock_minutes(text, boolean) from public, anon, authenticated;
revoke execute on function private.calendar_windows_problem(jsonb) from public, anon, authenticated;
revoke execute on function private.calendar_walk(text, integer[], date[], integer[], integer[], timestamptz, bigint)
  from public, anon, authenticated;
revoke execute on function private.calendar_due_date_for(jsonb, timestamptz, integer, text) from public, anon, authenticated;
revoke execute on function private.calendar_due_date(uuid, timestamptz, integer, text) from public, anon, authenticated;
revoke execute on function public.preview_due_dates(uuid, timestamptz, jsonb) from public, anon, service_role;

-- The check constraint runs as whoever writes the row.
grant execute on function private.calendar_clock_minutes(text, boolean) to authenticated, service_role;
grant execute on function private.calendar_windows_problem(jsonb) to authenticated, service_role;
grant execute on function private.calendar_walk(text, integer[], date[], integer[], integer[], timestamptz, bigint)
  to service_role;
grant execute on function private.calendar_due_date_for(jsonb, timestamptz, integer, text) to service_role;
grant execute on function private.calendar_due_date(uuid, timestamptz, integer, text) to service_role;
grant execute on function public.preview_due_dates(uuid, timestamptz, jsonb) to authenticated;
