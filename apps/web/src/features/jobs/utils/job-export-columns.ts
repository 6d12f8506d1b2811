import type { JobExportItem } from '../api/queries';
import type { CsvColumn } from './export';

/** The CSV's columns; `workflowName` resolves ids the route knows names for. */
export function jobExportColumns(
  workflowName: (id: string) => string | undefined,
): CsvColumn<JobExportItem>[] {
  return [
    { header: 'id', value: (job) => job.id },
    { header: 'workflow_id', value: (job) => job.workflow_id },
    { header: 'workflow_name', value: (job) => workflowName(job.workflow_id) ?? '' },
    { header: 'workflow_version', value: (job) => job.workflow_version },
    { header: 'status', value: (job) => job.status },
    { header: 'user_id', value: (job) => job.user_id },
    { header: 'created_at', value: (job) => job.created_at },
    { header: 'started_at', value: (job) => job.started_at },
    { header: 'completed_at', value: (job) => job.completed_at },
    { header: 'current_step_id', value: (job) => job.current_step_id },
    { header: 'retry_count', value: (job) => job.retry_count },
    { header: 'max_retries', value: (job) => job.max_retries },
    { header: 'error_code', value: (job) => job.error_code },
    { header: 'error_message', value: (job) => job.error_message },
    { header: 'input_data', value: (job) => job.input_data },
    { header: 'final_result', value: (job) => job.final_result },
  ];
}
