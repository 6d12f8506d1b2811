-- A restaurant's activity (issue 13 §4): the pipeline board's stage moves and the
-- timeline on the restaurant's page.
--
--   restaurants   ── after update (stage, warmth, status, rep, notes) ─┐
--   sequence_instances ── after insert / status change ───────────────┼─▶ restaurant_activity
--   tasks         ── after status change (completed, skipped, reopened)┘        │
--                                                                              ▼
--                         restaurant_timeline(restaurant, before, limit): newest first, keyset
--
-- Only what the rows themselves forget is recorded: a restaurant keeps its current stage, not
-- the one before; an instance keeps its last pause, not every one; a task keeps neither who
-- skipped it nor that it was completed before an Undo. Actor = auth.uid() of the request
-- (null when the scheduler acted, e.g. resume_due_sequences).

create table public.restaurant_activity (
  -- Identity, not a random uuid: rows written by one transaction share created_at, and the
  -- timeline orders them as they happened (a stage move before the sequences it ends).
  id bigint generated always as identity primary key,
  organisation_id uuid not null,
  restaurant_id uuid not null,
  kind text not null,
  actor_id uuid references public.profiles (id) on delete set null,
  from_value text,
  to_value text,
  task_id uuid references public.tasks (id) on delete set null,
  sequence_instance_id uuid references public.sequence_instances (id) on delete set null,
  -- Kept as written at the time: the task's or sequence's name, outcome, skip reason, exit reason.
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  constraint restaurant_activity_kind_valid check (kind in (
    'stage_changed', 'warmth_changed', 'status_changed', 'rep_changed', 'notes_changed',
    'task_completed', 'task_skipped', 'task_reopened',
    'sequence_started', 'sequence_paused', 'sequence_resumed', 'sequence_completed',
    'sequence_cancelled', 'sequence_exited'
  )),
  constraint restaurant_activity_details_is_object check (jsonb_typeof(details) = 'object'),
  -- Composite: an activity row can never point at another organisation's restaurant, and it
  -- goes with the restaurant (purge from the trash, organisation deleted).
  constraint restaurant_activity_restaurant_fkey
    foreign key (organisation_id, restaurant_id)
    references public.restaurants (organisation_id, id)
    on delete cascade
);

comment on table public.restaurant_activity is
  'What happened to a restaurant that its own rows do not keep: stage/warmth/status/rep/notes changes, task finishes and reopens, sequence events. Written only by triggers.';
comment on column public.restaurant_activity.from_value is
  'The value before (stage, warmth, status, rep id; notes: first 280 characters).';
comment on column public.restaurant_activity.details is
  'name (task or sequence), call_outcome, skip_reason, reason (cancel/exit), restarted_from.';

alter table public.restaurant_activity enable row level security;

-- The timeline reads one restaurant's rows newest first: this index serves it and the
-- restaurant foreign key's cascade (restaurant_id leads).
create index restaurant_activity_restaurant_id_created_at_idx
  on public.restaurant_activity (restaurant_id, created_at desc, id desc);
-- Leads with organisation_id: the tenant policy and the composite foreign key.
create index restaurant_activity_organisation_id_restaurant_id_idx
  on public.restaurant_activity (organisation_id, restaurant_id);
create index restaurant_activity_actor_id_idx on public.restaurant_activity (actor_id);
create index restaurant_activity_task_id_idx on public.restaurant_activity (task_id);
create index restaurant_activity_sequence_instance_id_idx
  on public.restaurant_activity (sequence_instance_id);

-- History is written by the database only: members read, nobody writes through the API.
revoke all on public.restaurant_activity from anon, authenticated;
grant select on public.restaurant_activity to authenticated;
-- A visitor's read is an empty list, as on the other tenant tables.
grant select on public.restaurant_activity to anon;

create policy restaurant_activity_select_members on public.restaurant_activity
  for select to authenticated
  using (organisation_id in (select private.user_organisation_ids()));


