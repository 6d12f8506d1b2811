-- First day (issue 13 §5): a new organisation starts in its creator's time zone, seed 001's
-- "Demo Follow-up" can be copied in as a starter, and a restarted instance's name says so.
-- docs/sales-day/first-day.md.


-- create_organisation(name, time zone): the web app sends the browser's IANA zone so dates
-- and due times are local from the first day instead of UTC. create_organisation(text)
-- stays as it was (tests, scripts and the stack's own checks call it); this one calls it,
-- so making an organisation has one home. No default on p_time_zone: with one, PostgREST
-- could not tell the two apart when only p_name is sent.
create function public.create_organisation(p_name text, p_time_zone text)
returns public.organisations
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_zone text := nullif(btrim(p_time_zone), '');
  v_organisation public.organisations;
begin
  perform private.require_user();
  -- Checked before anything is made, so a bad zone is a 400 that changes nothing (the
  -- calendar's trigger would also refuse it, but as a 23514 about a table the caller never saw).
  if v_zone is not null
    and not exists (select 1 from pg_catalog.pg_timezone_names as z where z.name = v_zone) then
    perform private.raise_http(400, 'invalid_time_zone',
      format('unknown time zone "%s": use an IANA name such as Europe/London', left(v_zone, 64)));
  end if;

  v_organisation := public.create_organisation(p_name);

  -- Open around the clock (the table's defaults), only in the creator's zone: the owner
  -- narrows the hours in Settings → Calendar.
  if v_zone is not null then
    insert into public.business_calendars (organisation_id, time_zone)
    values (v_organisation.id, v_zone);
  end if;

  return v_organisation;
end;
$$;

comment on function public.create_organisation(text, text) is
  'Creates an organisation with the caller as owner and a business calendar in p_time_zone (an IANA name; null: no calendar, UTC). 400 invalid_time_zone.';

revoke execute on function public.create_organisation(text, text) from public, anon, service_role;
grant execute on function public.create_organisation(text, text) to authenticated;


-- The starter templates: seed 001's "Demo Follow-up" (7 steps over about two weeks) with the
-- three message and three task templates its steps use. Their content lives here only; each
-- copied row carries metadata.starter = its key, which is how a second copy finds the first.
create function private.starter_templates() returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'message_templates', jsonb_build_array(
      jsonb_build_object('key', 'demo_confirmation_email', 'name', 'Demo Confirmation Email',
        'description', 'Sent as soon as a demo is booked.', 'type', 'email',
        'subject', 'Your demo, {restaurant_name}',
        'message_content', E'Hi {contact_first_name|there},\n\nThanks for booking a demo for {restaurant_name}. I will walk you through online ordering, table management and reporting, and leave time for your questions.\n\nSpeak soon,\n{rep_name}\n{organisation_name}'),
      jsonb_build_object('key', 'post_demo_follow_up', 'name', 'Post-Demo Follow-up',
        'description', 'The day after the demo.', 'type', 'email',
        'subject', 'Following up on your demo',
        'message_content', E'Hi {contact_first_name|there},\n\nThank you for your time yesterday. As promised, here is a summary of what we covered for {restaurant_name} in {city|your city}. Is there anything the team would like to see again?\n\nBest,\n{rep_first_name}'),
      jsonb_build_object('key', 'contract_email', 'name', 'Contract Email Template',
        'description', 'The proposal that closes the Demo Follow-up.', 'type', 'email',
        'subject', 'Your proposal from {organisation_name}',
        'message_content', E'Hi {contact_name|there},\n\nPlease find attached our proposal for {restaurant_name}. It includes the setup we discussed and twelve months of support. Reply to this email or call me on any question.\n\nKind regards,\n{rep_name}\n{rep_email}')
    ),
    'task_templates', jsonb_build_array(
      jsonb_build_object('key', 'prepare_demo_materials', 'name', 'Prepare demo materials',
        'description', 'Menu, photos and the restaurant''s current ordering set-up.',
        'type', 'internal_activity', 'priority', 'medium', 'default_message', null),
      jsonb_build_object('key', 'reminder_call', 'name', 'Reminder call',
        'description', 'Confirm the demo time and who will attend.', 'type', 'call', 'priority', 'medium',
        'default_message', 'Hi {contact_first_name|there}, just confirming our demo tomorrow for {restaurant_name}.'),
      jsonb_build_object('key', 'check_in_call', 'name', 'Check-in call',
        'description', 'See how the decision is going.', 'type', 'call', 'priority', 'medium',
        'default_message', 'Hi {contact_first_name|there}, how are you getting on with the proposal for {restaurant_name}?')
    ),
    'sequence_template', jsonb_build_object('key', 'demo_follow_up', 'name', 'Demo Follow-up',
      'description', 'Follow up with leads after demo booking (seed 001). About two weeks, seven tasks.',
      'tags', jsonb_build_array('demo', 'follow-up'), 'exit_stages', jsonb_build_array('won', 'lost')),
    -- Seed 001: delays 0, 1, 1, 1, 1, 3, 7 days.
    'steps', jsonb_build_array(
      jsonb_build_object('name', 'Send demo confirmation', 'type', 'email', 'priority', 'high', 'delay_value', 0, 'message_template', 'demo_confirmation_email'),
      jsonb_build_object('name', 'Prepare demo materials', 'type', 'internal_activity', 'priority', 'medium', 'delay_value', 1, 'task_template', 'prepare_demo_materials'),
      jsonb_build_object('name', 'Reminder call day before', 'type', 'call', 'priority', 'medium', 'delay_value', 1, 'task_template', 'reminder_call'),
      jsonb_build_object('name', 'Conduct demo', 'type', 'internal_activity', 'priority', 'high', 'delay_value', 1),
      jsonb_build_object('name', 'Follow-up email', 'type', 'email', 'priority', 'medium', 'delay_value', 1, 'message_template', 'post_demo_follow_up'),
      jsonb_build_object('name', 'Check-in call', 'type', 'call', 'priority', 'medium', 'delay_value', 3, 'task_template', 'check_in_call'),
      jsonb_build_object('name', 'Contract proposal', 'type', 'email', 'priority', 'high', 'delay_value', 7, 'message_template', 'contract_email')
    )
  );
$$;

comment on function private.starter_templates() is
  'The starter templates copy_starter_templates copies: seed 001''s Demo Follow-up and the message and task templates its steps use.';

revoke execute on function private.starter_templates() from public, anon, authenticated;


-- Copies the starters into an organisation. Any member may (members create templates, seed
-- 001 and the templates' RLS); outsiders get 404 as for every tenant RPC. Idempotent: a
-- starter already in the organisation (not in the trash) is reused, never copied again, and
-- concurrent copies queue on the organisation's row so two clicks make one set.
create function public.copy_starter_templates(p_organisation_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_starters jsonb := private.starter_templates();
  v_item jsonb;
  v_id uuid;
  v_ids jsonb := '{}'::jsonb;
  v_template_id uuid;
  v_created integer := 0;
  v_order integer := 0;
begin
  if p_organisation_id is null then
    perform private.raise_http(404, 'organisation_not_found', 'organisation not found');
  end if;
  perform private.require_organisation_member(p_organisation_id);

  -- NO KEY UPDATE: serialises copies into one organisation without blocking the inserts that
  -- reference it (their foreign-key checks take KEY SHARE).
  perform 1 from public.organisations as o where o.id = p_organisation_id for no key update;

  for v_item in select m.value from jsonb_array_elements(v_starters -> 'message_templates') as m loop
    select t.id into v_id from public.message_templates as t
    where t.organisation_id = p_organisation_id and t.deleted_at is null
      and t.metadata ->> 'starter' = v_item ->> 'key'
    order by t.created_at
    limit 1;
    if v_id is null then
      insert into public.message_templates (
        organisation_id, name, description, type, subject, message_content, metadata, created_by
      )
      values (
        p_organisation_id, v_item ->> 'name', v_item ->> 'description', v_item ->> 'type',
        v_item ->> 'subject', v_item ->> 'message_content',
        jsonb_build_object('starter', v_item ->> 'key'), v_user_id
      )
      returning id into v_id;
      v_created := v_created + 1;
    end if;
    v_ids := v_ids || jsonb_build_object(v_item ->> 'key', v_id);
  end loop;

  for v_item in select m.value from jsonb_array_elements(v_starters -> 'task_templates') as m loop
    select t.id into v_id from public.task_templates as t
    where t.organisation_id = p_organisation_id and t.deleted_at is null
      and t.metadata ->> 'starter' = v_item ->> 'key'
    order by t.created_at
    limit 1;
    if v_id is null then
      insert into public.task_templates (
        organisation_id, name, description, type, priority, default_message, metadata, created_by
      )
      values (
        p_organisation_id, v_item ->> 'name', v_item ->> 'description', v_item ->> 'type',
        v_item ->> 'priority', v_item ->> 'default_message',
        jsonb_build_object('starter', v_item ->> 'key'), v_user_id
      )
      returning id into v_id;
      v_created := v_created + 1;
    end if;
    v_ids := v_ids || jsonb_build_object(v_item ->> 'key', v_id);
  end loop;

  v_item := v_starters -> 'sequence_template';
  select t.id into v_template_id from public.sequence_templates as t
  where t.organisation_id = p_organisation_id and t.deleted_at is null
    and t.metadata ->> 'starter' = v_item ->> 'key'
  order by t.created_at
  limit 1;

  if v_template_id is null then
    insert into public.sequence_templates (
      organisation_id, name, description, tags, is_active, exit_stages, metadata, created_by
    )
    values (
      p_organisation_id, v_item ->> 'name', v_item ->> 'description',
      array(select jsonb_array_elements_text(v_item -> 'tags')), true,
      array(select jsonb_array_elements_text(v_item -> 'exit_stages')),
      jsonb_build_object('starter', v_item ->> 'key'), v_user_id
    )
    returning id into v_template_id;
    v_created := v_created + 1;

    for v_item in select s.value from jsonb_array_elements(v_starters -> 'steps') as s loop
      v_order := v_order + 1;
      insert into public.sequence_steps (
        organisation_id, sequence_template_id, step_order, name, type, priority,
        task_template_id, message_template_id, delay_value, delay_unit
      )
      values (
        p_organisation_id, v_template_id, v_order, v_item ->> 'name', v_item ->> 'type',
        v_item ->> 'priority', (v_ids ->> (v_item ->> 'task_template'))::uuid,
        (v_ids ->> (v_item ->> 'message_template'))::uuid, (v_item ->> 'delay_value')::integer, 'days'
      );
    end loop;
  end if;

  return jsonb_build_object('sequence_template_id', v_template_id, 'created', v_created);
end;
$$;

comment on function public.copy_starter_templates(uuid) is
  'Copies the starter templates (seed 001''s Demo Follow-up and its message and task templates) into the organisation; what is already there is not copied again. Returns {sequence_template_id, created}.';

revoke execute on function public.copy_starter_templates(uuid) from public, anon, service_role;
grant execute on function public.copy_starter_templates(uuid) to authenticated;


-- restart_sequence, as in …002400_sequence_rpcs.sql, except the new instance's name says it
-- is a restart: "Demo Follow-up (restart 2) – Bella Pizza – 2026-12-04". metadata.restart_number
-- counts the restarts along the chain (the original has none), so a restart of a restart
-- reads "(restart 2)" and the base name never gathers "(restart 1) (restart 2)".
create or replace function public.restart_sequence(p_instance_id uuid) returns public.sequence_instances
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_template_id uuid;
  v_template public.sequence_templates;
  v_old public.sequence_instances;
  v_rep uuid;
  v_assignee uuid;
  v_restart_number integer;
  v_new public.sequence_instances;
begin
  v_template_id := (private.visible_sequence_instance(p_instance_id)).sequence_template_id;
  if v_template_id is not null then
    select t.* into v_template
    from public.sequence_templates as t
    where t.id = v_template_id
    for no key update;
  end if;
  v_old := private.lock_visible_sequence_instance(p_instance_id);

  if v_old.status in ('active', 'paused') then
    raise exception 'the sequence is still running: cancel it before restarting' using errcode = '22023';
  end if;

  select r.assigned_sales_rep into v_rep from public.restaurants as r where r.id = v_old.restaurant_id;
  v_assignee := case
    when private.is_organisation_member(v_old.organisation_id, v_old.assigned_to) then v_old.assigned_to
    when private.is_organisation_member(v_old.organisation_id, v_rep) then v_rep
  end;

  v_restart_number := coalesce((v_old.metadata ->> 'restart_number')::integer, 0) + 1;

  v_new := private.sequence_create_instance(
    v_old.organisation_id, v_old.sequence_template_id,
    format('%s (restart %s)',
      coalesce(v_template.name, v_old.metadata ->> 'template_name', v_old.name), v_restart_number),
    v_old.restaurant_id, coalesce(v_assignee, v_user_id), v_user_id, v_old.steps_snapshot,
    coalesce((v_old.metadata ->> 'start_delay_value')::integer, 0),
    coalesce(v_old.metadata ->> 'start_delay_unit', 'days'),
    v_old.metadata || jsonb_build_object('restarted_from', v_old.id, 'restart_number', v_restart_number)
  );

  if v_template.id is not null then
    update public.sequence_templates as t
    set usage_count = t.usage_count + 1
    where t.id = v_template.id;
  end if;

  return v_new;
end;
$$;

comment on function public.restart_sequence(uuid) is
  'Starts a new instance from an ended instance''s snapshot, named "<template> (restart n)" (metadata.restarted_from, restart_number); 22023 if still running, 23505 if another runs.';
