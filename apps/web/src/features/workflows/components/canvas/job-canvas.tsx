import { workflowDefinitionSchema } from '@forkflow/domain/workflow-definition';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { getErrorMessage } from '@/lib/errors';
import { cn } from '@/lib/utils';
import { workflowQueries } from '../../api/queries';
import { jobPath, type PathEvent, type StepRunStatus } from '../../utils/job-path';
import { FlowCanvas, stepRunStatusClasses, stepRunStatusLabels } from './flow-canvas';

// The job page's canvas (issue 12 §5): the workflow as the job ran it — the definition of
// the job's version, not the current one — each step coloured and labelled by its state,
// the connections the job went along drawn thick. The jobs feature mounts it through the
// route (features do not import each other), passing the job's own fields.

export type JobCanvasProps = {
  organisationId: string;
  workflowId: string;
  workflowVersion: number;
  status: string;
  currentStepId: string | null;
  events: readonly PathEvent[];
};

const legendOrder: StepRunStatus[] = ['succeeded', 'failed', 'running', 'waiting', 'not_run'];

export function JobCanvas({
  organisationId,
  workflowId,
  workflowVersion,
  status,
  currentStepId,
  events,
}: JobCanvasProps) {
  const versions = useQuery(workflowQueries.versions(organisationId, workflowId));
  const version = versions.data?.find((row) => row.version === workflowVersion);
  const parsed = useMemo(
    () => (version ? workflowDefinitionSchema.safeParse(version.definition) : null),
    [version],
  );
  const path = useMemo(
    () =>
      parsed?.success ? jobPath({ definition: parsed.data, events, status, currentStepId }) : null,
    [parsed, events, status, currentStepId],
  );

  if (versions.isPending) {
    return (
      <div role="status" aria-label="Loading the canvas">
        <Skeleton className="h-72" />
      </div>
    );
  }
  if (versions.isError) {
    return (
      <ErrorState
        title="Couldn't load the workflow's definition"
        message={getErrorMessage(versions.error)}
        onRetry={() => void versions.refetch()}
        isRetrying={versions.isFetching}
        className="py-8"
      />
    );
  }
  if (!parsed?.success || !path) {
    return (
      <p className="text-sm text-slate-500">
        The definition of version {workflowVersion} can't be drawn (it was deleted or is not a valid
        definition).
      </p>
    );
  }

  return (
    <div className="space-y-2">
      <FlowCanvas
        definition={parsed.data}
        statuses={path.statuses}
        path={path.edges}
        endReached={path.endReached}
        label={`Path of this job through version ${workflowVersion}`}
        className="h-[24rem]"
      />
      <ul aria-label="Legend" className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        {legendOrder.map((value) => (
          <li key={value} className="flex items-center gap-1.5">
            <span
              aria-hidden
              className={cn('size-3 rounded-sm border-2', stepRunStatusClasses[value])}
            />
            {stepRunStatusLabels[value]}
          </li>
        ))}
        <li className="flex items-center gap-1.5">
          <span aria-hidden className="h-0.5 w-5 rounded bg-emerald-600" />
          Thick green line: the way the job went
        </li>
      </ul>
    </div>
  );
}
