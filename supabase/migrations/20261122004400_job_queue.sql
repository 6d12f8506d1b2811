-- The orchestrator's queue functions (docs/workflows-contract.md; style after
-- graphile-worker). Service role only. The orchestrator claims due jobs in batches, runs
-- one step per claim outside any transaction (the executor is an HTTP call), then hands
-- all results back in one call: two round trips per batch however large it is.
--
-- Exactly once: a claim bumps `attempt` and records the worker in `locked_by`; a result is
-- applied only if the job is still running with that worker and attempt. A worker whose
-- lease ran out and whose job another worker claimed finds its result refused; the unique
-- index job_events_one_success_per_step_idx is the database's own guarantee on top.

-- Full-jitter exponential backoff, the same maths as packages/domain/src/backoff.ts: the
-- delay for retry n is uniform in [0, min(cap, base * factor^(n-1))) milliseconds.
-- Computed here so a retry's time comes from the database clock in the same transaction.
create function private.retry_delay_ms(p_retry integer, p_policy jsonb) returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_base numeric := coalesce((p_policy ->> 'base_ms')::numeric, 1000);
  v_factor numeric := coalesce((p_policy ->> 'factor')::numeric, 2);
  v_cap numeric := coalesce((p_policy ->> 'cap_ms')::numeric, 300000);
  v_window numeric;
begin
  -- least() before power() overflows: cap the exponent at a point where any factor >= 2
  -- is past any sane cap.
  v_window := least(v_cap, v_base * power(v_factor, least(greatest(p_retry, 1) - 1, 60)));
  if coalesce(p_policy ->> 'jitter', 'full') = 'none' then
    return round(v_window);
  end if;
  return least(floor(random() * v_window), greatest(ceil(v_window) - 1, 0));
end;
$$;

comment on function private.retry_delay_ms(integer, jsonb) is
  'Milliseconds to wait before retry n under a workflow retry policy (full jitter unless jitter = none).';


-- The queue's limits (issue 10: one tenant must not halt or starve the others). One row,
-- set by operators in SQL; each organisation's override below. Bytes are of the jobs'
-- input_data and step_data as JSON text, what a claim carries to the worker.
create table private.queue_settings (
  id boolean primary key default true,
  -- Steps of one organisation running at once (leased), unless overridden below. Below an
  -- orchestrator's concurrency (200), so one flooding organisation leaves a run room for
  -- the others.
  max_running_per_organisation integer not null default 100,
  -- One claim's jobs together (the first job is always taken, up to job_max_bytes). Postgres
  -- caps a jsonb array at 256 MiB; a claim's jsonb is up to ~6x its JSON text (an array of
  -- small numbers: 2 bytes of text, a 4-byte entry and an 8-byte numeric), so 8 MiB of text
  -- per claim and 32 MiB for a job alone stay far below it.
  claim_max_bytes integer not null default 8 * 1024 * 1024,
  -- A job larger than this is failed when claimed (payload_too_large), never retried.
  job_max_bytes integer not null default 32 * 1024 * 1024,
  -- A new job's input_data (start-workflow and start_workflow_job alike answer 413 above
  -- it). Large inputs, audio above all, come by URL (execute-gemini-prompt's audio_url):
  -- 32 MiB inputs were what let ten jobs break every claim.
  input_max_bytes integer not null default 4 * 1024 * 1024,
  constraint queue_settings_one_row check (id),
  constraint queue_settings_max_running_range check (max_running_per_organisation between 1 and 100000),
  constraint queue_settings_claim_max_bytes_range check (claim_max_bytes between 1024 and 64 * 1024 * 1024),
  constraint queue_settings_job_max_bytes_range check (job_max_bytes between 1024 and 40 * 1024 * 1024),
  constraint queue_settings_input_max_bytes_range check (input_max_bytes between 1024 and 16 * 1024 * 1024)
);

comment on table private.queue_settings is
  'The job queue''s limits (one row): steps running at once per organisation, bytes per claim, per job and per new job''s input.';

insert into private.queue_settings default values;

