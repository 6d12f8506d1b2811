import { serialiseCsv } from '@forkflow/domain/restaurant-csv/csv';
import { Download } from 'lucide-react';
import { Button, ButtonLink } from '@/components/ui/button';
import { downloadText } from '../utils/download';

export type LineResult = {
  line: number;
  cells: string[];
  status: 'created' | 'updated' | 'skipped' | 'failed';
  reason?: string;
};

const labels = {
  created: 'Created',
  updated: 'Updated',
  skipped: 'Skipped',
  failed: 'Failed',
} as const;

type Props = {
  headers: readonly string[];
  results: readonly LineResult[];
  total: number;
  /** Set when the import stopped part way (network, rate limit). */
  error: string | null;
  listHref: string;
  onStartOver: () => void;
};

/** The counts, the failed rows' reasons, and the failed rows as a CSV to fix and re-import. */
export function ImportSummary({ headers, results, total, error, listHref, onStartOver }: Props) {
  const counts = { created: 0, updated: 0, skipped: 0, failed: 0 };
  for (const result of results) counts[result.status] += 1;
  const failed = results.filter((result) => result.status === 'failed');

  const downloadErrors = () => {
    // The file's own columns, so the fixed file imports with the same mapping, then why.
    const rows = [
      [...headers, 'Line', 'Error'],
      ...failed.map((result) => [
        ...headers.map((_, index) => result.cells[index] ?? ''),
        String(result.line),
        result.reason ?? '',
      ]),
    ];
    downloadText('restaurant-import-errors.csv', serialiseCsv(rows));
  };

  return (
    <section aria-labelledby="import-summary-title" className="space-y-5">
      <h2 id="import-summary-title" className="text-lg font-semibold text-slate-900">
        {error ? 'Import stopped' : 'Import finished'}
      </h2>
      {error ? (
        <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
          Stopped after {results.length.toLocaleString()} of {total.toLocaleString()} rows: {error}
        </p>
      ) : null}
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {(Object.keys(labels) as Array<keyof typeof labels>).map((status) => (
          <div key={status} className="rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200">
            <dt className="text-xs text-slate-500 uppercase">{labels[status]}</dt>
            <dd
              className="text-2xl font-semibold text-slate-900 tabular-nums"
              data-testid={`import-${status}`}
            >
              {counts[status].toLocaleString()}
            </dd>
          </div>
        ))}
      </dl>
      {failed.length > 0 ? (
        <div className="space-y-2">
          <h3 className="text-sm font-semibold text-slate-900">Rows that failed</h3>
          <ul className="max-h-64 space-y-1 overflow-y-auto text-sm text-slate-700">
            {failed.slice(0, 50).map((result) => (
              <li key={result.line}>
                Line {result.line}: {result.reason}
              </li>
            ))}
          </ul>
          {failed.length > 50 ? (
            <p className="text-xs text-slate-500">
              and {(failed.length - 50).toLocaleString()} more in the error file.
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {failed.length > 0 ? (
          <Button variant="secondary" onClick={downloadErrors}>
            <Download className="size-4" aria-hidden />
            Download error file
          </Button>
        ) : null}
        <Button variant="secondary" onClick={onStartOver}>
          Import another file
        </Button>
        <ButtonLink to={listHref} variant="primary">
          Go to restaurants
        </ButtonLink>
      </div>
    </section>
  );
}
