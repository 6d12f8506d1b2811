-- Issue 10 §4: one request deletes at most what the dashboard offers, and a member deletes only
-- what is theirs. Restaurants and templates go through move_to_trash (…005100); tasks and ended
-- sequence instances are still deleted outright, but a plain member's
-- `DELETE /rest/v1/tasks?organisation_id=eq.<org>` must not take the whole pipeline with it.

-- DELETE(tasks): the task's creator or assignee, or an owner/admin of its organisation (a
-- sequence's own tasks stay undeletable here: tg__guard_task_progression refuses them).
drop policy tasks_delete_members on public.tasks;
create policy tasks_delete_own_or_admins on public.tasks
  for delete to authenticated
  using (
    organisation_id in (select private.user_admin_organisation_ids())
    or (
      organisation_id in (select private.user_organisation_ids())
      and (select auth.uid()) in (created_by, assigned_to)
    )
  );

-- DELETE(sequence_instances): once ended, by whoever started it, its rep, or an owner/admin.
drop policy sequence_instances_delete_members on public.sequence_instances;
create policy sequence_instances_delete_own_or_admins on public.sequence_instances
  for delete to authenticated
  using (
    status in ('completed', 'cancelled')
    and (
      organisation_id in (select private.user_admin_organisation_ids())
      or (
        organisation_id in (select private.user_organisation_ids())
        and (select auth.uid()) in (created_by, assigned_to)
      )
    )
  );

-- At most 100 rows in one DELETE by an API role (the dashboard deletes one at a time; the
-- trash RPCs take 100 ids). Not security definer, so current_user is the caller's role:
-- deletes made inside definer RPCs, purges and cascades from them are not counted. Only the
-- request's own statement is (pg_trigger_depth() = 0): a cascade from a parent row the
-- caller may delete (an owner deleting the organisation) runs as the caller's role inside
-- the foreign key's trigger and would otherwise make an organisation with 101 tasks
-- undeletable.
create function private.tg__bound_api_delete() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated')
     and (select count(*) from deleted_rows) > 100 then
    raise sqlstate 'PGRST' using
      message = json_build_object(
        'code', 'too_many_rows',
        'message', format('one request may delete at most 100 rows of %s; narrow the filter', tg_table_name)
      )::text,
      detail = json_build_object('status', 400, 'headers', json_build_object())::text;
  end if;
  return null;
end;
$$;

revoke execute on function private.tg__bound_api_delete() from public, anon, authenticated;

create trigger _900_bound_api_delete
  after delete on public.tasks
  referencing old table as deleted_rows
  for each statement
  when (pg_trigger_depth() = 0)
  execute function private.tg__bound_api_delete();

create trigger _900_bound_api_delete
  after delete on public.sequence_instances
  referencing old table as deleted_rows
  for each statement
  when (pg_trigger_depth() = 0)
  execute function private.tg__bound_api_delete();
