-- Monitoring of the workflow engine (seed 003 iteration 12; docs/workflows-contract.md,
-- "Monitoring"): the dashboard's figures per organisation, and the operators' metrics
-- across organisations (the workflow-metrics function turns them into Prometheus text).
--
-- Where each figure comes from, chosen so the queue's hot path pays (almost) nothing:
-- - finished jobs, their status and duration (started_at → completed_at): public.jobs by
--   completed_at, through a partial index that gets an entry only when a job finishes;
-- - jobs started and retries scheduled: the `claimed` (from pending) and `retry_scheduled`
--   events, through the partial monitoring index on job_events below;
-- - step durations per transformer: step_succeeded / step_failed events' duration_ms (the
--   same index);
-- - queue depth and the oldest due job: the claimable partial index (jobs_claimable_idx).
-- Durations are milliseconds; p95 is percentile_cont (linear interpolation).

-- Indexes measured with 300 000 finished jobs and 1.2 M events in one organisation (the
-- set-up is described in …004200 beside the jobs indexes). Each is here for a plan that was
-- slow without it.
--
-- workflow_stats / workflow_health read the jobs that finished in a window: status,
-- started_at, workflow_id (and created_at for the queue depth). Covering them makes the read
-- index-only: 7 days of the big organisation (25 000 jobs) touched 9 300 heap pages through
-- a bitmap heap scan (~60 ms alone); now ~3 ms. Only finished jobs get an entry.
create index jobs_organisation_id_completed_at_idx on public.jobs (organisation_id, completed_at)
  include (status, started_at, workflow_id, created_at)
  where completed_at is not null;

-- The per-organisation event figures of the monitoring RPCs: workflow_stats' starts (claimed
-- from pending) and retries, workflow_health's step durations per transformer. Through
-- job_events (organisation_id, created_at) or the cross-organisation results index below
-- they read every event of the window from the heap (7 days: 100 000 events, 15 000 pages,
-- 90-140 ms each); this partial covering index answers both index-only (~10 ms). An entry
-- per job start, step result and scheduled retry, not per event.
-- With the jobs indexes: workflow_stats 7 days 180-210 -> 45-70 ms, 24 h 63-70 -> 23 ms;
-- workflow_health 7 days 150-155 -> 52-54 ms, 24 h 41 -> 15-24 ms.
create index job_events_organisation_id_created_at_monitoring_idx
  on public.job_events (organisation_id, created_at)
  include (event_type, from_status, transformer_id, duration_ms, job_id)
  where event_type in ('step_succeeded', 'step_failed', 'retry_scheduled')
     or (event_type = 'claimed' and from_status = 'pending');

-- Across organisations, for workflow_metrics(): finishes and step results of the last minutes.
create index job_events_results_created_at_idx on public.job_events (created_at)
  where event_type in ('completed', 'failed', 'step_succeeded', 'step_failed');


-- Each RPC starts with private.require_organisation_member (…000400_tenant_rls_helpers):
-- 404 organisation_not_found, nothing learnt, unless the caller is a member.

