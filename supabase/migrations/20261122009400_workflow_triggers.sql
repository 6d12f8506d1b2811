-- Workflow triggers (issue 14 §3; docs/automation-contract.md, "Triggers";
-- docs/automation/triggers.md): saving and deleting them, firing them once per dedupe key,
-- the schedule scan and the app events' outbox. The tables are the foundation's (…009000).
--
--   save_workflow_trigger / delete_workflow_trigger        (owners and admins, as RPCs)
--
--   schedule:  due_workflow_schedules ──▶ orchestrator computes the next tick (domain cron,
--              DST-correct) ──▶ advance_workflow_schedules: moves next_fire_at on (compare and
--              set) and fires the tick that was due ─┐
--   webhook:   workflow-webhook (h5) ─────────────────┼─▶ private.fire_workflow_trigger
--   event:     restaurant_activity row ──▶ outbox ────┘      (one firing per (trigger, dedupe
--              claim_workflow_trigger_events ──▶ orchestrator    key); a job, or why not)
--              evaluates event_filter ──▶ dispatch_workflow_trigger_events
--
-- The orchestrator does the parts that need the domain (cron, JSONPath filters) and SQL keeps
-- every decision that must happen once: the firing's unique key is the only thing that makes
-- a firing once, so two orchestrators at once, a tick fired twice or an event drained twice
-- start one job.


-- Cron: the shape check ----------------------------------------------------------------------
-- The same rules as packages/domain/src/cron.ts (which the web and the orchestrator use, and
-- which says more in its messages): five fields, each a comma list of `*`, a number or a
-- range, optionally with a step; numbers within the field's bounds. Names (MON, JAN) are not
-- accepted by either. Null when fine.
create function private.cron_problem(p_cron text) returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_fields text[];
  v_names text[] := array['minute', 'hour', 'day-of-month', 'month', 'day-of-week'];
  v_min integer[] := array[0, 0, 1, 1, 0];
  v_max integer[] := array[59, 23, 31, 12, 7];
  v_part text;
  v_match text[];
  v_lo integer;
  v_hi integer;
begin
  if p_cron is null or btrim(p_cron) = '' then
    return 'cron is empty: five fields (minute hour day-of-month month day-of-week), e.g. 0 9 * * 1-5';
  end if;
  v_fields := regexp_split_to_array(btrim(p_cron), '\s+');
  if cardinality(v_fields) <> 5 then
    return format('cron needs five fields (minute hour day-of-month month day-of-week), not %s',
      cardinality(v_fields));
  end if;
  for i in 1..5 loop
    foreach v_part in array string_to_array(v_fields[i], ',') loop
      v_match := regexp_match(v_part, '^(\*|([0-9]{1,2})(-([0-9]{1,2}))?)(/([0-9]{1,2}))?$');
      if v_match is null then
        return format('%s: "%s" is not *, a number, a range (1-5) or a step (*/15)', v_names[i], v_part);
      end if;
      if v_match[2] is not null then
        v_lo := v_match[2]::integer;
        v_hi := coalesce(v_match[4]::integer, v_lo);
        if v_lo < v_min[i] or v_hi > v_max[i] then
          return format('%s: %s is out of range (%s-%s)', v_names[i], v_part, v_min[i], v_max[i]);
        end if;
        if v_hi < v_lo then
          return format('%s: the range %s goes backwards', v_names[i], v_part);
        end if;
      end if;
      if v_match[6] is not null and v_match[6]::integer = 0 then
        return format('%s: the step in %s must be at least 1', v_names[i], v_part);
      end if;
    end loop;
  end loop;
  return null;
end;
$$;

comment on function private.cron_problem(text) is
  'Why a five-field cron expression is invalid (the rules of packages/domain/src/cron.ts), or null.';

revoke execute on function private.cron_problem(text) from public, anon, authenticated;


-- The zone a schedule's times are in: its own, else its organisation's business calendar's.
create function private.workflow_trigger_time_zone(p_organisation_id uuid, p_timezone text)
returns text
language sql
stable
set search_path = ''
as $$
  select coalesce(
    p_timezone,
    (select c.time_zone from public.business_calendars as c where c.organisation_id = p_organisation_id),
    'UTC');
$$;

revoke execute on function private.workflow_trigger_time_zone(uuid, text) from public, anon, authenticated;


