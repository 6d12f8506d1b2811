import { useDroppable } from '@dnd-kit/core';
import { leadStageLabels, type LeadStage } from '@forkflow/domain/restaurants';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/ui/states';
import { getErrorMessage } from '@/lib/errors';
import { cn } from '@/lib/utils';
import {
  pipelineQueries,
  type BoardCard,
  type BoardFilters,
  type StageCount,
} from '../api/queries';
import { PipelineCard } from './pipeline-card';

const countText = ({ total, capped }: StageCount) =>
  `${total.toLocaleString('en-GB')}${capped ? '+' : ''}`;

/** One stage: its count, its newest cards, "Load more" for the rest. A drop target. */
export function PipelineColumn({
  organisationId,
  stage,
  filters,
  count,
  repName,
  restaurantHref,
  onMoveTo,
}: {
  organisationId: string;
  stage: LeadStage;
  filters: BoardFilters;
  count: StageCount | undefined;
  repName: (id: string | null) => string | null;
  restaurantHref: (id: string) => string;
  onMoveTo: (card: BoardCard, stage: LeadStage) => void;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: stage });
  const column = useInfiniteQuery(pipelineQueries.column(organisationId, stage, filters));
  const cards = column.data?.pages.flatMap((page) => page.cards) ?? [];
  const label = leadStageLabels[stage];
  const headingId = `pipeline-column-${stage}`;

  return (
    <section
      ref={setNodeRef}
      aria-labelledby={headingId}
      data-stage={stage}
      className={cn(
        'flex max-h-[calc(100dvh-14rem)] min-h-48 w-72 shrink-0 flex-col rounded-xl bg-slate-100/80 ring-1 ring-slate-200 transition-colors',
        isOver && 'bg-brand-50 ring-2 ring-brand-400',
      )}
    >
      <header className="flex items-center justify-between gap-2 px-3 pt-3 pb-2">
        <h2 id={headingId} className="text-sm font-semibold text-slate-900">
          {label}
        </h2>
        <span
          className="min-w-6 rounded-full bg-white px-2 py-0.5 text-center text-xs font-medium text-slate-700 ring-1 ring-slate-200"
          aria-label={count === undefined ? undefined : `${countText(count)} in ${label}`}
        >
          {count === undefined ? '…' : countText(count)}
        </span>
      </header>
      <div className="flex-1 overflow-y-auto px-2 pb-2">
        {column.isPending ? (
          <div role="status" aria-label={`Loading ${label}`} className="space-y-2">
            <Skeleton className="h-16" />
            <Skeleton className="h-16" />
          </div>
        ) : column.isError ? (
          <ErrorState
            className="px-2 py-6"
            title={`Couldn't load ${label}`}
            message={getErrorMessage(column.error)}
            onRetry={() => void column.refetch()}
            isRetrying={column.isRefetching}
          />
        ) : cards.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 px-3 py-6 text-center text-xs text-slate-500">
            No restaurants in {label}
          </p>
        ) : (
          <ul aria-label={`${label} restaurants`} className="space-y-2">
            {cards.map((card) => (
              <li key={card.id}>
                <PipelineCard
                  card={card}
                  repName={repName(card.assigned_sales_rep)}
                  href={restaurantHref(card.id)}
                  onMoveTo={(to) => onMoveTo(card, to)}
                />
              </li>
            ))}
          </ul>
        )}
        {column.hasNextPage ? (
          <Button
            variant="ghost"
            size="sm"
            className="mt-2 w-full"
            onClick={() => void column.fetchNextPage()}
            isLoading={column.isFetchingNextPage}
          >
            Load more
            <span className="sr-only"> in {label}</span>
          </Button>
        ) : null}
      </div>
    </section>
  );
}
