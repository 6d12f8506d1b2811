import { callOutcomes, type CallOutcome } from '@forkflow/domain/tasks';
import { z } from 'zod';

// Task statuses of docs/sequences-contract.md ("Shared enumerations"), with the words a rep
// reads. The database checks the same list.

export const taskStatuses = ['pending', 'active', 'completed', 'skipped', 'cancelled'] as const;
export const taskStatusSchema = z.enum(taskStatuses);
export type TaskStatus = (typeof taskStatuses)[number];
export const taskStatusLabels: Record<TaskStatus, string> = {
  pending: 'Upcoming step',
  active: 'To do',
  completed: 'Completed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};

export const closedTaskStatuses: ReadonlySet<string> = new Set([
  'completed',
  'skipped',
  'cancelled',
]);

/** A member who can be given tasks; supplied by the app from the organisation's members. */
export type Assignee = {
  id: string;
  name: string;
};

/** A restaurant a task can be for (the create form's and the filter's options). */
export type RestaurantOption = { id: string; name: string };

/** How a placeholder could not be filled when the message was rendered. */
export const renderWarningSchema = z.object({
  variable: z.string(),
  problem: z.string(),
});
export type RenderWarning = z.infer<typeof renderWarningSchema>;

const metadataWarningsSchema = z.object({
  render_warnings: z.array(renderWarningSchema).catch([]),
});

/** `metadata.render_warnings` of a task, or none when absent or malformed. */
export function getRenderWarnings(metadata: unknown): RenderWarning[] {
  const parsed = metadataWarningsSchema.safeParse(metadata);
  return parsed.success ? parsed.data.render_warnings : [];
}

// What a rep records when finishing a task (complete_task's p_outcome, skip_task's p_reason);
// the database checks the same list and keeps them in tasks.metadata.
export { callOutcomeLabels, callOutcomes, type CallOutcome } from '@forkflow/domain/tasks';
export const callOutcomeSchema = z.enum(callOutcomes);

const finishDetailsSchema = z.object({
  call_outcome: callOutcomeSchema.optional().catch(undefined),
  skip_reason: z.string().optional().catch(undefined),
});

/** `metadata.call_outcome` and `metadata.skip_reason`, when present and well formed. */
export function getFinishDetails(metadata: unknown): {
  callOutcome?: CallOutcome | undefined;
  skipReason?: string | undefined;
} {
  const parsed = finishDetailsSchema.safeParse(metadata);
  if (!parsed.success) return {};
  return { callOutcome: parsed.data.call_outcome, skipReason: parsed.data.skip_reason };
}
