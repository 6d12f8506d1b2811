import { useQuery } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight, Pencil, SearchX, Store, Trash2, UserRound } from 'lucide-react';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { cn, formatRelative, initials } from '@/lib/utils';
import {
  RESTAURANTS_PAGE_SIZE,
  restaurantQueries,
  type RestaurantFilters,
  type RestaurantListItem,
} from '../api/queries';
import { useHeldHeight } from '../hooks/use-held-height';
import type { RestaurantFiltersPatch } from '../hooks/use-restaurant-filters';
import type { Rep } from '../types';
import { StageBadge, WarmthBadge } from './restaurant-badges';

/** Row checkboxes, when the page offers bulk actions (the app keeps what is selected). */
export type RestaurantSelection = {
  isSelected: (id: string) => boolean;
  onToggle: (restaurant: RestaurantListItem, selected: boolean) => void;
  onTogglePage: (restaurants: RestaurantListItem[], selected: boolean) => void;
};

type Props = {
  selection?: RestaurantSelection;
  filters: RestaurantFilters;
  setFilters: (patch: RestaurantFiltersPatch, options?: { replace?: boolean }) => void;
  hasFilters: boolean;
  clearFilters: () => void;
  reps: Rep[];
  onAdd: () => void;
  onEdit: (restaurant: RestaurantListItem) => void;
  onDelete: (restaurant: RestaurantListItem) => void;
};

