-- Sequence instances and tasks (seed 001's three-table model, part two).
--
-- A task's progression (status, sequence columns, completion/skip/cancel stamps, and the
-- due date of sequence tasks) changes only through the sequence RPCs, so no path can
-- complete a task without activating the next one. Two lines of defence:
--   1. column privileges: `authenticated` cannot write those columns at all;
--   2. the trigger _300_guard_progression refuses such writes from any API role
--      (anon, authenticated, service_role). The RPCs are security definer and run as
--      their owner, which the trigger lets through, as it does the seed and cascades.

-- Tasks point at their restaurant through (organisation_id, restaurant_id), so a task can
-- never name another organisation's restaurant (and render its contact into a message).
alter table public.restaurants
  add constraint restaurants_organisation_id_id_key unique (organisation_id, id);


create table public.sequence_instances (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  -- Set null: the snapshot keeps an instance working when its template is deleted.
  sequence_template_id uuid references public.sequence_templates (id) on delete set null,
  restaurant_id uuid not null references public.restaurants (id) on delete cascade,
  name text not null,
  status text not null default 'active',
  current_step_order integer not null default 1,
  total_steps integer not null,
  assigned_to uuid references public.profiles (id) on delete set null,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  started_at timestamptz not null default now(),
  paused_at timestamptz,
  resume_at timestamptz,
  resumed_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  exit_reason text,
  is_modified boolean not null default false,
  steps_snapshot jsonb not null,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Its restaurant's deleted_at while that restaurant is in the trash (…005100_trash.sql).
  deleted_at timestamptz,
  constraint sequence_instances_name_length check (char_length(name) between 1 and 400),
  constraint sequence_instances_status_valid check (status in ('active', 'paused', 'completed', 'cancelled')),
  constraint sequence_instances_current_step_order_not_negative check (current_step_order >= 0),
  constraint sequence_instances_total_steps_not_negative check (total_steps >= 0),
  constraint sequence_instances_steps_snapshot_is_array check (jsonb_typeof(steps_snapshot) = 'array'),
  constraint sequence_instances_metadata_is_object check (jsonb_typeof(metadata) = 'object'),
  constraint sequence_instances_completed_at_matches_status check ((status = 'completed') = (completed_at is not null)),
  constraint sequence_instances_cancelled_at_matches_status check ((status = 'cancelled') = (cancelled_at is not null)),
  -- The rep must be a member, like a task's assignee: when they leave they are unassigned,
  -- so the RPCs that default to the instance's rep (insert_sequence_task,
  -- restart_sequence) fall back to the caller instead of refusing a former member.
  constraint sequence_instances_assigned_to_member_fkey
    foreign key (organisation_id, assigned_to)
    references public.organisation_members (organisation_id, user_id)
    on delete set null (assigned_to)
);

comment on table public.sequence_instances is
  'A sequence template running for one restaurant: a snapshot of its steps and the progress through its tasks.';
comment on column public.sequence_instances.assigned_to is
  'The rep the sequence runs for: a member of the organisation (null once they leave).';
comment on column public.sequence_instances.steps_snapshot is
  'The template''s steps (and their message sources) at start; restart_sequence re-enrols from it. Never edited afterwards.';
comment on column public.sequence_instances.current_step_order is
  'Step order of the active task; while paused with no active task, of the next pending one; when ended, where it stopped.';
comment on column public.sequence_instances.is_modified is
  'True once a task was inserted, deleted or had its delay changed after the start.';
comment on column public.sequence_instances.metadata is
  'template_name, start delay and exit_stages at start; restarted_from when made by restart_sequence.';

alter table public.sequence_instances enable row level security;

-- At most one running instance of a template per restaurant; also what makes two
-- concurrent start_sequence calls end with one instance.
create unique index sequence_instances_one_running_per_restaurant
  on public.sequence_instances (sequence_template_id, restaurant_id)
  where status in ('active', 'paused');
-- Leads with organisation_id: serves the tenant policy and the organisation foreign key
-- as well as the rep's membership foreign key.
create index sequence_instances_organisation_id_assigned_to_idx
  on public.sequence_instances (organisation_id, assigned_to);
create index sequence_instances_sequence_template_id_status_idx
  on public.sequence_instances (sequence_template_id, status);
create index sequence_instances_restaurant_id_status_idx
  on public.sequence_instances (restaurant_id, status);
create index sequence_instances_assigned_to_idx on public.sequence_instances (assigned_to);
create index sequence_instances_created_by_idx on public.sequence_instances (created_by);
-- What resume_due_sequences looks for.
create index sequence_instances_resume_at_idx on public.sequence_instances (resume_at)
  where status = 'paused' and resume_at is not null;

create trigger _100_set_updated_at
  before update on public.sequence_instances
  for each row execute function private.tg__set_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.sequence_instances
  for each row execute function private.tg__keep_organisation_id('sequence instance');


