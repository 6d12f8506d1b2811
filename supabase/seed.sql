-- Demo data, as described in docs/schema-contract.md. Runs after the migrations
-- (`supabase db reset`, `supabase start`, the native stack). Users are created the way
-- one would on real Supabase: auth.users + auth.identities with a bcrypt password, and
-- the sign-up trigger makes their profiles. Idempotent, so running it twice is harmless.

-- Users (password: password123) -------------------------------------------------
insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
  -- GoTrue scans these as strings: NULL breaks sign-in on real Supabase.
  confirmation_token, recovery_token, email_change_token_new, email_change,
  email_change_token_current, phone_change, phone_change_token, reauthentication_token
)
select
  '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated', u.email,
  extensions.crypt('password123', extensions.gen_salt('bf')), now(),
  '{"provider":"email","providers":["email"]}'::jsonb,
  jsonb_build_object('full_name', u.full_name), now(), now(),
  '', '', '', '', '', '', '', ''
from (
  values
    ('10000000-0000-4000-8000-000000000001'::uuid, 'owner@forkflow.test', 'Olivia Owner'),
    ('10000000-0000-4000-8000-000000000002'::uuid, 'rep@forkflow.test', 'Remy Rep'),
    ('10000000-0000-4000-8000-000000000003'::uuid, 'outsider@forkflow.test', 'Oscar Outsider')
) as u (id, email, full_name)
on conflict do nothing;

insert into auth.identities (
  id, user_id, provider_id, provider, identity_data, last_sign_in_at, created_at, updated_at
)
select
  gen_random_uuid(), u.id, u.id::text, 'email',
  jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true, 'phone_verified', false),
  now(), now(), now()
from auth.users as u
where u.id in (
  '10000000-0000-4000-8000-000000000001',
  '10000000-0000-4000-8000-000000000002',
  '10000000-0000-4000-8000-000000000003'
)
on conflict do nothing;

-- Organisations and memberships ---------------------------------------------------
insert into public.organisations (id, name)
values
  ('00000000-0000-4000-8000-000000000001', 'Harbour Street Sales'),
  ('00000000-0000-4000-8000-000000000002', 'Northside Leads')
on conflict do nothing;

