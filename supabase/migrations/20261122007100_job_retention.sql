-- Issue 12 §7: history that can be pruned. People delete selected jobs, or every finished job
-- matching the Jobs list's filters; each organisation keeps finished jobs for
-- job_retention_days (default 90), after which a scheduled cleanup deletes them in batches.
--
-- Only finished jobs (completed, failed, cancelled) are ever deleted here: a pending or
-- running job belongs to the orchestrator. Who may delete which job is the jobs table's own
-- read rule (jobs_select_owner_or_admins): owners and admins any job of their organisation,
-- members their own.
--
-- job_events stays append-only. Nobody has UPDATE, DELETE or TRUNCATE on it (the service
-- role's were revoked in …004200, API roles never had them) and a BEFORE UPDATE trigger
-- refuses rewrites even by its owner. A job's events go with the job through the foreign
-- key's ON DELETE CASCADE, which runs as the table owner: so deleting a job (through the
-- functions below, or with its workflow or organisation) is the one way an event row
-- disappears; no API role can delete a job directly. We chose
-- this over a transaction-local "deleting allowed" setting checked by a DELETE trigger: the
-- cascade already exists (deleting an organisation or purging a trashed workflow relies on
-- it), adds no per-row trigger cost to a 300,000-job cleanup, and a setting any session can
-- set would be a weaker guard than a missing privilege.

-- Settings ---------------------------------------------------------------------------------

alter table public.organisations
  add column job_retention_days integer not null default 90,
  add constraint organisations_job_retention_days_range check (job_retention_days between 7 and 3650);

comment on column public.organisations.job_retention_days is
  'Finished jobs (and their events) older than this many days are deleted by public.purge_expired_jobs; 7 to 3650. Written only through public.set_job_retention.';

-- Every member reads it (organisations_select_members); only set_job_retention writes it,
-- as authenticated has column-level UPDATE on name alone (…000200).

create function public.set_job_retention(p_organisation_id uuid, p_days integer) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
begin
  if not private.is_organisation_member(p_organisation_id, v_user_id, array['owner', 'admin']) then
    if private.is_organisation_member(p_organisation_id, v_user_id) then
      perform private.raise_http(403, 'forbidden', 'only owners and admins can change how long job history is kept');
    end if;
    perform private.raise_http(404, 'P0002', 'organisation not found');
  end if;
  if p_days is null or p_days not between 7 and 3650 then
    raise exception 'job history is kept for 7 to 3650 days' using errcode = '22023';
  end if;
  update public.organisations as o set job_retention_days = p_days where o.id = p_organisation_id;
  return p_days;
end;
$$;

comment on function public.set_job_retention(uuid, integer) is
  'Owners and admins: keep the organisation''s finished jobs for p_days (7..3650) before the scheduled cleanup deletes them; returns the new value.';

revoke execute on function public.set_job_retention(uuid, integer) from public, anon, service_role;
grant execute on function public.set_job_retention(uuid, integer) to authenticated;


-- Deleting jobs by hand ----------------------------------------------------------------------

-- The jobs a caller may delete in p_organisation_id: 404 when they are not a member (as if it
-- did not exist); members only their own, as the jobs policy shows them.
create function private.deletable_jobs_user(p_organisation_id uuid) returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
begin
  if private.is_organisation_member(p_organisation_id, v_user_id, array['owner', 'admin']) then
    return null; -- everyone's
  end if;
  if private.is_organisation_member(p_organisation_id, v_user_id) then
    return v_user_id;
  end if;
  perform private.raise_http(404, 'P0002', 'organisation not found');
  return null;
end;
$$;

comment on function private.deletable_jobs_user(uuid) is
  'Whose finished jobs the caller may delete in an organisation: null for everyone''s (owners, admins), their own id (members); 404 for others.';

revoke execute on function private.deletable_jobs_user(uuid) from public, anon, authenticated;


-- Deletes the listed jobs the caller may read (the jobs policy) that are finished; the rest
-- (another organisation's, someone else's as a member, pending or running, unknown ids) are
-- skipped rather than refused, so a selection made a minute ago still deletes what it can.
create function public.delete_jobs(p_job_ids uuid[]) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_count integer;
begin
  if cardinality(p_job_ids) > 1000 then
    raise exception 'delete at most 1000 jobs at once' using errcode = '22023';
  end if;
  -- A job a retry re-queues meanwhile is re-checked after its row lock (read committed), so
  -- the status test below also holds at the moment of deletion.
  delete from public.jobs as j
  where j.id = any (coalesce(p_job_ids, '{}'))
    and j.status in ('completed', 'failed', 'cancelled')
    and (
      j.organisation_id in (select private.user_admin_organisation_ids())
      or (j.user_id = v_user_id and j.organisation_id in (select private.user_organisation_ids()))
    );
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

