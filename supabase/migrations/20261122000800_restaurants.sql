-- Restaurants: the CRM's leads, owned by an organisation.

create table public.restaurants (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  name text not null,
  contact_name text,
  contact_email text,
  contact_phone text,
  website text,
  address text,
  city text,
  cuisine text,
  lead_stage text not null default 'new',
  lead_warmth text not null default 'cold',
  lead_status text not null default 'active',
  assigned_sales_rep uuid references public.profiles (id) on delete set null,
  notes text,
  metadata jsonb not null default '{}'::jsonb,
  -- Weighted so a match on the name ranks above one in the notes.
  search tsvector generated always as (
    setweight(to_tsvector('simple'::regconfig, coalesce(name, '')), 'A')
    || setweight(to_tsvector('simple'::regconfig, coalesce(cuisine, '') || ' ' || coalesce(city, '')), 'B')
    || setweight(to_tsvector('simple'::regconfig, coalesce(contact_name, '') || ' ' || coalesce(contact_email, '')), 'C')
    || setweight(to_tsvector('simple'::regconfig, coalesce(notes, '')), 'D')
  ) stored,
  created_by uuid default auth.uid() references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- In the trash since deleted_at (…005100_trash.sql: move_to_trash, restore, purge).
  deleted_at timestamptz,
  deleted_by uuid references public.profiles (id) on delete set null,
  constraint restaurants_name_length check (char_length(btrim(name)) >= 1 and char_length(name) <= 200),
  constraint restaurants_lead_stage_valid check (lead_stage in (
    'new', 'contacted', 'qualified', 'demo_booked', 'demo_done', 'proposal', 'negotiation', 'won', 'lost'
  )),
  constraint restaurants_lead_warmth_valid check (lead_warmth in ('cold', 'warm', 'hot')),
  constraint restaurants_lead_status_valid check (lead_status in ('active', 'paused', 'do_not_contact')),
  constraint restaurants_metadata_is_object check (jsonb_typeof(metadata) = 'object'),
  -- The rep must be a member of the restaurant's organisation. A composite foreign key
  -- says so declaratively, is checked after RLS (so it leaks nothing across tenants) and
  -- unassigns the rep when they leave the organisation.
  constraint restaurants_assigned_sales_rep_member_fkey
    foreign key (organisation_id, assigned_sales_rep)
    references public.organisation_members (organisation_id, user_id)
    on delete set null (assigned_sales_rep)
);

comment on table public.restaurants is
  'A restaurant lead in an organisation''s pipeline: contact details, stage, warmth, status and assigned rep.';
comment on column public.restaurants.search is
  'Full-text document (simple config) over name, cuisine, city, contact name/email and notes.';
comment on column public.restaurants.assigned_sales_rep is
  'A member of the same organisation (restaurants_assigned_sales_rep_member_fkey), or null.';

alter table public.restaurants enable row level security;

-- organisation_id leads: serves the tenant policies, its foreign key and the rep
-- foreign key (organisation_id, assigned_sales_rep) in one index.
create index restaurants_organisation_id_assigned_sales_rep_idx
  on public.restaurants (organisation_id, assigned_sales_rep);
create index restaurants_assigned_sales_rep_idx on public.restaurants (assigned_sales_rep);
create index restaurants_created_by_idx on public.restaurants (created_by);
create index restaurants_search_idx on public.restaurants using gin (search);

create trigger _100_set_updated_at
  before update on public.restaurants
  for each row execute function private.tg__set_updated_at();


-- Tenant rows never change organisation: moving one would carry its history into
-- another tenant. Reusable: pass the row's noun for the message.
create function private.tg__keep_organisation_id() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.organisation_id is distinct from old.organisation_id then
    raise exception 'a % cannot be moved to another organisation', coalesce(tg_argv[0], 'row')
      using errcode = '23514';
  end if;
  return new;
end;
$$;

comment on function private.tg__keep_organisation_id() is
  'BEFORE UPDATE trigger: refuses to change organisation_id. Argument: the row''s noun for the message.';

revoke execute on function private.tg__keep_organisation_id() from public, anon, authenticated;

create trigger _200_keep_organisation_id
  before update of organisation_id on public.restaurants
  for each row execute function private.tg__keep_organisation_id('restaurant');


-- Column privileges, as on every other tenant table: created_by is pinned to the caller by
-- the insert policy and never changes; created_at, updated_at and search are the database's.
-- (Supabase's default grants would let a member backdate created_at or hand a restaurant's
-- authorship to a colleague; they also include TRUNCATE, which RLS does not cover.)
revoke all on public.restaurants from anon, authenticated;
grant select, delete on public.restaurants to authenticated;
-- A visitor's read is an empty list (no policy is for anon), not a permission error.
grant select on public.restaurants to anon;
grant insert (
  organisation_id, name, contact_name, contact_email, contact_phone, website, address, city, cuisine,
  lead_stage, lead_warmth, lead_status, assigned_sales_rep, notes, metadata, created_by
) on public.restaurants to authenticated;
-- organisation_id stays updatable so the keep-organisation trigger answers a move clearly.
grant update (
  organisation_id, name, contact_name, contact_email, contact_phone, website, address, city, cuisine,
  lead_stage, lead_warmth, lead_status, assigned_sales_rep, notes, metadata
) on public.restaurants to authenticated;


-- RLS: members of the restaurant's organisation, for every verb.
create policy restaurants_select_members on public.restaurants
  for select to authenticated
  using (deleted_at is null and organisation_id in (select private.user_organisation_ids()));

-- A member inserts into their own organisations, as themselves.
create policy restaurants_insert_members on public.restaurants
  for insert to authenticated
  with check (
    organisation_id in (select private.user_organisation_ids())
    and created_by = (select auth.uid())
  );

create policy restaurants_update_members on public.restaurants
  for update to authenticated
  using (organisation_id in (select private.user_organisation_ids()))
  with check (organisation_id in (select private.user_organisation_ids()));

create policy restaurants_delete_members on public.restaurants
  for delete to authenticated
  using (organisation_id in (select private.user_organisation_ids()));
