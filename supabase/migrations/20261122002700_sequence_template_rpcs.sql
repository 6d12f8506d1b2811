-- The sequence builder's Save, and the per-template analytics.

-- A jsonb array of strings as text[] (null -> '{}'); 22023 for anything else.
create function private.jsonb_text_array(p_value jsonb, p_field text) returns text[]
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_value is null or jsonb_typeof(p_value) = 'null' then
    return '{}';
  end if;
  if jsonb_typeof(p_value) <> 'array'
    or exists (select 1 from jsonb_array_elements(p_value) as e where jsonb_typeof(e) <> 'string') then
    raise exception '% must be an array of strings', p_field using errcode = '22023';
  end if;
  return array(select jsonb_array_elements_text(p_value));
end;
$$;

comment on function private.jsonb_text_array(jsonb, text) is 'jsonb array of strings -> text[]; 22023 otherwise.';
revoke execute on function private.jsonb_text_array(jsonb, text) from public, anon, authenticated;


-- Creates (no id) or updates (id) a template and replaces its steps, in one transaction.
-- p_template: { id?, organisation_id (to create), name, description, tags, is_active,
--   start_delay_value, start_delay_unit, exit_stages, metadata }; on update, absent keys
--   keep their value.
-- p_steps: the steps in order (step_order = position, 1-based); null leaves the steps as
--   they are. A step with the id of one of this template's steps updates it (so analytics
--   keep following it), one without an id is added, and steps not listed are deleted.
--   A step's task_template_id fills its name, type and priority when they are absent.
-- Rights as for the table: members create; the creator and owners/admins edit (42501).
create function public.save_sequence_template(p_template jsonb, p_steps jsonb default null)
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
  if p_template ? 'start_delay_value' and (p_template ->> 'start_delay_value')::integer < 0 then
    raise exception 'the start delay must be zero or more' using errcode = '22023';
  end if;

  v_id := nullif(p_template ->> 'id', '')::uuid;
  if v_id is not null then
    select t.* into v_template
    from public.sequence_templates as t
    where t.id = v_id and t.organisation_id in (select private.user_organisation_ids())
    for update;
    if not found then
      perform private.raise_not_found('sequence template not found');
    end if;
    if v_template.organisation_id not in (select private.user_admin_organisation_ids())
      and v_template.created_by is distinct from v_user_id then
      raise exception 'only its creator or an owner or admin can change this sequence template'
        using errcode = '42501';
    end if;

    update public.sequence_templates as t
    set name = case when p_template ? 'name' then btrim(p_template ->> 'name') else t.name end,
        description = case when p_template ? 'description' then p_template ->> 'description' else t.description end,
        tags = case when p_template ? 'tags' then private.jsonb_text_array(p_template -> 'tags', 'tags') else t.tags end,
        is_active = case when p_template ? 'is_active' then coalesce((p_template ->> 'is_active')::boolean, t.is_active) else t.is_active end,
        start_delay_value = case when p_template ? 'start_delay_value' then coalesce((p_template ->> 'start_delay_value')::integer, 0) else t.start_delay_value end,
        start_delay_unit = case when p_template ? 'start_delay_unit' then coalesce(p_template ->> 'start_delay_unit', 'days') else t.start_delay_unit end,
        exit_stages = case when p_template ? 'exit_stages' then private.jsonb_text_array(p_template -> 'exit_stages', 'exit_stages') else t.exit_stages end,
        metadata = case when p_template ? 'metadata' then coalesce(p_template -> 'metadata', '{}'::jsonb) else t.metadata end
    where t.id = v_id
    returning * into v_template;
  else
    v_organisation_id := nullif(p_template ->> 'organisation_id', '')::uuid;
    if v_organisation_id is null then
      raise exception 'organisation_id is required to create a sequence template' using errcode = '22023';
    end if;
    if v_organisation_id not in (select private.user_organisation_ids()) then
      raise exception 'you are not a member of that organisation' using errcode = '42501';
    end if;

    insert into public.sequence_templates (
      organisation_id, name, description, tags, is_active, start_delay_value, start_delay_unit,
      exit_stages, metadata, created_by
    )
    values (
      v_organisation_id,
      btrim(p_template ->> 'name'),
      p_template ->> 'description',
      private.jsonb_text_array(p_template -> 'tags', 'tags'),
      coalesce((p_template ->> 'is_active')::boolean, true),
      coalesce((p_template ->> 'start_delay_value')::integer, 0),
      coalesce(p_template ->> 'start_delay_unit', 'days'),
      private.jsonb_text_array(p_template -> 'exit_stages', 'exit_stages'),
      coalesce(nullif(p_template -> 'metadata', 'null'::jsonb), '{}'::jsonb),
      v_user_id
    )
    returning * into v_template;
  end if;

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
      if nullif(v_step ->> 'assigned_to_override', '') is not null and not exists (
        select 1 from public.organisation_members as m
        where m.user_id = (v_step ->> 'assigned_to_override')::uuid and m.organisation_id = v_template.organisation_id
      ) then
        raise exception 'step %: the assignee must be a member of the organisation', v_order using errcode = '22023';
      end if;
      v_name := coalesce(nullif(btrim(v_step ->> 'name'), ''), v_task_template.name);
      if v_name is null then
        raise exception 'step %: a name (or a task template) is required', v_order using errcode = '22023';
      end if;

      v_step_id := nullif(v_step ->> 'id', '')::uuid;
      update public.sequence_steps as s
      set step_order = v_order,
          name = v_name,
          description = v_step ->> 'description',
          type = coalesce(v_step ->> 'type', v_task_template.type, 'internal_activity'),
          priority = coalesce(v_step ->> 'priority', v_task_template.priority, 'medium'),
          task_template_id = v_task_template.id,
          message_template_id = nullif(v_step ->> 'message_template_id', '')::uuid,
          custom_message = v_step ->> 'custom_message',
          delay_value = coalesce((v_step ->> 'delay_value')::integer, 0),
          delay_unit = coalesce(v_step ->> 'delay_unit', 'days'),
          assigned_to_override = nullif(v_step ->> 'assigned_to_override', '')::uuid,
          metadata = coalesce(nullif(v_step -> 'metadata', 'null'::jsonb), '{}'::jsonb)
      where s.id = v_step_id and s.sequence_template_id = v_template.id;

      if not found then
        insert into public.sequence_steps (
          organisation_id, sequence_template_id, step_order, name, description, type, priority,
          task_template_id, message_template_id, custom_message, delay_value, delay_unit,
          assigned_to_override, metadata
        )
        values (
          v_template.organisation_id, v_template.id, v_order, v_name, v_step ->> 'description',
          coalesce(v_step ->> 'type', v_task_template.type, 'internal_activity'),
          coalesce(v_step ->> 'priority', v_task_template.priority, 'medium'),
          v_task_template.id, nullif(v_step ->> 'message_template_id', '')::uuid, v_step ->> 'custom_message',
          coalesce((v_step ->> 'delay_value')::integer, 0), coalesce(v_step ->> 'delay_unit', 'days'),
          nullif(v_step ->> 'assigned_to_override', '')::uuid,
          coalesce(nullif(v_step -> 'metadata', 'null'::jsonb), '{}'::jsonb)
        );
      end if;
    end loop;
  end if;

  return v_template;
