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