-- Per-bucket figures for an organisation's jobs between p_from and p_to (buckets of
-- p_bucket aligned to p_from, at most 1 000): jobs created and started in the bucket, jobs
-- that finished in it (completed, failed, cancelled), retries scheduled, the failure rate
-- (failed / (completed + failed)), average and p95 duration of the jobs that completed in
-- it, and the queue depth at its end (created by then and not finished by then).
-- Organisation-wide aggregates for every member (no job data), optionally one workflow.
create function public.workflow_stats(
  p_organisation_id uuid,
  p_from timestamptz,
  p_to timestamptz,
  p_bucket interval default interval '1 hour',
  p_workflow_id uuid default null
) returns table (
  bucket_start timestamptz,
  bucket_end timestamptz,
  created integer,
  started integer,
  completed integer,
  failed integer,
  cancelled integer,
  retries integer,
  failure_rate double precision,
  avg_duration_ms double precision,
  p95_duration_ms double precision,
  queue_depth integer
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_organisation_member(p_organisation_id);
  if p_from is null or p_to is null or p_bucket is null or p_to <= p_from
     or p_bucket < interval '1 second'
     -- date_bin cannot bin by months or years.
     or date_part('month', p_bucket) <> 0 or date_part('year', p_bucket) <> 0
     or extract(epoch from (p_to - p_from)) / extract(epoch from p_bucket) > 1000 then
    perform private.raise_http(400, 'invalid_input',
      'need p_from < p_to and a bucket of at least 1 s and under a month, with at most 1 000 buckets');
  end if;

  return query
  with buckets as (
    select b as b_start, least(b + p_bucket, p_to) as b_end
    from generate_series(p_from, p_to - interval '1 microsecond', p_bucket) as b
  ),
  finished as (
    select date_bin(p_bucket, j.completed_at, p_from) as b, j.status,
      extract(epoch from (j.completed_at - j.started_at)) * 1000 as ms
    from public.jobs as j
    where j.organisation_id = p_organisation_id
      and j.completed_at >= p_from and j.completed_at < p_to
      and (p_workflow_id is null or j.workflow_id = p_workflow_id)
  ),
  finished_by_bucket as (
    select f.b,
      count(*)::integer as finished,
      count(*) filter (where f.status = 'completed')::integer as completed,
      count(*) filter (where f.status = 'failed')::integer as failed,
      count(*) filter (where f.status = 'cancelled')::integer as cancelled,
      avg(f.ms) filter (where f.status = 'completed')::double precision as avg_ms,
      (percentile_cont(0.95) within group (order by f.ms)
        filter (where f.status = 'completed'))::double precision as p95_ms
    from finished as f
    group by f.b
  ),
  created_by_bucket as (
    select date_bin(p_bucket, j.created_at, p_from) as b, count(*)::integer as created
    from public.jobs as j
    where j.organisation_id = p_organisation_id
      and j.created_at >= p_from and j.created_at < p_to
      and (p_workflow_id is null or j.workflow_id = p_workflow_id)
    group by 1
  ),
  happenings as (
    select date_bin(p_bucket, e.created_at, p_from) as b,
      count(*) filter (where e.event_type = 'claimed')::integer as started,
      count(*) filter (where e.event_type = 'retry_scheduled')::integer as retries
    from public.job_events as e
    where e.organisation_id = p_organisation_id
      and e.created_at >= p_from and e.created_at < p_to
      and (e.event_type = 'retry_scheduled' or (e.event_type = 'claimed' and e.from_status = 'pending'))
      and (p_workflow_id is null
           or e.job_id in (select j.id from public.jobs as j
                           where j.organisation_id = p_organisation_id and j.workflow_id = p_workflow_id))
    group by 1
  ),
  -- The queue at p_to: created before it and not finished before it. A job has no
  -- completed_at exactly while it is pending, running or awaiting a retry, so both halves
  -- are small index scans (the claimable index, the completed_at index).
  depth_at_end as (
    select (
      (select count(*) from public.jobs as j
       where j.organisation_id = p_organisation_id
         and j.status in ('pending', 'running', 'awaiting_retry') and j.created_at < p_to
         and (p_workflow_id is null or j.workflow_id = p_workflow_id))
      + (select count(*) from public.jobs as j
         where j.organisation_id = p_organisation_id
           and j.completed_at >= p_to and j.created_at < p_to
           and (p_workflow_id is null or j.workflow_id = p_workflow_id))
    )::integer as n
  ),
  per_bucket as (
    select bk.b_start, bk.b_end, coalesce(c.created, 0) as created, f.finished, f.completed,
      f.failed, f.cancelled, f.avg_ms, f.p95_ms, h.started, h.retries,
      -- Walking back from p_to: the depth at a bucket's end is the depth at p_to minus what
      -- arrived and plus what left in the later buckets.
      coalesce(sum(coalesce(c.created, 0) - coalesce(f.finished, 0)) over (
        order by bk.b_start desc rows between unbounded preceding and 1 preceding), 0) as later_net
    from buckets as bk
    left join finished_by_bucket as f on f.b = bk.b_start
    left join created_by_bucket as c on c.b = bk.b_start
    left join happenings as h on h.b = bk.b_start
  )
  select p.b_start, p.b_end, p.created, coalesce(p.started, 0),
    coalesce(p.completed, 0), coalesce(p.failed, 0), coalesce(p.cancelled, 0),
    coalesce(p.retries, 0),
    case when coalesce(p.completed, 0) + coalesce(p.failed, 0) = 0 then null
         else p.failed::double precision / (p.completed + p.failed) end,
    p.avg_ms, p.p95_ms,
    ((select d.n from depth_at_end as d) - p.later_net)::integer
  from per_bucket as p
  order by p.b_start;
end;
$$;

comment on function public.workflow_stats(uuid, timestamptz, timestamptz, interval, uuid) is
  'Monitoring (members): per-bucket created/started/completed/failed/cancelled/retries, failure rate, avg/p95 duration (ms) and queue depth.';

revoke execute on function public.workflow_stats(uuid, timestamptz, timestamptz, interval, uuid) from public, anon;
grant execute on function public.workflow_stats(uuid, timestamptz, timestamptz, interval, uuid) to authenticated;


-- The queue and per-workflow / per-transformer health of one organisation over the jobs
-- that finished (and steps that ran) since p_since:
-- { generated_at, since,
--   queue: { due, pending, running, awaiting_retry, oldest_due_age_seconds, next_retry_at },
--   workflows: [{ workflow_id, key, name, finished, completed, failed, cancelled,
--                 completion_rate, failure_rate, avg_duration_ms, p95_duration_ms, in_queue }],
--   transformers: [{ transformer_id, steps, succeeded, failed, failure_rate,
--                    avg_duration_ms, p95_duration_ms }] }
-- Rates are over finished jobs (completed / finished, failed / (completed + failed)).
create function public.workflow_health(
  p_organisation_id uuid,
  p_since timestamptz default null
) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_since timestamptz := coalesce(p_since, now() - interval '24 hours');
  v_queue jsonb;
  v_workflows jsonb;
  v_transformers jsonb;
begin
  perform private.require_organisation_member(p_organisation_id);

  select jsonb_build_object(
      'due', count(*) filter (where j.available_at <= now()),
      'pending', count(*) filter (where j.status = 'pending'),
      'running', count(*) filter (where j.status = 'running'),
      'awaiting_retry', count(*) filter (where j.status = 'awaiting_retry'),
      'oldest_due_age_seconds', coalesce(extract(epoch from (now() - min(j.available_at)
        filter (where j.available_at <= now()))), 0),
      'next_retry_at', min(j.next_retry_at) filter (where j.status = 'awaiting_retry'))
  into v_queue
  from public.jobs as j
  where j.organisation_id = p_organisation_id
    and j.status in ('pending', 'running', 'awaiting_retry');

  with finished as (
    select j.workflow_id, j.status,
      extract(epoch from (j.completed_at - j.started_at)) * 1000 as ms
    from public.jobs as j
    where j.organisation_id = p_organisation_id and j.completed_at >= v_since
  ),
  per_workflow as (
    select f.workflow_id,
      count(*)::integer as finished,
      count(*) filter (where f.status = 'completed')::integer as completed,
      count(*) filter (where f.status = 'failed')::integer as failed,
      count(*) filter (where f.status = 'cancelled')::integer as cancelled,
      avg(f.ms) filter (where f.status = 'completed') as avg_ms,
      percentile_cont(0.95) within group (order by f.ms) filter (where f.status = 'completed') as p95_ms
    from finished as f
    group by f.workflow_id
  ),
  queued as (
    select j.workflow_id, count(*)::integer as in_queue
    from public.jobs as j
    where j.organisation_id = p_organisation_id
      and j.status in ('pending', 'running', 'awaiting_retry')
    group by j.workflow_id
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'workflow_id', w.id, 'key', w.key, 'name', w.name,
      'finished', coalesce(p.finished, 0),
      'completed', coalesce(p.completed, 0),
      'failed', coalesce(p.failed, 0),
      'cancelled', coalesce(p.cancelled, 0),
      'completion_rate', case when coalesce(p.finished, 0) = 0 then null
                              else p.completed::double precision / p.finished end,
      'failure_rate', case when coalesce(p.completed, 0) + coalesce(p.failed, 0) = 0 then null
                           else p.failed::double precision / (p.completed + p.failed) end,
      'avg_duration_ms', p.avg_ms,
      'p95_duration_ms', p.p95_ms,
      'in_queue', coalesce(q.in_queue, 0)
    ) order by w.key), '[]'::jsonb)
  into v_workflows
  from public.workflows as w
  left join per_workflow as p on p.workflow_id = w.id
  left join queued as q on q.workflow_id = w.id
  where w.organisation_id = p_organisation_id and w.deleted_at is null
    and (p.workflow_id is not null or q.workflow_id is not null or w.status = 'active');

  with steps as (
    select e.transformer_id, e.event_type, e.duration_ms
    from public.job_events as e
    where e.organisation_id = p_organisation_id
      and e.created_at >= v_since
      and e.event_type in ('step_succeeded', 'step_failed')
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'transformer_id', t.transformer_id,
      'steps', t.steps,
      'succeeded', t.succeeded,
      'failed', t.failed,
      'failure_rate', t.failed::double precision / t.steps,
      'avg_duration_ms', t.avg_ms,
      'p95_duration_ms', t.p95_ms
    ) order by t.transformer_id), '[]'::jsonb)
  into v_transformers
  from (
    select coalesce(s.transformer_id, '(none)') as transformer_id,
      count(*)::integer as steps,
      count(*) filter (where s.event_type = 'step_succeeded')::integer as succeeded,
      count(*) filter (where s.event_type = 'step_failed')::integer as failed,
      avg(s.duration_ms)::double precision as avg_ms,
      percentile_cont(0.95) within group (order by s.duration_ms) as p95_ms
    from steps as s
    group by 1
  ) as t;

  return jsonb_build_object(
    'generated_at', now(),
    'since', v_since,
    'queue', v_queue,
    'workflows', v_workflows,
    'transformers', v_transformers);
