-- Sequence templates and their ordered steps (seed 001's three-table model, part one).
-- Same rights as the other templates: members read and create; the creator and
-- owners/admins edit and delete, and the steps follow their template.

create table public.sequence_templates (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  name text not null,
  description text,
  tags text[] not null default '{}',
  is_active boolean not null default true,
  usage_count integer not null default 0,
  start_delay_value integer not null default 0,
  start_delay_unit text not null default 'days',
  exit_stages text[] not null default '{}',
  metadata jsonb not null default '{}'::jsonb,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- In the trash since deleted_at (…005100_trash.sql: move_to_trash, restore, purge).
  deleted_at timestamptz,
  deleted_by uuid references public.profiles (id) on delete set null,
  constraint sequence_templates_organisation_id_id_key unique (organisation_id, id),
  constraint sequence_templates_name_length check (char_length(btrim(name)) >= 3 and char_length(name) <= 120),
  constraint sequence_templates_usage_count_not_negative check (usage_count >= 0),
  constraint sequence_templates_start_delay_value_not_negative check (start_delay_value >= 0),
  constraint sequence_templates_start_delay_unit_valid check (start_delay_unit in ('minutes', 'hours', 'days')),
  constraint sequence_templates_exit_stages_valid check (exit_stages <@ array[
    'new', 'contacted', 'qualified', 'demo_booked', 'demo_done', 'proposal', 'negotiation', 'won', 'lost'
  ]::text[]),
  constraint sequence_templates_metadata_is_object check (jsonb_typeof(metadata) = 'object')
);

comment on table public.sequence_templates is
  'A reusable sequence of timed steps; starting it for a restaurant makes a sequence_instance with all its tasks.';
comment on column public.sequence_templates.exit_stages is
  'Restaurant lead stages that end a running instance of this template (exit criteria).';
comment on column public.sequence_templates.usage_count is
  'Instances started from this template (start_sequence, restart_sequence).';

alter table public.sequence_templates enable row level security;

create index sequence_templates_created_by_idx on public.sequence_templates (created_by);
create index sequence_templates_tags_idx on public.sequence_templates using gin (tags);

create trigger _100_set_updated_at
  before update on public.sequence_templates
  for each row execute function private.tg__set_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.sequence_templates
  for each row execute function private.tg__keep_organisation_id('sequence template');


create table public.sequence_steps (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  sequence_template_id uuid not null,
  step_order integer not null,
  name text not null,
  description text,
  type text not null default 'internal_activity',
  priority text not null default 'medium',
  task_template_id uuid,
  message_template_id uuid,
  custom_message text,
  delay_value integer not null default 0,
  delay_unit text not null default 'days',
  assigned_to_override uuid references public.profiles (id) on delete set null,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Deferred, so a reorder (every step_order shifting) saves in one transaction.
  constraint sequence_steps_step_order_key unique (sequence_template_id, step_order)
    deferrable initially deferred,
  constraint sequence_steps_step_order_positive check (step_order > 0),
  constraint sequence_steps_name_length check (char_length(btrim(name)) >= 1 and char_length(name) <= 200),
  constraint sequence_steps_type_valid check (type in ('email', 'call', 'text', 'social_message', 'internal_activity')),
  constraint sequence_steps_priority_valid check (priority in ('low', 'medium', 'high')),
  constraint sequence_steps_delay_value_not_negative check (delay_value >= 0),
  constraint sequence_steps_delay_unit_valid check (delay_unit in ('minutes', 'hours', 'days')),
  constraint sequence_steps_metadata_is_object check (jsonb_typeof(metadata) = 'object'),
  -- Composite foreign keys keep every reference inside the step's organisation.
  constraint sequence_steps_sequence_template_id_fkey
    foreign key (organisation_id, sequence_template_id)
    references public.sequence_templates (organisation_id, id)
    on delete cascade,
  constraint sequence_steps_task_template_id_fkey
    foreign key (organisation_id, task_template_id)
    references public.task_templates (organisation_id, id)
    on delete set null (task_template_id),
  constraint sequence_steps_message_template_id_fkey
    foreign key (organisation_id, message_template_id)
    references public.message_templates (organisation_id, id)
    on delete set null (message_template_id),
  constraint sequence_steps_assigned_to_override_member_fkey
    foreign key (organisation_id, assigned_to_override)
    references public.organisation_members (organisation_id, user_id)
    on delete set null (assigned_to_override)
);

comment on table public.sequence_steps is
  'One step of a sequence template: what to do, and its delay after the previous step''s completion.';
comment on column public.sequence_steps.delay_value is
  'Delay after the previous step is completed (the first step: after the start), counted in the business calendar.';

alter table public.sequence_steps enable row level security;

create index sequence_steps_organisation_id_sequence_template_id_idx
  on public.sequence_steps (organisation_id, sequence_template_id);
create index sequence_steps_organisation_id_task_template_id_idx
  on public.sequence_steps (organisation_id, task_template_id);
create index sequence_steps_organisation_id_message_template_id_idx
  on public.sequence_steps (organisation_id, message_template_id);
create index sequence_steps_organisation_id_assigned_to_override_idx
  on public.sequence_steps (organisation_id, assigned_to_override);
create index sequence_steps_assigned_to_override_idx on public.sequence_steps (assigned_to_override);

create trigger _100_set_updated_at
  before update on public.sequence_steps
  for each row execute function private.tg__set_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.sequence_steps
  for each row execute function private.tg__keep_organisation_id('sequence step');


revoke all on public.sequence_templates from anon, authenticated;
grant select, delete on public.sequence_templates to authenticated;
grant insert (organisation_id, name, description, tags, is_active, start_delay_value, start_delay_unit, exit_stages, metadata, created_by)
  on public.sequence_templates to authenticated;
grant update (name, description, tags, is_active, start_delay_value, start_delay_unit, exit_stages, metadata)
  on public.sequence_templates to authenticated;

revoke all on public.sequence_steps from anon, authenticated;
grant select, delete on public.sequence_steps to authenticated;
grant insert (
  organisation_id, sequence_template_id, step_order, name, description, type, priority, task_template_id,
  message_template_id, custom_message, delay_value, delay_unit, assigned_to_override, metadata
) on public.sequence_steps to authenticated;
grant update (
  step_order, name, description, type, priority, task_template_id, message_template_id, custom_message,
  delay_value, delay_unit, assigned_to_override, metadata
) on public.sequence_steps to authenticated;


-- Sequence templates the current user may edit: all of their admin organisations', and
-- the ones they created in organisations they still belong to. Used by the step policies.
create function private.user_editable_sequence_template_ids() returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
    select t.id
    from public.sequence_templates as t
    where t.organisation_id in (select private.user_admin_organisation_ids())
       or (
         t.created_by = (select auth.uid())
         and t.organisation_id in (select private.user_organisation_ids())
       );
end;
$$;

comment on function private.user_editable_sequence_template_ids() is
  'Sequence template ids the current user may edit (creator or owner/admin of its organisation).';

revoke execute on function private.user_editable_sequence_template_ids() from public, anon;
grant execute on function private.user_editable_sequence_template_ids() to authenticated, service_role;


-- RLS --------------------------------------------------------------------------------
create policy sequence_templates_select_members on public.sequence_templates
  for select to authenticated
  using (deleted_at is null and organisation_id in (select private.user_organisation_ids()));

create policy sequence_templates_insert_members on public.sequence_templates
  for insert to authenticated
  with check (
    organisation_id in (select private.user_organisation_ids())
    and created_by = (select auth.uid())
  );

create policy sequence_templates_update_creator_or_admins on public.sequence_templates
  for update to authenticated
  using (
    organisation_id in (select private.user_admin_organisation_ids())
    or (created_by = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()))
  )
  with check (
    organisation_id in (select private.user_admin_organisation_ids())
    or (created_by = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()))
  );

create policy sequence_templates_delete_creator_or_admins on public.sequence_templates
  for delete to authenticated
  using (
    organisation_id in (select private.user_admin_organisation_ids())
    or (created_by = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()))
  );


create policy sequence_steps_select_members on public.sequence_steps
  for select to authenticated
  using (organisation_id in (select private.user_organisation_ids()));

create policy sequence_steps_insert_template_editors on public.sequence_steps
  for insert to authenticated
  with check (sequence_template_id in (select private.user_editable_sequence_template_ids()));

create policy sequence_steps_update_template_editors on public.sequence_steps
  for update to authenticated
  using (sequence_template_id in (select private.user_editable_sequence_template_ids()))
  with check (sequence_template_id in (select private.user_editable_sequence_template_ids()));

create policy sequence_steps_delete_template_editors on public.sequence_steps
  for delete to authenticated
  using (sequence_template_id in (select private.user_editable_sequence_template_ids()));
