-- Flow sequence runs (issue 11; docs/projects-contract.md "Runs" and "Secrets"). A run
-- executes a sequence's flows on the server, one job per flow:
--
--   run-flow-sequence ─▶ start_flow_run ─▶ run (running) + flow 1's run flow + its job
--   job ends (finish_workflow_steps, cancel_job, …) ─▶ trigger: run flow `evaluating`
--   orchestrator (_shared/flow-runs.ts): flow_run_evaluations ─▶ assertions, __error, the
--        next flow's inputs (packages/domain flows/*) ─▶ advance_flow_run: passed/failed,
--        then the next flow's job, paused (debug), completed or failed
--   flow-run-action ─▶ flow_run_context, then flow_run_action: continue, rerun, stop
--
-- One place decides each transition: the domain decides what a flow's end means,
-- advance_flow_run and flow_run_action apply it under the run row's lock, and only from the
-- state it was decided in (the run flow still evaluating, the run still where the caller saw
-- it), so two orchestrators or two clicks advance a run once; the loser gets applied: false
-- or 409 run_changed. Nothing here is writable through the API: members read runs (RLS);
-- every write is one of these service-role functions.
--
-- Secrets: runs and run flows hold resolved values masked (••••); the real parameter and
-- variable values live in private.flow_run_secrets, each job's real input in
-- private.job_run_context (…004200), which claim_workflow_steps merges into its claim.


create table public.flow_sequence_runs (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  project_id uuid not null,
  sequence_id uuid not null,
  mode text not null,
  status text not null default 'running',
  environment_id uuid,
  -- Kept as it was at the start: an environment renamed or deleted later does not change
  -- what this run says it ran against.
  environment_name text,
  -- The sequence's flows at the start, each with workflow_name: [{ id, workflow_id,
  -- workflow_name, mappings, assertions }]. Editing the sequence does not change a run.
  flows jsonb not null,
  -- { name: ResolvedValue }, secrets masked.
  parameters jsonb not null default '{}'::jsonb,
  variables jsonb not null default '{}'::jsonb,
  current_flow_id text,
  -- { flow_id, code, message } when failed.
  error jsonb,
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint flow_sequence_runs_organisation_id_id_key unique (organisation_id, id),
  constraint flow_sequence_runs_sequence_id_fkey
    foreign key (organisation_id, sequence_id)
    references public.flow_sequences (organisation_id, id) on delete cascade,
  constraint flow_sequence_runs_project_id_fkey
    foreign key (organisation_id, project_id)
    references public.projects (organisation_id, id) on delete cascade,
  constraint flow_sequence_runs_environment_id_fkey
    foreign key (organisation_id, environment_id)
    references public.environments (organisation_id, id) on delete set null (environment_id),
  constraint flow_sequence_runs_mode_valid check (mode in ('normal', 'debug')),
  constraint flow_sequence_runs_status_valid
    check (status in ('running', 'paused', 'completed', 'failed', 'stopped')),
  constraint flow_sequence_runs_flows_is_array check (
    jsonb_typeof(flows) = 'array' and jsonb_array_length(flows) between 1 and 20),
  constraint flow_sequence_runs_parameters_is_object check (jsonb_typeof(parameters) = 'object'),
  constraint flow_sequence_runs_variables_is_object check (jsonb_typeof(variables) = 'object'),
  constraint flow_sequence_runs_error_is_object check (error is null or jsonb_typeof(error) = 'object'),
  constraint flow_sequence_runs_ended_has_finished_at
    check (status not in ('completed', 'failed', 'stopped') or finished_at is not null)
);

comment on table public.flow_sequence_runs is
  'One server-side run of a flow sequence: its snapshot of flows, resolved parameters and variables (secrets masked), status and error. Written only by service-role RPCs.';

alter table public.flow_sequence_runs enable row level security;

-- A sequence's runs, newest first (the editor's runs list).
create index flow_sequence_runs_sequence_id_created_at_idx
  on public.flow_sequence_runs (organisation_id, sequence_id, created_at desc);
create index flow_sequence_runs_project_id_idx on public.flow_sequence_runs (organisation_id, project_id);
create index flow_sequence_runs_environment_id_idx
  on public.flow_sequence_runs (organisation_id, environment_id);
create index flow_sequence_runs_created_by_idx on public.flow_sequence_runs (created_by);

create trigger _100_set_updated_at
  before update on public.flow_sequence_runs
  for each row execute function private.tg__set_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.flow_sequence_runs
  for each row execute function private.tg__keep_organisation_id('flow sequence run');


