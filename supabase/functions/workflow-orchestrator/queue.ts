// The orchestrator's two database calls (20261122004400_job_queue.sql): claim a batch of
// due steps, finish a batch of results. Two ways to reach them:
//
// - `postgres`: a direct connection with npm:postgres over SUPABASE_DB_URL (set for every
//   function on hosted Supabase too), kept warm at module scope so an invocation pays no
//   connection set-up.
// - `rest`: supabase-js `.rpc()` with the service client, through PostgREST.
//
// Measured on the native stack (2,000 one-step echo jobs, one orchestrator, a shared 2-CPU
// machine): both reach ~600-900 jobs/s, the database calls dominating either way. Direct
// Postgres is the default because it keeps PostgREST (a process and an HTTP hop per call)
// out of the path; `rest` remains for projects without a DB URL (ORCHESTRATOR_DB=rest forces
// it). Figures: docs/workflows-contract.md, "Orchestrator".
import postgres from 'npm:postgres@3.4.7';
import { createClient } from 'npm:@supabase/supabase-js@2';
import { storableJson } from '../_shared/jsonb-text.ts';
import type {
  AutomatedStart,
  AutomatedStartAnswer,
  AutomatedTaskStore,
  DueAutomatedTask,
  WorkflowInputsRow,
} from '../_shared/automated-steps.ts';
import type { ProjectForResolve } from '../_shared/domain/automated-steps.ts';
import type {
  ClaimedEvent,
  DispatchAnswer,
  DueSchedule,
  ScheduleAnswer,
  TriggerStore,
} from '../_shared/workflow-triggers.ts';
import type { ClaimedStep, StepResult } from '../_shared/executor-protocol.ts';
import type {
  AdvanceAnswer,
  FlowRunDecision,
  FlowRunEvaluation,
  FlowRunStore,
} from '../_shared/flow-runs.ts';
import { retryWholeAborts } from './transient-retry.ts';

/**
 * Also the flow runs' store (20261122006300_flow_runs.sql): evaluations and advances; and the
 * automated steps' (20261122009100_automated_steps.sql): due tasks and their starts; and the
 * triggers' (20261122009400_workflow_triggers.sql): due schedules and the app event outbox.
 */
export interface Queue extends FlowRunStore, AutomatedTaskStore, TriggerStore {
  readonly kind: 'postgres' | 'rest';
  /** Due steps, of `workflowIds` only when given. */
  claim(
    worker: string,
    limit: number,
    /** null: each step's transformer timeout + 15 s (decided by the claim). */
    leaseSeconds: number | null,
    workflowIds?: readonly string[],
  ): Promise<ClaimedStep[]>;
  finish(worker: string, results: StepResult[]): Promise<FinishAnswer[]>;
  /** Resolves once the queue can be reached (a worker's "ready"). */
  ready(): Promise<void>;
}

export interface FinishAnswer {
  job_id: string;
  applied: boolean;
  status: string | null;
}

