import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { JobStatus } from '@forkflow/domain/jobs';
import { jobStatusLabels } from '../api/queries';

const tones: Record<JobStatus, BadgeTone> = {
  pending: 'slate',
  running: 'blue',
  awaiting_retry: 'amber',
  completed: 'emerald',
  failed: 'red',
  cancelled: 'slate',
};

export function JobStatusBadge({ status }: { status: string }) {
  const known = status in tones ? (status as JobStatus) : null;
  return (
    <Badge tone={known ? tones[known] : 'slate'} dot>
      {known ? jobStatusLabels[known] : status}
    </Badge>
  );
}
