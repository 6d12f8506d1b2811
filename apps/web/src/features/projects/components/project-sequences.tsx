import type { RunStatus } from '@forkflow/domain/flows/schemas';
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useQuery } from '@tanstack/react-query';
import {
  ArrowDown,
  ArrowUp,
  ChevronLeft,
  ChevronRight,
  GripVertical,
  ListOrdered,
  Plus,
  Trash2,
} from 'lucide-react';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { paths } from '@/config/paths';
import { getErrorMessage } from '@/lib/errors';
import { cn, formatRelative } from '@/lib/utils';
import { useDeleteFlowSequence } from '../api/delete-flow-sequence';
import { useMoveFlowSequence } from '../api/move-flow-sequence';
import { SEQUENCES_PAGE_SIZE, projectQueries, type SequenceListItem } from '../api/queries';
import { NewSequenceDialog } from './new-sequence-dialog';

const runLabels: Record<RunStatus, string> = {
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  failed: 'Failed',
  stopped: 'Stopped',
};
const runTones: Record<RunStatus, BadgeTone> = {
  running: 'blue',
  paused: 'amber',
  completed: 'emerald',
  failed: 'red',
  stopped: 'slate',
};

type Props = {
  organisationId: string;
  projectId: string;
  canManage: boolean;
  page: number;
  onPageChange: (page: number) => void;
};

/**
 * A project's flow sequences in their order, a page at a time. Owners and admins reorder them
 * by dragging (pointer or keyboard: Space, arrows, Space) or with Move up / Move down; the new
 * order shows at once and is put back if the server refuses it.
 */
