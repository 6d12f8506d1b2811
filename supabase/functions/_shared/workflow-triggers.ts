// Schedules and app events, the orchestrator's half (issue 14 §3; docs/automation-contract.md,
// "Triggers"; docs/automation/triggers.md). SQL fires each trigger once per dedupe key
// (20261122009400_workflow_triggers.sql); this module does what SQL cannot, with the domain:
//
//   due_workflow_schedules ──▶ nextCronTime (cron.ts, the zone's wall clock, DST) ──▶
//     advance_workflow_schedules: next_fire_at moved on (compare and set); the due tick fires
//     as `tick:<ISO>`
//   claim_workflow_trigger_events (leased) ──▶ each matching trigger's event_filter on the
//     payload (the branches' `when` evaluator) ──▶ dispatch_workflow_trigger_events: fire
//     (`event:<outbox id>`), `filtered_out`, or `failed` with why the filter cannot be evaluated
//
// The orchestrator awaits runTriggers at the start of every run, before it claims, so a job a
// trigger started runs in the same invocation. Nothing here may stop the orchestrator: every
// error is logged and counted, and the run goes on. Two orchestrators at once compute the same
// thing; SQL keeps one (the compare and set, the firings' unique key). No Deno APIs: vitest
// loads it.
import { CronError, nextCronTime } from './domain/cron.ts';
import { JsonPathError } from './domain/json-path.ts';
import { branchMatches } from './domain/workflow-branches.ts';

/** A schedule due now (or without a next time yet), as due_workflow_schedules answers it. */
export interface DueSchedule {
  trigger_id: string;
  cron: string;
  /** Its own zone, else its organisation's business calendar's, else UTC. */
  time_zone: string;
  /** null: new, edited or enabled again; not a tick to fire. */
  next_fire_at: string | null;
}

/** advance_workflow_schedules' item. */
export interface ScheduleAdvance {
  trigger_id: string;
  /** The next_fire_at read (compare and set); when in the past, its tick fires. */
  expected: string | null;
  cron: string;
  time_zone: string;
  /** The tick after now; null: never again. */
  next_fire_at: string | null;
}

export interface ScheduleAnswer {
  trigger_id: string;
  status: 'fired' | 'scheduled' | 'skipped' | 'error';
  firing?: { status: string; replayed: boolean; job_id: string | null };
  message?: string;
}

/** An app event leased from the outbox, with the event triggers it may fire. */
export interface ClaimedEvent {
  id: number;
  organisation_id: string;
  event_type: string;
  payload: unknown;
  triggers: { id: string; event_filter: string | null }[];
}

export type EventOutcome =
  | { trigger_id: string; outcome: 'fire' }
  | { trigger_id: string; outcome: 'filtered_out' }
  | { trigger_id: string; outcome: 'failed'; error: { code: string; message: string } };

export interface EventDecision {
  id: number;
  results: EventOutcome[];
}

export interface DispatchAnswer {
  id: number;
  status: 'dispatched' | 'skipped' | 'error';
  started?: number;
  message?: string;
}

/** The calls runTriggers makes (the orchestrator's Queue implements them). */
export interface TriggerStore {
  dueWorkflowSchedules(limit: number): Promise<DueSchedule[]>;
  advanceWorkflowSchedules(items: ScheduleAdvance[]): Promise<ScheduleAnswer[]>;
  claimWorkflowTriggerEvents(limit: number, leaseSeconds: number): Promise<ClaimedEvent[]>;
  dispatchWorkflowTriggerEvents(decisions: EventDecision[]): Promise<DispatchAnswer[]>;
}

/**
 * Schedules and events per round (one read, one write). Small because the write keeps each
 * item apart in a subtransaction (an error fails that item, not the batch) and a fire's job
 * insert in another: more than 64 subtransactions with writes in one transaction overflow
 * Postgres' per-backend cache and slow every session's snapshots (h1 met it at 200 tasks).
 * 25 items are at most ~50.
 */
export const TRIGGER_BATCH = 25;
/** Rounds per run (each kind): 2,000; more wait for the next run, 5 s later. */
export const MAX_TRIGGER_ROUNDS = 80;
/**
 * An event's lease: long enough for one round's filters and dispatch (milliseconds), short
 * enough that an event a crashed orchestrator held fires within a minute.
 */
export const EVENT_LEASE_SECONDS = 60;

export interface TriggerRunSummary {
  /** Jobs started (schedule ticks and events). */
  fired: number;
  /** Schedule ticks and event matches recorded as failed (the reason is on the firing). */
  failed: number;
  filtered_out: number;
  /** Calls or items that failed (logged). */
  errors: number;
}

type Logger = (msg: string, detail: Record<string, unknown>) => void;

