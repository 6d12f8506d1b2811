import { useQuery } from '@tanstack/react-query';
import { Copy, ListChecks, MoreHorizontal, Pencil, SearchX, Trash2, Workflow } from 'lucide-react';
import { Link } from 'react-router';
import { Button, ButtonLink } from '@/components/ui/button';
import { Menu } from '@/components/ui/menu';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { Switch } from '@/components/ui/switch';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { cn, formatRelative } from '@/lib/utils';
import { sequenceTemplateQueries, type SequenceTemplateListItem } from '../api/queries';

export type SequenceTemplateFilters = { q: string; tag: string | null };

type Props = {
  filters: SequenceTemplateFilters;
  onFiltersChange: (filters: SequenceTemplateFilters) => void;
  /** Whether the current user may change or delete this template. */
  canEdit: (template: SequenceTemplateListItem) => boolean;
  onToggleActive: (template: SequenceTemplateListItem, active: boolean) => void;
  onEdit: (template: SequenceTemplateListItem) => void;
  onDuplicate: (template: SequenceTemplateListItem) => void;
  onDelete: (template: SequenceTemplateListItem) => void;
  /** Template ids with a duplicate in flight. */
  duplicating?: ReadonlySet<string>;
};

/** Matches a search against the name, the description and the tags, ignoring case. */
export function matchesSequenceTemplate(
  template: Pick<SequenceTemplateListItem, 'name' | 'description' | 'tags'>,
  filters: SequenceTemplateFilters,
): boolean {
  if (filters.tag && !template.tags.includes(filters.tag)) return false;
  const words = filters.q.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [template.name, template.description ?? '', ...template.tags]
    .join(' ')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

const usage = (count: number) =>
  count === 0 ? 'Not used yet' : `Started ${count} ${count === 1 ? 'time' : 'times'}`;

export function SequenceTemplatesList({
  filters,
  onFiltersChange,
  canEdit,
  onToggleActive,
  onEdit,
  onDuplicate,
  onDelete,
  duplicating,
}: Props) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(sequenceTemplateQueries.list(organisation.id));

  if (query.isPending) return <SequenceTemplatesListSkeleton />;
  if (!query.data) {
    return (
      <ErrorState
        title="Couldn't load sequences"
        message={getErrorMessage(query.error)}
        onRetry={() => void query.refetch()}
        isRetrying={query.isFetching}
      />
    );
  }

  if (query.data.length === 0) {
    return (
      <EmptyState
        icon={<Workflow className="size-6" aria-hidden />}
        title="No sequences yet — build your first"
        description="A sequence is a reusable series of timed tasks, like a demo follow-up: calls, emails and reminders, each due a set time after the last."
        action={
          <ButtonLink to={paths.app.newSequenceTemplate.getHref()} variant="primary">
            New sequence
          </ButtonLink>
        }
      />
    );
  }

  const rows = query.data.filter((template) => matchesSequenceTemplate(template, filters));

  if (rows.length === 0) {
    return (
      <EmptyState
        icon={<SearchX className="size-6" aria-hidden />}
        title="No sequences match"
        description={
          filters.q
            ? `Nothing matches “${filters.q}”${filters.tag ? ` with the tag “${filters.tag}”` : ''}.`
            : `No sequence has the tag “${filters.tag}”.`
        }
        action={
          <Button variant="secondary" onClick={() => onFiltersChange({ q: '', tag: null })}>
            Clear search
          </Button>
        }
      />
    );
  }

  return (
    <ul
      aria-label="Sequences"
      className="divide-y divide-slate-100"
      aria-busy={query.isFetching || undefined}
    >
      {rows.map((template) => {
        const editable = canEdit(template);
        return (
          <li
            key={template.id}
            className="group flex flex-col gap-3 px-4 py-4 hover:bg-slate-50/60 sm:flex-row sm:items-start sm:gap-6 sm:px-5"
          >
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <Link
                  to={paths.app.sequenceTemplate.getHref(template.id)}
                  className="truncate font-medium text-slate-900 hover:text-brand-700 focus-visible:underline focus-visible:outline-none"
                >
                  {template.name}
                </Link>
                {template.is_active ? null : (
                  <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600">
                    Inactive
                  </span>
                )}
              </div>
              {template.description ? (
                <p className="mt-0.5 line-clamp-2 text-sm text-slate-600">{template.description}</p>
              ) : null}
              <div className="mt-2 flex flex-wrap items-center gap-1.5">
                {template.tags.map((tag) => (
                  <button
                    key={tag}
                    type="button"
                    onClick={() =>
                      onFiltersChange({ ...filters, tag: filters.tag === tag ? null : tag })
                    }
                    aria-pressed={filters.tag === tag}
                    aria-label={`Show sequences tagged ${tag}`}
                    className={cn(
                      'rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-brand-600',
                      filters.tag === tag
                        ? 'bg-brand-600 text-white ring-brand-600'
                        : 'bg-brand-50 text-brand-800 ring-brand-600/15 hover:bg-brand-100',
                    )}
                  >
                    {tag}
                  </button>
                ))}
                <span className="inline-flex items-center gap-1 text-xs text-slate-500">
                  <ListChecks className="size-3.5" aria-hidden />
                  {template.step_count} {template.step_count === 1 ? 'step' : 'steps'}
                </span>
                <span className="text-xs text-slate-400" aria-hidden>
                  ·
                </span>
                <span className="text-xs text-slate-500">{usage(template.usage_count)}</span>
                <span className="text-xs text-slate-400 max-sm:hidden" aria-hidden>
                  ·
                </span>
                <span className="text-xs text-slate-500 max-sm:hidden">
                  Updated{' '}
                  <time dateTime={template.updated_at}>{formatRelative(template.updated_at)}</time>
                </span>
              </div>
            </div>
            <div className="flex items-center justify-between gap-3 sm:justify-end">
              <label className="flex items-center gap-2 text-sm text-slate-600">
                <Switch
                  size="sm"
                  checked={template.is_active}
                  disabled={!editable}
                  onCheckedChange={(active) => onToggleActive(template, active)}
                  aria-label={`${template.name} is active`}
                  title={
                    editable ? undefined : 'Only its creator or an owner or admin can change it'
                  }
                />
                <span aria-hidden>{template.is_active ? 'Active' : 'Off'}</span>
              </label>
              <Menu
                label={`Actions for ${template.name}`}
                align="end"
                triggerClassName="flex size-9 items-center justify-center rounded-lg text-slate-500 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-brand-600"
                trigger={<MoreHorizontal className="size-5" aria-hidden />}
                items={[
                  ...(editable
                    ? [
                        {
                          key: 'edit',
                          label: 'Edit',
                          icon: <Pencil className="size-4" aria-hidden />,
                          onSelect: () => onEdit(template),
                        },
                      ]
                    : []),
                  {
                    key: 'duplicate',
                    label: duplicating?.has(template.id) ? 'Duplicating…' : 'Duplicate',
                    icon: <Copy className="size-4" aria-hidden />,
                    onSelect: () => onDuplicate(template),
                  },
                  ...(editable
                    ? [
                        { type: 'separator' as const, key: 'sep' },
                        {
                          key: 'delete',
                          label: <span className="text-red-700">Delete</span>,
                          icon: <Trash2 className="size-4 text-red-600" aria-hidden />,
                          onSelect: () => onDelete(template),
                        },
                      ]
                    : []),
                ]}
              />
            </div>
          </li>
        );
      })}
    </ul>
  );
}

export function SequenceTemplatesListSkeleton() {
  return (
    <div role="status" aria-label="Loading sequences" className="divide-y divide-slate-100">
      {Array.from({ length: 5 }, (_, index) => (
        <div key={index} className="flex items-center gap-6 px-5 py-5">
          <div className="flex-1 space-y-2">
            <Skeleton className="h-4 w-56 max-w-full" />
            <Skeleton className="h-3 w-80 max-w-full" />
            <div className="flex gap-2">
              <Skeleton className="h-4 w-14 rounded-full" />
              <Skeleton className="h-4 w-20 rounded-full" />
            </div>
          </div>
          <Skeleton className="h-5 w-9 rounded-full" />
          <Skeleton className="size-8" />
        </div>
      ))}
    </div>
  );
}