create table public.flow_sequence_run_flows (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  run_id uuid not null,
  flow_id text not null,
  -- The flow's index in the run's flows snapshot (0-based).
  position integer not null,
  -- 1, then one more for each re-run of the flow in debug mode.
  attempt integer not null default 1,
  workflow_id uuid not null,
  job_id uuid references public.jobs (id) on delete set null,
  status text not null default 'running',
  -- { name: ResolvedValue }, secrets masked.
  inputs jsonb not null default '{}'::jsonb,
  -- The job's final_result (masked by the orchestrator).
  output jsonb,
  -- [{ path, operator, expected, actual, passed, message }]
  assertions jsonb not null default '[]'::jsonb,
  -- While evaluating: the job's own { code, message }; after: { code: RunFlowErrorCode, message }.
  error jsonb,
  -- The job's steps as it ended (its step_succeeded / step_failed events, redacted like
  -- them): [{ step_id, transformer_id, outcome, attempt, duration_ms, input, output, error,
  -- at }]. Copied so every member reads the debug view: job_events are only the job
  -- starter's and admins'.
  steps jsonb not null default '[]'::jsonb,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  constraint flow_sequence_run_flows_run_id_fkey
    foreign key (organisation_id, run_id)
    references public.flow_sequence_runs (organisation_id, id) on delete cascade,
  constraint flow_sequence_run_flows_attempt_key unique (run_id, flow_id, attempt),
  constraint flow_sequence_run_flows_status_valid
    check (status in ('running', 'evaluating', 'passed', 'failed', 'stopped')),
  constraint flow_sequence_run_flows_position_range check (position between 0 and 19),
  constraint flow_sequence_run_flows_attempt_range check (attempt >= 1),
  constraint flow_sequence_run_flows_inputs_is_object check (jsonb_typeof(inputs) = 'object'),
  constraint flow_sequence_run_flows_assertions_is_array check (jsonb_typeof(assertions) = 'array'),
  constraint flow_sequence_run_flows_steps_is_array check (jsonb_typeof(steps) = 'array'),
  constraint flow_sequence_run_flows_error_is_object check (error is null or jsonb_typeof(error) = 'object')
);

comment on table public.flow_sequence_run_flows is
  'One attempt of one flow in a flow sequence run: its job, resolved inputs (masked), output, assertion results and error.';

alter table public.flow_sequence_run_flows enable row level security;

-- A run's flows in order (the run page), and the index of the run foreign key.
create index flow_sequence_run_flows_run_id_idx
  on public.flow_sequence_run_flows (organisation_id, run_id, position, attempt);
create index flow_sequence_run_flows_job_id_idx on public.flow_sequence_run_flows (job_id);
-- What flow_run_evaluations reads, oldest first; only run flows waiting for a decision.
create index flow_sequence_run_flows_evaluating_idx on public.flow_sequence_run_flows (finished_at)
  where status = 'evaluating';

create trigger _200_keep_organisation_id
  before update of organisation_id on public.flow_sequence_run_flows
  for each row execute function private.tg__keep_organisation_id('flow sequence run flow');


revoke all on public.flow_sequence_runs from anon, authenticated;
grant select on public.flow_sequence_runs to authenticated;
revoke all on public.flow_sequence_run_flows from anon, authenticated;
grant select on public.flow_sequence_run_flows to authenticated;

-- Members read their organisation's runs (any member may run a sequence, and a teammate sees
-- the same debug session). No insert, update or delete policy: the RPCs below write.
create policy flow_sequence_runs_select_members on public.flow_sequence_runs
  for select to authenticated
  using (organisation_id in (select private.user_organisation_ids()));

create policy flow_sequence_run_flows_select_members on public.flow_sequence_run_flows
  for select to authenticated
  using (organisation_id in (select private.user_organisation_ids()));


-- The real values a run resolved: { name: value } of its parameters and variables, and the
-- secret strings its jobs must redact. Read by the orchestrator (to resolve the next flow's
-- inputs) and flow-run-action, under the service role, through the RPCs below.
create table private.flow_run_secrets (
  run_id uuid primary key references public.flow_sequence_runs (id) on delete cascade,
  parameters jsonb not null default '{}'::jsonb,
  variables jsonb not null default '{}'::jsonb,
  redact text[] not null default '{}',
  constraint flow_run_secrets_parameters_is_object check (jsonb_typeof(parameters) = 'object'),
  constraint flow_run_secrets_variables_is_object check (jsonb_typeof(variables) = 'object')
);

comment on table private.flow_run_secrets is
  'A flow run''s real parameter and variable values and the secret strings to redact; never exposed to API roles.';

alter table private.flow_run_secrets enable row level security;
revoke all on table private.flow_run_secrets from public, anon, authenticated, service_role;


-- A flow's job points at its run flow, so the job's end can be handed to the run.
alter table public.jobs
  add column flow_run_flow_id uuid references public.flow_sequence_run_flows (id) on delete set null;

comment on column public.jobs.flow_run_flow_id is
  'The flow sequence run flow this job runs (null for other jobs); its end moves that run flow to evaluating.';

