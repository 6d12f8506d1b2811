-- Workflow and job RPCs (docs/workflows-contract.md, "RPCs"). Each is one transaction.
-- Errors reach PostgREST in its PGRST form so the HTTP status is the one a caller can act
-- on: 404 for anything the caller cannot see (they learn nothing about other tenants),
-- 409 for a state that forbids the call, 400 for bad input, 42501 without a user
-- (private.raise_http and private.require_user, in …000100).


-- The checks on a definition that need the database (transformer visibility) plus the
-- cheap graph checks, as a last line of defence under save-workflow, which runs the full
-- validation (cycles, JSONPath syntax) from packages/domain first. Null when fine.
create function private.workflow_definition_problem(p_definition jsonb, p_organisation_id uuid)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_steps jsonb := p_definition -> 'steps';
  v_step record;
  v_next text;
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
    v_next := v_step.value ->> 'next_step';
    if v_next is not null and not v_steps ? v_next then
      return format('steps.%s.next_step %s is not one of the steps', v_step.key, v_next);
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

revoke execute on function private.workflow_definition_problem(jsonb, uuid) from public, anon, authenticated;


-- Creates a workflow or saves a new version of it. Service role only: the save-workflow
-- edge function validates the definition fully and passes the verified caller, who must be
-- an owner or admin of the organisation. A new version is written only when the
-- definition or retry policy changed; name/key/description edits keep the version.
-- What a taken key's 409 says: a trashed workflow keeps its key until it is purged, and the
-- editor should say where it is.
create function private.workflow_key_taken(p_organisation_id uuid, p_key text) returns text
language sql
stable
set search_path = ''
as $$
  select case
    when exists (select 1 from public.workflows as w
                 where w.organisation_id = p_organisation_id and w.key = p_key and w.deleted_at is not null)
    then format('a workflow with key %s is in the trash: restore it, or choose another key', p_key)
    else format('a workflow with key %s already exists', p_key)
  end;
$$;

revoke execute on function private.workflow_key_taken(uuid, text) from public, anon, authenticated;

