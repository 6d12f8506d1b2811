import { z } from 'zod';

// The enumerations of docs/sequences-contract.md ("Shared enumerations"), with the words
// a rep reads. The database checks the same lists.

export const taskTypes = ['email', 'call', 'text', 'social_message', 'internal_activity'] as const;
export const taskTypeSchema = z.enum(taskTypes);
export type TaskType = (typeof taskTypes)[number];
export const taskTypeLabels: Record<TaskType, string> = {
  email: 'Email',
  call: 'Call',
  text: 'Text message',
  social_message: 'Social message',
  internal_activity: 'Internal activity',
};

export const taskPriorities = ['low', 'medium', 'high'] as const;
export const taskPrioritySchema = z.enum(taskPriorities);
export type TaskPriority = (typeof taskPriorities)[number];
export const taskPriorityLabels: Record<TaskPriority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
};

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
