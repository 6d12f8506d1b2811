-- Invariants on memberships that hold whoever writes (API user, RPC, service role):
-- a membership never moves, nobody changes their own role, and an organisation always
-- keeps an owner. Who may write at all is decided by the RLS policies.

create function private.tg__enforce_member_rules() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    if new.organisation_id <> old.organisation_id or new.user_id <> old.user_id then
      raise exception 'a membership cannot be moved to another organisation or user'
        using errcode = '23514', hint = 'remove the membership and add a new one';
    end if;

    if new.role is distinct from old.role and old.user_id = (select auth.uid()) then
      raise exception 'you cannot change your own role'
        using errcode = '42501';
    end if;

    if old.role <> 'owner' or new.role = 'owner' then
      return new;
    end if;
  elsif old.role <> 'owner' then
    return old;
  end if;

  -- An owner is being demoted or removed. Lock the organisation row so two owners
  -- leaving at once cannot both see the other one as the remaining owner.
  perform 1 from public.organisations as o where o.id = old.organisation_id for no key update;
  if not found then
    -- The organisation itself is being deleted (cascade).
    return old;
  end if;

  if tg_op = 'DELETE' and not exists (select 1 from public.profiles as p where p.id = old.user_id) then
    -- The user's account is being deleted (cascade); that is not blocked here.
    return old;
  end if;

  if not exists (
    select 1
    from public.organisation_members as m
    where m.organisation_id = old.organisation_id
      and m.role = 'owner'
      and m.user_id <> old.user_id
  ) then
    raise exception 'an organisation must keep at least one owner'
      using errcode = '23514', hint = 'make another member an owner first, or delete the organisation';
  end if;

  return case when tg_op = 'DELETE' then old else new end;
end;
$$;

comment on function private.tg__enforce_member_rules() is
  'BEFORE UPDATE OR DELETE on organisation_members: memberships never move, no one changes their own role, the last owner stays.';

revoke execute on function private.tg__enforce_member_rules() from public, anon, authenticated;

create trigger _200_enforce_member_rules
  before update or delete on public.organisation_members
  for each row execute function private.tg__enforce_member_rules();
