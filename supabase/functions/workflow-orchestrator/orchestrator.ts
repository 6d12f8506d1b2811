// The orchestrator's loop (docs/workflows-contract.md, "Orchestrator"), a pipeline:
//
//   claim a batch ──▶ run its steps: one executor request per executor in the batch
//        ▲            ({ calls: [...] }, each step answered on its own; up to `concurrency`
//        │            steps in flight)
//        │                         │ results queue up as each request answers
//        └── claim again as slots  ▼
//            free up        finish them in one call; while two calls run, new results
//                           wait for the next one (group commit)
//
// so the database sees two round trips per batch however large it is, an executor one HTTP
// request per batch instead of one per step, and executors never wait for a whole batch to
// be finished. SQL decides each step's next step (finish_workflow_steps); the claim says
// which steps are last, and only for those does a step here compute a final_result. It
// stops when a claim finds nothing and nothing is in flight (the queue is empty: later work
// is the next run's, from cron or a kick), or when the budget is spent; either way it waits
// for the steps it holds and finishes them.
//
// No error of the database stops it (issue 10 §1: a claim failing on one tenant's jobs once
// halted every tenant): a failed claim is tried again after a pause, smaller; a failed finish
// is split until the result that fails it is alone, and that one is recorded as a failed step.
// The claim bounds its own bytes (claim_workflow_steps); a finish call is bounded here.
//
// Flow sequence runs (issue 11): when a finish ends a job that runs a flow (its claim names a
// flow_run_flow_id), and once at the start of every run (what a crashed run left), the loop
// evaluates the runs waiting for a decision (_shared/flow-runs.ts). An advance that starts
// the next flow's job makes the loop claim again rather than stop on the empty claim it saw
// a moment before, so a run's flows follow each other within one invocation.
//
// Automated sequence steps (issue 14): once at the start of every run and after a finish that
// ended a job (the task's sequence may have moved on to an automated step due at once), the
// loop starts the jobs of the automated tasks that are due (_shared/automated-steps.ts); like
// an advance, a start makes the loop claim again, so the new job runs in the same invocation.
//
// Triggers (issue 14 §3): before its first claim, every run fires the schedules that are due
// and the app events waiting in the outbox (_shared/workflow-triggers.ts), so the jobs they
// start are claimed by this same run. Awaited, and it never throws.
import { startDueAutomatedTasks } from '../_shared/automated-steps.ts';
import type { ClaimedStep } from '../_shared/executor-protocol.ts';
import { evaluateFlowRuns } from '../_shared/flow-runs.ts';
import { log } from '../_shared/logger.ts';
import { runTriggers } from '../_shared/workflow-triggers.ts';
import type { Queue } from './queue.ts';
import { runSteps, type ExecutorTarget, type Finished } from './run-step.ts';

export interface OrchestratorOptions {
  worker: string;
  /** Stop claiming after this long (ms); steps already claimed still run and are finished. */
  budgetMs: number;
  /** Most steps claimed per call. */
  batchSize: number;
  /** Most steps running at once. */
  concurrency: number;
  /** Most steps of one claim sent to an executor in one request (1: one request per step). */
  executorBatch: number;
  /** One lease for every step claimed; undefined = each step's transformer timeout + 15 s. */
  leaseSeconds?: number;
  /** Log one line per step (the default; off only to measure what logging costs). */
  logSteps?: boolean;
  /** Only these workflows' jobs (a dedicated worker); undefined = any. */
  workflowIds?: readonly string[];
  /** Start due automated sequence tasks (the default; off only to measure what it costs). */
  automatedSteps?: boolean;
}

export interface OrchestratorSummary {
  worker: string;
  claimed: number;
  succeeded: number;
  failed: number;
  /** Results the database refused: the lease ran out meanwhile or the job was cancelled. */
  lost: number;
  /** Claim and finish calls that failed (logged; the run went on). */
  errors: number;
  /** Flow run flows decided and applied (advance_flow_run), and flow jobs that started. */
  flow_runs_advanced: number;
  /** Automated sequence tasks whose job this run started (and those that need attention). */
  automated_started: number;
  automated_needs_attention: number;
  /** Jobs that schedules and app events started this run (triggers). */
  triggers_fired: number;
  duration_ms: number;
}

const JOB_ENDED = new Set(['completed', 'failed', 'cancelled']);

