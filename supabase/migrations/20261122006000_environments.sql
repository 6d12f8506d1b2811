-- Environments (issue 11; docs/projects-contract.md): an organisation's named sets of
-- variables and API hosts (staging, production) that a project links to one at a time.
--
-- A secret variable's value is write-only: it lives in private.environment_secrets, which no
-- API role can read; environments.variables holds `{ name, secret: true, value: null,
-- has_value }` for it (a check constraint refuses a secret with a value there). Only the run
-- resolver reads the values, under the service role, through flow_run_secret_values.
-- Neither table is writable through the API: save-environment validates with
-- packages/domain (flows/schemas.ts) and calls public.save_environment as the service role.

create table public.environments (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  name text not null,
  description text,
  -- { "<name>": "<http(s) URL>" }
  api_hosts jsonb not null default '{}'::jsonb,
  -- EnvironmentVariable[]: [{ name, secret, value (null for a secret), has_value }]
  variables jsonb not null default '[]'::jsonb,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  updated_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint environments_organisation_id_name_key unique (organisation_id, name),
  -- The target of projects' composite foreign key (an environment of the same organisation).
  constraint environments_organisation_id_id_key unique (organisation_id, id),
  constraint environments_name_format check (name ~ '^[a-z0-9][a-z0-9_-]{0,59}$'),
  constraint environments_description_length check (char_length(description) <= 2000),
  constraint environments_api_hosts_is_object check (
    jsonb_typeof(api_hosts) = 'object' and octet_length(api_hosts::text) <= 200000
  ),
  constraint environments_variables_is_array check (
    jsonb_typeof(variables) = 'array'
    and jsonb_array_length(variables) <= 100
    and octet_length(variables::text) <= 2000000
  ),
  -- Defence in depth under save_environment: a secret's value never sits in this table.
  constraint environments_no_secret_values check (
    not jsonb_path_exists(variables, '$[*] ? (@.secret == true && @.value != null)')
  )
);

comment on table public.environments is
  'Named variables and API hosts (staging, production) a project links to; secret values are in private.environment_secrets.';

alter table public.environments enable row level security;

create index environments_created_by_idx on public.environments (created_by);
create index environments_updated_by_idx on public.environments (updated_by);

create trigger _100_set_updated_at
  before update on public.environments
  for each row execute function private.tg__set_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.environments
  for each row execute function private.tg__keep_organisation_id('environment');

-- Issue 10 §4: one API request deletes at most 100 rows.
create trigger _900_bound_api_delete
  after delete on public.environments
  referencing old table as deleted_rows
  for each statement
  -- Only the request's own statement: rows a deleted parent cascades to (an organisation's,
  -- a project's) run inside the foreign key's trigger, still as the API role, and would
  -- make a parent with over 100 children undeletable.
  when (pg_trigger_depth() = 0)
  execute function private.tg__bound_api_delete();

revoke all on public.environments from anon, authenticated;
grant select, delete on public.environments to authenticated;

-- Members read their organisation's environments (names, plain values, masked secrets);
-- owners and admins delete them. No insert/update policy: saves go through the RPC below.
create policy environments_select_members on public.environments
  for select to authenticated
  using (organisation_id in (select private.user_organisation_ids()));

create policy environments_delete_admins on public.environments
  for delete to authenticated
  using (organisation_id in (select private.user_admin_organisation_ids()));


create table private.environment_secrets (
  environment_id uuid not null references public.environments (id) on delete cascade,
  name text not null,
  value text not null,
  primary key (environment_id, name),
  constraint environment_secrets_value_length check (char_length(value) <= 10000)
);

comment on table private.environment_secrets is
  'The values of environments'' secret variables; read only by the service-role run resolver (flow_run_secret_values).';

-- Written and read only through the definer RPCs below.
alter table private.environment_secrets enable row level security;
revoke all on table private.environment_secrets from public, anon, authenticated, service_role;


