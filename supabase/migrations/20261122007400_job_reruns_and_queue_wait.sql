-- Re-runs and queue wait (issue 12 §9, §10; docs/workflow-manager/jobs-and-monitoring.md).
--
-- 1. jobs.rerun_of: a job started as a re-run of another ("Re-run with edited input" on the
--    job page) records its source; start_workflow_job gains p_rerun_of to set it.
-- 2. Queue wait: created → first claim. jobs.started_at is set by the first claim only
--    (claim_workflow_steps, …004400: coalesce(started_at, now())), so a job's queue wait is
--    started_at − created_at and needs no new column. workflow_queue_wait gives members the
--    per-workflow p50/p95 of the jobs that finished in a window; workflow_queue_wait_metrics
--    gives the operators' scrape (workflow-metrics) the same across organisations.
-- 3. jobs_ahead: how many due jobs the orchestrator takes before a pending one.


-- 1. Re-runs ---------------------------------------------------------------------------------

alter table public.jobs
  add column rerun_of uuid null references public.jobs (id) on delete set null;

comment on column public.jobs.rerun_of is
  'The job this one re-runs (started from its page with its input, perhaps edited); null when the source was deleted or for a fresh start.';

-- The foreign key's "on delete set null" looks re-runs up by their source on every job
-- delete (retention deletes thousands at a time): without this index, a scan of jobs each.
-- Partial: almost every job is no re-run.
create index jobs_rerun_of_idx on public.jobs (rerun_of) where rerun_of is not null;

-- The same function as …004300's, with p_rerun_of. Dropped and created rather than overloaded:
-- two candidates with defaults make PostgREST's call by named arguments ambiguous.
drop function public.start_workflow_job(text, jsonb, text, uuid);

