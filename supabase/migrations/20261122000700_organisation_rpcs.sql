-- The two writes on tenancy that need more than one row or a lookup the caller may
-- not see: creating an organisation (and its first owner) and adding a member by email.
-- Both act for auth.uid() and check the caller's role with the tenant helpers (…000400).

-- Creates an organisation; the caller becomes its owner.
create function public.create_organisation(p_name text) returns public.organisations
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_organisation public.organisations;
begin
  if p_name is null or char_length(btrim(p_name)) not between 1 and 100 then
    raise exception 'the organisation name must be 1 to 100 characters'
      using errcode = '23514';
  end if;

  insert into public.organisations (name)
  values (btrim(p_name))
  returning * into v_organisation;

  insert into public.organisation_members (organisation_id, user_id, role)
  values (v_organisation.id, v_user_id, 'owner');

  return v_organisation;
end;
$$;

comment on function public.create_organisation(text) is
  'Creates an organisation with the caller as owner.';

revoke execute on function public.create_organisation(text) from public, anon, service_role;
grant execute on function public.create_organisation(text) to authenticated;


-- Adds an existing user, found by email, to an organisation. Owners and admins may add
-- members and admins; only owners may add owners.
create function public.add_organisation_member(
  p_organisation_id uuid,
  p_email text,
  p_role text default 'member'
) returns public.organisation_members
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_caller uuid := (select auth.uid());
  v_user_id uuid;
  v_member public.organisation_members;
begin
  -- Not saying whether the organisation exists to someone outside it.
  if not private.is_organisation_member(p_organisation_id, v_caller, array['owner', 'admin']) then
    raise exception 'only owners and admins of the organisation can add members'
      using errcode = '42501';
  end if;

  if p_role is null or p_role not in ('owner', 'admin', 'member') then
    raise exception 'role must be one of owner, admin, member'
      using errcode = '22023';
  end if;

  if p_role = 'owner' and not private.is_organisation_member(p_organisation_id, v_caller, array['owner']) then
    raise exception 'only owners can add an owner'
      using errcode = '42501';
  end if;

  select p.id into v_user_id
  from public.profiles as p
  where lower(p.email) = lower(btrim(p_email))
  limit 1;

  if v_user_id is null then
    perform private.raise_http(404, 'P0002', 'no user with that email');
  end if;

  begin
    insert into public.organisation_members (organisation_id, user_id, role)
    values (p_organisation_id, v_user_id, p_role)
    returning * into v_member;
  exception
    when unique_violation then
      raise exception 'that user is already a member of this organisation'
        using errcode = '23505';
  end;

  return v_member;
end;
$$;

comment on function public.add_organisation_member(uuid, text, text) is
  'Adds the user with that email to the organisation; caller must be owner/admin, owner to add an owner.';

revoke execute on function public.add_organisation_member(uuid, text, text) from public, anon, service_role;
grant execute on function public.add_organisation_member(uuid, text, text) to authenticated;
