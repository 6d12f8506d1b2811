-- Flow sequences (issue 11; docs/projects-contract.md): in a project, an ordered chain of
-- flows (each one of the organisation's workflows) whose inputs map to the sequence's
-- parameters or to earlier flows' outputs, with assertions on each flow's output.
-- Not writable through the API: save-flow-sequence validates with packages/domain
-- (flows/validate-sequence.ts: a sequence that cannot run is refused) and calls
-- public.save_flow_sequence as the service role; reordering is public.move_flow_sequence.

create table public.flow_sequences (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  project_id uuid not null,
  name text not null,
  description text,
  -- The project page's order, 0..n-1 after a move (a delete leaves a gap until the next).
  position integer not null,
  -- SequenceParameter[] and Flow[] (packages/domain flows/schemas.ts)
  parameters jsonb not null default '[]'::jsonb,
  flows jsonb not null default '[]'::jsonb,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  updated_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  -- The editor's optimistic concurrency token (save_flow_sequence's p_expected_updated_at):
  -- it moves with the content only, not with the position (see _100_set_updated_at).
  updated_at timestamptz not null default now(),
  constraint flow_sequences_project_id_fkey
    foreign key (organisation_id, project_id)
    references public.projects (organisation_id, id) on delete cascade,
  constraint flow_sequences_project_id_name_key unique (project_id, name),
  -- Deferred: move_flow_sequence renumbers several rows in one statement.
  constraint flow_sequences_project_id_position_key unique (project_id, position)
    deferrable initially deferred,
  -- The target of the run tables' composite foreign keys.
  constraint flow_sequences_organisation_id_id_key unique (organisation_id, id),
  constraint flow_sequences_name_length check (char_length(btrim(name)) >= 1 and char_length(name) <= 200),
  constraint flow_sequences_description_length check (char_length(description) <= 2000),
  constraint flow_sequences_position_non_negative check (position >= 0),
  constraint flow_sequences_parameters_is_array check (
    jsonb_typeof(parameters) = 'array'
    and jsonb_array_length(parameters) <= 50
    and octet_length(parameters::text) <= 1000000
  ),
  constraint flow_sequences_flows_is_array check (
    jsonb_typeof(flows) = 'array'
    and jsonb_array_length(flows) <= 20
    and octet_length(flows::text) <= 1000000
  )
);

comment on table public.flow_sequences is
  'An ordered chain of flows (workflows) in a project, with parameters, input mappings and assertions.';

alter table public.flow_sequences enable row level security;

create index flow_sequences_organisation_id_project_id_idx on public.flow_sequences (organisation_id, project_id);
create index flow_sequences_created_by_idx on public.flow_sequences (created_by);
create index flow_sequences_updated_by_idx on public.flow_sequences (updated_by);
-- Which sequences use a workflow (flows @> '[{"workflow_id": "…"}]').
create index flow_sequences_flows_idx on public.flow_sequences using gin (flows jsonb_path_ops);

-- Only content edits move updated_at: reordering the project's sequences must not make an
-- open editor's save stale.
create trigger _100_set_updated_at
  before update of name, description, parameters, flows on public.flow_sequences
  for each row execute function private.tg__set_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.flow_sequences
  for each row execute function private.tg__keep_organisation_id('flow sequence');

create trigger _900_bound_api_delete
  after delete on public.flow_sequences
  referencing old table as deleted_rows
  for each statement
  -- Only the request's own statement: rows a deleted parent cascades to (an organisation's,
  -- a project's) run inside the foreign key's trigger, still as the API role, and would
  -- make a parent with over 100 children undeletable.
  when (pg_trigger_depth() = 0)
  execute function private.tg__bound_api_delete();

revoke all on public.flow_sequences from anon, authenticated;
grant select, delete on public.flow_sequences to authenticated;

create policy flow_sequences_select_members on public.flow_sequences
  for select to authenticated
  using (organisation_id in (select private.user_organisation_ids()));

create policy flow_sequences_delete_admins on public.flow_sequences
  for delete to authenticated
  using (organisation_id in (select private.user_admin_organisation_ids()));


-- A problem with a sequence's parameters or flows as save_flow_sequence receives them, or
-- null. The edge function validates fully first (mappings, types, outputs); this keeps the
-- stored shape whoever calls the RPC: arrays, named parameters, flows with unique ids and a
-- workflow of the organisation.
create function private.flow_sequence_input_problem(
  p_parameters jsonb,
  p_flows jsonb,
  p_organisation_id uuid
) returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_item record;
  v_names text[] := '{}';
