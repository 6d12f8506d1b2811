import { Play, Plus, X } from 'lucide-react';
import { useState } from 'react';
import { useLocation } from 'react-router';
import { Button } from '@/components/ui/button';
import { useToastClearance } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import type { RestaurantListItem } from '@/features/restaurants/api/queries';
import { DeleteRestaurantDialog } from '@/features/restaurants/components/delete-restaurant-dialog';
import { RestaurantFiltersBar } from '@/features/restaurants/components/restaurant-filters-bar';
import {
  CreateRestaurantDialog,
  EditRestaurantDialog,
} from '@/features/restaurants/components/restaurant-form-dialogs';
import { RestaurantsList } from '@/features/restaurants/components/restaurants-list';
import { RestaurantsListActions } from '@/features/restaurants/components/restaurants-list-actions';
import { useRestaurantFilters } from '@/features/restaurants/hooks/use-restaurant-filters';
import { BulkStartSequenceDialog } from '@/features/sequence-instances/components/bulk-start-sequence-dialog';
import { useUser } from '@/lib/auth';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useOrganisationCalendar } from '../tasks/use-organisation-calendar';
import { useRefreshSequenceWork } from '../tasks/use-refresh-sequence-work';
import { useReps } from './use-reps';
import { useRestaurantSelection } from './use-restaurant-selection';

/** Route state that opens the Add restaurant form on arrival: `{ addRestaurant: true }`. */
const opensAddForm = (state: unknown) =>
  typeof state === 'object' && state !== null && 'addRestaurant' in state;

export function Component() {
  const organisation = useCurrentOrganisation();
  const user = useUser();
  const reps = useReps();
  const { filters, setFilters, hasFilters, clearFilters } = useRestaurantFilters();
  // Opened straight away when a link asks for it (the home page's first-run "Add restaurant").
  const location = useLocation();
  const [creating, setCreating] = useState(() => opensAddForm(location.state));
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<RestaurantListItem | null>(null);
  const selected = useRestaurantSelection();
  // The selection bar sticks to the bottom of the screen; toasts rise above it.
  const toastClearance = useToastClearance();
  const [bulkStarting, setBulkStarting] = useState(false);
  const [startedAny, setStartedAny] = useState(false);
  const { calendar, calendarIsDefault } = useOrganisationCalendar();
  const { refreshTasks } = useRefreshSequenceWork();

  return (
    <div className="space-y-6">
      <title>{`Restaurants · ${organisation.name} · Forkflow`}</title>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Restaurants</h1>
          <p className="mt-1 text-sm text-slate-600">
            Your leads at {organisation.name}: who they are and where they stand.
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <RestaurantsListActions filters={filters} reps={reps} />
          <Button onClick={() => setCreating(true)}>
            <Plus className="size-4" aria-hidden />
            Add restaurant
          </Button>
        </div>
      </header>

      <div className="overflow-clip rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
        <div className="border-b border-slate-200 p-3 sm:p-4">
          <RestaurantFiltersBar
            filters={filters}
            setFilters={setFilters}
            hasFilters={hasFilters}
            clearFilters={clearFilters}
            reps={reps}
            currentUserId={user.id}
          />
        </div>
        <RestaurantsList
          selection={selected.selection}
          filters={filters}
          setFilters={setFilters}
          hasFilters={hasFilters}
          clearFilters={clearFilters}
          reps={reps}
          onAdd={() => setCreating(true)}
          onEdit={(restaurant) => setEditingId(restaurant.id)}
          onDelete={setDeleting}
        />
        {selected.count > 0 ? (
          <div
            ref={toastClearance}
            role="region"
            aria-label="Selected restaurants"
            className="sticky bottom-0 z-20 flex flex-wrap items-center justify-between gap-2 border-t border-brand-200 bg-brand-50/95 px-4 py-3 shadow-[0_-4px_12px_-8px_rgba(15,23,42,0.25)] backdrop-blur sm:px-5"
          >
            <p className="text-sm font-medium text-brand-900">{selected.count} selected</p>
            <div className="flex flex-wrap gap-2">
              <Button variant="ghost" size="sm" onClick={selected.clear}>
                <X className="size-4" aria-hidden />
                Clear selection
              </Button>
              <Button size="sm" onClick={() => setBulkStarting(true)}>
                <Play className="size-4" aria-hidden />
                Start sequence for {selected.count}{' '}
                {selected.count === 1 ? 'restaurant' : 'restaurants'}
              </Button>
            </div>
          </div>
        ) : null}
      </div>

      <CreateRestaurantDialog open={creating} onOpenChange={setCreating} reps={reps} />
      <EditRestaurantDialog
        open={editingId !== null}
        onOpenChange={(open) => (open ? undefined : setEditingId(null))}
        restaurantId={editingId}
        reps={reps}
      />
      <DeleteRestaurantDialog
        restaurant={deleting}
        onOpenChange={(open) => (open ? undefined : setDeleting(null))}
      />
      <BulkStartSequenceDialog
        open={bulkStarting}
        onOpenChange={(open) => {
          setBulkStarting(open);
          // Closing after a run (or cancelling): start the next selection from scratch.
          if (!open && startedAny) {
            selected.clear();
            setStartedAny(false);
          }
        }}
        restaurants={selected.restaurants}
        calendar={calendar}
        calendarIsDefault={calendarIsDefault}
        templatesHref={paths.app.sequenceTemplates.getHref()}
        restaurantHref={paths.app.restaurant.getHref}
        onFinished={() => {
          setStartedAny(true);
          refreshTasks();
        }}
      />
    </div>
  );
}
