-- Workflows and their versions (seed 003 iteration 4; docs/workflows-contract.md).
--
-- A workflow is organisation-scoped, with a human key unique in its organisation (so
-- machines can start it as "transcribe-call" rather than by uuid). Every saved definition
-- is kept in workflow_versions with its number, change description and author, and a job
-- pins the version it started on: editing a workflow never changes a running job.
-- Neither table is writable through the API: saving goes through the save-workflow edge
-- function, which validates the definition with packages/domain (RFC 9535 JSONPath
-- parsing included) and then calls public.save_workflow.

create table public.workflows (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  key text not null,
  name text not null,
  description text,
  definition jsonb not null,
  retry_policy jsonb not null default '{}'::jsonb,
  status text not null default 'active',
  version integer not null default 1,
  created_by uuid references public.profiles (id) on delete set null,
  updated_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- In the trash since deleted_at (…005100_trash.sql: move_to_trash, restore, purge): hidden,
  -- not startable, not saved; its key stays taken until it is purged.
  deleted_at timestamptz,
  deleted_by uuid references public.profiles (id) on delete set null,
  constraint workflows_organisation_id_key_key unique (organisation_id, key),
  constraint workflows_organisation_id_id_key unique (organisation_id, id),
  constraint workflows_key_format check (key ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  constraint workflows_name_length check (char_length(btrim(name)) >= 1 and char_length(name) <= 120),
  constraint workflows_definition_is_object check (jsonb_typeof(definition) = 'object'),
  constraint workflows_retry_policy_is_object check (jsonb_typeof(retry_policy) = 'object'),
  constraint workflows_status_valid check (status in ('active', 'archived')),
  constraint workflows_version_positive check (version >= 1)
);

comment on table public.workflows is
  'A JSON definition of steps, each running a transformer; version is the latest saved version.';

alter table public.workflows enable row level security;

create index workflows_created_by_idx on public.workflows (created_by);
create index workflows_updated_by_idx on public.workflows (updated_by);
-- Search by name in the dashboard's list.
create index workflows_organisation_id_name_idx on public.workflows (organisation_id, lower(name));

create trigger _100_set_updated_at
  before update on public.workflows
  for each row execute function private.tg__set_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.workflows
  for each row execute function private.tg__keep_organisation_id('workflow');


create table public.workflow_versions (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  workflow_id uuid not null,
  version integer not null,
  definition jsonb not null,
  retry_policy jsonb not null default '{}'::jsonb,
  change_description text,
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint workflow_versions_workflow_id_version_key unique (workflow_id, version),
  constraint workflow_versions_workflow_id_fkey
    foreign key (organisation_id, workflow_id)
    references public.workflows (organisation_id, id) on delete cascade,
  constraint workflow_versions_version_positive check (version >= 1),
  constraint workflow_versions_change_description_length check (char_length(change_description) <= 500)
);

comment on table public.workflow_versions is
  'Every saved definition of a workflow, append-only. Jobs pin (workflow_id, version).';

alter table public.workflow_versions enable row level security;

create index workflow_versions_organisation_id_workflow_id_idx
  on public.workflow_versions (organisation_id, workflow_id);
create index workflow_versions_created_by_idx on public.workflow_versions (created_by);


revoke all on public.workflows from anon, authenticated;
grant select on public.workflows to authenticated;
revoke all on public.workflow_versions from anon, authenticated;
grant select on public.workflow_versions to authenticated;

create policy workflows_select_members on public.workflows
  for select to authenticated
  using (deleted_at is null and organisation_id in (select private.user_organisation_ids()));

create policy workflow_versions_select_members on public.workflow_versions
  for select to authenticated
  using (organisation_id in (select private.user_organisation_ids()));