create table public.tasks (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  restaurant_id uuid,
  name text not null,
  description text,
  type text not null default 'internal_activity',
  priority text not null default 'medium',
  status text not null default 'active',
  due_date timestamptz,
  assigned_to uuid default auth.uid() references public.profiles (id) on delete set null,
  task_template_id uuid,
  message_template_id uuid,
  message text,
  subject text,
  metadata jsonb not null default '{}'::jsonb,
  sequence_instance_id uuid references public.sequence_instances (id) on delete set null,
  sequence_step_order integer,
  sequence_step_id uuid,
  sequence_delay_value integer,
  sequence_delay_unit text,
  activated_at timestamptz,
  completed_at timestamptz,
  completed_by uuid references public.profiles (id) on delete set null,
  skipped_at timestamptz,
  cancelled_at timestamptz,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Its restaurant's deleted_at while that restaurant is in the trash (…005100_trash.sql).
  deleted_at timestamptz,
  constraint tasks_name_length check (char_length(btrim(name)) >= 1 and char_length(name) <= 200),
  constraint tasks_type_valid check (type in ('email', 'call', 'text', 'social_message', 'internal_activity')),
  constraint tasks_priority_valid check (priority in ('low', 'medium', 'high')),
  constraint tasks_status_valid check (status in ('pending', 'active', 'completed', 'skipped', 'cancelled')),
  constraint tasks_metadata_is_object check (jsonb_typeof(metadata) = 'object'),
  constraint tasks_pending_has_no_due_date check (status <> 'pending' or due_date is null),
  constraint tasks_completed_at_matches_status check ((status = 'completed') = (completed_at is not null)),
  constraint tasks_skipped_at_matches_status check ((status = 'skipped') = (skipped_at is not null)),
  constraint tasks_cancelled_at_matches_status check ((status = 'cancelled') = (cancelled_at is not null)),
  constraint tasks_sequence_step_order_positive check (sequence_step_order > 0),
  constraint tasks_sequence_delay_value_not_negative check (sequence_delay_value >= 0),
  constraint tasks_sequence_delay_unit_valid check (sequence_delay_unit in ('minutes', 'hours', 'days')),
  -- Deferred: inserting or deleting a step renumbers the ones after it in one statement.
  constraint tasks_sequence_step_order_key unique (sequence_instance_id, sequence_step_order)
    deferrable initially deferred,
  -- Composite foreign keys keep every reference inside the task's organisation.
  constraint tasks_restaurant_id_fkey
    foreign key (organisation_id, restaurant_id)
    references public.restaurants (organisation_id, id)
    on delete cascade,
  constraint tasks_assigned_to_member_fkey
    foreign key (organisation_id, assigned_to)
    references public.organisation_members (organisation_id, user_id)
    on delete set null (assigned_to),
  constraint tasks_task_template_id_fkey
    foreign key (organisation_id, task_template_id)
    references public.task_templates (organisation_id, id)
    on delete set null (task_template_id),
  constraint tasks_message_template_id_fkey
    foreign key (organisation_id, message_template_id)
    references public.message_templates (organisation_id, id)
    on delete set null (message_template_id)
);

comment on table public.tasks is
  'A sales rep''s task, ad hoc or one step of a sequence instance. Status and progression change only through the sequence RPCs.';
comment on column public.tasks.status is
  'pending (a later sequence step), active, completed, skipped, cancelled. Written only by complete_task, skip_task and the sequence RPCs.';
comment on column public.tasks.due_date is
  'Null while pending, and while its sequence is paused. Sequence tasks: set by the RPCs in the business calendar.';
comment on column public.tasks.metadata is
  'render_warnings: [{variable, problem}] from rendering the message for the restaurant.';
comment on column public.tasks.sequence_step_id is
  'The snapshot step (= sequence_steps.id at start) this task came from; null for tasks inserted into a running instance.';
comment on column public.tasks.sequence_delay_value is
  'Sequence tasks: delay after the previous completion, counted in the business calendar when the task activates.';
comment on column public.tasks.activated_at is
  'When the task became active (sequence analytics: time per step).';

alter table public.tasks enable row level security;

create index tasks_organisation_id_restaurant_id_idx on public.tasks (organisation_id, restaurant_id);
create index tasks_organisation_id_assigned_to_idx on public.tasks (organisation_id, assigned_to);
create index tasks_organisation_id_task_template_id_idx on public.tasks (organisation_id, task_template_id);
create index tasks_organisation_id_message_template_id_idx on public.tasks (organisation_id, message_template_id);
-- My tasks: a rep's open tasks by due date.
create index tasks_assigned_to_status_due_date_idx on public.tasks (assigned_to, status, due_date);
create index tasks_restaurant_id_idx on public.tasks (restaurant_id);
create index tasks_completed_by_idx on public.tasks (completed_by);
create index tasks_created_by_idx on public.tasks (created_by);

create trigger _100_set_updated_at
  before update on public.tasks
  for each row execute function private.tg__set_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.tasks
  for each row execute function private.tg__keep_organisation_id('task');


