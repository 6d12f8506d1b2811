import { useQuery } from '@tanstack/react-query';
import { Trash2 } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { BackLink, DetailPlaceholder } from '@/components/ui/page-states';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { environmentQueries, type Environment } from '@/features/environments/api/queries';
import {
  environmentFieldFor,
  toEnvironmentFormValues,
  useSaveEnvironment,
} from '@/features/environments/api/save-environment';
import { DeleteEnvironmentDialog } from '@/features/environments/components/delete-environment-dialog';
import { EnvironmentForm } from '@/features/environments/components/environment-form';
import { useUnsavedChangesGuard } from '@/hooks/use-unsaved-changes-guard';
import { describeServerProblem } from '@/lib/field-errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { isOrganisationAdmin } from '@/lib/permissions';

export function Component() {
  const { environmentId = '' } = useParams();
  const organisation = useCurrentOrganisation();
  const environment = useQuery(environmentQueries.detail(organisation.id, environmentId));
  const back = <BackLink to={paths.app.environments.getHref()}>Environments</BackLink>;

  if (!environment.data) {
    return (
      <DetailPlaceholder
        back={back}
        query={environment}
        label="Loading environment"
        notFoundTitle="Environment not found"
        errorTitle="Couldn't load this environment"
      >
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-64" />
      </DetailPlaceholder>
    );
  }
  return <EnvironmentPage key={environment.data.id} environment={environment.data} back={back} />;
}

function EnvironmentPage({ environment, back }: { environment: Environment; back: ReactNode }) {
  const organisation = useCurrentOrganisation();
  const navigate = useNavigate();
  const { toast } = useToast();
  const canManage = isOrganisationAdmin(organisation.role);
  const [deleting, setDeleting] = useState(false);
  const [dirty, setDirty] = useState(false);
  const guard = useUnsavedChangesGuard(dirty);
  // The form restarts from what the server stored after its own save (a replaced secret is
  // •••• again), not when a background refetch brings a new row, which would wipe edits.
  const [saved, setSaved] = useState({ version: 0, values: toEnvironmentFormValues(environment) });
  const save = useSaveEnvironment({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (result) => {
        toast({ title: 'Environment saved', description: result.name });
        setSaved((current) => ({
          version: current.version + 1,
          values: toEnvironmentFormValues(result),
        }));
      },
    },
  });
  const submitted = save.variables?.data;

  return (
    <div className="space-y-6">
      <title>{`${environment.name} · Environments · ${organisation.name} · Forkflow`}</title>
      <header className="space-y-3">
        {back}
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div className="min-w-0">
            <h1 className="text-2xl font-semibold tracking-tight break-words text-slate-900">
              {environment.name}
            </h1>
            {canManage ? null : (
              <p className="mt-1 text-sm text-slate-600">
                Only owners and admins change environments.
              </p>
            )}
          </div>
          {canManage ? (
            <Button variant="secondary-danger" onClick={() => setDeleting(true)}>
              <Trash2 className="size-4" aria-hidden />
              Delete
            </Button>
          ) : null}
        </div>
      </header>
      <EnvironmentForm
        key={saved.version}
        defaultValues={saved.values}
        readOnly={!canManage}
        submitLabel="Save environment"
        isPending={save.isPending}
        serverProblem={
          save.error && submitted
            ? describeServerProblem(
                save.error,
                "The environment wasn't saved",
                environmentFieldFor(submitted),
                { name_taken: 'name' },
              )
            : null
        }
        onDirtyChange={setDirty}
        onSubmit={(data) =>
          save.mutate({ organisationId: organisation.id, environmentId: environment.id, data })
        }
      />
      {canManage ? (
        <DeleteEnvironmentDialog
          organisationId={organisation.id}
          environment={environment}
          open={deleting}
          onOpenChange={setDeleting}
          onDeleted={() => {
            toast({ title: 'Environment deleted', description: environment.name });
            guard.allowNextNavigation();
            navigate(paths.app.environments.getHref());
          }}
        />
      ) : null}
      <ConfirmDialog
        open={guard.isBlocked}
        onOpenChange={(open) => (open ? undefined : guard.stay())}
        title="Discard unsaved changes?"
        description="Your changes to this environment haven't been saved. If you leave now, they're lost."
        confirmLabel="Discard changes"
        onConfirm={guard.leave}
      />
    </div>
  );
}
