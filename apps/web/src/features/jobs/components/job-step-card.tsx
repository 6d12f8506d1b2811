import { Badge } from '@/components/ui/badge';
import { formatDuration } from '../utils/format';
import type { StepSummary } from '../utils/step-summary';
import { JsonBlock } from './json-block';

const stepBadges = {
  succeeded: { tone: 'emerald', label: 'Succeeded' },
  failed: { tone: 'red', label: 'Failed' },
  running: { tone: 'blue', label: 'Running' },
  stopped: { tone: 'slate', label: 'Stopped' },
} as const;

/** One step of the job: its attempts, and its last input with its output or error. */
export function StepCard({ step, jobActive }: { step: StepSummary; jobActive: boolean }) {
  // A step the job left unfinished (cancelled mid-step, or the job ended otherwise) is not
  // running any more, whatever its last event said.
  const stopped = step.status === 'running' && !jobActive;
  const finished = step.status !== 'running';
  const badge = stepBadges[stopped ? 'stopped' : step.status];
  return (
    <li className="rounded-lg ring-1 ring-slate-200">
      <div className="flex flex-wrap items-center gap-2 px-3 py-2">
        <code className="font-mono text-sm font-medium text-slate-900">{step.stepId}</code>
        {step.transformerId ? <Badge tone="indigo">{step.transformerId}</Badge> : null}
        <Badge tone={badge.tone}>{badge.label}</Badge>
        <span className="text-xs text-slate-500">
          {step.attempts} {step.attempts === 1 ? 'attempt' : 'attempts'}
          {step.durationMs !== null ? ` · ${formatDuration(step.durationMs)}` : ''}
        </span>
      </div>
      {finished ? (
        <div className="grid gap-3 border-t border-slate-100 px-3 py-3 md:grid-cols-2">
          <div className="min-w-0 space-y-1">
            <h3 className="text-xs font-medium text-slate-500">Input</h3>
            <JsonBlock label={`Input of ${step.stepId}`} value={step.input} />
          </div>
          <div className="min-w-0 space-y-1">
            <h3 className="text-xs font-medium text-slate-500">
              {step.status === 'failed' ? 'Error' : 'Output'}
            </h3>
            <JsonBlock
              label={`${step.status === 'failed' ? 'Error' : 'Output'} of ${step.stepId}`}
              value={step.status === 'failed' ? step.error : step.output}
            />
          </div>
        </div>
      ) : (
        // Input and output are recorded when the step finishes: say so rather than show "—".
        <div className="space-y-3 border-t border-slate-100 px-3 py-3">
          <p className="text-sm text-slate-500">
            {stopped
              ? 'The job stopped before this step finished: it has no output.'
              : 'Its input and output show here when it finishes.'}
          </p>
          {step.error !== undefined ? (
            <div className="min-w-0 space-y-1">
              <h3 className="text-xs font-medium text-slate-500">Error of the previous attempt</h3>
              <JsonBlock
                label={`Error of the previous attempt of ${step.stepId}`}
                value={step.error}
              />
            </div>
          ) : null}
        </div>
      )}
    </li>
  );
}
