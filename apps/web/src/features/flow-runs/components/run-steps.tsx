import { Badge } from '@/components/ui/badge';
import { formatDuration } from '../utils/run-format';
import type { RunStep } from '../utils/steps';
import { JsonBlock } from './json-block';

const stepBadges = {
  succeeded: { tone: 'emerald', label: 'Succeeded' },
  failed: { tone: 'red', label: 'Failed' },
  running: { tone: 'blue', label: 'Running' },
} as const;

/** Each step of a flow's job: for http-request steps the request and the response. */
export function RunSteps({ flowId, steps }: { flowId: string; steps: RunStep[] }) {
  return (
    <ol aria-label={`Steps of ${flowId}`} className="space-y-2">
      {steps.map((step) => {
        const badge = stepBadges[step.status];
        const of = `${step.stepId} of ${flowId}`;
        return (
          <li key={step.stepId} className="rounded-lg ring-1 ring-slate-200">
            <div className="flex flex-wrap items-center gap-2 px-3 py-2">
              <code className="font-mono text-sm font-medium text-slate-900">{step.stepId}</code>
              {step.transformerId ? <Badge tone="indigo">{step.transformerId}</Badge> : null}
              <Badge tone={badge.tone}>{badge.label}</Badge>
              <span className="text-xs text-slate-500">
                {step.attempts} {step.attempts === 1 ? 'attempt' : 'attempts'}
                {step.durationMs !== null ? ` · ${formatDuration(step.durationMs)}` : ''}
              </span>
            </div>
            {step.status === 'running' ? null : step.http ? (
              <div className="grid gap-3 border-t border-slate-100 px-3 py-3 md:grid-cols-2">
                <div className="min-w-0 space-y-1">
                  <h5 className="text-xs font-medium text-slate-500">Request</h5>
                  <p
                    className="font-mono text-xs break-all text-slate-900"
                    aria-label={`Request of ${of}`}
                  >
                    <span className="font-semibold">{step.http.method ?? 'GET'}</span>{' '}
                    {step.http.url ?? '(URL from the transformer’s config)'}
                  </p>
                  {step.http.requestHeaders ? (
                    <JsonBlock
                      label={`Request headers of ${of}`}
                      value={step.http.requestHeaders}
                    />
                  ) : null}
                  {step.http.requestBody !== undefined ? (
                    <JsonBlock label={`Request body of ${of}`} value={step.http.requestBody} />
                  ) : null}
                </div>
                <div className="min-w-0 space-y-1">
                  <h5 className="text-xs font-medium text-slate-500">Response</h5>
                  {step.status === 'failed' ? (
                    <JsonBlock label={`Error of ${of}`} value={step.error} />
                  ) : (
                    <>
                      <p
                        className="font-mono text-xs text-slate-900"
                        aria-label={`Response status of ${of}`}
                      >
                        {step.http.status ?? '—'}
                      </p>
                      {step.http.responseHeaders ? (
                        <JsonBlock
                          label={`Response headers of ${of}`}
                          value={step.http.responseHeaders}
                        />
                      ) : null}
                      <JsonBlock label={`Response body of ${of}`} value={step.http.responseBody} />
                    </>
                  )}
                </div>
              </div>
            ) : (
              <div className="grid gap-3 border-t border-slate-100 px-3 py-3 md:grid-cols-2">
                <div className="min-w-0 space-y-1">
                  <h5 className="text-xs font-medium text-slate-500">Input</h5>
                  <JsonBlock label={`Input of ${of}`} value={step.input} />
                </div>
                <div className="min-w-0 space-y-1">
                  <h5 className="text-xs font-medium text-slate-500">
                    {step.status === 'failed' ? 'Error' : 'Output'}
                  </h5>
                  <JsonBlock
                    label={`${step.status === 'failed' ? 'Error' : 'Output'} of ${of}`}
                    value={step.status === 'failed' ? step.error : step.output}
                  />
                </div>
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
