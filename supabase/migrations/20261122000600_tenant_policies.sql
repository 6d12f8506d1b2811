-- RLS for the tenant tables: one policy per verb, to authenticated only (anon gets
-- nothing), membership through the private helpers evaluated once per statement.

-- organisations ---------------------------------------------------------------
-- SELECT: members. INSERT: none, create_organisation makes the creator owner.
create policy organisations_select_members on public.organisations
  for select to authenticated
  using (id in (select private.user_organisation_ids()));

-- UPDATE: owners and admins (the name only, by column privilege).
create policy organisations_update_admins on public.organisations
  for update to authenticated
  using (id in (select private.user_admin_organisation_ids()))
  with check (id in (select private.user_admin_organisation_ids()));

-- DELETE: owners.
create policy organisations_delete_owners on public.organisations
  for delete to authenticated
  using (id in (select private.user_owner_organisation_ids()));


-- profiles --------------------------------------------------------------------
-- SELECT: oneself, and anyone sharing an organisation. INSERT/DELETE: none (auth owns them).
create policy profiles_select_self_or_colleagues on public.profiles
  for select to authenticated
  using (
    id = (select auth.uid())
    or id in (select private.user_colleague_ids())
  );

-- UPDATE: oneself (full_name and avatar_url only, by column privilege).
create policy profiles_update_self on public.profiles
  for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));


-- organisation_members ----------------------------------------------------------
-- SELECT: members of that organisation.
create policy organisation_members_select_members on public.organisation_members
  for select to authenticated
  using (organisation_id in (select private.user_organisation_ids()));

-- INSERT: owners and admins; only owners may add an owner.
create policy organisation_members_insert_admins on public.organisation_members
  for insert to authenticated
  with check (
    organisation_id in (select private.user_admin_organisation_ids())
    and (role <> 'owner' or organisation_id in (select private.user_owner_organisation_ids()))
  );

-- UPDATE: owners and admins, never their own row (no self-promotion); admins cannot
-- touch an owner's row nor grant owner.
create policy organisation_members_update_admins on public.organisation_members
  for update to authenticated
  using (
    organisation_id in (select private.user_admin_organisation_ids())
    and user_id <> (select auth.uid())
    and (role <> 'owner' or organisation_id in (select private.user_owner_organisation_ids()))
  )
  with check (
    organisation_id in (select private.user_admin_organisation_ids())
    and user_id <> (select auth.uid())
    and (role <> 'owner' or organisation_id in (select private.user_owner_organisation_ids()))
  );

-- DELETE: oneself (leaving), or owners and admins; admins cannot remove an owner.
-- The last owner is kept by private.tg__enforce_member_rules.
create policy organisation_members_delete_admins_or_self on public.organisation_members
  for delete to authenticated
  using (
    user_id = (select auth.uid())
    or (
      organisation_id in (select private.user_admin_organisation_ids())
      and (role <> 'owner' or organisation_id in (select private.user_owner_organisation_ids()))
    )
  );
