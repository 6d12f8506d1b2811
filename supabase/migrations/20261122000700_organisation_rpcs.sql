-- The two writes on tenancy that need more than one row or a lookup the caller may
-- not see: creating an organisation (and its first owner) and adding a member by email.
-- Both act for auth.uid() and check the caller's role themselves.

-- Creates an organisation; the caller becomes its owner.
create function public.create_organisation(p_name text) returns public.organisations
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := (select auth.uid());
  v_organisation public.organisations;
begin
  if v_user_id is null then
    raise exception 'sign in to create an organisation' using errcode = '42501';
  end if;

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
  v_caller_role text;
  v_user_id uuid;
  v_member public.organisation_members;
begin
  select m.role into v_caller_role
  from public.organisation_members as m
  where m.organisation_id = p_organisation_id
    and m.user_id = (select auth.uid());

  -- Not saying whether the organisation exists to someone outside it.
  if v_caller_role is null or v_caller_role not in ('owner', 'admin') then
    raise exception 'only owners and admins of the organisation can add members'
      using errcode = '42501';
  end if;

  if p_role is null or p_role not in ('owner', 'admin', 'member') then
    raise exception 'role must be one of owner, admin, member'
      using errcode = '22023';
  end if;

  if p_role = 'owner' and v_caller_role <> 'owner' then
    raise exception 'only owners can add an owner'
      using errcode = '42501';
  end if;

  select p.id into v_user_id
  from public.profiles as p
  where lower(p.email) = lower(btrim(p_email))
  limit 1;

  if v_user_id is null then
    -- PostgREST maps P0* to 500; the PGRST form keeps code P0002 and answers 404.
    raise sqlstate 'PGRST' using
      message = json_build_object('code', 'P0002', 'message', 'no user with that email')::text,
      detail = json_build_object('status', 404, 'headers', json_build_object())::text;
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