export function postgresQueue(dbUrl: string): Queue {
  const sql = postgres(dbUrl, {
    // Claims and finishes of one invocation overlap (the pipeline), and several invocations
    // share an isolate: a few connections, not one.
    max: 4,
    idle_timeout: 60,
    // Safe behind Supavisor's transaction mode as well.
    prepare: false,
    connection: { application_name: 'workflow-orchestrator' },
    onnotice: () => undefined,
  });
  return {
    kind: 'postgres',
    async claim(worker, limit, leaseSeconds, workflowIds) {
      // The uuids were validated (options.ts), so an array literal is safe.
      const ids = workflowIds ? `{${workflowIds.join(',')}}` : null;
      const rows = await sql<{ claimed: ClaimedStep[] }[]>`
        select public.claim_workflow_steps(
          ${worker}, ${limit}::int, ${leaseSeconds}::int, ${ids}::text::uuid[]) as claimed`;
      return rows[0]?.claimed ?? [];
    },
    async finish(worker, results) {
      // storableJson: one output Postgres cannot store must not sink the whole batch.
      const payload = storableJson(results);
      const rows = await retryWholeAborts(
        () => sql<{ answers: FinishAnswer[] }[]>`
          select public.finish_workflow_steps(${worker}, ${payload}::text::jsonb) as answers`,
      );
      return rows[0]?.answers ?? [];
    },
    async flowRunEvaluations(limit) {
      const rows = await sql<{ due: FlowRunEvaluation[] }[]>`
        select public.flow_run_evaluations(${limit}::int) as due`;
      return rows[0]?.due ?? [];
    },
    async advanceFlowRun(runFlowId, decision) {
      const payload = storableJson(decision);
      const rows = await sql<{ answer: AdvanceAnswer }[]>`
        select public.advance_flow_run(${runFlowId}::uuid, ${payload}::text::jsonb) as answer`;
      return rows[0]!.answer;
    },
    async dueAutomatedTasks(limit) {
      const rows = await sql<{ due: DueAutomatedTask[] | null }[]>`
        select public.due_automated_tasks(${limit}::int) as due`;
      return rows[0]?.due ?? [];
    },
    async startAutomatedTaskJobs(starts: AutomatedStart[]) {
      const payload = storableJson(starts);
      const rows = await sql<{ answers: AutomatedStartAnswer[] | null }[]>`
        select public.start_automated_task_jobs(${payload}::text::jsonb) as answers`;
      return rows[0]?.answers ?? [];
    },
    async workflowInputs(workflowIds) {
      return await sql<WorkflowInputsRow[]>`
        select w.id, w.organisation_id, w.definition -> 'inputs' as inputs
        from public.workflows as w
        where w.id = any(${`{${workflowIds.join(',')}}`}::text::uuid[])`;
    },
    async projectsForResolve(projectIds) {
      // The environment's secrets through the same service-role function the flow runs use.
      return await sql<ProjectForResolve[]>`
        select p.id, p.organisation_id, p.variables, p.api_hosts,
          case when e.id is null then null else jsonb_build_object(
            'name', e.name, 'api_hosts', e.api_hosts, 'variables', e.variables,
            'secrets', public.flow_run_secret_values(e.id)) end as environment
        from public.projects as p
        left join public.environments as e
          on e.id = p.environment_id and e.organisation_id = p.organisation_id
        where p.id = any(${`{${projectIds.join(',')}}`}::text::uuid[])`;
    },
    async dueWorkflowSchedules(limit) {
      const rows = await sql<{ due: DueSchedule[] | null }[]>`
        select public.due_workflow_schedules(${limit}::int) as due`;
      return rows[0]?.due ?? [];
    },
    async advanceWorkflowSchedules(items) {
      const payload = JSON.stringify(items);
      const rows = await sql<{ answers: ScheduleAnswer[] | null }[]>`
        select public.advance_workflow_schedules(${payload}::text::jsonb) as answers`;
      return rows[0]?.answers ?? [];
    },
    async claimWorkflowTriggerEvents(limit, leaseSeconds) {
      const rows = await sql<{ events: ClaimedEvent[] | null }[]>`
        select public.claim_workflow_trigger_events(${limit}::int, ${leaseSeconds}::int) as events`;
      return rows[0]?.events ?? [];
    },
    async dispatchWorkflowTriggerEvents(decisions) {
      const payload = JSON.stringify(decisions);
      const rows = await sql<{ answers: DispatchAnswer[] | null }[]>`
        select public.dispatch_workflow_trigger_events(${payload}::text::jsonb) as answers`;
      return rows[0]?.answers ?? [];
    },
    async ready() {
      await sql`select 1`;
    },
  };
}