-- A problem with an environment's api_hosts or variables as save_environment receives them,
-- or null. The edge function validates fully first (packages/domain); this keeps what is
-- stored in shape whoever calls the RPC.
create function private.environment_input_problem(p_api_hosts jsonb, p_variables jsonb)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_host record;
  v_variable record;
  v_names text[] := '{}';
begin
  if jsonb_typeof(p_api_hosts) is distinct from 'object' then
    return 'api_hosts must be an object of name → URL';
  end if;
  for v_host in select h.key, h.value from jsonb_each(p_api_hosts) as h loop
    if v_host.key !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$' then
      return format('api_hosts: %s is not a valid name', v_host.key);
    end if;
    if jsonb_typeof(v_host.value) is distinct from 'string'
      or v_host.value #>> '{}' !~* '^https?://[^\s/]+(/[^\s]*)?$' then
      return format('api_hosts.%s must be an http(s) URL', v_host.key);
    end if;
  end loop;
  if jsonb_typeof(p_variables) is distinct from 'array' then
    return 'variables must be an array';
  end if;
  if jsonb_array_length(p_variables) > 100 then
    return 'at most 100 variables';
  end if;
  for v_variable in select e.value, e.ordinality - 1 as i from jsonb_array_elements(p_variables) with ordinality as e loop
    if jsonb_typeof(v_variable.value) is distinct from 'object'
      or jsonb_typeof(v_variable.value -> 'name') is distinct from 'string'
      or coalesce(v_variable.value ->> 'name', '') !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$' then
      return format('variables.%s.name must be a valid name', v_variable.i);
    end if;
    if jsonb_typeof(v_variable.value -> 'secret') is distinct from 'boolean' then
      return format('variables.%s.secret must be true or false', v_variable.i);
    end if;
    if coalesce(jsonb_typeof(v_variable.value -> 'value'), 'null') not in ('null', 'string')
      or char_length(v_variable.value ->> 'value') > 10000 then
      return format('variables.%s.value must be a string of at most 10000 characters or null', v_variable.i);
    end if;
    if (v_variable.value ->> 'name') = any (v_names) then
      return format('variables.%s: the name %s is used twice', v_variable.i, v_variable.value ->> 'name');
    end if;
    v_names := v_names || (v_variable.value ->> 'name');
  end loop;
  return null;
end;
$$;

revoke execute on function private.environment_input_problem(jsonb, jsonb) from public, anon, authenticated;


