-- Automated sequence steps: the engine in SQL (issue 14 §1; docs/automation-contract.md,
-- "Automated steps"; docs/automation/automated-steps.md).
--
--   save_sequence_template ── type automated: workflow_id, input_map ──▶ snapshot item
--   start_sequence/restart ── task inserted, automation_status = waiting
--   orchestrator ── due_automated_tasks ──▶ (domain resolves inputs) ──▶ start_automated_task_jobs
--                   one job per task (jobs_sequence_task_id_key), task running
--   job ends ──▶ trigger _310 on jobs, same transaction:
--                   completed → task completed (automation_output), the sequence moves on
--                   failed / cancelled from the jobs page → task needs_attention (automation_error)
--   task ends by hand (complete/skip/cancel, delete) ──▶ trigger on tasks cancels its running job
--   retry_automated_task ── needs_attention → its job re-queued (or waiting again if none)
--
-- Lock order, as every sequence RPC: instance, then task, then the task's job. The one path
-- the other way round is a job's end (finish_workflow_steps holds the job, then the trigger
-- takes the instance): a hand completion of a running step at the very moment its job ends
-- may deadlock, and Postgres aborts one of the two (40P01); the orchestrator sends its finish
-- batch again and the user clicks again. Taking the instance first from the finish is not
-- possible: the job row is already locked by the statement that ends it.


-- Tasks ------------------------------------------------------------------------------------

-- Cancels an automated task's job if it has not ended, with a 'cancelled' event saying why.
-- The flag tells the job-end trigger below that the task side asked for this cancel: the
-- task is being finished, deleted or cancelled by the caller, so it must not be put into
-- needs_attention (and, inside a BEFORE trigger on that very task, must not be updated).
create function private.cancel_automated_job(p_job_id uuid, p_reason text) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.jobs;
  v_from text;
begin
  select j.* into v_job from public.jobs as j
  where j.id = p_job_id and j.status in ('pending', 'running', 'awaiting_retry')
  for update;
  if not found then
    return;
  end if;
  v_from := v_job.status;
  perform set_config('forkflow.automation_cancelling', p_job_id::text, true);
  update public.jobs as j set
    status = 'cancelled', completed_at = now(), locked_by = null, next_retry_at = null
  where j.id = p_job_id;
  perform set_config('forkflow.automation_cancelling', '', true);
  insert into public.job_events
    (organisation_id, job_id, user_id, event_type, step_id, from_status, to_status, message, data)
  values
    (v_job.organisation_id, v_job.id, v_job.user_id, 'cancelled', v_job.current_step_id, v_from,
     'cancelled', p_reason, jsonb_build_object('sequence_task_id', v_job.sequence_task_id));
end;
$$;

comment on function private.cancel_automated_job(uuid, text) is
  'Cancels an automated task''s job that has not ended (with a cancelled event giving the reason); the job-end trigger leaves the task alone.';

revoke execute on function private.cancel_automated_job(uuid, text) from public, anon, authenticated;


-- BEFORE INSERT OR UPDATE on tasks: what an automated task's life needs wherever it changes.
--   * Inserted: only from a sequence step (a snapshot step that names the workflow), and
--     then waiting. An ad-hoc step (insert_sequence_task) or a stand-alone task cannot be
--     automated: there is no workflow and no input map to run (400).
--   * Its type never changes, to or from automated (the status columns would not fit).
--   * Ended (completed, skipped, cancelled) while its job runs: the job is cancelled in the
--     same transaction; automation_status becomes done (nothing more will run for it).
--   * Reopened (reopen_task): waiting again if no job ran for it, else needs_attention, so
--     a workflow that already ran (a CRM write, say) never runs again without someone
--     choosing to (retry_automated_task).
create function private.tg__automated_task() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if new.type = 'automated' then
      if new.sequence_step_id is null then
        perform private.raise_http(400, 'invalid_step',
          'an automated task comes only from a sequence template''s automated step (which names its workflow); add it to the template, or add a task done by hand');
      end if;
      new.automation_status := coalesce(new.automation_status, 'waiting');
    end if;
    return new;
  end if;

  if new.type is distinct from old.type and 'automated' in (new.type, old.type) then
    perform private.raise_http(400, 'invalid_input',
      'an automated task stays automated, and a task done by hand cannot become automated');
  end if;
  if new.type <> 'automated' or new.status is not distinct from old.status then
    return new;
  end if;

  if new.status in ('completed', 'skipped', 'cancelled') and old.status in ('active', 'pending') then
    if old.automation_status = 'running' and old.job_id is not null then
      perform private.cancel_automated_job(old.job_id, format('cancelled: its sequence step was %s', new.status));
    end if;
    new.automation_status := 'done';
  elsif new.status in ('active', 'pending') and old.status in ('completed', 'skipped') then
    if new.job_id is null then
      new.automation_status := 'waiting';
      new.automation_error := null;
    else
      new.automation_status := 'needs_attention';
      new.automation_error := jsonb_build_object('code', 'reopened', 'message',
        'This step was reopened after its workflow had run. Retry to run the workflow again, or complete or skip the step by hand.');
    end if;
  end if;
  return new;
end;
$$;

comment on function private.tg__automated_task() is
  'BEFORE INSERT/UPDATE on tasks: automated tasks start waiting (only from a sequence step), keep their type, cancel their running job when they end, and come back waiting or needing attention when reopened.';

revoke execute on function private.tg__automated_task() from public, anon, authenticated;

-- The `when`s keep every other task's insert and update free of the call.
create trigger _350_automated_task
  before insert on public.tasks
  for each row
  when (new.type = 'automated')
  execute function private.tg__automated_task();

create trigger _350_automated_task_update
  before update on public.tasks
  for each row
  when (old.type = 'automated' or new.type = 'automated')
  execute function private.tg__automated_task();


-- AFTER DELETE on tasks: a running automated task deleted (delete_sequence_task, or its
-- restaurant purged) takes its job with it. Not while its organisation is being deleted:
-- the job and its events go with it, and an event inserted then would point at nothing.
create function private.tg__automated_task_deleted() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (select 1 from public.organisations as o where o.id = old.organisation_id) then
    perform private.cancel_automated_job(old.job_id, 'cancelled: its sequence step was deleted');
  end if;
  return null;
