-- Indexes for an organisation with a lot of history (docs/workflows-contract.md,
-- "Monitoring" and "HTTP API").
--
-- Measured on the native stack (2-CPU machine) with 302 500 jobs and 1.2 M job_events: one
-- organisation with 300 000 finished jobs over 90 days (6 workflows, 20 users, 4 events a
-- job) plus 2 000 queued (claim and finish measured with 2 500 queued), another with 500;
-- VACUUM ANALYZE'd, warm cache; times are EXPLAIN (ANALYZE) execution times, as an
-- `authenticated` member or owner through RLS where the API reads as the user.
-- Each index below is here for a plan that was slow without it. The claim and finish of
-- 100 steps were already fast (claim 11-19 ms, finish 13-21 ms) and stay so within noise
-- (11-18, 13-23 ms).
--
-- Writes: jobs rows are updated on every claim and finish and those updates are never HOT
-- (available_at is indexed), so every jobs index gets an entry per update; widening two of
-- them and adding one costs the queue a little. The job_events index is partial: an entry
-- per job start, step result and scheduled retry, not per event.

-- workflow_stats / workflow_health read the jobs that finished in a window: status,
-- started_at, workflow_id (and created_at for the queue depth). Covering them makes the read
-- index-only: 7 days of the big organisation (25 000 jobs) touched 9 300 heap pages through
-- a bitmap heap scan (~60 ms alone); now ~3 ms. Same key and predicate as before: only
-- finished jobs get an entry.
drop index public.jobs_organisation_id_completed_at_idx;
create index jobs_organisation_id_completed_at_idx on public.jobs (organisation_id, completed_at)
  include (status, started_at, workflow_id, created_at)
  where completed_at is not null;

-- workflow_stats with p_workflow_id keeps events whose job_id is one of the workflow's jobs:
-- with the id in the index that set (50 000 jobs) is an index-only scan instead of a bitmap
-- heap scan of 8 700 pages. workflow_stats(7 days, one workflow) 170-190 -> 45 ms. Still the
-- index of the jobs -> workflows foreign key (organisation_id, workflow_id).
drop index public.jobs_organisation_id_workflow_id_idx;
create index jobs_organisation_id_workflow_id_idx
  on public.jobs (organisation_id, workflow_id, created_at desc) include (id);

-- list-jobs with scope=organisation and no organisation_id filters only through RLS, whose
-- "own job or admin's organisation" OR cannot use the organisation or user indexes: every
-- request was a sequential scan of jobs plus a sort (first page 160-300 ms, a date range
-- 95-150 ms, a workflow 70-100 ms, a status 60-90 ms). Read newest first through this index
-- it stops after a page: 2-6 ms.
-- Not fixed by it: a deep keyset cursor (`created_at < c or (created_at = c and id < i)`, as
-- list-jobs and the dashboard send it) is not an index bound, so the scan starts at the
-- newest job and filters down to the cursor (80 days deep: 120-190 ms as a sequential scan,
-- 340-380 ms through this index: the one case this index makes slower; the dashboard's
-- request walks jobs (organisation_id, created_at) the same way, 300-440 ms).
-- Adding the redundant bound `created_at <= c` to the request makes it 2 ms with either
-- index; that is the callers' change to make.
create index jobs_created_at_id_idx on public.jobs (created_at desc, id desc);

-- The per-organisation event figures of the monitoring RPCs: workflow_stats' starts (claimed
-- from pending) and retries, workflow_health's step durations per transformer. Through
-- job_events (organisation_id, created_at) or the cross-organisation results index they
-- read every event of the window from the heap (7 days: 100 000 events, 15 000 pages,
-- 90-140 ms each); this partial covering index answers both index-only (~10 ms).
-- With the jobs index above: workflow_stats 7 days 180-210 -> 45-70 ms, 24 h 63-70 -> 23 ms;
-- workflow_health 7 days 150-155 -> 52-54 ms, 24 h 41 -> 15-24 ms.
create index job_events_organisation_id_created_at_monitoring_idx
  on public.job_events (organisation_id, created_at)
  include (event_type, from_status, transformer_id, duration_ms, job_id)
  where event_type in ('step_succeeded', 'step_failed', 'retry_scheduled')
     or (event_type = 'claimed' and from_status = 'pending');
