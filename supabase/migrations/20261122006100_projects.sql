-- Projects (issue 11; docs/projects-contract.md): an organisation's projects, each with its
-- variables (hardcoded, or read from the linked environment), API hosts, the one environment
-- it links to at a time, and the workflows it uses. Its flow sequences are in …006200.
-- Not writable through the API: save-project validates with packages/domain and calls
-- public.save_project as the service role; switching the environment is
-- public.set_project_environment (one click in the UI).

create table public.projects (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  slug text not null,
  name text not null,
  description text,
  status text not null default 'active',
  environment_id uuid,
  -- { "<name>": "<http(s) URL>" }; a linked environment's host of the same name wins.
  api_hosts jsonb not null default '{}'::jsonb,
  -- ProjectVariable[] (packages/domain flows/schemas.ts)
  variables jsonb not null default '[]'::jsonb,
  -- The workflows the project uses; saving a sequence adds its flows' workflows. No foreign
  -- key (arrays have none): a deleted workflow's id stays until the project is saved.
  workflow_ids uuid[] not null default '{}',
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  updated_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint projects_organisation_id_slug_key unique (organisation_id, slug),
  -- The target of flow_sequences' composite foreign key.
  constraint projects_organisation_id_id_key unique (organisation_id, id),
  -- Only an environment of the project's own organisation; deleting it unlinks the project.
  constraint projects_environment_id_fkey
    foreign key (organisation_id, environment_id)
    references public.environments (organisation_id, id) on delete set null (environment_id),
  constraint projects_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(slug) <= 60),
  constraint projects_name_length check (char_length(btrim(name)) >= 1 and char_length(name) <= 200),
  constraint projects_description_length check (char_length(description) <= 2000),
  constraint projects_status_valid check (status in ('active', 'archived')),
  constraint projects_api_hosts_is_object check (
    jsonb_typeof(api_hosts) = 'object' and octet_length(api_hosts::text) <= 200000
  ),
  constraint projects_variables_is_array check (
    jsonb_typeof(variables) = 'array'
    and jsonb_array_length(variables) <= 100
    and octet_length(variables::text) <= 2000000
  ),
  constraint projects_workflow_ids_count check (cardinality(workflow_ids) <= 200)
);

comment on table public.projects is
  'A project: variables (hardcoded or from its linked environment), API hosts, the workflows it uses; its flow sequences.';

alter table public.projects enable row level security;

create index projects_organisation_id_environment_id_idx on public.projects (organisation_id, environment_id);
create index projects_created_by_idx on public.projects (created_by);
create index projects_updated_by_idx on public.projects (updated_by);
-- The projects list searches by name within an organisation.
create index projects_organisation_id_name_idx on public.projects (organisation_id, lower(name));
-- Which projects use a workflow (workflow_ids @> array[id]).
create index projects_workflow_ids_idx on public.projects using gin (workflow_ids);

create trigger _100_set_updated_at
  before update on public.projects
  for each row execute function private.tg__set_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.projects
  for each row execute function private.tg__keep_organisation_id('project');

create trigger _900_bound_api_delete
  after delete on public.projects
  referencing old table as deleted_rows
  for each statement
  -- Only the request's own statement: rows a deleted parent cascades to (an organisation's,
  -- a project's) run inside the foreign key's trigger, still as the API role, and would
  -- make a parent with over 100 children undeletable.
  when (pg_trigger_depth() = 0)
  execute function private.tg__bound_api_delete();

revoke all on public.projects from anon, authenticated;
grant select, delete on public.projects to authenticated;

create policy projects_select_members on public.projects
  for select to authenticated
  using (organisation_id in (select private.user_organisation_ids()));

create policy projects_delete_admins on public.projects
  for delete to authenticated
  using (organisation_id in (select private.user_admin_organisation_ids()));


-- A problem with a project's variables as save_project receives them, or null (the edge
-- function validates fully first; this keeps what is stored in shape).
create function private.project_variables_problem(p_variables jsonb)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_variable record;
  v_names text[] := '{}';
