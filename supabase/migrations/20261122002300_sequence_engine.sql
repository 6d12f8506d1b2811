-- The sequence engine: private helpers shared by the sequence RPCs. None is granted to an
-- API role; the RPCs (security definer) call them as their owner.
--
-- Progression rules (docs/sequences-contract.md, "Progression"):
--   * a running instance (active) has exactly one active task until every task is done;
--   * every pending task comes after the active one (inserts go after it), so "the next
--     step" is simply the first pending task by step order, which skips steps completed
--     ahead of time;
--   * a paused instance keeps its active task active with no due date; completing it
--     while paused leaves the next one pending until resume;
--   * an instance with no active or pending task left is completed.
-- Every helper that reads task states expects the caller to hold the instance row lock.
--
-- These are the hot paths of start_sequence and complete_task/skip_task, so:
--   * membership is checked with private.is_organisation_member (an index lookup on
--     organisation_members) instead of `in (select private.user_organisation_ids())`; the
--     visible-row helpers below cost a function call over writing the exists inline
--     (visible_task 45-50 us a call against 12 us inline, 5,000 calls on the native stack
--     under load, about 2% of a complete_task): kept for one place that decides tenancy;
--   * the snapshot and result builders are plpgsql, not sql: a SQL function called from
--     plpgsql is planned again on every call, while plpgsql caches its statements' plans;
--   * each step's message is rendered once (materialised CTE in sequence_create_instance);
--   * task_result answers with the instance without its steps_snapshot, and finish_task
--     and sequence_settle read only the instance columns they use (on a 240-step chain the
--     snapshot is ~115 KB, otherwise detoasted and sent as JSON on every complete_task).
-- Measured on the native stack (2 cores), against the straightforward versions: over one
-- direct connection (10-step template, 5 rendered messages) start_sequence 10.4 -> 5.3 ms
-- median, complete_task 3.0 -> 2.0 ms, a bulk start of 50 469 -> 171 ms; then reading the
-- render context once per instance (and skipping the renderer for text without "{") took
-- start_sequence from 3.1 to 2.2 ms in the database, and leaving out the snapshot took
-- complete_task on a 240-step chain from 2.5 to 1.1 ms (response 117 KB -> 3 KB through
-- PostgREST).

-- Visible rows: the row a caller names if it belongs to one of their organisations and is not
-- in the trash (…005100), else 404 exactly as if it did not exist (private.raise_http, code
-- P0002), and 42501 without a user. Every sequence RPC starts from these instead of filtering on tenancy itself; the
-- lock_ ones lock the row, in the lock order the RPCs keep (template, instance, tasks).

create function private.visible_restaurant(p_restaurant_id uuid) returns public.restaurants
language plpgsql
stable
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_restaurant public.restaurants;
begin
  select r.* into v_restaurant
  from public.restaurants as r
  where r.id = p_restaurant_id and r.deleted_at is null
    and private.is_organisation_member(r.organisation_id, v_user_id);
  if not found then
    perform private.raise_http(404, 'P0002', 'restaurant not found');
  end if;
  return v_restaurant;
end;
$$;

create function private.visible_sequence_template(p_template_id uuid) returns public.sequence_templates
language plpgsql
stable
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_template public.sequence_templates;
begin
  select t.* into v_template
  from public.sequence_templates as t
  where t.id = p_template_id and t.deleted_at is null
    and private.is_organisation_member(t.organisation_id, v_user_id);
  if not found then
    perform private.raise_http(404, 'P0002', 'sequence template not found');
  end if;
  return v_template;
end;
$$;

-- for no key update: concurrent starts and saves of one template queue here, while
-- foreign keys to it (new instances, steps) only need a key share lock.
create function private.lock_visible_sequence_template(p_template_id uuid) returns public.sequence_templates
language plpgsql
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_template public.sequence_templates;
begin
  select t.* into v_template
  from public.sequence_templates as t
  where t.id = p_template_id and t.deleted_at is null
    and private.is_organisation_member(t.organisation_id, v_user_id)
  for no key update;
  if not found then
    perform private.raise_http(404, 'P0002', 'sequence template not found');
  end if;
  return v_template;
end;
$$;

create function private.visible_sequence_instance(p_instance_id uuid) returns public.sequence_instances
language plpgsql
stable
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_instance public.sequence_instances;
begin
  select i.* into v_instance
  from public.sequence_instances as i
  where i.id = p_instance_id and private.is_organisation_member(i.organisation_id, v_user_id);
  if not found then
    perform private.raise_http(404, 'P0002', 'sequence instance not found');
  end if;
  return v_instance;
