-- Deleting a workflow for good, and "used by" (issue 12 §1, §2;
-- docs/workflow-manager/delete-and-usage.md).
--
-- Archive (…004300) stays the gentle default and the trash (…005100) the undoable one; this
-- is the third, deliberate way: public.delete_workflow removes a workflow with its versions,
-- its jobs and their events at once, after the caller has typed its key. It is refused while
-- a job of it is pending, running or awaiting a retry (a running job needs its version) and
-- while a project's flow sequence runs it (the sequence would break). It works on a trashed
-- workflow too, so the Trash page can purge one early.
--
-- The rows go by the foreign keys' cascades from public.workflows, exactly as
-- public.purge_trash removes a purged workflow's: workflow_versions and jobs reference the
-- workflow `on delete cascade`, and job_events (and the job's other rows) reference the job
-- the same way. job_events' append-only trigger is BEFORE UPDATE only, so a cascade removing
-- a finished job's history passes; the bounded-delete triggers (…005300) count deletes made
-- by the API roles only, and these run as the function's owner. Flow sequence runs keep
-- their record of a deleted workflow's jobs (flow_sequence_run_flows.job_id is set null).
--
-- "Used by": public.workflow_used_by lists the project sequences that run a workflow (any
-- member); public.transformer_used_by lists the organisation's workflows whose current
-- definition runs a transformer, served by the GIN index below.


-- Which workflows run a transformer --------------------------------------------------------
-- Steps are keyed by id (`{"steps": {"<id>": {"transformer_id": …}}}`), so the question
-- "which definitions have a step with transformer_id X" needs a wildcard over the keys.
-- Measured with EXPLAIN ANALYZE on the local stack, 5,000 workflows of 3 steps over 50
-- transformers, looking for one used by 200 of them:
--   - GIN (definition jsonb_path_ops), `definition @? '$.steps.* ? (@.transformer_id == "t3")'`
--     (or the `@@` form): jsonb_path_ops cannot index past the `.*`, so the Bitmap Index Scan
--     returned all 5,005 candidates and the recheck removed 4,805 (4.7 ms; grows with the
--     table, not the answer);
--   - GIN (definition) with the default jsonb_ops serves the wildcard (200 candidates,
--     0.37 ms) but indexes every key and value of every definition;
--   - GIN over the extracted array of transformer ids (this index), `… @> '["t3"]'`: Bitmap
--     Index Scan, 200 candidates, 0 removed, 0.2-0.3 ms, with an index the size of the ids.
-- An expression index rather than a generated column: the same immutable expression in the
-- query finds it, and workflows rows (and their generated types) keep their shape. The path
-- is lax: a strict one raises on a definition whose steps are not an object, and an index
-- expression that raises makes the row impossible to insert (raw definitions that
-- save-workflow would refuse are still valid rows).
create index workflows_transformer_ids_idx on public.workflows
  using gin (jsonb_path_query_array(definition, '$.steps.*.transformer_id'));

comment on index public.workflows_transformer_ids_idx is
  'The transformer ids of each workflow''s current definition (public.transformer_used_by).';


-- The workflow a caller may delete: owners and admins of its organisation (trashed too), the
-- row locked `for update` when p_lock so no job can start on it meanwhile
-- (private.lock_live_workflow takes a key-share lock before inserting a job). A member gets
-- 403; anyone else 404, as if it did not exist.
create function private.deletable_workflow(p_workflow_id uuid, p_lock boolean)
returns public.workflows
language plpgsql
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_workflow public.workflows;
begin
  if p_lock then
    select w.* into v_workflow from public.workflows as w
    where w.id = p_workflow_id and private.is_organisation_member(w.organisation_id, v_user_id)
    for update;
  else
    select w.* into v_workflow from public.workflows as w
    where w.id = p_workflow_id and private.is_organisation_member(w.organisation_id, v_user_id);
  end if;
  -- A member does not see the trash: a trashed workflow is 404 to them, as in the lists.
  if not found
     or (v_workflow.deleted_at is not null
         and not private.is_organisation_member(v_workflow.organisation_id, v_user_id, array['owner', 'admin'])) then
    perform private.raise_http(404, 'P0002', 'workflow not found');
  end if;
  if not private.is_organisation_member(v_workflow.organisation_id, v_user_id, array['owner', 'admin']) then
    perform private.raise_http(403, 'forbidden', 'only owners and admins can delete workflows');
  end if;
  return v_workflow;
end;
$$;

comment on function private.deletable_workflow(uuid, boolean) is
  'The workflow (trashed too) if the caller owns or administers its organisation, optionally locked for update; 403 for members, 404 otherwise.';

revoke execute on function private.deletable_workflow(uuid, boolean) from public, anon, authenticated;


-- The project sequences whose flows run the workflow (flows @> [{"workflow_id": id}], served
-- by flow_sequences_flows_idx), in project then sequence order.
create function private.workflow_sequence_uses(p_organisation_id uuid, p_workflow_id uuid)
returns table (project_id uuid, project_name text, flow_sequence_id uuid, flow_sequence_name text)
language sql
stable
set search_path = ''
as $$
  select p.id, p.name, s.id, s.name
  from public.flow_sequences as s
  join public.projects as p on p.organisation_id = s.organisation_id and p.id = s.project_id
  where s.organisation_id = p_organisation_id
    and s.flows @> jsonb_build_array(jsonb_build_object('workflow_id', p_workflow_id::text))
  order by lower(p.name), p.id, s.position, s.id;
$$;

comment on function private.workflow_sequence_uses(uuid, uuid) is
  'The organisation''s project flow sequences that run the workflow (project and sequence ids and names).';

revoke execute on function private.workflow_sequence_uses(uuid, uuid) from public, anon, authenticated;


-- Any member of the workflow's organisation (flow_sequences and projects are readable by
-- every member); 404 for anyone else, and for a member when the workflow is in the trash.
create function public.workflow_used_by(p_workflow_id uuid)
returns table (project_id uuid, project_name text, flow_sequence_id uuid, flow_sequence_name text)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_workflow public.workflows;
begin
  select w.* into v_workflow from public.workflows as w
  where w.id = p_workflow_id and private.is_organisation_member(w.organisation_id, v_user_id);
  if not found
     or (v_workflow.deleted_at is not null
         and not private.is_organisation_member(v_workflow.organisation_id, v_user_id, array['owner', 'admin'])) then
    perform private.raise_http(404, 'P0002', 'workflow not found');
  end if;
  return query select * from private.workflow_sequence_uses(v_workflow.organisation_id, v_workflow.id);
