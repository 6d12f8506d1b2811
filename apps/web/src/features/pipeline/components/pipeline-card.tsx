import { useDraggable } from '@dnd-kit/core';
import {
  leadStageLabels,
  leadStages,
  leadWarmthLabels,
  leadWarmthSchema,
  type LeadStage,
} from '@forkflow/domain/restaurants';
import { GripVertical, MapPin, UserRound } from 'lucide-react';
import type { KeyboardEventHandler, PointerEventHandler } from 'react';
import { Link } from 'react-router';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { cn } from '@/lib/utils';
import type { BoardCard } from '../api/queries';

const warmthTones: Record<string, BadgeTone> = { cold: 'sky', warm: 'amber', hot: 'red' };

/**
 * One restaurant on the board. The whole card drags with a pointer; from the keyboard its
 * handle lifts it (Space or Enter), so Enter on the name still opens the restaurant. Its
 * Stage select moves it without dragging (a phone, a long way across the board).
 */
export function PipelineCard({
  card,
  repName,
  href,
  overlay = false,
  onMoveTo,
}: {
  card: BoardCard;
  repName: string | null;
  href: string;
  overlay?: boolean;
  onMoveTo?: (stage: LeadStage) => void;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({
    id: card.id,
    data: { card },
    disabled: overlay,
  });
  const warmth = leadWarmthSchema.safeParse(card.lead_warmth);
  // dnd-kit types its listeners loosely (Function); they are React event handlers.
  const onPointerDown = listeners?.onPointerDown as PointerEventHandler | undefined;
  const onKeyDown = listeners?.onKeyDown as KeyboardEventHandler | undefined;
  return (
    <div
      ref={overlay ? undefined : setNodeRef}
      data-testid="pipeline-card"
      onPointerDown={onPointerDown}
      className={cn(
        'flex touch-none items-start gap-2 rounded-lg bg-white p-3 shadow-xs ring-1 ring-slate-200 select-none',
        isDragging && 'opacity-40',
        overlay && 'cursor-grabbing shadow-lg ring-brand-300',
      )}
    >
      <button
        type="button"
        ref={setActivatorNodeRef}
        {...attributes}
        onKeyDown={onKeyDown}
        aria-label={`Move ${card.name}`}
        className="-ml-1 cursor-grab rounded p-0.5 text-slate-400 hover:text-slate-600 focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        <GripVertical className="size-4" aria-hidden />
      </button>
      <div className="min-w-0 flex-1 space-y-1.5">
        <Link
          to={href}
          className="block truncate text-sm font-medium text-slate-900 hover:text-brand-700 hover:underline"
          draggable={false}
        >
          {card.name}
        </Link>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
          {card.city ? (
            <span className="inline-flex items-center gap-1">
              <MapPin className="size-3" aria-hidden />
              {card.city}
            </span>
          ) : null}
          <span className="inline-flex items-center gap-1">
            <UserRound className="size-3" aria-hidden />
            {repName ?? 'Unassigned'}
          </span>
          {warmth.success ? (
            <Badge tone={warmthTones[warmth.data]}>{leadWarmthLabels[warmth.data]}</Badge>
          ) : null}
        </div>
        {onMoveTo ? (
          <div className="flex items-center gap-1 text-xs text-slate-500">
            <span aria-hidden>Stage</span>
            <select
              aria-label={`Stage of ${card.name}`}
              value={card.lead_stage}
              onChange={(event) => onMoveTo(event.target.value as LeadStage)}
              onPointerDown={(event) => event.stopPropagation()}
              className="min-w-0 rounded border-0 bg-transparent py-0 pr-6 pl-1 text-xs text-slate-700 ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              {leadStages.map((stage) => (
                <option key={stage} value={stage}>
                  {leadStageLabels[stage]}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
    </div>
  );
}
