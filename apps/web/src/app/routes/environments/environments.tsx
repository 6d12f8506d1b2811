import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button } from '@/components/ui/button';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { useSaveEnvironment } from '@/features/environments/api/save-environment';
import { EnvironmentsList } from '@/features/environments/components/environments-list';
import { NewEnvironmentDialog } from '@/features/environments/components/new-environment-dialog';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { isOrganisationAdmin } from '@/lib/permissions';

export function Component() {
  const organisation = useCurrentOrganisation();
  const navigate = useNavigate();
  const { toast } = useToast();
  const canManage = isOrganisationAdmin(organisation.role);
  const [creating, setCreating] = useState(false);
  const save = useSaveEnvironment({ organisationId: organisation.id });
  const [creatingPair, setCreatingPair] = useState(false);

  // The usual pair in one click; variables and hosts are filled in on each one's page.
  const createStagingAndProduction = async () => {
    setCreatingPair(true);
    try {
      for (const name of ['staging', 'production']) {
        await save.mutateAsync({
          organisationId: organisation.id,
          data: { name, description: '', variables: [], api_hosts: [] },
        });
      }
      toast({ title: 'Created staging and production' });
    } catch (error) {
      toast({
        title: "Couldn't create the environments",
        description: getErrorMessage(error),
        tone: 'error',
      });
    } finally {
      setCreatingPair(false);
    }
  };

  return (
    <div className="space-y-6">
      <title>{`Environments · ${organisation.name} · Forkflow`}</title>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Environments</h1>
          <p className="mt-1 text-sm text-slate-600">
            Variables, secrets and API hosts that projects run with: staging, production…
          </p>
        </div>
        {canManage ? (
          <Button onClick={() => setCreating(true)}>
            <Plus className="size-4" aria-hidden />
            New environment
          </Button>
        ) : null}
      </header>
      <div className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
        <EnvironmentsList
          organisationId={organisation.id}
          canManage={canManage}
          emptyAction={
            <Button onClick={() => void createStagingAndProduction()} isLoading={creatingPair}>
              Create staging and production
            </Button>
          }
        />
      </div>
      <NewEnvironmentDialog
        organisationId={organisation.id}
        open={creating}
        onOpenChange={setCreating}
        onCreated={(environment) => {
          setCreating(false);
          toast({ title: 'Environment created', description: environment.name });
          navigate(paths.app.environment.getHref(environment.id));
        }}
      />
    </div>
  );
}
