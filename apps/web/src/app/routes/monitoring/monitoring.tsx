import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { MonitoringDashboard } from '@/features/monitoring/components/monitoring-dashboard';
import { monitoringRanges, type MonitoringRange } from '@/features/monitoring/utils/stats';
import { workflowQueries } from '@/features/workflows/api/queries';
import { useCurrentOrganisation } from '@/lib/organisation';
import { canSeeAllJobs } from '@/lib/permissions';

const isRange = (value: string | null): value is MonitoringRange =>
  monitoringRanges.includes(value as MonitoringRange);

export function Component() {
  const organisation = useCurrentOrganisation();
  const [params, setParams] = useSearchParams();
  const value = params.get('range');
  const range: MonitoringRange = isRange(value) ? value : '24h';
  const list = useQuery(workflowQueries.list(organisation.id));
  const workflows = useMemo(
    () =>
      list.data
        ?.map((workflow) => ({ id: workflow.id, name: workflow.name }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [list.data],
  );
  const workflowParam = params.get('workflow');
  const workflowId =
    workflowParam && (!workflows || workflows.some((w) => w.id === workflowParam))
      ? workflowParam
      : null;
  const update = (next: { range?: MonitoringRange; workflow?: string | null }) => {
    const out = new URLSearchParams();
    const nextRange = next.range ?? range;
    const nextWorkflow = next.workflow === undefined ? workflowId : next.workflow;
    if (nextRange !== '24h') out.set('range', nextRange);
    if (nextWorkflow) out.set('workflow', nextWorkflow);
    setParams(out, { replace: true });
  };

  return (
    <div className="space-y-6">
      <title>{`Monitoring · ${organisation.name} · Forkflow`}</title>
      <header>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Monitoring</h1>
        <p className="mt-1 text-sm text-slate-600">
          How the workflow engine is doing: jobs finished, failures, durations and the queue.
        </p>
      </header>
      <MonitoringDashboard
        range={range}
        onRangeChange={(next) => update({ range: next })}
        workflows={workflows}
        workflowId={workflowId}
        onWorkflowChange={(next) => update({ workflow: next })}
        canSeeAllJobs={canSeeAllJobs(organisation.role)}
      />
    </div>
  );
}
