-- Trash: one click must not destroy a pipeline (issue 10 §4; docs/security.md, "What can be
-- undone").
--
-- Restaurants, the task, message and sequence templates and workflows are soft-deleted: the row gets
-- deleted_at/deleted_by, the select policies hide it, and public.restore_from_trash brings it
-- back until public.purge_trash removes it for good, 30 days later (pg_cron daily where it
-- exists; the native stack's cron ticker otherwise). A restaurant's tasks and sequence
-- instances go into the trash with it (the same deleted_at) and come back with it.
--
-- DELETE is revoked from the API roles on these tables: the only way to delete is
-- public.move_to_trash, which takes ids (at most 100, a page of the dashboard's list) so no
-- filter like `?organisation_id=eq.<org>` empties an organisation in one request. A member
-- trashes only the restaurants they created or are assigned, and the templates they created;
-- owners and admins trash any.
--
-- A workflow goes into the trash only while none of its jobs is pending, running or awaiting
-- a retry (409 otherwise), and only by owners and admins (who alone edit workflows); trashed,
-- it cannot be started or saved (404 as if gone, …004300); restored, it comes back with its
-- versions and jobs; purged, they go with it.
--
-- Expired invitations (…000750) are purged here too, once they have been expired as long as
-- the trash keeps a row: the inviter can still see and renew one for a while.
--
-- A user's deletion keeps the organisation's history: jobs keep the id of the user who
-- started them (no foreign key to auth.users any more; the dashboard shows a former member),
-- tasks and everything else set their user columns null as before, and when the user was an
-- organisation's only owner, ownership passes to its longest-standing admin, else member. An
-- organisation with no other member is deleted with its last member's account.

create type public.trash_kind as enum ('restaurant', 'task_template', 'message_template', 'sequence_template', 'workflow');

comment on type public.trash_kind is 'What public.move_to_trash and public.restore_from_trash act on.';


-- Columns --------------------------------------------------------------------------------
-- deleted_at/deleted_by of restaurants, the three template kinds and workflows are in their
-- tables' migrations, so the visible-row helpers (…002300, …004300) hide trashed rows from the
-- start.
-- So are tasks' and sequence instances' (set with their restaurant's, same value; cleared
-- with it), and every select policy's `deleted_at is null`.

comment on column public.restaurants.deleted_at is
  'In the trash since then (hidden from reads; restorable until purged 30 days later).';
comment on column public.tasks.deleted_at is 'Its restaurant''s deleted_at while that restaurant is in the trash.';
comment on column public.sequence_instances.deleted_at is
  'Its restaurant''s deleted_at while that restaurant is in the trash.';

create index restaurants_deleted_by_idx on public.restaurants (deleted_by);
create index task_templates_deleted_by_idx on public.task_templates (deleted_by);
create index message_templates_deleted_by_idx on public.message_templates (deleted_by);
create index sequence_templates_deleted_by_idx on public.sequence_templates (deleted_by);
create index workflows_deleted_by_idx on public.workflows (deleted_by);
-- The Trash page (by organisation) and the purge (by age) read only trashed rows.
create index restaurants_trash_idx on public.restaurants (organisation_id, deleted_at) where deleted_at is not null;
create index task_templates_trash_idx on public.task_templates (organisation_id, deleted_at) where deleted_at is not null;
create index message_templates_trash_idx on public.message_templates (organisation_id, deleted_at) where deleted_at is not null;
create index sequence_templates_trash_idx on public.sequence_templates (organisation_id, deleted_at) where deleted_at is not null;
create index workflows_trash_idx on public.workflows (organisation_id, deleted_at) where deleted_at is not null;


-- Only the trash RPCs set the trash columns. The column grants leave them out; restaurants,
-- the table whose rows members delete most, also refuse them in a trigger whatever is
-- granted later (a table-wide grant would otherwise let a member restore or hide a row).
create function private.tg__guard_trash_columns() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated')
     and (tg_op = 'INSERT' and (new.deleted_at is not null or new.deleted_by is not null)
          or tg_op = 'UPDATE' and (new.deleted_at is distinct from old.deleted_at
                                   or new.deleted_by is distinct from old.deleted_by)) then
    raise exception 'deleted_at and deleted_by are set by move_to_trash and restore_from_trash'
      using errcode = '42501';
  end if;
  return new;
end;
$$;

comment on function private.tg__guard_trash_columns() is
  'BEFORE INSERT OR UPDATE: API roles cannot write deleted_at/deleted_by (the trash RPCs run as their owner).';

revoke execute on function private.tg__guard_trash_columns() from public, anon, authenticated;

create trigger _210_guard_trash_columns
  before insert or update on public.restaurants
  for each row execute function private.tg__guard_trash_columns();


-- No deletes through the API: move_to_trash instead --------------------------------------
revoke delete on public.restaurants, public.task_templates, public.message_templates, public.sequence_templates
  from anon, authenticated;
drop policy restaurants_delete_members on public.restaurants;
drop policy task_templates_delete_creator_or_admins on public.task_templates;
drop policy message_templates_delete_creator_or_admins on public.message_templates;
drop policy sequence_templates_delete_creator_or_admins on public.sequence_templates;


-- How long a row stays restorable, in one place.
create function private.trash_retention() returns interval
language sql
immutable
set search_path = ''
as $$ select interval '30 days' $$;

revoke execute on function private.trash_retention() from public, anon, authenticated;

-- Whether the current user may trash (and restore) a row: owners and admins any row of
-- their organisation; members the rows they created, and restaurants they are assigned.
create function private.may_trash(p_organisation_id uuid, p_created_by uuid, p_assigned_to uuid default null)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select p_organisation_id in (select private.user_admin_organisation_ids())
    or (p_organisation_id in (select private.user_organisation_ids())
        and (select auth.uid()) in (p_created_by, p_assigned_to));
$$;

revoke execute on function private.may_trash(uuid, uuid, uuid) from public, anon, authenticated;


-- The table behind a kind that has nothing but its own row to trash (not restaurants).
create function private.trash_table(p_kind public.trash_kind) returns text
language sql
immutable
set search_path = ''
as $$
  select case p_kind
    when 'task_template' then 'task_templates'
    when 'message_template' then 'message_templates'
    when 'sequence_template' then 'sequence_templates'
    when 'workflow' then 'workflows'
  end;
$$;

revoke execute on function private.trash_table(public.trash_kind) from public, anon, authenticated;

-- Moves rows of one such table into the trash (p_deleted_at not null) or out of it (null):
-- those of p_ids on the other side that the caller may trash (workflows: owners and admins
-- only, so no creator counts); returns their ids. One statement for every kind that is just
-- its row, so the rule of who may trash what is written once.
create function private.set_trashed(p_kind public.trash_kind, p_ids uuid[], p_deleted_at timestamptz, p_deleted_by uuid)
returns setof uuid
language plpgsql
set search_path = ''
as $$
begin
  return query execute format(
    'update public.%I as t set deleted_at = $1, deleted_by = $2
     where t.id = any ($3) and (t.deleted_at is null) = ($1 is not null)
       and private.may_trash(t.organisation_id, case when $4 then null else t.created_by end)
     returning t.id',
    private.trash_table(p_kind))
  using p_deleted_at, p_deleted_by, p_ids, p_kind = 'workflow';
end;
$$;

revoke execute on function private.set_trashed(public.trash_kind, uuid[], timestamptz, uuid) from public, anon, authenticated;

-- A workflow with a job pending, running or awaiting a retry stays out of the trash (a
-- running job needs its workflow, and a trashed one must not run). The workflows are locked
-- first, in a statement of their own, so a start or retry that got its share lock before
-- (private.lock_live_workflow) has committed its job by the time the jobs are read.
create function private.refuse_busy_workflows(p_ids uuid[]) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_key text;
begin
  perform 1 from public.workflows as w
  where w.id = any (p_ids) and w.deleted_at is null and private.may_trash(w.organisation_id, null)
  order by w.id
  for update;

  select w.key into v_key
  from public.workflows as w
  where w.id = any (p_ids) and w.deleted_at is null and private.may_trash(w.organisation_id, null)
    and exists (
      select 1 from public.jobs as j
      where j.organisation_id = w.organisation_id and j.workflow_id = w.id
        and j.status in ('pending', 'running', 'awaiting_retry'))
  order by w.key
  limit 1;
  if v_key is not null then
    perform private.raise_http(409, 'workflow_busy', format(
      'workflow %s has jobs pending, running or awaiting a retry: cancel them or let them finish, then move it to the trash',
      v_key));
  end if;
end;
$$;

revoke execute on function private.refuse_busy_workflows(uuid[]) from public, anon, authenticated;


-- Moves up to 100 rows of one kind into the trash; returns the ids it moved. Rows that do
-- not exist, are already trashed or are not the caller's to delete are left alone (the
-- dashboard says "not deleted" when nothing comes back), as RLS would.
create function public.move_to_trash(p_kind public.trash_kind, p_ids uuid[])
returns table (id uuid)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_user_id uuid := private.require_user();
  v_now timestamptz := now();
begin
  if cardinality(p_ids) > 100 then
    perform private.raise_http(400, '22023', 'at most 100 rows can be deleted in one request');
  end if;

  if p_kind = 'restaurant' then
    return query
      with trashed as (
        update public.restaurants as r
        set deleted_at = v_now, deleted_by = v_user_id
        where r.id = any (p_ids) and r.deleted_at is null
          and private.may_trash(r.organisation_id, r.created_by, r.assigned_sales_rep)
        returning r.id
      ), trashed_tasks as (
        update public.tasks as t set deleted_at = v_now
        where t.restaurant_id in (select trashed.id from trashed) and t.deleted_at is null
      ), trashed_instances as (
        update public.sequence_instances as i set deleted_at = v_now
        where i.restaurant_id in (select trashed.id from trashed) and i.deleted_at is null
      )
      select trashed.id from trashed;
  else
    if p_kind = 'workflow' then
      perform private.refuse_busy_workflows(p_ids);
    end if;
    return query select private.set_trashed(p_kind, p_ids, v_now, v_user_id);
  end if;
end;
$$;

comment on function public.move_to_trash(public.trash_kind, uuid[]) is
  'Soft-deletes up to 100 rows the caller may delete (a restaurant with its tasks and sequences; a workflow without open jobs); returns their ids.';


-- Takes rows out of the trash (the same people who may trash them); returns the ids.
create function public.restore_from_trash(p_kind public.trash_kind, p_ids uuid[])
returns table (id uuid)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_user_id uuid := private.require_user();
begin
  if cardinality(p_ids) > 100 then
    perform private.raise_http(400, '22023', 'at most 100 rows can be restored in one request');
  end if;

  if p_kind = 'restaurant' then
    return query
      with restored as (
        update public.restaurants as r
        set deleted_at = null, deleted_by = null
        where r.id = any (p_ids) and r.deleted_at is not null
          and private.may_trash(r.organisation_id, r.created_by, r.assigned_sales_rep)
        returning r.id
      ), restored_tasks as (
        update public.tasks as t set deleted_at = null
        where t.restaurant_id in (select restored.id from restored) and t.deleted_at is not null
      ), restored_instances as (
        update public.sequence_instances as i set deleted_at = null
        where i.restaurant_id in (select restored.id from restored) and i.deleted_at is not null
      )
      select restored.id from restored;
  else
    return query select private.set_trashed(p_kind, p_ids, null, null);
  end if;
end;
$$;

comment on function public.restore_from_trash(public.trash_kind, uuid[]) is
  'Restores trashed rows the caller may delete (a restaurant with its tasks and sequences; a workflow with its versions and jobs); returns their ids.';


-- An organisation's trash as the caller may restore it, newest first.
create function public.trash_items(p_organisation_id uuid)
returns table (
  kind public.trash_kind,
  id uuid,
  name text,
  deleted_at timestamptz,
  deleted_by uuid,
  deleted_by_name text,
  purge_after timestamptz
)
language sql
stable
security definer
set search_path = ''
as $$
  select x.kind, x.id, x.name, x.deleted_at, x.deleted_by,
         coalesce(nullif(p.full_name, ''), p.email), x.deleted_at + private.trash_retention()
  from (
    select 'restaurant'::public.trash_kind as kind, r.id, r.name, r.deleted_at, r.deleted_by
    from public.restaurants as r
    where r.organisation_id = p_organisation_id and r.deleted_at is not null
      and private.may_trash(r.organisation_id, r.created_by, r.assigned_sales_rep)
    union all
    select 'task_template', t.id, t.name, t.deleted_at, t.deleted_by
    from public.task_templates as t
    where t.organisation_id = p_organisation_id and t.deleted_at is not null
      and private.may_trash(t.organisation_id, t.created_by)
    union all
    select 'message_template', t.id, t.name, t.deleted_at, t.deleted_by
    from public.message_templates as t
    where t.organisation_id = p_organisation_id and t.deleted_at is not null
      and private.may_trash(t.organisation_id, t.created_by)
    union all
    select 'sequence_template', t.id, t.name, t.deleted_at, t.deleted_by
    from public.sequence_templates as t
    where t.organisation_id = p_organisation_id and t.deleted_at is not null
      and private.may_trash(t.organisation_id, t.created_by)
    union all
    select 'workflow', w.id, w.name, w.deleted_at, w.deleted_by
    from public.workflows as w
    where w.organisation_id = p_organisation_id and w.deleted_at is not null
      and private.may_trash(w.organisation_id, null)
  ) as x
  left join public.profiles as p on p.id = x.deleted_by
  order by x.deleted_at desc, x.id;
$$;

comment on function public.trash_items(uuid) is
  'The organisation''s trashed rows the caller may restore, with who deleted them and when they will be purged.';


-- Deletes for good what has been in the trash longer than the retention (a restaurant's
-- tasks and sequences and a workflow's versions, jobs and events cascade), and invitations
-- expired that long ago; returns how many rows. Run by the scheduler (pg_cron below, or the
-- native stack's cron ticker).
create function public.purge_trash() returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_cutoff timestamptz := now() - private.trash_retention();
  v_table text;
  v_count integer;
  v_total integer := 0;
begin
  foreach v_table in array array['restaurants', 'sequence_templates', 'task_templates',
                                 'message_templates', 'workflows'] loop
    execute format('delete from public.%I as t where t.deleted_at < $1', v_table) using v_cutoff;
    get diagnostics v_count = row_count;
    v_total := v_total + v_count;
  end loop;
  delete from public.organisation_invitations as i where i.expires_at < v_cutoff;
  get diagnostics v_count = row_count;
  return v_total + v_count;
end;
$$;

comment on function public.purge_trash() is
  'Deletes rows trashed, and invitations expired, more than private.trash_retention() ago. Scheduler only (service_role).';

revoke execute on function public.move_to_trash(public.trash_kind, uuid[]) from public, anon, service_role;
revoke execute on function public.restore_from_trash(public.trash_kind, uuid[]) from public, anon, service_role;
revoke execute on function public.trash_items(uuid) from public, anon, service_role;
revoke execute on function public.purge_trash() from public, anon, authenticated;
grant execute on function public.move_to_trash(public.trash_kind, uuid[]) to authenticated;
grant execute on function public.restore_from_trash(public.trash_kind, uuid[]) to authenticated;
grant execute on function public.trash_items(uuid) to authenticated;
grant execute on function public.purge_trash() to service_role;

-- Daily where pg_cron exists (hosted Supabase); the native stack has none and its cron
-- ticker runs public.purge_trash() instead.
do $$
begin
  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    perform cron.schedule('purge-trash', '17 3 * * *', 'select public.purge_trash()');
  end if;
end;
$$;


-- A user's deletion keeps the organisation's history -------------------------------------
-- Jobs keep the id of the user who started them: deleting the account no longer deletes
-- their jobs (and, with them, their events); job_events.user_id never had a foreign key.
alter table public.jobs drop constraint jobs_user_id_fkey;
comment on column public.jobs.user_id is
  'Who started the job. No foreign key: the id stays when the account is deleted (shown as a former member).';

-- Before an account goes, every organisation it solely owns gets a new owner: the
-- longest-standing admin, else member. One without another member is deleted with it
-- (nobody could reach it any more).
create function private.tg__pass_ownership_on_user_delete() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_organisation_id uuid;
  v_heir uuid;
begin
  for v_organisation_id in
    select m.organisation_id
    from public.organisation_members as m
    where m.user_id = old.id and m.role = 'owner'
      and not exists (
        select 1 from public.organisation_members as o
        where o.organisation_id = m.organisation_id and o.role = 'owner' and o.user_id <> old.id)
    order by m.organisation_id
  loop
    select m.user_id into v_heir
    from public.organisation_members as m
    where m.organisation_id = v_organisation_id and m.user_id <> old.id
    order by (m.role = 'admin') desc, m.created_at, m.user_id
    limit 1;

    if v_heir is null then
      delete from public.organisations as o where o.id = v_organisation_id;
    else
      update public.organisation_members as m set role = 'owner'
      where m.organisation_id = v_organisation_id and m.user_id = v_heir;
    end if;
  end loop;
  return old;
end;
$$;

comment on function private.tg__pass_ownership_on_user_delete() is
  'BEFORE DELETE on profiles: an organisation the user solely owns passes to its longest-standing admin, else member; one with no other member is deleted.';

revoke execute on function private.tg__pass_ownership_on_user_delete() from public, anon, authenticated;

create trigger _200_pass_ownership
  before delete on public.profiles
  for each row execute function private.tg__pass_ownership_on_user_delete();
