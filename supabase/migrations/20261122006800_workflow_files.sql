-- Workflow files (issue 12 §4; docs/workflow-manager/storage.md): the private Storage bucket a
-- workflow's `file` inputs are uploaded to, and who may touch which object. This is the SQL a
-- hosted project runs unchanged: Storage itself creates the `storage` schema there (the local
-- stack's bootstrap creates the same subset, packages/local-stack/src/bootstrap/03-storage.sql).
--
-- An object's path is `<organisation_id>/<uuid>/<file name>` (packages/domain/src/file-ref.ts
-- workflowFilePath). Storage runs every object read and write as the caller with RLS, so the
-- policies below are the whole authorisation:
--   - members of the organisation named by the first folder may list, read (and sign) and
--     upload;
--   - the uploader, or an owner/admin of that organisation, may overwrite or delete;
--   - anon nothing; service_role (the executors' signed URLs) bypasses RLS.
-- The first folder is compared as text with the caller's organisation ids: a path is a user's
-- text, and casting it to uuid would raise on anything that is not one.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values (
  'workflow-files',
  'workflow-files',
  false,
  52428800, -- 50 MB, hosted Storage's default global limit
  array['audio/*', 'image/*', 'application/pdf', 'application/json', 'text/plain', 'text/csv']
)
on conflict (id) do nothing;

-- Read: list, download and create signed URLs (Storage signs only what the caller can select).
create policy objects_select_workflow_files_member on storage.objects
  for select to authenticated
  using (
    bucket_id = 'workflow-files'
    and (storage.foldername(name))[1] in (
      select m.organisation_id::text from private.user_organisation_ids() as m (organisation_id)
    )
  );

-- Upload: into an organisation the caller belongs to, in the `<organisation>/<uuid>/<name>`
-- shape, recorded as the caller's (Storage sets owner_id to the JWT's sub).
create policy objects_insert_workflow_files_member on storage.objects
  for insert to authenticated
  with check (
    bucket_id = 'workflow-files'
    and array_length(storage.foldername(name), 1) = 2
    and (storage.foldername(name))[1] in (
      select m.organisation_id::text from private.user_organisation_ids() as m (organisation_id)
    )
    and owner_id = (select auth.uid())::text
  );

-- Overwrite (upsert): the uploader while still a member, or the organisation's owners/admins.
-- The new row stays in the same shape and in an organisation the caller belongs to, and is
-- the caller's or (an admin's overwrite, whether or not Storage re-records the owner) the
-- admin's organisation's.
create policy objects_update_workflow_files_uploader_or_admin on storage.objects
  for update to authenticated
  using (
    bucket_id = 'workflow-files'
    and (
      (
        owner_id = (select auth.uid())::text
        and (storage.foldername(name))[1] in (
          select m.organisation_id::text from private.user_organisation_ids() as m (organisation_id)
        )
      )
      or (storage.foldername(name))[1] in (
        select a.organisation_id::text from private.user_admin_organisation_ids() as a (organisation_id)
      )
    )
  )
  with check (
    bucket_id = 'workflow-files'
    and array_length(storage.foldername(name), 1) = 2
    and (storage.foldername(name))[1] in (
      select m.organisation_id::text from private.user_organisation_ids() as m (organisation_id)
    )
    and (
      owner_id = (select auth.uid())::text
      or (storage.foldername(name))[1] in (
        select a.organisation_id::text from private.user_admin_organisation_ids() as a (organisation_id)
      )
    )
  );

-- Delete: the uploader while still a member, or the organisation's owners/admins.
create policy objects_delete_workflow_files_uploader_or_admin on storage.objects
  for delete to authenticated
  using (
    bucket_id = 'workflow-files'
    and (
      (
        owner_id = (select auth.uid())::text
        and (storage.foldername(name))[1] in (
          select m.organisation_id::text from private.user_organisation_ids() as m (organisation_id)
        )
      )
      or (storage.foldername(name))[1] in (
        select a.organisation_id::text from private.user_admin_organisation_ids() as a (organisation_id)
      )
    )
  );
