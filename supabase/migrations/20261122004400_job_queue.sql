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


-- Claims up to p_limit due jobs for p_worker and leases them for p_lease_seconds (longer
-- than the slowest executor call, or the step may run twice). Returns what the worker
-- needs to run each job's current step: the pinned definition, the job's data so far and
-- the step's transformer (null when it no longer exists: the worker fails the step).
create function public.claim_workflow_steps(p_worker text, p_limit integer, p_lease_seconds integer)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_claimed jsonb;
begin
  if p_worker is null or p_limit is null or p_limit < 1 or p_limit > 1000
     or p_lease_seconds is null or p_lease_seconds < 1 or p_lease_seconds > 3600 then
    raise exception 'claim_workflow_steps: worker, limit 1..1000 and lease 1..3600 s are required'
      using errcode = '22023';
  end if;

  with due as (
    select j.id, j.status as from_status, j.locked_by as previous_worker
    from public.jobs as j
    where j.status in ('pending', 'running', 'awaiting_retry')
      and j.available_at <= now()
    order by j.available_at
    limit p_limit
    for update skip locked
  ),
  claimed as (
    update public.jobs as j set
      status = 'running',
      started_at = coalesce(j.started_at, now()),
      current_step_id = coalesce(j.current_step_id, v.definition ->> 'start_step'),
      locked_by = p_worker,
      available_at = now() + make_interval(secs => p_lease_seconds),
      attempt = j.attempt + 1,
      next_retry_at = null
    from due, public.workflow_versions as v
    where j.id = due.id and v.workflow_id = j.workflow_id and v.version = j.workflow_version
    returning j.*, due.from_status, due.previous_worker, v.definition
  ),
  events as (
    insert into public.job_events
      (organisation_id, job_id, user_id, event_type, step_id, transformer_id, attempt,
       from_status, to_status, data)
    select c.organisation_id, c.id, c.user_id, 'claimed', c.current_step_id,
      c.definition -> 'steps' -> c.current_step_id ->> 'transformer_id', c.attempt,
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
      'step', c.definition -> 'steps' -> c.current_step_id,
      'definition', c.definition,
      'input_data', c.input_data,
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
    on t.id = c.definition -> 'steps' -> c.current_step_id ->> 'transformer_id'
   and (t.organisation_id is null or t.organisation_id = c.organisation_id);

  return v_claimed;
end;
$$;

comment on function public.claim_workflow_steps(text, integer, integer) is
  'Orchestrator: claims up to p_limit due jobs (skip locked), leases them, returns each current step to run.';

revoke execute on function public.claim_workflow_steps(text, integer, integer) from public, anon, authenticated;
grant execute on function public.claim_workflow_steps(text, integer, integer) to service_role;


-- Applies step results (see the contract for the shape). A result counts only when the job
-- is still running under this worker and attempt; anything else (lease lost, job
-- cancelled) is answered applied = false and changes nothing. The next step comes from the
-- pinned definition here, not from the worker; the worker supplies final_result (JSONPath
-- over the context, evaluated in TypeScript) when the step was the last.
create function public.finish_workflow_steps(p_worker text, p_results jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_result jsonb;
  v_job public.jobs;
  v_step_id text;
  v_next text;
  v_policy jsonb;
  v_error jsonb;
  v_retryable boolean;
  v_retry_at timestamptz;
  v_transformer text;
  v_duration integer;
  v_answers jsonb := '[]'::jsonb;
begin
  if jsonb_typeof(p_results) is distinct from 'array' then
    raise exception 'finish_workflow_steps: p_results must be an array' using errcode = '22023';
  end if;

  -- Lock in id order so two workers finishing overlapping batches cannot deadlock.
  for v_result in
    select r.value from jsonb_array_elements(p_results) as r
    order by r.value ->> 'job_id'
  loop
    v_step_id := v_result ->> 'step_id';
    select j.* into v_job
    from public.jobs as j
    where j.id = (v_result ->> 'job_id')::uuid
    for update;

    if not found
       or v_job.status <> 'running'
       or v_job.locked_by is distinct from p_worker
       or v_job.attempt <> (v_result ->> 'attempt')::integer
       or v_job.current_step_id is distinct from v_step_id then
      v_answers := v_answers || jsonb_build_object(
        'job_id', v_result ->> 'job_id', 'applied', false, 'status', v_job.status);
      continue;
    end if;

    select v.definition -> 'steps' -> v_step_id ->> 'next_step',
           v.definition -> 'steps' -> v_step_id ->> 'transformer_id',
           v.retry_policy
      into v_next, v_transformer, v_policy
    from public.workflow_versions as v
    where v.workflow_id = v_job.workflow_id and v.version = v_job.workflow_version;
    v_duration := greatest((v_result ->> 'duration_ms')::integer, 0);

    if v_result ->> 'outcome' = 'succeeded' then
      insert into public.job_events
        (organisation_id, job_id, user_id, event_type, step_id, transformer_id, attempt,
         from_status, to_status, duration_ms, data)
      values
        (v_job.organisation_id, v_job.id, v_job.user_id, 'step_succeeded', v_step_id,
         v_transformer, v_job.attempt, 'running', 'running', v_duration,
         jsonb_strip_nulls(jsonb_build_object(
           'input', v_result -> 'input', 'output', v_result -> 'output',
           'usage', v_result -> 'usage', 'missing_inputs', v_result -> 'missing_inputs')));

      if v_next is not null then
        update public.jobs as j set
          step_data = j.step_data || jsonb_build_object(v_step_id, v_result -> 'output'),
          current_step_id = v_next,
          locked_by = null,
          available_at = now()
        where j.id = v_job.id
        returning * into v_job;
      else
        update public.jobs as j set
          step_data = j.step_data || jsonb_build_object(v_step_id, v_result -> 'output'),
          status = 'completed',
          final_result = v_result -> 'final_result',
          completed_at = now(),
          locked_by = null,
          error_message = null,
          error_code = null
        where j.id = v_job.id
        returning * into v_job;
        insert into public.job_events
          (organisation_id, job_id, user_id, event_type, step_id, attempt, from_status,
           to_status, duration_ms)
        values
          (v_job.organisation_id, v_job.id, v_job.user_id, 'completed', v_step_id,
           v_job.attempt, 'running', 'completed',
           (extract(epoch from (v_job.completed_at - v_job.started_at)) * 1000)::integer);
      end if;

    else
      v_error := coalesce(v_result -> 'error', '{}'::jsonb);
      v_retryable := coalesce((v_error ->> 'retryable')::boolean, true);
      insert into public.job_events
        (organisation_id, job_id, user_id, event_type, step_id, transformer_id, attempt,
         from_status, to_status, duration_ms, message, data)
      values
        (v_job.organisation_id, v_job.id, v_job.user_id, 'step_failed', v_step_id,
         v_transformer, v_job.attempt, 'running', 'running', v_duration,
         v_error ->> 'message',
         jsonb_strip_nulls(jsonb_build_object(
           'input', v_result -> 'input', 'error', v_error, 'usage', v_result -> 'usage',
           'missing_inputs', v_result -> 'missing_inputs')));

      if v_retryable and v_job.retry_count < v_job.max_retries then
        v_retry_at := now() + make_interval(
          secs => private.retry_delay_ms(v_job.retry_count + 1, v_policy) / 1000.0);
        update public.jobs as j set
          status = 'awaiting_retry',
          retry_count = j.retry_count + 1,
          next_retry_at = v_retry_at,
          available_at = v_retry_at,
          locked_by = null,
          error_message = v_error ->> 'message',
          error_code = v_error ->> 'code'
        where j.id = v_job.id
        returning * into v_job;
        insert into public.job_events
          (organisation_id, job_id, user_id, event_type, step_id, attempt, from_status,
           to_status, message, data)
        values
          (v_job.organisation_id, v_job.id, v_job.user_id, 'retry_scheduled', v_step_id,
           v_job.attempt, 'running', 'awaiting_retry',
           format('retry %s of %s', v_job.retry_count, v_job.max_retries),
           jsonb_build_object('next_retry_at', v_retry_at, 'retry_count', v_job.retry_count));
      else
        update public.jobs as j set
          status = 'failed',
          completed_at = now(),
          locked_by = null,
          error_message = coalesce(v_error ->> 'message', 'the step failed'),
          error_code = v_error ->> 'code'
        where j.id = v_job.id
        returning * into v_job;
        insert into public.job_events
          (organisation_id, job_id, user_id, event_type, step_id, attempt, from_status,
           to_status, message, data)
        values
          (v_job.organisation_id, v_job.id, v_job.user_id, 'failed', v_step_id, v_job.attempt,
           'running', 'failed', v_job.error_message,
           jsonb_build_object('reason', case when v_retryable then 'retries_exhausted' else 'non_retryable' end));
      end if;
    end if;

    v_answers := v_answers || jsonb_build_object(
      'job_id', v_job.id, 'applied', true, 'status', v_job.status);
  end loop;

  return v_answers;
end;
$$;

comment on function public.finish_workflow_steps(text, jsonb) is
  'Orchestrator: applies step results for jobs this worker still holds; schedules retries with backoff.';

revoke execute on function public.finish_workflow_steps(text, jsonb) from public, anon, authenticated;
grant execute on function public.finish_workflow_steps(text, jsonb) to service_role;
