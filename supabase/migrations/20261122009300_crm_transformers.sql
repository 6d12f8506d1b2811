-- CRM actions as transformers (issue 14 §2; docs/automation-contract.md, "CRM transformers";
-- docs/automation/crm-actions.md). A workflow writes back to the CRM through four built-ins
-- that all run execute-crm, which acts as the job's user with a token it signs for them:
--
--   step (crm-*) ─▶ orchestrator ─▶ execute-crm ─(60 s JWT: sub = jobs.user_id)─▶ PostgREST
--                                                  RLS and the RPCs' own checks decide
--
-- Each built-in has a type of its own, so an organisation's preset of one (…007200) can
-- never run another's action, and its config_schema pins `action` to that one value.

insert into public.transformers (id, type, description, config, target_function, timeout_ms, config_schema)
values
  ('crm-create-task', 'crm-create-task',
   'Creates a task on a restaurant (restaurant_id, name, type, due_date?, assigned_to?, description?) as the job''s user.',
   '{"action": "create_task"}', 'execute-crm', 30000,
   jsonb_build_object('fields', jsonb_build_array(
     jsonb_build_object('name', 'action', 'type', 'string', 'title', 'Action',
       'description', 'What execute-crm does; fixed for this transformer.',
       'enum', jsonb_build_array('create_task')),
     jsonb_build_object('name', 'type', 'type', 'string', 'title', 'Task type',
       'description', 'The task''s type when the step''s input gives none.',
       'enum', jsonb_build_array('email', 'call', 'text', 'social_message', 'internal_activity')),
     jsonb_build_object('name', 'name', 'type', 'string', 'title', 'Task name',
       'description', 'The task''s name when the step''s input gives none.')
   ))),
  ('crm-update-restaurant', 'crm-update-restaurant',
   'Changes a restaurant''s lead stage, warmth or status and appends a note (restaurant_id, lead_stage?, lead_warmth?, lead_status?, append_note?) as the job''s user.',
   '{"action": "update_restaurant"}', 'execute-crm', 30000,
   jsonb_build_object('fields', jsonb_build_array(
     jsonb_build_object('name', 'action', 'type', 'string', 'title', 'Action',
       'description', 'What execute-crm does; fixed for this transformer.',
       'enum', jsonb_build_array('update_restaurant')),
     jsonb_build_object('name', 'lead_stage', 'type', 'string', 'title', 'Move to stage',
       'description', 'The stage to set when the step''s input gives none.',
       'enum', jsonb_build_array('new', 'contacted', 'qualified', 'demo_booked', 'demo_done',
         'proposal', 'negotiation', 'won', 'lost')),
     jsonb_build_object('name', 'lead_warmth', 'type', 'string', 'title', 'Warmth',
       'description', 'The warmth to set when the step''s input gives none.',
       'enum', jsonb_build_array('cold', 'warm', 'hot')),
     jsonb_build_object('name', 'lead_status', 'type', 'string', 'title', 'Status',
       'description', 'The status to set when the step''s input gives none.',
       'enum', jsonb_build_array('active', 'paused', 'do_not_contact'))
   ))),
  ('crm-start-sequence', 'crm-start-sequence',
   'Starts a sequence template (sequence_template_id or sequence_template_name) for a restaurant (restaurant_id) as the job''s user.',
   '{"action": "start_sequence"}', 'execute-crm', 30000,
   jsonb_build_object('fields', jsonb_build_array(
     jsonb_build_object('name', 'action', 'type', 'string', 'title', 'Action',
       'description', 'What execute-crm does; fixed for this transformer.',
       'enum', jsonb_build_array('start_sequence')),
     jsonb_build_object('name', 'sequence_template_name', 'type', 'string', 'title', 'Sequence',
       'description', 'The name of the sequence template to start when the step''s input names none.')
   ))),
  ('crm-complete-task', 'crm-complete-task',
   'Completes a task (task_id, outcome?) as the job''s user; a sequence task moves its sequence on.',
   '{"action": "complete_task"}', 'execute-crm', 30000,
   jsonb_build_object('fields', jsonb_build_array(
     jsonb_build_object('name', 'action', 'type', 'string', 'title', 'Action',
       'description', 'What execute-crm does; fixed for this transformer.',
       'enum', jsonb_build_array('complete_task')),
     jsonb_build_object('name', 'outcome', 'type', 'string', 'title', 'Call outcome',
       'description', 'For call tasks, when the step''s input gives none.',
       'enum', jsonb_build_array('connected', 'voicemail', 'no_answer'))
   )))
on conflict (organisation_id, id) do nothing;


-- One restaurant update from a workflow: stage, warmth, status and a note appended, in one
-- statement. Appending is why this is a function: read-modify-write through PostgREST would
-- lose a note written between the read and the write. Security invoker, so RLS decides
-- exactly as for the member's own update (a restaurant of another organisation, or in the
-- trash, is 404); the organisation is named too, so a member of two organisations acting for
-- one job never reaches the other's row.
create function public.crm_update_restaurant(
  p_organisation_id uuid,
  p_restaurant_id uuid,
  p_lead_stage text default null,
  p_lead_warmth text default null,
  p_lead_status text default null,
  p_append_note text default null
) returns public.restaurants
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_note text := nullif(btrim(p_append_note), '');
  v_row public.restaurants;
begin
  if p_organisation_id is null or p_restaurant_id is null then
    raise exception 'organisation and restaurant are required' using errcode = '22023';
  end if;
  if p_lead_stage is null and p_lead_warmth is null and p_lead_status is null and v_note is null then
    raise exception 'nothing to change: give lead_stage, lead_warmth, lead_status or append_note'
      using errcode = '22023';
  end if;
  -- A workflow's summary is a paragraph, not a document: the notes stay readable and the
  -- search vector small.
  if char_length(v_note) > 10000 then
    raise exception 'append_note can be at most 10000 characters' using errcode = '22023';
  end if;

  update public.restaurants as r
  set lead_stage = coalesce(p_lead_stage, r.lead_stage),
      lead_warmth = coalesce(p_lead_warmth, r.lead_warmth),
      lead_status = coalesce(p_lead_status, r.lead_status),
      notes = case
        when v_note is null then r.notes
        when coalesce(btrim(r.notes), '') = '' then v_note
        else r.notes || E'\n\n' || v_note
      end
  where r.id = p_restaurant_id
    and r.organisation_id = p_organisation_id
    and r.deleted_at is null
  returning r.* into v_row;

  if not found then
    raise exception 'restaurant not found' using errcode = 'P0002';
  end if;
  return v_row;
end;
$$;

comment on function public.crm_update_restaurant(uuid, uuid, text, text, text, text) is
  'Sets a restaurant''s stage/warmth/status (null: unchanged) and appends a note, atomically, under the caller''s RLS. 404 unless visible in that organisation; 400 nothing to change or an invalid value.';

revoke execute on function public.crm_update_restaurant(uuid, uuid, text, text, text, text) from public, anon;
grant execute on function public.crm_update_restaurant(uuid, uuid, text, text, text, text) to authenticated;