end;
$$;

comment on function private.tg__automated_task_deleted() is
  'AFTER DELETE on tasks: cancels the running job of a deleted automated task.';

revoke execute on function private.tg__automated_task_deleted() from public, anon, authenticated;

create trigger _350_automated_task_deleted
  after delete on public.tasks
  for each row
  when (old.type = 'automated' and old.automation_status = 'running' and old.job_id is not null)
  execute function private.tg__automated_task_deleted();


-- Finishing a task, with or without a user ----------------------------------------------
-- finish_task (…007500) is complete_task's and skip_task's: a signed-in member finishing a
-- task they can see. A job's end completes an automated task with nobody signed in and
-- completed_by null, and must move the sequence exactly as Complete does (next step with its
-- due date, finished_snapshot for reopen_task). So finish_task's body moves, unchanged but
-- for where the user comes from, into finish_task_as, and finish_task checks the caller and
-- calls it: one home for what finishing a task does.
create function private.finish_task_as(p_task_id uuid, p_status text, p_details jsonb, p_user_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_task public.tasks;
  v_before public.tasks;
  v_instance_id uuid;
  v_instance_status text;
  v_instance_step integer;
  v_instance_resume_at timestamptz;
  v_current integer;
  v_next_id uuid;
  v_next public.tasks;
  v_after_status text;
  v_after_total integer;
  v_warnings text[] := '{}';
begin
  select t.sequence_instance_id into v_instance_id from public.tasks as t where t.id = p_task_id;
  if not found then
    perform private.raise_http(404, 'P0002', 'task not found');
  end if;

  if v_instance_id is not null then
    select i.id, i.status, i.current_step_order, i.resume_at
    into v_instance_id, v_instance_status, v_instance_step, v_instance_resume_at
    from public.sequence_instances as i
    where i.id = v_instance_id
    for update;
  end if;

  -- Re-read under the lock: another call may have finished this task meanwhile.
  select t.* into v_task from public.tasks as t where t.id = p_task_id for update;
  if not found then
    perform private.raise_http(404, 'P0002', 'task not found');
  end if;
  if v_task.sequence_instance_id is distinct from v_instance_id then
    raise exception 'the task left its sequence while being updated; try again' using errcode = '40001';
  end if;

  if v_task.status in ('completed', 'skipped') then
    v_warnings := array[format('this task was already %s; nothing changed', v_task.status)];
    return private.task_result(to_jsonb(v_task), null, v_instance_id, v_warnings);
  end if;
  if v_task.status = 'cancelled' then
    raise exception 'this task was cancelled%, so it cannot be %',
      case when v_task.sequence_instance_id is not null then ' with its sequence' else '' end,
      p_status
      using errcode = '22023';
  end if;
  if p_details ? 'call_outcome' and v_task.type <> 'call' then
    perform private.raise_http(400, 'invalid_input',
      format('a call outcome is recorded only for call tasks (this one is %s)', replace(v_task.type, '_', ' ')));
  end if;

  if v_task.status = 'pending' then
    select t.sequence_step_order into v_current
    from public.tasks as t
    where t.sequence_instance_id = v_instance_id and t.status = 'active';
    v_warnings := v_warnings || case
      when v_current is not null then format(
        'step %s was %s ahead of step %s, which stays active', v_task.sequence_step_order, p_status, v_current)
      else format(
        'step %s was %s ahead of step %s', v_task.sequence_step_order, p_status, v_instance_step)
    end;
  end if;

  v_before := v_task;
  update public.tasks as t
  set status = p_status,
      completed_at = case when p_status = 'completed' then now() end,
      completed_by = case when p_status = 'completed' then p_user_id end,
      skipped_at = case when p_status = 'skipped' then now() end,
      metadata = (t.metadata - 'call_outcome' - 'skip_reason' - 'finished_snapshot')
        || coalesce(p_details, '{}'::jsonb)
  where t.id = p_task_id
  returning t.* into v_task;

  if v_instance_id is not null then
    v_next_id := private.sequence_settle(v_instance_id);
    if v_instance_status = 'paused' and exists (
      select 1 from public.tasks as t where t.sequence_instance_id = v_instance_id and t.status = 'pending'
    ) and not exists (
      select 1 from public.tasks as t where t.sequence_instance_id = v_instance_id and t.status = 'active'
    ) then
      v_warnings := v_warnings || 'the sequence is paused: the next step becomes active when it resumes'::text;
    end if;

    -- What reopen_task puts back, and what it compares to know nothing moved since.
    select t.* into v_next from public.tasks as t where t.id = v_next_id;
    select i.status, i.total_steps into v_after_status, v_after_total
    from public.sequence_instances as i where i.id = v_instance_id;
    update public.tasks as t
    set metadata = t.metadata || jsonb_build_object('finished_snapshot', jsonb_build_object(
      'status', v_before.status,
      'due_date', v_before.due_date,
      'activated_at', v_before.activated_at,
      'instance_status', v_instance_status,
      'instance_step', v_instance_step,
      'instance_resume_at', v_instance_resume_at,
      'instance_status_after', v_after_status,
      'total_steps_after', v_after_total,
      'next_task_id', v_next_id,
      'next_due_date', v_next.due_date,
      'finished_at', now(),
      'fingerprint', private.sequence_tasks_fingerprint(
        v_instance_id, array_remove(array[p_task_id, v_next_id], null))
    ))
    where t.id = p_task_id
    returning t.* into v_task;
  end if;

  return private.task_result(to_jsonb(v_task), v_next_id, v_instance_id, v_warnings);
end;
$$;

comment on function private.finish_task_as(uuid, text, jsonb, uuid) is
  'finish_task''s body: finishes a task under the instance lock, activates the next step and records what reopen_task needs; p_user_id is completed_by (null: an automated step''s job).';

revoke execute on function private.finish_task_as(uuid, text, jsonb, uuid) from public, anon, authenticated;

create or replace function private.finish_task(p_task_id uuid, p_status text, p_details jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
begin
  perform private.visible_task(p_task_id);
  return private.finish_task_as(p_task_id, p_status, p_details, v_user_id);
end;
$$;

comment on function private.finish_task(uuid, text, jsonb) is
  'complete_task/skip_task: the caller must see the task; then finish_task_as with the caller as completed_by.';


-- Templates: automated steps --------------------------------------------------------------

-- The snapshot (…002300) plus, for an automated step, its workflow and input map; an
-- automated task has no message, so none is resolved for it.
create or replace function private.sequence_template_snapshot(p_template_id uuid) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (select coalesce(jsonb_agg(jsonb_build_object(
    'id', s.id,
    'step_order', s.step_order,
    'name', s.name,
    'description', s.description,
    'type', s.type,
    'priority', s.priority,
    'task_template_id', s.task_template_id,
    'message_template_id', case when s.type <> 'automated' then coalesce(mt.id, tmt.id) end,
    'custom_message', case when s.type <> 'automated' then s.custom_message end,
    'message', case when s.type <> 'automated'
      then coalesce(s.custom_message, mt.message_content, tmt.message_content, tt.default_message) end,
    'subject', case when s.type <> 'automated' and s.custom_message is null then coalesce(mt.subject, tmt.subject) end,
    'delay_value', s.delay_value,
    'delay_unit', s.delay_unit,
    'assigned_to_override', s.assigned_to_override,
    'metadata', s.metadata
  ) || case when s.type = 'automated'
         then jsonb_build_object('workflow_id', s.workflow_id, 'input_map', s.input_map)
         else '{}'::jsonb end
  order by s.step_order), '[]'::jsonb)
  from public.sequence_steps as s
  left join public.message_templates as mt on mt.id = s.message_template_id
  left join public.task_templates as tt on tt.id = s.task_template_id
  left join public.message_templates as tmt on tmt.id = tt.message_template_id
  where s.sequence_template_id = p_template_id);
end;
$$;

comment on function private.sequence_template_snapshot(uuid) is
  'The template''s steps as jsonb, message sources resolved (automated steps: workflow_id and input_map, no message): what steps_snapshot keeps.';


-- An automated step's workflow and input map, as save_sequence_template stores them, or a
-- 400 invalid_step naming the step. The shape only: each input a { source } of a known kind.
-- Whether the fields, variables and earlier steps exist, and the types fit the workflow's
-- inputs, is the domain's (packages/domain/src/automated-steps.ts), checked by the builder
-- and again at start, where a misfit makes the task need attention.
create function private.automated_step_fields(
  p_organisation_id uuid, p_step jsonb, p_order bigint, p_name text
) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_label text := format('step %s (%s)', p_order, p_name);
  v_workflow text := nullif(p_step ->> 'workflow_id', '');
  v_map jsonb := coalesce(nullif(p_step -> 'input_map', 'null'::jsonb), '{}'::jsonb);
  v_input record;
begin
  if v_workflow is null then
    perform private.raise_http(400, 'invalid_step', format('%s: an automated step needs a workflow', v_label));
  end if;
  if v_workflow !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' or not exists (
    select 1 from public.workflows as w
    where w.id = v_workflow::uuid and w.organisation_id = p_organisation_id and w.deleted_at is null
  ) then
    perform private.raise_http(400, 'invalid_step',
      format('%s: its workflow was not found in this organisation (or is in the trash)', v_label));
  end if;
  if jsonb_typeof(v_map) <> 'object' then
    perform private.raise_http(400, 'invalid_step', format('%s: input_map must be an object', v_label));
  end if;
  -- The workflow's inputs are few; this keeps one step's map far from the snapshot's size.
  if pg_column_size(v_map) > 65536 then
    perform private.raise_http(400, 'invalid_step', format('%s: input_map is larger than 64 KB', v_label));
  end if;
  for v_input in select m.key, m.value from jsonb_each(v_map) as m loop
    if jsonb_typeof(v_input.value) <> 'object'
      or (v_input.value ->> 'source') is null
      or (v_input.value ->> 'source') not in ('restaurant', 'rep', 'variable', 'step', 'value') then
      perform private.raise_http(400, 'invalid_step', format(
        '%s: input %s needs a source: restaurant, rep, variable, step or value', v_label, v_input.key));
    end if;
  end loop;
  return jsonb_build_object('workflow_id', v_workflow::uuid, 'input_map', v_map);
end;
$$;

comment on function private.automated_step_fields(uuid, jsonb, bigint, text) is
  'save_sequence_template: an automated step''s {workflow_id, input_map} after the shape checks, or 400 invalid_step naming the step.';

revoke execute on function private.automated_step_fields(uuid, jsonb, bigint, text) from public, anon, authenticated;


-- save_sequence_template (…002700) as it was, plus automated steps: type 'automated' with
-- workflow_id (a workflow of the template's organisation, not in the trash) and input_map
-- ({ <input>: { source, … } }), else 400 invalid_step naming the step.
create or replace function public.save_sequence_template(p_template jsonb, p_steps jsonb default null)
returns public.sequence_templates
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_id uuid;
  v_organisation_id uuid;
  v_template public.sequence_templates;
  v_step jsonb;
  v_order bigint;
  v_step_id uuid;
  v_task_template public.task_templates;
  v_name text;
  v_type text;
  v_automated jsonb;
begin
  if p_template is null or jsonb_typeof(p_template) <> 'object' then
    raise exception 'p_template must be a JSON object' using errcode = '22023';
  end if;
  if p_steps is not null and (
    jsonb_typeof(p_steps) <> 'array'
    or exists (select 1 from jsonb_array_elements(p_steps) as e where jsonb_typeof(e) <> 'object')
  ) then
    raise exception 'p_steps must be an array of step objects' using errcode = '22023';
  end if;
  -- The cap (SEQUENCE_MAX_STEPS; sequence_steps_step_order_range in …005000_limits) said
  -- before any work: one start makes a task per step, for up to 500 restaurants at once.
  if jsonb_array_length(coalesce(p_steps, '[]'::jsonb)) > 50 then
    raise exception 'a sequence template has at most 50 steps (this has %)', jsonb_array_length(p_steps)
      using errcode = '22023';
  end if;
  if p_template ? 'start_delay_value' and (p_template ->> 'start_delay_value')::integer < 0 then
    raise exception 'the start delay must be zero or more' using errcode = '22023';
  end if;

  -- Who may write: on update the template must be visible (404) and the caller its creator
  -- or an owner/admin; on create, a member of the organisation named (42501).
  v_id := nullif(p_template ->> 'id', '')::uuid;
  if v_id is not null then
    v_template := private.lock_visible_sequence_template(v_id);
    if v_template.created_by is distinct from v_user_id
      and not private.is_organisation_member(v_template.organisation_id, v_user_id, array['owner', 'admin']) then
      raise exception 'only its creator or an owner or admin can change this sequence template'
        using errcode = '42501';
    end if;
    v_organisation_id := v_template.organisation_id;
  else
    v_organisation_id := nullif(p_template ->> 'organisation_id', '')::uuid;
    if v_organisation_id is null then
      raise exception 'organisation_id is required to create a sequence template' using errcode = '22023';
    end if;
    if not private.is_organisation_member(v_organisation_id, v_user_id) then
      raise exception 'you are not a member of that organisation' using errcode = '42501';
    end if;
  end if;

  -- One statement for both. Each value is resolved once: the key's value when p_template
  -- has it, else the template's current one (on update), else the default (on create).
  -- A NOT NULL or check constraint applies to the proposed row even when it then updates,
  -- so the row proposed is the whole final one.
  insert into public.sequence_templates (
    id, organisation_id, name, description, tags, is_active, start_delay_value, start_delay_unit,
    exit_stages, metadata, created_by
  )
  values (
    coalesce(v_id, gen_random_uuid()),
    v_organisation_id,
    case when p_template ? 'name' then btrim(p_template ->> 'name') else v_template.name end,
    case when p_template ? 'description' then p_template ->> 'description' else v_template.description end,
    case when p_template ? 'tags' then private.jsonb_text_array(p_template -> 'tags', 'tags')
      else coalesce(v_template.tags, '{}') end,
    coalesce((p_template ->> 'is_active')::boolean, v_template.is_active, true),
    case when p_template ? 'start_delay_value' then coalesce((p_template ->> 'start_delay_value')::integer, 0)
      else coalesce(v_template.start_delay_value, 0) end,
    case when p_template ? 'start_delay_unit' then coalesce(p_template ->> 'start_delay_unit', 'days')
      else coalesce(v_template.start_delay_unit, 'days') end,
    case when p_template ? 'exit_stages' then private.jsonb_text_array(p_template -> 'exit_stages', 'exit_stages')
      else coalesce(v_template.exit_stages, '{}') end,
    case when p_template ? 'metadata' then coalesce(nullif(p_template -> 'metadata', 'null'::jsonb), '{}'::jsonb)
      else coalesce(v_template.metadata, '{}'::jsonb) end,
    v_user_id
  )
  on conflict (id) do update set
    name = excluded.name,
    description = excluded.description,
    tags = excluded.tags,
    is_active = excluded.is_active,
    start_delay_value = excluded.start_delay_value,
    start_delay_unit = excluded.start_delay_unit,
    exit_stages = excluded.exit_stages,
    metadata = excluded.metadata
  returning * into v_template;

  if p_steps is not null then
    delete from public.sequence_steps as s
    where s.sequence_template_id = v_template.id
      and s.id not in (
        select (e ->> 'id')::uuid from jsonb_array_elements(p_steps) as e where nullif(e ->> 'id', '') is not null
      );

    for v_step, v_order in select e, o from jsonb_array_elements(p_steps) with ordinality as x (e, o) loop
      v_task_template := null;
      if nullif(v_step ->> 'task_template_id', '') is not null then
        select tt.* into v_task_template
        from public.task_templates as tt
        where tt.id = (v_step ->> 'task_template_id')::uuid and tt.organisation_id = v_template.organisation_id;
        if not found then
          raise exception 'step %: task template not found in this organisation', v_order using errcode = '22023';
        end if;
      end if;
      if nullif(v_step ->> 'message_template_id', '') is not null and not exists (
        select 1 from public.message_templates as mt
        where mt.id = (v_step ->> 'message_template_id')::uuid and mt.organisation_id = v_template.organisation_id
      ) then
        raise exception 'step %: message template not found in this organisation', v_order using errcode = '22023';
      end if;
      if nullif(v_step ->> 'assigned_to_override', '') is not null and not private.is_organisation_member(
        v_template.organisation_id, (v_step ->> 'assigned_to_override')::uuid
      ) then
        raise exception 'step %: the assignee must be a member of the organisation', v_order using errcode = '22023';
      end if;
      v_name := coalesce(nullif(btrim(v_step ->> 'name'), ''), v_task_template.name);
      if v_name is null then
        raise exception 'step %: a name (or a task template) is required', v_order using errcode = '22023';
      end if;
      -- An automated step names its workflow and maps its inputs, and has no message; any
      -- other step keeps neither (an editor switching a step's type may still send them).
      v_type := coalesce(v_step ->> 'type', v_task_template.type, 'internal_activity');
      v_automated := case when v_type = 'automated'
        then private.automated_step_fields(v_template.organisation_id, v_step, v_order, v_name) end;

      -- The step's own id when it is one of this template's (analytics keep following it),
      -- else a new one.
      select s.id into v_step_id
      from public.sequence_steps as s
      where s.id = nullif(v_step ->> 'id', '')::uuid and s.sequence_template_id = v_template.id;
      insert into public.sequence_steps (
        id, organisation_id, sequence_template_id, step_order, name, description, type, priority,
        task_template_id, message_template_id, custom_message, delay_value, delay_unit,
        assigned_to_override, metadata, workflow_id, input_map
      )
      values (
        coalesce(v_step_id, gen_random_uuid()), v_template.organisation_id, v_template.id, v_order, v_name,
        v_step ->> 'description',
        v_type,
        coalesce(v_step ->> 'priority', v_task_template.priority, 'medium'),
        v_task_template.id,
        case when v_automated is null then nullif(v_step ->> 'message_template_id', '')::uuid end,
        case when v_automated is null then v_step ->> 'custom_message' end,
        coalesce((v_step ->> 'delay_value')::integer, 0), coalesce(v_step ->> 'delay_unit', 'days'),
        nullif(v_step ->> 'assigned_to_override', '')::uuid,
        coalesce(nullif(v_step -> 'metadata', 'null'::jsonb), '{}'::jsonb),
        (v_automated ->> 'workflow_id')::uuid,
        coalesce(v_automated -> 'input_map', '{}'::jsonb)
      )
      on conflict (id) do update set
        step_order = excluded.step_order,
        name = excluded.name,
        description = excluded.description,
        type = excluded.type,
        priority = excluded.priority,
        task_template_id = excluded.task_template_id,
        message_template_id = excluded.message_template_id,
        custom_message = excluded.custom_message,
        delay_value = excluded.delay_value,
        delay_unit = excluded.delay_unit,
        assigned_to_override = excluded.assigned_to_override,
        metadata = excluded.metadata,
        workflow_id = excluded.workflow_id,
        input_map = excluded.input_map;
    end loop;
  end if;

  return v_template;
end;
$$;

comment on function public.save_sequence_template(jsonb, jsonb) is
  'Creates or updates a sequence template with all its steps in one transaction (the builder''s Save); automated steps name a workflow and map its inputs.';



-- A job's end, handed to its task ----------------------------------------------------------

-- AFTER UPDATE OF status on jobs, only for an automated task's job that just ended (the
-- trigger's `when`: other jobs pay nothing), in the same transaction as the end so no end is
-- lost between the job and its task whatever crashes. Under the instance lock, like the task
-- RPCs; only while the task is still the one this job runs (active, running, job_id = this
-- job): a task finished by hand meanwhile cancelled the job itself and stays as it is.
--   completed → the task completes as Complete does (finish_task_as, completed_by null),
--               with automation_output = final_result;
--   failed    → needs_attention with the job's error;
--   cancelled → needs_attention 'cancelled' (someone cancelled it from the jobs page; a
--               cancel the task side asked for is flagged by cancel_automated_job and ignored).
-- And a failed or cancelled job re-queued from the jobs page (retry_job, a bulk retry) makes
-- its task running again, so its end is applied as any other.
create function private.tg__automated_task_job_ended() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_instance_id uuid;
  v_task public.tasks;
begin
  if new.status = 'cancelled'
     and current_setting('forkflow.automation_cancelling', true) is not distinct from new.id::text then
    return null;
  end if;

  select t.sequence_instance_id into v_instance_id from public.tasks as t where t.id = new.sequence_task_id;
  if not found then
    return null;
  end if;
  if v_instance_id is not null then
    perform 1 from public.sequence_instances as i where i.id = v_instance_id for update;
  end if;
  select t.* into v_task from public.tasks as t where t.id = new.sequence_task_id for update;
  if v_task.job_id is distinct from new.id or v_task.status <> 'active' then
    return null;
  end if;
  if new.status not in ('completed', 'failed', 'cancelled') then
    if v_task.automation_status = 'needs_attention' then
      update public.tasks as t
      set automation_status = 'running', automation_error = null
      where t.id = v_task.id;
    end if;
    return null;
  end if;
  if v_task.automation_status is distinct from 'running' then
    return null;
  end if;

  if new.status = 'completed' then
    update public.tasks as t
    set automation_status = 'done', automation_output = new.final_result, automation_error = null
    where t.id = v_task.id;
    perform private.finish_task_as(v_task.id, 'completed', null, null);
  elsif new.status = 'failed' then
    update public.tasks as t
    set automation_status = 'needs_attention',
        automation_error = jsonb_build_object(
          'code', coalesce(new.error_code, 'failed'),
          'message', format('The workflow failed%s: %s',
            case when new.current_step_id is not null then format(' at step %s', new.current_step_id) else '' end,
            coalesce(new.error_message, 'no reason was given')))
    where t.id = v_task.id;
  else
    update public.tasks as t
    set automation_status = 'needs_attention',
        automation_error = jsonb_build_object('code', 'cancelled', 'message',
          'The workflow''s job was cancelled. Retry to run it again, or complete or skip the step by hand.')
    where t.id = v_task.id;
  end if;
  return null;
end;
$$;

comment on function private.tg__automated_task_job_ended() is
  'AFTER UPDATE trigger on jobs: an automated task''s job that ended completes the task (the sequence moves on) or makes it need attention; one re-queued from the jobs page makes it running again.';

revoke execute on function private.tg__automated_task_job_ended() from public, anon, authenticated;

create trigger _310_automated_task_job_ended
  after update of status on public.jobs
  for each row
  when (new.sequence_task_id is not null
        and old.status is distinct from new.status
        and (new.status in ('completed', 'failed', 'cancelled') or old.status in ('failed', 'cancelled')))
  execute function private.tg__automated_task_job_ended();


-- The orchestrator's RPCs (service role) --------------------------------------------------

-- Whom an automated task's job runs as: the task's assignee, else the instance's, else its
-- creator, whoever is still a member (null: nobody, and the start needs attention).
create function private.automated_task_run_as(
  p_organisation_id uuid, p_task_assignee uuid, p_instance_assignee uuid, p_instance_creator uuid
) returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select case
    when private.is_organisation_member(p_organisation_id, p_task_assignee) then p_task_assignee
    when private.is_organisation_member(p_organisation_id, p_instance_assignee) then p_instance_assignee
    when private.is_organisation_member(p_organisation_id, p_instance_creator) then p_instance_creator
  end;
$$;

comment on function private.automated_task_run_as(uuid, uuid, uuid, uuid) is
  'The user an automated task''s job runs as: task assignee, else instance assignee, else instance creator (members only).';

revoke execute on function private.automated_task_run_as(uuid, uuid, uuid, uuid) from public, anon, authenticated;


-- Automated tasks due now, oldest due first, with what resolving their inputs needs (the
-- contract's shape). Reads only, locks nothing: start_automated_task_jobs decides under
-- locks. Left out, so they wait: paused instances (their active task has no due date
-- anyway), restaurants in the trash, and organisations whose queue is paused
-- (set_organisation_queue_limit 0: nothing of theirs would run, so nothing starts).
-- step_outputs are keyed by the template's step order (the snapshot's), which is what an
-- input map's { source: 'step', step_order } was written against; a step inserted into the
-- running instance renumbers its tasks, not its snapshot.
create function public.due_automated_tasks(p_limit integer) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if p_limit is null or p_limit < 1 or p_limit > 1000 then
    perform private.raise_http(400, 'invalid_input', 'p_limit must be from 1 to 1000');
  end if;
  return (
    select coalesce(jsonb_agg(d.item order by d.due_date, d.task_id), '[]'::jsonb)
    from (
      select t.id as task_id, t.due_date, jsonb_build_object(
        'task_id', t.id,
        'organisation_id', t.organisation_id,
        'restaurant_id', t.restaurant_id,
        'sequence_instance_id', t.sequence_instance_id,
        -- The template's order, like step_outputs' keys (the same unless steps were inserted or
        -- deleted in the running instance): what the domain compares an input's step_order with.
        'step_order', coalesce((step.item ->> 'step_order')::integer, t.sequence_step_order),
        'workflow_id', step.item -> 'workflow_id',
        'input_map', coalesce(step.item -> 'input_map', '{}'::jsonb),
        'run_as', private.automated_task_run_as(t.organisation_id, t.assigned_to, i.assigned_to, i.created_by),
        'restaurant', jsonb_build_object(
          'id', r.id, 'name', r.name, 'city', r.city, 'cuisine', r.cuisine,
          'contact_name', r.contact_name, 'contact_email', r.contact_email,
          'contact_phone', r.contact_phone, 'lead_stage', r.lead_stage,
          'lead_warmth', r.lead_warmth, 'lead_status', r.lead_status, 'notes', r.notes,
          'metadata', r.metadata),
        'rep', case when p.id is not null then jsonb_build_object(
          'id', p.id, 'name', p.full_name, 'first_name', substring(p.full_name from '^\s*(\S+)'),
          'email', p.email) end,
        'step_outputs', coalesce((
          select jsonb_object_agg(snap.by_id -> e.sequence_step_id::text ->> 'step_order', e.automation_output)
          from public.tasks as e
          where e.sequence_instance_id = t.sequence_instance_id
            and e.id <> t.id
            and e.status = 'completed'
            and e.automation_output is not null
            and snap.by_id ? e.sequence_step_id::text
        ), '{}'::jsonb)
      ) as item
      -- The due tasks are picked first and only they are built. The pick walks the partial due
      -- index in due order and stops at the limit; the instance and restaurant are looked up
      -- per candidate by primary key (scalar subqueries the planner cannot reorder). As joins,
      -- with statistics not yet counting a burst of new tasks (1,000 come due at once), the
      -- planner estimated one candidate and scanned the active instances once per task:
      -- 499,500 rows filtered, 730 ms for 200 of 1,000 due tasks on the loaded native stack.
      from (
        select c.id
        from public.tasks as c
        where c.automation_status = 'waiting'
          and c.status = 'active'
          and c.due_date <= now()
          and (select ci.status from public.sequence_instances as ci where ci.id = c.sequence_instance_id) = 'active'
          and (select cr.deleted_at is null from public.restaurants as cr where cr.id = c.restaurant_id)
          and not exists (
            select 1 from private.organisation_queue_limits as q
            where q.organisation_id = c.organisation_id and q.max_running = 0)
        order by c.due_date, c.id
        limit p_limit
      ) as due
      -- Each picked task's rows by primary key, in a nested loop from the pick (`limit 1` keeps
      -- the planner from flattening them into joins it may reorder: with a burst of new rows
      -- not yet in the statistics it built the snapshot of every active instance, 1,000, and
      -- hash-joined the 200 picked: EXPLAIN ANALYZE 328 ms, this way 145 ms, same data and load).
      cross join lateral (select x.* from public.tasks as x where x.id = due.id limit 1) as t
      cross join lateral (
        select x.assigned_to, x.created_by, x.steps_snapshot
        from public.sequence_instances as x where x.id = t.sequence_instance_id limit 1
      ) as i
      cross join lateral (select x.* from public.restaurants as x where x.id = t.restaurant_id limit 1) as r
      left join lateral (
        select x.id, x.full_name, x.email from public.profiles as x
        where x.id = t.assigned_to and private.is_organisation_member(t.organisation_id, t.assigned_to)
        limit 1
      ) as p on true
      cross join lateral (
        select jsonb_object_agg(x.value ->> 'id', x.value) as by_id
        from jsonb_array_elements(i.steps_snapshot) as x
      ) as snap
      cross join lateral (select snap.by_id -> t.sequence_step_id::text as item) as step
    ) as d
  );
end;
$$;

comment on function public.due_automated_tasks(integer) is
  'Service role (orchestrator): automated tasks due now (waiting, active, instance active), oldest first, with restaurant, rep, run_as and earlier steps'' outputs; reads only.';

revoke execute on function public.due_automated_tasks(integer) from public, anon, authenticated;
grant execute on function public.due_automated_tasks(integer) to service_role;


-- Starts the jobs of due automated tasks: each item { task_id, input_data,
-- input_data_masked?, redact? } or { task_id, error: { code, message } } (the orchestrator
-- could not resolve its inputs). Each task is taken under its instance's lock and started
-- only if it is still waiting, active, due and its instance active; otherwise 'skipped' (an
-- overlapping orchestrator started it, a rep finished it, the sequence was paused). One job
-- per task: jobs_sequence_task_id_key is the last word. A start that cannot happen (the
-- error given, the workflow gone, archived or in the trash, nobody to run as, input too
-- large) makes the task need attention, with no job.
-- The job is start_workflow_job's (current version, max_retries of its retry policy, a
-- 'created' event) as the task's run_as user, holding the masked input when one is given;
-- the real input and the strings to redact go to job_run_context, as for flow runs. Not
-- rate-limited (no signed-in user: the limit is for people; the orchestrator's own batch
-- size bounds it). Items are taken in instance order so two overlapping calls lock alike.
create function public.start_automated_task_jobs(p_starts jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_item record;
  v_start jsonb;
  v_task public.tasks;
  v_instance public.sequence_instances;
  v_step jsonb;
  v_workflow public.workflows;
  v_run_as uuid;
  v_error jsonb;
  v_job public.jobs;
  v_max_retries integer;
  v_input jsonb;
  v_masked jsonb;
  v_context boolean;
  v_size integer;
  v_input_max integer := (select q.input_max_bytes from private.queue_settings as q);
  v_results jsonb := '{}'::jsonb;
begin
  if jsonb_typeof(p_starts) is distinct from 'array' then
    perform private.raise_http(400, 'invalid_input', 'p_starts must be an array');
  end if;
  if jsonb_array_length(p_starts) > 1000 then
    perform private.raise_http(400, 'invalid_input', 'at most 1000 starts at once');
  end if;
  -- The whole batch's shape first: a malformed item refuses the call and changes nothing.
  for v_start in select e.value from jsonb_array_elements(p_starts) as e loop
    if jsonb_typeof(v_start) <> 'object'
      or coalesce(v_start ->> 'task_id', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
      perform private.raise_http(400, 'invalid_input', 'each start needs a task_id (uuid)');
    end if;
    if v_start ? 'error' then
      if jsonb_typeof(v_start -> 'error') <> 'object'
        or jsonb_typeof(v_start -> 'error' -> 'code') is distinct from 'string'
        or jsonb_typeof(v_start -> 'error' -> 'message') is distinct from 'string' then
        perform private.raise_http(400, 'invalid_input',
          format('task %s: error must be { code, message } (strings)', v_start ->> 'task_id'));
      end if;
    elsif jsonb_typeof(v_start -> 'input_data') is distinct from 'object'
      or (v_start ? 'input_data_masked' and jsonb_typeof(v_start -> 'input_data_masked') <> 'object')
      or (v_start ? 'redact' and (jsonb_typeof(v_start -> 'redact') <> 'array' or exists (
        select 1 from jsonb_array_elements(v_start -> 'redact') as r where jsonb_typeof(r) <> 'string'))) then
      perform private.raise_http(400, 'invalid_input', format(
        'task %s: input_data (and input_data_masked) must be objects, redact an array of strings',
        v_start ->> 'task_id'));
    end if;
  end loop;

  for v_item in
    select e.value as start, t.id as task_id, t.sequence_instance_id
    from jsonb_array_elements(p_starts) as e
    left join public.tasks as t on t.id = (e.value ->> 'task_id')::uuid
    order by t.sequence_instance_id, t.id
  loop
    v_start := v_item.start;
    v_error := null;
    v_job := null;
    if v_item.task_id is null or v_item.sequence_instance_id is null then
      v_results := v_results || jsonb_build_object(v_start ->> 'task_id', jsonb_build_object(
        'task_id', v_start ->> 'task_id', 'job_id', null, 'status', 'skipped'));
      continue;
    end if;

    select i.* into v_instance from public.sequence_instances as i
    where i.id = v_item.sequence_instance_id for update;
    select t.* into v_task from public.tasks as t where t.id = v_item.task_id for update;
    if v_instance.status is distinct from 'active'
      or v_task.sequence_instance_id is distinct from v_instance.id
      or v_task.type <> 'automated' or v_task.status <> 'active'
      or v_task.automation_status is distinct from 'waiting'
      or v_task.due_date is null or v_task.due_date > now() then
      v_results := v_results || jsonb_build_object(v_task.id::text, jsonb_build_object(
        'task_id', v_task.id, 'job_id', v_task.job_id, 'status', 'skipped'));
      continue;
    end if;

    select x.value into v_step from jsonb_array_elements(v_instance.steps_snapshot) as x
    where x.value ->> 'id' = v_task.sequence_step_id::text;
    v_run_as := private.automated_task_run_as(
      v_task.organisation_id, v_task.assigned_to, v_instance.assigned_to, v_instance.created_by);
    -- Key share: a concurrent move to the trash either waits for this job or is seen here.
    select w.* into v_workflow from public.workflows as w
    where w.id = (v_step ->> 'workflow_id')::uuid and w.organisation_id = v_task.organisation_id
      and w.deleted_at is null
    for key share;

    if v_start ? 'error' then
      v_error := jsonb_build_object('code', v_start -> 'error' ->> 'code', 'message', v_start -> 'error' ->> 'message');
    elsif v_workflow.id is null then
      v_error := jsonb_build_object('code', 'workflow_not_found', 'message', format(
        'Step %s''s workflow no longer exists (deleted or in the trash). Complete or skip the step by hand, or restore the workflow and retry.',
        v_task.sequence_step_order));
    elsif v_workflow.status <> 'active' then
      v_error := jsonb_build_object('code', 'workflow_archived', 'message', format(
        'The workflow %s is archived. Re-activate it and retry, or complete or skip the step by hand.', v_workflow.name));
    elsif v_run_as is null then
      v_error := jsonb_build_object('code', 'no_user', 'message',
        'Nobody to run the workflow as: the step''s assignee, the sequence''s and its starter have all left the organisation. Assign the step to a member and retry.');
    else
      select coalesce((v.retry_policy ->> 'max_retries')::integer, 3) into v_max_retries
      from public.workflow_versions as v
      where v.workflow_id = v_workflow.id and v.version = v_workflow.version;
      v_input := v_start -> 'input_data';
      v_masked := v_start -> 'input_data_masked';
      v_context := v_masked is not null or jsonb_array_length(coalesce(v_start -> 'redact', '[]'::jsonb)) > 0;
      -- No exception block around the insert: one per task would be a subtransaction each, and
      -- past 64 in one transaction Postgres' per-backend subtransaction cache overflows, which
      -- slows every other session's snapshot checks while this one runs (a batch is 200). (The
      -- call itself timed alike either way: 100 starts, interleaved A/B on the loaded native
      -- stack, 450-1170 ms with, 600-1610 ms without, no difference beyond the noise.) So the
      -- two refusals the queue's triggers would make are checked first: one job per task (a
      -- start holds the task's lock, so no other can insert it meanwhile; the unique index stays
      -- the last word) and the input size (queue_settings.input_max_bytes, as the trigger).
      if exists (select 1 from public.jobs as j where j.sequence_task_id = v_task.id) then
        v_results := v_results || jsonb_build_object(v_task.id::text, jsonb_build_object(
          'task_id', v_task.id, 'job_id', v_task.job_id, 'status', 'skipped'));
        continue;
      end if;
      v_size := octet_length(coalesce(v_masked, v_input)::text);
      if v_size > v_input_max then
        v_error := jsonb_build_object('code', 'payload_too_large', 'message', format(
          'The workflow''s input is %s bytes of JSON; the queue takes at most %s. Map large values (audio) by URL.',
          v_size, v_input_max));
      else
        insert into public.jobs
          (organisation_id, workflow_id, workflow_version, user_id, input_data, max_retries, sequence_task_id)
        values
          (v_task.organisation_id, v_workflow.id, v_workflow.version, v_run_as, coalesce(v_masked, v_input),
           coalesce(v_max_retries, 3), v_task.id)
        returning * into v_job;
      end if;
    end if;

    if v_error is not null then
      update public.tasks as t
      set automation_status = 'needs_attention', automation_error = v_error
      where t.id = v_task.id;
      v_results := v_results || jsonb_build_object(v_task.id::text, jsonb_build_object(
        'task_id', v_task.id, 'job_id', null, 'status', 'needs_attention'));
      continue;
    end if;

    if v_context then
      insert into private.job_run_context (job_id, input_data, redact)
      values (v_job.id, v_input,
        array(select jsonb_array_elements_text(coalesce(v_start -> 'redact', '[]'::jsonb))));
    end if;
    insert into public.job_events (organisation_id, job_id, user_id, event_type, to_status, data)
    values (v_job.organisation_id, v_job.id, v_job.user_id, 'created', 'pending',
            jsonb_build_object('workflow_version', v_job.workflow_version,
              'sequence_task_id', v_task.id, 'sequence_instance_id', v_instance.id));
    update public.tasks as t
    set automation_status = 'running', job_id = v_job.id, automation_error = null
    where t.id = v_task.id;
    v_results := v_results || jsonb_build_object(v_task.id::text, jsonb_build_object(
      'task_id', v_task.id, 'job_id', v_job.id, 'status', 'started'));
  end loop;

  -- In the order given; a task named twice is answered twice (the second saw it running).
  return (
    select coalesce(jsonb_agg(v_results -> (e.value ->> 'task_id') order by e.ordinality), '[]'::jsonb)
    from jsonb_array_elements(p_starts) with ordinality as e
  );
end;
$$;

comment on function public.start_automated_task_jobs(jsonb) is
  'Service role (orchestrator): starts one job per due automated task (or records why it cannot start: needs_attention); [{task_id, job_id, status: started | needs_attention | skipped}].';

revoke execute on function public.start_automated_task_jobs(jsonb) from public, anon, authenticated;
grant execute on function public.start_automated_task_jobs(jsonb) to service_role;


-- A member's way on from needs attention (the third and fourth are complete_task and
-- skip_task, which work on automated tasks as on any other). Its failed or cancelled job is
-- re-queued as retry_job does (from the step it stopped at, on its version, retry budget
-- reset) and the task is running again; with no job (the start failed) the task is waiting
-- again and starts at the next tick if due. A job that completed is not run again (its
-- effects happened): 409. Errors as the other task RPCs: 404 outsiders, 409 wrong state.
create function public.retry_automated_task(p_task_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_instance_id uuid;
  v_task public.tasks;
  v_job public.jobs;
  v_from text;
begin
  v_instance_id := (private.visible_task(p_task_id)).sequence_instance_id;
  if v_instance_id is not null then
    perform private.lock_visible_sequence_instance(v_instance_id);
  end if;
  select t.* into v_task from public.tasks as t where t.id = p_task_id for update;
  if not found or v_task.sequence_instance_id is distinct from v_instance_id then
    perform private.raise_http(404, 'P0002', 'task not found');
  end if;
  if v_task.type <> 'automated' or v_task.status <> 'active'
     or v_task.automation_status is distinct from 'needs_attention' then
    perform private.raise_http(409, 'not_needs_attention', case
      when v_task.type <> 'automated' then 'this task is not an automated step'
      when v_task.status <> 'active' then format('this step is %s, so there is nothing to retry', v_task.status)
      else format('this step does not need attention (it is %s)', replace(coalesce(v_task.automation_status, 'waiting'), '_', ' '))
    end);
  end if;

  if v_task.job_id is not null then
    select j.* into v_job from public.jobs as j where j.id = v_task.job_id for update;
  end if;

  if v_job.id is null then
    update public.tasks as t
    set automation_status = 'waiting', automation_error = null
    where t.id = v_task.id
    returning t.* into v_task;
  elsif v_job.status = 'completed' then
    perform private.raise_http(409, 'already_ran',
      'the workflow already ran for this step; complete or skip it by hand');
  else
    if v_job.status in ('failed', 'cancelled') then
      perform private.lock_live_workflow(v_job.workflow_id);
      v_from := v_job.status;
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
        (organisation_id, job_id, user_id, event_type, step_id, from_status, to_status, message, data)
      values
        (v_job.organisation_id, v_job.id, v_job.user_id, 'retried', v_job.current_step_id, v_from,
         v_job.status, format('re-queued by %s (automated step)', v_user_id),
         jsonb_build_object('sequence_task_id', v_task.id));
    end if;
    update public.tasks as t
    set automation_status = 'running', automation_error = null
    where t.id = v_task.id
    returning t.* into v_task;
  end if;

  return private.task_result(to_jsonb(v_task), null, v_instance_id, '{}');
end;
$$;

comment on function public.retry_automated_task(uuid) is
  'Retries an automated step that needs attention: its failed or cancelled job re-queued (the task running), or, with no job, waiting again; 409 otherwise. {task, next_task, instance, warnings}.';

revoke execute on function public.retry_automated_task(uuid) from public, anon, service_role;
grant execute on function public.retry_automated_task(uuid) to authenticated;
