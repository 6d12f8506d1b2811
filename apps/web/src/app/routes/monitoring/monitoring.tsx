import { useSearchParams } from 'react-router';
import { MonitoringDashboard } from '@/features/monitoring/components/monitoring-dashboard';
import { monitoringRanges, type MonitoringRange } from '@/features/monitoring/utils/stats';
import { useCurrentOrganisation } from '@/lib/organisation';
import { canSeeAllJobs } from '@/lib/permissions';

const isRange = (value: string | null): value is MonitoringRange =>
  monitoringRanges.includes(value as MonitoringRange);

export function Component() {
  const organisation = useCurrentOrganisation();
  const [params, setParams] = useSearchParams();
  const value = params.get('range');
  const range: MonitoringRange = isRange(value) ? value : '24h';

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
        onRangeChange={(next) =>
          setParams(next === '24h' ? {} : { range: next }, { replace: true })
        }
        canSeeAllJobs={canSeeAllJobs(organisation.role)}
      />
    </div>
  );
}