/**
 * What to send for a due schedule: its next tick after `now` (a tick missed while nothing ran
 * is fired once, then the schedule continues from now, not from the missed tick).
 */
export function scheduleAdvance(due: DueSchedule, now: Date): ScheduleAdvance {
  const next = nextCronTime(due.cron, now, due.time_zone);
  return {
    trigger_id: due.trigger_id,
    expected: due.next_fire_at,
    cron: due.cron,
    time_zone: due.time_zone,
    next_fire_at: next ? next.toISOString() : null,
  };
}

/** Each trigger's decision for one event: its filter on the payload (none: every event). */
export function decideEvent(event: ClaimedEvent): EventDecision {
  const results = event.triggers.map((trigger): EventOutcome => {
    const filter = trigger.event_filter?.trim();
    if (!filter) return { trigger_id: trigger.id, outcome: 'fire' };
    try {
      return {
        trigger_id: trigger.id,
        outcome: branchMatches(filter, event.payload) ? 'fire' : 'filtered_out',
      };
    } catch (err) {
      const message = err instanceof JsonPathError ? err.message : String(err);
      return {
        trigger_id: trigger.id,
        outcome: 'failed',
        error: {
          code: 'invalid_filter',
          message: `The event filter "${filter}" cannot be evaluated: ${message}`.slice(0, 1000),
        },
      };
    }
  });
  return { id: event.id, results };
}

async function runSchedules(
  store: TriggerStore,
  summary: TriggerRunSummary,
  logError: Logger,
  now: () => Date,
): Promise<void> {
  for (let round = 0; round < MAX_TRIGGER_ROUNDS; round++) {
    const due = await store.dueWorkflowSchedules(TRIGGER_BATCH);
    if (due.length === 0) return;
    const at = now();
    const items: ScheduleAdvance[] = [];
    for (const schedule of due) {
      try {
        items.push(scheduleAdvance(schedule, at));
      } catch (err) {
        // The SQL check let it through but the domain refuses it (or the zone is unknown to
        // this runtime): park it (next_fire_at 'infinity') rather than read it every run.
        summary.errors++;
        logError('schedule cannot be computed', {
          trigger_id: schedule.trigger_id,
          cron: schedule.cron,
          time_zone: schedule.time_zone,
          error: err instanceof CronError ? err.message : String(err),
        });
        items.push({
          trigger_id: schedule.trigger_id,
          expected: schedule.next_fire_at,
          cron: schedule.cron,
          time_zone: schedule.time_zone,
          next_fire_at: null,
        });
      }
    }
    const answers = await store.advanceWorkflowSchedules(items);
    for (const answer of answers) {
      if (answer.status === 'error') {
        summary.errors++;
        logError('schedule advance failed', { ...answer });
      } else if (answer.status === 'fired' && answer.firing && !answer.firing.replayed) {
        if (answer.firing.status === 'started') summary.fired++;
        else summary.failed++;
      }
    }
    if (due.length < TRIGGER_BATCH) return;
  }
}

async function runEvents(
  store: TriggerStore,
  summary: TriggerRunSummary,
  logError: Logger,
): Promise<void> {
  for (let round = 0; round < MAX_TRIGGER_ROUNDS; round++) {
    const events = await store.claimWorkflowTriggerEvents(TRIGGER_BATCH, EVENT_LEASE_SECONDS);
    if (events.length === 0) return;
    const decisions = events.map(decideEvent);
    const answers = await store.dispatchWorkflowTriggerEvents(decisions);
    for (const answer of answers) {
      if (answer.status === 'error') {
        summary.errors++;
        logError('event dispatch failed', { ...answer });
      }
      summary.fired += answer.started ?? 0;
    }
    for (const decision of decisions) {
      for (const result of decision.results) {
        if (result.outcome === 'filtered_out') summary.filtered_out++;
        else if (result.outcome === 'failed') summary.failed++;
      }
    }
    if (events.length < TRIGGER_BATCH) return;
  }
}

/**
 * Fires the due schedules, then the pending app events. Never throws: a failing part is
 * logged and counted in `errors`, and the other part still runs.
 */
export async function runTriggers(
  store: TriggerStore,
  logError: Logger,
  now: () => Date = () => new Date(),
): Promise<TriggerRunSummary> {
  const summary: TriggerRunSummary = { fired: 0, failed: 0, filtered_out: 0, errors: 0 };
  try {
    await runSchedules(store, summary, logError, now);
  } catch (err) {
    summary.errors++;
    logError('workflow schedules failed', { error: String(err) });
  }
  try {
    await runEvents(store, summary, logError);
  } catch (err) {
    summary.errors++;
    logError('workflow trigger events failed', { error: String(err) });
  }
  return summary;
}
