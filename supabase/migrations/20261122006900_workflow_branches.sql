-- Branches in workflows (issue 12 §5; docs/workflow-manager/branches.md). A step either
-- names its successor (next_step) or chooses it from its output:
--
--   "next": [{ "when": "@.score > 50", "step": "call", "label": "high score" }, …],
--   "default": "nurture"                      -- null or absent: the workflow ends
--
-- The orchestrator evaluates the conditions (JSONPath filters, packages/domain
-- workflow-branches.ts: chooseNext) and sends its choice with the step's result;
-- finish_workflow_steps accepts it only if it is one of the step's successors in the pinned
-- version. So a job is never moved to a step its definition does not lead to, and a job
-- pinned to a linear version runs as before (a result without a choice takes next_step).
--
-- Replaced here, copied from …004400 (where alone they were defined) and changed only where
-- branches need it: claim_workflow_steps hands out the whole step (next_step or next/default)
-- and says "last_step" whenever the step may end the job; finish_workflow_steps checks the
-- choice, records it in the step_succeeded event (next_step, branch), and stays one set-based
-- statement (the check is an expression per result, a cheap comparison for a linear step).
-- private.workflow_definition_problem (…004300), save_workflow's last line of defence, checks
-- branch targets and that a step does not have both.


-- Whether a step's successors include null (the end): a linear step without next_step, or
-- a branching one whose default is null/absent or with a branch to null.
create function private.step_may_end(p_step jsonb)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when not (p_step ? 'next' or p_step ? 'default') then p_step ->> 'next_step' is null
    else p_step ->> 'default' is null
      or exists (
        select 1 from jsonb_array_elements(
          case when jsonb_typeof(p_step -> 'next') = 'array' then p_step -> 'next' else '[]'::jsonb end
        ) as b(value)
        where b.value ->> 'step' is null)
  end;
$$;

comment on function private.step_may_end(jsonb) is
  'Whether a workflow step (from a pinned definition) may end the job: a linear step without next_step, or a branching step with a null/absent default or a branch to null.';

revoke execute on function private.step_may_end(jsonb) from public, anon, authenticated;


