-- Creating an organisation and its first owner: a write of two rows the caller could not
-- make alone. Members join later by invitation only (…000750_invitations).

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

