-- Connections (issue 12 §9; docs/workflow-manager/transformers-and-connections.md): the hosts an
-- organisation's http-request steps may call. The deployment's ceiling stays in the
-- function's environment (HTTP_REQUEST_ALLOWED_HOSTS, set by whoever runs the servers); within
-- it, an owner or admin lists their own hosts in Settings → Connections, so a job refused with
-- host_not_allowed is fixed in the app instead of by an operator. execute-http-request reads
-- this table with the service role by the call's organisation_id.
--
-- A host is a lower-case name (`api.crm.com`, `127.0.0.1`) or a wildcard for its subdomains
-- (`*.crm.com`, which does not admit `crm.com` itself, as in the ceiling): no scheme, port or
-- path, which the executor would never match. Rows are added and removed, never edited (no
-- update grant): a changed host is another connection.

create table public.organisation_connections (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  host text not null,
  description text,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint organisation_connections_organisation_id_host_key unique (organisation_id, host),
  -- DNS labels of 1-63 letters, digits and inner hyphens, at most 253 characters in all.
  constraint organisation_connections_host_format check (
    char_length(host) <= 253
    and host ~ '^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$'
  ),
  constraint organisation_connections_description_length check (char_length(description) <= 500)
);

comment on table public.organisation_connections is
  'Hosts (api.crm.com, *.crm.com) an organisation''s http-request steps may call, within the deployment''s HTTP_REQUEST_ALLOWED_HOSTS.';

alter table public.organisation_connections enable row level security;

-- (organisation_id leads organisation_connections_organisation_id_host_key, which serves the
-- policies and the executor's read.)
create index organisation_connections_created_by_idx
  on public.organisation_connections (created_by);

-- Issue 10 §4: one API request deletes at most 100 rows (a whole list at most).
create trigger _900_bound_api_delete
  after delete on public.organisation_connections
  referencing old table as deleted_rows
  for each statement
  when (pg_trigger_depth() = 0)
  execute function private.tg__bound_api_delete();

-- At most 100 connections per organisation: the executor reads them all for each call (cached
-- a few seconds), and a list longer than that is a sign a wildcard was meant.
create function private.tg__organisation_connections_limit() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Two inserts at once must not both see 99: serialise them per organisation.
  perform pg_catalog.pg_advisory_xact_lock(
    pg_catalog.hashtextextended('organisation_connections:' || new.organisation_id::text, 0));
  if (select count(*) from public.organisation_connections as c
      where c.organisation_id = new.organisation_id) >= 100 then
    perform private.raise_http(400, 'too_many_connections',
      'an organisation has at most 100 connections: remove one, or use a wildcard (*.example.com)');
  end if;
  return new;
end;
$$;

comment on function private.tg__organisation_connections_limit() is
  'BEFORE INSERT on organisation_connections: at most 100 per organisation (400 too_many_connections).';
revoke execute on function private.tg__organisation_connections_limit() from public, anon, authenticated;

create trigger _300_limit
  before insert on public.organisation_connections
  for each row execute function private.tg__organisation_connections_limit();

revoke all on public.organisation_connections from anon, authenticated;
grant select, delete on public.organisation_connections to authenticated;
grant insert (organisation_id, host, description) on public.organisation_connections to authenticated;

create policy organisation_connections_select_members on public.organisation_connections
  for select to authenticated
  using (organisation_id in (select private.user_organisation_ids()));

create policy organisation_connections_insert_admins on public.organisation_connections
  for insert to authenticated
  with check (organisation_id in (select private.user_admin_organisation_ids()));

create policy organisation_connections_delete_admins on public.organisation_connections
  for delete to authenticated
  using (organisation_id in (select private.user_admin_organisation_ids()));
