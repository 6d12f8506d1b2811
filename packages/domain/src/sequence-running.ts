import { leadStageLabels, leadStageSchema } from './restaurants.ts';

// Questions and reasons about running sequences that the web app asks *before* a call
// (issue 13 §3). The SQL RPCs stay the last word (docs/sequences-contract.md); these only say
// ahead of time what they would do, in words a rep reads.

/** "Steps 2–3" / "Step 2". */
export function stepRange(from: number, to: number): string {
  return from === to ? `Step ${from}` : `Steps ${from}–${to}`;
}

/**
 * Completing (or skipping) a step ahead of the current one leaves the steps between open
 * (seed 001, decision 3: allowed, with a warning). Asked before, not reported after:
 * "Steps 2–3 are still open; complete step 4 anyway?". Null when nothing is skipped over.
 */
export function outOfOrderQuestion(
  task: { status: string; sequence_step_order: number | null },
  instance: { status: string; current_step_order: number } | null,
  verb: 'complete' | 'skip' = 'complete',
): string | null {
  if (!instance || task.status !== 'pending' || task.sequence_step_order === null) return null;
  if (instance.status !== 'active' && instance.status !== 'paused') return null;
  const first = Math.max(1, instance.current_step_order);
  const last = task.sequence_step_order - 1;
  if (last < first) return null;
  const open = stepRange(first, last);
  return `${open} ${first === last ? 'is' : 'are'} still open; ${verb} step ${task.sequence_step_order} anyway?`;
}

/** Why a bulk start leaves a restaurant out, as a code (for tests) and in words. */
export type StartSkipCode = 'already_running' | 'exit_stage' | 'do_not_contact' | 'in_trash';
export type StartSkip = { code: StartSkipCode; reason: string };

export type StartCandidate = {
  lead_stage: string;
  lead_status: string;
  deleted_at?: string | null;
  /** Templates this restaurant runs now (active or paused instances). */
  running_template_ids: readonly string[];
};

const stageLabel = (stage: string) => {
  const parsed = leadStageSchema.safeParse(stage);
  return parsed.success ? leadStageLabels[parsed.data] : stage;
};

/**
 * The restaurants a start leaves out, and why, before it is sent: a rep never means to follow
 * up a lead marked "do not contact" or one in the trash. The database holds the same rules
 * (start_sequence_bulk skips a running one and one at an exit stage; no sequence starts for a
 * "do not contact" restaurant, …009700; the trash is not found).
 */
export function sequenceStartSkip(
  candidate: StartCandidate,
  template: { id: string; exit_stages: readonly string[] },
): StartSkip | null {
  if (candidate.deleted_at) return { code: 'in_trash', reason: 'in the trash' };
  if (candidate.lead_status === 'do_not_contact') {
    return { code: 'do_not_contact', reason: 'marked “do not contact”' };
  }
  if (candidate.running_template_ids.includes(template.id)) {
    return { code: 'already_running', reason: 'already in this sequence' };
  }
  if (template.exit_stages.includes(candidate.lead_stage)) {
    return {
      code: 'exit_stage',
      reason: `stage is ${stageLabel(candidate.lead_stage)} (an exit stage of this sequence)`,
    };
  }
  return null;
}
