-- Limits on size and time for what the API roles can write (docs/security.md, "Limits on
-- size and time"). The attacker is a self-registered stranger: without these, one request
-- could hold a connection for minutes, a template could carry 2,000 steps (one bulk start
-- made 100,000 tasks), and a notes field could hold megabytes every colleague then loads.


-- Statement timeouts as Supabase sets them on its hosted roles (anon 3 s, authenticated
-- 8 s; the service role has none). PostgREST applies an impersonated role's settings to
-- each request's transaction, so a query or RPC running longer is cancelled (57014) and its
-- connection goes back to the pool. On hosted projects this repeats the platform's values.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';


-- A sequence template has at most 50 steps (SEQUENCE_MAX_STEPS in packages/domain). With
-- step_order unique per template (deferred), bounding it bounds the count without a lock;
-- save_sequence_template says so first with a clearer message.
alter table public.sequence_steps
  add constraint sequence_steps_step_order_range check (step_order between 1 and 50);
-- A template's tags (the builder's SEQUENCE_MAX_TAGS).
alter table public.sequence_templates
  add constraint sequence_templates_tags_count check (cardinality(tags) <= 20);


-- Free text: one check per column, with TEXT_LIMITS' numbers (packages/domain/src/
-- text-limits.ts: short 200, email 320, phone 40, address and website 500, url 2048,
-- subject 300, description 2,000, body 10,000, a rendered message 50,000). Names already
-- have theirs where their tables are made. security-limits.test.ts compares the two.
alter table public.restaurants
  add constraint restaurants_contact_name_length check (char_length(contact_name) <= 200),
  add constraint restaurants_contact_email_length check (char_length(contact_email) <= 320),
  add constraint restaurants_contact_phone_length check (char_length(contact_phone) <= 40),
  add constraint restaurants_website_length check (char_length(website) <= 500),
  add constraint restaurants_address_length check (char_length(address) <= 500),
  add constraint restaurants_city_length check (char_length(city) <= 200),
  add constraint restaurants_cuisine_length check (char_length(cuisine) <= 200),
  add constraint restaurants_notes_length check (char_length(notes) <= 10000);

alter table public.profiles
  add constraint profiles_avatar_url_length check (char_length(avatar_url) <= 2048);

alter table public.message_templates
  add constraint message_templates_description_length check (char_length(description) <= 2000),
  add constraint message_templates_subject_length check (char_length(subject) <= 300),
  add constraint message_templates_message_content_length check (char_length(message_content) <= 10000);

alter table public.task_templates
  add constraint task_templates_description_length check (char_length(description) <= 2000),
  add constraint task_templates_default_message_length check (char_length(default_message) <= 10000);

alter table public.sequence_templates
  add constraint sequence_templates_description_length check (char_length(description) <= 2000);

alter table public.sequence_steps
  add constraint sequence_steps_description_length check (char_length(description) <= 2000),
  add constraint sequence_steps_custom_message_length check (char_length(custom_message) <= 10000);

-- A task's message may be a template's with its placeholders filled in (a restaurant's
-- notes among them), so it takes more than a person types into the form.
alter table public.tasks
  add constraint tasks_description_length check (char_length(description) <= 2000),
  add constraint tasks_subject_length check (char_length(subject) <= 300),
  add constraint tasks_message_length check (char_length(message) <= 50000);

alter table public.workflows
  add constraint workflows_description_length check (char_length(description) <= 2000);

alter table public.transformers
  add constraint transformers_description_length check (char_length(description) <= 2000);


-- Free-form metadata members write: 64 KiB of JSON text (METADATA_MAX_BYTES).
alter table public.restaurants
  add constraint restaurants_metadata_size check (octet_length(metadata::text) <= 65536);
alter table public.tasks
  add constraint tasks_metadata_size check (octet_length(metadata::text) <= 65536);
alter table public.message_templates
  add constraint message_templates_metadata_size check (octet_length(metadata::text) <= 65536);
alter table public.task_templates
  add constraint task_templates_metadata_size check (octet_length(metadata::text) <= 65536);
alter table public.sequence_templates
  add constraint sequence_templates_metadata_size check (octet_length(metadata::text) <= 65536);
alter table public.sequence_steps
  add constraint sequence_steps_metadata_size check (octet_length(metadata::text) <= 65536);
