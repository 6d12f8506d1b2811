import type { WorkflowHealth } from '../api/queries';
import { count, formatMs, orDash, percent } from '../utils/format';
import { FiguresTable } from './figures-table';

/** Per-workflow and per-transformer figures (public.workflow_health). */
export function HealthTables({ health }: { health: WorkflowHealth }) {
  return (
    <div className="grid gap-4 2xl:grid-cols-2">
      {health.workflows.length > 0 ? (
        <FiguresTable
          title="By workflow"
          columns={[
            'Workflow',
            'Finished',
            'Failed',
            'Failure rate',
            'Avg',
            'p95',
            'Queue wait p50',
            'Queue wait p95',
            'In queue',
          ]}
          rows={health.workflows.map((workflow) => ({
            key: workflow.workflow_id,
            cells: [
              workflow.name,
              count(workflow.finished),
              count(workflow.failed),
              orDash(workflow.failure_rate, percent),
              orDash(workflow.avg_duration_ms, formatMs),
              orDash(workflow.p95_duration_ms, formatMs),
              orDash(workflow.queue_wait_p50_ms, formatMs),
              orDash(workflow.queue_wait_p95_ms, formatMs),
              count(workflow.in_queue),
            ],
          }))}
        />
      ) : null}
      {health.transformers.length > 0 ? (
        <FiguresTable
          title="By transformer (steps)"
          columns={['Transformer', 'Steps', 'Failed', 'Failure rate', 'Avg', 'p95']}
          rows={health.transformers.map((transformer) => ({
            key: transformer.transformer_id,
            cells: [
              transformer.transformer_id,
              count(transformer.steps),
              count(transformer.failed),
              orDash(transformer.failure_rate, percent),
              orDash(transformer.avg_duration_ms, formatMs),
              orDash(transformer.p95_duration_ms, formatMs),
            ],
          }))}
        />
      ) : null}
    </div>
  );
}
