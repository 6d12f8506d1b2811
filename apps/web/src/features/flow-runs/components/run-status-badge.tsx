import type { RunFlowStatus, RunStatus } from '@forkflow/domain/flows/schemas';
import { Badge } from '@/components/ui/badge';
import { runFlowStatusLabels, runStatusLabels } from '../utils/run-format';

export function RunStatusBadge({ status }: { status: string }) {
  const known = runStatusLabels[status as RunStatus] ?? { label: status, tone: 'slate' as const };
  return (
    <Badge tone={known.tone} dot>
      {known.label}
    </Badge>
  );
}

export function RunFlowStatusBadge({ status }: { status: string }) {
  const known = runFlowStatusLabels[status as RunFlowStatus] ?? {
    label: status,
    tone: 'slate' as const,
  };
  return (
    <Badge tone={known.tone} dot>
      {known.label}
    </Badge>
  );
}
