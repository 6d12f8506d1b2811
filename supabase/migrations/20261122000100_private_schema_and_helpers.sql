-- The `private` schema holds helpers and trigger functions. PostgREST exposes only
-- `public` (and `graphql_public`), so nothing here is callable over the API.
create schema if not exists private;
comment on schema private is 'Helpers and trigger functions; not exposed by PostgREST.';

revoke all on schema private from public;
-- RLS policies call the membership helpers as the querying role.
grant usage on schema private to authenticated, service_role;

-- Functions are executable by nobody unless granted. Postgres grants execute to PUBLIC
-- by default and Supabase adds anon/authenticated/service_role in `public`; every
-- function in our migrations grants what it needs explicitly instead.
alter default privileges revoke execute on functions from public;
alter default privileges in schema public revoke execute on functions from anon, authenticated;

-- Keeps updated_at honest whatever the client sends; attached as _100_set_updated_at.
create function private.tg__set_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

comment on function private.tg__set_updated_at() is
  'BEFORE UPDATE trigger: sets updated_at to now().';

revoke execute on function private.tg__set_updated_at() from public, anon, authenticated;
