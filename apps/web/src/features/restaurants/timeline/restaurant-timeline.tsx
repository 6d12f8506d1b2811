import { useInfiniteQuery, useIsMutating, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import {
  ArrowRightLeft,
  CheckCircle2,
  ListRestart,
  NotebookPen,
  SkipForward,
  Workflow,
} from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { restaurantQueries } from '../api/queries';
import type { Rep } from '../types';
import { describeActivity } from './describe-activity';
import { restaurantTimelineQueries, type TimelineEntry } from './timeline-queries';

/** An entry's icon, by kind (a plain element, so nothing is created during render). */
function ActivityIcon({ kind }: { kind: string }) {
  const className = 'size-4';
  if (kind === 'task_completed') return <CheckCircle2 className={className} aria-hidden />;
  if (kind === 'task_skipped') return <SkipForward className={className} aria-hidden />;
  if (kind === 'task_reopened') return <ListRestart className={className} aria-hidden />;
  if (kind === 'notes_changed') return <NotebookPen className={className} aria-hidden />;
  if (kind.startsWith('sequence_')) return <Workflow className={className} aria-hidden />;
  return <ArrowRightLeft className={className} aria-hidden />;
}

/**
 * Everything that happened to a restaurant, newest first, with who and when: stage, warmth,
 * status, rep and notes changes, tasks done or skipped (outcome, reason), sequence events.
 */
export function RestaurantTimeline({ restaurantId, reps }: { restaurantId: string; reps: Rep[] }) {
  const organisation = useCurrentOrganisation();
  // The details above show loading, not-found and errors for the restaurant itself.
  const restaurant = useQuery(restaurantQueries.detail(organisation.id, restaurantId));
  const timeline = useInfiniteQuery({
    ...restaurantTimelineQueries.timeline(
      organisation.id,
      restaurantId,
      restaurant.data?.updated_at,
    ),
    enabled: restaurant.data !== undefined,
    // Keep the entries on screen while a newer version of the list loads.
    placeholderData: (previous) => previous,
  });
  const entries = timeline.data?.pages.flatMap((page) => page.entries) ?? [];
  useRefreshAfterChanges(organisation.id);

  if (!restaurant.data) return null;
  const repName = (id: string | null) =>
    id === null ? 'nobody' : (reps.find((rep) => rep.id === id)?.name ?? 'a former member');

  return (
    <section
      aria-labelledby="restaurant-timeline-title"
      className="mt-6 rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
    >
      <h2
        id="restaurant-timeline-title"
        className="border-b border-slate-100 px-5 py-3 text-sm font-semibold text-slate-900"
      >
        Activity
      </h2>
      <div className="px-5 py-4">
        {timeline.isPending ? (
          <div role="status" aria-label="Loading activity" className="space-y-3">
            <Skeleton className="h-10" />
            <Skeleton className="h-10" />
          </div>
        ) : timeline.isError ? (
          <ErrorState
            className="py-6"
            title="Couldn't load the activity"
            message={getErrorMessage(timeline.error)}
            onRetry={() => void timeline.refetch()}
            isRetrying={timeline.isRefetching}
          />
        ) : entries.length === 0 ? (
          <p className="py-4 text-center text-sm text-slate-500">
            Nothing yet. Stage changes, finished tasks and sequence events appear here.
          </p>
        ) : (
          <ol aria-label="Activity, newest first" className="space-y-1">
            {entries.map((entry) => (
              <TimelineItem key={entry.id} entry={entry} repName={repName} />
            ))}
          </ol>
        )}
        {timeline.hasNextPage ? (
          <Button
            variant="secondary"
            size="sm"
            className="mt-3"
            onClick={() => void timeline.fetchNextPage()}
            isLoading={timeline.isFetchingNextPage}
          >
            Show older activity
          </Button>
        ) : null}
      </div>
    </section>
  );
}

/**
 * Whatever the page changes (a task completed or skipped, a sequence paused, an edit) is in
 * the timeline as soon as it is saved: when the last running mutation settles, refetch.
 */
function useRefreshAfterChanges(organisationId: string) {
  const queryClient = useQueryClient();
  const mutating = useIsMutating();
  const wasMutating = useRef(false);
  useEffect(() => {
    if (mutating > 0) {
      wasMutating.current = true;
    } else if (wasMutating.current) {
      wasMutating.current = false;
      void queryClient.invalidateQueries({
        queryKey: restaurantTimelineQueries.all(organisationId),
      });
    }
  }, [mutating, organisationId, queryClient]);
}

function TimelineItem({
  entry,
  repName,
}: {
  entry: TimelineEntry;
  repName: (id: string | null) => string;
}) {
  const { title, detail } = describeActivity(entry, repName);
  return (
    <li className="flex gap-3 py-2">
      <span className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full bg-slate-100 text-slate-500">
        <ActivityIcon kind={entry.kind} />
      </span>
      <div className="min-w-0 flex-1">
        <p className="text-sm text-slate-900">{title}</p>
        {detail ? (
          <p className="mt-0.5 line-clamp-3 text-sm break-words whitespace-pre-line text-slate-600">
            {detail}
          </p>
        ) : null}
        <p className="mt-0.5 text-xs text-slate-500">
          {/* No actor: the scheduler did it (a paused sequence resuming on its date). */}
          {entry.actor_name ?? (entry.actor_id ? 'A former member' : 'Automatically')} ·{' '}
          <time dateTime={entry.created_at} title={formatDateTime(entry.created_at)}>
            {formatRelative(entry.created_at)}
          </time>
        </p>
      </div>
    </li>
  );
}