-- A new job's input within input_max_bytes, however it is created (the RPC is callable
-- through PostgREST too, past start-workflow's body limit). On insert only: a job's input
-- never changes afterwards.
create function private.tg__jobs_input_size() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_max integer := (select s.input_max_bytes from private.queue_settings as s);
  v_size bigint := octet_length(new.input_data::text);
begin
  if v_size > v_max then
    perform private.raise_http(413, 'payload_too_large', format(
      'input_data is %s bytes of JSON; at most %s are taken. Pass large inputs (audio) by URL',
      v_size, v_max));
  end if;
  return new;
end;
$$;

create trigger _050_check_input_size
  before insert on public.jobs
  for each row execute function private.tg__jobs_input_size();

create table private.organisation_queue_limits (
  organisation_id uuid primary key references public.organisations (id) on delete cascade,
  max_running integer not null,
  constraint organisation_queue_limits_max_running_range check (max_running between 0 and 100000)
);

comment on table private.organisation_queue_limits is
  'Per-organisation override of queue_settings.max_running_per_organisation (0 pauses the organisation''s jobs).';

-- Sets (or with null removes) an organisation's cap on steps running at once. Service role
-- only: an organisation must not raise its own share of the engine.
create function public.set_organisation_queue_limit(p_organisation_id uuid, p_max_running integer)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_max_running is null then
    delete from private.organisation_queue_limits where organisation_id = p_organisation_id;
  else
    insert into private.organisation_queue_limits (organisation_id, max_running)
    values (p_organisation_id, p_max_running)
    on conflict (organisation_id) do update set max_running = excluded.max_running;
  end if;
end;
$$;

comment on function public.set_organisation_queue_limit(uuid, integer) is
  'Service role: an organisation''s cap on workflow steps running at once (null: the default from private.queue_settings).';

revoke execute on function public.set_organisation_queue_limit(uuid, integer) from public, anon, authenticated;
grant execute on function public.set_organisation_queue_limit(uuid, integer) to service_role;

-- Fair claiming reads each organisation's due jobs oldest first, and counts its running
-- steps (their leases are in the future) in the same index.
create index jobs_claimable_organisation_idx on public.jobs (organisation_id, available_at)
  where status in ('pending', 'running', 'awaiting_retry');


