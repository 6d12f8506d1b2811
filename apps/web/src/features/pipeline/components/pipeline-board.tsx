import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { leadStageLabels, leadStages, type LeadStage } from '@forkflow/domain/restaurants';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useMoveRestaurantStage } from '../api/move-restaurant-stage';
import {
  getSequencesEndingAtStage,
  pipelineQueries,
  type BoardCard,
  type BoardFilters,
} from '../api/queries';
import { boardCollisionDetection, boardKeyboardCoordinates } from '../utils/board-keyboard';
import { PipelineCard } from './pipeline-card';
import { PipelineColumn } from './pipeline-column';

export type BoardRep = { id: string; name: string };

type PendingMove = {
  card: BoardCard;
  stage: LeadStage;
  ending: Array<{ id: string; name: string }>;
};

const stageLabel = (id: unknown) =>
  typeof id === 'string' && id in leadStageLabels ? leadStageLabels[id as LeadStage] : 'nowhere';

const cardOf = (data: unknown) => (data as { card?: BoardCard } | undefined)?.card;

/** "Demo follow-up" / "Demo follow-up and Win-back" / "A, B and C". */
const listNames = (names: string[]) =>
  names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

/**
 * The pipeline: one column per lead stage, in the domain's order. Dragging a card (pointer,
 * or keyboard: Space to lift, arrows to change column, Space to drop) changes its stage at
 * once and puts it back if the server refuses. A move that would end a running sequence
 * (one of its exit stages) asks first and names the sequences.
 */
export function PipelineBoard({
  organisationId,
  filters,
  reps,
  restaurantHref,
  onMoved,
}: {
  organisationId: string;
  filters: BoardFilters;
  reps: BoardRep[];
  restaurantHref: (id: string) => string;
  /** After a move settles: the page refreshes what else shows restaurants. */
  onMoved?: (restaurantId: string) => void;
}) {
  const { toast } = useToast();
  const counts = useQuery(pipelineQueries.counts(organisationId, filters));
  const [dragging, setDragging] = useState<BoardCard | null>(null);
  const [pending, setPending] = useState<PendingMove | null>(null);
  const move = useMoveRestaurantStage({
    organisationId,
    mutationConfig: {
      onError: (error, { card }) =>
        toast({
          tone: 'error',
          title: `Couldn't move ${card.name}`,
          description: getErrorMessage(error),
        }),
      onSettled: (_data, _error, { card }) => onMoved?.(card.id),
    },
  });

  const sensors = useSensors(
    // A few pixels before a drag starts, so a click on the name still opens the restaurant.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: boardKeyboardCoordinates }),
  );

  const repName = (id: string | null) =>
    id ? (reps.find((rep) => rep.id === id)?.name ?? 'Former member') : null;

  const commit = (card: BoardCard, stage: LeadStage) =>
    move.mutate({ organisationId, id: card.id, stage, card });

  const requestMove = async (card: BoardCard, stage: LeadStage) => {
    let ending: PendingMove['ending'];
    try {
      ending = await getSequencesEndingAtStage(card.id, stage);
    } catch (error) {
      toast({
        tone: 'error',
        title: `Couldn't move ${card.name}`,
        description: getErrorMessage(error),
      });
      return;
    }
    if (ending.length > 0) setPending({ card, stage, ending });
    else commit(card, stage);
  };

  const onDragStart = ({ active }: DragStartEvent) =>
    setDragging(cardOf(active.data.current) ?? null);
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragging(null);
    const card = cardOf(active.data.current);
    const stage = over?.id as LeadStage | undefined;
    if (!card || !stage || stage === card.lead_stage) return;
    void requestMove(card, stage);
  };

  const nameOf = (data: unknown) => cardOf(data)?.name ?? 'The restaurant';
  const announcements: Announcements = {
    onDragStart: ({ active }) =>
      `Picked up ${nameOf(active.data.current)}, in ${stageLabel(cardOf(active.data.current)?.lead_stage)}. Use the left and right arrow keys to change column, Space to drop, Escape to cancel.`,
    onDragOver: ({ active, over }) =>
      over ? `${nameOf(active.data.current)} is over ${stageLabel(over.id)}.` : undefined,
    onDragEnd: ({ active, over }) =>
      over
        ? `${nameOf(active.data.current)} dropped in ${stageLabel(over.id)}.`
        : `${nameOf(active.data.current)} was dropped outside the board and stays where it was.`,
    onDragCancel: ({ active }) => `Cancelled. ${nameOf(active.data.current)} stays where it was.`,
  };

  return (
    <>
      <DndContext
        sensors={sensors}
        collisionDetection={boardCollisionDetection}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragging(null)}
        accessibility={{
          announcements,
          screenReaderInstructions: {
            draggable:
              'To move a restaurant to another stage, press Space or Enter to lift it, use the left and right arrow keys to choose the column, and Space or Enter to drop it. Escape cancels.',
          },
        }}
      >
        <div
          role="group"
          aria-label="Pipeline board"
          className="-mx-4 flex gap-3 overflow-x-auto px-4 pb-3 sm:-mx-6 sm:px-6"
        >
          {leadStages.map((stage) => (
            <PipelineColumn
              key={stage}
              organisationId={organisationId}
              stage={stage}
              filters={filters}
              count={counts.data?.[stage]}
              repName={repName}
              restaurantHref={restaurantHref}
              onMoveTo={(card, to) => {
                if (to !== card.lead_stage) void requestMove(card, to);
              }}
            />
          ))}
        </div>
        <DragOverlay>
          {dragging ? (
            <PipelineCard
              card={dragging}
              repName={repName(dragging.assigned_sales_rep)}
              href={restaurantHref(dragging.id)}
              overlay
            />
          ) : null}
        </DragOverlay>
      </DndContext>
      <ConfirmDialog
        open={pending !== null}
        onOpenChange={(open) => (open ? undefined : setPending(null))}
        title={pending ? `Move ${pending.card.name} to ${leadStageLabels[pending.stage]}?` : ''}
        description={
          pending
            ? `${leadStageLabels[pending.stage]} ends ${
                pending.ending.length === 1 ? 'the running sequence' : 'the running sequences'
              } ${listNames(pending.ending.map((s) => `“${s.name}”`))}: ${
                pending.ending.length === 1 ? 'it is' : 'they are'
              } cancelled with ${pending.ending.length === 1 ? 'its' : 'their'} open tasks.`
            : ''
        }
        cancelLabel={`Keep in ${pending ? leadStageLabels[pending.card.lead_stage as LeadStage] : ''}`}
        confirmLabel={
          pending
            ? `Move and end ${pending.ending.length === 1 ? 'sequence' : `${pending.ending.length} sequences`}`
            : 'Move'
        }
        tone="primary"
        onConfirm={() => {
          if (pending) commit(pending.card, pending.stage);
          setPending(null);
        }}
      />
    </>
  );
}
