-- API response times per edge function (seed 003 iteration 12; docs/workflows-contract.md,
-- "Observability"). Functions run in separate isolates on hosted Supabase, so their
-- durations meet here: every function's `handle` buffers what it measured and, at most once
-- a second per isolate and after the response has gone, sends the raw durations to
-- public.record_function_durations (service role only). SQL buckets them, so the bucket
-- bounds have one home: private.function_latency_bounds_ms().
--
-- Two tables, both private (not exposed by PostgREST) and written only by that RPC:
--   function_latency_minutes  per function and minute, kept 7 days: windowed percentiles
--                             for the Monitoring page (public.function_latency_stats)
--   function_latency_totals   per function since the start, never reset: the Prometheus
--                             histogram (public.function_latency_metrics), whose buckets
--                             must be counters that only go up

-- Upper bounds (ms) of the histogram's buckets; a last, unbounded bucket follows. Buckets
-- are `le` buckets as in Prometheus: a duration equal to a bound counts in that bound's.
-- 2 ms to 60 s: a warm read answers in a few ms, an executor may run for a minute.
create function private.function_latency_bounds_ms() returns double precision[]
language sql
immutable
set search_path = ''
as $$
  select array[2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000]::double precision[];
$$;

comment on function private.function_latency_bounds_ms() is
  'Upper bounds (ms) of the function latency histogram buckets; one more, unbounded, follows.';

revoke execute on function private.function_latency_bounds_ms() from public, anon, authenticated;


create table private.function_latency_minutes (
  function_name text not null,
  minute timestamptz not null,
  -- Per bucket, not cumulative; one more element than function_latency_bounds_ms().
  bucket_counts bigint[] not null,
  sum_ms double precision not null,
  count bigint not null,
  primary key (function_name, minute)
);

comment on table private.function_latency_minutes is
  'Edge function response times per function and minute (histogram bucket counts), kept 7 days.';

-- The prune and the windowed reads filter on the minute alone.
create index function_latency_minutes_minute_idx on private.function_latency_minutes (minute);

create table private.function_latency_totals (
  function_name text primary key,
  bucket_counts bigint[] not null,
  sum_ms double precision not null,
  count bigint not null
);

comment on table private.function_latency_totals is
  'Edge function response times per function since the start (histogram bucket counts): Prometheus counters.';

-- Written and read only through the definer RPCs below.
alter table private.function_latency_minutes enable row level security;
alter table private.function_latency_totals enable row level security;
revoke all on table private.function_latency_minutes from public, anon, authenticated, service_role;
revoke all on table private.function_latency_totals from public, anon, authenticated, service_role;


-- Adds durations: p_samples is { "<function>": [ms, …], … }, as measured by the functions'
-- `handle`. At most 10 000 durations a call (a second of a busy isolate is a few hundred).
-- Also prunes minutes older than 7 days (an index range scan that finds nothing on almost
-- every call).
create function public.record_function_durations(p_samples jsonb) returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_bounds double precision[] := private.function_latency_bounds_ms();
  v_minute timestamptz := date_trunc('minute', now());
begin
  if jsonb_typeof(p_samples) is distinct from 'object' then
    perform private.raise_http(400, 'invalid_input', 'p_samples must be { "<function>": [ms, ...] }');
  end if;
  if exists (
    select 1 from jsonb_each(p_samples) as f
    where f.key !~ '^[a-z0-9][a-z0-9_-]{0,62}$' or jsonb_typeof(f.value) <> 'array'
  ) then
    perform private.raise_http(400, 'invalid_input',
      'function names are lower-case slugs, each with an array of durations in ms');
  end if;
  if exists (
    select 1 from jsonb_each(p_samples) as f, jsonb_array_elements(f.value) as d
    where case when jsonb_typeof(d) = 'number' then d::text::double precision < 0 else true end
  ) then
    perform private.raise_http(400, 'invalid_input', 'durations must be non-negative numbers (ms)');
  end if;
  if (select count(*) from jsonb_each(p_samples) as f, jsonb_array_elements(f.value)) > 10000 then
    perform private.raise_http(400, 'invalid_input', 'at most 10000 durations a call');
  end if;

  with samples as (
    select f.key as function_name, d::text::double precision as ms
    from jsonb_each(p_samples) as f, jsonb_array_elements(f.value) as d
  ),
  bucketed as (
    -- The first bucket whose bound is >= the duration (le); past the last bound, the
    -- unbounded one.
    select s.function_name, s.ms,
      1 + (select count(*) from unnest(v_bounds) as b where b < s.ms)::integer as bucket
    from samples as s
  ),
  per_function as (
    select x.function_name,
      array(
        select count(*) filter (where y.bucket = i)
        from bucketed as y, generate_series(1, cardinality(v_bounds) + 1) as i
        where y.function_name = x.function_name
        group by i order by i
      ) as bucket_counts,
      sum(x.ms) as sum_ms,
      count(*) as n
    from bucketed as x
    group by x.function_name
  ),
  minutes as (
    insert into private.function_latency_minutes as m
      (function_name, minute, bucket_counts, sum_ms, count)
    -- In name order, so two calls that touch the same rows lock them in the same order.
    select p.function_name, v_minute, p.bucket_counts, p.sum_ms, p.n
    from per_function as p order by p.function_name
    on conflict (function_name, minute) do update set
      bucket_counts = array(
        select a + b from unnest(m.bucket_counts, excluded.bucket_counts) as t(a, b)),
      sum_ms = m.sum_ms + excluded.sum_ms,
      count = m.count + excluded.count
  )
  insert into private.function_latency_totals as t (function_name, bucket_counts, sum_ms, count)
  select p.function_name, p.bucket_counts, p.sum_ms, p.n from per_function as p
  order by p.function_name
  on conflict (function_name) do update set
    bucket_counts = array(
      select a + b from unnest(t.bucket_counts, excluded.bucket_counts) as u(a, b)),
    sum_ms = t.sum_ms + excluded.sum_ms,
    count = t.count + excluded.count;

  delete from private.function_latency_minutes as m where m.minute < now() - interval '7 days';
