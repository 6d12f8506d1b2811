-- restart_sequence takes its locks in the order every other path does: the template
-- before the instance. Locking the old instance first could deadlock with a concurrent
-- delete of the template (which holds the template and then sets the instance's
-- sequence_template_id to null).

create or replace function public.restart_sequence(p_instance_id uuid) returns public.sequence_instances
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_template_id uuid;
  v_template public.sequence_templates;
  v_old public.sequence_instances;
  v_rep uuid;
  v_assignee uuid;
  v_new public.sequence_instances;
begin
  select i.sequence_template_id into v_template_id
  from public.sequence_instances as i
  where i.id = p_instance_id
    and i.organisation_id in (select private.user_organisation_ids());
  if not found then
    perform private.raise_not_found('sequence instance not found');
  end if;

  if v_template_id is not null then
    select t.* into v_template
    from public.sequence_templates as t
    where t.id = v_template_id
    for no key update;
  end if;
  v_old := private.lock_sequence_instance(p_instance_id);

  if v_old.status in ('active', 'paused') then
    raise exception 'the sequence is still running: cancel it before restarting' using errcode = '22023';
  end if;

  select r.assigned_sales_rep into v_rep from public.restaurants as r where r.id = v_old.restaurant_id;
  select m.user_id into v_assignee
  from public.organisation_members as m
  where m.organisation_id = v_old.organisation_id
    and m.user_id in (v_old.assigned_to, v_rep)
  order by m.user_id = v_old.assigned_to desc nulls last
  limit 1;

  v_new := private.sequence_create_instance(
    v_old.organisation_id, v_old.sequence_template_id,
    coalesce(v_template.name, v_old.metadata ->> 'template_name', v_old.name),
    v_old.restaurant_id, coalesce(v_assignee, v_user_id), v_user_id, v_old.steps_snapshot,
    coalesce((v_old.metadata ->> 'start_delay_value')::integer, 0),
    coalesce(v_old.metadata ->> 'start_delay_unit', 'days'),
    v_old.metadata || jsonb_build_object('restarted_from', v_old.id)
  );

  if v_template.id is not null then
    update public.sequence_templates as t
    set usage_count = t.usage_count + 1
    where t.id = v_template.id;
  end if;

  return v_new;
end;
$$;

comment on function public.restart_sequence(uuid) is
  'Starts a new instance from an ended instance''s snapshot (metadata.restarted_from); 22023 if still running, 23505 if another runs.';
