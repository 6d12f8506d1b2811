-- Sequences and workflows joined (issue 14): the columns and tables the parts share.
-- docs/automation-contract.md says who writes what; the functions live in later migrations:
--
--   sequence step (type automated: workflow_id, input_map)
--        │ snapshot at start
--        ▼
--   task (automation_status waiting → running → done | needs_attention; job_id) ◀──┐
--        │ when due: exactly one job (jobs.sequence_task_id is unique)              │ job ends
--        ▼                                                                          │
--   job ────────────────────────────────────────────────────────────────────────────┘
--        ▲ trigger_id / trigger_firing_id: what started it
--   workflow_triggers (schedule | webhook | event) ──▶ workflow_trigger_firings (one per
--                                                      schedule tick, delivery or event)

-- Automated steps ------------------------------------------------------------------------
alter table public.sequence_steps drop constraint sequence_steps_type_valid;
alter table public.sequence_steps add constraint sequence_steps_type_valid
  check (type in ('email', 'call', 'text', 'social_message', 'internal_activity', 'automated'));
alter table public.tasks drop constraint tasks_type_valid;
alter table public.tasks add constraint tasks_type_valid
  check (type in ('email', 'call', 'text', 'social_message', 'internal_activity', 'automated'));

alter table public.sequence_steps
  add column workflow_id uuid,
  add column input_map jsonb not null default '{}'::jsonb,
  add constraint sequence_steps_input_map_is_object check (jsonb_typeof(input_map) = 'object'),
  -- Only an automated step names a workflow. (Saving an automated step without one is the
  -- save RPC's 400; a purged workflow leaves the step without one, and its task then needs
  -- attention when it comes due.)
  add constraint sequence_steps_workflow_only_automated check (workflow_id is null or type = 'automated'),
  add constraint sequence_steps_workflow_id_fkey
    foreign key (organisation_id, workflow_id)
    references public.workflows (organisation_id, id)
    on delete set null (workflow_id);

comment on column public.sequence_steps.workflow_id is
  'Automated steps: the workflow whose job does the step.';
comment on column public.sequence_steps.input_map is
  'Automated steps: { <workflow input>: AutomatedInputSource } (packages/domain/src/automated-steps.ts).';

create index sequence_steps_organisation_id_workflow_id_idx
  on public.sequence_steps (organisation_id, workflow_id) where workflow_id is not null;

alter table public.tasks
  add column automation_status text,
  add column job_id uuid,
  add column automation_output jsonb,
  add column automation_error jsonb,
  add constraint tasks_automation_status_valid
    check (automation_status in ('waiting', 'running', 'needs_attention', 'done')),
  add constraint tasks_automation_only_automated
    check (automation_status is null or type = 'automated'),
  add constraint tasks_automation_error_is_object
    check (automation_error is null or jsonb_typeof(automation_error) = 'object');

comment on column public.tasks.automation_status is
  'Automated tasks: waiting (not started), running (its job runs), needs_attention (the job failed or could not start: automation_error), done.';
comment on column public.tasks.job_id is 'Automated tasks: the job doing the step (the latest, if any).';
comment on column public.tasks.automation_output is 'Automated tasks: the job''s final_result, recorded when it completed the task.';
comment on column public.tasks.automation_error is 'Automated tasks: { code, message } of the failure that needs attention.';

-- Automated tasks coming due: the scheduler's scan (waiting, due, active).
create index tasks_automation_due_idx
  on public.tasks (due_date)
  where automation_status = 'waiting' and status = 'active';

-- Triggers -------------------------------------------------------------------------------
create table public.workflow_triggers (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  workflow_id uuid not null,
  kind text not null,
  name text not null,
  enabled boolean not null default true,
  -- schedule: a five-field cron expression in the organisation's time zone (or timezone).
  cron text,
  timezone text,
  next_fire_at timestamptz,
  -- event: which app event, and a JSONPath (RFC 9535) filter on its payload (null: every one).
  event_type text,
  event_filter text,
  -- Merged under what the firing supplies (event, body, scheduled_for) into the job's input.
  input jsonb not null default '{}'::jsonb,
  -- Whose jobs the trigger starts: checked like that member's own start. Null once they left
  -- (a firing is then recorded as failed, and the page says so).
  run_as uuid,
  created_by uuid references public.profiles (id) on delete set null,
  last_fired_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_triggers_kind_valid check (kind in ('schedule', 'webhook', 'event')),
  constraint workflow_triggers_name_length check (char_length(btrim(name)) between 1 and 120),
  constraint workflow_triggers_schedule_has_cron check ((kind = 'schedule') = (cron is not null)),
  constraint workflow_triggers_cron_length check (char_length(cron) <= 200),
  constraint workflow_triggers_timezone_length check (char_length(timezone) <= 64),
  constraint workflow_triggers_event_has_type check ((kind = 'event') = (event_type is not null)),
  constraint workflow_triggers_event_type_valid
    check (event_type in ('restaurant.stage_changed', 'task.completed', 'sequence.ended')),
  constraint workflow_triggers_event_filter_length check (char_length(event_filter) <= 1000),
  constraint workflow_triggers_input_is_object check (jsonb_typeof(input) = 'object'),
  constraint workflow_triggers_input_size check (pg_column_size(input) <= 65536),
  constraint workflow_triggers_workflow_id_fkey
    foreign key (organisation_id, workflow_id)
    references public.workflows (organisation_id, id)
    on delete cascade,
  constraint workflow_triggers_run_as_member_fkey
    foreign key (organisation_id, run_as)
    references public.organisation_members (organisation_id, user_id)
    on delete set null (run_as),
  constraint workflow_triggers_organisation_id_id_key unique (organisation_id, id)
);

