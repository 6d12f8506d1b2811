import {
  ClipboardList,
  ListOrdered,
  Mail,
  MessageCircle,
  MessageSquare,
  Phone,
  Workflow,
} from 'lucide-react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { paths } from '@/config/paths';
import { cn } from '@/lib/utils';
import {
  taskPriorityLabels,
  taskPrioritySchema,
  sequenceStepTypeLabels,
  sequenceStepTypeSchema,
  type SequenceStepType,
} from '@forkflow/domain/sequence-template';
import { taskStatusLabels, taskStatusSchema } from '../types';

// A task's type may be `automated` (a sequence's automated step, issue 14).
const typeIcons: Record<SequenceStepType, typeof Mail> = {
  email: Mail,
  call: Phone,
  text: MessageSquare,
  social_message: MessageCircle,
  internal_activity: ClipboardList,
  automated: Workflow,
};

const typeColours: Record<SequenceStepType, string> = {
  email: 'bg-sky-50 text-sky-700',
  call: 'bg-emerald-50 text-emerald-700',
  text: 'bg-violet-50 text-violet-700',
  social_message: 'bg-pink-50 text-pink-700',
  internal_activity: 'bg-slate-100 text-slate-600',
  automated: 'bg-amber-50 text-amber-700',
};

export function taskTypeLabel(type: string): string {
  const parsed = sequenceStepTypeSchema.safeParse(type);
  return parsed.success ? sequenceStepTypeLabels[parsed.data] : type;
}

export function TaskTypeIcon({ type, className }: { type: string; className?: string }) {
  const parsed = sequenceStepTypeSchema.safeParse(type);
  const key: SequenceStepType = parsed.success ? parsed.data : 'internal_activity';
  const Icon = typeIcons[key];
  return (
    <span
      className={cn(
        'flex size-9 shrink-0 items-center justify-center rounded-full',
        typeColours[key],
        className,
      )}
      title={taskTypeLabel(type)}
    >
      <Icon className="size-4" aria-hidden />
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: string }) {
  const parsed = taskPrioritySchema.safeParse(priority);
  // Medium is the default: saying so on every card is noise.
  if (!parsed.success || parsed.data === 'medium') return null;
  return (
    <Badge tone={parsed.data === 'high' ? 'red' : 'slate'}>
      {taskPriorityLabels[parsed.data]} priority
    </Badge>
  );
}

export function TaskStatusBadge({ status }: { status: string }) {
  const parsed = taskStatusSchema.safeParse(status);
  if (!parsed.success) return <Badge>{status}</Badge>;
  const tone =
    parsed.data === 'completed'
      ? 'emerald'
      : parsed.data === 'skipped'
        ? 'amber'
        : parsed.data === 'cancelled'
          ? 'rose'
          : parsed.data === 'pending'
            ? 'slate'
            : 'blue';
  return <Badge tone={tone}>{taskStatusLabels[parsed.data]}</Badge>;
}

/** "Step 2 of 5": where a task sits in its sequence, linking to the sequence. */
export function StepBadge({
  step,
  total,
  instanceId,
  instanceName,
  restaurantId,
}: {
  step: number;
  total: number | null;
  instanceId: string;
  instanceName?: string | null;
  restaurantId: string | null;
}) {
  const text = total ? `Step ${step} of ${total}` : `Step ${step}`;
  const className =
    'inline-flex items-center gap-1 rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-indigo-700 ring-1 ring-indigo-600/15 ring-inset';
  if (!restaurantId) {
    return (
      <span className={className} title={instanceName ?? undefined}>
        <ListOrdered className="size-3" aria-hidden />
        {text}
      </span>
    );
  }
  return (
    <Link
      to={paths.app.restaurantSequence.getHref(restaurantId, instanceId)}
      className={cn(
        className,
        'hover:bg-indigo-100 focus-visible:outline-2 focus-visible:outline-brand-600',
      )}
      title={instanceName ? `${instanceName}: open the sequence` : 'Open the sequence'}
    >
      <ListOrdered className="size-3" aria-hidden />
      {text}
    </Link>
  );
}
