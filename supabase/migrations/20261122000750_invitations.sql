-- Members join only by consent (issue 10 §3). An owner or admin invites an email with a role;
-- the person signed in with that email sees the invitation and accepts or declines it. Before
-- this, add_organisation_member put any existing account into any organisation without asking
-- (a stranger added a user to a look-alike organisation, read their profile and broke their
-- key-based start-workflow calls), and its 200/404 told whether an email had an account.
--
--   invite_organisation_member (owner/admin) -> organisation_invitations row, token once
--   my_organisation_invitations / organisation_invitation_by_token (the invitee, by JWT email)
--   accept_organisation_invitation -> organisation_members row; decline / revoke -> row gone
--
-- Nothing of the organisation is visible to the invitee before accepting except what the
-- invitation itself shows (the organisation's name, the inviter, the role). Inviting answers
-- the same whether or not the email has an account.

-- Memberships are no longer inserted through the API: the accept RPC (and create_organisation
-- for the first owner) are the only ways in.
drop policy organisation_members_insert_admins on public.organisation_members;
revoke insert on public.organisation_members from anon, authenticated;


create table public.organisation_invitations (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  email text not null,
  role text not null default 'member',
  -- sha256 of the link's token, hex; the token itself is shown once, to the inviter.
  token_hash text not null,
  invited_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  constraint organisation_invitations_role_valid check (role in ('owner', 'admin', 'member')),
  constraint organisation_invitations_email_valid check (
    email = lower(btrim(email))
    and char_length(email) <= 320
    and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'
  ),
  constraint organisation_invitations_token_hash_unique unique (token_hash),
  -- One open invitation per email and organisation: inviting again renews it.
  constraint organisation_invitations_email_unique unique (organisation_id, email)
);

comment on table public.organisation_invitations is
  'An open invitation of an email into an organisation with a role; accepted, declined or revoked invitations are deleted.';

alter table public.organisation_invitations enable row level security;

-- The invitee's look-up (my_organisation_invitations) goes by email across organisations.
create index organisation_invitations_email_idx on public.organisation_invitations (email);
create index organisation_invitations_invited_by_idx on public.organisation_invitations (invited_by);

-- Owners and admins read and revoke; rows are written only by invite_organisation_member.
-- token_hash is not readable through the API.
revoke all on public.organisation_invitations from anon, authenticated;
grant select (id, organisation_id, email, role, invited_by, created_at, expires_at)
  on public.organisation_invitations to authenticated;
grant delete on public.organisation_invitations to authenticated;

-- SELECT(organisation_invitations): owners and admins of the organisation.
create policy organisation_invitations_select_admins on public.organisation_invitations
  for select to authenticated
  using (organisation_id in (select private.user_admin_organisation_ids()));

-- DELETE (revoke): owners and admins; admins cannot revoke an invitation as owner.
create policy organisation_invitations_delete_admins on public.organisation_invitations
  for delete to authenticated
  using (
    organisation_id in (select private.user_admin_organisation_ids())
    and (role <> 'owner' or organisation_id in (select private.user_owner_organisation_ids()))
  );

-- INSERT and UPDATE: no policy and no grant; invite_organisation_member makes the token.


-- The signed-in user's email as the JWT carries it, lower-cased; null without one.
create function private.jwt_email() returns text
language sql
stable
set search_path = ''
as $$
  select nullif(lower(btrim((select auth.jwt()) ->> 'email')), '');
$$;

comment on function private.jwt_email() is 'The email claim of the caller''s JWT, lower-cased (null without one).';
revoke execute on function private.jwt_email() from public, anon, authenticated;


-- Invites an email (or renews its open invitation with a new token, role and expiry). Owners
-- and admins; only owners invite owners. Returns the token once: the inviter copies the link
-- (there is no mail server). The answer is the same whether or not the email has an account;
-- only an email that is already a member is refused, and the inviter sees the members anyway.
create function public.invite_organisation_member(
  p_organisation_id uuid,
  p_email text,
  p_role text default 'member'
) returns table (id uuid, email text, role text, expires_at timestamptz, token text)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_caller uuid := private.require_user();
  v_email text := lower(btrim(p_email));
  -- Two v4 uuids: 244 random bits, from core Postgres (no pgcrypto needed).
  v_token text := replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
  -- Long enough to reach someone on holiday, short enough that a forgotten link dies.
  v_ttl constant interval := interval '7 days';
  -- Open invitations an organisation may hold: a real team invites a handful at a time; a
  -- stranger cannot fill the table (or many people's banners) from one organisation.
  v_max_open constant integer := 100;
  v_invitation public.organisation_invitations;
begin
  -- Not saying whether the organisation exists to someone outside it.
  if not private.is_organisation_member(p_organisation_id, v_caller, array['owner', 'admin']) then
    raise exception 'only owners and admins of the organisation can invite members'
      using errcode = '42501';
  end if;

  if p_role is null or p_role not in ('owner', 'admin', 'member') then
    raise exception 'role must be one of owner, admin, member'
      using errcode = '22023';
  end if;

  if p_role = 'owner' and not private.is_organisation_member(p_organisation_id, v_caller, array['owner']) then
    raise exception 'only owners can invite an owner'
      using errcode = '42501';
  end if;

  if v_email is null or char_length(v_email) > 320 or v_email !~ '^[^@[:space:]]+@[^@[:space:]]+$' then
    raise exception 'that is not an email address'
      using errcode = '22023';
  end if;

  if exists (
    select 1
    from public.organisation_members as m
    join public.profiles as p on p.id = m.user_id
    where m.organisation_id = p_organisation_id
      and lower(p.email) = v_email
  ) then
    raise exception 'that person is already a member of this organisation'
      using errcode = '23505';
  end if;

  -- Serialises invitations of one organisation so the count below holds under concurrency.
  perform 1 from public.organisations as o where o.id = p_organisation_id for no key update;
  if (
    select count(*) from public.organisation_invitations as i
    where i.organisation_id = p_organisation_id and i.expires_at > now() and i.email <> v_email
  ) >= v_max_open then
    perform private.raise_http(409, 'too_many_invitations',
      'this organisation has 100 open invitations: revoke some or wait for them to expire');
  end if;

  insert into public.organisation_invitations as i
    (organisation_id, email, role, token_hash, invited_by, expires_at)
  values (
    p_organisation_id, v_email, p_role,
    encode(sha256(convert_to(v_token, 'UTF8')), 'hex'), v_caller, now() + v_ttl
  )
  -- By constraint name: the OUT column email would make `(organisation_id, email)` ambiguous.
  on conflict on constraint organisation_invitations_email_unique do update
    set role = excluded.role,
        token_hash = excluded.token_hash,
        invited_by = excluded.invited_by,
        created_at = now(),
        expires_at = excluded.expires_at
  returning i.* into v_invitation;

  return query select v_invitation.id, v_invitation.email, v_invitation.role, v_invitation.expires_at, v_token;
end;
$$;

comment on function public.invite_organisation_member(uuid, text, text) is
  'Invites an email into the organisation (owner/admin; owner to invite an owner); returns the link token once.';


-- What an invitee is shown about an invitation: enough to recognise (or distrust) it.
create function private.invitation_view(p_invitation public.organisation_invitations)
returns table (
  id uuid,
  organisation_id uuid,
  organisation_name text,
  role text,
  invited_by_name text,
  invited_by_email text,
  expires_at timestamptz
)
language sql
stable
security definer
set search_path = ''
as $$
  select p_invitation.id, o.id, o.name, p_invitation.role, p.full_name, p.email, p_invitation.expires_at
  from public.organisations as o
  left join public.profiles as p on p.id = p_invitation.invited_by
  where o.id = p_invitation.organisation_id;
$$;

revoke execute on function private.invitation_view(public.organisation_invitations) from public, anon, authenticated;


-- The invitations the signed-in user may see, accept or decline: open (not expired) and
-- addressed to the email of their JWT. The one rule behind the banner, the link's look-up and
-- accept/decline; anything else answers as if it did not exist.
create function private.my_open_invitations() returns setof public.organisation_invitations
language sql
stable
security definer
set search_path = ''
as $$
  select i.* from public.organisation_invitations as i
  where i.email = private.jwt_email() and i.expires_at > now();
$$;

revoke execute on function private.my_open_invitations() from public, anon, authenticated;


-- The signed-in user's open invitations, matched by the email in their JWT.
create function public.my_organisation_invitations()
returns table (
  id uuid,
  organisation_id uuid,
  organisation_name text,
  role text,
  invited_by_name text,
  invited_by_email text,
  expires_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_user();
  return query
    select v.*
    from private.my_open_invitations() as i
    cross join lateral private.invitation_view(i) as v
    order by i.created_at desc;
end;
$$;

comment on function public.my_organisation_invitations() is
  'Open, unexpired invitations for the email of the signed-in user.';


-- The invitation behind a copied link, if it is open and for the signed-in user's email. A
-- wrong token, another person's invitation and an expired one answer the same 404.
create function public.organisation_invitation_by_token(p_token text)
returns table (
  id uuid,
  organisation_id uuid,
  organisation_name text,
  role text,
  invited_by_name text,
  invited_by_email text,
  expires_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_invitation public.organisation_invitations;
begin
  perform private.require_user();
  select i.* into v_invitation
  from private.my_open_invitations() as i
  where i.token_hash = encode(sha256(convert_to(coalesce(p_token, ''), 'UTF8')), 'hex');
  if v_invitation.id is null then
    perform private.raise_http(404, 'invitation_not_found', 'invitation not found');
  end if;
  return query select * from private.invitation_view(v_invitation);
end;
$$;

comment on function public.organisation_invitation_by_token(text) is
  'The open invitation behind a link token, only for the invited email; 404 otherwise.';


-- The invitation p_invitation_id if it is open and addressed to the caller, locked; 404 the
-- same way for unknown, expired and someone else's.
create function private.lock_my_invitation(p_invitation_id uuid)
returns public.organisation_invitations
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invitation public.organisation_invitations;
begin
  select i.* into v_invitation
  from public.organisation_invitations as i
  where i.id = p_invitation_id
    and i.id in (select o.id from private.my_open_invitations() as o)
  for update;
  if v_invitation.id is null then
    perform private.raise_http(404, 'invitation_not_found', 'invitation not found');
  end if;
  return v_invitation;
end;
$$;

revoke execute on function private.lock_my_invitation(uuid) from public, anon, authenticated;


-- Accepts: the caller becomes a member with the invitation's role (already a member: the
-- role they have stays) and the invitation is gone.
create function public.accept_organisation_invitation(p_invitation_id uuid)
returns public.organisation_members
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_caller uuid := private.require_user();
  v_invitation public.organisation_invitations := private.lock_my_invitation(p_invitation_id);
  v_member public.organisation_members;
begin
  insert into public.organisation_members (organisation_id, user_id, role)
  values (v_invitation.organisation_id, v_caller, v_invitation.role)
  on conflict (organisation_id, user_id) do nothing;

  delete from public.organisation_invitations as i where i.id = v_invitation.id;

  select m.* into v_member
  from public.organisation_members as m
  where m.organisation_id = v_invitation.organisation_id and m.user_id = v_caller;
  return v_member;
end;
$$;

comment on function public.accept_organisation_invitation(uuid) is
  'The invited (by JWT email) signed-in user joins the organisation with the invitation''s role.';


-- Declines: the invitation is gone; the organisation learns nothing but that it is gone.
create function public.decline_organisation_invitation(p_invitation_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invitation public.organisation_invitations;
begin
  perform private.require_user();
  v_invitation := private.lock_my_invitation(p_invitation_id);
  delete from public.organisation_invitations as i where i.id = v_invitation.id;
end;
$$;

comment on function public.decline_organisation_invitation(uuid) is
  'The invited (by JWT email) signed-in user declines; the invitation is deleted.';


-- Removes a member (or the caller leaves), handing their restaurants, open tasks and running
-- sequences to p_successor_id (a member; null leaves them unassigned). Who may remove whom is
-- the DELETE policy's rule (owners/admins; admins not an owner; anyone themselves); the last
-- owner stays (private.tg__enforce_member_rules), and then nothing is handed over either.
create function public.remove_organisation_member(
  p_organisation_id uuid,
  p_user_id uuid,
  p_successor_id uuid default null
) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_caller uuid := private.require_user();
  v_target_role text;
begin
  perform private.require_organisation_member(p_organisation_id);

  select m.role into v_target_role
  from public.organisation_members as m
  where m.organisation_id = p_organisation_id and m.user_id = p_user_id
  for update;
  if v_target_role is null then
    perform private.raise_http(404, 'member_not_found', 'member not found');
  end if;

  if p_user_id <> v_caller and not private.is_organisation_member(
    p_organisation_id, v_caller,
    case when v_target_role = 'owner' then array['owner'] else array['owner', 'admin'] end
  ) then
    raise exception 'only owners and admins remove members, and only owners remove an owner'
      using errcode = '42501';
  end if;

  if p_successor_id is not null
    and (p_successor_id = p_user_id or not private.is_organisation_member(p_organisation_id, p_successor_id)) then
    raise exception 'the successor must be another member of the organisation'
      using errcode = '22023';
  end if;

  update public.restaurants as r set assigned_sales_rep = p_successor_id
  where r.organisation_id = p_organisation_id and r.assigned_sales_rep = p_user_id;

  update public.tasks as t set assigned_to = p_successor_id
  where t.organisation_id = p_organisation_id and t.assigned_to = p_user_id
    and t.status in ('pending', 'active');

  update public.sequence_instances as s set assigned_to = p_successor_id
  where s.organisation_id = p_organisation_id and s.assigned_to = p_user_id
    and s.status in ('active', 'paused');

  delete from public.organisation_members as m
  where m.organisation_id = p_organisation_id and m.user_id = p_user_id;
end;
$$;

comment on function public.remove_organisation_member(uuid, uuid, uuid) is
  'Removes a member (or the caller leaves), handing their restaurants, open tasks and running sequences to a successor.';


revoke execute on function public.invite_organisation_member(uuid, text, text) from public, anon, service_role;
revoke execute on function public.my_organisation_invitations() from public, anon, service_role;
revoke execute on function public.organisation_invitation_by_token(text) from public, anon, service_role;
revoke execute on function public.accept_organisation_invitation(uuid) from public, anon, service_role;
revoke execute on function public.decline_organisation_invitation(uuid) from public, anon, service_role;
revoke execute on function public.remove_organisation_member(uuid, uuid, uuid) from public, anon, service_role;
grant execute on function public.invite_organisation_member(uuid, text, text) to authenticated;
grant execute on function public.my_organisation_invitations() to authenticated;
grant execute on function public.organisation_invitation_by_token(text) to authenticated;
grant execute on function public.accept_organisation_invitation(uuid) to authenticated;
grant execute on function public.decline_organisation_invitation(uuid) to authenticated;
grant execute on function public.remove_organisation_member(uuid, uuid, uuid) to authenticated;