comment on function public.delete_jobs(uuid[]) is
  'Deletes up to 1000 finished jobs (and their events) the caller may read: owners/admins any of their organisation''s, members their own; others skipped. Returns how many were deleted.';

revoke execute on function public.delete_jobs(uuid[]) from public, anon, service_role;
grant execute on function public.delete_jobs(uuid[]) to authenticated;


-- The Jobs list's filters (apps/web/src/features/jobs/api/queries.ts, toJobQuery) as jsonb:
--   { status?: text[], workflow_id?: uuid, from?: timestamptz, to?: timestamptz, mine?: bool }
-- from is inclusive and to exclusive on created_at (the list sends the start of the day after
-- its "to" day); mine keeps the caller's own jobs. Anything else is 22023, as the list never
-- sends it and a typo must not widen a delete.
create function private.finished_jobs_matching(p_organisation_id uuid, p_filters jsonb)
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_filters jsonb := coalesce(p_filters, '{}'::jsonb);
  v_only_user uuid := private.deletable_jobs_user(p_organisation_id);
  v_statuses text[];
  v_workflow_id uuid;
  v_from timestamptz;
  v_to timestamptz;
  v_key text;
begin
  if jsonb_typeof(v_filters) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023';
  end if;
  for v_key in select jsonb_object_keys(v_filters) loop
    if v_key not in ('status', 'workflow_id', 'from', 'to', 'mine') then
      raise exception 'unknown filter %: use status, workflow_id, from, to or mine', v_key using errcode = '22023';
    end if;
  end loop;
  if v_filters ? 'status' and jsonb_typeof(v_filters -> 'status') <> 'null' then
    if jsonb_typeof(v_filters -> 'status') <> 'array' then
      raise exception 'status must be an array of job statuses' using errcode = '22023';
    end if;
    select coalesce(array_agg(s), '{}') into v_statuses
    from jsonb_array_elements_text(v_filters -> 'status') as s;
    if not v_statuses <@ array['pending', 'running', 'awaiting_retry', 'completed', 'failed', 'cancelled'] then
      raise exception 'status must list job statuses' using errcode = '22023';
    end if;
  end if;
  begin
    v_workflow_id := nullif(v_filters ->> 'workflow_id', '')::uuid;
    v_from := (v_filters ->> 'from')::timestamptz;
    v_to := (v_filters ->> 'to')::timestamptz;
  exception when others then
    raise exception 'workflow_id must be a uuid, from and to timestamps' using errcode = '22023';
  end;
  if v_filters ? 'mine' and jsonb_typeof(v_filters -> 'mine') not in ('boolean', 'null') then
    raise exception 'mine must be true or false' using errcode = '22023';
  end if;
  if coalesce((v_filters ->> 'mine')::boolean, false) then
    v_only_user := private.require_user();
  end if;

  return query
    select j.id
    from public.jobs as j
    where j.organisation_id = p_organisation_id
      and j.status in ('completed', 'failed', 'cancelled')
      and (v_statuses is null or j.status = any (v_statuses))
      and (v_only_user is null or j.user_id = v_only_user)
      and (v_workflow_id is null or j.workflow_id = v_workflow_id)
      and (v_from is null or j.created_at >= v_from)
      and (v_to is null or j.created_at < v_to);
end;
$$;

comment on function private.finished_jobs_matching(uuid, jsonb) is
  'Ids of the organisation''s finished jobs matching the Jobs list filters that the caller may delete; 22023 on bad filters, 404 for non-members.';

revoke execute on function private.finished_jobs_matching(uuid, jsonb) from public, anon, authenticated;


create function public.count_finished_jobs(p_organisation_id uuid, p_filters jsonb) returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select count(*)::integer from private.finished_jobs_matching(p_organisation_id, p_filters);
$$;

comment on function public.count_finished_jobs(uuid, jsonb) is
  'How many finished jobs delete_finished_jobs would delete with these filters (the confirmation''s count).';

