-- Sequence RPCs, faster on their hot paths (start, complete/skip), same behaviour:
--   * membership checked with an indexed exists on organisation_members for the caller,
--     instead of `in (select private.user_organisation_ids())` (a SQL function is planned
--     again on every call from plpgsql; plpgsql caches its statements' plans);
--   * the snapshot and result builders are plpgsql for the same reason;
--   * each step's message is rendered once (materialised CTE) instead of once per
--     reference to a flattened lateral subquery.
-- Measured on the native stack (2 busy cores), 10-step template with 5 rendered messages,
-- 100 calls over one direct connection: start_sequence median 10.4 -> 5.3 ms (render_message
-- 20 -> 5 calls per start), complete_task 3.0 -> 2.0 ms, bulk start of 50: 469 -> 171 ms.

create or replace function private.lock_sequence_instance(p_instance_id uuid) returns public.sequence_instances
language plpgsql
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_instance public.sequence_instances;
begin
  select i.* into v_instance
  from public.sequence_instances as i
  where i.id = p_instance_id
    and exists (
      select 1 from public.organisation_members as m
      where m.organisation_id = i.organisation_id and m.user_id = v_user_id
    )
  for update of i;
  if not found then
    perform private.raise_not_found('sequence instance not found');
  end if;
  return v_instance;
end;
$$;


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


create or replace function private.sequence_create_instance(
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

  -- Rendered once per step in a materialised CTE: a lateral subquery referenced several
  -- times would be flattened and call render_message once per reference.
  with s as materialized (
    select
      x.step,
      x.ord,
      a.assignee,
      case when x.step ->> 'message' is not null
        then private.render_message(x.step ->> 'message', p_restaurant_id, a.assignee) end as m,
      case when x.step ->> 'subject' is not null
        then private.render_message(x.step ->> 'subject', p_restaurant_id, a.assignee) end as sub
    from jsonb_array_elements(p_steps) with ordinality as x (step, ord)
    -- A per-step assignee who has since left the organisation falls back to the instance's.
    cross join lateral (
      select coalesce(
        (select m.user_id from public.organisation_members as m
         where m.organisation_id = p_organisation_id
           and m.user_id = (x.step ->> 'assigned_to_override')::uuid),
        p_assigned_to
      ) as assignee
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


create or replace function private.task_result(
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
    'instance', (select to_jsonb(i) from public.sequence_instances as i where i.id = p_instance_id),
    'warnings', to_jsonb(coalesce(p_warnings, '{}'::text[]))
  );
end;
$$;


create or replace function private.finish_task(p_task_id uuid, p_status text) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_task public.tasks;
  v_instance public.sequence_instances;
  v_current integer;
  v_next_id uuid;
  v_warnings text[] := '{}';
begin
  select t.* into v_task
  from public.tasks as t
  where t.id = p_task_id
    and exists (
      select 1 from public.organisation_members as m
      where m.organisation_id = t.organisation_id and m.user_id = v_user_id
    );
  if not found then
    perform private.raise_not_found('task not found');
  end if;

  if v_task.sequence_instance_id is not null then
    select i.* into v_instance
    from public.sequence_instances as i
    where i.id = v_task.sequence_instance_id
    for update;
  end if;

  -- Re-read under the lock: another call may have finished this task meanwhile.
  select t.* into v_task from public.tasks as t where t.id = p_task_id for update;
  if not found then
    perform private.raise_not_found('task not found');
  end if;
  if v_task.sequence_instance_id is distinct from v_instance.id then
    raise exception 'the task left its sequence while being updated; try again' using errcode = '40001';
  end if;

  if v_task.status in ('completed', 'skipped') then
    v_warnings := array[format('this task was already %s; nothing changed', v_task.status)];
    return private.task_result(to_jsonb(v_task), null, v_instance.id, v_warnings);
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
    where t.sequence_instance_id = v_instance.id and t.status = 'active';
    v_warnings := v_warnings || case
      when v_current is not null then format(
        'step %s was %s ahead of step %s, which stays active', v_task.sequence_step_order, p_status, v_current)
      else format(
        'step %s was %s ahead of step %s', v_task.sequence_step_order, p_status, v_instance.current_step_order)
    end;
  end if;

  update public.tasks as t
  set status = p_status,
      completed_at = case when p_status = 'completed' then now() end,
      completed_by = case when p_status = 'completed' then v_user_id end,
      skipped_at = case when p_status = 'skipped' then now() end
  where t.id = p_task_id
  returning t.* into v_task;

  if v_instance.id is not null then
    v_next_id := private.sequence_settle(v_instance.id);
    if v_instance.status = 'paused' and exists (
      select 1 from public.tasks as t where t.sequence_instance_id = v_instance.id and t.status = 'pending'
    ) and not exists (
      select 1 from public.tasks as t where t.sequence_instance_id = v_instance.id and t.status = 'active'
    ) then
      v_warnings := v_warnings || 'the sequence is paused: the next step becomes active when it resumes'::text;
    end if;
  end if;

  return private.task_result(to_jsonb(v_task), v_next_id, v_instance.id, v_warnings);
end;
$$;


create or replace function public.start_sequence(
  p_template_id uuid,
  p_restaurant_id uuid,
  p_assigned_to uuid default null
) returns public.sequence_instances
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_template public.sequence_templates;
  v_restaurant public.restaurants;
  v_steps jsonb;
  v_assignee uuid;
  v_instance public.sequence_instances;
begin
  -- Locked first: concurrent starts of one template queue here, and see each other's
  -- instance in the check below (the unique index stays the last word).
  select t.* into v_template
  from public.sequence_templates as t
  where t.id = p_template_id
    and exists (
      select 1 from public.organisation_members as m
      where m.organisation_id = t.organisation_id and m.user_id = v_user_id
    )
  for no key update of t;
  if not found then
    perform private.raise_not_found('sequence template not found');
  end if;

  select r.* into v_restaurant
  from public.restaurants as r
  where r.id = p_restaurant_id
    and exists (
      select 1 from public.organisation_members as m
      where m.organisation_id = r.organisation_id and m.user_id = v_user_id
    );
  if not found then
    perform private.raise_not_found('restaurant not found');
  end if;

  if v_restaurant.organisation_id <> v_template.organisation_id then
    raise exception 'the sequence template and the restaurant belong to different organisations'
      using errcode = '22023';
  end if;
  if not v_template.is_active then
    raise exception 'the sequence template "%" is inactive', v_template.name
      using errcode = '22023', hint = 'activate it first';
  end if;
  if v_restaurant.lead_stage = any (v_template.exit_stages) then
    raise exception '% is at stage %, which ends "%"', v_restaurant.name, v_restaurant.lead_stage, v_template.name
      using errcode = '22023';
  end if;

  v_steps := private.sequence_template_snapshot(v_template.id);
  if jsonb_array_length(v_steps) = 0 then
    raise exception 'the sequence template "%" has no steps', v_template.name
      using errcode = '22023', hint = 'add at least one step';
  end if;

  if exists (
    select 1 from public.sequence_instances as i
    where i.sequence_template_id = v_template.id
      and i.restaurant_id = v_restaurant.id
      and i.status in ('active', 'paused')
  ) then
    raise exception 'this restaurant already runs %', v_template.name
      using errcode = '23505', hint = 'pause, cancel or finish the running one first';
  end if;

  v_assignee := coalesce(p_assigned_to, v_restaurant.assigned_sales_rep, v_user_id);
  if not exists (
    select 1 from public.organisation_members as m
    where m.organisation_id = v_template.organisation_id and m.user_id = v_assignee
  ) then
    raise exception 'the assignee must be a member of the organisation' using errcode = '22023';
  end if;

  v_instance := private.sequence_create_instance(
    v_template.organisation_id, v_template.id, v_template.name, v_restaurant.id, v_assignee, v_user_id,
    v_steps, v_template.start_delay_value, v_template.start_delay_unit,
    jsonb_build_object(
      'template_name', v_template.name,
      'start_delay_value', v_template.start_delay_value,
      'start_delay_unit', v_template.start_delay_unit,
      'exit_stages', to_jsonb(v_template.exit_stages)
    )
  );

  update public.sequence_templates as t
  set usage_count = t.usage_count + 1
  where t.id = v_template.id;

  return v_instance;
end;
$$;