end;
$$;

comment on function public.save_sequence_template(jsonb, jsonb) is
  'Creates or updates a sequence template with all its steps in one transaction (the builder''s Save).';


-- Analytics per step follow tasks.sequence_step_id.
create index tasks_sequence_step_id_idx on public.tasks (sequence_step_id);

-- Instances started/running/completed/cancelled, and per current step of the template:
-- how many instances reached it (it became active, or was done ahead), completed or
-- skipped it, and the median seconds from activation to completion.
create function public.sequence_template_stats(p_template_id uuid) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_template public.sequence_templates;
begin
  perform private.require_user();
  select t.* into v_template
  from public.sequence_templates as t
  where t.id = p_template_id and t.organisation_id in (select private.user_organisation_ids());
  if not found then
    perform private.raise_not_found('sequence template not found');
  end if;

  return (
    select jsonb_build_object(
      'started', count(*),
      'active', count(*) filter (where i.status in ('active', 'paused')),
      'paused', count(*) filter (where i.status = 'paused'),
      'completed', count(*) filter (where i.status = 'completed'),
      'cancelled', count(*) filter (where i.status = 'cancelled'),
      'steps', (
        select coalesce(jsonb_agg(jsonb_build_object(
          'step_id', s.id,
          'step_order', s.step_order,
          'name', s.name,
          'reached', f.reached,
          'completed', f.completed,
          'skipped', f.skipped,
          'median_seconds', f.median_seconds
        ) order by s.step_order), '[]'::jsonb)
        from public.sequence_steps as s
        cross join lateral (
          select
            count(*) filter (where t.activated_at is not null or t.status in ('completed', 'skipped')) as reached,
            count(*) filter (where t.status = 'completed') as completed,
            count(*) filter (where t.status = 'skipped') as skipped,
            percentile_cont(0.5) within group (order by extract(epoch from t.completed_at - t.activated_at))
              filter (where t.status = 'completed' and t.activated_at is not null) as median_seconds
          from public.tasks as t
          where t.sequence_step_id = s.id
        ) as f
        where s.sequence_template_id = v_template.id
      )
    )
    from public.sequence_instances as i
    where i.sequence_template_id = v_template.id
  );
end;
$$;

comment on function public.sequence_template_stats(uuid) is
  '{started, active, paused, completed, cancelled, steps: [{step_id, step_order, name, reached, completed, skipped, median_seconds}]} for one template.';


revoke execute on function public.save_sequence_template(jsonb, jsonb) from public, anon, service_role;
revoke execute on function public.sequence_template_stats(uuid) from public, anon, service_role;
grant execute on function public.save_sequence_template(jsonb, jsonb) to authenticated;
grant execute on function public.sequence_template_stats(uuid) to authenticated;