-- Claims up to p_limit due jobs for p_worker and leases them. Returns what the worker
-- needs to run each job's current step and nothing more: the step (without next_step: the
-- next step is finish_workflow_steps' to decide), whether it is the last one and then the
-- workflow's output_map, the job's data so far and the step's transformer (null when it no
-- longer exists: the worker fails the step). Not the whole pinned definition per job.
-- The lease: p_lease_seconds for every step (tests, operators, the bench), or when null each
-- step its own transformer's timeout + 15 s, so a live worker's lease never runs out
-- mid-call. (A lease for the longest timeout of any organisation + 15 s, which the
-- orchestrator once asked for, made one organisation's 600 s transformer hold every other
-- organisation's crashed steps for ten minutes, and an echo step wait 315 s for 45.)
-- p_workflow_ids, when not null, limits the claim to those workflows' jobs: a worker
-- dedicated to some workflows (and the crash test's worker, which must take only its own
-- job).
--
-- Fair between organisations (issue 10 §2: first in, first out let one organisation's
-- 1,200 jobs hold another's 1-step job for 115 s): round robin. The organisations with due
-- work, the longest-waiting first, each give their oldest due job, then each its second, and
-- so on; each organisation at most its cap of running steps (queue_settings, or its
-- override) minus those it already runs. Claims of one organisation are serialised (an
-- advisory lock, taken in organisation order so two claims cannot deadlock) so two workers
-- cannot both fill the same free slots.
--
-- Bounded by bytes (issue 10 §1: ten 31 MiB jobs due together made every claim fail on
-- jsonb's 256 MiB array limit and halted the engine): jobs are taken in that order while
-- their JSON stays within claim_max_bytes; an organisation's first job that does not fit is
-- passed over, not the end of the claim, so one tenant's large jobs first in the order cannot
-- push every other tenant's jobs to later claims one by one. A job larger than
-- claim_max_bytes on its own goes beside them as the claim's one large job, the whole claim
-- within job_max_bytes (what such a job alone always was): it is taken at the latest when it
-- heads the order, so it cannot starve either. A job over job_max_bytes is failed here with
-- payload_too_large, so it can neither fail a claim nor come back.
create function public.claim_workflow_steps(
  p_worker text, p_limit integer, p_lease_seconds integer, p_workflow_ids uuid[]
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_settings private.queue_settings;
  v_orgs uuid[];
  v_rooms integer[];
  v_candidates uuid[];
  v_turns bigint[];
  v_ids uuid[] := '{}';
  v_too_large uuid[] := '{}';
  v_bytes bigint := 0;
  v_large_bytes bigint := 0;
  v_passed_bytes bigint := 0;
  v_size bigint;
  v_row record;
  v_claimed jsonb;
begin
  if p_worker is null or p_limit is null or p_limit < 1 or p_limit > 1000
     or p_lease_seconds < 1 or p_lease_seconds > 3600 then
    raise exception 'claim_workflow_steps: worker and limit 1..1000 are required, and a lease is 1..3600 s'
      using errcode = '22023';
  end if;
  select * into v_settings from private.queue_settings;

  -- Organisations with due work, the longest-waiting first (at most p_limit of them: each
  -- gets at least one job). A skip scan over jobs_claimable_organisation_idx: one index
  -- probe per organisation, not a read of every due job. A dedicated worker's: those of
  -- its workflows.
  if p_workflow_ids is not null then
    select array_agg(distinct w.organisation_id) into v_orgs
    from public.workflows as w where w.id = any(p_workflow_ids);
  else
  with recursive orgs as (
    (select j.organisation_id, j.available_at from public.jobs as j
      where j.status in ('pending', 'running', 'awaiting_retry') and j.available_at <= now()
      order by j.organisation_id, j.available_at limit 1)
    union all
    select n.organisation_id, n.available_at from orgs as o
    cross join lateral (
      select j.organisation_id, j.available_at from public.jobs as j
      where j.status in ('pending', 'running', 'awaiting_retry') and j.available_at <= now()
        and j.organisation_id > o.organisation_id
      order by j.organisation_id, j.available_at limit 1) as n
  )
  select array_agg(w.organisation_id order by w.organisation_id) into v_orgs
  from (select o.organisation_id from orgs as o order by o.available_at limit p_limit) as w;
  end if;

  if v_orgs is null then
    return '[]'::jsonb;
  end if;
  -- Serialise with other claims of the same organisations (in key order: no deadlock).
  perform pg_advisory_xact_lock(7411, k)
  from (select distinct hashtext(o::text) as k from unnest(v_orgs) as o order by 1) as l;

  -- Each organisation's room: its cap minus the steps it runs now (a live lease). Counted
  -- after the locks, so a claim that committed meanwhile is counted.
  select array_agg(r.organisation_id), array_agg(r.room) into v_orgs, v_rooms
  from (
    select o as organisation_id,
      least(p_limit, coalesce(l.max_running, v_settings.max_running_per_organisation) - (
        select count(*) from public.jobs as j
        where j.organisation_id = o and j.status = 'running' and j.available_at > now()
          and j.locked_by is not null))::integer as room
    from unnest(v_orgs) as o
    left join private.organisation_queue_limits as l on l.organisation_id = o
  ) as r
  where r.room > 0;

  if v_orgs is null then
    return '[]'::jsonb;
  end if;

  -- Round robin: every organisation's first job, then every second one, …
  select array_agg(c.id order by c.turn, c.available_at),
    array_agg(c.turn order by c.turn, c.available_at)
  into v_candidates, v_turns
  from (
    select c.id, c.available_at, c.turn from unnest(v_orgs, v_rooms) as o(organisation_id, room)
    cross join lateral (
      select j.id, j.available_at, row_number() over (order by j.available_at) as turn
      from public.jobs as j
      where j.organisation_id = o.organisation_id
        and j.status in ('pending', 'running', 'awaiting_retry') and j.available_at <= now()
        and (p_workflow_ids is null or j.workflow_id = any(p_workflow_ids))
      order by j.available_at
      limit o.room) as c
    order by c.turn, c.available_at
    limit p_limit
  ) as c;

  if v_candidates is null then
    return '[]'::jsonb;
  end if;

  -- Lock them (skip those another claim holds) and take them in round-robin order where
  -- their bytes fit. The size is read in the loop: as JSON text it costs ~0.5 s for a 27 MiB
  -- job (measured), nothing for a small one. So only organisations' first jobs (turn 1: one
  -- each, the round robin's promise) are passed over to look further, and those only until
  -- job_max_bytes of them were; a later job that does not fit ends the claim, as every one
  -- did before. (Passing over every job that did not fit read all ten 4 MiB poison jobs in
  -- each claim: in `pnpm bench`, the quiet tenant's p50 went to 368 ms, p95 19.7 s.)
  for v_row in
    select j.id, c.turn
    from public.jobs as j
    join unnest(v_candidates, v_turns) with ordinality as c(id, turn, position) on c.id = j.id
    where j.id = any(v_candidates)
      and j.status in ('pending', 'running', 'awaiting_retry') and j.available_at <= now()
    order by c.position
    for update of j skip locked
  loop
    select octet_length(j.input_data::text) + octet_length(j.step_data::text) into v_size
    from public.jobs as j where j.id = v_row.id;
    if v_size > v_settings.job_max_bytes then
      v_too_large := v_too_large || v_row.id;
      continue;
    end if;
    if v_size > v_settings.claim_max_bytes
       and v_large_bytes = 0 and v_bytes + v_size <= v_settings.job_max_bytes then
      v_large_bytes := v_size;
    elsif v_size <= v_settings.claim_max_bytes
       and v_bytes + v_size <= v_settings.claim_max_bytes
       and (v_large_bytes = 0 or v_bytes + v_large_bytes + v_size <= v_settings.job_max_bytes) then
      v_bytes := v_bytes + v_size;
    else
      -- Passed over: a later claim takes it (it fits, or heads the order, there).
      v_passed_bytes := v_passed_bytes + v_size;
      exit when v_row.turn > 1 or v_passed_bytes > v_settings.job_max_bytes;
      continue;
    end if;
    v_ids := v_ids || v_row.id;
  end loop;

  if cardinality(v_too_large) > 0 then
    with failed as (
      update public.jobs as j set
        status = 'failed',
        locked_by = null,
        completed_at = now(),
        next_retry_at = null,
        error_code = 'payload_too_large',
        error_message = format(
          'The job''s input and step data are larger than the queue takes (%s bytes); pass large inputs by URL',
          v_settings.job_max_bytes)
      from public.jobs as prev
      where j.id = any(v_too_large) and prev.id = j.id
      returning j.id, j.organisation_id, j.user_id, j.current_step_id, j.attempt, j.error_message,
        prev.status as from_status
    )
    insert into public.job_events
      (organisation_id, job_id, user_id, event_type, step_id, attempt, from_status, to_status,
       message, data)
    select f.organisation_id, f.id, f.user_id, 'failed', f.current_step_id, f.attempt, f.from_status,
      'failed', f.error_message, jsonb_build_object('reason', 'payload_too_large')
    from failed as f;
  end if;

  with due as (
    select j.id, j.status as from_status, j.locked_by as previous_worker
    from public.jobs as j
    where j.id = any(v_ids)
  ),
  claimed as (
    update public.jobs as j set
      status = 'running',
      started_at = coalesce(j.started_at, now()),
      current_step_id = coalesce(j.current_step_id, v.definition ->> 'start_step'),
      locked_by = p_worker,
      available_at = now() + make_interval(secs => coalesce(
        p_lease_seconds,
        -- Per step: its transformer's timeout (an unknown one: the default 30 s) + 15 s.
        coalesce(
          (select ceil(t.timeout_ms / 1000.0)::integer
             from public.transformers as t
            where t.id = v.definition -> 'steps'
                    -> coalesce(j.current_step_id, v.definition ->> 'start_step') ->> 'transformer_id'
              and (t.organisation_id is null or t.organisation_id = j.organisation_id)),
          30) + 15)),
      attempt = j.attempt + 1,
      next_retry_at = null
    from due, public.workflow_versions as v
    where j.id = due.id and v.workflow_id = j.workflow_id and v.version = j.workflow_version
    returning j.*, due.from_status, due.previous_worker,
      v.definition -> 'steps' -> j.current_step_id as step,
      v.definition -> 'output_map' as output_map
  ),
  events as (
    insert into public.job_events
      (organisation_id, job_id, user_id, event_type, step_id, transformer_id, attempt,
       from_status, to_status, data)
    select c.organisation_id, c.id, c.user_id, 'claimed', c.current_step_id,
      c.step ->> 'transformer_id', c.attempt,
      c.from_status, 'running',
      jsonb_strip_nulls(jsonb_build_object(
        'worker', p_worker,
        -- A running job with a previous holder was claimed because that lease expired.
        'lease_expired_from', case when c.from_status = 'running' then c.previous_worker end))
    from claimed as c
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'job_id', c.id,
      'attempt', c.attempt,
      'organisation_id', c.organisation_id,
      'user_id', c.user_id,
      'workflow_id', c.workflow_id,
      'workflow_version', c.workflow_version,
      'step_id', c.current_step_id,
      'step', c.step - 'next_step',
      'last_step', c.step ->> 'next_step' is null,
      'output_map', case when c.step ->> 'next_step' is null then c.output_map end,
      -- A flow run's job runs with its real input and variables (job_run_context, …004200);
      -- jobs.input_data holds them masked. redact: the strings the worker masks in all it records.
      'input_data', coalesce(x.input_data, c.input_data),
      'variables', coalesce(x.variables, '{}'::jsonb),
      'redact', to_jsonb(coalesce(x.redact, '{}'::text[])),
      -- Added to jobs by …006300 (flow runs); the worker evaluates the run when such a job ends.
      'flow_run_flow_id', c.flow_run_flow_id,
      'step_data', c.step_data,
      'retry_count', c.retry_count,
      'max_retries', c.max_retries,
      'transformer', case when t.id is null then null else jsonb_build_object(
        'id', t.id, 'type', t.type, 'config', t.config,
        'target_function', t.target_function, 'timeout_ms', t.timeout_ms) end
    ) order by c.available_at), '[]'::jsonb)
  into v_claimed
  from claimed as c
  left join public.transformers as t
    on t.id = c.step ->> 'transformer_id'
   and (t.organisation_id is null or t.organisation_id = c.organisation_id)
  left join private.job_run_context as x on x.job_id = c.id;

  return v_claimed;
end;
$$;

comment on function public.claim_workflow_steps(text, integer, integer, uuid[]) is
  'Orchestrator: claims up to p_limit due jobs (of p_workflow_ids when not null; skip locked), round robin between organisations within each one''s cap of running steps and within the claim''s bytes (an oversized job is failed), leases them (p_lease_seconds, or when null each step''s transformer timeout + 15 s), returns each current step to run.';

revoke execute on function public.claim_workflow_steps(text, integer, integer, uuid[]) from public, anon, authenticated;
grant execute on function public.claim_workflow_steps(text, integer, integer, uuid[]) to service_role;

-- Any workflow's jobs. (An overload rather than a default: callers of the three-argument
-- form, the bench among them, keep resolving to one function.)
create function public.claim_workflow_steps(p_worker text, p_limit integer, p_lease_seconds integer)
returns jsonb
language sql
security definer
set search_path = ''
as $$
  select public.claim_workflow_steps(p_worker, p_limit, p_lease_seconds, null::uuid[]);
$$;

comment on function public.claim_workflow_steps(text, integer, integer) is
  'Orchestrator: claims up to p_limit due jobs of any workflow (skip locked), leases them, returns each current step to run.';

revoke execute on function public.claim_workflow_steps(text, integer, integer) from public, anon, authenticated;
grant execute on function public.claim_workflow_steps(text, integer, integer) to service_role;


-- Applies step results (see the contract for the shape). A result counts only when the job
-- is still running under this worker and attempt; anything else (lease lost, job
-- cancelled) is answered applied = false and changes nothing. The next step comes from the
-- pinned definition here, and only here (a result carries none); the worker supplies
-- final_result (JSONPath over the context, evaluated in TypeScript) for a step its claim
-- marked last_step.
--
-- One set-based statement for the whole batch: lock the jobs still held (in id order, so
-- two workers finishing overlapping batches cannot deadlock), decide each one's next state,
-- update them all, append their events in order. Against the row-by-row loop it replaced:
-- 100 results in ~17-20 ms instead of ~40-55 ms (native stack on a shared 2-CPU machine;
-- docs/workflows-contract.md, "Orchestrator").
create function public.finish_workflow_steps(p_worker text, p_results jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_ids uuid[];
  v_applied jsonb;
begin
  if jsonb_typeof(p_results) is distinct from 'array' then
    raise exception 'finish_workflow_steps: p_results must be an array' using errcode = '22023';
  end if;
  -- As a parameter, `id = any(v_ids)` plans as primary-key lookups whatever the queue holds.
  select array_agg((r.value ->> 'job_id')::uuid) into v_ids from jsonb_array_elements(p_results) as r;

  with input as (
    -- A job twice in one batch: the first result counts, the other is answered not applied.
    select distinct on ((r.value ->> 'job_id')::uuid)
      (r.value ->> 'job_id')::uuid as job_id,
      (r.value ->> 'attempt')::integer as attempt,
      r.value ->> 'step_id' as step_id,
      r.value as result
    from jsonb_array_elements(p_results) with ordinality as r
    order by (r.value ->> 'job_id')::uuid, r.ordinality
  ),
  held as (
    select j.id, j.organisation_id, j.user_id, j.workflow_id, j.workflow_version, j.attempt,
      j.retry_count, j.max_retries, j.started_at, i.step_id, i.result
    from public.jobs as j
    join input as i on i.job_id = j.id
    where j.id = any(v_ids)
      and j.status = 'running'
      and j.locked_by = p_worker
      and j.attempt = i.attempt
      and j.current_step_id is not distinct from i.step_id
    order by j.id
    for update of j
  ),
  -- Each outcome decided once, from the pinned definition (the next step) and the result
  -- (succeeded, or failed and whether it may be retried); everything below reads it.
  decided as materialized (
    select h.*, o.ok, o.next_step, o.transformer_id, o.error, o.retryable, o.duration_ms,
      n.new_status,
      -- Volatile (jitter): the materialized CTE evaluates it once per job.
      case when n.new_status = 'awaiting_retry'
           then now() + make_interval(
             secs => private.retry_delay_ms(h.retry_count + 1, v.retry_policy) / 1000.0)
      end as retry_at
    from held as h
    join public.workflow_versions as v
      on v.workflow_id = h.workflow_id and v.version = h.workflow_version
    cross join lateral (
      select h.result ->> 'outcome' is not distinct from 'succeeded' as ok,
        v.definition -> 'steps' -> h.step_id ->> 'next_step' as next_step,
        v.definition -> 'steps' -> h.step_id ->> 'transformer_id' as transformer_id,
        coalesce(h.result -> 'error', '{}'::jsonb) as error,
        coalesce((h.result -> 'error' ->> 'retryable')::boolean, true) as retryable,
        greatest((h.result ->> 'duration_ms')::integer, 0) as duration_ms
    ) as o
    cross join lateral (
      select case
        when o.ok and o.next_step is null then 'completed'
        when o.ok then 'running'
        when o.retryable and h.retry_count < h.max_retries then 'awaiting_retry'
        else 'failed'
      end as new_status
    ) as n
  ),
  updated as (
    update public.jobs as j set
      step_data = case when d.ok
        then j.step_data || jsonb_build_object(d.step_id, d.result -> 'output')
        else j.step_data end,
      current_step_id = case when d.new_status = 'running' then d.next_step else j.current_step_id end,
      status = d.new_status,
      locked_by = null,
      available_at = case d.new_status
        when 'running' then now()
        when 'awaiting_retry' then d.retry_at
        else j.available_at end,
      final_result = case when d.new_status = 'completed' then d.result -> 'final_result' else j.final_result end,
      completed_at = case when d.new_status in ('completed', 'failed') then now() else j.completed_at end,
      retry_count = j.retry_count + (case when d.new_status = 'awaiting_retry' then 1 else 0 end),
      next_retry_at = d.retry_at,
      error_message = case d.new_status
        when 'completed' then null
        when 'running' then j.error_message
        when 'awaiting_retry' then d.error ->> 'message'
        else coalesce(d.error ->> 'message', 'the step failed') end,
      error_code = case d.new_status
        when 'completed' then null
        when 'running' then j.error_code
        else d.error ->> 'code' end
    from decided as d
    where j.id = d.id
    returning j.id, j.status
  ),
  -- Each job's events in order: the step's result, then what it led to. (Data-modifying
  -- CTEs always run to completion, read or not.)
  new_events as (
    select d.id as job_id, 1 as seq, d.organisation_id, d.user_id,
      case when d.ok then 'step_succeeded' else 'step_failed' end as event_type,
      d.step_id, d.transformer_id, 'running' as to_status, d.duration_ms,
      case when d.ok then null else d.error ->> 'message' end as message,
      jsonb_strip_nulls(case when d.ok
        then jsonb_build_object('input', d.result -> 'input', 'output', d.result -> 'output',
          'usage', d.result -> 'usage', 'missing_inputs', d.result -> 'missing_inputs',
          'unmatched_outputs', d.result -> 'unmatched_outputs')
        else jsonb_build_object('input', d.result -> 'input', 'error', d.error,
          'usage', d.result -> 'usage', 'missing_inputs', d.result -> 'missing_inputs')
        end) as data,
      d.attempt
    from decided as d
    union all
    select d.id, 2, d.organisation_id, d.user_id,
      case d.new_status when 'completed' then 'completed'
        when 'awaiting_retry' then 'retry_scheduled' else 'failed' end,
      d.step_id, null, d.new_status,
      case when d.new_status = 'completed'
        then (extract(epoch from (now() - d.started_at)) * 1000)::integer end,
      case d.new_status
        when 'completed' then null
        when 'awaiting_retry' then format('retry %s of %s', d.retry_count + 1, d.max_retries)
        else coalesce(d.error ->> 'message', 'the step failed') end,
      case d.new_status
        when 'completed' then '{}'::jsonb
        when 'awaiting_retry' then jsonb_build_object('next_retry_at', d.retry_at,
          'retry_count', d.retry_count + 1)
        else jsonb_build_object('reason',
          case when d.retryable then 'retries_exhausted' else 'non_retryable' end) end,
      d.attempt
    from decided as d
    where d.new_status <> 'running'
  ),
  inserted as (
    insert into public.job_events
      (organisation_id, job_id, user_id, event_type, step_id, transformer_id, attempt,
       from_status, to_status, duration_ms, message, data)
    select e.organisation_id, e.job_id, e.user_id, e.event_type, e.step_id, e.transformer_id,
      e.attempt, 'running', e.to_status, e.duration_ms, e.message, e.data
    from new_events as e
    order by e.job_id, e.seq
  )
  select coalesce(jsonb_object_agg(u.id, u.status), '{}'::jsonb) into v_applied from updated as u;

  -- Results in the order given; a refused one reports the job's status as it is now.
  return (
    select coalesce(jsonb_agg(jsonb_build_object(
        'job_id', r.job_id,
        'applied', v_applied ? r.job_id,
        'status', coalesce(v_applied ->> r.job_id,
          (select j.status from public.jobs as j where j.id = r.job_id::uuid)))
      order by r.ordinality), '[]'::jsonb)
    from (select ((e.value ->> 'job_id')::uuid)::text as job_id, e.ordinality
          from jsonb_array_elements(p_results) with ordinality as e) as r);
end;
$$;

comment on function public.finish_workflow_steps(text, jsonb) is
  'Orchestrator: applies step results for jobs this worker still holds; schedules retries with backoff.';

revoke execute on function public.finish_workflow_steps(text, jsonb) from public, anon, authenticated;
grant execute on function public.finish_workflow_steps(text, jsonb) to service_role;