end;
$$;

comment on function public.workflow_used_by(uuid) is
  'The project flow sequences that run a workflow (members of its organisation; 404 otherwise).';


-- The organisation's workflows (not trashed; archived ones too, with their status) whose
-- current definition has a step running the transformer, by name. Any member; 404
-- organisation_not_found for anyone else. A transformer id names one transformer within an
-- organisation (built-ins and the organisation's own share no id, …004000), so the id and
-- the organisation say which transformer is meant.
create function public.transformer_used_by(p_organisation_id uuid, p_transformer_id text)
returns table (workflow_id uuid, key text, name text, status text)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_organisation_member(p_organisation_id);
  return query
    select w.id, w.key, w.name, w.status
    from public.workflows as w
    where w.organisation_id = p_organisation_id
      and w.deleted_at is null
      -- The expression of workflows_transformer_ids_idx, so the index serves it.
      and jsonb_path_query_array(w.definition, '$.steps.*.transformer_id')
          @> jsonb_build_array(p_transformer_id)
    order by lower(w.name), w.id;
end;
$$;

comment on function public.transformer_used_by(uuid, text) is
  'The organisation''s workflows whose current definition runs the transformer (members; 404 for other organisations).';


-- What public.delete_workflow would remove and what stops it, for its confirmation dialog:
-- { key, name, trashed, job_count, version_count, active_job_count, used_by: [{ project_id,
-- project_name, flow_sequence_id, flow_sequence_name }] } (key and name so the Trash page,
-- which lists names only, can ask for the key). Owners and admins; members 403; others 404.
create function public.workflow_delete_preview(p_workflow_id uuid) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_workflow public.workflows := private.deletable_workflow(p_workflow_id, false);
begin
  return jsonb_build_object(
    'key', v_workflow.key,
    'name', v_workflow.name,
    'trashed', v_workflow.deleted_at is not null,
    'job_count', (
      select count(*) from public.jobs as j
      where j.organisation_id = v_workflow.organisation_id and j.workflow_id = v_workflow.id),
    'version_count', (
      select count(*) from public.workflow_versions as v where v.workflow_id = v_workflow.id),
    'active_job_count', (
      select count(*) from public.jobs as j
      where j.organisation_id = v_workflow.organisation_id and j.workflow_id = v_workflow.id
        and j.status in ('pending', 'running', 'awaiting_retry')),
    'used_by', coalesce((
      select jsonb_agg(to_jsonb(u)) from private.workflow_sequence_uses(v_workflow.organisation_id, v_workflow.id) as u),
      '[]'::jsonb)
  );
end;
$$;

comment on function public.workflow_delete_preview(uuid) is
  'Counts (jobs, versions, open jobs) and the project sequences using a workflow, for the delete dialog. Owners/admins.';


-- Deletes a workflow with its versions, jobs and job events, in this one transaction, and
-- returns what went: { workflow_id, key, version_count, job_count, event_count }.
--   404 P0002                  not the caller's organisation's (or no such workflow)
--   403 forbidden              a member
--   400 confirmation_mismatch  p_confirm_key is not the workflow's key
--   409 workflow_busy          a job of it is pending, running or awaiting a retry
--   409 workflow_in_use        a project's flow sequence runs it
-- The row is locked first (see private.deletable_workflow), so a job started concurrently is
-- either committed before the busy check reads the jobs or refused as gone after; and a flow
-- sequence saved concurrently either is seen by the in-use check or waits for this
-- transaction (_150_lock_flow_workflows below) and is refused.
create function public.delete_workflow(p_workflow_id uuid, p_confirm_key text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_workflow public.workflows := private.deletable_workflow(p_workflow_id, true);
  v_use record;
  v_versions integer;
  v_jobs integer;
  v_events integer;
begin
  if p_confirm_key is distinct from v_workflow.key then
    perform private.raise_http(400, 'confirmation_mismatch', format(
      'type the workflow''s key (%s) to confirm deleting it', v_workflow.key));
  end if;

  if exists (
    select 1 from public.jobs as j
    where j.organisation_id = v_workflow.organisation_id and j.workflow_id = v_workflow.id
      and j.status in ('pending', 'running', 'awaiting_retry')
  ) then
    perform private.raise_http(409, 'workflow_busy', format(
      'workflow %s has jobs pending, running or awaiting a retry: cancel them or let them finish, then delete it',
      v_workflow.key));
  end if;

  select u.* into v_use
  from private.workflow_sequence_uses(v_workflow.organisation_id, v_workflow.id) as u
  limit 1;
  if found then
    perform private.raise_http(409, 'workflow_in_use', format(
      'workflow %s is used by the sequence "%s" of the project "%s": remove it from the sequence first',
      v_workflow.key, v_use.flow_sequence_name, v_use.project_name));
  end if;

  select count(*) into v_versions from public.workflow_versions as v where v.workflow_id = v_workflow.id;
  select count(*) into v_jobs from public.jobs as j
  where j.organisation_id = v_workflow.organisation_id and j.workflow_id = v_workflow.id;
  select count(*) into v_events from public.job_events as e
  where e.job_id in (
    select j.id from public.jobs as j
    where j.organisation_id = v_workflow.organisation_id and j.workflow_id = v_workflow.id);

  -- Versions, jobs and their events go by the foreign keys' cascades (as in purge_trash).
  delete from public.workflows as w where w.id = v_workflow.id;

  return jsonb_build_object(
    'workflow_id', v_workflow.id,
    'key', v_workflow.key,
    'version_count', v_versions,
    'job_count', v_jobs,
    'event_count', v_events
  );
end;
$$;

comment on function public.delete_workflow(uuid, text) is
  'Deletes a workflow (trashed too) with its versions, jobs and events after the caller types its key; owners/admins; 409 while a job is open or a project sequence uses it.';


-- A flow sequence's workflows are key-share locked when its flows are written, so a
-- concurrent delete_workflow (which holds the workflow `for update`) either finishes first
-- (then the workflow is gone and the save is refused) or waits for the save and sees the
-- sequence. private.flow_sequence_input_problem already refused workflows that did not
-- exist when it looked; this closes the window between its look and the commit.
create function private.tg__lock_flow_sequence_workflows() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_ids uuid[];
  v_found integer;
begin
  -- Only well-formed ids: flow_sequence_input_problem reports anything else with its path.
  select coalesce(array_agg(distinct (f.value ->> 'workflow_id')::uuid), '{}') into v_ids
  from jsonb_array_elements(case when jsonb_typeof(new.flows) = 'array' then new.flows else '[]'::jsonb end) as f
  where coalesce(f.value ->> 'workflow_id', '')
    ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
  if cardinality(v_ids) = 0 then
    return new;
  end if;

  with locked as (
    select w.id from public.workflows as w
    where w.organisation_id = new.organisation_id and w.id = any (v_ids)
    order by w.id
    for key share
  )
  select count(*) into v_found from locked;
  if v_found < cardinality(v_ids) then
    perform private.raise_http(409, 'workflow_not_found',
      'a workflow this sequence runs was deleted meanwhile: reload the sequence');
  end if;
  return new;
end;
$$;

comment on function private.tg__lock_flow_sequence_workflows() is
  'BEFORE INSERT OR UPDATE OF flows on flow_sequences: key-share locks the workflows the flows run (delete_workflow cannot remove one under a save); 409 if one is gone.';

revoke execute on function private.tg__lock_flow_sequence_workflows() from public, anon, authenticated;

create trigger _150_lock_flow_workflows
  before insert or update of flows on public.flow_sequences
  for each row execute function private.tg__lock_flow_sequence_workflows();


revoke execute on function public.workflow_used_by(uuid) from public, anon;
revoke execute on function public.transformer_used_by(uuid, text) from public, anon;
revoke execute on function public.workflow_delete_preview(uuid) from public, anon;
revoke execute on function public.delete_workflow(uuid, text) from public, anon;
grant execute on function public.workflow_used_by(uuid) to authenticated;
grant execute on function public.transformer_used_by(uuid, text) to authenticated;
grant execute on function public.workflow_delete_preview(uuid) to authenticated;
grant execute on function public.delete_workflow(uuid, text) to authenticated;
