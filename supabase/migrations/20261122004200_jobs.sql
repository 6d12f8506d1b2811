-- Jobs and their append-only history (seed 003 iterations 1–3, 5, 9, 10;
-- docs/workflows-contract.md).
--
-- A job belongs to the user who started it, inside their organisation: the owner and the
-- organisation's admins see it, nobody else (another user's job is a 404, not a 403).
-- Nothing here is writable through the API: jobs are started, cancelled and re-queued by
-- RPCs, and moved through their steps only by the orchestrator's queue functions
-- (20261122004400), the single writer of job state.
--
-- Queue columns, after graphile-worker: available_at says when a job may next be claimed
-- and doubles as the lease expiry while a worker holds it (locked_by), so a crashed
-- worker's job becomes claimable again by itself; attempt counts claims and is the lease
-- token a worker must present with its result.

create table public.jobs (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  workflow_id uuid not null,
  workflow_version integer not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  status text not null default 'pending',
  input_data jsonb not null default '{}'::jsonb,
  step_data jsonb not null default '{}'::jsonb,
  current_step_id text,
  final_result jsonb,
  error_message text,
  error_code text,
  retry_count integer not null default 0,
  max_retries integer not null default 3,
  next_retry_at timestamptz,
  started_at timestamptz,
  completed_at timestamptz,
  idempotency_key text,
  available_at timestamptz not null default now(),
  locked_by text,
  attempt integer not null default 0,
  created_at timestamptz not null default now(),
  last_updated_at timestamptz not null default now(),
  constraint jobs_workflow_version_fkey
    foreign key (workflow_id, workflow_version)
    references public.workflow_versions (workflow_id, version) on delete cascade,
  constraint jobs_workflow_id_fkey
    foreign key (organisation_id, workflow_id)
    references public.workflows (organisation_id, id) on delete cascade,
  constraint jobs_status_valid
    check (status in ('pending', 'running', 'completed', 'failed', 'awaiting_retry', 'cancelled')),
  constraint jobs_step_data_is_object check (jsonb_typeof(step_data) = 'object'),
  constraint jobs_retry_count_range check (retry_count >= 0),
  constraint jobs_max_retries_range check (max_retries between 0 and 20),
  constraint jobs_attempt_range check (attempt >= 0),
  constraint jobs_idempotency_key_length check (char_length(idempotency_key) between 1 and 200),
  constraint jobs_awaiting_retry_has_time check (status <> 'awaiting_retry' or next_retry_at is not null),
  constraint jobs_final_has_completed_at
    check (status not in ('completed', 'failed') or completed_at is not null)
);

comment on table public.jobs is
  'One run of a workflow version: input, per-step outputs (step_data), status and retry state. Written only by RPCs and the orchestrator.';
comment on column public.jobs.available_at is
  'When the job may next be claimed; while a worker holds it (locked_by), its lease expiry.';
comment on column public.jobs.attempt is
  'Claims so far; the lease token a worker presents with its result.';
comment on column public.jobs.retry_count is
  'Failed attempts so far over the whole job; above max_retries the job fails.';

alter table public.jobs enable row level security;

-- What the orchestrator claims, oldest due first; finished jobs drop out of the index.
create index jobs_claimable_idx on public.jobs (available_at)
  where status in ('pending', 'running', 'awaiting_retry');
create index jobs_user_id_created_at_idx on public.jobs (user_id, created_at desc);
create index jobs_organisation_id_created_at_idx on public.jobs (organisation_id, created_at desc);
-- Measured for the two indexes below and the monitoring ones (…004600) on the native stack
-- (2-CPU machine) with 302 500 jobs and 1.2 M job_events: one organisation with 300 000
-- finished jobs over 90 days (6 workflows, 20 users, 4 events a job) plus 2 000 queued,
-- another with 500; VACUUM ANALYZE'd, warm cache; EXPLAIN (ANALYZE) execution times, as an
-- `authenticated` member or owner through RLS where the API reads as the user. Each is here
-- for a plan that was slow without it. Writes: jobs rows are updated on every claim and
-- finish and those updates are never HOT (available_at is indexed), so every jobs index gets
-- an entry per update; the claim and finish of 100 steps (2 500 queued) stayed within noise
-- with them (claim 11-19 -> 11-18 ms, finish 13-21 -> 13-23 ms).
--
-- workflow_stats with p_workflow_id keeps events whose job_id is one of the workflow's jobs:
-- with the id in the index that set (50 000 jobs) is an index-only scan instead of a bitmap
-- heap scan of 8 700 pages. workflow_stats(7 days, one workflow) 170-190 -> 45 ms. Also the
-- index of the jobs -> workflows foreign key (organisation_id, workflow_id).
create index jobs_organisation_id_workflow_id_idx
  on public.jobs (organisation_id, workflow_id, created_at desc) include (id);
