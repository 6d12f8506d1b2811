-- The sequence RPCs: start, complete, skip, pause, resume, cancel, restart. Each is one
-- transaction (one PostgREST call), security definer, and reaches its rows through the
-- visible-row helpers of the sequence engine (…002300): no user -> 42501 (401/403); a row
-- the caller cannot see -> P0002 (404); bad input or a state that forbids the call ->
-- 22023 (400); already running -> 23505 (409).

-- Starts a template for a restaurant: snapshot of the steps, all tasks created at once.
create function public.start_sequence(
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
  v_template := private.lock_visible_sequence_template(p_template_id);
  v_restaurant := private.visible_restaurant(p_restaurant_id);

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
  if not private.is_organisation_member(v_template.organisation_id, v_assignee) then
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

comment on function public.start_sequence(uuid, uuid, uuid) is
  'Starts a sequence template for a restaurant: instance with a steps snapshot, all tasks (first active). 22023 inactive/no steps/exit stage, 23505 already running, 404 not visible.';


-- Starts one template for many restaurants; one failure does not stop the others.
-- Per restaurant: started (instance_id), skipped (already running, or at an exit stage)
-- or failed (reason).
create function public.start_sequence_bulk(p_template_id uuid, p_restaurant_ids uuid[])
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_template public.sequence_templates;
  v_restaurant public.restaurants;
  v_restaurant_id uuid;
  v_instance public.sequence_instances;
  v_results jsonb := '[]'::jsonb;
  v_state text;
  v_message text;
  v_steps integer;
begin
  v_template := private.lock_visible_sequence_template(p_template_id);
  if not v_template.is_active then
    raise exception 'the sequence template "%" is inactive', v_template.name using errcode = '22023';
  end if;
  if not exists (select 1 from public.sequence_steps as s where s.sequence_template_id = v_template.id) then
    raise exception 'the sequence template "%" has no steps', v_template.name using errcode = '22023';
  end if;
  if coalesce(cardinality(p_restaurant_ids), 0) = 0 then
    raise exception 'name at least one restaurant' using errcode = '22023';
  end if;
  if cardinality(p_restaurant_ids) > 500 then
    raise exception 'at most 500 restaurants at once' using errcode = '22023';
  end if;
  -- A task per step per restaurant, all within the one request the caller's 8 s statement
  -- timeout bounds (…005000_limits). On the shared 2-CPU machine under load (load average
  -- 18-19): 500 restaurants × 50 steps (25,000 tasks) took 18.2 s, so was cancelled at 8 s;
  -- 100 × 50 (5,000 tasks) took 3.7 s. (SEQUENCE_BULK_MAX_TASKS in packages/domain.)
  select count(*) into v_steps from public.sequence_steps as s where s.sequence_template_id = v_template.id;
  if cardinality(p_restaurant_ids) * v_steps > 5000 then
    raise exception 'one start makes at most 5000 tasks: "%" has % steps, so start it for at most % restaurants at a time',
      v_template.name, v_steps, 5000 / v_steps using errcode = '22023';
  end if;

  for v_restaurant_id in
    select u.id from unnest(p_restaurant_ids) with ordinality as u (id, ord)
    group by u.id order by min(u.ord)
  loop
    if v_restaurant_id is null then
      v_results := v_results || jsonb_build_object('restaurant_id', null, 'status', 'failed', 'reason', 'no restaurant id');
      continue;
    end if;

    -- The template is visible, so its organisation is one of the caller's.
    select r.* into v_restaurant
    from public.restaurants as r
    where r.id = v_restaurant_id and r.organisation_id = v_template.organisation_id;
    if not found then
      v_results := v_results || jsonb_build_object(
        'restaurant_id', v_restaurant_id, 'status', 'failed', 'reason', 'restaurant not found');
      continue;
    end if;
    if v_restaurant.lead_stage = any (v_template.exit_stages) then
      v_results := v_results || jsonb_build_object(
        'restaurant_id', v_restaurant_id, 'status', 'skipped',
        'reason', format('%s is at stage %s, which ends "%s"', v_restaurant.name, v_restaurant.lead_stage, v_template.name));
      continue;
    end if;

    begin
      v_instance := public.start_sequence(v_template.id, v_restaurant_id, null);
      v_results := v_results || jsonb_build_object(
        'restaurant_id', v_restaurant_id, 'status', 'started', 'instance_id', v_instance.id);
    exception
      when others then
        get stacked diagnostics v_state = returned_sqlstate, v_message = message_text;
        if v_state = 'PGRST' then
          v_message := coalesce(v_message::jsonb ->> 'message', v_message);
        end if;
        v_results := v_results || jsonb_build_object(
          'restaurant_id', v_restaurant_id,
          'status', case when v_state = '23505' then 'skipped' else 'failed' end,
          'reason', v_message);
    end;
  end loop;

  return v_results;
end;
$$;

comment on function public.start_sequence_bulk(uuid, uuid[]) is
  'Starts a template for up to 500 restaurants and 5,000 tasks: [{restaurant_id, status started|skipped|failed, instance_id?, reason?}].';


-- Completes a task; for a sequence task, activates the next pending step.
create function public.complete_task(p_task_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  return private.finish_task(p_task_id, 'completed');
end;
$$;

comment on function public.complete_task(uuid) is
  'Completes a task and activates the next step of its sequence: {task, next_task, instance, warnings}. Twice = no-op with a warning.';


-- Skips a task (the seed's explicit Skip): progression as for completion.
create function public.skip_task(p_task_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  return private.finish_task(p_task_id, 'skipped');
end;
$$;

comment on function public.skip_task(uuid) is
  'Skips a task and activates the next step of its sequence: {task, next_task, instance, warnings}.';


-- Pauses a running instance, optionally until p_resume_at. The active task stays active
-- with no due date; resuming counts it again from the resume. Pausing a paused instance
-- changes its resume_at.
create function public.pause_sequence(p_instance_id uuid, p_resume_at timestamptz default null)
returns public.sequence_instances
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_instance public.sequence_instances := private.lock_visible_sequence_instance(p_instance_id);
begin
  if v_instance.status not in ('active', 'paused') then
    raise exception 'the sequence has already ended (%)', v_instance.status using errcode = '22023';
  end if;
  if p_resume_at is not null and p_resume_at <= now() then
    raise exception 'resume_at must be in the future' using errcode = '22023';
  end if;

  if v_instance.status = 'active' then
    update public.tasks as t
    set due_date = null
    where t.sequence_instance_id = v_instance.id and t.status = 'active';

    update public.sequence_instances as i
    set status = 'paused', paused_at = now(), resume_at = p_resume_at
    where i.id = v_instance.id
    returning * into v_instance;
  else
    update public.sequence_instances as i
    set resume_at = p_resume_at
    where i.id = v_instance.id
    returning * into v_instance;
  end if;

  return v_instance;
end;
$$;

comment on function public.pause_sequence(uuid, timestamptz) is
  'Pauses a running instance (optionally until resume_at); its active task keeps status active with no due date.';


-- Whether a restaurant is in the trash (issue 10 §4). Its paused sequences are not resumed,
-- by a user or the scheduler, until it is restored.
create function private.restaurant_in_trash(p_restaurant_id uuid) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.restaurants as r
    where r.id = p_restaurant_id and r.deleted_at is not null);
$$;

revoke execute on function private.restaurant_in_trash(uuid) from public, anon, authenticated;

create function public.resume_sequence(p_instance_id uuid) returns public.sequence_instances
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_instance public.sequence_instances := private.lock_visible_sequence_instance(p_instance_id);
begin
  if v_instance.status <> 'paused' then
    raise exception 'the sequence is not paused (it is %)', v_instance.status using errcode = '22023';
  end if;
  -- A trashed restaurant's sequence stays paused until the restaurant is restored (issue 10
  -- §4): resuming it would make tasks nobody can see come due.
  if private.restaurant_in_trash(v_instance.restaurant_id) then
    perform private.raise_http(409, 'restaurant_in_trash',
      'the restaurant of this sequence is in the trash: restore it before resuming the sequence');
  end if;
  perform private.sequence_resume(v_instance.id);
  select i.* into v_instance from public.sequence_instances as i where i.id = p_instance_id;
  return v_instance;
end;
$$;

comment on function public.resume_sequence(uuid) is
  'Resumes a paused instance; the active task''s due date counts from now (else the next pending step activates).';


create function public.cancel_sequence(p_instance_id uuid) returns public.sequence_instances
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_instance public.sequence_instances := private.lock_visible_sequence_instance(p_instance_id);
begin
  if v_instance.status not in ('active', 'paused') then
    raise exception 'the sequence has already ended (%)', v_instance.status using errcode = '22023';
  end if;
  perform private.sequence_cancel(v_instance.id, null);
  select i.* into v_instance from public.sequence_instances as i where i.id = p_instance_id;
  return v_instance;
end;
$$;

comment on function public.cancel_sequence(uuid) is
  'Cancels a running instance: pending and active tasks become cancelled; completed and skipped ones stay.';


-- Re-enrols the restaurant from an ended instance's snapshot (not from the template,
-- which may have changed, been deactivated or deleted since).
-- Locks in the order every other path does: the template before the instance. Locking the
-- old instance first could deadlock with a concurrent delete of the template (which holds
-- the template and then sets the instance's sequence_template_id to null).
create function public.restart_sequence(p_instance_id uuid) returns public.sequence_instances
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

  v_new := private.sequence_create_instance(
    v_old.organisation_id, v_old.sequence_template_id,
    coalesce(v_template.name, v_old.metadata ->> 'template_name', v_old.name),
    v_old.restaurant_id, coalesce(v_assignee, v_user_id), v_user_id, v_old.steps_snapshot,
    coalesce((v_old.metadata ->> 'start_delay_value')::integer, 0),
    coalesce(v_old.metadata ->> 'start_delay_unit', 'days'),
    v_old.metadata || jsonb_build_object('restarted_from', v_old.id)
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
  'Starts a new instance from an ended instance''s snapshot (metadata.restarted_from); 22023 if still running, 23505 if another runs.';


-- For the scheduler (pg_cron where present, else the orchestrator's ticker): resumes
-- paused instances whose resume_at has come, except those of a restaurant in the trash
-- (they wait for its restore, or go with its purge). Skips rows another worker holds.
create function public.resume_due_sequences() returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_instance_id uuid;
  v_count integer := 0;
begin
  for v_instance_id in
    select i.id
    from public.sequence_instances as i
    where i.status = 'paused' and i.resume_at <= now()
      and not private.restaurant_in_trash(i.restaurant_id)
    order by i.resume_at
    for update skip locked
  loop
    perform private.sequence_resume(v_instance_id);
    v_count := v_count + 1;
  end loop;
  return v_count;
end;
$$;

comment on function public.resume_due_sequences() is
  'Service role only: resumes paused instances whose resume_at has passed; returns how many.';


revoke execute on function public.start_sequence(uuid, uuid, uuid) from public, anon, service_role;
revoke execute on function public.start_sequence_bulk(uuid, uuid[]) from public, anon, service_role;
revoke execute on function public.complete_task(uuid) from public, anon, service_role;
revoke execute on function public.skip_task(uuid) from public, anon, service_role;
revoke execute on function public.pause_sequence(uuid, timestamptz) from public, anon, service_role;
revoke execute on function public.resume_sequence(uuid) from public, anon, service_role;
revoke execute on function public.cancel_sequence(uuid) from public, anon, service_role;
revoke execute on function public.restart_sequence(uuid) from public, anon, service_role;
revoke execute on function public.resume_due_sequences() from public, anon, authenticated;

grant execute on function public.start_sequence(uuid, uuid, uuid) to authenticated;
grant execute on function public.start_sequence_bulk(uuid, uuid[]) to authenticated;
grant execute on function public.complete_task(uuid) to authenticated;
grant execute on function public.skip_task(uuid) to authenticated;
grant execute on function public.pause_sequence(uuid, timestamptz) to authenticated;
grant execute on function public.resume_sequence(uuid) to authenticated;
grant execute on function public.cancel_sequence(uuid) to authenticated;
grant execute on function public.restart_sequence(uuid) to authenticated;
grant execute on function public.resume_due_sequences() to service_role;


-- Where pg_cron exists (hosted Supabase), resume paused sequences every minute; the
-- native stack has no pg_cron and skips this.
do $$
begin
  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    perform cron.schedule('resume-due-sequences', '* * * * *', 'select public.resume_due_sequences()');
  end if;
end;
$$;
