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


-- Every RPC's errors reach PostgREST in its PGRST form, so the HTTP status is one a caller
-- can act on and `code` is what clients branch on: a plain P0002 would be a 500. 404 is also
-- the answer for rows in another organisation, so a caller learns nothing about them.
create function private.raise_http(p_status integer, p_code text, p_message text) returns void
language plpgsql
set search_path = ''
as $$
begin
  raise sqlstate 'PGRST' using
    message = json_build_object('code', p_code, 'message', p_message)::text,
    detail = json_build_object('status', p_status, 'headers', json_build_object())::text;
end;
$$;

comment on function private.raise_http(integer, text, text) is
  'Raises an error PostgREST answers with the given HTTP status and code.';

revoke execute on function private.raise_http(integer, text, text) from public, anon, authenticated;


-- The caller's user id; 42501 for anon and API keys without a user.
create function private.require_user() returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_user_id uuid := (select auth.uid());
begin
  if v_user_id is null then
    raise exception 'sign in first: this needs a user' using errcode = '42501';
  end if;
  return v_user_id;
end;
$$;

comment on function private.require_user() is 'auth.uid(), or 42501 when there is no signed-in user.';

revoke execute on function private.require_user() from public, anon, authenticated;
