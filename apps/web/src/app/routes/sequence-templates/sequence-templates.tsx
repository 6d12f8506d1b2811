import { Plus, X } from 'lucide-react';
import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, ButtonLink } from '@/components/ui/button';
import { SearchInput } from '@/components/ui/search-input';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import type { SequenceTemplateListItem } from '@/features/sequence-templates/api/queries';
import { useDuplicateSequenceTemplate } from '@/features/sequence-templates/api/duplicate-sequence-template';
import { useSetSequenceTemplateActive } from '@/features/sequence-templates/api/set-sequence-template-active';
import { DeleteSequenceTemplateDialog } from '@/features/sequence-templates/components/delete-sequence-template-dialog';
import {
  SequenceTemplatesList,
  type SequenceTemplateFilters,
} from '@/features/sequence-templates/components/sequence-templates-list';
import { useUrlFilters, type FilterDefaults } from '@/hooks/use-url-filters';
import { useUser } from '@/lib/auth';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { canEditTemplate } from '@/lib/permissions';

const parseFilters = (params: URLSearchParams): SequenceTemplateFilters => ({
  q: params.get('q') ?? '',
  tag: params.get('tag') || null,
});
const filterDefaults: FilterDefaults<SequenceTemplateFilters> = { q: '', tag: null };

export function Component() {
  const organisation = useCurrentOrganisation();
  const user = useUser();
  const navigate = useNavigate();
  const { toast } = useToast();
  const { filters, setFilters: patchFilters } = useUrlFilters({
    parse: parseFilters,
    defaults: filterDefaults,
  });
  const setFilters = useCallback(
    // Typing refines the same search: one history entry, not one per keystroke.
    (next: SequenceTemplateFilters) => patchFilters(next, { replace: next.tag === filters.tag }),
    [patchFilters, filters.tag],
  );
  const [deleting, setDeleting] = useState<SequenceTemplateListItem | null>(null);
  const [duplicating, setDuplicating] = useState<ReadonlySet<string>>(new Set());

  const toggle = useSetSequenceTemplateActive({
    organisationId: organisation.id,
    mutationConfig: {
      onError: (error, variables) =>
        toast({
          tone: 'error',
          title: `Couldn't ${variables.is_active ? 'activate' : 'deactivate'} ${variables.name ?? 'the sequence'}`,
          description: getErrorMessage(error),
          duration: 8000,
        }),
    },
  });
  const duplicate = useDuplicateSequenceTemplate({
    organisationId: organisation.id,
    mutationConfig: {
      onMutate: ({ id }) => setDuplicating((current) => new Set(current).add(id)),
      onSettled: (_data, _error, { id }) =>
        setDuplicating((current) => {
          const next = new Set(current);
          next.delete(id);
          return next;
        }),
      onSuccess: (copy) =>
        toast({
          title: 'Sequence duplicated',
          description: copy.name,
          action: {
            label: 'Edit copy',
            onClick: () => navigate(paths.app.editSequenceTemplate.getHref(copy.id)),
          },
        }),
      onError: (error, variables) =>
        toast({
          tone: 'error',
          title: `Couldn't duplicate ${variables.name ?? 'the sequence'}`,
          description: getErrorMessage(error),
          duration: 8000,
        }),
    },
  });

  const canEdit = (template: SequenceTemplateListItem) =>
    canEditTemplate(organisation.role, user.id, template);

  return (
    <div className="space-y-6">
      <title>{`Sequences · ${organisation.name} · Forkflow`}</title>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Sequences</h1>
          <p className="mt-1 text-sm text-slate-600">
            Reusable series of timed tasks, started for a restaurant in one go.
          </p>
        </div>
        <ButtonLink to={paths.app.newSequenceTemplate.getHref()} variant="primary">
          <Plus className="size-4" aria-hidden />
          New sequence
        </ButtonLink>
      </header>

      <div className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
        <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 p-3 sm:p-4">
          <SearchInput
            label="Search sequences"
            className="flex-1 sm:max-w-sm"
            value={filters.q}
            onChange={(event) => setFilters({ ...filters, q: event.target.value })}
            placeholder="Search by name, description or tag"
          />
          {filters.tag ? (
            <Button
              variant="secondary"
              size="sm"
              onClick={() => setFilters({ ...filters, tag: null })}
              aria-label={`Remove the tag filter ${filters.tag}`}
            >
              Tag: {filters.tag}
              <X className="size-3.5" aria-hidden />
            </Button>
          ) : null}
        </div>
        <SequenceTemplatesList
          filters={filters}
          onFiltersChange={setFilters}
          canEdit={canEdit}
          duplicating={duplicating}
          onToggleActive={(template, active) =>
            toggle.mutate({
              organisationId: organisation.id,
              id: template.id,
              is_active: active,
              name: template.name,
            })
          }
          onEdit={(template) => navigate(paths.app.editSequenceTemplate.getHref(template.id))}
          onDuplicate={(template) => {
            if (duplicating.has(template.id)) return;
            duplicate.mutate({
              organisationId: organisation.id,
              id: template.id,
              name: template.name,
            });
          }}
          onDelete={setDeleting}
        />
      </div>

      <DeleteSequenceTemplateDialog
        template={deleting}
        onOpenChange={(open) => (open ? undefined : setDeleting(null))}
      />
    </div>
  );
}
