import type { RunMode } from '@forkflow/domain/flows/schemas';
import { Bug, Play } from 'lucide-react';
import { useNavigate } from 'react-router';
import { Button } from '@/components/ui/button';
import { FormErrorSummary } from '@/components/ui/form-field';
import { paths } from '@/config/paths';
import { FunctionError } from '@/lib/edge-functions';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useRunFlowSequence } from '../api/run-flow-sequence';

/**
 * "Run" and "Debug run" of a saved sequence: the server resolves its parameters and starts
 * flow 1, and the page moves to the run. What stopped a run from starting (a parameter that
 * does not resolve, a workflow changed since) is listed under the buttons.
 */
export function RunButtons({
  sequenceId,
  disabledReason,
}: {
  sequenceId: string;
  /** Why running is not possible now (unsaved changes); shown beside the buttons. */
  disabledReason?: string | null;
}) {
  const organisation = useCurrentOrganisation();
  const navigate = useNavigate();
  const run = useRunFlowSequence({
    mutationConfig: {
      onSuccess: (result) => navigate(paths.app.flowRun.getHref(result.run_id)),
    },
  });
  const start = (mode: RunMode) =>
    run.mutate({ organisationId: organisation.id, sequenceId, mode });
  const error = run.error;
  const details =
    error instanceof FunctionError && error.details.length > 0
      ? error.details.map((detail) =>
          detail.path ? `${detail.path}: ${detail.message}` : detail.message,
        )
      : [];

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap items-center justify-end gap-2">
        {disabledReason ? <span className="text-sm text-slate-600">{disabledReason}</span> : null}
        <Button
          variant="secondary"
          disabled={Boolean(disabledReason) || run.isPending}
          isLoading={run.isPending && run.variables.mode === 'debug'}
          onClick={() => start('debug')}
        >
          {run.isPending && run.variables.mode === 'debug' ? null : (
            <Bug className="size-4" aria-hidden />
          )}
          Debug run
        </Button>
        <Button
          disabled={Boolean(disabledReason) || run.isPending}
          isLoading={run.isPending && run.variables.mode === 'normal'}
          onClick={() => start('normal')}
        >
          {run.isPending && run.variables.mode === 'normal' ? null : (
            <Play className="size-4" aria-hidden />
          )}
          Run
        </Button>
      </div>
      {error ? (
        <div className="w-full max-w-xl text-left">
          <FormErrorSummary
            title={`The run didn’t start: ${getErrorMessage(error)}`}
            messages={details}
          />
          {details.length === 0 ? (
            <p role="alert" className="text-sm text-red-700">
              {getErrorMessage(error)}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