-- Save ----------------------------------------------------------------------------------------
-- Inserts a trigger, or updates the one `id` names (fields left out keep their values; a
-- trigger's kind and workflow never change). Owners and admins; 404 for a workflow or trigger
-- of an organisation the caller is not in (or a workflow in the trash), 403 for members, 400
-- invalid_trigger with the field in words. A new webhook gets its signing secret (32 random
-- bytes, hex), answered once as `secret`; it is never readable again (rotate_webhook_secret,
-- …009500, makes a new one). A schedule's next_fire_at is left null when it is new, its cron
-- or zone changed or it was enabled again: the next orchestrator run computes it from then
-- (a re-enabled schedule does not fire the ticks it missed while off).
create function public.save_workflow_trigger(p_trigger jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_t jsonb := p_trigger;
  v_old public.workflow_triggers;
  v_new public.workflow_triggers;
  v_workflow public.workflows;
  v_field record;
  v_unknown text;
  v_uuid constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  v_workflow_id uuid;
  v_kind text;
  v_name text;
  v_enabled boolean;
  v_cron text;
  v_timezone text;
  v_event_type text;
  v_filter text;
  v_input jsonb;
  v_run_as uuid;
  v_run_as_role text;
  v_problem text;
  v_next_fire_at timestamptz;
  v_secret text;
begin
  if jsonb_typeof(v_t) is distinct from 'object' then
    perform private.raise_http(400, 'invalid_trigger', 'the trigger must be a JSON object');
  end if;
  -- Read-only columns are accepted (a client may send back a row it read) and ignored.
  select string_agg(k, ', ' order by k) into v_unknown
  from jsonb_object_keys(v_t) as k
  where k not in ('id', 'workflow_id', 'kind', 'name', 'enabled', 'cron', 'timezone', 'event_type',
    'event_filter', 'input', 'run_as', 'organisation_id', 'next_fire_at', 'last_fired_at',
    'created_at', 'updated_at', 'created_by');
  if v_unknown is not null then
    perform private.raise_http(400, 'invalid_trigger', format('unknown field(s): %s', v_unknown));
  end if;
  for v_field in
    select f.key, f.type
    from (values ('id', 'string'), ('workflow_id', 'string'), ('kind', 'string'), ('name', 'string'),
      ('enabled', 'boolean'), ('cron', 'string'), ('timezone', 'string'), ('event_type', 'string'),
      ('event_filter', 'string'), ('input', 'object'), ('run_as', 'string')) as f (key, type)
    where v_t ? f.key and jsonb_typeof(v_t -> f.key) not in (f.type, 'null')
  loop
    perform private.raise_http(400, 'invalid_trigger', format('%s must be a%s %s',
      v_field.key, case when v_field.type = 'object' then 'n' else '' end,
      case v_field.type when 'string' then 'string' when 'boolean' then 'boolean (true or false)'
        else 'object' end));
  end loop;
  if (v_t ->> 'id') !~ v_uuid or (v_t ->> 'workflow_id') !~ v_uuid or (v_t ->> 'run_as') !~ v_uuid then
    perform private.raise_http(400, 'invalid_trigger', 'id, workflow_id and run_as must be uuids');
  end if;

  -- Who may: the trigger's (or the workflow's) organisation, owners and admins.
  if v_t ->> 'id' is not null then
    select t.* into v_old
    from public.workflow_triggers as t
    where t.id = (v_t ->> 'id')::uuid
    for update;
    if not found or not private.is_organisation_member(v_old.organisation_id, v_user_id) then
      perform private.raise_http(404, 'trigger_not_found', 'trigger not found');
    end if;
    if (v_t ->> 'workflow_id') is not null and (v_t ->> 'workflow_id')::uuid <> v_old.workflow_id then
      perform private.raise_http(400, 'invalid_trigger', 'a trigger stays on its workflow: make a new one for the other workflow');
    end if;
    if (v_t ->> 'kind') is not null and v_t ->> 'kind' <> v_old.kind then
      perform private.raise_http(400, 'invalid_trigger', format('a %s trigger stays one: make a new trigger of the other kind', v_old.kind));
    end if;
    v_workflow_id := v_old.workflow_id;
  else
    if (v_t ->> 'workflow_id') is null then
      perform private.raise_http(400, 'invalid_trigger', 'workflow_id is required');
    end if;
    v_workflow_id := (v_t ->> 'workflow_id')::uuid;
  end if;
  select w.* into v_workflow
  from public.workflows as w
  where w.id = v_workflow_id and w.deleted_at is null;
  if not found or not private.is_organisation_member(v_workflow.organisation_id, v_user_id) then
    perform private.raise_http(404, 'workflow_not_found', 'workflow not found');
  end if;
  if not private.is_organisation_member(v_workflow.organisation_id, v_user_id, array['owner', 'admin']) then
    perform private.raise_http(403, 'forbidden', 'only owners and admins can change triggers');
  end if;

  -- The values: given, else as they were (else the defaults).
  v_kind := coalesce(v_old.kind, v_t ->> 'kind');
  if v_kind is null or v_kind not in ('schedule', 'webhook', 'event') then
    perform private.raise_http(400, 'invalid_trigger', 'kind must be schedule, webhook or event');
  end if;
  v_name := btrim(case when v_t ? 'name' then v_t ->> 'name' else v_old.name end);
  if v_name is null or char_length(v_name) not between 1 and 120 then
    perform private.raise_http(400, 'invalid_trigger', 'name is required (1 to 120 characters)');
  end if;
  v_enabled := coalesce(case when v_t ? 'enabled' then (v_t ->> 'enabled')::boolean end, v_old.enabled, true);
  v_cron := case when v_t ? 'cron' then nullif(regexp_replace(btrim(v_t ->> 'cron'), '\s+', ' ', 'g'), '') else v_old.cron end;
  v_timezone := case when v_t ? 'timezone' then nullif(btrim(v_t ->> 'timezone'), '') else v_old.timezone end;
  v_event_type := case when v_t ? 'event_type' then v_t ->> 'event_type' else v_old.event_type end;
  v_filter := case when v_t ? 'event_filter' then nullif(btrim(v_t ->> 'event_filter'), '') else v_old.event_filter end;
  v_input := coalesce(case when v_t ? 'input' then v_t -> 'input' else v_old.input end, '{}'::jsonb);
  if jsonb_typeof(v_input) = 'null' then
    v_input := '{}'::jsonb;
  end if;

  if v_kind <> 'schedule' and (v_cron is not null or v_timezone is not null) then
    perform private.raise_http(400, 'invalid_trigger', 'cron and timezone are for schedule triggers only');
  end if;
  if v_kind <> 'event' and (v_event_type is not null or v_filter is not null) then
    perform private.raise_http(400, 'invalid_trigger', 'event_type and event_filter are for event triggers only');
  end if;
  if v_kind = 'schedule' then
    v_problem := private.cron_problem(v_cron);
    if v_problem is not null then
      perform private.raise_http(400, 'invalid_trigger', v_problem);
    end if;
    if char_length(v_cron) > 200 then
      perform private.raise_http(400, 'invalid_trigger', 'cron is at most 200 characters');
    end if;
    -- pg_timezone_names reads the zone files: only when the zone is given.
    if v_timezone is not null and (char_length(v_timezone) > 64 or not exists (
      select 1 from pg_catalog.pg_timezone_names as z where z.name = v_timezone)) then
      perform private.raise_http(400, 'invalid_trigger',
        format('unknown time zone "%s": use an IANA name such as Europe/London', v_timezone));
    end if;
  end if;
  if v_kind = 'event' then
    if v_event_type is null or v_event_type not in ('restaurant.stage_changed', 'task.completed', 'sequence.ended') then
      perform private.raise_http(400, 'invalid_trigger',
        'event_type must be restaurant.stage_changed, task.completed or sequence.ended');
    end if;
    -- Its JSONPath syntax is the web's and the dispatcher's to check (the domain's parser);
    -- one that does not parse records a failed firing with the reason.
    if char_length(v_filter) > 1000 then
      perform private.raise_http(400, 'invalid_trigger', 'event_filter is at most 1,000 characters');
    end if;
  end if;
  if jsonb_typeof(v_input) <> 'object' then
    perform private.raise_http(400, 'invalid_trigger', 'input must be a JSON object');
  end if;
  if pg_column_size(v_input) > 65536 then
    perform private.raise_http(400, 'invalid_trigger', 'input is larger than 64 KiB');
  end if;

  -- Whose jobs: a member of the organisation (the caller by default). Only an owner may make
  -- jobs run as an owner: an admin would otherwise act with rights they do not have.
  v_run_as := coalesce((v_t ->> 'run_as')::uuid, v_old.run_as, v_user_id);
  select m.role into v_run_as_role
  from public.organisation_members as m
  where m.organisation_id = v_workflow.organisation_id and m.user_id = v_run_as;
  if not found then
    perform private.raise_http(400, 'invalid_trigger', 'run_as must be a member of the organisation');
  end if;
  if v_run_as_role = 'owner' and v_run_as <> v_user_id
     and v_run_as is distinct from v_old.run_as
     and not private.is_organisation_member(v_workflow.organisation_id, v_user_id, array['owner']) then
    perform private.raise_http(403, 'forbidden', 'only owners can make a trigger run as an owner');
  end if;

  v_next_fire_at := case
    when v_kind <> 'schedule' then null
    when v_old.id is null then null
    when v_cron is distinct from v_old.cron or v_timezone is distinct from v_old.timezone
      or (v_enabled and not v_old.enabled) then null
    else v_old.next_fire_at
  end;

  if v_old.id is null then
    insert into public.workflow_triggers as t
      (organisation_id, workflow_id, kind, name, enabled, cron, timezone, next_fire_at, event_type,
       event_filter, input, run_as, created_by)
    values
      (v_workflow.organisation_id, v_workflow.id, v_kind, v_name, v_enabled, v_cron, v_timezone, null,
       v_event_type, v_filter, v_input, v_run_as, v_user_id)
    returning t.* into v_new;
    if v_kind = 'webhook' then
      v_secret := encode(extensions.gen_random_bytes(32), 'hex');
      insert into private.workflow_trigger_secrets (trigger_id, secret) values (v_new.id, v_secret);
    end if;
  else
    update public.workflow_triggers as t set
      name = v_name,
      enabled = v_enabled,
      cron = v_cron,
      timezone = v_timezone,
      next_fire_at = v_next_fire_at,
      event_type = v_event_type,
      event_filter = v_filter,
      input = v_input,
      run_as = v_run_as
    where t.id = v_old.id
    returning t.* into v_new;
  end if;

  return to_jsonb(v_new)
    || case when v_secret is not null then jsonb_build_object('secret', v_secret) else '{}'::jsonb end;
end;
$$;

comment on function public.save_workflow_trigger(jsonb) is
  'Creates or updates (by id) a workflow trigger: owners and admins; a new webhook answers its secret once.';

revoke execute on function public.save_workflow_trigger(jsonb) from public, anon;
grant execute on function public.save_workflow_trigger(jsonb) to authenticated;


-- Deletes a trigger with its firings (its jobs stay, trigger_id set null) and its secret.
create function public.delete_workflow_trigger(p_trigger_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_trigger public.workflow_triggers;
begin
  select t.* into v_trigger
  from public.workflow_triggers as t
  where t.id = p_trigger_id
  for update;
  if not found or not private.is_organisation_member(v_trigger.organisation_id, v_user_id) then
    perform private.raise_http(404, 'trigger_not_found', 'trigger not found');
  end if;
  if not private.is_organisation_member(v_trigger.organisation_id, v_user_id, array['owner', 'admin']) then
    perform private.raise_http(403, 'forbidden', 'only owners and admins can delete triggers');
  end if;
  delete from public.workflow_triggers as t where t.id = v_trigger.id;
  return jsonb_build_object('id', v_trigger.id, 'deleted', true);
end;
$$;

comment on function public.delete_workflow_trigger(uuid) is
  'Deletes a workflow trigger and its firings (owners and admins); the jobs it started stay.';

revoke execute on function public.delete_workflow_trigger(uuid) from public, anon;
grant execute on function public.delete_workflow_trigger(uuid) to authenticated;


-- Firing: the one home --------------------------------------------------------------------------
-- What a firing answers.
create function private.workflow_trigger_firing_answer(
  p_firing public.workflow_trigger_firings,
  p_replayed boolean
) returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object('firing_id', p_firing.id, 'job_id', p_firing.job_id,
    'replayed', p_replayed, 'status', p_firing.status, 'error', p_firing.error);
$$;

revoke execute on function private.workflow_trigger_firing_answer(public.workflow_trigger_firings, boolean)
  from public, anon, authenticated;

-- Fires a trigger once per (trigger, p_dedupe_key): the firing's unique key is the only lock
-- (an insert that meets a firing being written waits for it, then answers it as a replay).
-- An existing firing answers { firing_id, job_id, replayed: true, status, error }. Else a
-- firing is recorded: `failed` with { code, message } when the trigger is disabled, its
-- workflow archived or in the trash, no one to run as (run_as left), or the job could not be
-- inserted; else `started` with one job: run by run_as, the workflow's current version,
-- trigger_id and trigger_firing_id set, a `created` event naming the trigger. The job's input:
--   { ...trigger.input, trigger: { id, kind, fired_at }, ...p_payload }
-- where p_payload is what the firing supplies: { body } (webhook: the delivery's JSON),
-- { event } (the app event's payload) or { scheduled_for } (the tick, ISO). p_details is
-- what the firing row keeps (small: the tick, the delivery's key, the event's subject).
-- The start rate limit (limit_job_start) is not taken here: callers decide (the webhook has
-- its own per trigger; a schedule fires at most once a minute; events follow members' acts).
create function private.fire_workflow_trigger(
  p_trigger_id uuid,
  p_dedupe_key text,
  p_payload jsonb,
  p_details jsonb
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_trigger public.workflow_triggers;
  v_workflow public.workflows;
  v_firing public.workflow_trigger_firings;
  v_job public.jobs;
  v_error jsonb;
  v_input jsonb;
  v_max_retries integer;
  v_now timestamptz := now();
  v_details jsonb := coalesce(p_details, '{}'::jsonb);
begin
  if p_dedupe_key is null or char_length(p_dedupe_key) not between 1 and 200 then
    perform private.raise_http(400, 'invalid_input', 'the dedupe key must be 1 to 200 characters');
  end if;
  if p_payload is not null and jsonb_typeof(p_payload) <> 'object' then
    perform private.raise_http(400, 'invalid_input', 'the payload must be a JSON object ({ body }, { event } or { scheduled_for })');
  end if;
  if jsonb_typeof(v_details) <> 'object' then
    perform private.raise_http(400, 'invalid_input', 'details must be a JSON object');
  end if;

  select f.* into v_firing
  from public.workflow_trigger_firings as f
  where f.trigger_id = p_trigger_id and f.dedupe_key = p_dedupe_key;
  if found then
    return private.workflow_trigger_firing_answer(v_firing, true);
  end if;

  select t.* into v_trigger from public.workflow_triggers as t where t.id = p_trigger_id;
  if not found then
    perform private.raise_http(404, 'trigger_not_found', 'trigger not found');
  end if;

  -- Claims the key; written as failed until the job is in (below, same transaction).
  insert into public.workflow_trigger_firings as f
    (organisation_id, trigger_id, dedupe_key, status, details, fired_at)
  values (v_trigger.organisation_id, v_trigger.id, p_dedupe_key, 'failed', v_details, v_now)
  on conflict (trigger_id, dedupe_key) do nothing
  returning f.* into v_firing;
  if not found then
    select f.* into v_firing
    from public.workflow_trigger_firings as f
    where f.trigger_id = p_trigger_id and f.dedupe_key = p_dedupe_key;
    return private.workflow_trigger_firing_answer(v_firing, true);
  end if;

  -- Key share, as start_workflow_job's lock_live_workflow: move_to_trash either waits for
  -- this job or is seen here.
  select w.* into v_workflow
  from public.workflows as w
  where w.id = v_trigger.workflow_id
  for key share;

  v_error := case
    when not v_trigger.enabled then
      jsonb_build_object('code', 'trigger_disabled', 'message', 'the trigger is disabled')
    when v_workflow.id is null or v_workflow.deleted_at is not null then
      jsonb_build_object('code', 'workflow_not_found', 'message', 'the workflow is in the trash or gone')
    when v_workflow.status <> 'active' then
      jsonb_build_object('code', 'workflow_archived', 'message', format('workflow %s is archived', v_workflow.key))
    when v_trigger.run_as is null then
      jsonb_build_object('code', 'no_run_as', 'message',
        'the member this trigger runs as has left the organisation: choose another in its settings')
  end;

  if v_error is null then
    v_input := v_trigger.input
      || jsonb_build_object('trigger', jsonb_build_object('id', v_trigger.id, 'kind', v_trigger.kind, 'fired_at', v_now))
      || coalesce(p_payload, '{}'::jsonb);
    -- A job the limits refuse (its input too large, …) is a failed firing with the reason,
    -- not an error of the caller's whole batch.
    begin
      select coalesce((v.retry_policy ->> 'max_retries')::integer, 3) into v_max_retries
      from public.workflow_versions as v
      where v.workflow_id = v_workflow.id and v.version = v_workflow.version;

      insert into public.jobs
        (organisation_id, workflow_id, workflow_version, user_id, input_data, max_retries,
         trigger_id, trigger_firing_id)
      values
        (v_workflow.organisation_id, v_workflow.id, v_workflow.version, v_trigger.run_as, v_input,
         coalesce(v_max_retries, 3), v_trigger.id, v_firing.id)
      returning * into v_job;

      insert into public.job_events (organisation_id, job_id, user_id, event_type, to_status, data)
      values (v_job.organisation_id, v_job.id, v_trigger.run_as, 'created', 'pending',
              jsonb_build_object('workflow_version', v_job.workflow_version, 'trigger_id', v_trigger.id,
                'trigger_kind', v_trigger.kind, 'trigger_firing_id', v_firing.id));
    exception when others then
      v_job := null;
      if sqlstate = 'PGRST' then
        v_error := jsonb_build_object('code', coalesce(sqlerrm::jsonb ->> 'code', 'start_failed'),
          'message', coalesce(sqlerrm::jsonb ->> 'message', sqlerrm));
      else
        v_error := jsonb_build_object('code', 'start_failed', 'message', left(sqlerrm, 500));
      end if;
    end;
  end if;

  update public.workflow_trigger_firings as f
  set status = case when v_error is null then 'started' else 'failed' end,
      job_id = v_job.id,
      error = v_error
  where f.id = v_firing.id
  returning f.* into v_firing;

  if v_error is null then
    -- Skip locked: a flood of deliveries to one trigger must not queue on its row for a
    -- timestamp; whoever holds the row sets about the same one.
    update public.workflow_triggers as t set last_fired_at = v_now
    where t.id = (select x.id from public.workflow_triggers as x where x.id = v_trigger.id
                  for no key update skip locked)
      and (t.last_fired_at is null or t.last_fired_at < v_now);
  end if;

  return private.workflow_trigger_firing_answer(v_firing, false);
end;
$$;

comment on function private.fire_workflow_trigger(uuid, text, jsonb, jsonb) is
  'Fires a trigger once per dedupe key: one job and a started firing, or a failed firing with the reason.';

revoke execute on function private.fire_workflow_trigger(uuid, text, jsonb, jsonb) from public, anon, authenticated;

-- For the edge functions (workflow-webhook), which reach Postgres as the service role.
create function public.fire_workflow_trigger_service(
  p_trigger_id uuid,
  p_dedupe_key text,
  p_payload jsonb default null,
  p_details jsonb default '{}'::jsonb
) returns jsonb
language sql
security definer
set search_path = ''
as $$
  select private.fire_workflow_trigger(p_trigger_id, p_dedupe_key, p_payload, p_details);
$$;

comment on function public.fire_workflow_trigger_service(uuid, text, jsonb, jsonb) is
  'Service role only: private.fire_workflow_trigger.';

revoke execute on function public.fire_workflow_trigger_service(uuid, text, jsonb, jsonb) from public, anon, authenticated;
grant execute on function public.fire_workflow_trigger_service(uuid, text, jsonb, jsonb) to service_role;

-- A firing that starts nothing (an event its filter left out, or one whose filter could not
-- be evaluated), once per key like the others.
create function private.record_workflow_trigger_firing(
  p_trigger_id uuid,
  p_dedupe_key text,
  p_status text,
  p_error jsonb,
  p_details jsonb
) returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.workflow_trigger_firings (organisation_id, trigger_id, dedupe_key, status, error, details)
  select t.organisation_id, t.id, p_dedupe_key, p_status, p_error, coalesce(p_details, '{}'::jsonb)
  from public.workflow_triggers as t
  where t.id = p_trigger_id
  on conflict (trigger_id, dedupe_key) do nothing;
$$;

revoke execute on function private.record_workflow_trigger_firing(uuid, text, text, jsonb, jsonb)
  from public, anon, authenticated;

-- The dedupe key of a schedule's tick: `tick:` and the tick as JavaScript's toISOString writes it.
create function private.workflow_tick_iso(p_tick timestamptz) returns text
language sql
immutable
set search_path = ''
as $$
  select to_char(p_tick at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
$$;

revoke execute on function private.workflow_tick_iso(timestamptz) from public, anon, authenticated;


-- Schedules --------------------------------------------------------------------------------------
-- Enabled schedules that are due (next_fire_at passed) or have no next time yet (new, edited,
-- re-enabled), with the zone their cron is in. Reads only. Service role (the orchestrator),
-- every run: plpgsql so its plan is cached per connection (as `language sql` it was planned on
-- every call: 4-6 ms p50 against 0.3-1 ms, empty, on a loaded 2-core machine).
create function public.due_workflow_schedules(p_limit integer default 100) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_limit integer := greatest(1, least(coalesce(p_limit, 100), 1000));
  v_due jsonb;
begin
  -- Two index scans of workflow_triggers_schedule_due_idx (an `or` would read it all).
  select coalesce(jsonb_agg(jsonb_build_object(
      'trigger_id', d.id,
      'cron', d.cron,
      'time_zone', private.workflow_trigger_time_zone(d.organisation_id, d.timezone),
      'next_fire_at', d.next_fire_at)
    order by d.next_fire_at nulls first, d.id), '[]'::jsonb)
  into v_due
  from (
    (select t.id, t.organisation_id, t.cron, t.timezone, t.next_fire_at
     from public.workflow_triggers as t
     where t.kind = 'schedule' and t.enabled and t.next_fire_at is null
     limit v_limit)
    union all
    (select t.id, t.organisation_id, t.cron, t.timezone, t.next_fire_at
     from public.workflow_triggers as t
     where t.kind = 'schedule' and t.enabled and t.next_fire_at <= now()
     order by t.next_fire_at
     limit v_limit)
  ) as d;
  return v_due;
end;
$$;

comment on function public.due_workflow_schedules(integer) is
  'Service role: enabled schedules due now or without a next time, with their zone.';

revoke execute on function public.due_workflow_schedules(integer) from public, anon, authenticated;
grant execute on function public.due_workflow_schedules(integer) to service_role;

-- Moves schedules on and fires their due ticks. Each item: { trigger_id, expected (the
-- next_fire_at read, null when there was none), cron, time_zone (as read), next_fire_at (the
-- tick after, computed by the domain; null: never again → 'infinity') }. Compare and set: the
-- row moves only if it still has `expected`, the same cron and zone and is enabled, so of two
-- orchestrators holding the same tick one moves it and fires, the other is `skipped` (and the
-- tick's dedupe key would stop a second job anyway). A tick missed while nothing ran fires
-- once: the next time is computed from now, not from the missed tick. Each item on its own
-- (an error is answered for it, the others go on).
-- Answers [{ trigger_id, status: 'fired' | 'scheduled' | 'skipped' | 'error', firing?, message? }].
create function public.advance_workflow_schedules(p_items jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_item jsonb;
  v_trigger public.workflow_triggers;
  v_expected timestamptz;
  v_tick text;
  v_firing jsonb;
  v_answers jsonb := '[]'::jsonb;
begin
  if jsonb_typeof(p_items) is distinct from 'array' then
    perform private.raise_http(400, 'invalid_input', 'p_items must be an array');
  end if;
  for v_item in select i.value from jsonb_array_elements(p_items) as i loop
    begin
      v_expected := (v_item ->> 'expected')::timestamptz;
      update public.workflow_triggers as t
      set next_fire_at = coalesce((v_item ->> 'next_fire_at')::timestamptz, 'infinity'::timestamptz)
      where t.id = (v_item ->> 'trigger_id')::uuid
        and t.kind = 'schedule'
        and t.enabled
        and t.next_fire_at is not distinct from v_expected
        and t.cron = v_item ->> 'cron'
        and private.workflow_trigger_time_zone(t.organisation_id, t.timezone) = v_item ->> 'time_zone'
      returning t.* into v_trigger;
      if not found then
        v_answers := v_answers || jsonb_build_object('trigger_id', v_item ->> 'trigger_id', 'status', 'skipped');
      elsif v_expected is null or v_expected > now() then
        v_answers := v_answers || jsonb_build_object('trigger_id', v_trigger.id, 'status', 'scheduled',
          'next_fire_at', v_trigger.next_fire_at);
      else
        v_tick := private.workflow_tick_iso(v_expected);
        v_firing := private.fire_workflow_trigger(v_trigger.id, 'tick:' || v_tick, jsonb_build_object('scheduled_for', v_tick),
          jsonb_build_object('scheduled_for', v_tick, 'time_zone', v_item ->> 'time_zone'));
        v_answers := v_answers || jsonb_build_object('trigger_id', v_trigger.id, 'status', 'fired',
          'next_fire_at', v_trigger.next_fire_at, 'firing', v_firing);
      end if;
    exception when others then
      v_answers := v_answers || jsonb_build_object('trigger_id', v_item ->> 'trigger_id', 'status', 'error',
        'message', left(sqlerrm, 500));
    end;
  end loop;
  return v_answers;
end;
$$;

comment on function public.advance_workflow_schedules(jsonb) is
  'Service role: sets schedules'' next times (compare and set) and fires the ticks that were due, once each.';

revoke execute on function public.advance_workflow_schedules(jsonb) from public, anon, authenticated;
grant execute on function public.advance_workflow_schedules(jsonb) to service_role;


-- App events: the outbox ------------------------------------------------------------------------
-- Written in the transaction of the restaurant_activity row that records the event (…007800),
-- so an event exists exactly when its change committed. Private: no API role reaches it.
create table private.workflow_trigger_events (
  id bigint generated always as identity primary key,
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  event_type text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  -- A drain's lease: another orchestrator takes the row once it ran out (the firings' dedupe
  -- keys make a second drain harmless). Five claims without being dispatched: left here for
  -- an operator to look at, never claimed again.
  claimed_until timestamptz,
  attempts integer not null default 0,
  constraint workflow_trigger_events_type_valid
    check (event_type in ('restaurant.stage_changed', 'task.completed', 'sequence.ended'))
);

comment on table private.workflow_trigger_events is
  'App events waiting for the orchestrator to fire the event triggers they match (outbox).';

alter table private.workflow_trigger_events enable row level security;
revoke all on private.workflow_trigger_events from public, anon, authenticated;

create index workflow_trigger_events_organisation_id_idx on private.workflow_trigger_events (organisation_id);

-- AFTER INSERT on restaurant_activity: an app event for the organisation's enabled event
-- triggers of its type. The probe is one lookup of workflow_triggers_event_idx; most
-- organisations have none and write nothing more.
create function private.tg__enqueue_workflow_trigger_event() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_type text := case new.kind
    when 'stage_changed' then 'restaurant.stage_changed'
    when 'task_completed' then 'task.completed'
    else 'sequence.ended' end;
  v_payload jsonb;
begin
  if not exists (
    select 1 from public.workflow_triggers as t
    where t.organisation_id = new.organisation_id and t.kind = 'event' and t.enabled
      and t.event_type = v_type
  ) then
    return null;
  end if;

  if v_type = 'restaurant.stage_changed' then
    select jsonb_build_object(
      'restaurant_id', r.id,
      'restaurant', jsonb_build_object('id', r.id, 'name', r.name, 'city', r.city,
        'lead_stage', r.lead_stage, 'lead_warmth', r.lead_warmth, 'lead_status', r.lead_status,
        'assigned_sales_rep', r.assigned_sales_rep),
      'from_stage', new.from_value,
      'to_stage', new.to_value,
      'actor_id', new.actor_id)
    into v_payload
    from public.restaurants as r
    where r.id = new.restaurant_id;
  elsif v_type = 'task.completed' then
    select jsonb_build_object(
      'task_id', t.id,
      'task', jsonb_build_object('id', t.id, 'name', t.name, 'type', t.type,
        'restaurant_id', t.restaurant_id, 'sequence_instance_id', t.sequence_instance_id,
        'sequence_step_order', t.sequence_step_order, 'assigned_to', t.assigned_to,
        'call_outcome', t.metadata ->> 'call_outcome'),
      'restaurant_id', t.restaurant_id,
      'actor_id', new.actor_id)
    into v_payload
    from public.tasks as t
    where t.id = new.task_id;
  else
    select jsonb_build_object(
      'sequence_instance_id', i.id,
      'sequence', jsonb_build_object('id', i.id, 'name', i.name,
        'sequence_template_id', i.sequence_template_id, 'status', i.status,
        'exit_reason', i.exit_reason),
      'restaurant_id', i.restaurant_id)
    into v_payload
    from public.sequence_instances as i
    where i.id = new.sequence_instance_id;
  end if;
  if v_payload is null then
    return null;
  end if;

  insert into private.workflow_trigger_events (organisation_id, event_type, payload)
  values (new.organisation_id, v_type,
    jsonb_build_object('event', v_type, 'organisation_id', new.organisation_id,
      'occurred_at', new.created_at) || v_payload);
  return null;
end;
$$;

comment on function private.tg__enqueue_workflow_trigger_event() is
  'AFTER INSERT on restaurant_activity: writes the app event to the trigger outbox when the organisation has an enabled event trigger for it.';

revoke execute on function private.tg__enqueue_workflow_trigger_event() from public, anon, authenticated;

create trigger _500_workflow_trigger_event
  after insert on public.restaurant_activity
  for each row
  when (new.kind in ('stage_changed', 'task_completed', 'sequence_completed', 'sequence_cancelled',
    'sequence_exited'))
  execute function private.tg__enqueue_workflow_trigger_event();

-- Takes up to p_limit events (oldest first, skip locked, a lease of p_lease_seconds) with the
-- enabled event triggers each one matches (its organisation and type, made before it).
-- Service role (the orchestrator), which evaluates the filters and answers with
-- dispatch_workflow_trigger_events.
-- [{ id, organisation_id, event_type, payload, triggers: [{ id, event_filter }] }]
create function public.claim_workflow_trigger_events(
  p_limit integer default 100,
  p_lease_seconds integer default 60
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_claimed jsonb;
begin
  if p_limit is null or p_limit not between 1 and 1000 then
    perform private.raise_http(400, 'invalid_input', 'p_limit must be between 1 and 1000');
  end if;
  if p_lease_seconds is null or p_lease_seconds not between 1 and 3600 then
    perform private.raise_http(400, 'invalid_input', 'p_lease_seconds must be between 1 and 3600');
  end if;
  with picked as (
    select e.id
    from private.workflow_trigger_events as e
    where (e.claimed_until is null or e.claimed_until < now()) and e.attempts < 5
    order by e.id
    limit p_limit
    for update skip locked
  ), claimed as (
    update private.workflow_trigger_events as e
    set claimed_until = now() + make_interval(secs => p_lease_seconds),
        attempts = e.attempts + 1
    from picked
    where e.id = picked.id
    returning e.id, e.organisation_id, e.event_type, e.payload, e.created_at
  )
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', c.id,
      'organisation_id', c.organisation_id,
      'event_type', c.event_type,
      'payload', c.payload,
      'triggers', coalesce((
        select jsonb_agg(jsonb_build_object('id', t.id, 'event_filter', t.event_filter)
          order by t.created_at, t.id)
        from public.workflow_triggers as t
        where t.organisation_id = c.organisation_id and t.kind = 'event' and t.enabled
          and t.event_type = c.event_type and t.created_at <= c.created_at
      ), '[]'::jsonb))
    order by c.id), '[]'::jsonb)
  into v_claimed
  from claimed as c;
  return v_claimed;
end;
$$;

comment on function public.claim_workflow_trigger_events(integer, integer) is
  'Service role: leases app events from the trigger outbox with the event triggers each matches.';

revoke execute on function public.claim_workflow_trigger_events(integer, integer) from public, anon, authenticated;
grant execute on function public.claim_workflow_trigger_events(integer, integer) to service_role;

-- The orchestrator's decisions for claimed events: [{ id, results: [{ trigger_id, outcome:
-- 'fire' | 'filtered_out' | 'failed', error? }] }]. Each event: every decision recorded under
-- the dedupe key `event:<id>` (fire → private.fire_workflow_trigger), then the event deleted.
-- A trigger the event does not belong to (another organisation's, another type) is ignored.
-- An event another orchestrator is dispatching is skipped; each on its own (an error is
-- answered, the event stays for its lease to run out).
-- Answers [{ id, status: 'dispatched' | 'skipped' | 'error', started, message? }].
create function public.dispatch_workflow_trigger_events(p_decisions jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_item jsonb;
  v_result jsonb;
  v_event private.workflow_trigger_events;
  v_key text;
  v_details jsonb;
  v_outcome text;
  v_fired jsonb;
  v_started integer;
  v_answers jsonb := '[]'::jsonb;
begin
  if jsonb_typeof(p_decisions) is distinct from 'array' then
    perform private.raise_http(400, 'invalid_input', 'p_decisions must be an array');
  end if;
  for v_item in select d.value from jsonb_array_elements(p_decisions) as d loop
    begin
      select e.* into v_event
      from private.workflow_trigger_events as e
      where e.id = (v_item ->> 'id')::bigint
      for update skip locked;
      if not found then
        v_answers := v_answers || jsonb_build_object('id', v_item -> 'id', 'status', 'skipped');
        continue;
      end if;
      v_key := 'event:' || v_event.id;
      v_details := jsonb_strip_nulls(jsonb_build_object('event', v_event.event_type,
        'restaurant_id', v_event.payload -> 'restaurant_id',
        'task_id', v_event.payload -> 'task_id',
        'sequence_instance_id', v_event.payload -> 'sequence_instance_id',
        'occurred_at', v_event.payload -> 'occurred_at'));
      v_started := 0;
      for v_result in
        select r.value
        from jsonb_array_elements(coalesce(v_item -> 'results', '[]'::jsonb)) as r
        join public.workflow_triggers as t
          on t.id = (r.value ->> 'trigger_id')::uuid
         and t.organisation_id = v_event.organisation_id
         and t.kind = 'event' and t.event_type = v_event.event_type
      loop
        v_outcome := v_result ->> 'outcome';
        if v_outcome = 'fire' then
          v_fired := private.fire_workflow_trigger((v_result ->> 'trigger_id')::uuid, v_key,
            jsonb_build_object('event', v_event.payload), v_details);
          if v_fired ->> 'status' = 'started' and not (v_fired ->> 'replayed')::boolean then
            v_started := v_started + 1;
          end if;
        elsif v_outcome in ('filtered_out', 'failed') then
          perform private.record_workflow_trigger_firing((v_result ->> 'trigger_id')::uuid, v_key,
            v_outcome,
            case when jsonb_typeof(v_result -> 'error') = 'object' then v_result -> 'error' end,
            v_details);
        end if;
      end loop;
      delete from private.workflow_trigger_events as e where e.id = v_event.id;
      v_answers := v_answers || jsonb_build_object('id', v_event.id, 'status', 'dispatched',
        'started', v_started);
    exception when others then
      v_answers := v_answers || jsonb_build_object('id', v_item -> 'id', 'status', 'error',
        'message', left(sqlerrm, 500));
    end;
  end loop;
  return v_answers;
end;
$$;

comment on function public.dispatch_workflow_trigger_events(jsonb) is
  'Service role: records the filter decisions for claimed app events (firing the matches once each) and removes them from the outbox.';

revoke execute on function public.dispatch_workflow_trigger_events(jsonb) from public, anon, authenticated;
grant execute on function public.dispatch_workflow_trigger_events(jsonb) to service_role;