create index jobs_flow_run_flow_id_idx on public.jobs (flow_run_flow_id)
  where flow_run_flow_id is not null;


-- AFTER UPDATE OF status on jobs, only for a flow's job that just ended (the trigger's
-- `when`: other jobs pay nothing): its run flow, if still running, becomes evaluating with
-- the job's result, error and steps. In the same transaction as the job's end, so no end is
-- lost between the job and its run whatever crashes; the decision itself is the
-- orchestrator's. (An AFTER trigger sees the events finish_workflow_steps inserts in the
-- same statement: it fires when the statement has run.)
create function private.tg__flow_run_job_ended() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.flow_sequence_run_flows as f set
    status = 'evaluating',
    output = new.final_result,
    error = case when new.status = 'completed' then null
      else jsonb_build_object(
        'code', coalesce(new.error_code, case when new.status = 'cancelled' then 'cancelled' else 'failed' end),
        'message', coalesce(new.error_message, format('the job was %s', new.status))) end,
    steps = coalesce((
      select jsonb_agg(jsonb_build_object(
          'step_id', e.step_id, 'transformer_id', e.transformer_id,
          'outcome', case when e.event_type = 'step_succeeded' then 'succeeded' else 'failed' end,
          'attempt', e.attempt, 'duration_ms', e.duration_ms,
          'input', e.data -> 'input', 'output', e.data -> 'output', 'error', e.data -> 'error',
          'at', e.created_at)
        order by e.id)
      from public.job_events as e
      where e.job_id = new.id and e.event_type in ('step_succeeded', 'step_failed')), '[]'::jsonb),
    finished_at = now()
  where f.id = new.flow_run_flow_id and f.status = 'running' and f.job_id = new.id;
  return null;
end;
$$;

comment on function private.tg__flow_run_job_ended() is
  'AFTER UPDATE trigger on jobs: a flow''s job that ended hands its result to its run flow (evaluating).';

revoke execute on function private.tg__flow_run_job_ended() from public, anon, authenticated;

create trigger _300_flow_run_job_ended
  after update of status on public.jobs
  for each row
  when (new.flow_run_flow_id is not null
        and new.status in ('completed', 'failed', 'cancelled')
        and old.status is distinct from new.status)
  execute function private.tg__flow_run_job_ended();