begin
  if jsonb_typeof(p_variables) is distinct from 'array' then
    return 'variables must be an array';
  end if;
  if jsonb_array_length(p_variables) > 100 then
    return 'at most 100 variables';
  end if;
  for v_variable in select e.value, e.ordinality - 1 as i from jsonb_array_elements(p_variables) with ordinality as e loop
    if jsonb_typeof(v_variable.value) is distinct from 'object'
      or coalesce(v_variable.value ->> 'name', '') !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$' then
      return format('variables.%s.name must be a valid name', v_variable.i);
    end if;
    if coalesce(v_variable.value ->> 'type', '') not in ('string', 'number', 'boolean') then
      return format('variables.%s.type must be string, number or boolean', v_variable.i);
    end if;
    if jsonb_typeof(v_variable.value -> 'required') is distinct from 'boolean' then
      return format('variables.%s.required must be true or false', v_variable.i);
    end if;
    if coalesce(v_variable.value ->> 'source', '') not in ('hardcoded', 'environment') then
      return format('variables.%s.source must be hardcoded or environment', v_variable.i);
    end if;
    if v_variable.value ->> 'source' = 'environment'
      and coalesce(v_variable.value ->> 'environment_variable', '') !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$' then
      return format('variables.%s.environment_variable must be a valid name', v_variable.i);
    end if;
    if (v_variable.value ->> 'name') = any (v_names) then
      return format('variables.%s: the name %s is used twice', v_variable.i, v_variable.value ->> 'name');
    end if;
    v_names := v_names || (v_variable.value ->> 'name');
  end loop;
  return null;
end;
$$;

revoke execute on function private.project_variables_problem(jsonb) from public, anon, authenticated;


