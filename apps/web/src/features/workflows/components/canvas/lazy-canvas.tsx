import { workflowDefinitionSchema } from '@forkflow/domain/workflow-definition';
import { lazy, Suspense, type ComponentProps } from 'react';
import { Skeleton } from '@/components/ui/skeleton';

// React Flow and dagre (~150 kB) load only where a canvas is shown: the workflows list,
// /tasks and the rest of the app do not carry them (`pnpm bench bundle`).

const WorkflowCanvasChunk = lazy(() =>
  import('./workflow-canvas').then((module) => ({ default: module.WorkflowCanvas })),
);
const JobCanvasChunk = lazy(() =>
  import('./job-canvas').then((module) => ({ default: module.JobCanvas })),
);

function Loading() {
  return (
    <div role="status" aria-label="Loading the canvas">
      <Skeleton className="h-72" />
    </div>
  );
}

export function LazyWorkflowCanvas(props: ComponentProps<typeof WorkflowCanvasChunk>) {
  return (
    <Suspense fallback={<Loading />}>
      <WorkflowCanvasChunk {...props} />
    </Suspense>
  );
}

export function LazyJobCanvas(props: ComponentProps<typeof JobCanvasChunk>) {
  return (
    <Suspense fallback={<Loading />}>
      <JobCanvasChunk {...props} />
    </Suspense>
  );
}

const StepFormsChunk = lazy(() =>
  import('./step-forms').then((module) => ({ default: module.StepForms })),
);

export function LazyStepForms(props: ComponentProps<typeof StepFormsChunk>) {
  return (
    <Suspense fallback={<Loading />}>
      <StepFormsChunk {...props} />
    </Suspense>
  );
}

/** A stored definition drawn read-only (the workflow page); nothing when it is not one. */
export function DefinitionCanvas({ definition, label }: { definition: unknown; label: string }) {
  const parsed = workflowDefinitionSchema.safeParse(definition);
  if (!parsed.success) return null;
  return <LazyWorkflowCanvas definition={parsed.data} label={label} />;
}