-- list-jobs with scope=organisation and no organisation_id filters only through RLS, whose
-- "own job or admin's organisation" OR cannot use the organisation or user indexes: every
-- request was a sequential scan of jobs plus a sort (first page 160-300 ms, a date range
-- 95-150 ms, a workflow 70-100 ms, a status 60-90 ms). Read newest first through this index
-- it stops after a page: 2-6 ms. A deep keyset cursor (`created_at < c or (created_at = c
-- and id < i)`) alone is not an index bound: 80 days deep it read from the newest job down
-- (340-380 ms through this index, 120-190 ms as a sequential scan); list-jobs and the
-- dashboard also send the redundant bound `created_at <= c`, which makes it 2 ms.
create index jobs_created_at_id_idx on public.jobs (created_at desc, id desc);
create index jobs_workflow_id_workflow_version_idx on public.jobs (workflow_id, workflow_version);
create unique index jobs_user_id_idempotency_key_idx on public.jobs (user_id, idempotency_key)
  where idempotency_key is not null;

create function private.tg__set_last_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.last_updated_at := now();
  return new;
end;
$$;

comment on function private.tg__set_last_updated_at() is
  'BEFORE UPDATE trigger: sets last_updated_at to now() (seed 003 names the column so).';

revoke execute on function private.tg__set_last_updated_at() from public, anon, authenticated;

create trigger _100_set_last_updated_at
  before update on public.jobs
  for each row execute function private.tg__set_last_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.jobs
  for each row execute function private.tg__keep_organisation_id('job');


-- What a flow run's job really runs with (issue 11, docs/projects-contract.md "Secrets"):
-- jobs.input_data holds the input with secret values masked (••••), so nobody reads a
-- secret back through jobs; its real input, the run's variables ($.variables.<name>) and
-- the secret strings to redact from everything recorded live here, where no API role
-- reaches. claim_workflow_steps (…004400) merges them into the claim; the orchestrator
-- replaces every `redact` string in what it records with ••••. Written by
-- private.start_flow_job (…006300). A job without a row runs as before.
create table private.job_run_context (
  job_id uuid primary key references public.jobs (id) on delete cascade,
  input_data jsonb not null default '{}'::jsonb,
  variables jsonb not null default '{}'::jsonb,
  redact text[] not null default '{}',
  constraint job_run_context_input_data_is_object check (jsonb_typeof(input_data) = 'object'),
  constraint job_run_context_variables_is_object check (jsonb_typeof(variables) = 'object')
);

comment on table private.job_run_context is
  'A flow run job''s real input, variables and secret strings to redact; merged into its claim, never exposed to API roles.';

alter table private.job_run_context enable row level security;
revoke all on table private.job_run_context from public, anon, authenticated, service_role;


create table public.job_events (
  id bigint generated always as identity primary key,
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  job_id uuid not null references public.jobs (id) on delete cascade,
  -- The job's owner, copied so the policy needs no join to jobs.
  user_id uuid not null,
  event_type text not null,
  step_id text,
  transformer_id text,
  attempt integer,
  from_status text,
  to_status text,
  duration_ms integer,
  message text,
  data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default clock_timestamp(),
  constraint job_events_event_type_valid check (event_type in (
    'created', 'claimed', 'step_succeeded', 'step_failed', 'retry_scheduled',
    'completed', 'failed', 'cancelled', 'retried')),
  constraint job_events_data_is_object check (jsonb_typeof(data) = 'object'),
  constraint job_events_duration_not_negative check (duration_ms >= 0)
);

comment on table public.job_events is
  'Append-only state history of jobs: every transition, claim, step result, retry and error.';

alter table public.job_events enable row level security;

create index job_events_job_id_id_idx on public.job_events (job_id, id);
create index job_events_user_id_idx on public.job_events (user_id);
create index job_events_organisation_id_created_at_idx on public.job_events (organisation_id, created_at);
-- A step is applied once: the database refuses a second success for the same step of a job.
create unique index job_events_one_success_per_step_idx on public.job_events (job_id, step_id)
  where event_type = 'step_succeeded';

create function private.tg__job_events_append_only() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'job_events is append-only' using errcode = '42501';
end;
$$;

comment on function private.tg__job_events_append_only() is
  'BEFORE UPDATE trigger: history rows never change.';

revoke execute on function private.tg__job_events_append_only() from public, anon, authenticated;

create trigger _100_append_only
  before update on public.job_events
  for each row execute function private.tg__job_events_append_only();


revoke all on public.jobs from anon, authenticated;
grant select on public.jobs to authenticated;
revoke all on public.job_events from anon, authenticated;
grant select on public.job_events to authenticated;
-- Even the service role may only add history, never rewrite it. (Deleting an organisation
-- still removes its events: foreign-key cascades run as the table owner.)
revoke update, delete, truncate on public.job_events from service_role;

create policy jobs_select_owner_or_admins on public.jobs
  for select to authenticated
  using (
    (user_id = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()))
    or organisation_id in (select private.user_admin_organisation_ids())
  );

create policy job_events_select_owner_or_admins on public.job_events
  for select to authenticated
  using (
    (user_id = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()))
    or organisation_id in (select private.user_admin_organisation_ids())
  );