-- Creates (p_project_id null) or saves a project. Service role only: the save-project edge
-- function validates (packages/domain; environment variables the project reads must exist)
-- and passes the verified caller, checked again here (403 member, 404 non-member).
create function public.save_project(
  p_user_id uuid,
  p_organisation_id uuid,
  p_project_id uuid,
  p_slug text,
  p_name text,
  p_description text,
  p_status text,
  p_environment_id uuid,
  p_api_hosts jsonb,
  p_variables jsonb,
  p_workflow_ids uuid[]
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_api_hosts jsonb := coalesce(p_api_hosts, '{}'::jsonb);
  v_variables jsonb := coalesce(p_variables, '[]'::jsonb);
  -- Without duplicates, in the order given.
  v_workflow_ids uuid[] := array(
    select w.id
    from unnest(coalesce(p_workflow_ids, '{}')) with ordinality as w (id, n)
    where w.id is not null
    group by w.id
    order by min(w.n)
  );
  v_problem text;
  v_unknown uuid;
  v_project public.projects;
begin
  if not private.is_organisation_member(p_organisation_id, p_user_id, array['owner', 'admin']) then
    if private.is_organisation_member(p_organisation_id, p_user_id) then
      perform private.raise_http(403, 'forbidden', 'only owners and admins can edit projects');
    end if;
    perform private.raise_http(404, 'P0002', 'organisation not found');
  end if;

  if p_slug is null or p_slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' or char_length(p_slug) > 60 then
    perform private.raise_http(400, 'invalid_input',
      'a slug is lower-case letters and digits joined by single -, at most 60 characters');
  end if;
  if p_name is null or char_length(btrim(p_name)) = 0 or char_length(p_name) > 200 then
    perform private.raise_http(400, 'invalid_input', 'a name is 1 to 200 characters');
  end if;
  if char_length(p_description) > 2000 then
    perform private.raise_http(400, 'invalid_input', 'the description is at most 2000 characters');
  end if;
  if coalesce(p_status, '') not in ('active', 'archived') then
    perform private.raise_http(400, 'invalid_input', 'status must be active or archived');
  end if;
  v_problem := coalesce(
    private.environment_input_problem(v_api_hosts, '[]'::jsonb),
    private.project_variables_problem(v_variables));
  if v_problem is not null then
    perform private.raise_http(400, 'invalid_input', v_problem);
  end if;
  if cardinality(v_workflow_ids) > 200 then
    perform private.raise_http(400, 'invalid_input', 'a project uses at most 200 workflows');
  end if;
  if p_environment_id is not null and not exists (
    select 1 from public.environments as e
    where e.id = p_environment_id and e.organisation_id = p_organisation_id
  ) then
    perform private.raise_http(400, 'unknown_environment', 'the environment is not one of this organisation''s');
  end if;
  select w.id into v_unknown
  from unnest(v_workflow_ids) as w (id)
  where not exists (
    select 1 from public.workflows as f where f.id = w.id and f.organisation_id = p_organisation_id
  )
  limit 1;
  if found then
    perform private.raise_http(400, 'unknown_workflow',
      format('workflow %s is not one of this organisation''s', v_unknown));
  end if;

  if p_project_id is null then
    begin
      insert into public.projects
        (organisation_id, slug, name, description, status, environment_id, api_hosts, variables,
         workflow_ids, created_by, updated_by)
      values
        (p_organisation_id, p_slug, btrim(p_name), p_description, p_status, p_environment_id,
         v_api_hosts, v_variables, v_workflow_ids, p_user_id, p_user_id)
      returning * into v_project;
    exception when unique_violation then
      perform private.raise_http(409, 'slug_taken',
        format('a project with slug %s already exists in this organisation', p_slug));
    end;
    return to_jsonb(v_project);
  end if;

  begin
    update public.projects as p set
      slug = p_slug,
      name = btrim(p_name),
      description = p_description,
      status = p_status,
      environment_id = p_environment_id,
      api_hosts = v_api_hosts,
      variables = v_variables,
      workflow_ids = v_workflow_ids,
      updated_by = p_user_id
    where p.id = p_project_id and p.organisation_id = p_organisation_id
    returning * into v_project;
  exception when unique_violation then
    perform private.raise_http(409, 'slug_taken',
      format('a project with slug %s already exists in this organisation', p_slug));
  end;
  if v_project.id is null then
    perform private.raise_http(404, 'P0002', 'project not found');
  end if;
  return to_jsonb(v_project);
end;
$$;

comment on function public.save_project(uuid, uuid, uuid, text, text, text, text, uuid, jsonb, jsonb, uuid[]) is
  'Service role only (save-project edge function): creates or saves a project.';

revoke execute on function public.save_project(uuid, uuid, uuid, text, text, text, text, uuid, jsonb, jsonb, uuid[])
  from public, anon, authenticated;
grant execute on function public.save_project(uuid, uuid, uuid, text, text, text, text, uuid, jsonb, jsonb, uuid[])
  to service_role;


-- Links a project to one of its organisation's environments, or unlinks it (null): the
-- one-click switch staging ↔ production, which changes what the next run resolves.
-- Owners and admins; 404 for a project or environment the caller cannot see, 403 members.
-- p_environment_id defaults to null so the generated types let the web app omit it to unlink.
create function public.set_project_environment(p_project_id uuid, p_environment_id uuid default null)
returns public.projects
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_project public.projects;
begin
  select p.* into v_project
  from public.projects as p
  where p.id = p_project_id and private.is_organisation_member(p.organisation_id, v_user_id)
  for update;
  if not found then
    perform private.raise_http(404, 'P0002', 'project not found');
  end if;
  if not private.is_organisation_member(v_project.organisation_id, v_user_id, array['owner', 'admin']) then
    perform private.raise_http(403, 'forbidden', 'only owners and admins can change a project''s environment');
  end if;
  if p_environment_id is not null and not exists (
    select 1 from public.environments as e
    where e.id = p_environment_id and e.organisation_id = v_project.organisation_id
  ) then
    perform private.raise_http(404, 'P0002', 'environment not found');
  end if;
  update public.projects as p set environment_id = p_environment_id, updated_by = v_user_id
  where p.id = v_project.id
  returning * into v_project;
  return v_project;
end;
$$;

comment on function public.set_project_environment(uuid, uuid) is
  'Owners/admins: links a project to an environment of its organisation, or unlinks it (null).';

revoke execute on function public.set_project_environment(uuid, uuid) from public, anon;
grant execute on function public.set_project_environment(uuid, uuid) to authenticated, service_role;
