import { ConnectionsSettings } from '@/features/settings/components/connections-settings';
import { SettingsNav } from '@/features/settings/components/settings-nav';
import { useCurrentOrganisation } from '@/lib/organisation';
import { isOrganisationAdmin } from '@/lib/permissions';

export function Component() {
  const organisation = useCurrentOrganisation();
  return (
    <div className="space-y-6">
      <title>{`Connections · ${organisation.name} · Forkflow`}</title>
      <header className="space-y-4">
        <div>
          <p className="text-sm font-medium text-slate-500">Settings</p>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Connections</h1>
          <p className="mt-1 max-w-2xl text-sm text-slate-600">
            The hosts {organisation.name}’s http-request steps may call. A step calling any other
            host fails with “host not allowed”. Hosts must also be within what this deployment
            allows (its HTTP_REQUEST_ALLOWED_HOSTS); changes apply within a few seconds.
          </p>
        </div>
        <SettingsNav />
      </header>
      <ConnectionsSettings
        organisationId={organisation.id}
        canEdit={isOrganisationAdmin(organisation.role)}
      />
    </div>
  );
}