create function public.save_workflow(
  p_user_id uuid,
  p_organisation_id uuid,
  p_workflow_id uuid,
  p_key text,
  p_name text,
  p_description text,
  p_definition jsonb,
  p_retry_policy jsonb default '{}'::jsonb,
  p_change_description text default null,
  p_expected_version integer default null
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_problem text;
  v_workflow public.workflows;
  v_policy jsonb := coalesce(p_retry_policy, '{}'::jsonb);
  v_new_version boolean;
begin
  if not private.is_organisation_member(p_organisation_id, p_user_id, array['owner', 'admin']) then
    if private.is_organisation_member(p_organisation_id, p_user_id) then
      perform private.raise_http(403, 'forbidden', 'only owners and admins can edit workflows');
    end if;
    perform private.raise_http(404, 'P0002', 'organisation not found');
  end if;

  v_problem := private.workflow_definition_problem(p_definition, p_organisation_id);
  if v_problem is not null then
    perform private.raise_http(400, 'invalid_definition', v_problem);
  end if;
  if jsonb_typeof(v_policy) <> 'object'
    or (v_policy ? 'max_retries' and (jsonb_typeof(v_policy -> 'max_retries') <> 'number'
        or (v_policy ->> 'max_retries')::numeric not between 0 and 20)) then
    perform private.raise_http(400, 'invalid_retry_policy', 'retry_policy.max_retries must be a number from 0 to 20');
  end if;

  if p_workflow_id is null then
    begin
      insert into public.workflows
        (organisation_id, key, name, description, definition, retry_policy, created_by, updated_by)
      values
        (p_organisation_id, p_key, p_name, p_description, p_definition, v_policy, p_user_id, p_user_id)
      returning * into v_workflow;
    exception when unique_violation then
      perform private.raise_http(409, 'key_taken', private.workflow_key_taken(p_organisation_id, p_key));
    end;
    insert into public.workflow_versions
      (organisation_id, workflow_id, version, definition, retry_policy, change_description, created_by)
    values
      (p_organisation_id, v_workflow.id, 1, p_definition, v_policy,
       coalesce(p_change_description, 'Created'), p_user_id);
    return to_jsonb(v_workflow);
  end if;

  select w.* into v_workflow
  from public.workflows as w
  where w.id = p_workflow_id and w.organisation_id = p_organisation_id and w.deleted_at is null
  for update;
  if not found then
    perform private.raise_http(404, 'P0002', 'workflow not found');
  end if;
  if p_expected_version is not null and p_expected_version <> v_workflow.version then
    perform private.raise_http(409, 'version_conflict', format(
      'this workflow was saved by someone else meanwhile (version %s, you edited %s): reload it',
      v_workflow.version, p_expected_version));
  end if;

  v_new_version := v_workflow.definition is distinct from p_definition
    or v_workflow.retry_policy is distinct from v_policy;
  begin
    update public.workflows as w set
      key = p_key,
      name = p_name,
      description = p_description,
      definition = p_definition,
      retry_policy = v_policy,
      version = w.version + (case when v_new_version then 1 else 0 end),
      updated_by = p_user_id
    where w.id = v_workflow.id
    returning * into v_workflow;
  exception when unique_violation then
    perform private.raise_http(409, 'key_taken', private.workflow_key_taken(p_organisation_id, p_key));
  end;
  if v_new_version then
    insert into public.workflow_versions
      (organisation_id, workflow_id, version, definition, retry_policy, change_description, created_by)
    values
      (p_organisation_id, v_workflow.id, v_workflow.version, p_definition, v_policy,
       p_change_description, p_user_id);
  end if;
  return to_jsonb(v_workflow);
end;
$$;

comment on function public.save_workflow(uuid, uuid, uuid, text, text, text, jsonb, jsonb, text, integer) is
  'Service role only (save-workflow edge function): creates a workflow or saves a new version.';

revoke execute on function public.save_workflow(uuid, uuid, uuid, text, text, text, jsonb, jsonb, text, integer)
  from public, anon, authenticated;
grant execute on function public.save_workflow(uuid, uuid, uuid, text, text, text, jsonb, jsonb, text, integer)
  to service_role;


-- Visible rows: the workflow or job a caller names, if one of their organisations holds it
-- (for a job: theirs while a member, or any as an owner or admin), else 404 as if it did
-- not exist. The RPCs below start from these instead of filtering on tenancy themselves.

-- The workflow p_workflow names (its uuid, or its key) in the caller's organisations, or
-- only in p_organisation_id when given: 404 workflow_not_found (a workflow in the trash too,
-- as if gone); a key several of them use -> 400 ambiguous_workflow asking for the
-- organisation.
create function private.visible_workflow(p_workflow text, p_organisation_id uuid) returns public.workflows
language plpgsql
stable
set search_path = ''
as $$
declare
  v_workflow public.workflows;
  v_matches integer;
begin
  if p_workflow ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    select w.* into v_workflow
    from public.workflows as w
    where w.id = p_workflow::uuid
      and w.organisation_id in (select private.user_organisation_ids())
      and (p_organisation_id is null or w.organisation_id = p_organisation_id)
      and w.deleted_at is null;
    v_matches := case when found then 1 else 0 end;
  else
    select count(*) into v_matches
    from public.workflows as w
    where w.key = p_workflow
      and w.organisation_id in (select private.user_organisation_ids())
      and (p_organisation_id is null or w.organisation_id = p_organisation_id)
      and w.deleted_at is null;
    if v_matches > 1 then
      perform private.raise_http(400, 'ambiguous_workflow', format(
        'several of your organisations have a workflow with key %s: pass organisation_id', p_workflow));
    end if;
    select w.* into v_workflow
    from public.workflows as w
    where w.key = p_workflow
      and w.organisation_id in (select private.user_organisation_ids())
      and (p_organisation_id is null or w.organisation_id = p_organisation_id)
      and w.deleted_at is null;
  end if;
  if v_matches = 0 then
    perform private.raise_http(404, 'workflow_not_found', format('workflow %s not found', coalesce(p_workflow, 'null')));
  end if;
  return v_workflow;
end;
$$;

revoke execute on function private.visible_workflow(text, uuid) from public, anon, authenticated;


-- The workflow by id in one of the caller's organisations, locked; 404 else.
create function private.lock_visible_workflow(p_workflow_id uuid) returns public.workflows
language plpgsql
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_workflow public.workflows;
begin
  select w.* into v_workflow
  from public.workflows as w
  where w.id = p_workflow_id and w.deleted_at is null
    and private.is_organisation_member(w.organisation_id, v_user_id)
  for update;
  if not found then
    perform private.raise_http(404, 'P0002', 'workflow not found');
  end if;
  return v_workflow;
end;
$$;

revoke execute on function private.lock_visible_workflow(uuid) from public, anon, authenticated;


-- Before a job is created or re-queued: its workflow, share-locked, must not be in the trash
-- (404 as if gone). move_to_trash locks the row `for update` and then looks for open jobs,
-- so either it waits for this transaction and sees its job (409), or this one waits for it
-- and finds the workflow trashed.
create function private.lock_live_workflow(p_workflow_id uuid) returns void
language plpgsql
set search_path = ''
as $$
begin
  perform 1 from public.workflows as w
  where w.id = p_workflow_id and w.deleted_at is null
  for key share;
  if not found then
    perform private.raise_http(404, 'workflow_not_found', 'workflow not found');
  end if;
end;
$$;

revoke execute on function private.lock_live_workflow(uuid) from public, anon, authenticated;


-- The job row the caller may act on (owner while a member, or an admin), locked; 404 else.
create function private.lock_visible_job(p_job_id uuid) returns public.jobs
language plpgsql
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_job public.jobs;
begin
  select j.* into v_job
  from public.jobs as j
  where j.id = p_job_id
    and ((j.user_id = v_user_id and j.organisation_id in (select private.user_organisation_ids()))
         or j.organisation_id in (select private.user_admin_organisation_ids()))
  for update;
  if not found then
    perform private.raise_http(404, 'P0002', 'job not found');
  end if;
  return v_job;
end;
$$;

revoke execute on function private.lock_visible_job(uuid) from public, anon, authenticated;


-- Archive or re-activate a workflow (owners/admins). Archived workflows cannot be started;
-- their running jobs finish.
create function public.set_workflow_status(p_workflow_id uuid, p_status text)
returns public.workflows
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_workflow public.workflows;
begin
  if p_status is null or p_status not in ('active', 'archived') then
    perform private.raise_http(400, 'invalid_input', 'status must be active or archived');
  end if;
  v_workflow := private.lock_visible_workflow(p_workflow_id);
  if not private.is_organisation_member(v_workflow.organisation_id, v_user_id, array['owner', 'admin']) then
    perform private.raise_http(403, 'forbidden', 'only owners and admins can archive workflows');
  end if;
  update public.workflows as w set status = p_status, updated_by = v_user_id
  where w.id = p_workflow_id
  returning * into v_workflow;
  return v_workflow;
end;
$$;

revoke execute on function public.set_workflow_status(uuid, text) from public, anon;
grant execute on function public.set_workflow_status(uuid, text) to authenticated, service_role;


-- Starts a job as the caller. p_workflow is the workflow's uuid or its key; a key is
-- looked up in p_organisation_id or, when that is null, in every organisation of the
-- caller (ambiguous -> 400 asking for the organisation). The same idempotency key again
-- returns the same job; reused with another workflow or input it is a 409.
create function public.start_workflow_job(
  p_workflow text,
  p_input jsonb default '{}'::jsonb,
  p_idempotency_key text default null,
  p_organisation_id uuid default null
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
  v_max_retries integer;
begin
  if jsonb_typeof(v_input) <> 'object' then
    perform private.raise_http(400, 'invalid_input', 'input_data must be a JSON object');
  end if;
  if p_idempotency_key is not null and char_length(p_idempotency_key) not between 1 and 200 then
    perform private.raise_http(400, 'invalid_input', 'Idempotency-Key must be 1 to 200 characters');
  end if;

  v_workflow := private.visible_workflow(p_workflow, p_organisation_id);

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
        'workflow_id', v_job.workflow_id, 'workflow_version', v_job.workflow_version);
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
      (organisation_id, workflow_id, workflow_version, user_id, input_data, max_retries, idempotency_key)
    values
      (v_workflow.organisation_id, v_workflow.id, v_workflow.version, v_user_id, v_input,
       v_max_retries, p_idempotency_key)
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
      'workflow_id', v_job.workflow_id, 'workflow_version', v_job.workflow_version);
  end;

  insert into public.job_events (organisation_id, job_id, user_id, event_type, to_status, data)
  values (v_job.organisation_id, v_job.id, v_user_id, 'created', 'pending',
          jsonb_build_object('workflow_version', v_job.workflow_version));

  return jsonb_build_object('job_id', v_job.id, 'status', v_job.status,
    'created_at', v_job.created_at, 'replayed', false,
    'workflow_id', v_job.workflow_id, 'workflow_version', v_job.workflow_version);
