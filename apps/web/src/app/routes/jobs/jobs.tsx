import { useMemo } from 'react';
import { toJobQuery } from '@/features/jobs/api/queries';
import { ExportJobsMenu } from '@/features/jobs/components/export-jobs-menu';
import { JobsFiltersBar } from '@/features/jobs/components/jobs-filters-bar';
import { JobsList } from '@/features/jobs/components/jobs-list';
import { useJobFilters } from '@/features/jobs/hooks/use-job-filters';
import { JobStartedBy } from '@/features/workflow-triggers/components/job-started-by';
import { useUser } from '@/lib/auth';
import { useCurrentOrganisation } from '@/lib/organisation';
import { canSeeAllJobs } from '@/lib/permissions';
import { useJobLookups } from './use-job-lookups';

export function Component() {
  const organisation = useCurrentOrganisation();
  const user = useUser();
  const { filters, setFilters, hasFilters, clearFilters } = useJobFilters();
  const canSeeAll = canSeeAllJobs(organisation.role);
  // Members only ever see their own jobs (RLS): "everyone" in a shared link means "mine".
  const effective = useMemo(
    () => (canSeeAll ? filters : { ...filters, scope: 'mine' as const }),
    [filters, canSeeAll],
  );
  const query = useMemo(() => toJobQuery(effective, user.id), [effective, user.id]);
  const { workflowOptions, workflowName, memberName } = useJobLookups(organisation.id);

  return (
    <div className="space-y-6">
      <title>{`Jobs · ${organisation.name} · Forkflow`}</title>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Jobs</h1>
          <p className="mt-1 text-sm text-slate-600">
            {canSeeAll
              ? 'Every run of a workflow, newest first. Running jobs update live.'
              : 'The workflows you ran, newest first. Running jobs update live.'}
          </p>
        </div>
        <ExportJobsMenu query={query} workflowName={workflowName} />
      </header>

      <div className="overflow-clip rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
        <div className="border-b border-slate-200 p-3 sm:p-4">
          <JobsFiltersBar
            filters={effective}
            setFilters={setFilters}
            hasFilters={hasFilters}
            clearFilters={clearFilters}
            workflows={workflowOptions}
            canSeeAll={canSeeAll}
          />
        </div>
        <JobsList
          query={query}
          hasFilters={hasFilters}
          onClearFilters={clearFilters}
          workflowName={workflowName}
          memberName={memberName}
          showOwner={effective.scope === 'everyone'}
          renderStartedBy={(job) => <JobStartedBy job={job} memberName={memberName} />}
        />
      </div>
    </div>
  );
}