end;
$$;

create function private.lock_visible_sequence_instance(p_instance_id uuid) returns public.sequence_instances
language plpgsql
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_instance public.sequence_instances;
begin
  select i.* into v_instance
  from public.sequence_instances as i
  where i.id = p_instance_id and private.is_organisation_member(i.organisation_id, v_user_id)
  for update;
  if not found then
    perform private.raise_http(404, 'P0002', 'sequence instance not found');
  end if;
  return v_instance;
end;
$$;

-- Not locked: callers lock the task's instance first, then re-read the task under it.
create function private.visible_task(p_task_id uuid) returns public.tasks
language plpgsql
stable
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_task public.tasks;
begin
  select t.* into v_task
  from public.tasks as t
  where t.id = p_task_id and private.is_organisation_member(t.organisation_id, v_user_id);
  if not found then
    perform private.raise_http(404, 'P0002', 'task not found');
  end if;
  return v_task;
end;
$$;

comment on function private.visible_restaurant(uuid) is
  'A restaurant of one of the caller''s organisations; 404 otherwise.';
comment on function private.visible_sequence_template(uuid) is
  'A sequence template of one of the caller''s organisations; 404 otherwise.';
comment on function private.lock_visible_sequence_template(uuid) is
  'Locks (for no key update) and returns a sequence template of one of the caller''s organisations; 404 otherwise.';
comment on function private.visible_sequence_instance(uuid) is
  'A sequence instance of one of the caller''s organisations, not locked; 404 otherwise.';
comment on function private.lock_visible_sequence_instance(uuid) is
  'Locks and returns a sequence instance of one of the caller''s organisations; 404 otherwise.';
comment on function private.visible_task(uuid) is
  'A task of one of the caller''s organisations, not locked; 404 otherwise.';


-- The template's steps as an instance keeps them: every field a task needs, with the
-- message and subject sources resolved (step's own text, else its message template, else
-- its task template's), so restarting re-renders the same words even if a template
-- changed or was deleted since.
create function private.sequence_template_snapshot(p_template_id uuid) returns jsonb
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
    'message_template_id', coalesce(mt.id, tmt.id),
    'custom_message', s.custom_message,
    'message', coalesce(s.custom_message, mt.message_content, tmt.message_content, tt.default_message),
    'subject', case when s.custom_message is null then coalesce(mt.subject, tmt.subject) end,
    'delay_value', s.delay_value,
    'delay_unit', s.delay_unit,
    'assigned_to_override', s.assigned_to_override,
    'metadata', s.metadata
  ) order by s.step_order), '[]'::jsonb)
  from public.sequence_steps as s
  left join public.message_templates as mt on mt.id = s.message_template_id
  left join public.task_templates as tt on tt.id = s.task_template_id
  left join public.message_templates as tmt on tmt.id = tt.message_template_id
  where s.sequence_template_id = p_template_id);
end;
$$;

comment on function private.sequence_template_snapshot(uuid) is
  'The template''s steps as jsonb, message sources resolved: what steps_snapshot keeps.';


-- Render warnings ([{variable, problem}]) as sentences for an RPC's warnings list.
create function private.render_warning_texts(p_warnings jsonb) returns text[]
language sql
immutable
set search_path = ''
as $$
  select coalesce(array_agg(
    case w ->> 'problem'
      when 'unknown' then format('the message uses {%s}, which is not a known variable', w ->> 'variable')
      when 'empty' then format('{%s} is empty for this restaurant and has no fallback', w ->> 'variable')
      else format('{%s}: %s', w ->> 'variable', w ->> 'problem')
    end
  ), '{}')
  from jsonb_array_elements(coalesce(p_warnings, '[]'::jsonb)) as w;
$$;

comment on function private.render_warning_texts(jsonb) is
  'Turns render_message warnings into readable sentences.';


-- Makes an instance and all its tasks from a steps snapshot: the first task active with
-- its due date, the rest pending without one (seed 001, decision 1). Messages are
-- rendered per task for the restaurant and the task's assignee, as render_message would:
-- the render context (private.render_context) is read once for the instance's assignee,
-- and text without a "{" skips the renderer (private.render_with_context).
create function private.sequence_create_instance(
  p_organisation_id uuid,
  p_template_id uuid,
  p_template_name text,
  p_restaurant_id uuid,
  p_assigned_to uuid,
  p_created_by uuid,
  p_steps jsonb,
  p_start_delay_value integer,
  p_start_delay_unit text,
  p_metadata jsonb
) returns public.sequence_instances
language plpgsql
set search_path = ''
as $$
declare
  v_restaurant_name text;
  v_time_zone text;
  v_instance public.sequence_instances;
  v_constraint text;
  v_from timestamptz;
  v_context jsonb;
