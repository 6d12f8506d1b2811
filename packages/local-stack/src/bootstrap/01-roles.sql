-- What Supabase's Postgres image provides before any migration runs, reduced to what
-- our migrations, PostgREST and `supabase db advisors` rely on. Not a migration: on real
-- Supabase all of this already exists. Idempotent, so it can run on every start.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin login noinherit createrole;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_admin') then
    create role supabase_admin login superuser createrole createdb replication bypassrls;
  end if;
end
$$;

grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role to postgres;

-- PostgREST reads its exposed schemas from this setting (as on Supabase); the advisors'
-- API-exposure lints read it too, so without it they would pass without looking.
alter role authenticator set pgrst.db_schemas = 'public, graphql_public';

create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
alter database postgres set search_path = "$user", public, extensions;

create schema if not exists graphql_public;
grant usage on schema graphql_public to anon, authenticated, service_role;

-- Supabase's default grants: the API roles may touch what RLS lets them touch. Applied
-- once, before the first migration: this file runs on every start, and re-granting later
-- would undo the revokes (and default-privilege changes) our migrations make.
grant usage on schema public to anon, authenticated, service_role;
do $$
begin
  if to_regclass('supabase_migrations.schema_migrations') is null then
    alter default privileges for role postgres in schema public
      grant all on tables to anon, authenticated, service_role;
    alter default privileges for role postgres in schema public
      grant all on functions to anon, authenticated, service_role;
    alter default privileges for role postgres in schema public
      grant all on sequences to anon, authenticated, service_role;
  end if;
end
$$;