-- Starts a job as the caller. p_workflow is the workflow's uuid or its key; a key is
-- looked up in p_organisation_id or, when that is null, in every organisation of the
-- caller (ambiguous -> 400 asking for the organisation). The same idempotency key again
-- returns the same job; reused with another workflow or input it is a 409.
-- p_rerun_of: the job this one re-runs. It must be a job the caller may read (the jobs
-- select policy: their own, or any of the organisation for owners/admins) — else 404
-- job_not_found, so another organisation's or another member's job ids reveal nothing —
-- and a job of the same workflow (else 400 rerun_of_other_workflow).
create function public.start_workflow_job(
  p_workflow text,
  p_input jsonb default '{}'::jsonb,
  p_idempotency_key text default null,
  p_organisation_id uuid default null,
  p_rerun_of uuid default null
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_input jsonb := coalesce(p_input, '{}'::jsonb);
  v_workflow public.workflows;
  v_job public.jobs;
  v_source public.jobs;
  v_max_retries integer;
begin
  if jsonb_typeof(v_input) <> 'object' then
    perform private.raise_http(400, 'invalid_input', 'input_data must be a JSON object');
  end if;
  if p_idempotency_key is not null and char_length(p_idempotency_key) not between 1 and 200 then
    perform private.raise_http(400, 'invalid_input', 'Idempotency-Key must be 1 to 200 characters');
  end if;

  v_workflow := private.visible_workflow(p_workflow, p_organisation_id);

  if p_rerun_of is not null then
    -- The jobs select policy (…004200), as this function runs as its owner.
    select j.* into v_source
    from public.jobs as j
    where j.id = p_rerun_of
      and ((j.user_id = v_user_id and j.organisation_id in (select private.user_organisation_ids()))
           or j.organisation_id in (select private.user_admin_organisation_ids()));
    if not found then
      perform private.raise_http(404, 'job_not_found', 'the job to re-run was not found');
    end if;
    if v_source.workflow_id <> v_workflow.id then
      perform private.raise_http(400, 'rerun_of_other_workflow',
        format('the job to re-run belongs to another workflow than %s', v_workflow.key));
    end if;
  end if;

  if p_idempotency_key is not null then
    select j.* into v_job
    from public.jobs as j
    where j.user_id = v_user_id and j.idempotency_key = p_idempotency_key;
    if found then
      if v_job.workflow_id <> v_workflow.id or v_job.input_data <> v_input then
        perform private.raise_http(409, 'idempotency_conflict',
          'this Idempotency-Key was used for another workflow or input');
      end if;
      return jsonb_build_object('job_id', v_job.id, 'status', v_job.status,
        'created_at', v_job.created_at, 'replayed', true,
        'workflow_id', v_job.workflow_id, 'workflow_version', v_job.workflow_version,
        'rerun_of', v_job.rerun_of);
    end if;
  end if;

  if v_workflow.status <> 'active' then
    perform private.raise_http(409, 'workflow_archived', format('workflow %s is archived', v_workflow.key));
  end if;
  perform private.lock_live_workflow(v_workflow.id);

  select coalesce((v.retry_policy ->> 'max_retries')::integer, 3) into v_max_retries
  from public.workflow_versions as v
  where v.workflow_id = v_workflow.id and v.version = v_workflow.version;

  begin
    insert into public.jobs
      (organisation_id, workflow_id, workflow_version, user_id, input_data, max_retries,
       idempotency_key, rerun_of)
    values
      (v_workflow.organisation_id, v_workflow.id, v_workflow.version, v_user_id, v_input,
       v_max_retries, p_idempotency_key, p_rerun_of)
    returning * into v_job;
  exception when unique_violation then
    -- The same key raced in from another request: answer with that job.
    select j.* into v_job
    from public.jobs as j
    where j.user_id = v_user_id and j.idempotency_key = p_idempotency_key;
    if v_job.workflow_id <> v_workflow.id or v_job.input_data <> v_input then
      perform private.raise_http(409, 'idempotency_conflict',
        'this Idempotency-Key was used for another workflow or input');
    end if;
    return jsonb_build_object('job_id', v_job.id, 'status', v_job.status,
      'created_at', v_job.created_at, 'replayed', true,
      'workflow_id', v_job.workflow_id, 'workflow_version', v_job.workflow_version,
      'rerun_of', v_job.rerun_of);
  end;

  insert into public.job_events (organisation_id, job_id, user_id, event_type, to_status, data)
  values (v_job.organisation_id, v_job.id, v_user_id, 'created', 'pending',
          jsonb_strip_nulls(jsonb_build_object(
            'workflow_version', v_job.workflow_version, 'rerun_of', v_job.rerun_of)));

  return jsonb_build_object('job_id', v_job.id, 'status', v_job.status,
    'created_at', v_job.created_at, 'replayed', false,
    'workflow_id', v_job.workflow_id, 'workflow_version', v_job.workflow_version,
    'rerun_of', v_job.rerun_of);
end;
$$;

comment on function public.start_workflow_job(text, jsonb, text, uuid, uuid) is
  'Starts a pending job of a workflow (uuid or key) as the caller; idempotent per key; p_rerun_of records the readable job of the same workflow it re-runs.';

revoke execute on function public.start_workflow_job(text, jsonb, text, uuid, uuid) from public, anon;
grant execute on function public.start_workflow_job(text, jsonb, text, uuid, uuid) to authenticated;


-- 2. Queue wait ------------------------------------------------------------------------------

-- Per workflow of an organisation: the queue wait (created → first claim, milliseconds) of
-- the jobs that finished since p_since (default 24 h) and had been claimed (a job cancelled
-- while pending never waited to the end). Read from the jobs_organisation_id_completed_at_idx
-- covering index (…004600: it includes started_at, created_at and workflow_id), so index-only
-- like the rest of the dashboard. p50/p95 by percentile_cont. Aggregates for every member
-- (no job data), like workflow_health; optionally one workflow (the job page's "waiting
-- longer than usual" threshold).
create function public.workflow_queue_wait(
  p_organisation_id uuid,
  p_since timestamptz default null,
  p_workflow_id uuid default null
) returns table (
  workflow_id uuid,
  jobs integer,
  p50_ms double precision,
  p95_ms double precision
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_organisation_member(p_organisation_id);
  return query
  select j.workflow_id,
    count(*)::integer,
    percentile_cont(0.5) within group (
      order by extract(epoch from (j.started_at - j.created_at)) * 1000)::double precision,
    percentile_cont(0.95) within group (
      order by extract(epoch from (j.started_at - j.created_at)) * 1000)::double precision
  from public.jobs as j
  where j.organisation_id = p_organisation_id
    and j.completed_at >= coalesce(p_since, now() - interval '24 hours')
    and j.started_at is not null
    and (p_workflow_id is null or j.workflow_id = p_workflow_id)
  group by j.workflow_id;
end;
$$;

comment on function public.workflow_queue_wait(uuid, timestamptz, uuid) is
  'Monitoring (members): per-workflow queue wait (created to first claim, ms) p50/p95 of jobs finished since p_since (default 24 h).';

revoke execute on function public.workflow_queue_wait(uuid, timestamptz, uuid) from public, anon;
grant execute on function public.workflow_queue_wait(uuid, timestamptz, uuid) to authenticated;


-- Operators' scrape (workflow-metrics; service role only): queue wait per organisation and
-- workflow of the jobs that finished in the last p_window, as the duration summaries of
-- workflow_metrics (…004600) are: count, sum and p50/p95/p99 in milliseconds.
create function public.workflow_queue_wait_metrics(p_window interval default interval '5 minutes')
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  with w as (
    select least(greatest(coalesce(p_window, interval '5 minutes'), interval '10 seconds'),
                 interval '1 day') as v
  ),
  waits as (
    -- distinct: a job retried by hand after failing finishes (and is counted) once.
    select distinct on (j.id) j.organisation_id, j.workflow_id,
      extract(epoch from (j.started_at - j.created_at)) * 1000 as ms
    -- The jobs that finished in the window found as workflow_metrics finds them: by their
    -- completed/failed event (job_events_results_created_at_idx, …004600); jobs has no index
    -- on completed_at alone. A cancelled job is left out there as here.
    from public.job_events as e
    join public.jobs as j on j.id = e.job_id
    cross join w
    where e.created_at >= now() - w.v and e.event_type in ('completed', 'failed')
      and j.started_at is not null
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'organisation_id', x.organisation_id, 'workflow', wf.key,
      'count', x.n, 'sum_ms', x.sum_ms,
      'p50_ms', x.p50, 'p95_ms', x.p95, 'p99_ms', x.p99) order by wf.key, x.organisation_id), '[]'::jsonb)
  from (
    select s.organisation_id, s.workflow_id, count(*) as n, coalesce(sum(s.ms), 0) as sum_ms,
      percentile_cont(0.5) within group (order by s.ms) as p50,
      percentile_cont(0.95) within group (order by s.ms) as p95,
      percentile_cont(0.99) within group (order by s.ms) as p99
    from waits as s
    group by 1, 2
  ) as x
  join public.workflows as wf on wf.id = x.workflow_id;
$$;

comment on function public.workflow_queue_wait_metrics(interval) is
  'Service role (workflow-metrics): queue wait (created to first claim) per organisation and workflow of jobs finished in the window: count, sum, p50/p95/p99 (ms).';

revoke execute on function public.workflow_queue_wait_metrics(interval) from public, anon, authenticated;
grant execute on function public.workflow_queue_wait_metrics(interval) to service_role;


-- 3. Jobs ahead ------------------------------------------------------------------------------

-- How many due jobs an orchestrator takes before this pending one, for the job page's
-- "Waiting for a worker: N jobs ahead". What it counts, honestly:
-- - the queue as claim_workflow_steps (…004400) orders it: due jobs (pending, running with an
--   expired lease, awaiting_retry whose time came: available_at <= now()) take turns by
--   organisation — every organisation's oldest, then every second oldest, … — so the job is
--   behind the jobs of its own organisation due before it (its turn is their count + 1), and
--   behind the jobs of other organisations whose turn comes before its turn, or at the same
--   turn and due earlier;
-- - it is a snapshot: jobs that become due later (a retry's time coming) may still go first,
--   and an organisation at its cap of running steps (max_running_per_organisation) waits
--   although its jobs count here; an orchestrator claiming one workflow's jobs only
--   (p_workflow_ids) is not modelled.
-- Other organisations' jobs are only counted, never shown. Null when the job is not pending
-- (it is running or finished: nothing ahead). 404 job_not_found unless the caller may read
-- the job (the jobs select policy).
create function public.jobs_ahead(p_job_id uuid)
returns integer
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_job public.jobs;
  v_ahead integer;
begin
  select j.* into v_job
  from public.jobs as j
  where j.id = p_job_id
    and ((j.user_id = v_user_id and j.organisation_id in (select private.user_organisation_ids()))
         or j.organisation_id in (select private.user_admin_organisation_ids()));
  if not found then
    perform private.raise_http(404, 'job_not_found', 'job not found');
  end if;
  if v_job.status <> 'pending' then
    return null;
  end if;

  -- The claimable partial index (jobs_claimable_idx) holds exactly the rows read here.
  with due as (
    select j.id, j.organisation_id, j.available_at,
      row_number() over (partition by j.organisation_id order by j.available_at, j.id) as turn
    from public.jobs as j
    where j.status in ('pending', 'running', 'awaiting_retry')
      and (j.available_at <= now() or j.id = p_job_id)
  ),
  me as (
    select d.turn, d.available_at from due as d where d.id = p_job_id
  )
  select count(*)::integer into v_ahead
  from due as d, me
  where d.id <> p_job_id
    and (d.turn < me.turn
         or (d.turn = me.turn and (d.available_at, d.id) < (me.available_at, p_job_id)));

  return v_ahead;
end;
$$;

comment on function public.jobs_ahead(uuid) is
  'Due jobs an orchestrator takes before this pending job (round robin between organisations by turn, then due time); null unless pending; 404 unless the caller may read the job.';

revoke execute on function public.jobs_ahead(uuid) from public, anon;
grant execute on function public.jobs_ahead(uuid) to authenticated;
