import { Building2, ChevronsUpDown, Plus } from 'lucide-react';
import { useState } from 'react';
import { Dialog } from '@/components/ui/dialog';
import { Menu, type MenuItem } from '@/components/ui/menu';
import type { CurrentOrganisation } from '@/lib/organisation';
import { CreateOrganisationForm } from './create-organisation-form';

const roleLabels = { owner: 'Owner', admin: 'Admin', member: 'Member' } as const;

type Props = {
  userId: string;
  current: CurrentOrganisation;
  memberships: CurrentOrganisation[];
  onSelect: (organisationId: string) => void;
};

export function OrganisationSwitcher({ userId, current, memberships, onSelect }: Props) {
  const [creating, setCreating] = useState(false);

  const items: MenuItem[] = [
    { type: 'label', key: 'heading', label: 'Organisations' },
    ...memberships.map((organisation): MenuItem => ({
      key: organisation.id,
      label: organisation.name,
      description: roleLabels[organisation.role],
      checked: organisation.id === current.id,
      onSelect: () => onSelect(organisation.id),
    })),
    { type: 'separator', key: 'sep' },
    {
      key: 'create',
      label: 'Create organisation',
      icon: <Plus className="size-4" aria-hidden />,
      onSelect: () => setCreating(true),
    },
  ];

  return (
    <>
      <Menu
        label={`Organisation: ${current.name}. Switch organisation`}
        items={items}
        menuClassName="w-full"
        triggerClassName="flex w-full items-center gap-3 rounded-lg p-2 text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600"
        trigger={
          <>
            <span className="flex size-8 shrink-0 items-center justify-center rounded-md bg-brand-600 text-white">
              <Building2 className="size-4" aria-hidden />
            </span>
            <span className="min-w-0 flex-1">
              <span className="block truncate text-sm font-semibold text-slate-900">
                {current.name}
              </span>
              <span className="block text-xs text-slate-500">{roleLabels[current.role]}</span>
            </span>
            <ChevronsUpDown className="size-4 shrink-0 text-slate-400" aria-hidden />
          </>
        }
      />
      <Dialog
        open={creating}
        onOpenChange={setCreating}
        title="Create organisation"
        description="You'll be its owner and can invite your team."
      >
        <CreateOrganisationForm
          userId={userId}
          onCancel={() => setCreating(false)}
          onCreated={(organisation) => {
            setCreating(false);
            onSelect(organisation.id);
          }}
        />
      </Dialog>
    </>
  );
}