export function ProjectSequences({
  organisationId,
  projectId,
  canManage,
  page,
  onPageChange,
}: Props) {
  const query = useQuery(projectQueries.sequences(organisationId, projectId, page));
  const { toast } = useToast();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<SequenceListItem | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const move = useMoveFlowSequence({
    organisationId,
    pageSize: SEQUENCES_PAGE_SIZE,
    mutationConfig: {
      onError: (error) =>
        toast({
          title: 'The order wasn’t saved',
          description: getErrorMessage(error),
          tone: 'error',
        }),
    },
  });
  const remove = useDeleteFlowSequence({
    organisationId,
    mutationConfig: {
      onSuccess: () => {
        toast({ title: 'Sequence deleted', description: deleting?.name });
        setDeleting(null);
      },
    },
  });
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const rows = query.data?.rows ?? [];
  const offset = (page - 1) * SEQUENCES_PAGE_SIZE;
  const total = query.data?.total ?? 0;
  const indexOf = (id: unknown) => rows.findIndex((row) => row.id === id);
  const nameOf = (id: unknown) => rows[indexOf(id)]?.name ?? 'the sequence';

  const moveTo = (sequenceId: string, position: number) =>
    move.mutate({ organisationId, projectId, sequenceId, position });

  const focusAfterMove = (id: string, button: 'up' | 'down') =>
    // The list re-renders in its new order: keep focus on the control that was used.
    requestAnimationFrame(() => {
      const item = listRef.current?.querySelector<HTMLElement>(`[data-sequence-id="${id}"]`);
      (
        item?.querySelector<HTMLButtonElement>(`[data-move="${button}"]:not(:disabled)`) ??
        item?.querySelector<HTMLButtonElement>('[data-move]:not(:disabled)')
      )?.focus();
    });

  const announcements: Announcements = {
    onDragStart: ({ active }) =>
      `Picked up ${nameOf(active.id)}. Use the arrow keys to move it, Space to drop it, Escape to cancel.`,
    onDragOver: ({ active, over }) =>
      over ? `${nameOf(active.id)} is over position ${offset + indexOf(over.id) + 1}.` : undefined,
    onDragEnd: ({ active, over }) =>
      over
        ? `Dropped ${nameOf(active.id)} at position ${offset + indexOf(over.id) + 1}.`
        : undefined,
    onDragCancel: ({ active }) => `Cancelled. ${nameOf(active.id)} stays where it was.`,
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const to = indexOf(over.id);
    if (to >= 0) moveTo(String(active.id), offset + to);
  };

  let body;
  if (query.isPending) {
    body = (
      <div role="status" aria-label="Loading sequences" className="space-y-2">
        <Skeleton className="h-14" />
        <Skeleton className="h-14" />
      </div>
    );
  } else if (!query.data) {
    body = (
      <ErrorState
        title="Couldn't load the sequences"
        message={getErrorMessage(query.error)}
        onRetry={() => void query.refetch()}
        isRetrying={query.isFetching}
      />
    );
  } else if (rows.length === 0 && page === 1) {
    body = (
      <EmptyState
        icon={<ListOrdered className="size-6" aria-hidden />}
        title="No sequences yet"
        description="A sequence runs workflows one after another, each reading what the earlier ones returned."
        className="py-8"
      />
    );
  } else {
    body = (
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragEnd={onDragEnd}
        accessibility={{
          announcements,
          screenReaderInstructions: {
            draggable:
              'To reorder, press Space or Enter to lift the sequence, use the arrow keys to move it, and Space or Enter again to drop it. Escape cancels.',
          },
        }}
      >
        <SortableContext items={rows.map((row) => row.id)} strategy={verticalListSortingStrategy}>
          <ol ref={listRef} aria-label="Sequences in order" className="space-y-2">
            {rows.map((row, index) => (
              <SequenceRow
                key={row.id}
                projectId={projectId}
                sequence={row}
                position={offset + index}
                total={total}
                canManage={canManage}
                onMoveUp={() => {
                  moveTo(row.id, offset + index - 1);
                  focusAfterMove(row.id, 'up');
                }}
                onMoveDown={() => {
                  moveTo(row.id, offset + index + 1);
                  focusAfterMove(row.id, 'down');
                }}
                onDelete={() => setDeleting(row)}
              />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
    );
  }

  const pageCount = query.data?.pageCount ?? 1;
  return (
    <section
      aria-labelledby="sequences-title"
      className="space-y-4 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5"
    >
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="sequences-title" className="text-base font-semibold text-slate-900">
            Sequences
          </h2>
          <p className="text-sm text-slate-600">
            {canManage ? 'Drag to reorder, or use the arrows.' : 'In the order the team set.'}
          </p>
        </div>
        {canManage ? (
          <Button onClick={() => setCreating(true)}>
            <Plus className="size-4" aria-hidden />
            New sequence
          </Button>
        ) : null}
      </div>
      {body}
      {pageCount > 1 || page > 1 ? (
        <nav
          aria-label="Sequence pages"
          className="flex items-center justify-between gap-3 text-sm"
        >
          <p className="text-slate-600">
            Page {page} of {pageCount}
          </p>
          <div className="flex gap-2">
            <Button
              variant="secondary"
              size="sm"
              disabled={page <= 1}
              onClick={() => onPageChange(page - 1)}
            >
              <ChevronLeft className="size-4" aria-hidden />
              Previous
            </Button>
            <Button
              variant="secondary"
              size="sm"
              disabled={page >= pageCount}
              onClick={() => onPageChange(page + 1)}
            >
              Next
              <ChevronRight className="size-4" aria-hidden />
            </Button>
          </div>
        </nav>
      ) : null}
      {canManage ? (
        <>
          <NewSequenceDialog
            organisationId={organisationId}
            projectId={projectId}
            open={creating}
            onOpenChange={setCreating}
          />
          <ConfirmDialog
            open={deleting !== null}
            onOpenChange={(open) => {
              if (!open) {
                setDeleting(null);
                remove.reset();
              }
            }}
            title={`Delete ${deleting?.name ?? 'this sequence'}?`}
            description={
              <div className="space-y-2">
                <p>Its flows, mappings and runs are deleted. This can’t be undone.</p>
                {remove.error ? (
                  <p role="alert" className="text-red-700">
                    {getErrorMessage(remove.error)}
                  </p>
                ) : null}
              </div>
            }
            confirmLabel="Delete sequence"
            isPending={remove.isPending}
            onConfirm={() =>
              deleting && remove.mutate({ organisationId, projectId, sequenceId: deleting.id })
            }
          />
        </>
      ) : null}
    </section>
  );
}

function SequenceRow({
  projectId,
  sequence,
  position,
  total,
  canManage,
  onMoveUp,
  onMoveDown,
  onDelete,
}: {
  projectId: string;
  sequence: SequenceListItem;
  position: number;
  total: number;
  canManage: boolean;
  onMoveUp: () => void;
  onMoveDown: () => void;
  onDelete: () => void;
}) {
  const {
    attributes,
    listeners,
    setNodeRef,
    setActivatorNodeRef,
    transform,
    transition,
    isDragging,
  } = useSortable({ id: sequence.id, disabled: !canManage });
  return (
    <li
      ref={setNodeRef}
      data-sequence-id={sequence.id}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn(
        'flex items-center gap-1 rounded-lg bg-white py-2 pr-2 pl-1 ring-1 ring-slate-200 sm:gap-2 sm:pl-2',
        isDragging && 'z-10 shadow-lg ring-2 ring-brand-500',
      )}
    >
      {canManage ? (
        <button
          type="button"
          ref={setActivatorNodeRef}
          {...attributes}
          {...listeners}
          aria-label={`Drag to reorder ${sequence.name}`}
          className="flex size-9 shrink-0 cursor-grab touch-none items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-600 focus-visible:outline-2 focus-visible:outline-brand-600 active:cursor-grabbing"
        >
          <GripVertical className="size-5" aria-hidden />
        </button>
      ) : null}
      <span
        className="flex size-7 shrink-0 items-center justify-center rounded-full bg-brand-50 text-xs font-semibold text-brand-700 tabular-nums"
        aria-hidden
      >
        {position + 1}
      </span>
      <div className="min-w-0 flex-1 px-1">
        <Link
          to={paths.app.flowSequence.getHref(projectId, sequence.id)}
          className="block truncate text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline"
        >
          {sequence.name}
        </Link>
        <div className="flex min-w-0 items-center gap-2 text-xs text-slate-500">
          {/* In the meta line, not beside the name: on a phone the name keeps the width. */}
          {sequence.last_run ? (
            <Link
              to={paths.app.flowRun.getHref(sequence.last_run.id)}
              title={`Last run ${formatRelative(sequence.last_run.created_at)}`}
              className="shrink-0 rounded-full focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              <span className="sr-only">Last run: </span>
              <Badge tone={runTones[sequence.last_run.status]} dot>
                {runLabels[sequence.last_run.status]}
              </Badge>
            </Link>
          ) : null}
          <p className="min-w-0 truncate">
            {sequence.flows_count === 1 ? '1 flow' : `${sequence.flows_count} flows`}
            {sequence.description ? ` · ${sequence.description}` : ''}
          </p>
        </div>
      </div>
      {canManage ? (
        <div className="flex shrink-0 items-center">
          <Button
            variant="ghost"
            size="icon"
            data-move="up"
            aria-label={`Move ${sequence.name} up`}
            disabled={position === 0}
            onClick={onMoveUp}
            className="max-sm:size-8"
          >
            <ArrowUp className="size-4" aria-hidden />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            data-move="down"
            aria-label={`Move ${sequence.name} down`}
            disabled={position >= total - 1}
            onClick={onMoveDown}
            className="max-sm:size-8"
          >
            <ArrowDown className="size-4" aria-hidden />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            aria-label={`Delete ${sequence.name}`}
            onClick={onDelete}
            className="hover:bg-red-50 hover:text-red-700 max-sm:size-8"
          >
            <Trash2 className="size-4" aria-hidden />
          </Button>
        </div>
      ) : null}
    </li>
  );
}
