-- Typed configuration (issue 12 §3; docs/workflow-manager/typed-configuration.md): each
-- transformer declares the `config` fields its executor reads, as `{ fields, rules? }` in the
-- vocabulary of packages/domain/src/field-schema.ts (FieldSchema, FieldRule). The web's step
-- config editor renders them; save-workflow checks a step's config, merged over the
-- transformer's, with the domain's validateFields and answers 400 invalid_definition at
-- `steps.<id>.config.<field>`.
--
-- The shape of each field is the domain's zod schema's to check (save-workflow and the web
-- read it through configSchemaSchema, and a column check could not say "pattern compiles as
-- RE2"); the table only insists on an object with a `fields` array, so a row can never make
-- the readers trip over a scalar.
--
-- Fields are not `required` when an executor also reads them from the step's input
-- (http-request's url and method, gemini's prompt and model): the config may leave them to
-- the input, so a save cannot insist on them.

alter table public.transformers
  add column config_schema jsonb not null default '{"fields": []}'::jsonb;

alter table public.transformers
  add constraint transformers_config_schema_shape check (
    jsonb_typeof(config_schema) = 'object'
    and jsonb_typeof(config_schema -> 'fields') = 'array'
    and (not config_schema ? 'rules' or jsonb_typeof(config_schema -> 'rules') = 'array')
    and pg_column_size(config_schema) <= 65536
  );

comment on column public.transformers.config_schema is
  'The config fields the executor reads: { fields: FieldSchema[], rules?: FieldRule[] } (packages/domain/src/field-schema.ts). Checked by save-workflow against each step''s merged config.';

-- Admins of an organisation write their own transformers' schema as they write config (the
-- insert/update policies of …004000 decide which rows); built-ins stay migration-only.
grant insert (config_schema) on public.transformers to authenticated;
grant update (config_schema) on public.transformers to authenticated;

-- What each built-in executor reads from config (supabase/functions/execute-*/index.ts).
-- execute-echo reads no config.
update public.transformers
set config_schema = jsonb_build_object('fields', jsonb_build_array(
  jsonb_build_object('name', 'prompt', 'type', 'string', 'title', 'Prompt',
    'description', 'What to ask of the audio; the step''s input.prompt overrides it.'),
  jsonb_build_object('name', 'model', 'type', 'string', 'title', 'Model',
    'description', 'A Gemini model name, e.g. gemini-2.5-flash; the step''s input.model overrides it.',
    -- The executor's MODEL_NAME, written as an I-Regexp (no (?:) or flags).
    'pattern', '((models|tunedModels)/)?[a-zA-Z0-9][a-zA-Z0-9._\-]{0,99}'),
  jsonb_build_object('name', 'max_audio_bytes', 'type', 'integer', 'title', 'Largest audio (bytes)',
    'description', 'Audio above this size is refused; at most 20 MB whatever is set.',
    'minimum', 1, 'maximum', 20971520),
  jsonb_build_object('name', 'timeout_ms', 'type', 'integer', 'title', 'Gemini timeout (ms)',
    'description', 'How long one Gemini request may take (default 120000).',
    'minimum', 1000, 'maximum', 300000),
  jsonb_build_object('name', 'temperature', 'type', 'number', 'title', 'Temperature',
    'description', 'Sampling temperature; lower is more literal.',
    'minimum', 0, 'maximum', 2)
))
where organisation_id is null and id = 'gemini-timestamp-transcriber';

update public.transformers
set config_schema = jsonb_build_object('fields', jsonb_build_array(
  jsonb_build_object('name', 'method', 'type', 'string', 'title', 'Method',
    'description', 'The HTTP method (default GET); the step''s input.method overrides it.',
    'enum', jsonb_build_array('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS')),
  jsonb_build_object('name', 'url', 'type', 'string', 'format', 'url', 'title', 'URL',
    'description', 'The endpoint, on a host in Settings → Connections; the step''s input.url overrides it.'),
  jsonb_build_object('name', 'headers', 'type', 'object', 'title', 'Headers',
    'description', 'Header names to string values, sent with every call (the input''s headers are added over them).'),
  jsonb_build_object('name', 'timeout_ms', 'type', 'integer', 'title', 'Timeout (ms)',
    'description', 'How long the call may take (default 10000).',
    'minimum', 1, 'maximum', 120000),
  jsonb_build_object('name', 'max_response_bytes', 'type', 'integer', 'title', 'Largest response (bytes)',
    'description', 'A longer response body fails the step (default 1 MB).',
    'minimum', 1, 'maximum', 10485760)
))
where organisation_id is null and id = 'http-request';
