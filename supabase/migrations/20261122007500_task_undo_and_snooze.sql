-- Undo, reopen and snooze a task; a skip reason and a call outcome (issue 13 §2).
--
--   complete_task(task, outcome?) ─┐                       ┌─ reopen_task(task)
--   skip_task(task, reason?) ──────┴─ private.finish_task ─┤   puts it back from the snapshot
--                                     writes metadata.     │   when nothing of the sequence
--                                     finished_snapshot ───┘   moved since; else 409 in words
--   snooze_task(task, due) — the one way to move an open task's due date when it is a
--   sequence step (the progression guard keeps API roles off that column).
--
-- Why a snapshot rather than "undo = run the sequence backwards": the sequence cannot know
-- what the task was before (its old due date, whether it was done ahead of its turn, whether
-- its finish completed the instance), and a reopen must put exactly that back. The snapshot
-- is taken under the instance lock in the same transaction as the finish, so it describes
-- the state the finish produced; reopen takes the same lock and compares the sequence with
-- it, so a reopen and a complete/skip/edit of the same instance serialise and exactly one of
-- them sees the other.

-- tasks.metadata keys written here (besides render_warnings):
--   call_outcome       connected | voicemail | no_answer  (completed call tasks)
--   skip_reason        up to 500 characters               (skipped tasks)
--   finished_snapshot  what reopen_task needs (sequence tasks only), see finish_task.
comment on column public.tasks.metadata is
  'render_warnings: [{variable, problem}] from rendering the message; call_outcome and skip_reason when finished; finished_snapshot (sequence tasks) for reopen_task.';


-- A fingerprint of the instance's other tasks (all but the finished one and the step its
-- finish activated): their ids, places, states, due dates and delays. Equal fingerprints
-- mean no step was added, deleted, renumbered, finished, rescheduled or had its delay
-- changed in between. Undoing a later finish first restores its tasks exactly, so undos in
-- reverse order still match. Cost: 0.22 ms on a 240-step chain (the longest a template may
-- have; 200 calls, native stack, 2 cores), once per finish and once per reopen — against
-- 1.1 ms for the whole complete_task on that chain; nothing for a task without a sequence.
create function private.sequence_tasks_fingerprint(p_instance_id uuid, p_except uuid[]) returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select md5(coalesce(string_agg(
      -- The due date as epoch seconds: its text form would follow the session's TimeZone.
      concat_ws('|', t.id, t.sequence_step_order, t.status, extract(epoch from t.due_date),
        t.sequence_delay_value, t.sequence_delay_unit),
      ',' order by t.sequence_step_order, t.id), ''))
    from public.tasks as t
    where t.sequence_instance_id = p_instance_id and t.id <> all (p_except)
  );
end;
$$;

comment on function private.sequence_tasks_fingerprint(uuid, uuid[]) is
  'md5 of the instance''s tasks (id, place, status, due date, delay) except p_except: what reopen_task compares.';


-- complete_task and skip_task: one transaction that locks the instance before it reads any
-- task state, so concurrent calls serialise and activate the next step exactly once.
-- p_details: {call_outcome} or {skip_reason}, already validated by the RPCs except the
-- outcome's task type, which is known only here. Sequence tasks also get
-- metadata.finished_snapshot: the task's state before, the instance's before, the step this
-- finish activated with its due date, and the fingerprint of the other tasks after.
drop function if exists public.complete_task(uuid);
drop function if exists public.skip_task(uuid);
drop function if exists private.finish_task(uuid, text);

