-- Organisation transformers (issue 12 §8; docs/workflow-manager/transformers-and-connections.md):
-- owners and admins create their own transformers from a built-in's type with preset config
-- (a CRM webhook: http-request with method POST and headers), edit them and retire them.
--
-- - The executor is never the caller's choice: an organisation's transformer runs the
--   target_function of the built-in of its type, set by a trigger on every write (the RPC and
--   the table's own insert/update grants alike), so no row can point a type at another
--   executor.
-- - A preset is checked against the built-in's config_schema (…006700, issue 12 §3) when it
--   has one: each field the preset sets must have the declared type, enum and range. Required
--   fields are not asked of a preset: a step's config or input supplies the rest, and
--   save-workflow checks the merged config with the domain's validateFields.
-- - Retired (retired_at set): hidden from the editor's pickers, refused by save-workflow for a
--   step that did not already use it, while saved versions and their jobs keep running it.
-- - Ids are unique per organisation (…004000): another organisation's id is just a free id
--   here, and set_transformer_retired answers 404 for anything not the caller's own.

alter table public.transformers add column retired_at timestamptz;

comment on column public.transformers.retired_at is
  'When an organisation retired its transformer: hidden from pickers and new steps; existing versions keep running it.';

-- No column grant: set_transformer_retired is the one way to set it.

-- The built-ins' config_schema column arrives with …006700; read through to_jsonb so this
-- migration also stands where it has not (the check then only asks for an object).
create function private.transformer_config_problem(p_type text, p_config jsonb) returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_schema jsonb;
  v_field jsonb;
  v_value jsonb;
  v_name text;
  v_type text;
  v_ok boolean;
begin
  if p_config is null or jsonb_typeof(p_config) <> 'object' then
    return 'config must be a JSON object';
  end if;
  select to_jsonb(b) -> 'config_schema' into v_schema
  from public.transformers as b
  where b.organisation_id is null and b.type = p_type
  order by b.id
  limit 1;
  if v_schema is null or jsonb_typeof(v_schema -> 'fields') <> 'array' then
    return null;
  end if;
  for v_field in select f from jsonb_array_elements(v_schema -> 'fields') as f loop
    v_name := v_field ->> 'name';
    v_type := v_field ->> 'type';
    v_value := p_config -> v_name;
    -- Not set (or set to null) in the preset: the step may set it.
    if v_value is null or jsonb_typeof(v_value) = 'null' then
      continue;
    end if;
    v_ok := case v_type
        when 'string' then jsonb_typeof(v_value) = 'string'
        when 'number' then jsonb_typeof(v_value) = 'number'
        -- A nested case, since AND may evaluate the cast before the type test.
        when 'integer' then case when jsonb_typeof(v_value) = 'number'
          then (v_value #>> '{}')::numeric = trunc((v_value #>> '{}')::numeric) else false end
        when 'boolean' then jsonb_typeof(v_value) = 'boolean'
        when 'object' then jsonb_typeof(v_value) = 'object'
        when 'array' then jsonb_typeof(v_value) = 'array'
        when 'file' then jsonb_typeof(v_value) = 'object'
        else true
      end;
    if not v_ok then
      return format('config.%s must be %s %s', v_name,
        case when v_type in ('integer', 'object', 'array') then 'an' else 'a' end, v_type);
    end if;
    if jsonb_typeof(v_field -> 'enum') = 'array' and not (v_field -> 'enum') @> jsonb_build_array(v_value) then
      return format('config.%s must be one of %s', v_name, v_field -> 'enum');
    end if;
    if jsonb_typeof(v_value) = 'number' and jsonb_typeof(v_field -> 'minimum') = 'number' then
      if (v_value #>> '{}')::numeric < (v_field ->> 'minimum')::numeric then
        return format('config.%s must be at least %s', v_name, v_field ->> 'minimum');
      end if;
    end if;
    if jsonb_typeof(v_value) = 'number' and jsonb_typeof(v_field -> 'maximum') = 'number' then
      if (v_value #>> '{}')::numeric > (v_field ->> 'maximum')::numeric then
        return format('config.%s must be at most %s', v_name, v_field ->> 'maximum');
      end if;
    end if;
  end loop;
  return null;
end;
$$;

comment on function private.transformer_config_problem(text, jsonb) is
  'The first problem of a preset config against the built-in of its type''s config_schema (types, enum, range of the fields it sets), or null.';
revoke execute on function private.transformer_config_problem(text, jsonb) from public, anon, authenticated;

-- BEFORE INSERT/UPDATE on an organisation's transformer: its type must be a built-in's, its
-- target_function becomes that built-in's, its config passes the built-in's schema.
create function private.tg__transformers_from_builtin() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_target text;
  v_problem text;
begin
  -- Built-ins, and machine writes (migrations, the service role: no signed-in user), which
  -- tests use to set up what no user can (an executor that is not deployed).
  if new.organisation_id is null or (select auth.uid()) is null then
    return new;
  end if;
  select b.target_function into v_target
  from public.transformers as b
  where b.organisation_id is null and b.type = new.type
  order by b.id
  limit 1;
  if v_target is null then
    perform private.raise_http(400, 'invalid_type',
      format('%s is not the type of a built-in transformer', new.type));
  end if;
  if new.target_function is distinct from v_target then
    -- A caller naming another executor is refused (a check violation, as the format check
    -- answers), not corrected silently; a row that names none (save_transformer inserts '')
    -- or keeps the one of its old type gets the built-in's.
    if new.target_function <> '' and (tg_op = 'INSERT' or new.target_function is distinct from old.target_function) then
      raise exception 'a % transformer runs %: the executor is not chosen per transformer', new.type, v_target
        using errcode = '23514';
    end if;
    new.target_function := v_target;
  end if;
  v_problem := private.transformer_config_problem(new.type, new.config);
  if v_problem is not null then
    perform private.raise_http(400, 'invalid_config', v_problem);
  end if;
  return new;
end;
$$;

comment on function private.tg__transformers_from_builtin() is
  'BEFORE INSERT/UPDATE on transformers: an organisation''s transformer has a built-in''s type, runs that built-in''s target_function, and its config passes the type''s config_schema.';
revoke execute on function private.tg__transformers_from_builtin() from public, anon, authenticated;

create trigger _400_from_builtin
  before insert or update of type, target_function, config on public.transformers
  for each row execute function private.tg__transformers_from_builtin();

-- The role check of this migration's RPCs: 404 (nothing learnt) unless the caller is a member
-- of the organisation, 403 unless an owner or admin; 42501 without a user. The messages are
-- the caller's: what was not found, and what only owners and admins may do.
create function private.require_organisation_admin(
  p_organisation_id uuid, p_not_found text, p_forbidden text
) returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
begin
  if p_organisation_id is null
     or not private.is_organisation_member(p_organisation_id, v_user_id) then
    perform private.raise_http(404, 'not_found', p_not_found);
  end if;
  if not private.is_organisation_member(p_organisation_id, v_user_id, array['owner', 'admin']) then
    perform private.raise_http(403, 'forbidden', p_forbidden);
  end if;
end;
$$;

comment on function private.require_organisation_admin(uuid, text, text) is
  'Raises 404 not_found (p_not_found) unless the caller is a member of the organisation, 403 forbidden (p_forbidden) unless an owner or admin.';
revoke execute on function private.require_organisation_admin(uuid, text, text) from public, anon, authenticated;

-- Creates or edits (by id) an organisation's transformer. Security definer (it raises through
-- the private helpers), so its own checks are the policies: outsiders 404, members 403.
create function public.save_transformer(
  p_organisation_id uuid,
  p_id text,
  p_type text,
  p_description text,
  p_config jsonb,
  p_timeout_ms integer
) returns public.transformers
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.transformers;
begin
  perform private.require_organisation_admin(p_organisation_id, 'organisation not found',
    'only owners and admins can edit transformers');
  if p_id is null or p_id !~ '^[a-z0-9][a-z0-9_.-]{0,99}$' then
    perform private.raise_http(400, 'invalid_input',
      'an id is 1 to 100 lower-case letters, digits, _ . or -, starting with a letter or digit');
  end if;
  if char_length(p_description) > 2000 then
    perform private.raise_http(400, 'invalid_input', 'the description is at most 2000 characters');
  end if;
  if p_timeout_ms is not null and p_timeout_ms not between 1000 and 600000 then
    perform private.raise_http(400, 'invalid_input', 'timeout_ms must be between 1000 and 600000');
  end if;
  if exists (select 1 from public.transformers as b where b.organisation_id is null and b.id = p_id) then
    perform private.raise_http(409, 'conflict', format('%s is a built-in transformer''s id: choose another', p_id));
  end if;

  update public.transformers as t
  set type = p_type,
      description = p_description,
      config = coalesce(p_config, '{}'::jsonb),
      timeout_ms = coalesce(p_timeout_ms, t.timeout_ms)
  where t.organisation_id = p_organisation_id and t.id = p_id
  returning * into v_row;
  if found then
    return v_row;
  end if;

  insert into public.transformers (id, organisation_id, type, description, config, target_function, timeout_ms)
  values (p_id, p_organisation_id, p_type, p_description, coalesce(p_config, '{}'::jsonb), '',
    coalesce(p_timeout_ms, (select b.timeout_ms from public.transformers as b
                            where b.organisation_id is null and b.type = p_type
                            order by b.id limit 1), 30000))
  returning * into v_row;
  return v_row;
end;
$$;

comment on function public.save_transformer(uuid, text, text, text, jsonb, integer) is
  'Creates or edits an organisation''s transformer from a built-in type (owners/admins); its executor is the built-in''s. 400 invalid_type/invalid_config/invalid_input, 403, 404, 409 for a built-in''s id.';
revoke execute on function public.save_transformer(uuid, text, text, text, jsonb, integer) from public, anon;
grant execute on function public.save_transformer(uuid, text, text, text, jsonb, integer) to authenticated;

-- Retires (hides from new steps) or brings back an organisation's transformer. Security
-- definer like save_transformer, with the same checks.
create function public.set_transformer_retired(p_organisation_id uuid, p_id text, p_retired boolean)
returns public.transformers
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.transformers;
begin
  perform private.require_organisation_admin(p_organisation_id, 'transformer not found',
    'only owners and admins can retire transformers');
  if p_retired is null then
    perform private.raise_http(400, 'invalid_input', 'p_retired must be true or false');
  end if;
  update public.transformers as t
  set retired_at = case when p_retired then coalesce(t.retired_at, now()) else null end
  where t.organisation_id = p_organisation_id and t.id = p_id
  returning * into v_row;
  if not found then
    perform private.raise_http(404, 'not_found', 'transformer not found');
  end if;
  return v_row;
end;
$$;

comment on function public.set_transformer_retired(uuid, text, boolean) is
  'Retires (p_retired true) or restores an organisation''s transformer (owners/admins); 404 for any id not the organisation''s own, built-ins included.';
revoke execute on function public.set_transformer_retired(uuid, text, boolean) from public, anon;
grant execute on function public.set_transformer_retired(uuid, text, boolean) to authenticated;

-- test-step (issue 12 §9: test a single step with a sample input from the editor) runs a
-- transformer's executor for an owner or admin without a job. It calls this first, as the
-- user: 404 outside the organisation, 403 for members, and a token from the same buckets as
-- job starts (…005200), so testing cannot call executors faster than running could.
create function public.take_test_step_token(p_organisation_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
begin
  perform private.require_organisation_admin(p_organisation_id, 'organisation not found',
    'only owners and admins can test steps');
  perform private.limit_job_start(v_user_id, p_organisation_id);
end;
$$;

comment on function public.take_test_step_token(uuid) is
  'Checks the caller may test a step in the organisation (owners/admins; 404, 403) and takes a job-start rate-limit token (429 rate_limited).';
revoke execute on function public.take_test_step_token(uuid) from public, anon;
grant execute on function public.take_test_step_token(uuid) to authenticated;
