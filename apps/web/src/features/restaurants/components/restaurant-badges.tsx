import {
  leadStageLabels,
  leadStageSchema,
  leadStatusLabels,
  leadStatusSchema,
  leadWarmthLabels,
  leadWarmthSchema,
  type LeadStage,
  type LeadStatus,
  type LeadWarmth,
} from '@forkflow/domain/restaurants';
import { Flame, Snowflake, Sun } from 'lucide-react';
import { Badge, type BadgeTone } from '@/components/ui/badge';

const stageTones: Record<LeadStage, BadgeTone> = {
  new: 'slate',
  contacted: 'sky',
  qualified: 'blue',
  demo_booked: 'indigo',
  demo_done: 'violet',
  proposal: 'amber',
  negotiation: 'orange',
  won: 'emerald',
  lost: 'rose',
};

export function StageBadge({ stage }: { stage: string }) {
  const parsed = leadStageSchema.safeParse(stage);
  if (!parsed.success) return <Badge>{stage}</Badge>;
  return (
    <Badge tone={stageTones[parsed.data]} dot>
      {leadStageLabels[parsed.data]}
    </Badge>
  );
}

const warmthStyle: Record<LeadWarmth, { tone: BadgeTone; icon: typeof Flame }> = {
  cold: { tone: 'sky', icon: Snowflake },
  warm: { tone: 'amber', icon: Sun },
  hot: { tone: 'red', icon: Flame },
};

export function WarmthBadge({ warmth }: { warmth: string }) {
  const parsed = leadWarmthSchema.safeParse(warmth);
  if (!parsed.success) return <Badge>{warmth}</Badge>;
  const { tone, icon: Icon } = warmthStyle[parsed.data];
  return (
    <Badge tone={tone}>
      <Icon className="size-3" aria-hidden />
      {leadWarmthLabels[parsed.data]}
    </Badge>
  );
}

const statusTones: Record<LeadStatus, BadgeTone> = {
  active: 'emerald',
  paused: 'slate',
  do_not_contact: 'red',
};

export function StatusBadge({ status }: { status: string }) {
  const parsed = leadStatusSchema.safeParse(status);
  if (!parsed.success) return <Badge>{status}</Badge>;
  return <Badge tone={statusTones[parsed.data]}>{leadStatusLabels[parsed.data]}</Badge>;
}