-- Restaurants: one row per changed field, in the same transaction as the change.
create function private.tg__record_restaurant_activity() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := (select auth.uid());
begin
  insert into public.restaurant_activity (organisation_id, restaurant_id, kind, actor_id, from_value, to_value)
  select new.organisation_id, new.id, c.kind, v_actor, c.from_value, c.to_value
  from (values
    ('stage_changed', old.lead_stage, new.lead_stage),
    ('warmth_changed', old.lead_warmth, new.lead_warmth),
    ('status_changed', old.lead_status, new.lead_status),
    ('rep_changed', old.assigned_sales_rep::text, new.assigned_sales_rep::text),
    -- Notes are long: the first 280 characters say what changed without copying the body.
    ('notes_changed', left(old.notes, 280), left(new.notes, 280))
  ) as c (kind, from_value, to_value)
  where case c.kind
    when 'stage_changed' then old.lead_stage is distinct from new.lead_stage
    when 'warmth_changed' then old.lead_warmth is distinct from new.lead_warmth
    when 'status_changed' then old.lead_status is distinct from new.lead_status
    when 'rep_changed' then old.assigned_sales_rep is distinct from new.assigned_sales_rep
    else old.notes is distinct from new.notes
  end;
  return null;
end;
$$;

comment on function private.tg__record_restaurant_activity() is
  'AFTER UPDATE on restaurants: records stage, warmth, status, rep and notes changes in restaurant_activity.';

revoke execute on function private.tg__record_restaurant_activity() from public, anon, authenticated;

-- _200 runs before _300_end_sequences_on_exit_stage, so the stage move is listed before the
-- sequences it ends (same timestamp; the timeline breaks ties by id, in insertion order).
create trigger _200_record_activity
  after update of lead_stage, lead_warmth, lead_status, assigned_sales_rep, notes on public.restaurants
  for each row
  when (
    old.lead_stage is distinct from new.lead_stage
    or old.lead_warmth is distinct from new.lead_warmth
    or old.lead_status is distinct from new.lead_status
    or old.assigned_sales_rep is distinct from new.assigned_sales_rep
    or old.notes is distinct from new.notes
  )
  execute function private.tg__record_restaurant_activity();


-- Sequence instances: started, and every status change (a pause and resume twice leaves
-- only the last pair on the instance).
create function private.tg__record_sequence_activity() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_kind text;
begin
  if tg_op = 'INSERT' then
    v_kind := 'sequence_started';
  else
    v_kind := case new.status
      when 'paused' then 'sequence_paused'
      when 'active' then 'sequence_resumed'
      when 'completed' then 'sequence_completed'
      -- The exit-stage trigger cancels with this reason (…002600_sequence_exit_criteria.sql).
      else case when new.exit_reason like 'restaurant moved to %' then 'sequence_exited' else 'sequence_cancelled' end
    end;
  end if;
  insert into public.restaurant_activity (
    organisation_id, restaurant_id, kind, actor_id, from_value, to_value, sequence_instance_id, details
  ) values (
    new.organisation_id, new.restaurant_id, v_kind, (select auth.uid()),
    case when tg_op = 'UPDATE' then old.status end, new.status, new.id,
    jsonb_strip_nulls(jsonb_build_object(
      'name', new.name,
      'reason', case when new.status = 'cancelled' then new.exit_reason end,
      'restarted_from', case when tg_op = 'INSERT' then new.metadata -> 'restarted_from' end
    ))
  );
  return null;
end;
$$;

comment on function private.tg__record_sequence_activity() is
  'AFTER INSERT / UPDATE OF status on sequence_instances: records started, paused, resumed, completed, cancelled, exited.';

revoke execute on function private.tg__record_sequence_activity() from public, anon, authenticated;

create trigger _400_record_activity
  after insert on public.sequence_instances
  for each row execute function private.tg__record_sequence_activity();

create trigger _400_record_status_activity
  after update of status on public.sequence_instances
  for each row
  when (old.status is distinct from new.status)
  execute function private.tg__record_sequence_activity();


-- Tasks: finished (with the outcome or reason written in the same update by finish_task)
-- and reopened. Cancelled tasks are their sequence's event, not the rep's.
create function private.tg__record_task_activity() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.restaurant_activity (
    organisation_id, restaurant_id, kind, actor_id, from_value, to_value, task_id, sequence_instance_id, details
  ) values (
    new.organisation_id, new.restaurant_id,
    case new.status when 'completed' then 'task_completed' when 'skipped' then 'task_skipped' else 'task_reopened' end,
    (select auth.uid()), old.status, new.status, new.id, new.sequence_instance_id,
    jsonb_strip_nulls(jsonb_build_object(
      'name', new.name,
      'type', new.type,
      'call_outcome', case when new.status = 'completed' then new.metadata ->> 'call_outcome' end,
      'skip_reason', case when new.status = 'skipped' then new.metadata ->> 'skip_reason' end
    ))
  );
  return null;
