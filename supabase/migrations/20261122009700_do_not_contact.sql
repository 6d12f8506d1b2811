-- "Do not contact" holds in the database, not only in the web's start dialogs (issue 13 left
-- it out): no sequence starts for a restaurant so marked, whichever path asks —
-- start_sequence, start_sequence_bulk (reported 'failed' with the reason), restart_sequence,
-- the CRM start-sequence action, a workflow started by an app event. One rule, on the table
-- every one of them inserts into. Sequences already running when the status changes keep
-- running: pausing or cancelling them is the rep's call, as for a stage change.

create function private.tg__sequence_instances_refuse_do_not_contact() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_name text;
begin
  select r.name into v_name
  from public.restaurants as r
  where r.id = new.restaurant_id and r.lead_status = 'do_not_contact';
  if found then
    raise exception '% is marked do not contact', v_name
      using errcode = '22023', hint = 'change its status to start a sequence';
  end if;
  return new;
end;
$$;

revoke execute on function private.tg__sequence_instances_refuse_do_not_contact() from public, anon, authenticated;

create trigger sequence_instances_refuse_do_not_contact
  before insert on public.sequence_instances
  for each row execute function private.tg__sequence_instances_refuse_do_not_contact();
