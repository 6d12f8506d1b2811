// Automated sequence steps, the orchestrator's half (issue 14; docs/automation-contract.md,
// "Automated steps"; docs/automation/orchestrator-and-inputs.md). SQL keeps the state and
// starts each job once under the task's lock (20261122009100_automated_steps.sql); this
// module resolves what SQL cannot, with the domain's rules:
//
//   due_automated_tasks ──▶ the workflows' declared inputs, the projects' variables (with
//   (oldest due first)      their environments' secrets, service role) ──▶ resolveAutomatedInputs
//                           ──▶ start_automated_task_jobs (input | error → needs_attention)
//
// The orchestrator calls startDueAutomatedTasks once at the start of every run and after a
// finish that ended a job (the task's next step may be an automated one due at once); a job it
// starts is claimed in the same run. Two orchestrators may resolve the same task: the start
// locks it and the second answers `skipped`. No Deno APIs: vitest loads it.
import {
  inputProblemsMessage,
  resolveAutomatedInputs,
  type ProjectForResolve,
} from './domain/automated-steps.ts';
import { workflowInputsOf } from './domain/flows/validate-sequence.ts';

/** One task due_automated_tasks hands out. */
export interface DueAutomatedTask {
  task_id: string;
  organisation_id: string;
  restaurant_id: string | null;
  sequence_instance_id: string;
  step_order: number;
  workflow_id: string | null;
  input_map: unknown;
  run_as: string | null;
  restaurant: Record<string, unknown> | null;
  rep: Record<string, unknown> | null;
  /** "<step_order>" → that automated step's output. */
  step_outputs: Record<string, unknown> | null;
}

/** What start_automated_task_jobs takes for one task. */
export type AutomatedStart =
  | {
      task_id: string;
      /** Real (secrets in clear): what the job runs with. */
      input_data: Record<string, unknown>;
      /** What jobs.input_data records, when it differs (a secret was resolved). */
      input_data_masked?: Record<string, unknown>;
      redact?: string[];
    }
  | { task_id: string; error: { code: string; message: string } };

export interface AutomatedStartAnswer {
  task_id: string;
  job_id: string | null;
  status: 'started' | 'needs_attention' | 'skipped';
}

/** A workflow's current definition's declared inputs, as the start needs them. */
export interface WorkflowInputsRow {
  id: string;
  organisation_id: string;
  /** definition.inputs of the current version (unparsed). */
  inputs: unknown;
}

/** The four calls startDueAutomatedTasks makes (the orchestrator's Queue implements them). */
export interface AutomatedTaskStore {
  dueAutomatedTasks(limit: number): Promise<DueAutomatedTask[]>;
  startAutomatedTaskJobs(starts: AutomatedStart[]): Promise<AutomatedStartAnswer[]>;
  workflowInputs(workflowIds: string[]): Promise<WorkflowInputsRow[]>;
  /** Projects with their linked environment, its secrets' real values included. */
  projectsForResolve(projectIds: string[]): Promise<ProjectForResolve[]>;
}

/**
 * Tasks per round: one due_automated_tasks read and one start_automated_task_jobs call, each
 * set-based. 200 keeps a round's JSON small (a task carries its restaurant and earlier outputs)
 * while 1,000 tasks coming due at once are five rounds (packages/bench: `pnpm bench automated`).
 */
