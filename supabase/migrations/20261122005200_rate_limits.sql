-- Rate limits on starting jobs, per user and per organisation (issue 10 §2: an owner started
-- 1,200 sleeping jobs in 4.5 s and another organisation's job waited 115 s). Token buckets in
-- Postgres, so every function isolate shares them; one definer function takes a token, and a
-- trigger on public.jobs calls it for every job a signed-in user creates, so no path that
-- creates jobs can skip it. A refused start raises 429 rate_limited with Retry-After
-- (start-workflow passes both on).

-- The limits: a bucket holds `capacity` tokens (the burst) and gains `refill_per_second`.
create table private.rate_limit_policies (
  scope text primary key,
  capacity integer not null,
  refill_per_second double precision not null,
  constraint rate_limit_policies_scope check (scope in ('user', 'organisation')),
  constraint rate_limit_policies_capacity check (capacity > 0),
  constraint rate_limit_policies_refill check (refill_per_second > 0)
);

comment on table private.rate_limit_policies is
  'Default job-start limits per scope (user, organisation): burst capacity and refill rate.';

-- Defaults: a person clicking Run, or a script starting one job a second, never meets them;
-- a burst of 60 (a user) or 300 (an organisation) passes at once, then 1/s and 5/s (3,600
-- and 18,000 jobs an hour) sustained. The flood of the issue (1,200 in 4.5 s) is cut to 300.
insert into private.rate_limit_policies (scope, capacity, refill_per_second) values
  ('user', 60, 1),
  ('organisation', 300, 5);

-- Per user or organisation, set by the service role (a bulk importer, a tenant on a plan).
create table private.rate_limit_overrides (
  scope text not null,
  subject_id uuid not null,
  capacity integer not null,
  refill_per_second double precision not null,
  primary key (scope, subject_id),
  constraint rate_limit_overrides_scope check (scope in ('user', 'organisation')),
  constraint rate_limit_overrides_capacity check (capacity > 0),
  constraint rate_limit_overrides_refill check (refill_per_second > 0)
);

comment on table private.rate_limit_overrides is
  'Job-start limits for one user or organisation, in place of rate_limit_policies.';

-- One row per subject that has started something; `tokens` as of `refilled_at`.
create table private.rate_limit_buckets (
  scope text not null,
  subject_id uuid not null,
  tokens double precision not null,
  refilled_at timestamptz not null,
  primary key (scope, subject_id)
);

comment on table private.rate_limit_buckets is
  'Token buckets of the job-start rate limits: tokens left as of refilled_at.';

-- Takes one token from the subject's bucket: 0 when taken, else the seconds until one is
-- there (nothing taken). The row lock orders concurrent starts of one subject.
create function private.take_rate_limit_token(p_scope text, p_subject_id uuid)
returns double precision
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_capacity integer;
  v_refill double precision;
  v_now timestamptz := clock_timestamp();
  v_tokens double precision;
  v_at timestamptz;
begin
  select coalesce(o.capacity, p.capacity), coalesce(o.refill_per_second, p.refill_per_second)
    into v_capacity, v_refill
  from private.rate_limit_policies as p
  left join private.rate_limit_overrides as o
    on o.scope = p.scope and o.subject_id = p_subject_id
  where p.scope = p_scope;
  if not found then
    return 0;
  end if;

  insert into private.rate_limit_buckets as b (scope, subject_id, tokens, refilled_at)
  values (p_scope, p_subject_id, v_capacity, v_now)
  on conflict (scope, subject_id) do nothing;

  select b.tokens, b.refilled_at into v_tokens, v_at
  from private.rate_limit_buckets as b
  where b.scope = p_scope and b.subject_id = p_subject_id
  for update;

  v_tokens := least(v_capacity::double precision,
    v_tokens + greatest(0, extract(epoch from v_now - v_at)) * v_refill);
  update private.rate_limit_buckets as b
  set tokens = case when v_tokens >= 1 then v_tokens - 1 else v_tokens end,
      refilled_at = greatest(v_now, v_at)
  where b.scope = p_scope and b.subject_id = p_subject_id;
  return case when v_tokens >= 1 then 0 else (1 - v_tokens) / v_refill end;
end;
$$;

comment on function private.take_rate_limit_token(text, uuid) is
  'Token bucket: takes one token for (scope, subject); returns 0, or the seconds to wait.';

revoke execute on function private.take_rate_limit_token(text, uuid) from public, anon, authenticated;

-- A job start by p_user_id in p_organisation_id takes a token from the user's bucket and the
-- organisation's, or raises 429 rate_limited. Called by the trigger below, and by the
-- service-role RPCs that start jobs on a user's behalf (a flow sequence run's start, continue
-- and re-run: …006300), which the trigger cannot tell from machine inserts.
create function private.limit_job_start(p_user_id uuid, p_organisation_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_wait double precision;
  v_scope text := 'user';
  v_org_wait double precision;
  v_seconds integer;
begin
  v_wait := case when p_user_id is null then 0
    else private.take_rate_limit_token('user', p_user_id) end;
  v_org_wait := private.take_rate_limit_token('organisation', p_organisation_id);
  if v_org_wait > v_wait then
    v_wait := v_org_wait;
    v_scope := 'organisation';
  end if;
  if v_wait > 0 then
    v_seconds := greatest(1, ceil(v_wait)::integer);
    -- PostgREST answers 429 with these headers; details carries the seconds for callers
    -- that see only the error body (supabase-js: start-workflow).
    raise sqlstate 'PGRST' using
      message = json_build_object(
        'code', 'rate_limited',
        'message', format('Too many jobs started by this %s: try again in %s s', v_scope, v_seconds),
        'details', v_seconds::text,
        'hint', null)::text,
      detail = json_build_object(
        'status', 429,
        'headers', json_build_object('Retry-After', v_seconds::text))::text;
  end if;
end;
$$;

comment on function private.limit_job_start(uuid, uuid) is
  'Takes a job-start token for a user and their organisation, or raises 429 rate_limited.';

revoke execute on function private.limit_job_start(uuid, uuid) from public, anon, authenticated;

-- BEFORE INSERT on jobs: a job a signed-in user creates takes a token from their bucket and
-- their organisation's. Machine inserts (service role, migrations: no auth.uid()) are not
-- limited. A refusal rolls back both takes with the rest of the statement.
create function private.tg__rate_limit_job_start() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (select auth.uid()) is not null then
    perform private.limit_job_start(new.user_id, new.organisation_id);
  end if;
  return new;
end;
$$;

comment on function private.tg__rate_limit_job_start() is
  'BEFORE INSERT on jobs: per-user and per-organisation start rate limits (429 rate_limited).';

revoke execute on function private.tg__rate_limit_job_start() from public, anon, authenticated;

create trigger _050_rate_limit_start
  before insert on public.jobs
  for each row execute function private.tg__rate_limit_job_start();