-- Second line of defence behind the column privileges. current_user is the API role for
-- PostgREST requests, and the function owner inside the security definer RPCs.
create function private.tg__guard_task_progression() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated', 'service_role') then
    return coalesce(new, old);
  end if;

  if tg_op = 'INSERT' then
    if new.sequence_instance_id is not null
      or new.sequence_step_order is not null
      or new.sequence_step_id is not null
      or new.sequence_delay_value is not null
      or new.sequence_delay_unit is not null then
      raise exception 'sequence tasks are created by start_sequence and insert_sequence_task'
        using errcode = '42501';
    end if;
    if new.status <> 'active'
      or new.activated_at is not null
      or new.completed_at is not null
      or new.completed_by is not null
      or new.skipped_at is not null
      or new.cancelled_at is not null then
      raise exception 'a new task starts active; complete or skip it with complete_task or skip_task'
        using errcode = '42501';
    end if;
    return new;
  end if;

  if tg_op = 'DELETE' then
    if old.sequence_instance_id is not null then
      raise exception 'a sequence task is deleted with delete_sequence_task, which keeps its sequence going'
        using errcode = '42501';
    end if;
    return old;
  end if;

  if new.status is distinct from old.status
    or new.activated_at is distinct from old.activated_at
    or new.completed_at is distinct from old.completed_at
    or new.completed_by is distinct from old.completed_by
    or new.skipped_at is distinct from old.skipped_at
    or new.cancelled_at is distinct from old.cancelled_at then
    raise exception 'a task''s status changes only through complete_task, skip_task and the sequence functions'
      using errcode = '42501';
  end if;
  if new.sequence_instance_id is distinct from old.sequence_instance_id
    or new.sequence_step_order is distinct from old.sequence_step_order
    or new.sequence_step_id is distinct from old.sequence_step_id
    or new.sequence_delay_value is distinct from old.sequence_delay_value
    or new.sequence_delay_unit is distinct from old.sequence_delay_unit then
    raise exception 'a task''s place in its sequence changes only through the sequence functions'
      using errcode = '42501';
  end if;
  if old.sequence_instance_id is not null
    and new.due_date is distinct from old.due_date then
    raise exception 'the due date of a sequence task follows its sequence; use update_sequence_task_delay'
      using errcode = '42501';
  end if;
  if old.sequence_instance_id is not null
    and new.restaurant_id is distinct from old.restaurant_id then
    raise exception 'a sequence task stays with its sequence''s restaurant'
      using errcode = '42501';
  end if;
  return new;
end;
$$;

comment on function private.tg__guard_task_progression() is
  'BEFORE INSERT/UPDATE/DELETE on tasks: API roles cannot set status, progression or sequence columns, nor delete sequence tasks; the RPCs can.';

revoke execute on function private.tg__guard_task_progression() from public, anon, authenticated;

create trigger _300_guard_progression
  before insert or update or delete on public.tasks
  for each row execute function private.tg__guard_task_progression();


-- Instances are written only by the RPCs (and deleted, once ended, by members).
create function private.tg__guard_sequence_instance_writes() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated', 'service_role') then
    raise exception 'sequence instances change only through the sequence functions (start_sequence, pause_sequence, …)'
      using errcode = '42501';
  end if;
  return new;
end;
$$;

comment on function private.tg__guard_sequence_instance_writes() is
  'BEFORE INSERT/UPDATE on sequence_instances: API roles cannot write instances; the RPCs can.';

revoke execute on function private.tg__guard_sequence_instance_writes() from public, anon, authenticated;

create trigger _300_guard_writes
  before insert or update on public.sequence_instances
  for each row execute function private.tg__guard_sequence_instance_writes();


revoke all on public.sequence_instances from anon, authenticated;
grant select, delete on public.sequence_instances to authenticated;

revoke all on public.tasks from anon, authenticated;
grant select, delete on public.tasks to authenticated;
grant insert (
  organisation_id, restaurant_id, name, description, type, priority, due_date, assigned_to,
  task_template_id, message_template_id, message, subject, metadata, created_by
) on public.tasks to authenticated;
grant update (name, description, type, priority, due_date, assigned_to, message, subject, metadata)
  on public.tasks to authenticated;


-- RLS --------------------------------------------------------------------------------
create policy sequence_instances_select_members on public.sequence_instances
  for select to authenticated
  using (deleted_at is null and organisation_id in (select private.user_organisation_ids()));

-- DELETE: members, once the instance has ended (its tasks stay, unlinked). A running
-- instance is cancelled first, so no pending task is left without a sequence.
create policy sequence_instances_delete_members on public.sequence_instances
  for delete to authenticated
  using (
    organisation_id in (select private.user_organisation_ids())
    and status in ('completed', 'cancelled')
  );


create policy tasks_select_members on public.tasks
  for select to authenticated
  using (deleted_at is null and organisation_id in (select private.user_organisation_ids()));

create policy tasks_insert_members on public.tasks
  for insert to authenticated
  with check (
    organisation_id in (select private.user_organisation_ids())
    and created_by = (select auth.uid())
  );

create policy tasks_update_members on public.tasks
  for update to authenticated
  using (organisation_id in (select private.user_organisation_ids()))
  with check (organisation_id in (select private.user_organisation_ids()));

create policy tasks_delete_members on public.tasks
  for delete to authenticated
  using (organisation_id in (select private.user_organisation_ids()));
