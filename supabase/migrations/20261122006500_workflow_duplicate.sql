-- Duplicate a workflow (issue 12 §2): a new workflow in the same organisation with key
-- `<key>-copy` (then `<key>-copy-2`, `-copy-3`, … while taken), name "Copy of <name>",
-- active, at version 1 holding the source's current definition and retry policy, and a
-- change description naming the source. The copy is a fresh workflow, not a branch of the
-- source: its history starts at version 1 and it shares no jobs.
--
-- The definition is the source's as saved, so it already passed save-workflow's validation
-- for this organisation; it is checked again with private.workflow_definition_problem in
-- case a transformer it uses was removed since (then 400, nothing created).


-- The first free key of the copy: `<key>-copy`, then `<key>-copy-2`, … The source key is
-- shortened when the suffix would take it past the 63 characters workflows_key_format
-- allows (and a trailing '-' or '_' left by the cut is dropped, so the key stays readable).
-- Trashed workflows keep their keys, so they count as taken too.
create function private.workflow_copy_key(p_organisation_id uuid, p_key text) returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_suffix text;
  v_base text;
  v_candidate text;
  v_n integer := 1;
begin
  loop
    v_suffix := case when v_n = 1 then '-copy' else '-copy-' || v_n end;
    v_base := rtrim(left(p_key, 63 - char_length(v_suffix)), '-_');
    v_candidate := v_base || v_suffix;
    if not exists (
      select 1 from public.workflows as w
      where w.organisation_id = p_organisation_id and w.key = v_candidate
    ) then
      return v_candidate;
    end if;
    v_n := v_n + 1;
  end loop;
end;
$$;

revoke execute on function private.workflow_copy_key(uuid, text) from public, anon, authenticated;


-- Owners and admins of the workflow's organisation; a member gets 403, anyone else (and a
-- workflow in the trash) 404 as if it did not exist. The source is locked while it is
-- read, so the copy holds exactly one saved version of it. Returns the new workflow row.
create function public.duplicate_workflow(p_workflow_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_source public.workflows;
  v_copy public.workflows;
  v_key text;
  v_problem text;
  v_attempt integer := 0;
begin
  v_source := private.lock_visible_workflow(p_workflow_id);
  if not private.is_organisation_member(v_source.organisation_id, v_user_id, array['owner', 'admin']) then
    perform private.raise_http(403, 'forbidden', 'only owners and admins can duplicate workflows');
  end if;

  v_problem := private.workflow_definition_problem(v_source.definition, v_source.organisation_id);
  if v_problem is not null then
    perform private.raise_http(400, 'invalid_definition', v_problem);
  end if;

  -- Another save may take the chosen key between the look-up and the insert: pick again.
  loop
    v_key := private.workflow_copy_key(v_source.organisation_id, v_source.key);
    begin
      insert into public.workflows
        (organisation_id, key, name, description, definition, retry_policy, status, version,
         created_by, updated_by)
      values
        (v_source.organisation_id, v_key, left('Copy of ' || v_source.name, 120),
         v_source.description, v_source.definition, v_source.retry_policy, 'active', 1,
         v_user_id, v_user_id)
      returning * into v_copy;
      exit;
    exception when unique_violation then
      v_attempt := v_attempt + 1;
      if v_attempt >= 5 then
        perform private.raise_http(409, 'key_taken', format(
          'could not find a free key for a copy of %s: try again', v_source.key));
      end if;
    end;
  end loop;

  insert into public.workflow_versions
    (organisation_id, workflow_id, version, definition, retry_policy, change_description, created_by)
  values
    (v_copy.organisation_id, v_copy.id, 1, v_copy.definition, v_copy.retry_policy,
     format('Duplicated from %s v%s', v_source.key, v_source.version), v_user_id);

  return to_jsonb(v_copy);
end;
$$;

comment on function public.duplicate_workflow(uuid) is
  'Copies a workflow (owners/admins) as <key>-copy[-N], "Copy of …", version 1 noting its source.';

revoke execute on function public.duplicate_workflow(uuid) from public, anon;
grant execute on function public.duplicate_workflow(uuid) to authenticated;
