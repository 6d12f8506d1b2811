-- Tenancy: organisations, the profile of every auth user, and who belongs where.
-- RLS is switched on with each table so no moment exists where the API could read it
-- unprotected; the policies follow in 20261122000600_tenant_policies.sql.

create table public.organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint organisations_name_length check (name = btrim(name) and char_length(name) between 1 and 100)
);

comment on table public.organisations is
  'A tenant. Everything a user sees belongs to an organisation they are a member of.';

alter table public.organisations enable row level security;

create trigger _100_set_updated_at
  before update on public.organisations
  for each row execute function private.tg__set_updated_at();


create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  full_name text not null default '',
  avatar_url text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint profiles_full_name_length check (char_length(full_name) <= 200)
);

comment on table public.profiles is
  'One row per auth.users row, created by private.tg__handle_new_user on sign-up; email follows auth.users.';

alter table public.profiles enable row level security;

-- invite_organisation_member looks members up by email, case-insensitively.
create index profiles_email_lower_idx on public.profiles (lower(email));

create trigger _100_set_updated_at
  before update on public.profiles
  for each row execute function private.tg__set_updated_at();


create table public.organisation_members (
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  role text not null default 'member',
  created_at timestamptz not null default now(),
  primary key (organisation_id, user_id),
  constraint organisation_members_role_valid check (role in ('owner', 'admin', 'member'))
);

comment on table public.organisation_members is
  'Membership of a user in an organisation with a role: owner, admin or member.';

alter table public.organisation_members enable row level security;

-- The primary key serves lookups by organisation; the RLS helpers look up by user.
create index organisation_members_user_id_idx on public.organisation_members (user_id);


-- Through the API a user may change only these columns; ids, emails (owned by auth)
-- and timestamps are not theirs to set. Inserts into organisations go through the
-- create_organisation RPC and profiles are made by the sign-up trigger.
revoke insert, update, delete on public.organisations from anon, authenticated;
grant update (name) on public.organisations to authenticated;
grant delete on public.organisations to authenticated;

revoke insert, update, delete on public.profiles from anon, authenticated;
grant update (full_name, avatar_url) on public.profiles to authenticated;

revoke insert, update, delete on public.organisation_members from anon, authenticated;
grant insert (organisation_id, user_id, role) on public.organisation_members to authenticated;
grant update (role) on public.organisation_members to authenticated;
grant delete on public.organisation_members to authenticated;