begin
  select r.name into strict v_restaurant_name from public.restaurants as r where r.id = p_restaurant_id;
  -- The date in the name is the organisation's local date.
  select c.time_zone into v_time_zone from public.business_calendars as c where c.organisation_id = p_organisation_id;

  begin
    insert into public.sequence_instances (
      organisation_id, sequence_template_id, restaurant_id, name, status, current_step_order,
      total_steps, assigned_to, created_by, started_at, steps_snapshot, metadata
    )
    values (
      p_organisation_id, p_template_id, p_restaurant_id,
      left(format('%s – %s – %s', p_template_name, v_restaurant_name,
        to_char(now() at time zone coalesce(v_time_zone, 'UTC'), 'YYYY-MM-DD')), 400),
      'active', 1, jsonb_array_length(p_steps), p_assigned_to, p_created_by, now(), p_steps,
      coalesce(p_metadata, '{}'::jsonb)
    )
    returning * into v_instance;
  exception
    when unique_violation then
      get stacked diagnostics v_constraint = constraint_name;
      if v_constraint = 'sequence_instances_one_running_per_restaurant' then
        raise exception 'this restaurant already runs %', p_template_name
          using errcode = '23505', hint = 'pause, cancel or finish the running one first';
      end if;
      raise;
  end;

  v_from := private.calendar_due_date(p_organisation_id, now(), p_start_delay_value, p_start_delay_unit);

  -- The render context (restaurant, assignee, organisation) is read once for the instance's
  -- assignee; a step with another assignee reads its own. Text without a "{" has no
  -- placeholder, so it renders to itself with no warnings and skips the renderer.
  v_context := private.render_context(p_restaurant_id, p_assigned_to);

  -- Rendered once per step in a materialised CTE: a lateral subquery referenced several
  -- times would be flattened and call render_message once per reference.
  with s as materialized (
    select
      x.step,
      x.ord,
      a.assignee,
      case when x.step ->> 'message' is not null
        then private.render_with_context(x.step ->> 'message', case when a.assignee = p_assigned_to
          then v_context else private.render_context(p_restaurant_id, a.assignee) end) end as m,
      case when x.step ->> 'subject' is not null
        then private.render_with_context(x.step ->> 'subject', case when a.assignee = p_assigned_to
          then v_context else private.render_context(p_restaurant_id, a.assignee) end) end as sub
    from jsonb_array_elements(p_steps) with ordinality as x (step, ord)
    -- A per-step assignee who has since left the organisation falls back to the instance's.
    cross join lateral (
      select case
        when private.is_organisation_member(p_organisation_id, (x.step ->> 'assigned_to_override')::uuid)
          then (x.step ->> 'assigned_to_override')::uuid
        else p_assigned_to
      end as assignee
    ) as a
  )
  insert into public.tasks (
    organisation_id, restaurant_id, name, description, type, priority, status, due_date,
    assigned_to, task_template_id, message_template_id, message, subject, metadata,
    sequence_instance_id, sequence_step_order, sequence_step_id, sequence_delay_value,
    sequence_delay_unit, activated_at, created_by
  )
  select
    p_organisation_id,
    p_restaurant_id,
    s.step ->> 'name',
    s.step ->> 'description',
    coalesce(s.step ->> 'type', 'internal_activity'),
    coalesce(s.step ->> 'priority', 'medium'),
    case when s.ord = 1 then 'active' else 'pending' end,
    case when s.ord = 1 then private.calendar_due_date(
      p_organisation_id, v_from, coalesce((s.step ->> 'delay_value')::integer, 0),
      coalesce(s.step ->> 'delay_unit', 'days')
    ) end,
    s.assignee,
    tt.id,
    mt.id,
    s.m ->> 'text',
    s.sub ->> 'text',
    case
      when jsonb_array_length(coalesce(s.m -> 'warnings', '[]') || coalesce(s.sub -> 'warnings', '[]')) > 0
        then jsonb_build_object('render_warnings',
          coalesce(s.m -> 'warnings', '[]') || coalesce(s.sub -> 'warnings', '[]'))
      else '{}'::jsonb
    end,
    v_instance.id,
    s.ord,
    (s.step ->> 'id')::uuid,
    coalesce((s.step ->> 'delay_value')::integer, 0),
    coalesce(s.step ->> 'delay_unit', 'days'),
    case when s.ord = 1 then now() end,
    p_created_by
  from s
  -- Templates deleted since the snapshot are simply not linked.
  left join public.task_templates as tt
    on tt.organisation_id = p_organisation_id and tt.id = (s.step ->> 'task_template_id')::uuid
  left join public.message_templates as mt
    on mt.organisation_id = p_organisation_id and mt.id = (s.step ->> 'message_template_id')::uuid
  order by s.ord;

  return v_instance;
