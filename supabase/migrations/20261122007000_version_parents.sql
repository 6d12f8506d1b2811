-- Issue 12 §6 (seed 002's versions with their parent): every saved version records the
-- version it was saved over, and a restore records which version it brought back, so the
-- history reads as a chain ("v5, saved over v4, restored from v2") and the web app can
-- compare any two versions.
--
-- Versions are linear (save_workflow locks the workflow and saves over its latest version),
-- so parent_version is always version - 1 today; it is stored rather than derived so the
-- history stays true if branching saves ever arrive, and so a restore's two parents (the
-- version it replaced, the version it copied) are both plain columns.

alter table public.workflow_versions
  add column parent_version integer,
  add column restored_from integer;

comment on column public.workflow_versions.parent_version is
  'The version this one was saved over (the workflow''s latest when it was saved); null for version 1 and for a duplicate''s first version.';
comment on column public.workflow_versions.restored_from is
  'When this version restored an older one (the web app''s Restore), that version''s number; null otherwise.';

-- Backfill: every existing version was saved over the one before it; restores were written
-- by the web app with the change description "Restored version N".
update public.workflow_versions as v set
  parent_version = case when v.version > 1 then v.version - 1 end,
  restored_from = case
    when v.change_description ~ '^Restored version [0-9]{1,9}$'
      and substring(v.change_description from '([0-9]+)$')::integer < v.version
      then substring(v.change_description from '([0-9]+)$')::integer
  end;

-- Both point at a version of the same workflow, older than this one. Versions are only ever
-- deleted with their workflow (all at once), so cascading keeps that delete working.
alter table public.workflow_versions
  add constraint workflow_versions_parent_version_fkey
    foreign key (workflow_id, parent_version)
    references public.workflow_versions (workflow_id, version) on delete cascade,
  add constraint workflow_versions_restored_from_fkey
    foreign key (workflow_id, restored_from)
    references public.workflow_versions (workflow_id, version) on delete cascade,
  add constraint workflow_versions_parent_version_older check (parent_version < version),
  add constraint workflow_versions_restored_from_older check (restored_from < version);


-- save_workflow gains p_restored_from (last, with a default, so positional and named calls
-- that omit it keep working). The old signature is dropped rather than overloaded: two
-- candidates would make PostgREST's named-argument call ambiguous.
drop function public.save_workflow(uuid, uuid, uuid, text, text, text, jsonb, jsonb, text, integer);

create function public.save_workflow(
  p_user_id uuid,
  p_organisation_id uuid,
  p_workflow_id uuid,
  p_key text,
  p_name text,
  p_description text,
  p_definition jsonb,
  p_retry_policy jsonb default '{}'::jsonb,
  p_change_description text default null,
  p_expected_version integer default null,
  p_restored_from integer default null
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_problem text;
  v_workflow public.workflows;
  v_policy jsonb := coalesce(p_retry_policy, '{}'::jsonb);
  v_new_version boolean;
  v_parent integer;
begin
  if not private.is_organisation_member(p_organisation_id, p_user_id, array['owner', 'admin']) then
    if private.is_organisation_member(p_organisation_id, p_user_id) then
      perform private.raise_http(403, 'forbidden', 'only owners and admins can edit workflows');
    end if;
    perform private.raise_http(404, 'P0002', 'organisation not found');
  end if;

  v_problem := private.workflow_definition_problem(p_definition, p_organisation_id);
  if v_problem is not null then
    perform private.raise_http(400, 'invalid_definition', v_problem);
  end if;
  if jsonb_typeof(v_policy) <> 'object'
    or (v_policy ? 'max_retries' and (jsonb_typeof(v_policy -> 'max_retries') <> 'number'
        or (v_policy ->> 'max_retries')::numeric not between 0 and 20)) then
    perform private.raise_http(400, 'invalid_retry_policy', 'retry_policy.max_retries must be a number from 0 to 20');
  end if;

  if p_workflow_id is null then
    if p_restored_from is not null then
      perform private.raise_http(400, 'invalid_restored_from',
        'restored_from names a version of an existing workflow: a new workflow has none');
    end if;
    begin
      insert into public.workflows
        (organisation_id, key, name, description, definition, retry_policy, created_by, updated_by)
      values
        (p_organisation_id, p_key, p_name, p_description, p_definition, v_policy, p_user_id, p_user_id)
      returning * into v_workflow;
    exception when unique_violation then
      perform private.raise_http(409, 'key_taken', private.workflow_key_taken(p_organisation_id, p_key));
    end;
    insert into public.workflow_versions
      (organisation_id, workflow_id, version, definition, retry_policy, change_description, created_by)
    values
      (p_organisation_id, v_workflow.id, 1, p_definition, v_policy,
       coalesce(p_change_description, 'Created'), p_user_id);
    return to_jsonb(v_workflow);
  end if;

  select w.* into v_workflow
  from public.workflows as w
  where w.id = p_workflow_id and w.organisation_id = p_organisation_id and w.deleted_at is null
  for update;
  if not found then
    perform private.raise_http(404, 'P0002', 'workflow not found');
  end if;
  if p_expected_version is not null and p_expected_version <> v_workflow.version then
    perform private.raise_http(409, 'version_conflict', format(
      'this workflow was saved by someone else meanwhile (version %s, you edited %s): reload it',
      v_workflow.version, p_expected_version));
  end if;
  -- Checked after the lock: the versions of a locked workflow cannot change under us.
  if p_restored_from is not null and not exists (
    select 1 from public.workflow_versions as v
    where v.workflow_id = v_workflow.id and v.version = p_restored_from
  ) then
    perform private.raise_http(400, 'invalid_restored_from', format(
      'restored_from: this workflow has no version %s', p_restored_from));
  end if;

  v_parent := v_workflow.version;
  v_new_version := v_workflow.definition is distinct from p_definition
    or v_workflow.retry_policy is distinct from v_policy;
  begin
    update public.workflows as w set
      key = p_key,
      name = p_name,
      description = p_description,
      definition = p_definition,
      retry_policy = v_policy,
      version = w.version + (case when v_new_version then 1 else 0 end),
      updated_by = p_user_id
    where w.id = v_workflow.id
    returning * into v_workflow;
  exception when unique_violation then
    perform private.raise_http(409, 'key_taken', private.workflow_key_taken(p_organisation_id, p_key));
  end;
  -- Restoring what is already the latest content writes no version (as any unchanged save),
  -- so nothing records the restore either.
  if v_new_version then
    insert into public.workflow_versions
      (organisation_id, workflow_id, version, definition, retry_policy, change_description,
       created_by, parent_version, restored_from)
    values
      (p_organisation_id, v_workflow.id, v_workflow.version, p_definition, v_policy,
       coalesce(p_change_description,
                case when p_restored_from is not null then format('Restored version %s', p_restored_from) end),
       p_user_id, v_parent, p_restored_from);
  end if;
  return to_jsonb(v_workflow);
end;
$$;

comment on function public.save_workflow(uuid, uuid, uuid, text, text, text, jsonb, jsonb, text, integer, integer) is
  'Service role only (save-workflow edge function): creates a workflow or saves a new version, recording its parent version and, for a restore, the version restored.';

revoke execute on function public.save_workflow(uuid, uuid, uuid, text, text, text, jsonb, jsonb, text, integer, integer)
  from public, anon, authenticated;
grant execute on function public.save_workflow(uuid, uuid, uuid, text, text, text, jsonb, jsonb, text, integer, integer)
  to service_role;
