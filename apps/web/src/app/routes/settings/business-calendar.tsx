import { useQuery } from '@tanstack/react-query';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { businessCalendarQueries } from '@/features/settings/api/queries';
import { useSaveBusinessCalendar } from '@/features/settings/api/save-business-calendar';
import { BusinessCalendarForm } from '@/features/settings/components/business-calendar-form';
import { SettingsNav } from '@/features/settings/components/settings-nav';
import { RetentionSection } from '@/features/settings/components/retention-section';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { isOrganisationAdmin } from '@/lib/permissions';

export function Component() {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const query = useQuery(businessCalendarQueries.detail(organisation.id));
  const save = useSaveBusinessCalendar({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: () =>
        toast({
          title: 'Business calendar saved',
          description: 'New sequence tasks fall due inside these hours.',
        }),
    },
  });
  const canEdit = isOrganisationAdmin(organisation.role);

  return (
    <div className="space-y-6">
      <title>{`Business calendar · ${organisation.name} · Forkflow`}</title>
      <header>
        <p className="text-sm font-medium text-slate-500">Settings</p>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Business calendar</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">
          When {organisation.name} works. Sequence steps count their delays in working time, so
          tasks never fall due at night, on closed days or in the middle of service.
        </p>
        <div className="mt-4">
          <SettingsNav />
        </div>
      </header>

      {canEdit ? null : (
        <p className="rounded-lg bg-slate-100 px-4 py-3 text-sm text-slate-700">
          Only owners and admins can change the business calendar. You can see it here.
        </p>
      )}

      {query.isPending ? (
        <div role="status" aria-label="Loading the business calendar" className="space-y-4">
          <Skeleton className="h-24 w-full" />
          <Skeleton className="h-32 w-full" />
          <Skeleton className="h-32 w-full" />
        </div>
      ) : !query.data ? (
        <div className="rounded-xl bg-white ring-1 ring-slate-200">
          <ErrorState
            title="Couldn't load the business calendar"
            message={getErrorMessage(query.error)}
            onRetry={() => void query.refetch()}
            isRetrying={query.isFetching}
          />
        </div>
      ) : (
        <>
          {query.data.isDefault ? (
            <p className="rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
              No calendar yet: steps fall due around the clock, in UTC.
              {canEdit ? ' Set your hours below and save.' : ''}
            </p>
          ) : null}
          <BusinessCalendarForm
            // A save or a refetch with other values starts the form afresh from them.
            key={query.data.updatedAt ?? 'default'}
            defaultValues={query.data.calendar}
            readOnly={!canEdit}
            isPending={save.isPending}
            serverError={save.error ? getErrorMessage(save.error) : null}
            onSubmit={(data) => save.mutate({ organisationId: organisation.id, data })}
          />
        </>
      )}

      {/* How long finished jobs are kept (issue 12 §7): an organisation setting like the calendar. */}
      <RetentionSection />
    </div>
  );
}
