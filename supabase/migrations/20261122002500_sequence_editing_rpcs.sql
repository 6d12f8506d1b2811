-- Editing a running instance (seed 001, decision 2: allowed, with the instance marked
-- modified): insert an ad-hoc task, change a pending step's delay, delete a task. The
-- snapshot is not edited: it stays what the template was at start. Each returns
-- { task, next_task, instance, warnings } like complete_task.

-- Inserts a task at p_position (1-based; null = at the end). It goes after the active
-- step (the past is not rewritten), as pending, so it activates in its turn.
-- p_task: { name, description, type, priority, task_template_id, message_template_id,
--           message, subject, delay_value, delay_unit, assigned_to }; the task
-- template fills what is missing; the message is rendered for the restaurant.
create function public.insert_sequence_task(p_instance_id uuid, p_position integer, p_task jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_instance public.sequence_instances := private.lock_visible_sequence_instance(p_instance_id);
  v_task_template public.task_templates;
  v_message_template public.message_templates;
  v_first_allowed integer;
  v_position integer;
  v_assignee uuid;
  v_message jsonb;
  v_subject jsonb;
  v_render_warnings jsonb;
  v_task public.tasks;
begin
  if v_instance.status not in ('active', 'paused') then
    raise exception 'tasks can be inserted only into a running sequence (this one is %)', v_instance.status
      using errcode = '22023';
  end if;
  if p_task is null or jsonb_typeof(p_task) <> 'object' then
    raise exception 'p_task must be a JSON object' using errcode = '22023';
  end if;

  if nullif(p_task ->> 'task_template_id', '') is not null then
    select tt.* into v_task_template
    from public.task_templates as tt
    where tt.id = (p_task ->> 'task_template_id')::uuid and tt.organisation_id = v_instance.organisation_id;
    if not found then
      raise exception 'task template not found in this organisation' using errcode = '22023';
    end if;
  end if;
  if coalesce(nullif(p_task ->> 'message_template_id', ''), v_task_template.message_template_id::text) is not null then
    select mt.* into v_message_template
    from public.message_templates as mt
    where mt.id = coalesce((nullif(p_task ->> 'message_template_id', ''))::uuid, v_task_template.message_template_id)
      and mt.organisation_id = v_instance.organisation_id;
    if not found then
      raise exception 'message template not found in this organisation' using errcode = '22023';
    end if;
  end if;

  -- After the active task; with none (paused after finishing it), at or after the next pending.
  select coalesce(
    (select t.sequence_step_order + 1 from public.tasks as t
     where t.sequence_instance_id = v_instance.id and t.status = 'active'),
    (select min(t.sequence_step_order) from public.tasks as t
     where t.sequence_instance_id = v_instance.id and t.status = 'pending'),
    v_instance.total_steps + 1
  ) into v_first_allowed;
  v_position := coalesce(p_position, v_instance.total_steps + 1);
  if v_position < v_first_allowed or v_position > v_instance.total_steps + 1 then
    raise exception 'position must be between % and % (after the active step)', v_first_allowed, v_instance.total_steps + 1
      using errcode = '22023';
  end if;

  v_assignee := coalesce(nullif(p_task ->> 'assigned_to', '')::uuid, v_instance.assigned_to, v_user_id);
  if not private.is_organisation_member(v_instance.organisation_id, v_assignee) then
    raise exception 'the assignee must be a member of the organisation' using errcode = '22023';
  end if;

  if coalesce(p_task ->> 'message', v_message_template.message_content, v_task_template.default_message) is not null then
    v_message := private.render_message(
      coalesce(p_task ->> 'message', v_message_template.message_content, v_task_template.default_message),
      v_instance.restaurant_id, v_assignee);
  end if;
  if coalesce(p_task ->> 'subject', v_message_template.subject) is not null then
    v_subject := private.render_message(
      coalesce(p_task ->> 'subject', v_message_template.subject), v_instance.restaurant_id, v_assignee);
  end if;
  v_render_warnings := coalesce(v_message -> 'warnings', '[]') || coalesce(v_subject -> 'warnings', '[]');

  update public.tasks as t
  set sequence_step_order = t.sequence_step_order + 1
  where t.sequence_instance_id = v_instance.id and t.sequence_step_order >= v_position;

  insert into public.tasks (
    organisation_id, restaurant_id, name, description, type, priority, status, assigned_to,
    task_template_id, message_template_id, message, subject, metadata, sequence_instance_id,
    sequence_step_order, sequence_delay_value, sequence_delay_unit, created_by
  )
  values (
    v_instance.organisation_id, v_instance.restaurant_id,
    coalesce(nullif(btrim(p_task ->> 'name'), ''), v_task_template.name),
    coalesce(p_task ->> 'description', v_task_template.description),
    coalesce(p_task ->> 'type', v_task_template.type, 'internal_activity'),
    coalesce(p_task ->> 'priority', v_task_template.priority, 'medium'),
    'pending', v_assignee, v_task_template.id, v_message_template.id,
    v_message ->> 'text', v_subject ->> 'text',
    case when jsonb_array_length(v_render_warnings) > 0
      then jsonb_build_object('render_warnings', v_render_warnings) else '{}'::jsonb end,
    v_instance.id, v_position,
    coalesce((p_task ->> 'delay_value')::integer, 0),
    coalesce(p_task ->> 'delay_unit', 'days'),
    v_user_id
  )
  returning * into v_task;

  update public.sequence_instances as i
  set total_steps = i.total_steps + 1, is_modified = true
  where i.id = v_instance.id;
  perform private.sequence_settle(v_instance.id);

  return private.task_result(to_jsonb(v_task), null, v_instance.id, private.render_warning_texts(v_render_warnings));
end;
$$;

comment on function public.insert_sequence_task(uuid, integer, jsonb) is
  'Inserts a pending task into a running instance after its active step; marks the instance modified.';


-- Changes the delay of a pending step (its due date is computed when it activates).
create function public.update_sequence_task_delay(p_task_id uuid, p_delay_value integer, p_delay_unit text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_task public.tasks;
  v_instance public.sequence_instances;
begin
  v_task := private.visible_task(p_task_id);
  if v_task.sequence_instance_id is null then
    raise exception 'this task is not part of a sequence: change its due date instead' using errcode = '22023';
  end if;
  if p_delay_value is null or p_delay_value < 0 then
    raise exception 'the delay must be zero or more' using errcode = '22023';
  end if;
  if p_delay_unit is null or p_delay_unit not in ('minutes', 'hours', 'days') then
    raise exception 'the delay unit must be minutes, hours or days' using errcode = '22023';
  end if;

  v_instance := private.lock_visible_sequence_instance(v_task.sequence_instance_id);
  select t.* into v_task from public.tasks as t where t.id = p_task_id for update;
  if not found or v_task.sequence_instance_id is distinct from v_instance.id then
    perform private.raise_http(404, 'P0002', 'task not found');
  end if;
  if v_task.status <> 'pending' then
    raise exception 'only a pending step''s delay can be changed (this one is %)', v_task.status
      using errcode = '22023';
  end if;

  update public.tasks as t
  set sequence_delay_value = p_delay_value, sequence_delay_unit = p_delay_unit
  where t.id = p_task_id
  returning * into v_task;

  update public.sequence_instances as i set is_modified = true where i.id = v_instance.id;

  return private.task_result(to_jsonb(v_task), null, v_instance.id, '{}');
end;
$$;

comment on function public.update_sequence_task_delay(uuid, integer, text) is
  'Changes a pending sequence step''s delay; marks the instance modified.';


-- Deletes a sequence task (seed 001, decision 2, option B). The steps after it move up;
-- deleting the active task activates the next pending one (unless paused); with no open
-- task left, a running instance is completed.
create function public.delete_sequence_task(p_task_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_task public.tasks;
  v_instance public.sequence_instances;
  v_next_id uuid;
  v_warnings text[] := '{}';
begin
  v_task := private.visible_task(p_task_id);
  if v_task.sequence_instance_id is null then
    raise exception 'this task is not part of a sequence: delete it directly' using errcode = '22023';
  end if;

  v_instance := private.lock_visible_sequence_instance(v_task.sequence_instance_id);
  delete from public.tasks as t
  where t.id = p_task_id and t.sequence_instance_id = v_instance.id
  returning * into v_task;
  if not found then
    perform private.raise_http(404, 'P0002', 'task not found');
  end if;

  update public.tasks as t
  set sequence_step_order = t.sequence_step_order - 1
  where t.sequence_instance_id = v_instance.id and t.sequence_step_order > v_task.sequence_step_order;

  update public.sequence_instances as i
  set total_steps = i.total_steps - 1,
      is_modified = true,
      current_step_order = case
        when i.status in ('active', 'paused') then i.current_step_order
        else least(i.current_step_order, i.total_steps - 1)
      end
  where i.id = v_instance.id;

  if v_instance.status in ('active', 'paused') then
    v_next_id := private.sequence_settle(v_instance.id);
    if exists (
      select 1 from public.sequence_instances as i where i.id = v_instance.id and i.status = 'completed'
    ) then
      v_warnings := v_warnings || 'no open step was left, so the sequence is completed'::text;
    elsif v_task.status = 'active' and v_next_id is not null then
      v_warnings := v_warnings || 'the active step was deleted; the next step is now active'::text;
    elsif v_task.status = 'active' and v_instance.status = 'paused' then
      v_warnings := v_warnings || 'the sequence is paused: the next step becomes active when it resumes'::text;
    end if;
  end if;

  return private.task_result(to_jsonb(v_task), v_next_id, v_instance.id, v_warnings);
end;
$$;

comment on function public.delete_sequence_task(uuid) is
  'Deletes a sequence task, renumbers the rest, activates the next if it was active; marks the instance modified.';


revoke execute on function public.insert_sequence_task(uuid, integer, jsonb) from public, anon, service_role;
revoke execute on function public.update_sequence_task_delay(uuid, integer, text) from public, anon, service_role;
revoke execute on function public.delete_sequence_task(uuid) from public, anon, service_role;
grant execute on function public.insert_sequence_task(uuid, integer, jsonb) to authenticated;
grant execute on function public.update_sequence_task_delay(uuid, integer, text) to authenticated;
grant execute on function public.delete_sequence_task(uuid) to authenticated;