revoke execute on function public.count_finished_jobs(uuid, jsonb) from public, anon, service_role;
grant execute on function public.count_finished_jobs(uuid, jsonb) to authenticated;


-- One statement, so what is counted in the same instant is deleted. Finished jobs are not the
-- orchestrator's, so their row locks stall nobody. At most 20,000 jobs per request (about 3 s
-- with 3 events each on the bench machine, well inside the authenticated role's 8 s statement
-- timeout, which would otherwise end a larger delete as a 500 having changed nothing): more
-- is 400 too_many_jobs, naming the count and what to do instead.
create function public.delete_finished_jobs(p_organisation_id uuid, p_filters jsonb) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_matching integer;
  v_count integer;
begin
  select count(*) into v_matching
  from private.finished_jobs_matching(p_organisation_id, p_filters);
  if v_matching > 20000 then
    perform private.raise_http(400, 'too_many_jobs', format(
      '%s finished jobs match; one request deletes at most 20,000: narrow the filters (a date range), or shorten Settings → Job history and let the scheduled cleanup delete them',
      v_matching));
  end if;
  delete from public.jobs as j
  where j.id in (select m from private.finished_jobs_matching(p_organisation_id, p_filters) as m)
    and j.status in ('completed', 'failed', 'cancelled');
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

comment on function public.delete_finished_jobs(uuid, jsonb) is
  'Deletes the organisation''s finished jobs (and events) matching the Jobs list filters that the caller may delete, at most 20,000 (else 400 too_many_jobs); returns how many.';

revoke execute on function public.delete_finished_jobs(uuid, jsonb) from public, anon, service_role;
grant execute on function public.delete_finished_jobs(uuid, jsonb) to authenticated;


-- The scheduled cleanup ---------------------------------------------------------------------

-- "Finished and older than": per organisation, the oldest finished jobs first. Partial, so it
-- holds only finished jobs and the orchestrator's inserts and status changes of live jobs
-- touch it only when a job finishes.
create index jobs_finished_organisation_id_completed_at_idx
  on public.jobs (organisation_id, completed_at)
  where status in ('completed', 'failed', 'cancelled');

-- Deletes up to p_batch finished jobs completed longer ago than their organisation's
-- job_retention_days, with their events; returns how many. Rows another transaction holds
-- (a retry re-queueing a failed job) are skipped, not waited for, and a batch is small, so
-- one call holds its locks briefly; the scheduler calls it again and again (each call its own
-- transaction), and a caller draining a backlog repeats it until a batch comes back short. One organisation at a time through the index above, so
-- organisations with recent history cost one probe each rather than a scan of their jobs.
create function public.purge_expired_jobs(p_batch integer default 1000) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_count integer;
begin
  if p_batch is null or p_batch not between 1 and 10000 then
    raise exception 'batch must be between 1 and 10000' using errcode = '22023';
  end if;
  with doomed as (
    select x.id
    from public.organisations as o
    cross join lateral (
      select j.id
      from public.jobs as j
      where j.organisation_id = o.id
        and j.status in ('completed', 'failed', 'cancelled')
        and j.completed_at < now() - make_interval(days => o.job_retention_days)
      order by j.completed_at
      limit p_batch
      for update of j skip locked
    ) as x
    limit p_batch
  )
  delete from public.jobs as j
  using doomed
  where j.id = doomed.id;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;

comment on function public.purge_expired_jobs(integer) is
  'Scheduler only (service_role): deletes up to p_batch finished jobs (and events) older than their organisation''s job_retention_days, skipping locked rows; returns how many.';

revoke execute on function public.purge_expired_jobs(integer) from public, anon, authenticated;
grant execute on function public.purge_expired_jobs(integer) to service_role;


-- Every 30 seconds where pg_cron exists (hosted Supabase; pg_cron 1.5+ takes second
-- intervals), a batch of 1,000 each time: up to 2.8 million jobs a day, each call its own
-- short transaction. The native stack's cron ticker does the same every 5 seconds
-- (packages/local-stack/src/stack.ts, scheduledSql). A procedure looping with COMMIT would
-- drain a backlog faster, but Postgres refuses COMMIT in a procedure that sets search_path,
-- and one without it fails the advisors (function_search_path_mutable).
do $$
begin
  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    perform cron.schedule('purge-expired-jobs', '30 seconds', 'select public.purge_expired_jobs(1000)');
  end if;
end;
$$;
