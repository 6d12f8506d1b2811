-- Exit criteria: when a restaurant moves into one of a template's exit stages (e.g. won,
-- lost), its running instances of that template end: cancelled, with the reason recorded,
-- and their open tasks cancelled. The template's current exit_stages decide (falling
-- back to the ones snapshotted at start when the template was deleted).

create function private.tg__end_sequences_on_exit_stage() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_instance_id uuid;
begin
  -- Locked in id order, like every other path that locks instances, and before any task.
  for v_instance_id in
    select i.id
    from public.sequence_instances as i
    left join public.sequence_templates as t on t.id = i.sequence_template_id
    where i.restaurant_id = new.id
      and i.status in ('active', 'paused')
      and new.lead_stage = any (coalesce(
        t.exit_stages,
        array(select jsonb_array_elements_text(coalesce(i.metadata -> 'exit_stages', '[]'::jsonb)))
      ))
    order by i.id
    for update of i
  loop
    perform private.sequence_cancel(v_instance_id, format('restaurant moved to %s', new.lead_stage));
  end loop;
  return null;
end;
$$;

comment on function private.tg__end_sequences_on_exit_stage() is
  'AFTER UPDATE OF lead_stage on restaurants: cancels running instances whose template exits at the new stage.';

revoke execute on function private.tg__end_sequences_on_exit_stage() from public, anon, authenticated;

create trigger _300_end_sequences_on_exit_stage
  after update of lead_stage on public.restaurants
  for each row
  when (old.lead_stage is distinct from new.lead_stage)
  execute function private.tg__end_sequences_on_exit_stage();
