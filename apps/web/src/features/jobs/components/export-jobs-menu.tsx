import { Download } from 'lucide-react';
import { useState } from 'react';
import { Menu } from '@/components/ui/menu';
import { Spinner } from '@/components/ui/spinner';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { buttonClasses } from '@/components/ui/button';
import { getJobsForExport, JOBS_EXPORT_CAP, type JobQuery } from '../api/queries';
import { downloadFile, exportFilename, toCsv } from '../utils/export';
import { jobExportColumns } from '../utils/job-export-columns';

type Props = {
  query: JobQuery;
  workflowName: (id: string) => string | undefined;
};

/** Every job matching the filters (not just the loaded pages), as CSV or JSON. */
export function ExportJobsMenu({ query, workflowName }: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const [busy, setBusy] = useState(false);

  const run = async (format: 'csv' | 'json') => {
    if (busy) return;
    setBusy(true);
    try {
      const { rows, capped } = await getJobsForExport(organisation.id, query);
      if (rows.length === 0) {
        // An empty file helps nobody: say why there is nothing to download.
        toast({
          tone: 'info',
          title: 'Nothing to export',
          description: 'No jobs match these filters. Widen the dates or clear a filter.',
        });
        return;
      }
      if (format === 'csv') {
        downloadFile(
          exportFilename('csv'),
          toCsv(rows, jobExportColumns(workflowName)),
          'text/csv;charset=utf-8',
        );
      } else {
        const withNames = rows.map((job) => ({
          ...job,
          workflow_name: workflowName(job.workflow_id) ?? null,
        }));
        downloadFile(
          exportFilename('json'),
          `${JSON.stringify(withNames, null, 2)}\n`,
          'application/json',
        );
      }
      toast({
        title: `Exported ${rows.length.toLocaleString()} ${rows.length === 1 ? 'job' : 'jobs'}`,
        description: capped
          ? `More jobs match: only the newest ${JOBS_EXPORT_CAP.toLocaleString()} are exported. Narrow the dates to export the rest.`
          : undefined,
        tone: capped ? 'info' : 'success',
        duration: capped ? 0 : 5000,
      });
    } catch (error) {
      toast({
        tone: 'error',
        title: "Couldn't export the jobs",
        description: getErrorMessage(error),
        duration: 8000,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Menu
      label={busy ? 'Exporting jobs…' : 'Export jobs'}
      align="end"
      triggerClassName={buttonClasses('secondary', 'md')}
      trigger={
        <>
          {busy ? <Spinner className="size-4" /> : <Download className="size-4" aria-hidden />}
          <span aria-hidden>Export</span>
        </>
      }
      items={[
        {
          key: 'csv',
          label: 'CSV (spreadsheet)',
          description: 'One row per job',
          onSelect: () => void run('csv'),
        },
        {
          key: 'json',
          label: 'JSON',
          description: 'Inputs and results as they are',
          onSelect: () => void run('json'),
        },
      ]}
    />
  );
}
