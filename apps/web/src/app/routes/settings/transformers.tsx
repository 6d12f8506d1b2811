import { SettingsNav } from '@/features/settings/components/settings-nav';
import { TransformersSettings } from '@/features/settings/components/transformers-settings';
import { TransformerUsedBy } from '@/features/workflows/components/transformer-used-by';
import { useCurrentOrganisation } from '@/lib/organisation';
import { isOrganisationAdmin } from '@/lib/permissions';

export function Component() {
  const organisation = useCurrentOrganisation();
  return (
    <div className="space-y-6">
      <title>{`Transformers · ${organisation.name} · Forkflow`}</title>
      <header className="space-y-4">
        <div>
          <p className="text-sm font-medium text-slate-500">Settings</p>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Transformers</h1>
          <p className="mt-1 max-w-2xl text-sm text-slate-600">
            The operations workflow steps run. Make your own from a built-in type with preset
            settings; retire one to keep it out of new steps while workflows using it keep running.
          </p>
        </div>
        <SettingsNav />
      </header>
      <TransformersSettings
        organisationId={organisation.id}
        canEdit={isOrganisationAdmin(organisation.role)}
        // The workflows feature answers which workflows use it; the route composes the two.
        renderUsedBy={(id) => <TransformerUsedBy transformerId={id} />}
      />
    </div>
  );
}