end;
$$;

comment on function public.start_workflow_job(text, jsonb, text, uuid) is
  'Starts a pending job of a workflow (uuid or key) as the caller; idempotent per key.';

revoke execute on function public.start_workflow_job(text, jsonb, text, uuid) from public, anon;
grant execute on function public.start_workflow_job(text, jsonb, text, uuid) to authenticated;


-- Cancels a job that has not finished. A worker running its step finds its result
-- refused (finish_workflow_steps applies results only to running jobs it holds).
create function public.cancel_job(p_job_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.jobs := private.lock_visible_job(p_job_id);
  v_from text := v_job.status;
begin
  if v_job.status in ('completed', 'failed', 'cancelled') then
    perform private.raise_http(409, 'job_finished', format('the job is already %s', v_job.status));
  end if;
  update public.jobs as j set
    status = 'cancelled', completed_at = now(), locked_by = null, next_retry_at = null
  where j.id = v_job.id
  returning * into v_job;
  insert into public.job_events
    (organisation_id, job_id, user_id, event_type, step_id, from_status, to_status, message)
  values
    (v_job.organisation_id, v_job.id, v_job.user_id, 'cancelled', v_job.current_step_id, v_from,
     'cancelled', format('cancelled by %s', (select auth.uid())));
  return to_jsonb(v_job);
end;
$$;

revoke execute on function public.cancel_job(uuid) from public, anon;
grant execute on function public.cancel_job(uuid) to authenticated;


-- Re-queues a failed (or cancelled) job from the step it stopped at, on the version it
-- ran; its retry budget starts again.
create function public.retry_job(p_job_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.jobs := private.lock_visible_job(p_job_id);
  v_from text := v_job.status;
begin
  if v_job.status not in ('failed', 'cancelled') then
    perform private.raise_http(409, 'job_not_failed', format(
      'only failed or cancelled jobs can be retried; this one is %s', v_job.status));
  end if;
  perform private.lock_live_workflow(v_job.workflow_id);
  update public.jobs as j set
    status = case when j.started_at is null then 'pending' else 'running' end,
    available_at = now(),
    locked_by = null,
    retry_count = 0,
    next_retry_at = null,
    error_message = null,
    error_code = null,
    completed_at = null
  where j.id = v_job.id
  returning * into v_job;
  insert into public.job_events
    (organisation_id, job_id, user_id, event_type, step_id, from_status, to_status, message)
  values
    (v_job.organisation_id, v_job.id, v_job.user_id, 'retried', v_job.current_step_id, v_from,
     v_job.status, format('re-queued by %s', (select auth.uid())));
  return to_jsonb(v_job);
end;
$$;

revoke execute on function public.retry_job(uuid) from public, anon;
grant execute on function public.retry_job(uuid) to authenticated;
