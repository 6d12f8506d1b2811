import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The orchestrator's loop when the database fails it (issue 10 §1: a failed claim was fatal,
// so one tenant's jobs that broke every claim halted the engine for all). The loop runs
// under Deno, as in the functions runtime, against a queue that fails on purpose; its steps
// name no transformer, so each fails before any executor call and nothing but the fake
// queue is reached.

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const denoBin = join(
  dirname(
    createRequire(join(repoRoot, 'packages/local-stack/package.json')).resolve('deno/package.json'),
  ),
  'deno',
);
const orchestrator = pathToFileURL(
  join(repoRoot, 'supabase/functions/workflow-orchestrator/orchestrator.ts'),
).href;

interface Outcome {
  summary?: {
    claimed: number;
    failed: number;
    lost: number;
    errors: number;
    automated_started?: number;
    triggers_fired?: number;
  };
  thrown?: string;
  claims: number;
  /** Each finish call: its results as `job_id:error code` and its JSON length. */
  finishes: { results: string[]; chars: number }[];
}

/** Runs runOrchestrator once over `script`'s fake queue; returns what the queue saw. */
function drill(script: string): Outcome {
  const code = `
    import { runOrchestrator } from ${JSON.stringify(orchestrator)};
    const claim = (job_id, transformer_id = 'gone') => ({
      job_id, attempt: 1, organisation_id: 'o', user_id: 'u', workflow_id: 'w',
      workflow_version: 1, step_id: 'a', step: { transformer_id }, last_step: true,
      output_map: null, input_data: {}, step_data: {}, retry_count: 0, max_retries: 3,
      transformer: null });
    const seen = { claims: 0, finishes: [] };
    ${script}
    const queue = { kind: 'postgres', claim: claimFn, finish: async (worker, results) => {
      seen.finishes.push({ results: results.map((r) => r.job_id + ':' + (r.error?.code ?? '')),
        chars: JSON.stringify(results).length });
      await finishFn(results);
      return results.map((r) => ({ job_id: r.job_id, applied: true, status: 'failed' }));
    }, ready: async () => {},
    // No flow runs wait (the loop asks once per run).
    flowRunEvaluations: async () => [], advanceFlowRun: async () => ({ applied: false, run_status: null }),
    // No automated task is due unless the script says so (dueFn, startFn).
    dueAutomatedTasks: typeof dueFn === 'function' ? dueFn : async () => [],
    startAutomatedTaskJobs: typeof startFn === 'function' ? startFn : async () => [],
    workflowInputs: async () => [], projectsForResolve: async () => [],
    // No schedule is due and no app event waits unless the script says so (schedulesFn, eventsFn).
    dueWorkflowSchedules: typeof schedulesFn === 'function' ? schedulesFn : async () => [],
    advanceWorkflowSchedules: typeof advanceFn === 'function' ? advanceFn : async () => [],
    claimWorkflowTriggerEvents: typeof eventsFn === 'function' ? eventsFn : async () => [],
    dispatchWorkflowTriggerEvents: async () => [] };
    let out;
    try {
      out = { summary: await runOrchestrator(queue, { functionsUrl: 'http://127.0.0.1:9', serviceRoleKey: '' },
        { worker: 'drill', budgetMs: 10000, batchSize: 100, concurrency: 200, executorBatch: 100, logSteps: false }) };
    } catch (err) { out = { thrown: String(err) }; }
    console.log('DRILL ' + JSON.stringify({ ...out, ...seen }));
  `;
  const run = spawnSync(denoBin, ['eval', '--no-lock', '--node-modules-dir=none', code], {
    encoding: 'utf8',
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('DRILL '));
  if (!line) throw new Error(`no outcome: ${run.stderr}`);
  return JSON.parse(line.slice('DRILL '.length)) as Outcome;
}

describe('orchestrator under database failures', () => {
  it('goes on when starting automated tasks fails (issue 14: the starts never stop the loop)', () => {
    const out = drill(`
      const dueFn = async () => { throw new Error('due_automated_tasks: connection reset'); };
      const claimFn = async () => (++seen.claims === 1 ? [claim('j1'), claim('j2')] : []);
      const finishFn = async () => {};
    `);
    expect(out.thrown).toBeUndefined();
    expect(out.summary).toMatchObject({ claimed: 2, failed: 2, lost: 0, automated_started: 0 });
    // Once at the start and once after the finish that ended the jobs; each logged, none fatal.
    expect(out.summary!.errors).toBeGreaterThanOrEqual(1);
  });

  it('claims the job an automated start made in the same run, though its first claim found none', () => {
    const out = drill(`
      let started = false;
      let dueCalls = 0;
      const dueFn = async () => (++dueCalls === 1 ? [{ task_id: 't1', organisation_id: 'o',
        restaurant_id: 'r', sequence_instance_id: 'i', step_order: 2, workflow_id: null,
        input_map: { data: { source: 'value', value: 'hi' } }, run_as: 'u',
        restaurant: { name: 'R' }, rep: null, step_outputs: {} }] : []);
      const startFn = async (starts) => {
        // A slow start: the loop's first claim has answered (empty) before it lands.
        await new Promise((resolve) => setTimeout(resolve, 200));
        if (starts[0].input_data?.data !== 'hi') throw new Error('unexpected start ' + JSON.stringify(starts));
        started = true;
        return [{ task_id: 't1', job_id: 'j1', status: 'started' }];
      };
      const claimFn = async () => { seen.claims++; if (!started) return []; started = false; return [claim('j1')]; };
      const finishFn = async () => {};
    `);
    expect(out.thrown).toBeUndefined();
    expect(out.summary).toMatchObject({ claimed: 1, failed: 1, errors: 0, automated_started: 1 });
    expect(out.claims).toBeGreaterThanOrEqual(2);
  });

  it('goes on when the triggers fail (issue 14 §3: schedules and app events never stop the loop)', () => {
    const out = drill(`
      const schedulesFn = async () => { throw new Error('due_workflow_schedules: connection reset'); };
      const eventsFn = async () => { throw new Error('claim_workflow_trigger_events: timeout'); };
      const claimFn = async () => (++seen.claims === 1 ? [claim('j1')] : []);
      const finishFn = async () => {};
    `);
    expect(out.thrown).toBeUndefined();
    expect(out.summary).toMatchObject({ claimed: 1, failed: 1, lost: 0, triggers_fired: 0 });
    // One each for the schedules and the events, logged; the claims went on.
    expect(out.summary!.errors).toBe(2);
  });

  it('claims the job a schedule started in the same run (triggers fire before the first claim)', () => {
    const out = drill(`
      let started = false;
      let dueCalls = 0;
      const schedulesFn = async () => (++dueCalls === 1 ? [{ trigger_id: 't1', cron: '* * * * *',
        time_zone: 'Europe/London', next_fire_at: '2026-01-01T00:00:00.000Z' }] : []);
      const advanceFn = async (items) => {
        // The next tick is computed from now in the zone, not from the missed one.
        if (items.length !== 1 || items[0].expected !== '2026-01-01T00:00:00.000Z'
            || !(new Date(items[0].next_fire_at) > new Date())) throw new Error('unexpected ' + JSON.stringify(items));
        started = true;
        return [{ trigger_id: 't1', status: 'fired', firing: { status: 'started', replayed: false, job_id: 'j1' } }];
      };
      const claimFn = async () => { seen.claims++; if (!started) return []; started = false; return [claim('j1')]; };
      const finishFn = async () => {};
    `);
    expect(out.thrown).toBeUndefined();
    expect(out.summary).toMatchObject({ claimed: 1, failed: 1, errors: 0, triggers_fired: 1 });
  });

  it('goes on after a failed claim and runs what the next claim brings', () => {
    const out = drill(`
      const claimFn = async () => {
        seen.claims++;
        if (seen.claims === 1) throw new Error('total size of jsonb array elements exceeds the maximum');
        return seen.claims === 2 ? [claim('j1'), claim('j2')] : [];
      };
      const finishFn = async () => {};
    `);
    expect(out.thrown).toBeUndefined();
    expect(out.summary).toMatchObject({ claimed: 2, failed: 2, errors: 1, lost: 0 });
    // The failed claim, the one that brings j1 and j2, an empty one; and one more empty claim
    // when their finish landed while that one ran (it may have seen them still running).
    expect(out.claims).toBeGreaterThanOrEqual(3);
    expect(out.claims).toBeLessThanOrEqual(4);
  }, 120_000);

  it('claims again when a finish landed during an empty claim (it may have freed the room the claim saw taken)', () => {
    const out = drill(`
      const claimFn = async () => {
        seen.claims++;
        if (seen.claims === 1) return [claim('j1')];
        // Slower than the finish of j1: the database answered before that finish committed.
        if (seen.claims === 2) return new Promise((resolve) => setTimeout(() => resolve([]), 300));
        return seen.claims === 3 ? [claim('j2')] : [];
      };
      const finishFn = () => new Promise((resolve) => setTimeout(resolve, 50));
    `);
    expect(out.thrown).toBeUndefined();
    expect(out.summary).toMatchObject({ claimed: 2, failed: 2, lost: 0 });
  }, 120_000);

  it('isolates a result the database refuses and records it as a failed step; the rest are applied', () => {
    const out = drill(`
      const claimFn = async () => {
        seen.claims++;
        return seen.claims === 1 ? ['a', 'b', 'poison', 'c', 'd'].map((id) => claim(id)) : [];
      };
      const finishFn = async (results) => {
        if (results.some((r) => r.job_id === 'poison' && r.error.code !== 'finish_failed'))
          throw new Error('cannot store this result');
      };
    `);
    expect(out.thrown).toBeUndefined();
    const applied = out.finishes
      .filter((f) => !f.results.some((r) => r.startsWith('poison:transformer_not_found')))
      .flatMap((f) => f.results);
    expect(applied.sort()).toEqual([
      'a:transformer_not_found',
      'b:transformer_not_found',
      'c:transformer_not_found',
      'd:transformer_not_found',
      'poison:finish_failed',
    ]);
    expect(out.summary).toMatchObject({ claimed: 5, failed: 5, lost: 0 });
  }, 120_000);

  it('sends at most 8 MiB of results per finish call, and a result over 16 MiB as a failure', () => {
    // A step's error names its transformer id: 3 MiB ids make 3 MiB results.
    const out = drill(`
      const mib = (n) => 'x'.repeat(n * 1024 * 1024);
      const claimFn = async () => {
        seen.claims++;
        return seen.claims === 1
          ? [...['a', 'b', 'c', 'd', 'e'].map((id) => claim(id, mib(3))), claim('huge', mib(17))]
          : [];
      };
      const finishFn = async () => {};
    `);
    expect(out.thrown).toBeUndefined();
    for (const f of out.finishes) expect(f.chars).toBeLessThanOrEqual(8 * 1024 * 1024);
    expect(out.finishes.flatMap((f) => f.results)).toContain('huge:output_too_large');
    expect(out.finishes.flatMap((f) => f.results)).toHaveLength(6);
  }, 120_000);
});