-- Starts one flow of a run: its run flow (attempt p_attempt) and its job, in the caller's
-- transaction. p_start = { workflow_id, inputs ({ name: ResolvedValue }, masked), input_data
-- (real), input_data_masked }. The job holds the masked input; its real input, the run's
-- variables and the strings to redact go to job_run_context, which the claim merges. The
-- workflow must be the one the run's snapshot names for that flow, of the run's
-- organisation (404) and active (409). Like start_workflow_job: the workflow's current
-- version, max_retries from its retry policy, a 'created' event. (The input size trigger on
-- jobs applies; the start rate limit is the user-facing callers' to take: limit_job_start.)
create function private.start_flow_job(
  p_run public.flow_sequence_runs,
  p_user_id uuid,
  p_flow_id text,
  p_attempt integer,
  p_start jsonb
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_position integer;
  v_flow jsonb;
  v_workflow public.workflows;
  v_max_retries integer;
  v_run_flow_id uuid;
  v_job public.jobs;
  v_secrets private.flow_run_secrets;
  v_input jsonb := p_start -> 'input_data';
  v_masked jsonb := p_start -> 'input_data_masked';
begin
  select (f.ordinality - 1)::integer, f.value into v_position, v_flow
  from jsonb_array_elements(p_run.flows) with ordinality as f
  where f.value ->> 'id' = p_flow_id;
  if not found then
    perform private.raise_http(400, 'invalid_input', format('flow %s is not in this run', coalesce(p_flow_id, 'null')));
  end if;
  if (p_start ->> 'workflow_id') is distinct from (v_flow ->> 'workflow_id') then
    perform private.raise_http(400, 'invalid_input', format(
      'flow %s runs workflow %s, not %s', p_flow_id, v_flow ->> 'workflow_id',
      coalesce(p_start ->> 'workflow_id', 'null')));
  end if;
  if jsonb_typeof(v_input) is distinct from 'object' or jsonb_typeof(v_masked) is distinct from 'object'
     or jsonb_typeof(coalesce(p_start -> 'inputs', '{}'::jsonb)) <> 'object' then
    perform private.raise_http(400, 'invalid_input', 'inputs, input_data and input_data_masked must be JSON objects');
  end if;

  -- A workflow in the trash is gone for runs as for start-workflow.
  select w.* into v_workflow
  from public.workflows as w
  where w.id = (v_flow ->> 'workflow_id')::uuid and w.organisation_id = p_run.organisation_id
    and w.deleted_at is null;
  if not found then
    perform private.raise_http(404, 'workflow_not_found', format('the workflow of flow %s no longer exists', p_flow_id));
  end if;
  if v_workflow.status <> 'active' then
    perform private.raise_http(409, 'workflow_archived', format(
      'the workflow of flow %s (%s) is archived', p_flow_id, v_workflow.key));
  end if;
  select coalesce((v.retry_policy ->> 'max_retries')::integer, 3) into v_max_retries
  from public.workflow_versions as v
  where v.workflow_id = v_workflow.id and v.version = v_workflow.version;

  insert into public.flow_sequence_run_flows
    (organisation_id, run_id, flow_id, position, attempt, workflow_id, status, inputs)
  values
    (p_run.organisation_id, p_run.id, p_flow_id, v_position, p_attempt, v_workflow.id, 'running',
     coalesce(p_start -> 'inputs', '{}'::jsonb))
  returning id into v_run_flow_id;

  insert into public.jobs
    (organisation_id, workflow_id, workflow_version, user_id, input_data, max_retries, flow_run_flow_id)
  values
    (p_run.organisation_id, v_workflow.id, v_workflow.version, p_user_id, v_masked, v_max_retries,
     v_run_flow_id)
  returning * into v_job;

  update public.flow_sequence_run_flows as f set job_id = v_job.id where f.id = v_run_flow_id;

  select s.* into v_secrets from private.flow_run_secrets as s where s.run_id = p_run.id;
  insert into private.job_run_context (job_id, input_data, variables, redact)
  values (v_job.id, v_input, coalesce(v_secrets.variables, '{}'::jsonb), coalesce(v_secrets.redact, '{}'));

  insert into public.job_events (organisation_id, job_id, user_id, event_type, to_status, data)
  values (v_job.organisation_id, v_job.id, p_user_id, 'created', 'pending',
          jsonb_build_object('workflow_version', v_job.workflow_version,
            'flow_run_id', p_run.id, 'flow_id', p_flow_id, 'flow_attempt', p_attempt));

  return jsonb_build_object('run_flow_id', v_run_flow_id, 'job_id', v_job.id);
end;
$$;

comment on function private.start_flow_job(public.flow_sequence_runs, uuid, text, integer, jsonb) is
  'Starts one flow of a run: its run flow row and its job (masked input), with the real input, variables and redact list in job_run_context.';

revoke execute on function private.start_flow_job(public.flow_sequence_runs, uuid, text, integer, jsonb)
  from public, anon, authenticated;


-- Everything a decision about a run needs, as the orchestrator and flow-run-action receive
-- it: the run, its real values (secrets), the output of the latest passed attempt of each
-- flow, the current version's declared inputs of each flow's workflow, and the current
-- flow's latest attempt with its real input (a re-run with the same inputs).
create function private.flow_run_bundle(p_run public.flow_sequence_runs) returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'run', jsonb_build_object(
      'id', p_run.id, 'organisation_id', p_run.organisation_id, 'sequence_id', p_run.sequence_id,
      'mode', p_run.mode, 'status', p_run.status, 'flows', p_run.flows,
      'current_flow_id', p_run.current_flow_id, 'parameters', p_run.parameters,
      'variables', p_run.variables, 'created_by', p_run.created_by),
    'secrets', (
      select jsonb_build_object('parameters', s.parameters, 'variables', s.variables,
        'redact', to_jsonb(s.redact))
      from private.flow_run_secrets as s where s.run_id = p_run.id),
    'outputs', coalesce((
      select jsonb_object_agg(p.flow_id, p.output)
      from (
        select distinct on (f.flow_id) f.flow_id, f.output
        from public.flow_sequence_run_flows as f
        where f.run_id = p_run.id and f.status = 'passed'
        order by f.flow_id, f.attempt desc
      ) as p), '{}'::jsonb),
    'workflows', coalesce((
      select jsonb_object_agg(w.id, jsonb_build_object(
        'id', w.id, 'name', w.name, 'status', w.status, 'version', w.version,
        'inputs', v.definition -> 'inputs'))
      from public.workflows as w
      join public.workflow_versions as v on v.workflow_id = w.id and v.version = w.version
      where w.organisation_id = p_run.organisation_id and w.deleted_at is null
        and w.id in (select (f.value ->> 'workflow_id')::uuid from jsonb_array_elements(p_run.flows) as f)),
      '{}'::jsonb),
    'current', (
      select jsonb_build_object('id', f.id, 'flow_id', f.flow_id, 'attempt', f.attempt,
        'status', f.status, 'job_id', f.job_id, 'inputs', f.inputs, 'output', f.output,
        'error', f.error, 'input_data', x.input_data)
      from public.flow_sequence_run_flows as f
      left join private.job_run_context as x on x.job_id = f.job_id
      where f.run_id = p_run.id and f.flow_id = p_run.current_flow_id
      order by f.attempt desc
      limit 1));
$$;

revoke execute on function private.flow_run_bundle(public.flow_sequence_runs) from public, anon, authenticated;


-- Starts a run of a sequence as p_user_id (any member of its organisation; 404 otherwise):
-- the run, its real values, flow 1's run flow and job. Service role only: run-flow-sequence
-- validates and resolves with packages/domain first. p_run = { environment_id,
-- environment_name, flows, parameters, variables (masked), secrets: { parameters,
-- variables, redact }, first: { flow_id, workflow_id, inputs, input_data, input_data_masked } }.
create function public.start_flow_run(p_user_id uuid, p_sequence_id uuid, p_mode text, p_run jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_sequence public.flow_sequences;
  v_run public.flow_sequence_runs;
  v_first jsonb := p_run -> 'first';
  v_secrets jsonb := coalesce(p_run -> 'secrets', '{}'::jsonb);
  v_started jsonb;
begin
  select s.* into v_sequence from public.flow_sequences as s where s.id = p_sequence_id;
  if not found or not private.is_organisation_member(v_sequence.organisation_id, p_user_id) then
    perform private.raise_http(404, 'sequence_not_found', 'flow sequence not found');
  end if;
  if p_mode is null or p_mode not in ('normal', 'debug') then
    perform private.raise_http(400, 'invalid_input', 'mode must be normal or debug');
  end if;
  if jsonb_typeof(p_run) is distinct from 'object'
     or jsonb_typeof(p_run -> 'flows') is distinct from 'array'
     or jsonb_array_length(p_run -> 'flows') not between 1 and 20
     or jsonb_typeof(v_first) is distinct from 'object'
     or jsonb_typeof(v_secrets) <> 'object'
     or coalesce(jsonb_typeof(v_secrets -> 'redact'), 'array') <> 'array' then
    perform private.raise_http(400, 'invalid_input',
      'the run needs flows (1 to 20), first and secrets: { parameters, variables, redact }');
  end if;
  if (p_run -> 'flows' -> 0 ->> 'id') is distinct from (v_first ->> 'flow_id') then
    perform private.raise_http(400, 'invalid_input', 'a run starts with its first flow');
  end if;
  if (p_run ->> 'environment_id') is not null and not exists (
    select 1 from public.environments as e
    where e.id = (p_run ->> 'environment_id')::uuid and e.organisation_id = v_sequence.organisation_id
  ) then
    perform private.raise_http(404, 'environment_not_found', 'environment not found');
  end if;
  -- The user starts a job: it counts against their start limits (429) as start-workflow's
  -- would. The flows the orchestrator starts after it do not: they are this start's.
  perform private.limit_job_start(p_user_id, v_sequence.organisation_id);

  insert into public.flow_sequence_runs
    (organisation_id, project_id, sequence_id, mode, status, environment_id, environment_name,
     flows, parameters, variables, current_flow_id, created_by)
  values
    (v_sequence.organisation_id, v_sequence.project_id, v_sequence.id, p_mode, 'running',
     (p_run ->> 'environment_id')::uuid, p_run ->> 'environment_name', p_run -> 'flows',
     coalesce(p_run -> 'parameters', '{}'::jsonb), coalesce(p_run -> 'variables', '{}'::jsonb),
     v_first ->> 'flow_id', p_user_id)
  returning * into v_run;

  insert into private.flow_run_secrets (run_id, parameters, variables, redact)
  values (v_run.id, coalesce(v_secrets -> 'parameters', '{}'::jsonb),
    coalesce(v_secrets -> 'variables', '{}'::jsonb),
    coalesce((select array_agg(r.value) from jsonb_array_elements_text(v_secrets -> 'redact') as r), '{}'));

  v_started := private.start_flow_job(v_run, p_user_id, v_first ->> 'flow_id', 1, v_first);

  return jsonb_build_object('run_id', v_run.id, 'status', v_run.status,
    'run_flow_id', v_started -> 'run_flow_id', 'job_id', v_started -> 'job_id');
end;
$$;

comment on function public.start_flow_run(uuid, uuid, text, jsonb) is
  'Service role (run-flow-sequence): starts a run of a flow sequence as a member, with its first flow''s job.';

revoke execute on function public.start_flow_run(uuid, uuid, text, jsonb) from public, anon, authenticated;
grant execute on function public.start_flow_run(uuid, uuid, text, jsonb) to service_role;


-- Run flows whose job ended and that wait for a decision, oldest first, each with what the
-- decision needs (the run flow with its job's status, and the run's bundle). Locked with
-- skip locked only for this statement: two orchestrators may both read one, and
-- advance_flow_run applies it once.
create function public.flow_run_evaluations(p_limit integer) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_result jsonb;
begin
  if p_limit is null or p_limit not between 1 and 1000 then
    raise exception 'flow_run_evaluations: limit 1..1000' using errcode = '22023';
  end if;
  with due as (
    select f.id from public.flow_sequence_run_flows as f
    where f.status = 'evaluating'
    order by f.finished_at, f.id
    limit p_limit
    for update skip locked
  )
  select coalesce(jsonb_agg(private.flow_run_bundle(r) || jsonb_build_object(
      'run_flow', jsonb_build_object('id', f.id, 'run_id', f.run_id, 'flow_id', f.flow_id,
        'attempt', f.attempt, 'output', f.output, 'error', f.error,
        'job_status', j.status))
      order by f.finished_at, f.id), '[]'::jsonb)
  into v_result
  from due
  join public.flow_sequence_run_flows as f on f.id = due.id
  join public.flow_sequence_runs as r on r.id = f.run_id
  left join public.jobs as j on j.id = f.job_id;
  return v_result;
end;
$$;

comment on function public.flow_run_evaluations(integer) is
  'Orchestrator: run flows waiting for a decision (their job ended), oldest first, each with its run''s bundle.';

revoke execute on function public.flow_run_evaluations(integer) from public, anon, authenticated;
grant execute on function public.flow_run_evaluations(integer) to service_role;


-- Applies the orchestrator's decision about an evaluating run flow, once. p_decision =
-- { flow_status: passed|failed, assertions, error: { code, message } | null,
--   next: { kind: start_next, flow_id, workflow_id, inputs, input_data, input_data_masked }
--       | { kind: pause } | { kind: complete } | { kind: fail, error?: { flow_id, code, message } } }.
-- Applied only while the run flow is evaluating and its run running on that flow (the run
-- row locked first: every writer of a run takes that lock, so none interleaves); else
-- { applied: false } and nothing changes. A next flow that cannot start (its workflow
-- archived or gone, its input too large) fails the run with that reason rather than leave
-- the run flow evaluating for ever.
create function public.advance_flow_run(p_run_flow_id uuid, p_decision jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_flow public.flow_sequence_run_flows;
  v_run public.flow_sequence_runs;
  v_next jsonb := p_decision -> 'next';
  v_kind text := p_decision -> 'next' ->> 'kind';
  v_started jsonb;
  v_error jsonb;
  v_sqlstate text;
  v_message text;
begin
  if p_decision ->> 'flow_status' is null or p_decision ->> 'flow_status' not in ('passed', 'failed')
     or v_kind is null or v_kind not in ('start_next', 'pause', 'complete', 'fail')
     or coalesce(jsonb_typeof(p_decision -> 'assertions'), 'array') <> 'array'
     or coalesce(jsonb_typeof(p_decision -> 'error'), 'object') not in ('object', 'null') then
    raise exception 'advance_flow_run: flow_status passed|failed and next.kind start_next|pause|complete|fail are required'
      using errcode = '22023';
  end if;

  select r.* into v_run
  from public.flow_sequence_runs as r
  where r.id = (select f.run_id from public.flow_sequence_run_flows as f where f.id = p_run_flow_id)
  for update;
  select f.* into v_flow from public.flow_sequence_run_flows as f where f.id = p_run_flow_id;
  if v_run.id is null or v_flow.status <> 'evaluating' then
    return jsonb_build_object('applied', false, 'run_status', v_run.status);
  end if;
  if v_run.status <> 'running' or v_run.current_flow_id is distinct from v_flow.flow_id then
    -- Its run moved on without it (not expected: a stop closes the current flow itself):
    -- closed, so it is not handed out for evaluation again and again.
    update public.flow_sequence_run_flows as f set status = 'stopped' where f.id = v_flow.id;
    return jsonb_build_object('applied', false, 'run_status', v_run.status);
  end if;

  update public.flow_sequence_run_flows as f set
    status = p_decision ->> 'flow_status',
    assertions = coalesce(p_decision -> 'assertions', '[]'::jsonb),
    error = nullif(p_decision -> 'error', 'null'::jsonb),
    finished_at = coalesce(f.finished_at, now())
  where f.id = v_flow.id;

  if v_kind = 'start_next' then
    if (select (f.ordinality - 1) from jsonb_array_elements(v_run.flows) with ordinality as f
        where f.value ->> 'id' = v_next ->> 'flow_id') is distinct from v_flow.position + 1 then
      raise exception 'advance_flow_run: next.flow_id must be the flow after %', v_flow.flow_id
        using errcode = '22023';
    end if;
    begin
      -- Started by whoever started the flow that passed (the run's creator, or the member who
      -- continued a debug run): their jobs, as if they had clicked on.
      v_started := private.start_flow_job(v_run,
        coalesce((select j.user_id from public.jobs as j where j.id = v_flow.job_id), v_run.created_by),
        v_next ->> 'flow_id', 1, v_next);
    exception when others then
      get stacked diagnostics v_sqlstate = returned_sqlstate, v_message = message_text;
      -- raise_http's message is { code, message } as JSON.
      if v_sqlstate = 'PGRST' and v_message like '{%' then
        v_error := jsonb_build_object('flow_id', v_next ->> 'flow_id',
          'code', v_message::jsonb ->> 'code', 'message', v_message::jsonb ->> 'message');
      else
        v_error := jsonb_build_object('flow_id', v_next ->> 'flow_id', 'code', 'start_failed',
          'message', v_message);
      end if;
      update public.flow_sequence_runs as r set
        status = 'failed', error = v_error, finished_at = now()
      where r.id = v_run.id;
      return jsonb_build_object('applied', true, 'run_status', 'failed');
    end;
    update public.flow_sequence_runs as r set current_flow_id = v_next ->> 'flow_id'
    where r.id = v_run.id;
    return jsonb_build_object('applied', true, 'run_status', 'running',
      'job_id', v_started -> 'job_id', 'run_flow_id', v_started -> 'run_flow_id');
  end if;

  if v_kind = 'pause' then
    update public.flow_sequence_runs as r set status = 'paused' where r.id = v_run.id;
    return jsonb_build_object('applied', true, 'run_status', 'paused');
  end if;

  if v_kind = 'complete' then
    update public.flow_sequence_runs as r set status = 'completed', finished_at = now()
    where r.id = v_run.id;
    return jsonb_build_object('applied', true, 'run_status', 'completed');
  end if;

  -- fail: the run's error names the flow (next.error when the decision names another, as
  -- when the next flow's inputs did not resolve).
  v_error := coalesce(
    nullif(v_next -> 'error', 'null'::jsonb),
    jsonb_build_object('flow_id', v_flow.flow_id) || coalesce(nullif(p_decision -> 'error', 'null'::jsonb),
      jsonb_build_object('code', 'job_failed', 'message', 'the flow failed')));
  update public.flow_sequence_runs as r set status = 'failed', error = v_error, finished_at = now()
  where r.id = v_run.id;
  return jsonb_build_object('applied', true, 'run_status', 'failed');
end;
$$;

comment on function public.advance_flow_run(uuid, jsonb) is
  'Orchestrator: applies the decision about an evaluating run flow once (next flow, pause, complete or fail) under the run''s lock.';

revoke execute on function public.advance_flow_run(uuid, jsonb) from public, anon, authenticated;
grant execute on function public.advance_flow_run(uuid, jsonb) to service_role;


-- The run a member asks about, locked; 404 for anyone else.
create function private.lock_member_run(p_user_id uuid, p_run_id uuid) returns public.flow_sequence_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_run public.flow_sequence_runs;
begin
  select r.* into v_run from public.flow_sequence_runs as r where r.id = p_run_id for update;
  if not found or not private.is_organisation_member(v_run.organisation_id, p_user_id) then
    perform private.raise_http(404, 'run_not_found', 'run not found');
  end if;
  return v_run;
end;
$$;

revoke execute on function private.lock_member_run(uuid, uuid) from public, anon, authenticated;


-- A member's action on a run (flow-run-action; service role only): continue (paused, its
-- current flow's latest attempt passed; p_next = the next flow's start, or { kind:
-- complete } after the last), rerun (paused; p_next = a start of the current flow again: a
-- new attempt), stop (running or paused: the running flow's job is cancelled as cancel_job
-- does). p_flow_id is the flow the caller saw current. Anything else than the state the
-- caller saw is 409 run_changed: of ten continues at once, one applies.
create function public.flow_run_action(
  p_user_id uuid, p_run_id uuid, p_action text, p_flow_id text, p_next jsonb
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_run public.flow_sequence_runs;
  v_flow public.flow_sequence_run_flows;
  v_job public.jobs;
  v_from text;
  v_attempt integer;
begin
  if p_action is null or p_action not in ('continue', 'rerun', 'stop') then
    perform private.raise_http(400, 'invalid_input', 'action must be continue, rerun or stop');
  end if;
  v_run := private.lock_member_run(p_user_id, p_run_id);
  select f.* into v_flow
  from public.flow_sequence_run_flows as f
  where f.run_id = v_run.id and f.flow_id = v_run.current_flow_id
  order by f.attempt desc
  limit 1;

  if p_action = 'stop' then
    if v_run.status not in ('running', 'paused') then
      perform private.raise_http(409, 'run_changed', format('the run is %s', v_run.status));
    end if;
    if v_flow.status in ('running', 'evaluating') then
      update public.flow_sequence_run_flows as f set status = 'stopped', finished_at = now()
      where f.id = v_flow.id;
      select j.* into v_job from public.jobs as j where j.id = v_flow.job_id for update;
      if v_job.status in ('pending', 'running', 'awaiting_retry') then
        v_from := v_job.status;
        update public.jobs as j set
          status = 'cancelled', completed_at = now(), locked_by = null, next_retry_at = null
        where j.id = v_job.id;
        insert into public.job_events
          (organisation_id, job_id, user_id, event_type, step_id, from_status, to_status, message)
        values
          (v_job.organisation_id, v_job.id, v_job.user_id, 'cancelled', v_job.current_step_id,
           v_from, 'cancelled', format('run %s stopped by %s', v_run.id, p_user_id));
      end if;
    end if;
    update public.flow_sequence_runs as r set status = 'stopped', finished_at = now()
    where r.id = v_run.id
    returning * into v_run;
    return to_jsonb(v_run);
  end if;

  if v_run.status <> 'paused' or p_flow_id is distinct from v_run.current_flow_id then
    perform private.raise_http(409, 'run_changed', format(
      'the run is %s on flow %s, not paused on %s', v_run.status,
      coalesce(v_run.current_flow_id, 'none'), coalesce(p_flow_id, 'null')));
  end if;
  if jsonb_typeof(p_next) is distinct from 'object' then
    perform private.raise_http(400, 'invalid_input', 'next must be a JSON object');
  end if;

  if p_action = 'continue' then
    if v_flow.status is distinct from 'passed' then
      perform private.raise_http(409, 'run_changed', format(
        'flow %s did not pass: re-run it or stop the run', v_run.current_flow_id));
    end if;
    if p_next ->> 'kind' = 'complete' then
      if (select (f.ordinality)::integer from jsonb_array_elements(v_run.flows) with ordinality as f
          where f.value ->> 'id' = v_run.current_flow_id) <> jsonb_array_length(v_run.flows) then
        perform private.raise_http(409, 'run_changed', 'the run has flows after this one');
      end if;
      update public.flow_sequence_runs as r set status = 'completed', finished_at = now()
      where r.id = v_run.id
      returning * into v_run;
      return to_jsonb(v_run);
    end if;
    if p_next ->> 'kind' is distinct from 'start_next'
       or (select (f.ordinality - 1)::integer from jsonb_array_elements(v_run.flows) with ordinality as f
           where f.value ->> 'id' = p_next ->> 'flow_id') is distinct from v_flow.position + 1 then
      perform private.raise_http(409, 'run_changed', 'continue starts the flow after the current one');
    end if;
    perform private.limit_job_start(p_user_id, v_run.organisation_id);
    perform private.start_flow_job(v_run, p_user_id, p_next ->> 'flow_id', 1, p_next);
    update public.flow_sequence_runs as r set status = 'running', current_flow_id = p_next ->> 'flow_id'
    where r.id = v_run.id
    returning * into v_run;
    return to_jsonb(v_run);
  end if;

  -- rerun: a new attempt of the current flow.
  if (p_next ->> 'flow_id') is distinct from v_run.current_flow_id then
    perform private.raise_http(409, 'run_changed', 'a re-run starts the current flow again');
  end if;
  select coalesce(max(f.attempt), 0) + 1 into v_attempt
  from public.flow_sequence_run_flows as f
  where f.run_id = v_run.id and f.flow_id = v_run.current_flow_id;
  perform private.limit_job_start(p_user_id, v_run.organisation_id);
  perform private.start_flow_job(v_run, p_user_id, v_run.current_flow_id, v_attempt, p_next);
  update public.flow_sequence_runs as r set status = 'running', error = null
  where r.id = v_run.id
  returning * into v_run;
  return to_jsonb(v_run);
end;
$$;

comment on function public.flow_run_action(uuid, uuid, text, text, jsonb) is
  'Service role (flow-run-action): continue, re-run or stop a run as a member; 409 run_changed unless the run is where the caller saw it.';

revoke execute on function public.flow_run_action(uuid, uuid, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.flow_run_action(uuid, uuid, text, text, jsonb) to service_role;


-- The bundle flow-run-action decides a continue or re-run from (as an evaluation's), for a
-- member of the run's organisation (404 otherwise). Not locked: flow_run_action checks again.
create function public.flow_run_context(p_user_id uuid, p_run_id uuid) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_run public.flow_sequence_runs;
begin
  select r.* into v_run from public.flow_sequence_runs as r where r.id = p_run_id;
  if not found or not private.is_organisation_member(v_run.organisation_id, p_user_id) then
    perform private.raise_http(404, 'run_not_found', 'run not found');
  end if;
  return private.flow_run_bundle(v_run);
end;
$$;

comment on function public.flow_run_context(uuid, uuid) is
  'Service role (flow-run-action): a run''s bundle (run, real values, outputs, workflows, current flow) for a member.';

revoke execute on function public.flow_run_context(uuid, uuid) from public, anon, authenticated;
grant execute on function public.flow_run_context(uuid, uuid) to service_role;