export function restQueue(supabaseUrl: string, serviceRoleKey: string): Queue {
  const client = createClient(supabaseUrl, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  return {
    kind: 'rest',
    async claim(worker, limit, leaseSeconds, workflowIds) {
      const { data, error } = await client.rpc('claim_workflow_steps', {
        p_worker: worker,
        p_limit: limit,
        p_lease_seconds: leaseSeconds,
        ...(workflowIds ? { p_workflow_ids: workflowIds } : {}),
      });
      if (error) throw new Error(`claim_workflow_steps: ${error.message}`);
      return (data ?? []) as ClaimedStep[];
    },
    async finish(worker, results) {
      const payload = JSON.parse(storableJson(results)) as unknown;
      const data = await retryWholeAborts(async () => {
        const { data, error } = await client.rpc('finish_workflow_steps', {
          p_worker: worker,
          p_results: payload,
        });
        // Keep the SQLSTATE: retryWholeAborts reads it.
        if (error)
          throw Object.assign(new Error(`finish_workflow_steps: ${error.message}`), {
            code: error.code,
          });
        return data;
      });
      return (data ?? []) as FinishAnswer[];
    },
    async flowRunEvaluations(limit) {
      const { data, error } = await client.rpc('flow_run_evaluations', { p_limit: limit });
      if (error) throw new Error(`flow_run_evaluations: ${error.message}`);
      return (data ?? []) as unknown as FlowRunEvaluation[];
    },
    async advanceFlowRun(runFlowId, decision: FlowRunDecision) {
      const { data, error } = await client.rpc('advance_flow_run', {
        p_run_flow_id: runFlowId,
        p_decision: JSON.parse(storableJson(decision)) as unknown,
      });
      if (error) throw new Error(`advance_flow_run: ${error.message}`);
      return data as unknown as AdvanceAnswer;
    },
    async dueAutomatedTasks(limit) {
      const { data, error } = await client.rpc('due_automated_tasks', { p_limit: limit });
      if (error) throw new Error(`due_automated_tasks: ${error.message}`);
      return (data ?? []) as unknown as DueAutomatedTask[];
    },
    async startAutomatedTaskJobs(starts) {
      const { data, error } = await client.rpc('start_automated_task_jobs', {
        p_starts: JSON.parse(storableJson(starts)) as unknown,
      });
      if (error) throw new Error(`start_automated_task_jobs: ${error.message}`);
      return (data ?? []) as unknown as AutomatedStartAnswer[];
    },
    async workflowInputs(workflowIds) {
      const { data, error } = await client
        .from('workflows')
        .select('id, organisation_id, inputs:definition->inputs')
        .in('id', workflowIds);
      if (error) throw new Error(`workflows: ${error.message}`);
      return (data ?? []) as unknown as WorkflowInputsRow[];
    },
    async projectsForResolve(projectIds) {
      const { data, error } = await client
        .from('projects')
        .select(
          'id, organisation_id, variables, api_hosts, ' +
            'environment:environments(id, name, api_hosts, variables)',
        )
        .in('id', projectIds);
      if (error) throw new Error(`projects: ${error.message}`);
      type Row = Omit<ProjectForResolve, 'environment'> & {
        environment:
          | (Omit<NonNullable<ProjectForResolve['environment']>, 'secrets'> & {
              id: string;
            })
          | null;
      };
      return await Promise.all(
        ((data ?? []) as unknown as Row[]).map(async ({ environment, ...project }) => {
          if (!environment) return { ...project, environment: null };
          const secrets = await client.rpc('flow_run_secret_values', {
            p_environment_id: environment.id,
          });
          if (secrets.error) throw new Error(`flow_run_secret_values: ${secrets.error.message}`);
          return {
            ...project,
            environment: {
              ...environment,
              secrets: (secrets.data ?? {}) as Record<string, string>,
            },
          };
        }),
      );
    },
    async dueWorkflowSchedules(limit) {
      const { data, error } = await client.rpc('due_workflow_schedules', { p_limit: limit });
      if (error) throw new Error(`due_workflow_schedules: ${error.message}`);
      return (data ?? []) as unknown as DueSchedule[];
    },
    async advanceWorkflowSchedules(items) {
      const { data, error } = await client.rpc('advance_workflow_schedules', {
        p_items: items,
      });
      if (error) throw new Error(`advance_workflow_schedules: ${error.message}`);
      return (data ?? []) as unknown as ScheduleAnswer[];
    },
    async claimWorkflowTriggerEvents(limit, leaseSeconds) {
      const { data, error } = await client.rpc('claim_workflow_trigger_events', {
        p_limit: limit,
        p_lease_seconds: leaseSeconds,
      });
      if (error) throw new Error(`claim_workflow_trigger_events: ${error.message}`);
      return (data ?? []) as unknown as ClaimedEvent[];
    },
    async dispatchWorkflowTriggerEvents(decisions) {
      const { data, error } = await client.rpc('dispatch_workflow_trigger_events', {
        p_decisions: decisions,
      });
      if (error) throw new Error(`dispatch_workflow_trigger_events: ${error.message}`);
      return (data ?? []) as unknown as DispatchAnswer[];
    },
    async ready() {
      const { error } = await client.from('transformers').select('id').limit(1);
      if (error) throw new Error(`transformers: ${error.message}`);
    },
  };
}

/** The queue the environment allows: direct Postgres when there is a DB URL. */
export function queueFromEnv(env: (name: string) => string | undefined): Queue {
  const url = env('SUPABASE_URL');
  const key = env('SUPABASE_SERVICE_ROLE_KEY');
  const dbUrl = env('SUPABASE_DB_URL');
  const choice = env('ORCHESTRATOR_DB');
  if (dbUrl && choice !== 'rest') return postgresQueue(dbUrl);
  if (!url || !key) throw new Error('SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY must be set');
  return restQueue(url, key);
}
