import { formatDelay } from '@forkflow/domain/sequence-template';
import { delayUnitSchema } from '@forkflow/domain/business-calendar';
import type { InstanceTask, SequenceInstance } from '../api/queries';

export const isRunning = (instance: Pick<SequenceInstance, 'status'>) =>
  instance.status === 'active' || instance.status === 'paused';

export const isOpenStep = (task: Pick<InstanceTask, 'status'>) =>
  task.status === 'active' || task.status === 'pending';

/** "2 days", "no delay" for a step's stored delay. */
export function stepDelayText(
  task: Pick<InstanceTask, 'sequence_delay_value' | 'sequence_delay_unit'>,
) {
  const unit = delayUnitSchema.safeParse(task.sequence_delay_unit);
  if (task.sequence_delay_value === null || !unit.success) return null;
  return formatDelay({ value: task.sequence_delay_value, unit: unit.data });
}

export type InsertPosition = { position: number; label: string };

/**
 * Where a step may go in a running sequence, as insert_sequence_task allows it: after the
 * current step (the past is not rewritten) — or, paused with none current, at or after the
 * next pending one — up to the end. SQL checks the same and stays the last word.
 */
export function insertPositions(instance: SequenceInstance): InsertPosition[] {
  const steps = [...instance.tasks].sort(
    (a, b) => (a.sequence_step_order ?? 0) - (b.sequence_step_order ?? 0),
  );
  const total = Math.max(instance.total_steps, steps.length);
  const active = steps.find((task) => task.status === 'active');
  const firstPending = steps.find((task) => task.status === 'pending');
  const first = active?.sequence_step_order
    ? active.sequence_step_order + 1
    : (firstPending?.sequence_step_order ?? total + 1);
  const byOrder = new Map(steps.map((task) => [task.sequence_step_order, task]));
  const positions: InsertPosition[] = [];
  for (let position = first; position <= total + 1; position += 1) {
    const before = byOrder.get(position - 1);
    const label =
      position === total + 1
        ? `At the end (step ${position})`
        : before
          ? `After step ${position - 1}: ${before.name}`
          : `As step ${position}`;
    positions.push({ position, label });
  }
  return positions;
}

/**
 * What deleting this step will do, said before the rep confirms (the RPC's warnings say
 * what it did, after): the next step activates, or the sequence completes, or later steps
 * move up.
 */
export function describeStepDeletion(instance: SequenceInstance, task: InstanceTask): string {
  const open = instance.tasks.filter((t) => isOpenStep(t) && t.id !== task.id);
  const next = instance.tasks
    .filter(
      (t) =>
        t.status === 'pending' && (t.sequence_step_order ?? 0) > (task.sequence_step_order ?? 0),
    )
    .sort((a, b) => (a.sequence_step_order ?? 0) - (b.sequence_step_order ?? 0))[0];
  const parts: string[] = [];
  if (isRunning(instance) && isOpenStep(task) && open.length === 0) {
    parts.push('It is the last open step, so the sequence will be completed.');
  } else if (task.status === 'active' && instance.status === 'paused') {
    parts.push(
      next
        ? `It is the current step; step ${next.sequence_step_order} (${next.name}) becomes current and is due when the sequence resumes.`
        : 'It is the current step.',
    );
  } else if (task.status === 'active' && next) {
    parts.push(
      `It is the current step: step ${next.sequence_step_order} (${next.name}) becomes active now, due ${stepDelayText(next) === 'no delay' ? 'at once' : `in ${stepDelayText(next) ?? 'its delay'}`}.`,
    );
  } else {
    parts.push('The steps after it move up by one.');
  }
  parts.push(
    'The sequence is marked as modified; its template does not change. This can’t be undone.',
  );
  return parts.join(' ');
}