/** Most results per finish call (one set-based statement in one transaction). */
const MAX_FINISH = 500;
/**
 * Finish calls in flight at once (disjoint jobs, each call locking in id order: no deadlock),
 * and the smallest claim (as a fraction of min(batch_size, concurrency)) worth a round trip
 * while steps are running. On 3,000 echo jobs with one worker, two finishers beat one in
 * each of three alternating pairs (997/759, 691/659, 818/806 jobs/s on a loaded shared
 * machine); claims of at least a half or a tenth of a batch made no measurable difference,
 * so a quarter: a job arriving under load waits for a quarter of the slots at most.
 */
const FINISHERS = 2;
const MIN_CLAIM = 0.25;
/**
 * Most JSON characters of results per finish call (at least one result per call).
 * finish_workflow_steps takes them as one jsonb array, which Postgres caps at 256 MiB and
 * which is up to ~6x its text; 8 MiB is far below that and above a default batch of echo
 * results (~100-300 bytes each).
 */
export const MAX_FINISH_CHARS = 8 * 1024 * 1024;
/**
 * A result larger than this is recorded as a failed step (output_too_large) instead: its
 * job's step_data would outgrow what a claim takes (job_max_bytes, 32 MiB). A job at the
 * input cap (4 MiB) echoed by a step is ~12 MiB of result (input, output, final_result).
 */
export const MAX_RESULT_CHARS = 16 * 1024 * 1024;
/**
 * Least time between the starts of two automated-task calls in one run. Asking after every
 * finish that ended a job cost plain 1-step echo jobs ~6-10% of their throughput in `pnpm
 * bench automated` (346 jobs/s against 420 with the asks off, 3 rounds of 1,000 on a loaded
 * 2-CPU machine); spaced, a step chained after an automated one (delay 0) waits this much
 * more at most, against cron's 5 s for one that comes due by the clock.
 */
export const AUTOMATE_SPACING_MS = 250;
/**
 * Time between two looks for due schedules and waiting app events within one run (the first
 * is at its start): an event waits at most this long while a run goes on.
 */
export const TRIGGERS_SPACING_MS = 1000;
/** Pause after a failed claim: doubling from 100 ms up to 2 s while claims keep failing. */
const CLAIM_RETRY_MS = [100, 200, 400, 800, 1600, 2000];

/** A result ready to finish, with its JSON size and whether it already replaced a failing one. */
export interface Ready extends Finished {
  chars: number;
  salvaged?: boolean;
}

/** A finished step as it will be sent: too large a result becomes a failure. */
export function ready(finished: Finished): Ready {
  const chars = JSON.stringify(finished.result).length;
  if (chars <= MAX_RESULT_CHARS) return { ...finished, chars };
  const { result } = finished;
  const failure = {
    job_id: result.job_id,
    attempt: result.attempt,
    step_id: result.step_id,
    duration_ms: result.duration_ms,
    outcome: 'failed' as const,
    error: {
      code: 'output_too_large',
      message: `The step's result is ${chars} characters of JSON, more than the queue takes (${MAX_RESULT_CHARS})`,
      retryable: false,
    },
  };
  return { claim: finished.claim, result: failure, chars: JSON.stringify(failure).length };
}

/** The front of `pending` that one finish call takes: by count and by characters, at least one. */
export function takeBatch(pending: Ready[]): Ready[] {
  let n = 0;
  let chars = 0;
  while (n < pending.length && n < MAX_FINISH) {
    chars += pending[n]!.chars;
    if (n > 0 && chars > MAX_FINISH_CHARS) break;
    n++;
  }
  return pending.splice(0, n);
}

/**
 * What to send again after a finish call failed: a batch split in two (so a result that
 * fails it ends up alone), or a lone result once more as a failed step (retryable: the step
 * runs again, up to the job's retries). A lone failure that fails too is dropped (its lease
 * runs out and the step runs again).
 */
export function afterFailedFinish(batch: Ready[], err: unknown): Ready[][] {
  if (batch.length > 1) {
    const half = Math.ceil(batch.length / 2);
    return [batch.slice(0, half), batch.slice(half)];
  }
  const one = batch[0];
  if (!one || one.salvaged) return [];
  const { result } = one;
  const failure = {
    job_id: result.job_id,
    attempt: result.attempt,
    step_id: result.step_id,
    duration_ms: result.duration_ms,
    outcome: 'failed' as const,
    error: {
      code: 'finish_failed',
      message: `The step's result could not be saved: ${String(err).slice(0, 500)}`,
      retryable: true,
    },
  };
  return [
    [{ claim: one.claim, result: failure, chars: JSON.stringify(failure).length, salvaged: true }],
  ];
}