insert into public.organisation_members (organisation_id, user_id, role)
values
  ('00000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'owner'),
  ('00000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002', 'member'),
  ('00000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000003', 'owner')
on conflict do nothing;

-- Restaurants ---------------------------------------------------------------------
-- Harbour Street Sales: a dozen leads across the pipeline, half of them Remy's.
insert into public.restaurants (
  id, organisation_id, name, contact_name, contact_email, contact_phone, website, address,
  city, cuisine, lead_stage, lead_warmth, lead_status, assigned_sales_rep, notes, metadata, created_by
)
select
  r.id, '00000000-0000-4000-8000-000000000001', r.name, r.contact_name, r.contact_email,
  r.contact_phone, r.website, r.address, r.city, r.cuisine, r.lead_stage, r.lead_warmth,
  r.lead_status, r.assigned_sales_rep, r.notes, r.metadata, '10000000-0000-4000-8000-000000000001'
from (
  values
    ('20000000-0000-4000-8000-000000000001'::uuid, 'Luigi''s Pizza Kitchen', 'Luigi Romano', 'luigi@luigispizza.test', '0117 496 0101', 'https://luigispizza.test', '12 Harbour Street', 'Bristol', 'Italian',
     'new', 'warm', 'active', '10000000-0000-4000-8000-000000000002'::uuid, 'Wood-fired pizza, busy at weekends. Asked about online ordering.', '{"source": "walk-in", "seats": 48}'::jsonb),
    ('20000000-0000-4000-8000-000000000002'::uuid, 'The Golden Wok', 'Mei Chen', 'mei@goldenwok.test', '0117 496 0102', null, '3 Quay Road', 'Bristol', 'Chinese',
     'contacted', 'cold', 'active', '10000000-0000-4000-8000-000000000002'::uuid, 'Left a voicemail; call back after lunch service.', '{"source": "cold-call"}'::jsonb),
    ('20000000-0000-4000-8000-000000000003'::uuid, 'Spice Route', 'Arjun Patel', 'arjun@spiceroute.test', '029 2018 0103', 'https://spiceroute.test', '88 Queen Street', 'Cardiff', 'Indian',
     'qualified', 'hot', 'active', '10000000-0000-4000-8000-000000000002'::uuid, 'Two sites, wants one system for both.', '{"source": "referral", "sites": 2}'::jsonb),
    ('20000000-0000-4000-8000-000000000004'::uuid, 'Le Petit Bistro', 'Claire Dubois', 'claire@petitbistro.test', '01225 960 104', null, '5 Milsom Street', 'Bath', 'French',
     'demo_booked', 'warm', 'active', null, 'Demo booked for Tuesday 10:00.', '{"source": "website"}'::jsonb),
    ('20000000-0000-4000-8000-000000000005'::uuid, 'Sakura Sushi', 'Kenji Tanaka', 'kenji@sakurasushi.test', '0117 496 0105', 'https://sakurasushi.test', '21 Corn Street', 'Bristol', 'Japanese',
     'demo_done', 'hot', 'active', '10000000-0000-4000-8000-000000000002'::uuid, 'Loved the table view; waiting on the owner''s sign-off.', '{"source": "event", "seats": 30}'::jsonb),
    ('20000000-0000-4000-8000-000000000006'::uuid, 'Taco Fiesta', 'Sofia Garcia', 'sofia@tacofiesta.test', '01273 960 106', null, '9 North Laine', 'Brighton', 'Mexican',
     'proposal', 'warm', 'active', null, 'Proposal sent for the premium plan.', '{"source": "referral"}'::jsonb),
    ('20000000-0000-4000-8000-000000000007'::uuid, 'The Hungry Fisherman', 'Tom Walker', 'tom@hungryfisherman.test', '01273 960 107', 'https://hungryfisherman.test', '1 Marine Parade', 'Brighton', 'Seafood',
     'negotiation', 'hot', 'active', '10000000-0000-4000-8000-000000000002'::uuid, 'Negotiating the price for a 12 month contract.', '{"source": "cold-call", "seats": 80}'::jsonb),
    ('20000000-0000-4000-8000-000000000008'::uuid, 'Green Leaf Cafe', 'Hannah Green', 'hannah@greenleaf.test', '0161 496 0108', null, '40 Oldham Street', 'Manchester', 'Vegetarian',
     'won', 'hot', 'active', null, 'Signed. Onboarding next week.', '{"source": "website", "plan": "standard"}'::jsonb),
    ('20000000-0000-4000-8000-000000000009'::uuid, 'Burger Barn', 'Dave Smith', 'dave@burgerbarn.test', '0161 496 0109', null, '7 Deansgate', 'Manchester', 'American',
     'lost', 'cold', 'do_not_contact', null, 'Chose a competitor; asked not to be contacted.', '{}'::jsonb),
    ('20000000-0000-4000-8000-000000000010'::uuid, 'Olive & Thyme', 'Nikos Papadopoulos', 'nikos@oliveandthyme.test', '020 7946 0110', 'https://oliveandthyme.test', '14 Borough High Street', 'London', 'Greek',
     'contacted', 'warm', 'paused', '10000000-0000-4000-8000-000000000002'::uuid, 'Closed for refurbishment until next month.', '{"source": "event"}'::jsonb),
    ('20000000-0000-4000-8000-000000000011'::uuid, 'Pho Saigon', 'Linh Nguyen', 'linh@phosaigon.test', '020 7946 0111', null, '60 Kingsland Road', 'London', 'Vietnamese',
     'new', 'cold', 'active', null, null, '{}'::jsonb),
    ('20000000-0000-4000-8000-000000000012'::uuid, 'Slice of Bath', 'Marco Bianchi', 'marco@sliceofbath.test', '01225 960 112', null, '2 Westgate Street', 'Bath', 'Pizza',
     'qualified', 'warm', 'active', null, 'Pizza by the slice, late opening. Interested in delivery integration.', '{"source": "website"}'::jsonb)
) as r (
  id, name, contact_name, contact_email, contact_phone, website, address, city, cuisine,
  lead_stage, lead_warmth, lead_status, assigned_sales_rep, notes, metadata
)
on conflict do nothing;

-- Northside Leads: two leads the first organisation must never see.
insert into public.restaurants (
  id, organisation_id, name, contact_name, contact_email, city, cuisine,
  lead_stage, lead_warmth, assigned_sales_rep, notes, created_by
)
values
  ('20000000-0000-4000-8000-000000000101', '00000000-0000-4000-8000-000000000002', 'Pizzeria del Nord', 'Gianni Russo', 'gianni@delnord.test', 'Leeds', 'Italian',
   'contacted', 'warm', '10000000-0000-4000-8000-000000000003', 'Pizza and pasta; wants a demo in spring.', '10000000-0000-4000-8000-000000000003'),
  ('20000000-0000-4000-8000-000000000102', '00000000-0000-4000-8000-000000000002', 'Northern Noodle Bar', 'Amy Park', 'amy@northernnoodle.test', 'York', 'Korean',
   'new', 'cold', null, null, '10000000-0000-4000-8000-000000000003')
on conflict do nothing;

-- Tasks and sequences (docs/sequences-contract.md) ----------------------------------
-- Harbour Street Sales' templates, written by Olivia (owner): message templates, task
-- templates, seed 001's "Demo Follow-up" sequence and two more, and Remy's own tasks with
-- due dates around now, so My tasks shows something overdue, due today and upcoming.
-- No sequence is running: starting one is the demo.
insert into public.message_templates (
  id, organisation_id, name, description, type, subject, message_content, created_by
)
values
  ('30000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 'Demo Confirmation Email',
   'Sent as soon as a demo is booked.', 'email', 'Your Forkflow demo, {restaurant_name}',
   E'Hi {contact_first_name|there},\n\nThanks for booking a demo for {restaurant_name}. I will walk you through online ordering, table management and reporting, and leave time for your questions.\n\nSpeak soon,\n{rep_name}\n{organisation_name}',
   '10000000-0000-4000-8000-000000000001'),
  ('30000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'Post-Demo Follow-up',
   'The day after the demo.', 'email', 'Following up on your demo',
   E'Hi {contact_first_name|there},\n\nThank you for your time yesterday. As promised, here is a summary of what we covered for {restaurant_name} in {city|your city}. Is there anything the team would like to see again?\n\nBest,\n{rep_first_name}',
   '10000000-0000-4000-8000-000000000001'),
  ('30000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000001', 'Contract Email Template',
   'The proposal that closes the Demo Follow-up.', 'email', 'Your proposal from {organisation_name}',
   E'Hi {contact_name|there},\n\nPlease find attached our proposal for {restaurant_name}. It includes the setup we discussed and twelve months of support. Reply to this email or call me on any question.\n\nKind regards,\n{rep_name}\n{rep_email}',
   '10000000-0000-4000-8000-000000000001'),
  ('30000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000001', 'New Lead Introduction',
   'First contact with a new lead.', 'email', 'Online ordering for {restaurant_name}',
   E'Hi {contact_first_name|there},\n\nI help {cuisine|independent} restaurants in {city|your area} take orders online without the marketplace fees. Could I show you how it would work for {restaurant_name}? Fifteen minutes is enough.\n\n{rep_name}',
   '10000000-0000-4000-8000-000000000001'),
  ('30000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000001', 'Intro Call Script',
   'What to say on the first call.', 'call', null,
   E'Ask for {contact_name|the owner}. Introduce yourself as {rep_first_name} from {organisation_name}. Ask how {restaurant_name} takes orders today and what a busy Friday looks like. Offer a demo.',
   '10000000-0000-4000-8000-000000000001')
on conflict do nothing;

insert into public.task_templates (
  id, organisation_id, name, description, type, priority, message_template_id, default_message, created_by
)
values
  ('31000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 'Prepare demo materials',
   'Menu, photos and the restaurant''s current ordering set-up.', 'internal_activity', 'medium', null,
   null, '10000000-0000-4000-8000-000000000001'),
  ('31000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'Reminder call',
   'Confirm the demo time and who will attend.', 'call', 'medium', null,
   'Hi {contact_first_name|there}, just confirming our demo tomorrow for {restaurant_name}.',
   '10000000-0000-4000-8000-000000000001'),
  ('31000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000001', 'Check-in call',
   'See how the decision is going.', 'call', 'medium', null,
   'Hi {contact_first_name|there}, how are you getting on with the proposal for {restaurant_name}?',
   '10000000-0000-4000-8000-000000000001'),
  ('31000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000001', 'Intro call',
   'First call to a new lead.', 'call', 'high', '30000000-0000-4000-8000-000000000005',
   null, '10000000-0000-4000-8000-000000000001')
on conflict do nothing;

insert into public.sequence_templates (
  id, organisation_id, name, description, tags, is_active, exit_stages, created_by
)
values
  ('32000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 'Demo Follow-up',
   'Follow up with leads after demo booking (seed 001). About two weeks, seven tasks.',
   '{demo,follow-up}', true, '{won,lost}', '10000000-0000-4000-8000-000000000001'),
  ('32000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'New Lead Outreach',
   'Four touches over nine days until the lead books a demo.',
   '{outreach,new-lead}', true, '{demo_booked,won,lost}', '10000000-0000-4000-8000-000000000001'),
  ('32000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000001', 'Onboarding Kick-off',
   'The first week after a restaurant signs.',
   '{onboarding}', true, '{}', '10000000-0000-4000-8000-000000000001'),
  ('32000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000001', 'Win-back (retired)',
   'Replaced by New Lead Outreach; kept for its history.',
   '{outreach}', false, '{won}', '10000000-0000-4000-8000-000000000001')
on conflict do nothing;

insert into public.sequence_steps (
  id, organisation_id, sequence_template_id, step_order, name, type, priority,
  task_template_id, message_template_id, custom_message, delay_value, delay_unit
)
select
  s.id, '00000000-0000-4000-8000-000000000001', s.template_id, s.step_order, s.name, s.type, s.priority,
  s.task_template_id, s.message_template_id, s.custom_message, s.delay_value, s.delay_unit
from (
  values
    -- Demo Follow-up: 0, 1, 1, 1, 1, 3, 7 days.
    ('33000000-0000-4000-8000-000000000101'::uuid, '32000000-0000-4000-8000-000000000001'::uuid, 1, 'Send demo confirmation', 'email', 'high',
     null::uuid, '30000000-0000-4000-8000-000000000001'::uuid, null, 0, 'days'),
    ('33000000-0000-4000-8000-000000000102', '32000000-0000-4000-8000-000000000001', 2, 'Prepare demo materials', 'internal_activity', 'medium',
     '31000000-0000-4000-8000-000000000001', null, null, 1, 'days'),
    ('33000000-0000-4000-8000-000000000103', '32000000-0000-4000-8000-000000000001', 3, 'Reminder call day before', 'call', 'medium',
     '31000000-0000-4000-8000-000000000002', null, null, 1, 'days'),
    ('33000000-0000-4000-8000-000000000104', '32000000-0000-4000-8000-000000000001', 4, 'Conduct demo', 'internal_activity', 'high',
     null, null, null, 1, 'days'),
    ('33000000-0000-4000-8000-000000000105', '32000000-0000-4000-8000-000000000001', 5, 'Follow-up email', 'email', 'medium',
     null, '30000000-0000-4000-8000-000000000002', null, 1, 'days'),
    ('33000000-0000-4000-8000-000000000106', '32000000-0000-4000-8000-000000000001', 6, 'Check-in call', 'call', 'medium',
     '31000000-0000-4000-8000-000000000003', null, null, 3, 'days'),
    ('33000000-0000-4000-8000-000000000107', '32000000-0000-4000-8000-000000000001', 7, 'Contract proposal', 'email', 'high',
     null, '30000000-0000-4000-8000-000000000003', null, 7, 'days'),
    -- New Lead Outreach: 0, 2, 2, 5 days.
    ('33000000-0000-4000-8000-000000000201', '32000000-0000-4000-8000-000000000002', 1, 'Introduction email', 'email', 'medium',
     null, '30000000-0000-4000-8000-000000000004', null, 0, 'days'),
    ('33000000-0000-4000-8000-000000000202', '32000000-0000-4000-8000-000000000002', 2, 'Intro call', 'call', 'high',
     '31000000-0000-4000-8000-000000000004', null, null, 2, 'days'),
    ('33000000-0000-4000-8000-000000000203', '32000000-0000-4000-8000-000000000002', 3, 'LinkedIn message', 'social_message', 'low',
     null, null, 'Hi {contact_first_name|there}, I called {restaurant_name} earlier this week about online ordering. Happy to send a two-minute video instead if that is easier.', 2, 'days'),
    ('33000000-0000-4000-8000-000000000204', '32000000-0000-4000-8000-000000000002', 4, 'Last-chance email', 'email', 'medium',
     null, null, 'Hi {contact_first_name|there}, I will stop chasing after this one. If online ordering becomes a priority for {restaurant_name}, reply any time. {rep_first_name}', 5, 'days'),
    -- Onboarding Kick-off: 0 days, 4 hours, 7 days.
    ('33000000-0000-4000-8000-000000000301', '32000000-0000-4000-8000-000000000003', 1, 'Welcome email', 'email', 'high',
     null, null, 'Welcome to {organisation_name}, {contact_first_name|there}! I am {rep_name} and I will get {restaurant_name} live. Expect a call from me later today.', 0, 'days'),
    ('33000000-0000-4000-8000-000000000302', '32000000-0000-4000-8000-000000000003', 2, 'Set-up call', 'call', 'high',
     null, null, null, 4, 'hours'),
    ('33000000-0000-4000-8000-000000000303', '32000000-0000-4000-8000-000000000003', 3, 'First-week check-in', 'call', 'medium',
     '31000000-0000-4000-8000-000000000003', null, null, 7, 'days'),
    -- Win-back (retired).
    ('33000000-0000-4000-8000-000000000401', '32000000-0000-4000-8000-000000000004', 1, 'Win-back email', 'email', 'medium',
     null, null, 'Hi {contact_first_name|there}, a lot has changed since we last spoke.', 0, 'days'),
    ('33000000-0000-4000-8000-000000000402', '32000000-0000-4000-8000-000000000004', 2, 'Win-back call', 'call', 'medium',
     null, null, null, 3, 'days')
) as s (
  id, template_id, step_order, name, type, priority, task_template_id, message_template_id,
  custom_message, delay_value, delay_unit
)
-- (id): a deferrable unique constraint cannot be an arbiter.
on conflict (id) do nothing;

-- Remy's own tasks (not in a sequence): two overdue, two due today, three upcoming, one done.
insert into public.tasks (
  id, organisation_id, restaurant_id, name, description, type, priority, status, due_date,
  assigned_to, message, completed_at, completed_by, created_by
)
select
  t.id, '00000000-0000-4000-8000-000000000001', t.restaurant_id, t.name, t.description, t.type,
  t.priority, t.status, now() + t.due_in, '10000000-0000-4000-8000-000000000002', t.message,
  case when t.status = 'completed' then now() - interval '20 hours' end,
  case when t.status = 'completed' then '10000000-0000-4000-8000-000000000002'::uuid end,
  '10000000-0000-4000-8000-000000000002'
from (
  values
    ('34000000-0000-4000-8000-000000000001'::uuid, '20000000-0000-4000-8000-000000000002'::uuid, 'Call Mei back after lunch service',
     'She asked for a call after 15:00.', 'call', 'high', 'active', interval '-1 day -3 hours', null),
    ('34000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000003', 'Send pricing for two sites to Arjun',
     null, 'email', 'high', 'active', interval '-2 hours',
     E'Hi Arjun,\n\nAs promised, here is our pricing for both Spice Route sites on one account.\n\nRemy'),
    ('34000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000005', 'Ask Kenji for the owner''s sign-off date',
     null, 'text', 'medium', 'active', interval '2 hours',
     'Hi Kenji, any news from the owner? Happy to join a call with them this week. Remy'),
    ('34000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000007', 'Update the negotiation notes for The Hungry Fisherman',
     'Record the discount Tom asked for.', 'internal_activity', 'medium', 'active', interval '4 hours', null),
    ('34000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000010', 'Check Olive & Thyme''s reopening date',
     null, 'call', 'low', 'active', interval '2 days', null),
    ('34000000-0000-4000-8000-000000000006', '20000000-0000-4000-8000-000000000007', 'Draft the 12 month contract for Tom',
     null, 'internal_activity', 'high', 'active', interval '4 days', null),
    ('34000000-0000-4000-8000-000000000007', null, 'Weekly pipeline review with Olivia',
     'Internal: no restaurant.', 'internal_activity', 'medium', 'active', interval '6 days', null),
    ('34000000-0000-4000-8000-000000000008', '20000000-0000-4000-8000-000000000001', 'Drop off menu samples at Luigi''s',
     null, 'internal_activity', 'medium', 'completed', interval '-1 day', null)
) as t (id, restaurant_id, name, description, type, priority, status, due_in, message)
on conflict (id) do nothing;


-- Workflows (issue 4): seed 003's echo example as written, and a call transcription.
insert into public.workflows (id, organisation_id, key, name, description, definition, created_by, updated_by)
values
  ('40000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 'echo-example',
   'Echo example', 'Seed 003''s example: turns { "payload": X } into { "result": X }.',
   '{"start_step":"step1","steps":{"step1":{"transformer_id":"echo-transformer","input_map":{"data":"$.job_input.payload"},"next_step":null}},"output_map":{"result":"$.step1.output.echoed_data"}}',
   '10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001'),
  ('40000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'transcribe-call',
   'Transcribe a sales call', 'Transcribes a call recording (audio_url) with Gemini into timestamped segments.',
   '{"start_step":"transcribe","steps":{"transcribe":{"transformer_id":"gemini-timestamp-transcriber","input_map":{"audio_url":"$.job_input.audio_url"},"next_step":null}},"output_map":{"text":"$.transcribe.output.text","segments":"$.transcribe.output.segments"}}',
   '10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001')
on conflict (id) do nothing;

insert into public.workflow_versions (organisation_id, workflow_id, version, definition, retry_policy, change_description, created_by)
select w.organisation_id, w.id, 1, w.definition, w.retry_policy, 'Created', w.created_by
from public.workflows as w
where w.id in ('40000000-0000-4000-8000-000000000001', '40000000-0000-4000-8000-000000000002')
on conflict (workflow_id, version) do nothing;


-- Projects, environments and flow sequences (issue 11; docs/projects-contract.md) -----
-- Harbour Street Sales' "Lead enrichment" project: two environments (staging, production),
-- each with a plain variable, a number as text and a secret, and its own CRM host; project
-- variables from both sources; and a 3-flow sequence of echo workflows (offline) where flow 2
-- reads flow 1's output and flow 3 flow 2's. Switching the project's environment changes what
-- the next run resolves (region, threshold, the secret token, the CRM host).
insert into public.workflows (id, organisation_id, key, name, description, definition, created_by, updated_by)
values
  ('40000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000001', 'lead-lookup',
   'Look up a lead', 'Flow 1 of Enrich a lead: echoes the company and region, and the CRM host it would call.',
   '{"inputs":[{"name":"company","type":"string","required":true,"description":"The restaurant''s name"},{"name":"region","type":"string","required":true}],"start_step":"lookup","steps":{"lookup":{"transformer_id":"echo-transformer","input_map":{"data":"$.job_input"},"next_step":null}},"output_map":{"company":"$.lookup.output.echoed_data.company","region":"$.lookup.output.echoed_data.region","crm_host":"$.variables.crm_api"}}',
   '10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001'),
  ('40000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000001', 'lead-score',
   'Score a lead', 'Flow 2 of Enrich a lead: echoes the lead it was given with the score threshold.',
   '{"inputs":[{"name":"company","type":"string","required":true},{"name":"region","type":"string","required":false,"default":"unknown"},{"name":"threshold","type":"number","required":true,"description":"Minimum score to notify"}],"start_step":"score","steps":{"score":{"transformer_id":"echo-transformer","input_map":{"data":"$.job_input"},"next_step":null}},"output_map":{"company":"$.score.output.echoed_data.company","region":"$.score.output.echoed_data.region","threshold":"$.score.output.echoed_data.threshold"}}',
   '10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001'),
  ('40000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000001', 'lead-notify',
   'Notify the lead''s owner', 'Flow 3 of Enrich a lead: echoes the notification it would send.',
   '{"inputs":[{"name":"company","type":"string","required":true},{"name":"threshold","type":"number","required":false},{"name":"channel","type":"string","required":false,"default":"email"}],"start_step":"notify","steps":{"notify":{"transformer_id":"echo-transformer","input_map":{"data":"$.job_input"},"next_step":null}},"output_map":{"company":"$.notify.output.echoed_data.company","channel":"$.notify.output.echoed_data.channel","threshold":"$.notify.output.echoed_data.threshold"}}',
   '10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001')
on conflict (id) do nothing;

insert into public.workflow_versions (organisation_id, workflow_id, version, definition, retry_policy, change_description, created_by)
select w.organisation_id, w.id, 1, w.definition, w.retry_policy, 'Created', w.created_by
from public.workflows as w
where w.id in ('40000000-0000-4000-8000-000000000003', '40000000-0000-4000-8000-000000000004',
               '40000000-0000-4000-8000-000000000005')
on conflict (workflow_id, version) do nothing;

-- A secret's value is only in private.environment_secrets; the variables list says it has one.
insert into public.environments (id, organisation_id, name, description, api_hosts, variables, created_by, updated_by)
values
  ('50000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 'staging',
   'The CRM''s sandbox.', '{"crm_api":"https://crm.staging.example"}',
   '[{"name":"region","secret":false,"value":"eu-staging","has_value":true},{"name":"score_threshold","secret":false,"value":"50","has_value":true},{"name":"api_token","secret":true,"value":null,"has_value":true}]',
   '10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001'),
  ('50000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'production',
   'The live CRM.', '{"crm_api":"https://crm.example"}',
   '[{"name":"region","secret":false,"value":"eu","has_value":true},{"name":"score_threshold","secret":false,"value":"70","has_value":true},{"name":"api_token","secret":true,"value":null,"has_value":true}]',
   '10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001')
on conflict (id) do nothing;

insert into private.environment_secrets (environment_id, name, value)
values
  ('50000000-0000-4000-8000-000000000001', 'api_token', 'demo-staging-token'),
  ('50000000-0000-4000-8000-000000000002', 'api_token', 'demo-production-token')
on conflict do nothing;

insert into public.projects (
  id, organisation_id, slug, name, description, status, environment_id, api_hosts, variables,
  workflow_ids, created_by, updated_by
)
values
  ('60000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 'lead-enrichment',
   'Lead enrichment', 'Looks up, scores and hands over new leads. Linked to staging; switch to production in one click.',
   'active', '50000000-0000-4000-8000-000000000001',
   '{"crm_api":"https://crm.default.example","maps_api":"https://maps.example"}',
   '[{"name":"region","type":"string","description":"Where leads are looked up","required":true,"source":"environment","environment_variable":"region"},{"name":"score_threshold","type":"number","description":"Minimum score to notify","required":true,"source":"environment","environment_variable":"score_threshold"},{"name":"api_token","type":"string","description":"The CRM token (secret)","required":false,"source":"environment","environment_variable":"api_token"},{"name":"default_company","type":"string","description":"The lead to try the sequence on","required":true,"source":"hardcoded","value":"Harbour Bistro"}]',
   array['40000000-0000-4000-8000-000000000003', '40000000-0000-4000-8000-000000000004',
         '40000000-0000-4000-8000-000000000005']::uuid[],
   '10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001')
on conflict (id) do nothing;

insert into public.flow_sequences (
  id, organisation_id, project_id, name, description, position, parameters, flows, created_by, updated_by
)
values
  ('70000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001',
   '60000000-0000-4000-8000-000000000001', 'Enrich a lead',
   'Look up the lead, score it, notify its owner: flow 2 reads flow 1''s output, flow 3 flow 2''s.', 0,
   '[{"name":"company","type":"string","required":true,"source":"project_variable","project_variable":"default_company"},{"name":"region","type":"string","required":true,"source":"project_variable","project_variable":"region"},{"name":"threshold","type":"number","required":true,"source":"project_variable","project_variable":"score_threshold"},{"name":"channel","type":"string","required":false,"source":"hardcoded","value":"slack"}]',
   '[{"id":"flow1","workflow_id":"40000000-0000-4000-8000-000000000003","mappings":{"company":{"source":"sequence_parameter","parameter":"company"},"region":{"source":"sequence_parameter","parameter":"region"}},"assertions":[{"path":"$.company","operator":"exists"}]},{"id":"flow2","workflow_id":"40000000-0000-4000-8000-000000000004","mappings":{"company":{"source":"flow_output","flow_id":"flow1","path":["company"]},"region":{"source":"flow_output","flow_id":"flow1","path":["region"]},"threshold":{"source":"sequence_parameter","parameter":"threshold"}},"assertions":[{"path":"$.threshold","operator":"gt","expected":0}]},{"id":"flow3","workflow_id":"40000000-0000-4000-8000-000000000005","mappings":{"company":{"source":"flow_output","flow_id":"flow2","path":["company"]},"threshold":{"source":"flow_output","flow_id":"flow2","path":["threshold"]},"channel":{"source":"sequence_parameter","parameter":"channel"}},"assertions":[{"path":"$.channel","operator":"equals","expected":"slack"}]}]',
   '10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001')
on conflict (id) do nothing;

-- Sequences and workflows joined: the call-notes demo (issue 14 §4; docs/automation/crm-actions.md)
-- "Demo Follow-up (with call notes)" is seed 001's Demo Follow-up with an automated step after
-- "Conduct demo": the "Call notes" workflow transcribes the restaurant's call recording with
-- Gemini, summarises it, appends the summary to the restaurant's notes and moves it to
-- demo_done (crm-update-restaurant, as the task's rep). That stage change fires an event
-- trigger whose workflow starts "After the demo" for the restaurant (crm-start-sequence).
-- Offline in `pnpm dev`: the recording is a placeholder the local Gemini protocol server
-- (packages/local-stack/src/fakes/gemini-server.ts, scenario demo-call) answers with a demo
-- call's transcript and summary; with a real GEMINI_API_KEY, put a real recording (audio_url
-- or audio_file) in a restaurant's metadata.call_recording instead.
update public.restaurants as r
set metadata = r.metadata || jsonb_build_object('call_recording', jsonb_build_object(
  'mime_type', 'audio/mpeg',
  -- "ID3 Forkflow demo call (a placeholder recording for the local Gemini server) scenario:demo-call"
  'audio_base64', 'SUQzIEZvcmtmbG93IGRlbW8gY2FsbCAoYSBwbGFjZWhvbGRlciByZWNvcmRpbmcgZm9yIHRoZSBsb2NhbCBHZW1pbmkgc2VydmVyKSBzY2VuYXJpbzpkZW1vLWNhbGw='
))
where r.organisation_id = '00000000-0000-4000-8000-000000000001'
  and not (r.metadata ? 'call_recording');

insert into public.workflows (id, organisation_id, key, name, description, definition, created_by, updated_by)
values
  ('40000000-0000-4000-8000-000000000010', '00000000-0000-4000-8000-000000000001', 'call-notes',
   'Call notes', 'Transcribes the demo call''s recording, summarises it into the restaurant''s notes and moves it to demo_done.',
   $json${
     "inputs": [
       {"name": "restaurant_id", "type": "string", "required": true, "title": "Restaurant",
        "description": "The restaurant whose notes get the summary (its id)."},
       {"name": "restaurant_metadata", "type": "object", "required": true, "title": "Restaurant metadata",
        "description": "Holds call_recording: { audio_base64, mime_type }, { audio_url } or { audio_file }."}
     ],
     "start_step": "transcribe",
     "steps": {
       "transcribe": {
         "transformer_id": "gemini-timestamp-transcriber",
         "input_map": {
           "audio_base64": "$.job_input.restaurant_metadata.call_recording.audio_base64",
           "mime_type": "$.job_input.restaurant_metadata.call_recording.mime_type",
           "audio_url": "$.job_input.restaurant_metadata.call_recording.audio_url",
           "audio_file": "$.job_input.restaurant_metadata.call_recording.audio_file"
         },
         "next_step": "summarise"
       },
       "summarise": {
         "transformer_id": "gemini-timestamp-transcriber",
         "input_map": {
           "audio_base64": "$.job_input.restaurant_metadata.call_recording.audio_base64",
           "mime_type": "$.job_input.restaurant_metadata.call_recording.mime_type",
           "audio_url": "$.job_input.restaurant_metadata.call_recording.audio_url",
           "audio_file": "$.job_input.restaurant_metadata.call_recording.audio_file"
         },
         "config": {
           "prompt": "Summarise this sales demo call for the restaurant's CRM notes in two or three sentences: what they liked, what they asked and the agreed next step. Return the summary as text, with no segments."
         },
         "next_step": "note"
       },
       "note": {
         "transformer_id": "crm-update-restaurant",
         "input_map": {
           "restaurant_id": "$.job_input.restaurant_id",
           "append_note": "$.summarise.output.text"
         },
         "config": {"lead_stage": "demo_done"},
         "next_step": null
       }
     },
     "output_map": {
       "transcript": "$.transcribe.output.text",
       "summary": "$.summarise.output.text",
       "lead_stage": "$.note.output.restaurant.lead_stage"
     }
   }$json$::jsonb,
   '10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001'),
  ('40000000-0000-4000-8000-000000000011', '00000000-0000-4000-8000-000000000001', 'demo-done-follow-up',
   'After the demo: start the follow-up', 'Started by the "Demo done" trigger: starts "After the demo" for the restaurant that reached demo_done.',
   $json${
     "start_step": "start",
     "steps": {
       "start": {
         "transformer_id": "crm-start-sequence",
         "input_map": {"restaurant_id": "$.job_input.event.restaurant_id"},
         "config": {"sequence_template_name": "After the demo"},
         "next_step": null
       }
     },
     "output_map": {"sequence_instance_id": "$.start.output.sequence_instance.id"}
   }$json$::jsonb,
   '10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001')
on conflict (id) do nothing;

insert into public.workflow_versions (organisation_id, workflow_id, version, definition, retry_policy, change_description, created_by)
select w.organisation_id, w.id, 1, w.definition, w.retry_policy, 'Created', w.created_by
from public.workflows as w
where w.id in ('40000000-0000-4000-8000-000000000010', '40000000-0000-4000-8000-000000000011')
on conflict (workflow_id, version) do nothing;

insert into public.sequence_templates (
  id, organisation_id, name, description, tags, is_active, exit_stages, created_by
)
values
  ('32000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000001', 'Demo Follow-up (with call notes)',
   'Demo Follow-up, and after "Conduct demo" the Call notes workflow writes the call''s summary into the restaurant''s notes and moves it to demo_done.',
   '{demo,follow-up,automated}', true, '{won,lost}', '10000000-0000-4000-8000-000000000001'),
  ('32000000-0000-4000-8000-000000000006', '00000000-0000-4000-8000-000000000001', 'After the demo',
   'Started by the "Demo done" trigger when a restaurant reaches demo_done: the proposal and a check-in.',
   '{demo,proposal}', true, '{won,lost}', '10000000-0000-4000-8000-000000000001')
on conflict do nothing;

insert into public.sequence_steps (
  id, organisation_id, sequence_template_id, step_order, name, type, priority,
  task_template_id, message_template_id, custom_message, delay_value, delay_unit, workflow_id, input_map
)
select
  s.id, '00000000-0000-4000-8000-000000000001', s.template_id, s.step_order, s.name, s.type, s.priority,
  s.task_template_id, s.message_template_id, s.custom_message, s.delay_value, s.delay_unit,
  s.workflow_id, s.input_map
from (
  values
    -- Demo Follow-up (with call notes): seed 001's steps, the call notes at once after the demo.
    ('33000000-0000-4000-8000-000000000501'::uuid, '32000000-0000-4000-8000-000000000005'::uuid, 1, 'Send demo confirmation', 'email', 'high',
     null::uuid, '30000000-0000-4000-8000-000000000001'::uuid, null, 0, 'days', null::uuid, '{}'::jsonb),
    ('33000000-0000-4000-8000-000000000502', '32000000-0000-4000-8000-000000000005', 2, 'Prepare demo materials', 'internal_activity', 'medium',
     '31000000-0000-4000-8000-000000000001', null, null, 1, 'days', null, '{}'),
    ('33000000-0000-4000-8000-000000000503', '32000000-0000-4000-8000-000000000005', 3, 'Reminder call day before', 'call', 'medium',
     '31000000-0000-4000-8000-000000000002', null, null, 1, 'days', null, '{}'),
    ('33000000-0000-4000-8000-000000000504', '32000000-0000-4000-8000-000000000005', 4, 'Conduct demo', 'internal_activity', 'high',
     null, null, null, 1, 'days', null, '{}'),
    ('33000000-0000-4000-8000-000000000505', '32000000-0000-4000-8000-000000000005', 5, 'Call notes: summarise the demo call', 'automated', 'medium',
     null, null, null, 0, 'minutes', '40000000-0000-4000-8000-000000000010',
     '{"restaurant_id": {"source": "restaurant", "field": "id"}, "restaurant_metadata": {"source": "restaurant", "field": "metadata"}}'),
    ('33000000-0000-4000-8000-000000000506', '32000000-0000-4000-8000-000000000005', 6, 'Follow-up email', 'email', 'medium',
     null, '30000000-0000-4000-8000-000000000002', null, 1, 'days', null, '{}'),
    ('33000000-0000-4000-8000-000000000507', '32000000-0000-4000-8000-000000000005', 7, 'Check-in call', 'call', 'medium',
     '31000000-0000-4000-8000-000000000003', null, null, 3, 'days', null, '{}'),
    ('33000000-0000-4000-8000-000000000508', '32000000-0000-4000-8000-000000000005', 8, 'Contract proposal', 'email', 'high',
     null, '30000000-0000-4000-8000-000000000003', null, 7, 'days', null, '{}'),
    -- After the demo: 0 and 3 days.
    ('33000000-0000-4000-8000-000000000601', '32000000-0000-4000-8000-000000000006', 1, 'Send the proposal', 'email', 'high',
     null, null, 'Hi {contact_first_name|there}, thanks for your time on the demo. As promised, here is our proposal for {restaurant_name}. {rep_first_name}', 0, 'days', null, '{}'),
    ('33000000-0000-4000-8000-000000000602', '32000000-0000-4000-8000-000000000006', 2, 'Proposal check-in call', 'call', 'medium',
     null, null, null, 3, 'days', null, '{}')
) as s (
  id, template_id, step_order, name, type, priority, task_template_id, message_template_id,
  custom_message, delay_value, delay_unit, workflow_id, input_map
)
on conflict (id) do nothing;

-- Runs as Olivia (owner), who set it up; the sequence it starts goes to the restaurant's rep.
insert into public.workflow_triggers (
  id, organisation_id, workflow_id, kind, name, enabled, event_type, event_filter, input, run_as, created_by
)
values
  ('41000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001',
   '40000000-0000-4000-8000-000000000011', 'event', 'Demo done: start "After the demo"', true,
   'restaurant.stage_changed', '@.to_stage == ''demo_done''', '{}',
   '10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001')
on conflict (id) do nothing;