end;
$$;

comment on function public.record_function_durations(jsonb) is
  'Service role (the functions'' handle): adds edge function durations { "<function>": [ms, ...] } to the latency histograms.';

revoke execute on function public.record_function_durations(jsonb) from public, anon, authenticated;
grant execute on function public.record_function_durations(jsonb) to service_role;


-- The q-quantile of a histogram, interpolated linearly inside its bucket, as Prometheus's
-- histogram_quantile does: in the unbounded bucket it is the highest bound. Null when empty.
create function private.histogram_quantile(
  p_q double precision,
  p_bounds double precision[],
  p_counts bigint[]
) returns double precision
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_total bigint := (select coalesce(sum(c), 0) from unnest(p_counts) as c);
  v_rank double precision;
  v_seen bigint := 0;
  v_lower double precision := 0;
begin
  if v_total = 0 then
    return null;
  end if;
  v_rank := p_q * v_total;
  for i in 1 .. cardinality(p_counts) loop
    if i > cardinality(p_bounds) then
      return v_lower;
    end if;
    if p_counts[i] > 0 and v_seen + p_counts[i] >= v_rank then
      return v_lower + (p_bounds[i] - v_lower) * (v_rank - v_seen) / p_counts[i];
    end if;
    v_seen := v_seen + p_counts[i];
    v_lower := p_bounds[i];
  end loop;
  return v_lower;
end;
$$;

comment on function private.histogram_quantile(double precision, double precision[], bigint[]) is
  'Quantile of per-bucket counts, interpolated in its bucket (Prometheus histogram_quantile).';

revoke execute on function private.histogram_quantile(double precision, double precision[], bigint[])
  from public, anon, authenticated;


-- The Monitoring page: p50 and p95 (ms) per function since p_since (at most 7 days back,
-- what is kept), from the per-minute histograms. Any signed-in user: response times of the
-- platform's API, no tenant's data; the call counts, which would show the platform's
-- volume, are left out.
-- The buckets are summed one column each (`sum(bucket_counts[i])`, written out from the
-- bounds) rather than unnested and grouped by (function, bucket): 13 functions over 7 days
-- (131 k minute rows) 220-260 ms against 540-720 ms, measured side by side on the 2-core
-- stack under load (the whole RPC 76 ms against 1.2 s when it was idle); 1 h takes ~2 ms.
create function public.function_latency_stats(p_since timestamptz default null)
returns table (function_name text, p50_ms double precision, p95_ms double precision)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_since timestamptz := greatest(coalesce(p_since, now() - interval '1 day'), now() - interval '7 days');
  v_bounds double precision[] := private.function_latency_bounds_ms();
  v_sums text;
begin
  perform private.require_user();
  select string_agg(format('sum(m.bucket_counts[%s])', i), ', ' order by i)
  into v_sums
  from generate_series(1, cardinality(v_bounds) + 1) as i;

  return query execute format(
    'select s.function_name,
       private.histogram_quantile(0.5, $1, s.counts),
       private.histogram_quantile(0.95, $1, s.counts)
     from (
       select m.function_name, array[%s]::bigint[] as counts
       from private.function_latency_minutes as m
       where m.minute >= $2
       group by m.function_name
     ) as s
     order by s.function_name', v_sums)
  using v_bounds, date_trunc('minute', v_since);
end;
$$;

comment on function public.function_latency_stats(timestamptz) is
  'Monitoring (signed-in users): p50/p95 response time (ms) per edge function since p_since (default 24 h, at most 7 days).';

revoke execute on function public.function_latency_stats(timestamptz) from public, anon;
grant execute on function public.function_latency_stats(timestamptz) to authenticated;


-- Operators (workflow-metrics; service role only): per function, the cumulative bucket
-- counts since the start, their sum and count, for a Prometheus histogram.
create function public.function_latency_metrics() returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'bounds_ms', to_jsonb(private.function_latency_bounds_ms()),
    'functions', coalesce(jsonb_agg(jsonb_build_object(
        'function', t.function_name,
        'cumulative_counts', (
          select jsonb_agg(r.running order by r.i)
          from (
            select u.i, sum(u.c) over (order by u.i) as running
            from unnest(t.bucket_counts) with ordinality as u(c, i)
          ) as r),
        'sum_ms', t.sum_ms,
        'count', t.count) order by t.function_name), '[]'::jsonb))
  from private.function_latency_totals as t;
$$;

comment on function public.function_latency_metrics() is
  'Service role (workflow-metrics): cumulative latency histogram per edge function since the start.';

revoke execute on function public.function_latency_metrics() from public, anon, authenticated;
grant execute on function public.function_latency_metrics() to service_role;