export async function runOrchestrator(
  queue: Queue,
  target: ExecutorTarget,
  options: OrchestratorOptions,
): Promise<OrchestratorSummary> {
  const started = performance.now();
  const deadline = started + options.budgetMs;
  const { worker } = options;
  const logSteps = options.logSteps ?? true;
  const summary: OrchestratorSummary = {
    worker,
    claimed: 0,
    succeeded: 0,
    failed: 0,
    lost: 0,
    errors: 0,
    flow_runs_advanced: 0,
    automated_started: 0,
    automated_needs_attention: 0,
    triggers_fired: 0,
    duration_ms: 0,
  };
  // null: claim_workflow_steps leases each step for its transformer's timeout + 15 s.
  const leaseSeconds = options.leaseSeconds ?? null;

  const minClaim = Math.ceil(Math.min(options.batchSize, options.concurrency) * MIN_CLAIM);
  let inFlight = 0;
  const pending: Ready[] = [];
  // Parts of failed finish calls, each sent again as it is (before anything pending).
  const resend: Ready[][] = [];
  // Finish calls in flight (each a disjoint set of jobs, so they cannot deadlock).
  let finishing = 0;
  let claimFailures = 0;
  // Where the time goes, for the summary log line.
  const db = { claims: 0, claim_ms: 0, finishes: 0, finish_ms: 0 };

  // Anything that may let the loop make progress (a step done, a finish done) wakes it; a
  // wake-up that comes while the loop is busy is remembered, not lost.
  let wake: (() => void) | null = null;
  let dirty = false;
  const changed = (): Promise<void> => {
    if (dirty) {
      dirty = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => (wake = resolve));
  };
  const notify = (): void => {
    if (wake) {
      const resolve = wake;
      wake = null;
      resolve();
    } else dirty = true;
  };

  // Flow run evaluations: one at a time (each reads every run flow waiting), another asked
  // for while one runs is run after it; `moreWork` says an advance started a job since the
  // last claim began.
  let evaluating = false;
  let evaluateAgain = false;
  let moreWork = false;
  // A finish that committed while a claim ran: that claim may have counted the finished
  // steps as still running (the organisation's cap of running steps) and found no room, so
  // an empty answer then proves nothing. Seen in `pnpm bench`: one orchestrator stopped with
  // 100 of 2,000 jobs pending, the cap's worth, and nothing else working.
  let finishedDuringClaim = false;
  // A finish that committed while the loop waited (below): its jobs' next steps may be due.
  let finishedDuringWait = false;
  const evaluate = (): void => {
    if (evaluating) {
      evaluateAgain = true;
      return;
    }
    evaluating = true;
    evaluateAgain = false;
    void (async () => {
      try {
        const result = await evaluateFlowRuns(queue, (msg, detail) =>
          log('error', msg, { worker, ...detail }),
        );
        summary.flow_runs_advanced += result.applied;
        summary.errors += result.errors;
        if (result.started > 0) moreWork = true;
      } catch (err) {
        summary.errors++;
        log('error', 'flow_run_evaluations failed', { worker, error: String(err) });
      } finally {
        evaluating = false;
        // Wake the loop only if it waits (for this evaluation, or for work it may have
        // started); a wake-up remembered for later would cost a claim for nothing.
        if (evaluateAgain) evaluate();
        else if (wake) notify();
      }
    })();
  };

  // Automated task starts: one call at a time, as evaluations; one asked for meanwhile runs
  // after it (the finish that asked may have made a task due after the call's read), and
  // not sooner than AUTOMATE_SPACING_MS after the previous one began. `automating` covers the
  // wait too, so a run does not end before a start it owes.
  const automatedSteps = options.automatedSteps ?? true;
  let automating = false;
  let automateAgain = false;
  let lastAutomate = -Infinity;
  const automate = (): void => {
    if (!automatedSteps) return;
    if (automating) {
      automateAgain = true;
      return;
    }
    automating = true;
    automateAgain = false;
    const wait = lastAutomate + AUTOMATE_SPACING_MS - performance.now();
    void (async () => {
      try {
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        lastAutomate = performance.now();
        const result = await startDueAutomatedTasks(queue, (msg, detail) =>
          log('error', msg, { worker, ...detail }),
        );
        summary.automated_started += result.started;
        summary.automated_needs_attention += result.needs_attention;
        summary.errors += result.errors;
        if (result.started > 0) moreWork = true;
      } catch (err) {
        summary.errors++;
        log('error', 'automated task starts failed', { worker, error: String(err) });
      } finally {
        automating = false;
        if (automateAgain) automate();
        else if (wake) notify();
      }
    })();
  };

  const flush = (): void => {
    if (finishing >= FINISHERS || (pending.length === 0 && resend.length === 0)) return;
    const batch = resend.shift() ?? takeBatch(pending);
    finishing++;
    void (async () => {
      try {
        const t0 = performance.now();
        const answers = await queue.finish(
          worker,
          batch.map((b) => b.result),
        );
        db.finishes++;
        db.finish_ms += performance.now() - t0;
        finishedDuringClaim = true;
        finishedDuringWait = true;
        const lines: string[] = [];
        const applied = new Map(answers.map((a) => [a.job_id, a]));
        let flowJobEnded = false;
        let jobEnded = false;
        for (const { result, claim } of batch) {
          const answer = applied.get(result.job_id);
          if (answer?.applied && JOB_ENDED.has(answer.status ?? '')) {
            jobEnded = true;
            if (claim.flow_run_flow_id) flowJobEnded = true;
          }
          const outcome = answer?.applied ? result.outcome : 'lost';
          if (outcome === 'succeeded') summary.succeeded++;
          else if (outcome === 'failed') summary.failed++;
          else summary.lost++;
          if (logSteps || outcome !== 'succeeded') {
            lines.push(
              JSON.stringify({
                level: outcome === 'succeeded' ? 'info' : 'warn',
                msg: 'step finished',
                worker,
                job_id: result.job_id,
                step_id: result.step_id,
                transformer_id: claim.transformer?.id ?? null,
                attempt: result.attempt,
                duration_ms: result.duration_ms,
                outcome,
                job_status: answer?.status ?? null,
                ...(result.outcome === 'failed' ? { error: result.error } : {}),
                ...(result.missing_inputs ? { missing_inputs: result.missing_inputs } : {}),
                ...(result.unmatched_outputs
                  ? { unmatched_outputs: result.unmatched_outputs }
                  : {}),
              }),
            );
          }
        }
        // One line per step, written once per batch: step logging cost ~15% of throughput
        // on 2,000 echo jobs (log_steps false: 763 jobs/s against 644), most of it in the
        // writes.
        if (lines.length > 0) console.log(lines.join('\n'));
        if (flowJobEnded) evaluate();
        // The claim does not say which jobs do an automated task, so any job's end asks; a
        // call with nothing due is one index probe (tasks_automation_due_idx).
        if (jobEnded) automate();
      } catch (err) {
        // Not applied. Sent again split (the front of the queue), so one result that cannot
        // be saved fails only its own step; what cannot be sent at all runs again when its
        // lease runs out.
        summary.errors++;
        const again = afterFailedFinish(batch, err);
        const dropped = again.length === 0 ? batch.length : 0;
        summary.lost += dropped;
        resend.unshift(...again);
        log('error', 'finish_workflow_steps failed', {
          worker,
          results: batch.length,
          dropped,
          error: String(err),
        });
      } finally {
        finishing--;
        notify();
        flush();
      }
    })();
  };

  const start = (claims: ClaimedStep[]): void => {
    inFlight += claims.length;
    for (const request of runSteps(target, claims, options.executorBatch)) {
      void request.then((finished) => {
        inFlight -= finished.length;
        for (const f of finished) pending.push(ready(f));
        flush();
        notify();
      });
    }
  };

  // No step of ours running or waiting to be finished (background calls may still run).
  const onlyBackground = (): boolean =>
    inFlight === 0 && pending.length === 0 && resend.length === 0 && !finishing;
  const idle = (): boolean => onlyBackground() && !evaluating && !automating;

  // Schedules due and app events waiting: their jobs are claimed below, in this run.
  const triggers = await runTriggers(queue, (msg, detail) =>
    log('error', msg, { worker, ...detail }),
  );
  summary.triggers_fired += triggers.fired;
  summary.errors += triggers.errors;
  // And again every TRIGGERS_SPACING_MS while the run goes on, in the background: a busy
  // queue keeps one run going for its whole budget (and cron skips its ticks meanwhile), so
  // an app event that arrived after the start waited out the run — over 45 s on a loaded
  // machine, which failed the triggers e2e. One call at a time; the run waits for it to end.
  let triggering = false;
  let claimingOver = false;
  const fireTriggers = (): void => {
    if (triggering) return;
    triggering = true;
    let fired = false;
    void (async () => {
      try {
        const result = await runTriggers(queue, (msg, detail) =>
          log('error', msg, { worker, ...detail }),
        );
        summary.triggers_fired += result.fired;
        summary.errors += result.errors;
        fired = result.fired > 0;
        if (fired) moreWork = true;
      } catch (err) {
        summary.errors++;
        log('error', 'workflow triggers failed', { worker, error: String(err) });
      } finally {
        triggering = false;
        // Wake the loop only for new work (a wake for nothing costs an empty claim while
        // steps run), or the final wait below.
        if (fired || claimingOver) notify();
      }
    })();
  };
  const triggerTimer = setInterval(fireTriggers, TRIGGERS_SPACING_MS);

  // What an earlier run left undecided (it crashed, or its evaluation failed).
  evaluate();
  // Automated tasks that came due since the last run.
  automate();

  claiming: while (performance.now() < deadline) {
    // After failed claims, smaller ones (down to one step) until one succeeds.
    const room = Math.max(
      0,
      Math.min(
        Math.max(1, options.batchSize >> Math.min(claimFailures, 16)),
        options.concurrency - inFlight,
      ),
    );
    // Claim in sizeable batches unless nothing else is running.
    if (room <= 0 || (inFlight > 0 && room < minClaim)) {
      await changed();
      continue;
    }
    let claimed: ClaimedStep[];
    moreWork = false;
    finishedDuringClaim = false;
    try {
      const t0 = performance.now();
      claimed = await queue.claim(worker, room, leaseSeconds, options.workflowIds);
      db.claims++;
      db.claim_ms += performance.now() - t0;
    } catch (err) {
      summary.errors++;
      const pause = CLAIM_RETRY_MS[Math.min(claimFailures, CLAIM_RETRY_MS.length - 1)]!;
      claimFailures++;
      log('error', 'claim_workflow_steps failed', { worker, limit: room, error: String(err) });
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(pause, Math.max(0, deadline - performance.now()))),
      );
      continue;
    }
    claimFailures = 0;
    summary.claimed += claimed.length;
    start(claimed);
    if (claimed.length === room) continue;
    // The queue had less than we asked for. Stop if nothing of ours is pending; otherwise
    // wait for a step or finish: a finished step's next step is due at once.
    // An advance that started a flow's job since this claim began: claim again.
    if (moreWork) continue;
    // Work finished meanwhile may have freed room the claim did not see: look once more.
    if (claimed.length === 0 && finishedDuringClaim) continue;
    if (idle()) break;
    finishedDuringWait = false;
    await changed();
    // Only an evaluation or automated start still going, nothing started and no finish while
    // waiting: the claim above still stands, so wait on rather than claim again, and stop
    // once they are done (without this, every run paid an empty claim or two for the starts
    // asked for after its last finish).
    while (!moreWork && !finishedDuringWait && onlyBackground()) {
      if (idle()) break claiming;
      await changed();
    }
  }

  clearInterval(triggerTimer);
  claimingOver = true;
  while (
    inFlight > 0 ||
    pending.length > 0 ||
    resend.length > 0 ||
    finishing ||
    evaluating ||
    automating ||
    triggering
  ) {
    flush();
    await changed();
  }

  summary.duration_ms = Math.round(performance.now() - started);
  log(summary.errors === 0 ? 'info' : 'warn', 'orchestrator run', {
    ...summary,
    lease_seconds: leaseSeconds ?? 'per step',
    queue: queue.kind,
    claims: db.claims,
    claim_ms: Math.round(db.claim_ms),
    finishes: db.finishes,
    finish_ms: Math.round(db.finish_ms),
  });
  return summary;
}
