-- Transformers: the reusable operations a workflow step runs (seed 003, iteration 4;
-- docs/workflows-contract.md). Built-ins have no organisation and every signed-in user
-- reads them; an organisation's admins may add their own, which are configured instances
-- of the same executor functions (an http-request with fixed headers, a Gemini prompt).
--
-- target_function may only name an `execute-*` function: the orchestrator calls it with
-- the service role key, so a transformer must never be able to point at the orchestrator
-- itself or any other privileged function.

-- An id is unique within its organisation, not across them: a global key answered a
-- duplicate with 409 and so told an admin which ids other organisations use. Built-ins
-- (organisation_id null) share one scope (nulls not distinct), and an organisation's own id
-- may not be a built-in's (_300_id_not_builtin): a step's transformer is looked up among
-- the built-ins and the job's organisation's own, and must be one row.
create table public.transformers (
  id text not null,
  organisation_id uuid references public.organisations (id) on delete cascade,
  type text not null,
  description text,
  config jsonb not null default '{}'::jsonb,
  target_function text not null,
  timeout_ms integer not null default 30000,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint transformers_id_format check (id ~ '^[a-z0-9][a-z0-9_.-]{0,99}$'),
  constraint transformers_type_format check (type ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  constraint transformers_config_is_object check (jsonb_typeof(config) = 'object'),
  constraint transformers_target_function_executor check (target_function ~ '^execute-[a-z0-9-]{1,60}$'),
  constraint transformers_timeout_range check (timeout_ms between 1000 and 600000),
  constraint transformers_organisation_id_id_key unique nulls not distinct (organisation_id, id)
);

comment on table public.transformers is
  'A reusable step operation: which executor function runs it (target_function), with what default config. organisation_id null = built-in.';

alter table public.transformers enable row level security;

create index transformers_type_idx on public.transformers (type);
-- (organisation_id leads transformers_organisation_id_id_key, which serves the policies.)

create trigger _100_set_updated_at
  before update on public.transformers
  for each row execute function private.tg__set_updated_at();

create trigger _200_keep_organisation_id
  before update of organisation_id on public.transformers
  for each row execute function private.tg__keep_organisation_id('transformer');

create function private.tg__transformers_id_not_builtin() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (
    select 1 from public.transformers as t
    where t.id = new.id
      and (t.organisation_id is null) <> (new.organisation_id is null)
  ) then
    raise exception '%', case when new.organisation_id is null
        then format('transformer id %s is used by an organisation', new.id)
        else format('transformer id %s is a built-in''s: choose another', new.id) end
      using errcode = '23505';
  end if;
  return new;
end;
$$;

comment on function private.tg__transformers_id_not_builtin() is
  'BEFORE INSERT/UPDATE trigger: an organisation''s transformer id is never a built-in''s (23505).';
revoke execute on function private.tg__transformers_id_not_builtin() from public, anon, authenticated;

create trigger _300_id_not_builtin
  before insert or update of id, organisation_id on public.transformers
  for each row execute function private.tg__transformers_id_not_builtin();

revoke all on public.transformers from anon, authenticated;
grant select, delete on public.transformers to authenticated;
grant insert (id, organisation_id, type, description, config, target_function, timeout_ms)
  on public.transformers to authenticated;
grant update (type, description, config, target_function, timeout_ms)
  on public.transformers to authenticated;

create policy transformers_select_members on public.transformers
  for select to authenticated
  using (organisation_id is null or organisation_id in (select private.user_organisation_ids()));

-- Built-ins (organisation_id null) are never writable through the API: only admins of the
-- owning organisation pass these checks.
create policy transformers_insert_admins on public.transformers
  for insert to authenticated
  with check (organisation_id in (select private.user_admin_organisation_ids()));

create policy transformers_update_admins on public.transformers
  for update to authenticated
  using (organisation_id in (select private.user_admin_organisation_ids()))
  with check (organisation_id in (select private.user_admin_organisation_ids()));

create policy transformers_delete_admins on public.transformers
  for delete to authenticated
  using (organisation_id in (select private.user_admin_organisation_ids()));

-- The built-ins every organisation can use (contract: "Executor protocol").
insert into public.transformers (id, type, description, config, target_function, timeout_ms) values
  ('echo-transformer', 'echo',
   'Returns its input `data` as `echoed_data`. Useful to test a workflow''s data flow.',
   '{}', 'execute-echo', 30000),
  ('gemini-timestamp-transcriber', 'gemini',
   'Transcribes audio (audio_url, or audio_base64 + mime_type) with Gemini into text and timestamped segments.',
   jsonb_build_object(
     'model', 'gemini-2.5-flash',
     'prompt', 'Transcribe this audio. Return every utterance with its start and end time in seconds and, when you can tell, the speaker.'
   ),
   'execute-gemini-prompt', 300000),
  ('http-request', 'http',
   'Calls an HTTP endpoint (method, url, headers, body) on an allow-listed host and returns status, headers and body.',
   '{}', 'execute-http-request', 30000);
