-- Message templates and task templates: the reusable building blocks of tasks and of
-- sequence steps (docs/sequences-contract.md).
--
-- Who may do what (also in the contract): every member reads and creates templates; the
-- creator and the organisation's owners/admins edit and delete them, so a shared template
-- the team relies on cannot be changed or removed by any rep. usage_count and created_by
-- are not writable through the API.

create table public.message_templates (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  name text not null,
  description text,
  type text not null default 'email',
  subject text,
  message_content text not null,
  is_active boolean not null default true,
  usage_count integer not null default 0,
  metadata jsonb not null default '{}'::jsonb,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- In the trash since deleted_at (…005100_trash.sql: move_to_trash, restore, purge).
  deleted_at timestamptz,
  deleted_by uuid references public.profiles (id) on delete set null,
  -- Target of the composite foreign keys that keep references inside one organisation.
  constraint message_templates_organisation_id_id_key unique (organisation_id, id),
  constraint message_templates_name_length check (char_length(btrim(name)) >= 1 and char_length(name) <= 120),
  constraint message_templates_type_valid check (type in ('email', 'call', 'text', 'social_message', 'internal_activity')),
  constraint message_templates_usage_count_not_negative check (usage_count >= 0),
  constraint message_templates_metadata_is_object check (jsonb_typeof(metadata) = 'object')
);

comment on table public.message_templates is
  'A message with {variable} / {variable|fallback} placeholders, rendered for a restaurant into a task''s message.';

alter table public.message_templates enable row level security;

create index message_templates_created_by_idx on public.message_templates (created_by);

create trigger _100_set_updated_at
  before update on public.message_templates
  for each row execute function private.tg__set_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.message_templates
  for each row execute function private.tg__keep_organisation_id('message template');


create table public.task_templates (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  name text not null,
  description text,
  type text not null default 'internal_activity',
  priority text not null default 'medium',
  message_template_id uuid,
  default_message text,
  is_active boolean not null default true,
  usage_count integer not null default 0,
  metadata jsonb not null default '{}'::jsonb,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- In the trash since deleted_at (…005100_trash.sql: move_to_trash, restore, purge).
  deleted_at timestamptz,
  deleted_by uuid references public.profiles (id) on delete set null,
  constraint task_templates_organisation_id_id_key unique (organisation_id, id),
  constraint task_templates_name_length check (char_length(btrim(name)) >= 1 and char_length(name) <= 120),
  constraint task_templates_type_valid check (type in ('email', 'call', 'text', 'social_message', 'internal_activity')),
  constraint task_templates_priority_valid check (priority in ('low', 'medium', 'high')),
  constraint task_templates_usage_count_not_negative check (usage_count >= 0),
  constraint task_templates_metadata_is_object check (jsonb_typeof(metadata) = 'object'),
  -- Composite, so a template can only point at a message template of its own organisation.
  constraint task_templates_message_template_id_fkey
    foreign key (organisation_id, message_template_id)
    references public.message_templates (organisation_id, id)
    on delete set null (message_template_id)
);

comment on table public.task_templates is
  'A reusable task (name, type, priority, message) for ad-hoc tasks and sequence steps.';

alter table public.task_templates enable row level security;

create index task_templates_organisation_id_message_template_id_idx
  on public.task_templates (organisation_id, message_template_id);
create index task_templates_created_by_idx on public.task_templates (created_by);

create trigger _100_set_updated_at
  before update on public.task_templates
  for each row execute function private.tg__set_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.task_templates
  for each row execute function private.tg__keep_organisation_id('task template');


-- Column privileges: anon nothing; authenticated reads, and writes only what a person
-- edits. (Supabase's default grants include TRUNCATE, which RLS does not cover.)
revoke all on public.message_templates from anon, authenticated;
grant select, delete on public.message_templates to authenticated;
grant insert (organisation_id, name, description, type, subject, message_content, is_active, metadata, created_by)
  on public.message_templates to authenticated;
grant update (name, description, type, subject, message_content, is_active, metadata)
  on public.message_templates to authenticated;

revoke all on public.task_templates from anon, authenticated;
grant select, delete on public.task_templates to authenticated;
grant insert (organisation_id, name, description, type, priority, message_template_id, default_message, is_active, metadata, created_by)
  on public.task_templates to authenticated;
grant update (name, description, type, priority, message_template_id, default_message, is_active, metadata)
  on public.task_templates to authenticated;


-- RLS --------------------------------------------------------------------------------
create policy message_templates_select_members on public.message_templates
  for select to authenticated
  using (deleted_at is null and organisation_id in (select private.user_organisation_ids()));

create policy message_templates_insert_members on public.message_templates
  for insert to authenticated
  with check (
    organisation_id in (select private.user_organisation_ids())
    and created_by = (select auth.uid())
  );

create policy message_templates_update_creator_or_admins on public.message_templates
  for update to authenticated
  using (
    organisation_id in (select private.user_admin_organisation_ids())
    or (created_by = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()))
  )
  with check (
    organisation_id in (select private.user_admin_organisation_ids())
    or (created_by = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()))
  );

create policy message_templates_delete_creator_or_admins on public.message_templates
  for delete to authenticated
  using (
    organisation_id in (select private.user_admin_organisation_ids())
    or (created_by = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()))
  );


create policy task_templates_select_members on public.task_templates
  for select to authenticated
  using (deleted_at is null and organisation_id in (select private.user_organisation_ids()));

create policy task_templates_insert_members on public.task_templates
  for insert to authenticated
  with check (
    organisation_id in (select private.user_organisation_ids())
    and created_by = (select auth.uid())
  );

create policy task_templates_update_creator_or_admins on public.task_templates
  for update to authenticated
  using (
    organisation_id in (select private.user_admin_organisation_ids())
    or (created_by = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()))
  )
  with check (
    organisation_id in (select private.user_admin_organisation_ids())
    or (created_by = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()))
  );

create policy task_templates_delete_creator_or_admins on public.task_templates
  for delete to authenticated
  using (
    organisation_id in (select private.user_admin_organisation_ids())
    or (created_by = (select auth.uid()) and organisation_id in (select private.user_organisation_ids()))
  );