end;
$$;

comment on function private.sequence_create_instance(uuid, uuid, text, uuid, uuid, uuid, jsonb, integer, text, jsonb) is
  'Inserts an instance and all its tasks from a steps snapshot (first active with its due date, the rest pending); 23505 if one already runs.';


-- After a task of a locked instance finished or was removed: make the state consistent.
-- If a task is active, only current_step_order follows it. Otherwise the first pending
-- task becomes active with its due date counted from now (running instances) or just
-- becomes current (paused ones). With nothing left open the instance is completed.
-- Returns the task it activated, if any. Reads only the instance and task columns it uses,
-- so the instance's steps_snapshot is never detoasted on the way.
create function private.sequence_settle(p_instance_id uuid) returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_organisation_id uuid;
  v_status text;
  v_step integer;
  v_task_id uuid;
  v_task_step integer;
  v_delay_value integer;
  v_delay_unit text;
begin
  select i.organisation_id, i.status, i.current_step_order into strict v_organisation_id, v_status, v_step
  from public.sequence_instances as i where i.id = p_instance_id;
  if v_status not in ('active', 'paused') then
    return null;
  end if;

  select t.sequence_step_order into v_task_step
  from public.tasks as t
  where t.sequence_instance_id = p_instance_id and t.status = 'active'
  order by t.sequence_step_order
  limit 1;
  if found then
    if v_step <> v_task_step then
      update public.sequence_instances as i
      set current_step_order = v_task_step
      where i.id = p_instance_id;
    end if;
    return null;
  end if;

  select t.id, t.sequence_step_order, t.sequence_delay_value, t.sequence_delay_unit
  into v_task_id, v_task_step, v_delay_value, v_delay_unit
  from public.tasks as t
  where t.sequence_instance_id = p_instance_id and t.status = 'pending'
  order by t.sequence_step_order
  limit 1;
  if found then
    update public.sequence_instances as i
    set current_step_order = v_task_step
    where i.id = p_instance_id;
    if v_status = 'paused' then
      return null;
    end if;
    update public.tasks as t
    set status = 'active',
        activated_at = now(),
        due_date = private.calendar_due_date(
          v_organisation_id, now(), coalesce(v_delay_value, 0), coalesce(v_delay_unit, 'days'))
    where t.id = v_task_id;
    return v_task_id;
  end if;

  update public.sequence_instances as i
  set status = 'completed',
      completed_at = now(),
      resume_at = null,
      current_step_order = coalesce(
        (select max(t.sequence_step_order) from public.tasks as t where t.sequence_instance_id = p_instance_id), 0)
  where i.id = p_instance_id;
  return null;
end;
$$;

comment on function private.sequence_settle(uuid) is
  'Activates the next pending task of a locked running instance (or completes the instance); returns the activated task id.';


-- Resumes a locked paused instance: its active task's due date counts from now; with no
-- active task (it was finished during the pause) the next pending one activates.
create function private.sequence_resume(p_instance_id uuid) returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_organisation_id uuid;
begin
  update public.sequence_instances as i
  set status = 'active', resumed_at = now(), resume_at = null
  where i.id = p_instance_id and i.status = 'paused'
  returning i.organisation_id into v_organisation_id;
  if not found then
    return null;
  end if;

  update public.tasks as t
  set due_date = private.calendar_due_date(
    v_organisation_id, now(), coalesce(t.sequence_delay_value, 0), coalesce(t.sequence_delay_unit, 'days'))
  where t.sequence_instance_id = p_instance_id and t.status = 'active';

  return private.sequence_settle(p_instance_id);
end;
$$;

comment on function private.sequence_resume(uuid) is
  'Resumes a locked paused instance; the active task''s due date counts from now.';


