import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { BookmarkPlus, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Dialog } from '@/components/ui/dialog';
import { FilterSelect } from '@/components/ui/filter-select';
import { Input } from '@/components/ui/form-field';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import type { RestaurantFilters } from '../api/queries';
import type { RestaurantFiltersPatch } from '../hooks/use-restaurant-filters';
import {
  createSavedView,
  deleteSavedView,
  describeViewFilters,
  sameFilters,
  savedViewQueries,
  toViewFilters,
  type SavedView,
} from './saved-views-api';

const NAME_MAX = 80;

/**
 * The filter bar's saved views: pick one to apply its filters, save the current filters under
 * a name, delete the view being shown. Views are the user's own (RLS), per organisation.
 */
export function SavedViewsMenu({
  filters,
  setFilters,
  repName,
}: {
  filters: RestaurantFilters;
  setFilters: (patch: RestaurantFiltersPatch) => void;
  /** The rep filter's name, for the save dialog's summary. */
  repName?: string;
}) {
  const organisation = useCurrentOrganisation();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const views = useQuery(savedViewQueries.list(organisation.id));
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState<SavedView | null>(null);
  const current = toViewFilters(filters);
  const shown = views.data?.find((view) => sameFilters(view.filters, current));

  const remove = useMutation({
    mutationFn: (view: SavedView) => deleteSavedView(view.id),
    onSuccess: (_, view) => {
      setDeleting(null);
      toast({ tone: 'success', title: 'View deleted', description: view.name });
    },
    onError: (error) =>
      toast({
        tone: 'error',
        title: 'Couldn’t delete the view',
        description: getErrorMessage(error),
      }),
    onSettled: () =>
      queryClient.invalidateQueries({ queryKey: savedViewQueries.all(organisation.id) }),
  });

  return (
    <div className="flex min-w-0 items-center gap-1">
      <FilterSelect
        label="Saved view"
        value={shown?.id ?? ''}
        className="w-40"
        onChange={(id) => {
          const view = views.data?.find((candidate) => candidate.id === id);
          if (view) setFilters({ ...view.filters, page: 1 });
        }}
      >
        <option value="">
          {views.isPending ? 'Loading views…' : views.isError ? 'Views unavailable' : 'Saved views'}
        </option>
        {views.data?.map((view) => (
          <option key={view.id} value={view.id}>
            {view.name}
          </option>
        ))}
      </FilterSelect>
      <Button variant="ghost" size="icon" onClick={() => setSaving(true)} aria-label="Save view">
        <BookmarkPlus className="size-4" aria-hidden />
      </Button>
      {/* Always there (hidden when no view is shown) so picking a view moves nothing. */}
      <Button
        variant="ghost"
        size="icon"
        className={shown ? undefined : 'invisible'}
        aria-hidden={shown ? undefined : true}
        tabIndex={shown ? undefined : -1}
        onClick={() => shown && setDeleting(shown)}
        aria-label={shown ? `Delete view ${shown.name}` : 'Delete view'}
      >
        <Trash2 className="size-4" aria-hidden />
      </Button>
      <SaveViewDialog open={saving} onOpenChange={setSaving} filters={filters} repName={repName} />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => (open ? undefined : setDeleting(null))}
        title="Delete this view?"
        description={`“${deleting?.name ?? ''}” will no longer be in your saved views. The restaurants are not changed.`}
        confirmLabel="Delete view"
        cancelLabel="Keep view"
        isPending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
      />
    </div>
  );
}

function SaveViewDialog({
  open,
  onOpenChange,
  filters,
  repName,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  filters: RestaurantFilters;
  repName?: string;
}) {
  const organisation = useCurrentOrganisation();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const id = useId();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const viewFilters = toViewFilters(filters);
  const save = useMutation({
    // The filters this render shows in the dialog (below), so the view is what the rep saw.
    mutationFn: () => createSavedView(organisation.id, name, viewFilters),
    onSuccess: (view) => {
      toast({ tone: 'success', title: 'View saved', description: view.name });
      setName('');
      onOpenChange(false);
      return queryClient.invalidateQueries({ queryKey: savedViewQueries.all(organisation.id) });
    },
    onError: (error) => setProblem(getErrorMessage(error)),
  });
  const submit = () => {
    const trimmed = name.trim();
    if (!trimmed) return setProblem('Give the view a name.');
    if (trimmed.length > NAME_MAX) return setProblem(`At most ${NAME_MAX} characters.`);
    setProblem(null);
    save.mutate();
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setProblem(null);
        onOpenChange(next);
      }}
      title="Save this view"
      description="Keeps the current search, filters and sort under a name, for you only."
      footer={
        <>
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button onClick={submit} disabled={save.isPending}>
            Save view
          </Button>
        </>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
        className="space-y-1"
      >
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          View name
        </label>
        <Input
          id={id}
          value={name}
          maxLength={NAME_MAX + 20}
          autoFocus
          aria-invalid={problem !== null}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(event) => setName(event.target.value)}
        />
        {problem ? (
          <p id={`${id}-problem`} className="text-sm text-red-600" role="alert">
            {problem}
          </p>
        ) : null}
        <p className="pt-2 text-sm text-slate-600">
          <span className="font-medium text-slate-800">Keeps: </span>
          <span data-testid="saved-view-summary">{describeViewFilters(viewFilters, repName)}</span>
        </p>
      </form>
    </Dialog>
  );
}
