import {
  toWorkflowExport,
  workflowExportFileName,
  type ExportableWorkflow,
} from '@forkflow/domain/workflow-export';

/** Downloads the workflow as `<key>.workflow.json` (the export format of packages/domain). */
export function downloadWorkflowExport(workflow: ExportableWorkflow): void {
  const text = `${JSON.stringify(toWorkflowExport(workflow), null, 2)}\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = workflowExportFileName(workflow.key);
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the file to the browser.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