end;
$$;

comment on function public.workflow_health(uuid, timestamptz) is
  'Monitoring (members): queue depth and age, per-workflow and per-transformer rates and durations since p_since (default 24 h).';

revoke execute on function public.workflow_health(uuid, timestamptz) from public, anon;
grant execute on function public.workflow_health(uuid, timestamptz) to authenticated;


-- Operators' metrics across every organisation (the workflow-metrics function; service
-- role only): current jobs per status, the due queue and its oldest job, and over the last
-- p_window the finished jobs per workflow (count, sum and quantiles of duration) and the
-- steps per transformer and outcome (count, sum and quantiles of duration_ms).
create function public.workflow_metrics(p_window interval default interval '5 minutes')
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_window interval := least(greatest(coalesce(p_window, interval '5 minutes'), interval '10 seconds'), interval '1 day');
  v_statuses jsonb;
  v_queue jsonb;
  v_jobs jsonb;
  v_steps jsonb;
begin
  -- In-queue statuses come from the claimable partial index; final ones need a count over
  -- the table (seconds on a very large one: scrape every 30 s or more).
  select coalesce(jsonb_object_agg(s.status, s.n), '{}'::jsonb)
  into v_statuses
  from (select j.status, count(*) as n from public.jobs as j group by j.status) as s;

  select jsonb_build_object(
      'due', count(*),
      'oldest_due_age_seconds', coalesce(extract(epoch from (now() - min(j.available_at))), 0))
  into v_queue
  from public.jobs as j
  where j.status in ('pending', 'running', 'awaiting_retry')
    and j.available_at <= now();

  with finished as (
    select e.organisation_id, j.workflow_id, e.event_type, e.duration_ms
    from public.job_events as e
    join public.jobs as j on j.id = e.job_id
    where e.created_at >= now() - v_window
      and e.event_type in ('completed', 'failed')
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'organisation_id', x.organisation_id, 'workflow', w.key, 'status', x.event_type,
      'count', x.n, 'sum_ms', x.sum_ms,
      'p50_ms', x.p50, 'p95_ms', x.p95, 'p99_ms', x.p99) order by w.key, x.event_type), '[]'::jsonb)
  into v_jobs
  from (
    select f.organisation_id, f.workflow_id, f.event_type, count(*) as n,
      coalesce(sum(f.duration_ms), 0) as sum_ms,
      percentile_cont(0.5) within group (order by f.duration_ms) as p50,
      percentile_cont(0.95) within group (order by f.duration_ms) as p95,
      percentile_cont(0.99) within group (order by f.duration_ms) as p99
    from finished as f
    group by 1, 2, 3
  ) as x
  join public.workflows as w on w.id = x.workflow_id;

  select coalesce(jsonb_agg(jsonb_build_object(
      'transformer', x.transformer_id, 'outcome', x.outcome, 'count', x.n, 'sum_ms', x.sum_ms,
      'p50_ms', x.p50, 'p95_ms', x.p95, 'p99_ms', x.p99) order by x.transformer_id, x.outcome), '[]'::jsonb)
  into v_steps
  from (
    select coalesce(e.transformer_id, '(none)') as transformer_id,
      case when e.event_type = 'step_succeeded' then 'succeeded' else 'failed' end as outcome,
      count(*) as n,
      coalesce(sum(e.duration_ms), 0) as sum_ms,
      percentile_cont(0.5) within group (order by e.duration_ms) as p50,
      percentile_cont(0.95) within group (order by e.duration_ms) as p95,
      percentile_cont(0.99) within group (order by e.duration_ms) as p99
    from public.job_events as e
    where e.created_at >= now() - v_window
      and e.event_type in ('step_succeeded', 'step_failed')
    group by 1, 2
  ) as x;

  return jsonb_build_object(
    'generated_at', now(),
    'window_seconds', extract(epoch from v_window),
    'jobs_by_status', v_statuses,
    'queue', v_queue,
    'finished_jobs', v_jobs,
    'steps', v_steps);
end;
$$;

comment on function public.workflow_metrics(interval) is
  'Service role (workflow-metrics): jobs per status, due queue, and per-workflow/per-transformer durations over the window, across organisations.';

revoke execute on function public.workflow_metrics(interval) from public, anon, authenticated;
grant execute on function public.workflow_metrics(interval) to service_role;
