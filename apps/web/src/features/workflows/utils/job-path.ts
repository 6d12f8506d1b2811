import { isBranching } from '@forkflow/domain/workflow-branches';
import type { WorkflowDefinition } from '@forkflow/domain/workflow-definition';
import { edgeId, END_NODE_ID, outgoingEdges, type EdgeRef } from './definition-graph';

// What the job page's canvas colours: each step's state in one job and the connections the
// job went along, from the job's events (the orchestrator records every claim, success and
// failure). A step_succeeded event's data says which way it went (`next_step`, and
// `branch`: { index, … } | 'default' for a branching step); events written before branches
// existed lack them, and then the next step that ran says which way it went.

export type StepRunStatus = 'succeeded' | 'failed' | 'running' | 'waiting' | 'not_run';

/** The part of a job event this reads (a job_events row fits). */
export type PathEvent = {
  event_type: string;
  step_id: string | null;
  data: unknown;
};

export type JobPathInput = {
  definition: WorkflowDefinition;
  events: readonly PathEvent[];
  /** jobs.status */
  status: string;
  /** jobs.current_step_id: the step the job waits to run (pending, awaiting_retry). */
  currentStepId: string | null;
};

export type JobPath = {
  statuses: Map<string, StepRunStatus>;
  /** Edge ids (definition-graph's) the job went along. */
  edges: Set<string>;
  /** The job finished its last step (completed). */
  endReached: boolean;
};

const field = (data: unknown, key: string): unknown =>
  typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;

/** The connection a step's success went along, when the event says. */
function recordedEdge(stepId: string, data: unknown): EdgeRef | null {
  const branch = field(data, 'branch');
  if (branch === 'default') return { from: stepId, kind: 'default' };
  const index = field(branch, 'index');
  if (typeof index === 'number') return { from: stepId, kind: 'branch', index };
  return null;
}

export function jobPath({ definition, events, status, currentStepId }: JobPathInput): JobPath {
  const statuses = new Map<string, StepRunStatus>();
  for (const id of Object.keys(definition.steps)) statuses.set(id, 'not_run');
  const edges = new Set<string>();
  // Successes whose way is not recorded, resolved by the next step that starts.
  let unresolved: string | null = null;

  const follow = (from: string, to: string | null) => {
    const step = definition.steps[from];
    if (!step) return;
    const target = to ?? END_NODE_ID;
    // The first connection to that target: for a branching step whose way is not recorded,
    // the earliest branch going there is the one the engine would have drawn first.
    const edge = outgoingEdges(from, step).find((candidate) => candidate.target === target);
    if (edge) edges.add(edge.id);
  };

  for (const event of events) {
    const stepId = event.step_id;
    if (!stepId || !definition.steps[stepId]) continue;
    switch (event.event_type) {
      case 'claimed':
        if (unresolved !== null && unresolved !== stepId) follow(unresolved, stepId);
        unresolved = null;
        statuses.set(stepId, 'running');
        break;
      case 'step_succeeded': {
        statuses.set(stepId, 'succeeded');
        const step = definition.steps[stepId];
        const recorded = recordedEdge(stepId, event.data);
        const nextStep = field(event.data, 'next_step');
        if (recorded) {
          edges.add(edgeId(recorded));
        } else if (step && !isBranching(step)) {
          edges.add(edgeId({ from: stepId, kind: 'next_step' }));
        } else if (typeof nextStep === 'string' || nextStep === null) {
          follow(stepId, nextStep);
        } else {
          unresolved = stepId;
        }
        break;
      }
      case 'step_failed':
        statuses.set(stepId, 'failed');
        break;
      case 'retry_scheduled':
        statuses.set(stepId, 'waiting');
        break;
    }
  }

  const endReached = status === 'completed';
  if (unresolved !== null && endReached) follow(unresolved, null);
  // The step a queued job runs next (also after a retry re-queued it).
  if (
    currentStepId &&
    (status === 'pending' || status === 'awaiting_retry') &&
    statuses.get(currentStepId) !== 'succeeded'
  ) {
    statuses.set(currentStepId, 'waiting');
  }
  // A job that stopped leaves nothing running.
  if (status === 'failed' || status === 'cancelled' || status === 'completed') {
    for (const [id, value] of statuses)
      if (value === 'running' || value === 'waiting')
        statuses.set(id, status === 'failed' ? 'failed' : 'not_run');
  }
  return { statuses, edges, endReached };
}
