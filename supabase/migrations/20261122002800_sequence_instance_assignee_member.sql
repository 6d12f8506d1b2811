-- An instance's rep must be a member of its organisation, like a task's assignee: the
-- composite foreign key unassigns them when they leave, so the RPCs that default to the
-- instance's rep (insert_sequence_task, restart_sequence) fall back to the caller instead
-- of refusing a former member.

alter table public.sequence_instances
  add constraint sequence_instances_assigned_to_member_fkey
    foreign key (organisation_id, assigned_to)
    references public.organisation_members (organisation_id, user_id)
    on delete set null (assigned_to);

create index sequence_instances_organisation_id_assigned_to_idx
  on public.sequence_instances (organisation_id, assigned_to);

comment on column public.sequence_instances.assigned_to is
  'The rep the sequence runs for: a member of the organisation (null once they leave).';

-- The composite index leads with organisation_id: it serves the tenant policy and the
-- organisation foreign key too.
drop index public.sequence_instances_organisation_id_idx;