begin
  if jsonb_typeof(p_parameters) is distinct from 'array' or jsonb_array_length(p_parameters) > 50 then
    return 'parameters must be an array of at most 50';
  end if;
  for v_item in select e.value, e.ordinality - 1 as i from jsonb_array_elements(p_parameters) with ordinality as e loop
    if jsonb_typeof(v_item.value) is distinct from 'object'
      or coalesce(v_item.value ->> 'name', '') !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$' then
      return format('parameters.%s.name must be a valid name', v_item.i);
    end if;
    if coalesce(v_item.value ->> 'source', '') not in ('project_variable', 'hardcoded') then
      return format('parameters.%s.source must be project_variable or hardcoded', v_item.i);
    end if;
    if (v_item.value ->> 'name') = any (v_names) then
      return format('parameters.%s: the name %s is used twice', v_item.i, v_item.value ->> 'name');
    end if;
    v_names := v_names || (v_item.value ->> 'name');
  end loop;

  if jsonb_typeof(p_flows) is distinct from 'array' or jsonb_array_length(p_flows) > 20 then
    return 'flows must be an array of at most 20';
  end if;
  v_names := '{}';
  for v_item in select e.value, e.ordinality - 1 as i from jsonb_array_elements(p_flows) with ordinality as e loop
    if jsonb_typeof(v_item.value) is distinct from 'object'
      or coalesce(v_item.value ->> 'id', '') !~ '^flow(0|[1-9][0-9]*)(_[0-9]*[1-9])?$' then
      return format('flows.%s.id must be a flow id such as flow1', v_item.i);
    end if;
    if (v_item.value ->> 'id') = any (v_names) then
      return format('flows.%s: the id %s is used twice', v_item.i, v_item.value ->> 'id');
    end if;
    v_names := v_names || (v_item.value ->> 'id');
    -- Two checks, not one `or`: SQL does not promise to test the pattern before the cast.
    if coalesce(v_item.value ->> 'workflow_id', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
      return format('flows.%s.workflow_id must be a UUID', v_item.i);
    end if;
    if not exists (
      select 1 from public.workflows as w
      where w.id = (v_item.value ->> 'workflow_id')::uuid and w.organisation_id = p_organisation_id
    ) then
      return format('flows.%s.workflow_id is not a workflow of this organisation', v_item.i);
    end if;
    if coalesce(jsonb_typeof(v_item.value -> 'mappings'), 'object') <> 'object'
      or coalesce(jsonb_typeof(v_item.value -> 'assertions'), 'array') <> 'array' then
      return format('flows.%s: mappings must be an object and assertions an array', v_item.i);
    end if;
  end loop;
  return null;
end;
$$;

revoke execute on function private.flow_sequence_input_problem(jsonb, jsonb, uuid) from public, anon, authenticated;


-- The project by id, locked, if p_user_id is an owner or admin of its organisation: 404 for
-- a project they cannot see, 403 for a member. Locking the project serialises every change
-- to its sequences' positions (a new sequence goes last; a move renumbers them all).
create function private.lock_project_for_editor(p_project_id uuid, p_user_id uuid, p_what text)
returns public.projects
language plpgsql
set search_path = ''
as $$
declare
  v_project public.projects;
begin
  select p.* into v_project
  from public.projects as p
  where p.id = p_project_id
  for update;
  if not found or not private.is_organisation_member(v_project.organisation_id, p_user_id) then
    perform private.raise_http(404, 'P0002', 'project not found');
  end if;
  if not private.is_organisation_member(v_project.organisation_id, p_user_id, array['owner', 'admin']) then
    perform private.raise_http(403, 'forbidden', format('only owners and admins can %s', p_what));
  end if;
  return v_project;
end;
$$;

revoke execute on function private.lock_project_for_editor(uuid, uuid, text) from public, anon, authenticated;


-- Creates (p_sequence_id null; it goes last) or saves a flow sequence. Service role only:
-- save-flow-sequence validates the sequence against the organisation's workflows and the
-- project's variables and passes the verified caller, checked again here. A save whose
-- p_expected_updated_at is not the stored updated_at is refused (409 stale): someone saved
-- it meanwhile. The flows' workflows are added to the project's workflow_ids.
create function public.save_flow_sequence(
  p_user_id uuid,
  p_project_id uuid,
  p_sequence_id uuid,
  p_name text,
  p_description text,
  p_parameters jsonb,
  p_flows jsonb,
  p_expected_updated_at timestamptz default null
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_parameters jsonb := coalesce(p_parameters, '[]'::jsonb);
  v_flows jsonb := coalesce(p_flows, '[]'::jsonb);
  v_project public.projects := private.lock_project_for_editor(p_project_id, p_user_id, 'edit flow sequences');
  v_sequence public.flow_sequences;
  v_problem text;
begin
  if p_name is null or char_length(btrim(p_name)) = 0 or char_length(p_name) > 200 then
    perform private.raise_http(400, 'invalid_input', 'a name is 1 to 200 characters');
  end if;
  if char_length(p_description) > 2000 then
    perform private.raise_http(400, 'invalid_input', 'the description is at most 2000 characters');
  end if;
  v_problem := private.flow_sequence_input_problem(v_parameters, v_flows, v_project.organisation_id);
  if v_problem is not null then
    perform private.raise_http(400, 'invalid_sequence', v_problem);
  end if;

  if p_sequence_id is null then
    begin
      insert into public.flow_sequences
        (organisation_id, project_id, name, description, position, parameters, flows, created_by, updated_by)
      values
        (v_project.organisation_id, v_project.id, btrim(p_name), p_description,
         coalesce((select max(s.position) + 1 from public.flow_sequences as s where s.project_id = v_project.id), 0),
         v_parameters, v_flows, p_user_id, p_user_id)
      returning * into v_sequence;
    exception when unique_violation then
      perform private.raise_http(409, 'name_taken',
        format('a sequence named %s already exists in this project', btrim(p_name)));
    end;
  else
    select s.* into v_sequence
    from public.flow_sequences as s
    where s.id = p_sequence_id and s.project_id = v_project.id
    for update;
    if not found then
      perform private.raise_http(404, 'P0002', 'flow sequence not found');
    end if;
    if p_expected_updated_at is not null and p_expected_updated_at <> v_sequence.updated_at then
      perform private.raise_http(409, 'stale',
        'this sequence was saved by someone else meanwhile: reload it and apply your changes again');
    end if;
    begin
      update public.flow_sequences as s set
        name = btrim(p_name),
        description = p_description,
        parameters = v_parameters,
        flows = v_flows,
        updated_by = p_user_id
      where s.id = v_sequence.id
      returning * into v_sequence;
    exception when unique_violation then
      perform private.raise_http(409, 'name_taken',
        format('a sequence named %s already exists in this project', btrim(p_name)));
    end;
  end if;

  -- The project uses every workflow its sequences run (appended in flow order, no duplicates).
  update public.projects as p set
    workflow_ids = p.workflow_ids || array(
      select (f.value ->> 'workflow_id')::uuid
      from jsonb_array_elements(v_flows) with ordinality as f
      where not ((f.value ->> 'workflow_id')::uuid = any (p.workflow_ids))
      group by (f.value ->> 'workflow_id')::uuid
      order by min(f.ordinality)
    )
  where p.id = v_project.id
    and exists (
      select 1 from jsonb_array_elements(v_flows) as f
      where not ((f.value ->> 'workflow_id')::uuid = any (p.workflow_ids))
    );

  return to_jsonb(v_sequence);
end;
$$;

comment on function public.save_flow_sequence(uuid, uuid, uuid, text, text, jsonb, jsonb, timestamptz) is
  'Service role only (save-flow-sequence edge function): creates or saves a flow sequence; 409 stale on a concurrent save.';

revoke execute on function public.save_flow_sequence(uuid, uuid, uuid, text, text, jsonb, jsonb, timestamptz)
  from public, anon, authenticated;
grant execute on function public.save_flow_sequence(uuid, uuid, uuid, text, text, jsonb, jsonb, timestamptz)
  to service_role;


-- Moves a sequence to p_position in its project's order (0 first; past the end: last) and
-- renumbers the project's sequences 0..n-1, in one statement under the project's lock.
-- Owners and admins. Returns the new order: [{ id, position }].
create function public.move_flow_sequence(p_sequence_id uuid, p_position integer)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := private.require_user();
  v_project_id uuid;
  v_order uuid[];
  v_position integer;
begin
  if p_position is null or p_position < 0 then
    perform private.raise_http(400, 'invalid_input', 'position must be 0 or more');
  end if;
  select s.project_id into v_project_id
  from public.flow_sequences as s
  where s.id = p_sequence_id and s.organisation_id in (select private.user_organisation_ids());
  if not found then
    perform private.raise_http(404, 'P0002', 'flow sequence not found');
  end if;
  perform private.lock_project_for_editor(v_project_id, v_user_id, 'reorder flow sequences');

  -- The others in their current order, then the moved one spliced in.
  v_order := array(
    select s.id from public.flow_sequences as s
    where s.project_id = v_project_id and s.id <> p_sequence_id
    order by s.position, s.created_at, s.id
  );
  if not exists (select 1 from public.flow_sequences as s where s.id = p_sequence_id) then
    -- Deleted between the look-up and the project's lock.
    perform private.raise_http(404, 'P0002', 'flow sequence not found');
  end if;
  v_position := least(p_position, cardinality(v_order));
  v_order := v_order[1:v_position] || p_sequence_id || v_order[v_position + 1:];

  update public.flow_sequences as s set position = o.n - 1
  from unnest(v_order) with ordinality as o (id, n)
  where s.id = o.id and s.position <> o.n - 1;

  return (
    select jsonb_agg(jsonb_build_object('id', o.id, 'position', o.n - 1) order by o.n)
    from unnest(v_order) with ordinality as o (id, n)
  );
end;
$$;

comment on function public.move_flow_sequence(uuid, integer) is
  'Owners/admins: moves a flow sequence to a position in its project and renumbers the project''s sequences 0..n-1.';

revoke execute on function public.move_flow_sequence(uuid, integer) from public, anon;
grant execute on function public.move_flow_sequence(uuid, integer) to authenticated, service_role;