-- …004300's checks plus branches: every branch target and the default exist, a step has
-- next_step or next/default (not both), next is a non-empty array of { when, step }.
-- (Cycles, reachability and `when` syntax are the domain's, in save-workflow.)
create or replace function private.workflow_definition_problem(p_definition jsonb, p_organisation_id uuid)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_steps jsonb := p_definition -> 'steps';
  v_step record;
  v_next text;
  v_branch record;
begin
  if jsonb_typeof(p_definition) is distinct from 'object' then
    return 'definition must be a JSON object';
  end if;
  if jsonb_typeof(v_steps) is distinct from 'object' or v_steps = '{}'::jsonb then
    return 'definition.steps must be an object with at least one step';
  end if;
  if not v_steps ? coalesce(p_definition ->> 'start_step', '') then
    return format('start_step %s is not one of the steps', coalesce(p_definition ->> 'start_step', 'null'));
  end if;
  for v_step in select s.key, s.value from jsonb_each(v_steps) as s loop
    if jsonb_typeof(v_step.value) is distinct from 'object' then
      return format('steps.%s must be an object', v_step.key);
    end if;
    v_next := v_step.value ->> 'next_step';
    if v_next is not null and not v_steps ? v_next then
      return format('steps.%s.next_step %s is not one of the steps', v_step.key, v_next);
    end if;
    if v_step.value ? 'next' or v_step.value ? 'default' then
      if v_step.value ? 'next_step' then
        return format('steps.%s has both next_step and branches (next/default)', v_step.key);
      end if;
      if v_step.value ? 'next' and (jsonb_typeof(v_step.value -> 'next') is distinct from 'array'
                                    or jsonb_array_length(v_step.value -> 'next') = 0) then
        return format('steps.%s.next must be a non-empty array of branches', v_step.key);
      end if;
      for v_branch in
        select b.n - 1 as index, b.value
        from jsonb_array_elements(coalesce(v_step.value -> 'next', '[]'::jsonb)) with ordinality as b(value, n)
      loop
        if jsonb_typeof(v_branch.value) is distinct from 'object'
           or jsonb_typeof(v_branch.value -> 'when') is distinct from 'string'
           or not v_branch.value ? 'step' then
          return format('steps.%s.next.%s must be { when, step }', v_step.key, v_branch.index);
        end if;
        v_next := v_branch.value ->> 'step';
        if v_next is not null and not v_steps ? v_next then
          return format('steps.%s.next.%s.step %s is not one of the steps', v_step.key, v_branch.index, v_next);
        end if;
      end loop;
      v_next := v_step.value ->> 'default';
      if v_next is not null and not v_steps ? v_next then
        return format('steps.%s.default %s is not one of the steps', v_step.key, v_next);
      end if;
    end if;
    if not exists (
      select 1 from public.transformers as t
      where t.id = v_step.value ->> 'transformer_id'
        and (t.organisation_id is null or t.organisation_id = p_organisation_id)
    ) then
      return format('steps.%s.transformer_id %s does not exist or is not available to this organisation',
        v_step.key, coalesce(v_step.value ->> 'transformer_id', 'null'));
    end if;
  end loop;
  return null;
end;
$$;

comment on function private.workflow_definition_problem(jsonb, uuid) is
  'Database-side checks on a workflow definition (steps, start_step, next_step and branch targets exist, next_step and branches not both, transformers visible to the organisation); null when fine. save-workflow runs the full domain validation first.';

revoke execute on function private.workflow_definition_problem(jsonb, uuid) from public, anon, authenticated;


-- Claims due jobs (…004400, unchanged but for the step handed out and last_step: see the
-- header). The comments of …004400 explain the rest.
create or replace function public.claim_workflow_steps(
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
      -- The whole step, next_step and branches included: the worker chooses the next step
      -- (chooseNext) and finish_workflow_steps checks the choice against the definition.
      'step', c.step,
      -- "May end here" (a linear last step, or a branching step with a way to null): the
      -- worker then has the workflow's output_map to compute final_result if it does end.
      'last_step', private.step_may_end(c.step),
      'output_map', case when private.step_may_end(c.step) then c.output_map end,
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
  'Orchestrator: claims up to p_limit due jobs (of p_workflow_ids when not null; skip locked), round robin between organisations within each one''s cap of running steps and within the claim''s bytes (an oversized job is failed), leases them (p_lease_seconds, or when null each step''s transformer timeout + 15 s), returns each current step to run with its next_step or branches (last_step: the step may end the job).';

revoke execute on function public.claim_workflow_steps(text, integer, integer, uuid[]) from public, anon, authenticated;
grant execute on function public.claim_workflow_steps(text, integer, integer, uuid[]) to service_role;


-- Applies step results (…004400, unchanged but for the branch check and the event's
-- next_step/branch: see the header).
create or replace function public.finish_workflow_steps(p_worker text, p_results jsonb)
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
  -- Each outcome decided once, from the result (succeeded with the next step it chose, or
  -- failed and whether it may be retried) checked against the pinned definition (the step's
  -- successors); everything below reads it. A success naming a step that is not a
  -- successor (a bug or a tampered worker) fails the job, non-retryable invalid_branch:
  -- running it again would choose the same way.
  decided as materialized (
    select h.*, o.ok, o.next_step, o.transformer_id, o.error, o.retryable, o.duration_ms,
      s.chose,
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
      select v.definition -> 'steps' -> h.step_id as step,
        h.result ->> 'outcome' is not distinct from 'succeeded' as succeeded,
        -- A result without next_step (a worker from before branches) on a linear step: the
        -- definition's next_step, as it always was.
        h.result ? 'next_step' as chose,
        h.result ->> 'next_step' as chosen
    ) as s
    -- Whether the choice is one the pinned step allows. A linear step: no choice (a worker
    -- from before branches) or its next_step. A branching step: a choice, and what the
    -- branch it names (by index) or the default leads to. Inline rather than a helper
    -- function: one with its search_path set is never inlined, so it would be a call per
    -- result. (Measured, 100 linear results, rounds interleaved with …004400's function on
    -- a loaded shared 2-CPU machine: p50 0.99×, 1.11×, 1.20× of it in three runs.)
    -- Never raises: a malformed result is simply not allowed (one bad result must not
    -- abort the whole batch's statement).
    cross join lateral (
      select not s.succeeded or case
        when s.step is null then false
        when not (s.step ? 'next' or s.step ? 'default') then
          not s.chose or s.chosen is not distinct from (s.step ->> 'next_step')
        when not s.chose then false
        when h.result -> 'branch' = '"default"'::jsonb then
          s.chosen is not distinct from (s.step ->> 'default')
        when jsonb_typeof(h.result -> 'branch') = 'object'
             and jsonb_typeof(s.step -> 'next') = 'array' then exists (
          select 1 from jsonb_array_elements(s.step -> 'next') with ordinality as b(value, n)
          where (b.n - 1)::text = h.result -> 'branch' ->> 'index'
            and b.value ? 'step'
            and (b.value ->> 'step') is not distinct from s.chosen)
        else false
      end as allowed
    ) as a
    cross join lateral (
      select s.succeeded and a.allowed as ok,
        case when s.chose then s.chosen else s.step ->> 'next_step' end as next_step,
        s.step ->> 'transformer_id' as transformer_id,
        case when a.allowed then coalesce(h.result -> 'error', '{}'::jsonb)
          else jsonb_build_object('code', 'invalid_branch', 'retryable', false,
            'message', format('step %s chose %s (%s), which is not one of its next steps in version %s',
              h.step_id, coalesce(s.chosen, 'the end'), coalesce(h.result ->> 'branch', 'no branch'),
              h.workflow_version))
        end as error,
        a.allowed and coalesce((h.result -> 'error' ->> 'retryable')::boolean, true) as retryable,
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
          'unmatched_outputs', d.result -> 'unmatched_outputs', 'branch', d.result -> 'branch')
        else jsonb_build_object('input', d.result -> 'input', 'error', d.error,
          'usage', d.result -> 'usage', 'missing_inputs', d.result -> 'missing_inputs')
        end)
        -- The step chosen, null (the end) included, which jsonb_strip_nulls would drop.
        || case when d.ok and d.chose
             then jsonb_build_object('next_step', d.result -> 'next_step') else '{}'::jsonb end
        as data,
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
  'Orchestrator: applies step results for jobs this worker still holds (a success''s chosen next_step only if it is one of the step''s successors, else the job fails invalid_branch); schedules retries with backoff.';

revoke execute on function public.finish_workflow_steps(text, jsonb) from public, anon, authenticated;
grant execute on function public.finish_workflow_steps(text, jsonb) to service_role;