export const AUTOMATED_BATCH = 200;
/** Rounds per call: 5,000 tasks; more wait for the next orchestrator run (every 5 s). */
export const MAX_AUTOMATED_ROUNDS = 25;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The project ids the map's variable sources name (valid uuids or not: the read filters). */
export function projectIdsOf(map: unknown): string[] {
  if (!isRecord(map)) return [];
  const ids = new Set<string>();
  for (const source of Object.values(map)) {
    if (isRecord(source) && source.source === 'variable' && typeof source.project_id === 'string')
      ids.add(source.project_id);
  }
  return [...ids];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One task's start: its input resolved (real, masked, the strings to redact), or the reason it
 * cannot start in words (the task then needs attention, with no job). A workflow that is gone
 * is left to SQL, which says so (it also knows archived and trashed).
 */
export function planStart(
  task: DueAutomatedTask,
  workflows: ReadonlyMap<string, WorkflowInputsRow>,
  projects: Readonly<Record<string, ProjectForResolve>>,
): AutomatedStart {
  const workflow = task.workflow_id ? workflows.get(task.workflow_id) : undefined;
  const resolution = resolveAutomatedInputs(task.input_map, {
    organisationId: task.organisation_id,
    restaurant: task.restaurant,
    rep: task.rep,
    stepOutputs: task.step_outputs ?? {},
    projects,
    workflowInputs:
      workflow && workflow.organisation_id === task.organisation_id
        ? workflowInputsOf({ inputs: workflow.inputs })
        : undefined,
  });
  if (resolution.errors.length > 0) {
    return {
      task_id: task.task_id,
      error: { code: 'invalid_input', message: inputProblemsMessage(resolution.errors) },
    };
  }
  if (
    resolution.redact.length === 0 &&
    JSON.stringify(resolution.masked) === JSON.stringify(resolution.input)
  )
    return { task_id: task.task_id, input_data: resolution.input };
  return {
    task_id: task.task_id,
    input_data: resolution.input,
    input_data_masked: resolution.masked,
    redact: resolution.redact,
  };
}

/** A start that could not be planned at all (a bug): needs attention rather than due for ever. */
function safePlan(
  task: DueAutomatedTask,
  workflows: ReadonlyMap<string, WorkflowInputsRow>,
  projects: Readonly<Record<string, ProjectForResolve>>,
): AutomatedStart {
  try {
    return planStart(task, workflows, projects);
  } catch (err) {
    return {
      task_id: task.task_id,
      error: {
        code: 'invalid_input',
        message: `The step's inputs could not be resolved: ${String(err).slice(0, 500)}`,
      },
    };
  }
}

export interface AutomatedSummary {
  due: number;
  started: number;
  needs_attention: number;
  skipped: number;
  errors: number;
}

/**
 * Starts every automated task that is due, AUTOMATED_BATCH at a time, until none is left, a
 * round starts nothing (another orchestrator holds the rest) or MAX_AUTOMATED_ROUNDS. A
 * database error ends the call, logged through `onError`; the tasks stay waiting for the next
 * run. Never throws.
 */
export async function startDueAutomatedTasks(
  store: AutomatedTaskStore,
  onError: (message: string, detail: Record<string, unknown>) => void = () => undefined,
  batch: number = AUTOMATED_BATCH,
): Promise<AutomatedSummary> {
  const summary: AutomatedSummary = {
    due: 0,
    started: 0,
    needs_attention: 0,
    skipped: 0,
    errors: 0,
  };
  for (let round = 0; round < MAX_AUTOMATED_ROUNDS; round++) {
    let due: DueAutomatedTask[];
    let answers: AutomatedStartAnswer[];
    try {
      due = await store.dueAutomatedTasks(batch);
      if (due.length === 0) break;
      summary.due += due.length;
      const workflowIds = [...new Set(due.flatMap((t) => (t.workflow_id ? [t.workflow_id] : [])))];
      const projectIds = [...new Set(due.flatMap((t) => projectIdsOf(t.input_map)))].filter((id) =>
        UUID.test(id),
      );
      const [workflowRows, projectRows] = await Promise.all([
        workflowIds.length > 0 ? store.workflowInputs(workflowIds) : Promise.resolve([]),
        projectIds.length > 0 ? store.projectsForResolve(projectIds) : Promise.resolve([]),
      ]);
      const workflows = new Map(workflowRows.map((w) => [w.id, w]));
      const projects: Record<string, ProjectForResolve> = {};
      for (const project of projectRows) projects[project.id] = project;
      answers = await store.startAutomatedTaskJobs(
        due.map((task) => safePlan(task, workflows, projects)),
      );
    } catch (err) {
      summary.errors++;
      onError('automated task starts failed', { round, error: String(err) });
      break;
    }
    let progress = 0;
    for (const answer of answers) {
      if (answer.status === 'started') summary.started++;
      else if (answer.status === 'needs_attention') summary.needs_attention++;
      else summary.skipped++;
      if (answer.status !== 'skipped') progress++;
    }
    if (progress === 0 || due.length < batch) break;
  }
  return summary;
}
