-- Membership helpers for RLS policies. security definer so a policy on
-- organisation_members can ask about organisation_members without recursing into its
-- own policy; stable so the planner evaluates `in (select ...)` once per statement.

-- Organisations the current user belongs to; used by every tenant policy.
-- plpgsql rather than sql: a security definer SQL function is never inlined, so Postgres
-- re-plans its query on every call, while plpgsql caches the plan for the session. Measured
-- on the native stack (2,000 calls as the demo rep): 0.29 ms -> 0.075 ms a call, paid by
-- every RLS-filtered request.
create function private.user_organisation_ids() returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
    select m.organisation_id
    from public.organisation_members as m
    where m.user_id = (select auth.uid());
end;
$$;

-- Organisations where the current user is an owner or an admin.
create function private.user_admin_organisation_ids() returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
    select m.organisation_id
    from public.organisation_members as m
    where m.user_id = (select auth.uid())
      and m.role in ('owner', 'admin');
end;
$$;

-- Organisations where the current user is an owner.
create function private.user_owner_organisation_ids() returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
    select m.organisation_id
    from public.organisation_members as m
    where m.user_id = (select auth.uid())
      and m.role = 'owner';
end;
$$;

-- Everyone who shares at least one organisation with the current user (self included
-- when they belong anywhere); decides whose profiles they may read.
create function private.user_colleague_ids() returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
    select distinct other.user_id
    from public.organisation_members as mine
    join public.organisation_members as other on other.organisation_id = mine.organisation_id
    where mine.user_id = (select auth.uid());
end;
$$;

comment on function private.user_organisation_ids() is 'Organisation ids the current user is a member of.';
comment on function private.user_admin_organisation_ids() is 'Organisation ids where the current user is owner or admin.';
comment on function private.user_owner_organisation_ids() is 'Organisation ids where the current user is owner.';
comment on function private.user_colleague_ids() is 'User ids sharing an organisation with the current user.';

revoke execute on function private.user_organisation_ids() from public, anon;
revoke execute on function private.user_admin_organisation_ids() from public, anon;
revoke execute on function private.user_owner_organisation_ids() from public, anon;
revoke execute on function private.user_colleague_ids() from public, anon;
grant execute on function private.user_organisation_ids() to authenticated, service_role;
grant execute on function private.user_admin_organisation_ids() to authenticated, service_role;
grant execute on function private.user_owner_organisation_ids() to authenticated, service_role;
grant execute on function private.user_colleague_ids() to authenticated, service_role;
