-- Leases per step instead of per orchestrator run.
--
-- The orchestrator used to lease every step it claimed for the longest transformer timeout
-- of any organisation + 15 s: one organisation's 600 s transformer made every other
-- organisation's crashed steps wait ten minutes to come back, and an echo step waited 315 s
-- (Gemini's 300 s) when it needed 45. With p_lease_seconds null, each claimed step is now
-- leased for its own transformer's timeout + 15 s (the margin the orchestrator used), so a
-- live worker's lease still never runs out mid-call. An explicit lease (tests, operators,
-- the bench) applies to every step as before.

create or replace function public.claim_workflow_steps(
  p_worker text, p_limit integer, p_lease_seconds integer, p_workflow_ids uuid[]
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_claimed jsonb;
begin
  if p_worker is null or p_limit is null or p_limit < 1 or p_limit > 1000
     or p_lease_seconds < 1 or p_lease_seconds > 3600 then
    raise exception 'claim_workflow_steps: worker and limit 1..1000 are required, and a lease is 1..3600 s'
      using errcode = '22023';
  end if;

  with due as (
    select j.id, j.status as from_status, j.locked_by as previous_worker
    from public.jobs as j
    where j.status in ('pending', 'running', 'awaiting_retry')
      and j.available_at <= now()
      and (p_workflow_ids is null or j.workflow_id = any(p_workflow_ids))
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

comment on function public.claim_workflow_steps(text, integer, integer, uuid[]) is
  'Orchestrator: claims up to p_limit due jobs (of p_workflow_ids when not null; skip locked), leases them (p_lease_seconds, or when null each step''s transformer timeout + 15 s), returns each current step to run.';