end;
$$;

comment on function private.tg__record_task_activity() is
  'AFTER UPDATE OF status on tasks of a restaurant: records completed, skipped (with outcome/reason) and reopened.';

revoke execute on function private.tg__record_task_activity() from public, anon, authenticated;

create trigger _400_record_activity
  after update of status on public.tasks
  for each row
  when (
    new.restaurant_id is not null
    and old.status is distinct from new.status
    and (new.status in ('completed', 'skipped')
      or (old.status in ('completed', 'skipped') and new.status in ('active', 'pending')))
  )
  execute function private.tg__record_task_activity();


-- The timeline: one restaurant's activity, newest first, with who acted. Security invoker:
-- RLS on restaurant_activity and profiles decides what the caller sees, so another
-- organisation's restaurant reads as an empty list. Keyset (p_before, p_before_id) because
-- one transaction writes several rows with the same timestamp (a stage move and the
-- sequences it ends).
create function public.restaurant_timeline(
  p_restaurant_id uuid,
  p_before timestamptz default null,
  p_limit integer default 50,
  p_before_id bigint default null
) returns table (
  id bigint,
  kind text,
  created_at timestamptz,
  actor_id uuid,
  actor_name text,
  from_value text,
  to_value text,
  task_id uuid,
  sequence_instance_id uuid,
  details jsonb
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  if p_limit is null or p_limit < 1 or p_limit > 200 then
    raise exception 'p_limit must be between 1 and 200' using errcode = '22023';
  end if;
  if p_before_id is not null and p_before is null then
    raise exception 'p_before_id needs p_before' using errcode = '22023';
  end if;
  return query
  select a.id, a.kind, a.created_at, a.actor_id,
    nullif(coalesce(nullif(p.full_name, ''), p.email), '') as actor_name,
    a.from_value, a.to_value, a.task_id, a.sequence_instance_id, a.details
  from public.restaurant_activity as a
  left join public.profiles as p on p.id = a.actor_id
  where a.restaurant_id = p_restaurant_id
    and (p_before is null
      or a.created_at < p_before
      or (p_before_id is not null and a.created_at = p_before and a.id < p_before_id))
  order by a.created_at desc, a.id desc
  limit p_limit;
end;
$$;

comment on function public.restaurant_timeline(uuid, timestamptz, integer, bigint) is
  'A restaurant''s activity newest first (keyset: rows before (p_before, p_before_id)); RLS applies (security invoker).';

revoke execute on function public.restaurant_timeline(uuid, timestamptz, integer, bigint) from public, anon;
grant execute on function public.restaurant_timeline(uuid, timestamptz, integer, bigint) to authenticated;


-- The pipeline board's column counts, over the same filters as the columns. Each stage is
-- counted exactly up to 1,000 and said "1,000+" past that: one grouped count read every row
-- of the organisation (100,000 restaurants: 403 ms, a seq scan), this reads at most 9 × 1,001
-- entries of restaurants_board_column_idx (12 ms, index only). The stage list mirrors the
-- restaurants_lead_stage_valid check (and leadStages in packages/domain).
--
-- Security definer, narrowing to the caller's organisations itself (nothing for anyone
-- else, nothing in the trash): under RLS, `@@` is not leakproof, so the policy's filter ran
-- first and a search counted every row of the stage (a rare word on 100,000: 455 ms); here
-- the GIN index answers it (a rare word: 1 ms; a word in every name, 10,000 counted: 50 ms).
create function public.restaurant_stage_counts(
  p_organisation_id uuid,
  p_rep uuid default null,
  p_search text default null
) returns table (lead_stage text, total bigint, capped boolean)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if p_organisation_id is null
    or p_organisation_id not in (select private.user_organisation_ids()) then
    return;
  end if;
  if nullif(p_search, '') is not null then
    -- A search counts its matches through the GIN index, grouped: per stage, the planner
    -- combined the GIN match with the whole stage's index entries (a rare word: 150 ms). Up to
    -- 10,000 matches are counted; past that every count is a lower bound (capped).
    return query
      with hits as (
        select r.lead_stage
        from public.restaurants as r
        where r.organisation_id = p_organisation_id
          and r.deleted_at is null
          and (p_rep is null or r.assigned_sales_rep = p_rep)
          and r.search @@ to_tsquery('simple'::regconfig, p_search)
        limit 10001
      )
      select h.lead_stage, count(*), (select count(*) from hits) > 10000
      from hits as h
      group by h.lead_stage;
    return;
  end if;
  -- Only the filters given are in the query, so each is planned with its own index (an
  -- "(p_rep is null or …)" condition kept the rep index out: 72 ms instead of under 1).
  return query execute format(
    $q$
      select s.stage, least(c.n, 1000), c.n > 1000
      from unnest(array[
        'new', 'contacted', 'qualified', 'demo_booked', 'demo_done', 'proposal', 'negotiation', 'won', 'lost'
      ]) as s (stage)
      cross join lateral (
        select count(*) as n
        from (
          select 1
          from public.restaurants as r
          where r.organisation_id = $1 and r.deleted_at is null and r.lead_stage = s.stage %s
          limit 1001
        ) as x
      ) as c
      where c.n > 0
    $q$,
    case when p_rep is not null then 'and r.assigned_sales_rep = $2' else '' end
  ) using p_organisation_id, p_rep;