export function RestaurantsList({
  selection,
  filters,
  setFilters,
  hasFilters,
  clearFilters,
  reps,
  onAdd,
  onEdit,
  onDelete,
}: Props) {
  const organisation = useCurrentOrganisation();
  const query = useQuery(restaurantQueries.list(organisation.id, filters));
  const { data } = query;
  const rowsArea = useHeldHeight<HTMLDivElement>();

  // A page past the end (after deletes, or an old link): go to the last real page.
  useEffect(() => {
    if (!data || query.isPlaceholderData || filters.page === 1) return;
    if (data.rows.length === 0) {
      const lastPage = data.total > 0 ? data.pageCount : 1;
      if (lastPage !== filters.page) setFilters({ page: lastPage }, { replace: true });
    }
  }, [data, filters.page, query.isPlaceholderData, setFilters]);

  if (query.isPending) return <RestaurantsTableSkeleton />;

  if (!data) {
    return (
      <ErrorState
        title="Couldn't load restaurants"
        message={getErrorMessage(query.error)}
        onRetry={() => void query.refetch()}
        isRetrying={query.isFetching}
      />
    );
  }

  if (data.rows.length === 0) {
    if (hasFilters) {
      return (
        <EmptyState
          icon={<SearchX className="size-6" aria-hidden />}
          title="No restaurants match"
          description={
            filters.q
              ? `Nothing matches “${filters.q}”${filters.stage || filters.warmth || filters.rep ? ' with these filters' : ''}.`
              : 'Try other filters, or clear them to see every restaurant.'
          }
          action={
            <Button variant="secondary" onClick={clearFilters}>
              Clear filters
            </Button>
          }
        />
      );
    }
    if (filters.page === 1) {
      return (
        <EmptyState
          icon={<Store className="size-6" aria-hidden />}
          title="No restaurants yet — add your first"
          description="Restaurants are your leads: who to contact, where they are in the pipeline and who owns them."
          action={<Button onClick={onAdd}>Add restaurant</Button>}
        />
      );
    }
    return <RestaurantsTableSkeleton />;
  }

  const repsById = new Map(reps.map((rep) => [rep.id, rep]));
  const selectedOnPage = selection
    ? data.rows.filter((row) => selection.isSelected(row.id)).length
    : 0;
  const first = (data.page - 1) * RESTAURANTS_PAGE_SIZE + 1;
  const last = first + data.rows.length - 1;

  return (
    <div>
      {query.isError ? (
        <p
          role="alert"
          className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900"
        >
          Couldn’t refresh: {getErrorMessage(query.error)}{' '}
          <button
            type="button"
            className="font-medium underline"
            onClick={() => void query.refetch()}
          >
            Try again
          </button>
        </p>
      ) : null}
      <div
        ref={rowsArea}
        className={cn(
          'overflow-x-auto transition-opacity',
          query.isPlaceholderData && 'opacity-60',
        )}
      >
        {/* Fixed column widths from md up: the columns never resize to the rows' content, so
            rows and headers do not slide sideways when a search changes the rows (§1). */}
        <table
          className="w-full text-left text-sm md:table-fixed"
          aria-busy={query.isFetching || undefined}
        >
          <caption className="sr-only">Restaurants</caption>
          <thead className="border-b border-slate-200 bg-slate-50/80 text-xs font-medium text-slate-500">
            <tr>
              {selection ? (
                <th scope="col" className="w-10 py-2.5 pr-0 pl-4 sm:pl-5">
                  <input
                    type="checkbox"
                    aria-label="Select all restaurants on this page"
                    className="size-4 cursor-pointer rounded border-slate-300 accent-brand-600"
                    checked={selectedOnPage > 0 && selectedOnPage === data.rows.length}
                    ref={(element) => {
                      if (element) {
                        element.indeterminate =
                          selectedOnPage > 0 && selectedOnPage < data.rows.length;
                      }
                    }}
                    onChange={(event) => selection.onTogglePage(data.rows, event.target.checked)}
                  />
                </th>
              ) : null}
              <th scope="col" className="px-4 py-2.5 font-medium sm:pl-5">
                Restaurant
              </th>
              <th scope="col" className="hidden w-56 px-4 py-2.5 font-medium xl:table-cell">
                Contact
              </th>
              <th scope="col" className="hidden w-36 px-4 py-2.5 font-medium md:table-cell">
                Stage
              </th>
              <th scope="col" className="hidden w-28 px-4 py-2.5 font-medium md:table-cell">
                Warmth
              </th>
              <th scope="col" className="hidden w-44 px-4 py-2.5 font-medium xl:table-cell">
                Assigned rep
              </th>
              <th scope="col" className="hidden w-32 px-4 py-2.5 font-medium 2xl:table-cell">
                Updated
              </th>
              <th scope="col" className="px-4 py-2.5 sm:pr-5 md:w-28">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.rows.map((restaurant) => {
              const rep = restaurant.assigned_sales_rep
                ? repsById.get(restaurant.assigned_sales_rep)
                : undefined;
              const place = [restaurant.city, restaurant.cuisine].filter(Boolean).join(' · ');
              return (
                <tr
                  key={restaurant.id}
                  className={cn(
                    'group hover:bg-slate-50/70',
                    selection?.isSelected(restaurant.id) && 'bg-brand-50/50',
                  )}
                >
                  {selection ? (
                    <td className="w-10 py-3 pr-0 pl-4 align-top sm:pl-5">
                      <input
                        type="checkbox"
                        aria-label={`Select ${restaurant.name}`}
                        className="mt-0.5 size-4 cursor-pointer rounded border-slate-300 accent-brand-600"
                        checked={selection.isSelected(restaurant.id)}
                        onChange={(event) => selection.onToggle(restaurant, event.target.checked)}
                      />
                    </td>
                  ) : null}
                  <td className="max-w-0 px-4 py-3 sm:pl-5 md:max-w-none">
                    <Link
                      to={paths.app.restaurant.getHref(restaurant.id)}
                      className="block truncate font-medium text-slate-900 hover:text-brand-700 focus-visible:underline focus-visible:outline-none"
                    >
                      {restaurant.name}
                    </Link>
                    <p className="truncate text-slate-500">{place || '—'}</p>
                    {restaurant.contact_name ? (
                      <p className="truncate text-slate-500 xl:hidden">{restaurant.contact_name}</p>
                    ) : null}
                    <div className="mt-1.5 flex flex-wrap gap-1.5 md:hidden">
                      <StageBadge stage={restaurant.lead_stage} />
                      <WarmthBadge warmth={restaurant.lead_warmth} />
                    </div>
                  </td>
                  <td className="hidden max-w-56 px-4 py-3 xl:table-cell">
                    <p className="truncate text-slate-800">{restaurant.contact_name ?? '—'}</p>
                    <p className="truncate text-slate-500">
                      {restaurant.contact_email ?? restaurant.contact_phone ?? ''}
                    </p>
                  </td>
                  <td className="hidden px-4 py-3 md:table-cell">
                    <StageBadge stage={restaurant.lead_stage} />
                  </td>
                  <td className="hidden px-4 py-3 md:table-cell">
                    <WarmthBadge warmth={restaurant.lead_warmth} />
                  </td>
                  <td className="hidden overflow-hidden px-4 py-3 xl:table-cell">
                    {restaurant.assigned_sales_rep ? (
                      <span className="flex items-center gap-2 text-slate-700">
                        <span
                          className="flex size-6 shrink-0 items-center justify-center rounded-full bg-slate-200 text-[10px] font-semibold text-slate-700"
                          aria-hidden
                        >
                          {rep ? initials(rep.name) : <UserRound className="size-3.5" />}
                        </span>
                        <span className="truncate">{rep?.name ?? 'Former member'}</span>
                      </span>
                    ) : (
                      <span className="text-slate-400">Unassigned</span>
                    )}
                  </td>
                  <td className="hidden px-4 py-3 whitespace-nowrap text-slate-500 2xl:table-cell">
                    <time dateTime={restaurant.updated_at}>
                      {formatRelative(restaurant.updated_at)}
                    </time>
                  </td>
                  <td className="py-3 pr-2 pl-0 text-right whitespace-nowrap sm:pr-5 sm:pl-4">
                    <div className="flex justify-end gap-0.5 opacity-100 lg:opacity-60 lg:group-focus-within:opacity-100 lg:group-hover:opacity-100">
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Edit ${restaurant.name}`}
                        onClick={() => onEdit(restaurant)}
                      >
                        <Pencil className="size-4" aria-hidden />
                      </Button>
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Delete ${restaurant.name}`}
                        onClick={() => onDelete(restaurant)}
                        className="hover:bg-red-50 hover:text-red-700"
                      >
                        <Trash2 className="size-4" aria-hidden />
                      </Button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <nav
        aria-label="Pagination"
        className="flex items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm sm:px-5"
      >
        <p className="text-slate-600" aria-live="polite">
          <span className="hidden sm:inline">Showing </span>
          <span className="font-medium text-slate-900">{first}</span>–
          <span className="font-medium text-slate-900">{last}</span> of{' '}
          {/* Past 1,000 the server estimates rather than counting every row: say so. */}
          <span className="font-medium text-slate-900">
            {data.estimated ? 'about ' : ''}
            {data.total.toLocaleString('en-GB')}
          </span>
        </p>
        <div className="flex gap-2">
          <Button
            variant="secondary"
            size="sm"
            disabled={data.page <= 1}
            onClick={() => setFilters({ page: data.page - 1 })}
          >
            <ChevronLeft className="size-4" aria-hidden />
            Previous
          </Button>
          <Button
            variant="secondary"
            size="sm"
            disabled={data.page >= data.pageCount}
            onClick={() => setFilters({ page: data.page + 1 })}
          >
            Next
            <ChevronRight className="size-4" aria-hidden />
          </Button>
        </div>
      </nav>
    </div>
  );
}

export function RestaurantsTableSkeleton() {
  return (
    <div role="status" aria-label="Loading restaurants" className="divide-y divide-slate-100">
      <div className="h-10 border-b border-slate-200 bg-slate-50/80" />
      {Array.from({ length: 8 }, (_, index) => (
        <div key={index} className="flex items-center gap-6 px-5 py-4">
          <div className="flex-1 space-y-2">
            <Skeleton className="h-4 w-48 max-w-full" />
            <Skeleton className="h-3 w-32" />
          </div>
          <Skeleton className="hidden h-5 w-24 rounded-full md:block" />
          <Skeleton className="hidden h-5 w-16 rounded-full md:block" />
          <Skeleton className="hidden h-4 w-28 xl:block" />
          <Skeleton className="h-8 w-16" />
        </div>
      ))}
    </div>
  );
}