comment on table public.workflow_triggers is
  'What starts a workflow by itself: a schedule (cron), a webhook (signed) or an app event (filtered). Written by the trigger RPCs (admins).';

alter table public.workflow_triggers enable row level security;

create index workflow_triggers_organisation_id_workflow_id_idx
  on public.workflow_triggers (organisation_id, workflow_id);
create index workflow_triggers_run_as_idx on public.workflow_triggers (organisation_id, run_as);
create index workflow_triggers_created_by_idx on public.workflow_triggers (created_by);
-- The schedule scan: enabled schedules by next firing.
create index workflow_triggers_schedule_due_idx
  on public.workflow_triggers (next_fire_at)
  where kind = 'schedule' and enabled;
-- App events look up an organisation's enabled triggers for one event type.
create index workflow_triggers_event_idx
  on public.workflow_triggers (organisation_id, event_type)
  where kind = 'event' and enabled;

create trigger _100_set_updated_at
  before update on public.workflow_triggers
  for each row execute function private.tg__set_updated_at();
create trigger _200_keep_organisation_id
  before update on public.workflow_triggers
  for each row execute function private.tg__keep_organisation_id('workflow trigger');

-- A webhook's signing secret: never readable through the API (shown once when made).
create table private.workflow_trigger_secrets (
  trigger_id uuid primary key references public.workflow_triggers (id) on delete cascade,
  secret text not null,
  created_at timestamptz not null default now()
);

comment on table private.workflow_trigger_secrets is
  'A webhook trigger''s HMAC secret. Read only by the webhook function (service role).';

create table public.workflow_trigger_firings (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  trigger_id uuid not null,
  -- What makes a firing the same one again: the schedule's tick (its time), the webhook's
  -- idempotency key, the app event's id. Unique per trigger: it fires once.
  dedupe_key text not null,
  status text not null,
  job_id uuid references public.jobs (id) on delete set null,
  error jsonb,
  -- What fired it, kept small: the event's type and subject, the tick, the delivery's key.
  details jsonb not null default '{}'::jsonb,
  fired_at timestamptz not null default now(),
  constraint workflow_trigger_firings_status_valid check (status in ('started', 'filtered_out', 'failed')),
  constraint workflow_trigger_firings_dedupe_key_length check (char_length(dedupe_key) between 1 and 200),
  constraint workflow_trigger_firings_error_is_object check (error is null or jsonb_typeof(error) = 'object'),
  constraint workflow_trigger_firings_details_is_object check (jsonb_typeof(details) = 'object'),
  constraint workflow_trigger_firings_trigger_dedupe_key unique (trigger_id, dedupe_key),
  constraint workflow_trigger_firings_trigger_id_fkey
    foreign key (organisation_id, trigger_id)
    references public.workflow_triggers (organisation_id, id)
    on delete cascade
);

comment on table public.workflow_trigger_firings is
  'Each time a trigger fired (once per schedule tick, webhook delivery or app event): the job it started, or why not.';

alter table public.workflow_trigger_firings enable row level security;

-- The workflow page lists a trigger's latest firings.
create index workflow_trigger_firings_trigger_fired_idx
  on public.workflow_trigger_firings (trigger_id, fired_at desc);
create index workflow_trigger_firings_organisation_id_trigger_id_idx
  on public.workflow_trigger_firings (organisation_id, trigger_id);
create index workflow_trigger_firings_job_id_idx
  on public.workflow_trigger_firings (job_id) where job_id is not null;

-- Jobs: what started them ---------------------------------------------------------------
alter table public.jobs
  add column sequence_task_id uuid references public.tasks (id) on delete set null,
  add column trigger_id uuid references public.workflow_triggers (id) on delete set null,
  add column trigger_firing_id uuid references public.workflow_trigger_firings (id) on delete set null;

comment on column public.jobs.sequence_task_id is
  'The automated sequence task this job does. Unique: a step never starts two jobs.';
comment on column public.jobs.trigger_id is 'The trigger that started this job, if one did.';

create unique index jobs_sequence_task_id_key on public.jobs (sequence_task_id)
  where sequence_task_id is not null;
create index jobs_trigger_id_idx on public.jobs (trigger_id) where trigger_id is not null;
create index jobs_trigger_firing_id_idx on public.jobs (trigger_firing_id) where trigger_firing_id is not null;

alter table public.tasks
  add constraint tasks_job_id_fkey foreign key (job_id) references public.jobs (id) on delete set null;
create index tasks_job_id_idx on public.tasks (job_id) where job_id is not null;

-- Privileges and policies -----------------------------------------------------------------
-- Reads: members. Writes: only the RPCs (security definer), so no write privileges.
revoke all on public.workflow_triggers from anon, authenticated;
grant select on public.workflow_triggers to authenticated;
revoke all on public.workflow_trigger_firings from anon, authenticated;
grant select on public.workflow_trigger_firings to authenticated;

create policy workflow_triggers_select_members on public.workflow_triggers
  for select to authenticated
  using (organisation_id in (select private.user_organisation_ids()));

create policy workflow_trigger_firings_select_members on public.workflow_trigger_firings
  for select to authenticated
  using (organisation_id in (select private.user_organisation_ids()));