-- Ends a locked running instance: open tasks (pending, active) become cancelled and stay
-- visible as from a cancelled sequence; completed and skipped ones stay as they are.
create function private.sequence_cancel(p_instance_id uuid, p_exit_reason text) returns void
language plpgsql
set search_path = ''
as $$
begin
  update public.tasks as t
  set status = 'cancelled', cancelled_at = now()
  where t.sequence_instance_id = p_instance_id and t.status in ('pending', 'active');

  update public.sequence_instances as i
  set status = 'cancelled', cancelled_at = now(), resume_at = null, exit_reason = p_exit_reason
  where i.id = p_instance_id;
end;
$$;

comment on function private.sequence_cancel(uuid, text) is
  'Cancels a locked running instance and its open tasks, recording the reason (null when a user cancelled it).';


-- The RPC result shared by complete_task, skip_task and the editing RPCs. The instance is
-- every column but steps_snapshot (the start snapshot, which nothing reads there: the app
-- uses id, name, status, total_steps and current_step_order; start_sequence and
-- restart_sequence still return the whole row).
create function private.task_result(
  p_task jsonb,
  p_next_task_id uuid,
  p_instance_id uuid,
  p_warnings text[]
) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_build_object(
    'task', p_task,
    'next_task', (select to_jsonb(t) from public.tasks as t where t.id = p_next_task_id),
    'instance', (
      select to_jsonb(x) from (
        select i.id, i.organisation_id, i.sequence_template_id, i.restaurant_id, i.name, i.status,
          i.current_step_order, i.total_steps, i.assigned_to, i.created_by, i.started_at,
          i.paused_at, i.resume_at, i.resumed_at, i.completed_at, i.cancelled_at, i.exit_reason,
          i.is_modified, i.metadata, i.created_at, i.updated_at
        from public.sequence_instances as i
        where i.id = p_instance_id
      ) as x
    ),
    'warnings', to_jsonb(coalesce(p_warnings, '{}'::text[]))
  );
end;
$$;

comment on function private.task_result(jsonb, uuid, uuid, text[]) is
  'A task RPC''s answer: {task, next_task, instance (without steps_snapshot), warnings}.';


-- complete_task and skip_task: one transaction that locks the instance before it reads
-- any task state, so concurrent calls serialise and activate the next step exactly once.
-- Reads only the instance columns it uses (not the steps_snapshot).
create function private.finish_task(p_task_id uuid, p_status text) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_task public.tasks;
  v_instance_id uuid;
  v_instance_status text;
  v_instance_step integer;
  v_current integer;
  v_next_id uuid;
  v_warnings text[] := '{}';
begin
  v_instance_id := (private.visible_task(p_task_id)).sequence_instance_id;

  if v_instance_id is not null then
    select i.id, i.status, i.current_step_order into v_instance_id, v_instance_status, v_instance_step
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

  update public.tasks as t
  set status = p_status,
      completed_at = case when p_status = 'completed' then now() end,
      completed_by = case when p_status = 'completed' then v_user_id end,
      skipped_at = case when p_status = 'skipped' then now() end
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
  end if;

  return private.task_result(to_jsonb(v_task), v_next_id, v_instance_id, v_warnings);
end;
$$;

comment on function private.finish_task(uuid, text) is
  'complete_task/skip_task: finishes a task under the instance lock and activates the next step.';


revoke execute on function private.visible_restaurant(uuid) from public, anon, authenticated;
revoke execute on function private.visible_sequence_template(uuid) from public, anon, authenticated;
revoke execute on function private.lock_visible_sequence_template(uuid) from public, anon, authenticated;
revoke execute on function private.visible_sequence_instance(uuid) from public, anon, authenticated;
revoke execute on function private.lock_visible_sequence_instance(uuid) from public, anon, authenticated;
revoke execute on function private.visible_task(uuid) from public, anon, authenticated;
revoke execute on function private.sequence_template_snapshot(uuid) from public, anon, authenticated;
revoke execute on function private.render_warning_texts(jsonb) from public, anon, authenticated;
revoke execute on function private.sequence_create_instance(uuid, uuid, text, uuid, uuid, uuid, jsonb, integer, text, jsonb)
  from public, anon, authenticated;
revoke execute on function private.sequence_settle(uuid) from public, anon, authenticated;
revoke execute on function private.sequence_resume(uuid) from public, anon, authenticated;
revoke execute on function private.sequence_cancel(uuid, text) from public, anon, authenticated;
revoke execute on function private.task_result(jsonb, uuid, uuid, text[]) from public, anon, authenticated;
revoke execute on function private.finish_task(uuid, text) from public, anon, authenticated;