-- Creates (p_environment_id null) or saves an environment. Service role only: the
-- save-environment edge function validates and passes the verified caller, checked again
-- here (403 member, 404 non-member). Secrets: a string value replaces the stored one; a
-- null or absent value keeps it; a secret no longer listed, or now a plain variable, is
-- deleted. Returns the row (secret values never in it).
create function public.save_environment(
  p_user_id uuid,
  p_organisation_id uuid,
  p_environment_id uuid,
  p_name text,
  p_description text,
  p_api_hosts jsonb,
  p_variables jsonb
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_api_hosts jsonb := coalesce(p_api_hosts, '{}'::jsonb);
  v_input jsonb := coalesce(p_variables, '[]'::jsonb);
  v_problem text;
  v_environment public.environments;
  v_variables jsonb := '[]'::jsonb;
  v_variable jsonb;
  v_secret_names text[] := '{}';
  v_has_value boolean;
begin
  if not private.is_organisation_member(p_organisation_id, p_user_id, array['owner', 'admin']) then
    if private.is_organisation_member(p_organisation_id, p_user_id) then
      perform private.raise_http(403, 'forbidden', 'only owners and admins can edit environments');
    end if;
    perform private.raise_http(404, 'P0002', 'organisation not found');
  end if;

  if p_name is null or p_name !~ '^[a-z0-9][a-z0-9_-]{0,59}$' then
    perform private.raise_http(400, 'invalid_input',
      'an environment name is 1–60 lower-case letters, digits, _ or -, e.g. staging');
  end if;
  if char_length(p_description) > 2000 then
    perform private.raise_http(400, 'invalid_input', 'the description is at most 2000 characters');
  end if;
  v_problem := private.environment_input_problem(v_api_hosts, v_input);
  if v_problem is not null then
    perform private.raise_http(400, 'invalid_input', v_problem);
  end if;

  if p_environment_id is null then
    begin
      insert into public.environments (organisation_id, name, description, api_hosts, created_by, updated_by)
      values (p_organisation_id, p_name, p_description, v_api_hosts, p_user_id, p_user_id)
      returning * into v_environment;
    exception when unique_violation then
      perform private.raise_http(409, 'name_taken',
        format('an environment named %s already exists in this organisation', p_name));
    end;
  else
    select e.* into v_environment
    from public.environments as e
    where e.id = p_environment_id and e.organisation_id = p_organisation_id
    for update;
    if not found then
      perform private.raise_http(404, 'P0002', 'environment not found');
    end if;
  end if;

  -- Store each secret's new value; build the public list (no secret value in it).
  for v_variable in select e.value from jsonb_array_elements(v_input) as e loop
    if (v_variable -> 'secret')::boolean then
      v_secret_names := v_secret_names || (v_variable ->> 'name');
      if jsonb_typeof(v_variable -> 'value') = 'string' then
        insert into private.environment_secrets (environment_id, name, value)
        values (v_environment.id, v_variable ->> 'name', v_variable ->> 'value')
        on conflict (environment_id, name) do update set value = excluded.value;
        v_has_value := true;
      else
        v_has_value := exists (
          select 1 from private.environment_secrets as s
          where s.environment_id = v_environment.id and s.name = v_variable ->> 'name'
        );
      end if;
      v_variables := v_variables || jsonb_build_array(jsonb_build_object(
        'name', v_variable ->> 'name', 'secret', true, 'value', null, 'has_value', v_has_value));
    else
      v_variables := v_variables || jsonb_build_array(jsonb_build_object(
        'name', v_variable ->> 'name', 'secret', false,
        'value', coalesce(v_variable -> 'value', 'null'::jsonb),
        'has_value', jsonb_typeof(v_variable -> 'value') = 'string'));
    end if;
  end loop;

  -- A secret no longer listed, or switched to a plain variable, loses its stored value.
  delete from private.environment_secrets as s
  where s.environment_id = v_environment.id and not (s.name = any (v_secret_names));

  begin
    update public.environments as e set
      name = p_name,
      description = p_description,
      api_hosts = v_api_hosts,
      variables = v_variables,
      updated_by = p_user_id
    where e.id = v_environment.id
    returning * into v_environment;
  exception when unique_violation then
    perform private.raise_http(409, 'name_taken',
      format('an environment named %s already exists in this organisation', p_name));
  end;
  return to_jsonb(v_environment);
end;
$$;

comment on function public.save_environment(uuid, uuid, uuid, text, text, jsonb, jsonb) is
  'Service role only (save-environment edge function): creates or saves an environment, keeping secret values private.';

revoke execute on function public.save_environment(uuid, uuid, uuid, text, text, jsonb, jsonb)
  from public, anon, authenticated;
grant execute on function public.save_environment(uuid, uuid, uuid, text, text, jsonb, jsonb)
  to service_role;


-- The real values of an environment's secrets, { "<name>": "<value>" } ({} when none or no
-- such environment). Service role only: the run resolver (run-flow-sequence) resolves a run's
-- variables with it; nothing it returns may be recorded unmasked.
create function public.flow_run_secret_values(p_environment_id uuid) returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_object_agg(s.name, s.value), '{}'::jsonb)
  from private.environment_secrets as s
  where s.environment_id = p_environment_id;
$$;

comment on function public.flow_run_secret_values(uuid) is
  'Service role only: an environment''s secret values by name, for the run resolver.';

revoke execute on function public.flow_run_secret_values(uuid) from public, anon, authenticated;
grant execute on function public.flow_run_secret_values(uuid) to service_role;
