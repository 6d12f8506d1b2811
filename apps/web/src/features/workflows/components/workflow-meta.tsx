import { useNow } from '@/hooks/use-now';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';
import type { Workflow } from '../api/queries';

/** "key · Version n · Updated …": how a workflow is told apart, in the list and on its page. */
export function WorkflowMeta({
  workflow,
  className,
}: {
  workflow: Pick<Workflow, 'key' | 'version' | 'updated_at'>;
  className?: string;
}) {
  // "Updated 2 minutes ago" stays true on a page left open.
  const now = useNow(30_000).getTime();
  return (
    <p className={cn('flex flex-wrap items-center gap-x-2 gap-y-1', className)}>
      <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
        {workflow.key}
      </code>
      <span aria-hidden>·</span>
      <span>Version {workflow.version}</span>
      <span aria-hidden>·</span>
      <span>
        Updated{' '}
        <time dateTime={workflow.updated_at} title={formatDateTime(workflow.updated_at)}>
          {formatRelative(workflow.updated_at, now)}
        </time>
      </span>
    </p>
  );
}