end;
$$;

comment on function public.restaurant_stage_counts(uuid, uuid, text) is
  'Board column counts: restaurants per lead stage in one organisation (optionally one rep''s, matching a tsquery), exact up to 1,000, capped = more.';

revoke execute on function public.restaurant_stage_counts(uuid, uuid, text) from public, anon;
grant execute on function public.restaurant_stage_counts(uuid, uuid, text) to authenticated;

-- A board column: one organisation's restaurants in one stage, newest first, 50 at a time.
-- Partial like the select policy (deleted_at is null), which the planner can then match.
create index restaurants_board_column_idx
  on public.restaurants (organisation_id, lead_stage, updated_at desc, id desc)
  where deleted_at is null;
-- The same for one rep ("My restaurants"): without it a rep's column, and its count, read the
-- whole stage to find their cards (a rep with none: 99 ms on 100,000 restaurants).
create index restaurants_board_rep_column_idx
  on public.restaurants (organisation_id, assigned_sales_rep, lead_stage, updated_at desc, id desc)
  where deleted_at is null;

-- A board column's page: one stage's restaurants newest first, after the keyset cursor
-- (p_before_updated_at, p_before_id). A security definer for the same reason as the counts: it
-- narrows to the caller's organisations and out of the trash itself, so a search is free to use
-- the GIN index. The planner guesses a prefix search matches ~2% of rows and walks the column
-- in order, filtering: a rare word in a stage of 66,667 read all of them (478 ms). So a search
-- first counts its matches (GIN, capped): few (≤ 1,000) are read through the index and
-- sorted; many are found quickly walking the column in order.
create function public.pipeline_column(
  p_organisation_id uuid,
  p_stage text,
  p_rep uuid default null,
  p_search text default null,
  p_before_updated_at timestamptz default null,
  p_before_id uuid default null,
  p_limit integer default 50
) returns table (
  id uuid,
  name text,
  city text,
  lead_stage text,
  lead_warmth text,
  assigned_sales_rep uuid,
  updated_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_filters text;
  v_few_matches boolean;
begin
  if p_limit is null or p_limit < 1 or p_limit > 200 then
    raise exception 'p_limit must be between 1 and 200' using errcode = '22023';
  end if;
  if p_stage is null or p_stage <> all (array[
    'new', 'contacted', 'qualified', 'demo_booked', 'demo_done', 'proposal', 'negotiation', 'won', 'lost'
  ]) then
    raise exception 'unknown lead stage: %', coalesce(p_stage, 'null') using errcode = '22023';
  end if;
  if (p_before_updated_at is null) <> (p_before_id is null) then
    raise exception 'the cursor is p_before_updated_at and p_before_id together' using errcode = '22023';
  end if;
  if p_organisation_id is null
    or p_organisation_id not in (select private.user_organisation_ids()) then
    return;
  end if;

  -- Only the filters given are in the query, so each is planned with its own index.
  v_filters := concat_ws(' ',
    case when p_rep is not null then 'and r.assigned_sales_rep = $3' end,
    case when p_before_id is not null then 'and (r.updated_at, r.id) < ($5, $6)' end);

  if nullif(p_search, '') is not null then
    select count(*) <= 1000 into v_few_matches
    from (
      select 1 from public.restaurants as r
      where r.organisation_id = p_organisation_id
        and r.deleted_at is null
        and r.search @@ to_tsquery('simple'::regconfig, p_search)
      limit 1001
    ) as x;
    if v_few_matches then
      return query execute format(
        $q$
          with r as materialized (
            select r.id, r.name, r.city, r.lead_stage, r.lead_warmth, r.assigned_sales_rep, r.updated_at
            from public.restaurants as r
            where r.organisation_id = $1 and r.deleted_at is null
              and r.search @@ to_tsquery('simple'::regconfig, $4)
          )
          select r.id, r.name, r.city, r.lead_stage, r.lead_warmth, r.assigned_sales_rep, r.updated_at
          from r
          where r.lead_stage = $2 %s
          order by r.updated_at desc, r.id desc
          limit $7
        $q$, v_filters
      ) using p_organisation_id, p_stage, p_rep, p_search, p_before_updated_at, p_before_id, p_limit;
      return;
    end if;
    v_filters := v_filters || ' and r.search @@ to_tsquery(''simple''::regconfig, $4)';
  end if;

  return query execute format(
    $q$
      select r.id, r.name, r.city, r.lead_stage, r.lead_warmth, r.assigned_sales_rep, r.updated_at
      from public.restaurants as r
      where r.organisation_id = $1 and r.deleted_at is null and r.lead_stage = $2 %s
      order by r.updated_at desc, r.id desc
      limit $7
    $q$, v_filters
  ) using p_organisation_id, p_stage, p_rep, p_search, p_before_updated_at, p_before_id, p_limit;
end;
$$;

comment on function public.pipeline_column(uuid, text, uuid, text, timestamptz, uuid, integer) is
  'A board column page: one stage''s restaurants newest first after the (updated_at, id) cursor; members only, never the trash.';

revoke execute on function public.pipeline_column(uuid, text, uuid, text, timestamptz, uuid, integer) from public, anon;
grant execute on function public.pipeline_column(uuid, text, uuid, text, timestamptz, uuid, integer) to authenticated;


-- Which running sequences a move to p_stage would end: the rule the exit trigger applies,
-- in one place, so the board can ask before moving. The template's current exit stages
-- decide, falling back to the ones snapshotted at start when the template was deleted.
create function public.sequences_ending_at_stage(p_restaurant_id uuid, p_stage text)
returns table (id uuid, name text)
language sql
stable
security invoker
set search_path = ''
as $$
  select i.id, i.name
  from public.sequence_instances as i
  left join public.sequence_templates as t on t.id = i.sequence_template_id
  where i.restaurant_id = p_restaurant_id
    and i.status in ('active', 'paused')
    and p_stage = any (coalesce(
      t.exit_stages,
      array(select jsonb_array_elements_text(coalesce(i.metadata -> 'exit_stages', '[]'::jsonb)))
    ))
  order by i.id;
$$;

comment on function public.sequences_ending_at_stage(uuid, text) is
  'Running instances of a restaurant that a move to p_stage would cancel (the exit-stage rule; RLS applies).';

revoke execute on function public.sequences_ending_at_stage(uuid, text) from public, anon;
grant execute on function public.sequences_ending_at_stage(uuid, text) to authenticated;

-- The exit trigger now asks the same function (replaced whole; behaviour unchanged).
create or replace function private.tg__end_sequences_on_exit_stage() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_instance_id uuid;
begin
  -- Locked in id order, like every other path that locks instances, and before any task.
  for v_instance_id in
    select i.id
    from public.sequence_instances as i
    where i.id in (select e.id from public.sequences_ending_at_stage(new.id, new.lead_stage) as e)
      and i.status in ('active', 'paused')
    order by i.id
    for update of i
  loop
    perform private.sequence_cancel(v_instance_id, format('restaurant moved to %s', new.lead_stage));
  end loop;
  return null;
end;
$$;
