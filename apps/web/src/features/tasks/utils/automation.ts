// Automated sequence tasks (issue 14 §1, docs/automation-contract.md): their state in words,
// and how often a list showing them asks the server again.

/** The task fields this file reads (a list row has them all). */
type AutomatedTaskLike = {
  type: string;
  status: string;
  due_date: string | null;
  automation_status: string | null;
  automation_error?: unknown;
  sequence_instance?: { status: string } | null;
};

export const automationStatuses = ['waiting', 'running', 'needs_attention', 'done'] as const;
export type AutomationStatus = (typeof automationStatuses)[number];

export function automationStatusOf(task: AutomatedTaskLike): AutomationStatus | null {
  if (task.type !== 'automated') return null;
  return automationStatuses.find((status) => status === task.automation_status) ?? null;
}

/**
 * While a running job is on screen the list asks every 2 s: the orchestrator ticks every 5 s
 * and a short job ends within a tick, so the rep sees "done" about when it happens, and one
 * small request per 2 s per open list is nothing to the API. A waiting task asks again when
 * it comes due (then every 2 s until its job starts); one overdue for over a minute (the
 * orchestrator is behind or down) every 15 s. Nothing automated on screen: no polling.
 */
export const AUTOMATION_POLL_MS = 2_000;
const SLOW_POLL_MS = 15_000;
const LATE_AFTER_MS = 60_000;
/** A far-off due date is re-checked at least this often (clock drift, a changed due date). */
const MAX_WAIT_MS = 10 * 60_000;

export function automationPollInterval(
  tasks: readonly AutomatedTaskLike[] | undefined,
  now: number = Date.now(),
): number | false {
  let next = Infinity;
  for (const task of tasks ?? []) {
    if (task.status !== 'active') continue;
    const status = automationStatusOf(task);
    if (status === 'running') return AUTOMATION_POLL_MS;
    if (status !== 'waiting' || !task.due_date) continue;
    if (task.sequence_instance?.status === 'paused') continue;
    const until = Date.parse(task.due_date) - now;
    const wait =
      until > 0
        ? Math.min(Math.max(until, AUTOMATION_POLL_MS), MAX_WAIT_MS)
        : -until > LATE_AFTER_MS
          ? SLOW_POLL_MS
          : AUTOMATION_POLL_MS;
    next = Math.min(next, wait);
  }
  return Number.isFinite(next) ? next : false;
}

/** The `{ code, message }` of what needs attention, in words. */
export function automationErrorText(error: unknown): string {
  const record = error && typeof error === 'object' ? (error as Record<string, unknown>) : {};
  const message = typeof record.message === 'string' ? record.message.trim() : '';
  if (message) return message;
  if (record.code === 'cancelled') return 'Its job was cancelled.';
  return 'The workflow didn’t finish.';
}

const MAX_SUMMARY_FIELDS = 3;
const MAX_SUMMARY_VALUE = 60;

const short = (text: string) =>
  text.length > MAX_SUMMARY_VALUE ? `${text.slice(0, MAX_SUMMARY_VALUE - 1)}…` : text;

function valueSummary(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return short(value.replace(/\s+/g, ' '));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`;
  return `${Object.keys(value).length} field${Object.keys(value).length === 1 ? '' : 's'}`;
}

/**
 * A done task's output in a line or three: "result: hello" for its first fields, "and 2
 * more"; the whole output is on the job's page.
 */
export function outputSummary(output: unknown): string[] {
  if (output === null || output === undefined) return [];
  if (typeof output !== 'object' || Array.isArray(output)) return [valueSummary(output)];
  const entries = Object.entries(output);
  const lines = entries
    .slice(0, MAX_SUMMARY_FIELDS)
    .map(([key, value]) => `${key}: ${valueSummary(value)}`);
  if (entries.length > MAX_SUMMARY_FIELDS) {
    lines.push(`and ${entries.length - MAX_SUMMARY_FIELDS} more`);
  }
  return lines;
}