create function private.finish_task(p_task_id uuid, p_status text, p_details jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_task public.tasks;
  v_before public.tasks;
  v_instance_id uuid;
  v_instance_status text;
  v_instance_step integer;
  v_instance_resume_at timestamptz;
  v_current integer;
  v_next_id uuid;
  v_next public.tasks;
  v_after_status text;
  v_after_total integer;
  v_warnings text[] := '{}';
begin
  v_instance_id := (private.visible_task(p_task_id)).sequence_instance_id;

  if v_instance_id is not null then
    select i.id, i.status, i.current_step_order, i.resume_at
    into v_instance_id, v_instance_status, v_instance_step, v_instance_resume_at
    from public.sequence_instances as i
    where i.id = v_instance_id
    for update;
  end if;

  -- Re-read under the lock: another call may have finished this task meanwhile.
  select t.* into v_task from public.tasks as t where t.id = p_task_id for update;
  if not found then
    perform private.raise_http(404, 'P0002', 'task not found');
  end if;
  if v_task.sequence_instance_id is distinct from v_instance_id then
    raise exception 'the task left its sequence while being updated; try again' using errcode = '40001';
  end if;

  if v_task.status in ('completed', 'skipped') then
    v_warnings := array[format('this task was already %s; nothing changed', v_task.status)];
    return private.task_result(to_jsonb(v_task), null, v_instance_id, v_warnings);
  end if;
  if v_task.status = 'cancelled' then
    raise exception 'this task was cancelled%, so it cannot be %',
      case when v_task.sequence_instance_id is not null then ' with its sequence' else '' end,
      p_status
      using errcode = '22023';
  end if;
  if p_details ? 'call_outcome' and v_task.type <> 'call' then
    perform private.raise_http(400, 'invalid_input',
      format('a call outcome is recorded only for call tasks (this one is %s)', replace(v_task.type, '_', ' ')));
  end if;

  if v_task.status = 'pending' then
    select t.sequence_step_order into v_current
    from public.tasks as t
    where t.sequence_instance_id = v_instance_id and t.status = 'active';
    v_warnings := v_warnings || case
      when v_current is not null then format(
        'step %s was %s ahead of step %s, which stays active', v_task.sequence_step_order, p_status, v_current)
      else format(
        'step %s was %s ahead of step %s', v_task.sequence_step_order, p_status, v_instance_step)
    end;
  end if;

  v_before := v_task;
  update public.tasks as t
  set status = p_status,
      completed_at = case when p_status = 'completed' then now() end,
      completed_by = case when p_status = 'completed' then v_user_id end,
      skipped_at = case when p_status = 'skipped' then now() end,
      metadata = (t.metadata - 'call_outcome' - 'skip_reason' - 'finished_snapshot')
        || coalesce(p_details, '{}'::jsonb)
  where t.id = p_task_id
  returning t.* into v_task;

  if v_instance_id is not null then
    v_next_id := private.sequence_settle(v_instance_id);
    if v_instance_status = 'paused' and exists (
      select 1 from public.tasks as t where t.sequence_instance_id = v_instance_id and t.status = 'pending'
    ) and not exists (
      select 1 from public.tasks as t where t.sequence_instance_id = v_instance_id and t.status = 'active'
    ) then
      v_warnings := v_warnings || 'the sequence is paused: the next step becomes active when it resumes'::text;
    end if;

    -- What reopen_task puts back, and what it compares to know nothing moved since.
    select t.* into v_next from public.tasks as t where t.id = v_next_id;
    select i.status, i.total_steps into v_after_status, v_after_total
    from public.sequence_instances as i where i.id = v_instance_id;
    update public.tasks as t
    set metadata = t.metadata || jsonb_build_object('finished_snapshot', jsonb_build_object(
      'status', v_before.status,
      'due_date', v_before.due_date,
      'activated_at', v_before.activated_at,
      'instance_status', v_instance_status,
      'instance_step', v_instance_step,
      'instance_resume_at', v_instance_resume_at,
      'instance_status_after', v_after_status,
      'total_steps_after', v_after_total,
      'next_task_id', v_next_id,
      'next_due_date', v_next.due_date,
      'finished_at', now(),
      'fingerprint', private.sequence_tasks_fingerprint(
        v_instance_id, array_remove(array[p_task_id, v_next_id], null))
    ))
    where t.id = p_task_id
    returning t.* into v_task;
  end if;

  return private.task_result(to_jsonb(v_task), v_next_id, v_instance_id, v_warnings);
end;
$$;

comment on function private.finish_task(uuid, text, jsonb) is
  'complete_task/skip_task: finishes a task under the instance lock, activates the next step and records what reopen_task needs.';


-- Completes a task; for a sequence task, activates the next pending step. p_outcome, for
-- call tasks: connected | voicemail | no_answer (metadata.call_outcome).
create function public.complete_task(p_task_id uuid, p_outcome text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_outcome is not null and p_outcome not in ('connected', 'voicemail', 'no_answer') then
    perform private.raise_http(400, 'invalid_input', 'the call outcome must be connected, voicemail or no_answer');
  end if;
  return private.finish_task(p_task_id, 'completed',
    case when p_outcome is not null then jsonb_build_object('call_outcome', p_outcome) end);
end;
$$;

comment on function public.complete_task(uuid, text) is
  'Completes a task (optionally with a call outcome) and activates the next step of its sequence: {task, next_task, instance, warnings}. Twice = no-op with a warning.';


-- Skips a task (the seed's explicit Skip): progression as for completion. p_reason: up to
-- 500 characters, kept in metadata.skip_reason; blank is no reason.
create function public.skip_task(p_task_id uuid, p_reason text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_reason text := nullif(btrim(p_reason), '');
begin
  if char_length(v_reason) > 500 then
    perform private.raise_http(400, 'invalid_input', 'the skip reason can be at most 500 characters');
  end if;
  return private.finish_task(p_task_id, 'skipped',
    case when v_reason is not null then jsonb_build_object('skip_reason', v_reason) end);
end;
$$;

comment on function public.skip_task(uuid, text) is
  'Skips a task (optionally with a reason) and activates the next step of its sequence: {task, next_task, instance, warnings}.';


-- Puts a completed or skipped task back as it was before. Ad-hoc task: active again, stamps
-- cleared. Sequence task: under the instance lock, only while nothing of the sequence moved
-- since its finish (snapshot in metadata.finished_snapshot): the step it activated is still
-- active with the due date it got, no step was added, deleted, finished, rescheduled or had
-- its delay changed, the instance was not paused, resumed or cancelled. Then that step goes
-- back to pending, this one to what it was (active with its old due date, or pending if it
-- was finished ahead of its turn) and the instance to its status and step. Otherwise 409
-- with the reason in words. Reopening an open task changes nothing (a warning says so).
create function public.reopen_task(p_task_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_task public.tasks;
  v_instance public.sequence_instances;
  v_instance_id uuid;
  v_snapshot jsonb;
  v_next public.tasks;
  v_next_id uuid;
  v_later public.tasks;
  v_reason text;
begin
  v_instance_id := (private.visible_task(p_task_id)).sequence_instance_id;
  if v_instance_id is not null then
    v_instance := private.lock_visible_sequence_instance(v_instance_id);
  end if;

  select t.* into v_task from public.tasks as t where t.id = p_task_id for update;
  if not found then
    perform private.raise_http(404, 'P0002', 'task not found');
  end if;
  if v_task.sequence_instance_id is distinct from v_instance_id then
    raise exception 'the task left its sequence while being updated; try again' using errcode = '40001';
  end if;

  if v_task.status in ('active', 'pending') then
    return private.task_result(to_jsonb(v_task), null, v_instance_id,
      array['this task is already open; nothing changed']);
  end if;
  if v_task.status = 'cancelled' then
    perform private.raise_http(409, 'cannot_reopen',
      case when v_instance_id is not null
        then 'this task was cancelled with its sequence, so it cannot be reopened'
        else 'this task was cancelled, so it cannot be reopened' end);
  end if;

  if v_instance_id is null then
    update public.tasks as t
    set status = 'active', completed_at = null, completed_by = null, skipped_at = null,
        metadata = t.metadata - 'call_outcome' - 'skip_reason' - 'finished_snapshot'
    where t.id = p_task_id
    returning t.* into v_task;
    return private.task_result(to_jsonb(v_task), null, null, '{}');
  end if;

  v_snapshot := v_task.metadata -> 'finished_snapshot';
  if v_snapshot is null then
    perform private.raise_http(409, 'cannot_reopen',
      format('step %s was finished before undo was recorded, so it cannot be reopened', v_task.sequence_step_order));
  end if;
  v_next_id := (v_snapshot ->> 'next_task_id')::uuid;

  -- The reasons, most telling first.
  if v_instance.status = 'cancelled' then
    v_reason := 'the sequence has been cancelled since';
  elsif v_instance.status is distinct from v_snapshot ->> 'instance_status_after' then
    v_reason := case v_instance.status
      when 'paused' then 'the sequence has been paused since'
      when 'active' then 'the sequence has been resumed since'
      else format('the sequence is %s now', v_instance.status) end;
  end if;
  if v_reason is null and v_next_id is not null then
    select t.* into v_next from public.tasks as t where t.id = v_next_id for update;
    if not found or v_next.sequence_instance_id is distinct from v_instance_id then
      v_reason := 'the step it activated has been deleted since';
    elsif v_next.status in ('completed', 'skipped') then
      v_reason := format('step %s has already been %s', v_next.sequence_step_order, v_next.status);
    elsif v_next.status <> 'active' then
      v_reason := format('step %s is %s now', v_next.sequence_step_order, v_next.status);
    elsif v_next.due_date is distinct from (v_snapshot ->> 'next_due_date')::timestamptz then
      v_reason := format('step %s has been rescheduled since', v_next.sequence_step_order);
    end if;
  end if;
  if v_reason is null and (
    v_instance.total_steps is distinct from (v_snapshot ->> 'total_steps_after')::integer
    or private.sequence_tasks_fingerprint(v_instance_id, array_remove(array[p_task_id, v_next_id], null))
      is distinct from v_snapshot ->> 'fingerprint'
  ) then
    select t.* into v_later
    from public.tasks as t
    where t.sequence_instance_id = v_instance_id and t.id <> p_task_id
      and t.status in ('completed', 'skipped')
      and coalesce(t.completed_at, t.skipped_at) > (v_snapshot ->> 'finished_at')::timestamptz
    order by coalesce(t.completed_at, t.skipped_at)
    limit 1;
    v_reason := case when v_later.id is not null
      then format('step %s has already been %s', v_later.sequence_step_order, v_later.status)
      else 'the sequence has been edited since (a step was added, deleted or changed)' end;
  end if;
  if v_reason is not null then
    perform private.raise_http(409, 'cannot_reopen', format('Step %s cannot be reopened: %s.', v_task.sequence_step_order, v_reason));
  end if;

  if v_next_id is not null then
    update public.tasks as t
    set status = 'pending', due_date = null, activated_at = null
    where t.id = v_next_id;
  end if;

  update public.tasks as t
  set status = v_snapshot ->> 'status',
      due_date = (v_snapshot ->> 'due_date')::timestamptz,
      activated_at = (v_snapshot ->> 'activated_at')::timestamptz,
      completed_at = null, completed_by = null, skipped_at = null,
      metadata = t.metadata - 'call_outcome' - 'skip_reason' - 'finished_snapshot'
  where t.id = p_task_id
  returning t.* into v_task;

  update public.sequence_instances as i
  set status = v_snapshot ->> 'instance_status',
      current_step_order = (v_snapshot ->> 'instance_step')::integer,
      completed_at = null,
      resume_at = (v_snapshot ->> 'instance_resume_at')::timestamptz
  where i.id = v_instance_id;

  return private.task_result(to_jsonb(v_task), null, v_instance_id, '{}');
end;
$$;

comment on function public.reopen_task(uuid) is
  'Reopens a completed or skipped task; a sequence step only while nothing of its sequence moved since (409 with the reason otherwise): {task, next_task, instance, warnings}.';


-- Moves an open task's due date. For sequence tasks only the active step of a running
-- instance (a pending step has no due date yet; a paused sequence has none either), and
-- this is the only way: the progression guard keeps API roles off a sequence task's
-- due_date. Locks the instance like the other task RPCs, so it serialises with them.
create function public.snooze_task(p_task_id uuid, p_due_date timestamptz) returns public.tasks
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_task public.tasks;
  v_instance public.sequence_instances;
  v_instance_id uuid;
begin
  v_instance_id := (private.visible_task(p_task_id)).sequence_instance_id;
  if p_due_date is null then
    perform private.raise_http(400, 'invalid_input', 'a new due date is required');
  end if;
  -- A minute of grace: a date picked as "now" is in the past by the time it arrives.
  if p_due_date < now() - interval '1 minute' then
    perform private.raise_http(400, 'invalid_input', 'the new due date is in the past');
  end if;
  if p_due_date > now() + interval '5 years' then
    perform private.raise_http(400, 'invalid_input', 'the new due date is more than 5 years away');
  end if;

  if v_instance_id is not null then
    v_instance := private.lock_visible_sequence_instance(v_instance_id);
  end if;
  select t.* into v_task from public.tasks as t where t.id = p_task_id for update;
  if not found or v_task.sequence_instance_id is distinct from v_instance_id then
    perform private.raise_http(404, 'P0002', 'task not found');
  end if;

  if v_task.status in ('completed', 'skipped', 'cancelled') then
    perform private.raise_http(409, 'task_not_open', format('this task is %s, so it cannot be snoozed', v_task.status));
  end if;
  if v_task.status = 'pending' then
    perform private.raise_http(409, 'task_not_open',
      format('step %s is not active yet: its due date is set when the step before is done', v_task.sequence_step_order));
  end if;
  if v_instance.status = 'paused' then
    perform private.raise_http(409, 'task_not_open', 'the sequence is paused: resume it to give this step a due date');
  end if;

  update public.tasks as t set due_date = p_due_date where t.id = p_task_id returning t.* into v_task;
  return v_task;
end;
$$;

comment on function public.snooze_task(uuid, timestamptz) is
  'Moves an open task''s due date (a sequence task: only the active step of a running sequence); past dates 400.';


revoke execute on function private.sequence_tasks_fingerprint(uuid, uuid[]) from public, anon, authenticated;
revoke execute on function private.finish_task(uuid, text, jsonb) from public, anon, authenticated;
revoke execute on function public.complete_task(uuid, text) from public, anon, service_role;
revoke execute on function public.skip_task(uuid, text) from public, anon, service_role;
revoke execute on function public.reopen_task(uuid) from public, anon, service_role;
revoke execute on function public.snooze_task(uuid, timestamptz) from public, anon, service_role;
grant execute on function public.complete_task(uuid, text) to authenticated;
grant execute on function public.skip_task(uuid, text) to authenticated;
grant execute on function public.reopen_task(uuid) to authenticated;
grant execute on function public.snooze_task(uuid, timestamptz) to authenticated;
