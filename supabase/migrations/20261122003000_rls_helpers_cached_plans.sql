-- The membership helpers every policy calls, rewritten from `language sql` to plpgsql.
-- A security definer SQL function is never inlined, so Postgres plans its query afresh on
-- every call; plpgsql caches the plan for the session. Measured on the native stack
-- (2,000 calls as the demo rep): 0.29 ms -> 0.075 ms a call. Every RLS-filtered request
-- pays this at least once, and the sequence RPCs several times.
-- Same signatures and results; `create or replace` keeps the grants and comments.

create or replace function private.user_organisation_ids() returns setof uuid
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

create or replace function private.user_admin_organisation_ids() returns setof uuid
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

create or replace function private.user_owner_organisation_ids() returns setof uuid
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

create or replace function private.user_colleague_ids() returns setof uuid
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

create or replace function private.user_editable_sequence_template_ids() returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
    select t.id
    from public.sequence_templates as t
    where t.organisation_id in (select private.user_admin_organisation_ids())
       or (
         t.created_by = (select auth.uid())
         and t.organisation_id in (select private.user_organisation_ids())
       );
end;
$$;
