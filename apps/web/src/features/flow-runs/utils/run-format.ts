import type { RunFlowStatus, RunStatus, ValueSource } from '@forkflow/domain/flows/schemas';
import type { BadgeTone } from '@/components/ui/badge';

export const runStatusLabels: Record<RunStatus, { label: string; tone: BadgeTone }> = {
  running: { label: 'Running', tone: 'blue' },
  paused: { label: 'Paused', tone: 'amber' },
  completed: { label: 'Completed', tone: 'emerald' },
  failed: { label: 'Failed', tone: 'red' },
  stopped: { label: 'Stopped', tone: 'slate' },
};

export const runFlowStatusLabels: Record<RunFlowStatus, { label: string; tone: BadgeTone }> = {
  running: { label: 'Running', tone: 'blue' },
  evaluating: { label: 'Checking', tone: 'blue' },
  passed: { label: 'Passed', tone: 'emerald' },
  failed: { label: 'Failed', tone: 'red' },
  stopped: { label: 'Stopped', tone: 'slate' },
};

/** "850 ms", "4.2 s", "3 min 5 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/** From start to finish, or to `now` while it has not finished. */
export function runDurationMs(
  run: { started_at: string | null; finished_at: string | null },
  now: number,
): number | null {
  if (!run.started_at) return null;
  const end = run.finished_at ? new Date(run.finished_at).getTime() : now;
  return end - new Date(run.started_at).getTime();
}

/** Where a resolved value came from, in words, and the badge's tone. */
export function describeSource(source: ValueSource): { label: string; tone: BadgeTone } {
  switch (source.kind) {
    case 'environment':
      return { label: `environment ${source.environment} · ${source.variable}`, tone: 'violet' };
    case 'project_variable':
      return { label: `project variable ${source.variable}`, tone: 'sky' };
    case 'sequence_parameter':
      return { label: `sequence parameter ${source.parameter}`, tone: 'indigo' };
    case 'flow_output':
      return { label: `${source.flow_id} output · ${source.path.join('.')}`, tone: 'emerald' };
    case 'edited':
      return { label: 'edited', tone: 'amber' };
    case 'default':
      return { label: 'workflow default', tone: 'slate' };
    case 'hardcoded':
      return { label: 'hardcoded', tone: 'slate' };
    default:
      return { label: 'unknown', tone: 'slate' };
  }
}

/** A value as one line: strings as they are, the rest as JSON. */
export function valueText(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
