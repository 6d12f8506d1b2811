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


-- Creates (no id) or updates (id) a template and replaces its steps, in one transaction:
-- the template and each step are written by one upsert each.
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

      -- The step's own id when it is one of this template's (analytics keep following it),
      -- else a new one.
      select s.id into v_step_id
      from public.sequence_steps as s
      where s.id = nullif(v_step ->> 'id', '')::uuid and s.sequence_template_id = v_template.id;
      insert into public.sequence_steps (
        id, organisation_id, sequence_template_id, step_order, name, description, type, priority,
        task_template_id, message_template_id, custom_message, delay_value, delay_unit,
        assigned_to_override, metadata
      )
      values (
        coalesce(v_step_id, gen_random_uuid()), v_template.organisation_id, v_template.id, v_order, v_name,
        v_step ->> 'description',
        coalesce(v_step ->> 'type', v_task_template.type, 'internal_activity'),
        coalesce(v_step ->> 'priority', v_task_template.priority, 'medium'),
        v_task_template.id, nullif(v_step ->> 'message_template_id', '')::uuid, v_step ->> 'custom_message',
        coalesce((v_step ->> 'delay_value')::integer, 0), coalesce(v_step ->> 'delay_unit', 'days'),
        nullif(v_step ->> 'assigned_to_override', '')::uuid,
        coalesce(nullif(v_step -> 'metadata', 'null'::jsonb), '{}'::jsonb)
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
        metadata = excluded.metadata;
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
  v_template := private.visible_sequence_template(p_template_id);

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
