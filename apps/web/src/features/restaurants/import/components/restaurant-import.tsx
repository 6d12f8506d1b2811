import { parseCsv } from '@forkflow/domain/restaurant-csv/csv';
import { guessMapping, type ColumnMapping } from '@forkflow/domain/restaurant-csv/fields';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { restaurantQueries } from '../../api/queries';
import type { Rep } from '../../types';
import { duplicateQueries } from '../api/find-duplicates';
import { importInChunks, type DuplicateChoice } from '../api/import-restaurants';
import { prepareRows } from '../utils/prepare-rows';
import { ColumnMappingTable } from './column-mapping';
import { CsvDropZone, IMPORT_MAX_BYTES } from './csv-drop-zone';
import { ImportPreview, PREVIEW_ROWS } from './import-preview';
import { ImportSummary, type LineResult } from './import-summary';

/** The most data rows one import takes (the export's cap, so an export re-imports). */
export const IMPORT_MAX_ROWS = 50_000;

const rowCount = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'row' : 'rows'}`;

type LoadedFile = { id: string; name: string; headers: string[]; rows: string[][] };

type Run = {
  done: number;
  total: number;
  results: LineResult[] | null;
  error: string | null;
};

type Props = { reps: readonly Rep[]; listHref: string };

/** Upload → map and preview → import in chunks with progress → summary. */
export function RestaurantImport({ reps, listHref }: Props) {
  const organisation = useCurrentOrganisation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>([]);
  const [onDuplicate, setOnDuplicate] = useState<DuplicateChoice>('skip');
  const [run, setRun] = useState<Run | null>(null);

  const repDirectory = useMemo(
    () => new Map(reps.map((rep) => [rep.email.toLowerCase(), rep.id])),
    [reps],
  );
  const prepared = useMemo(
    () => (file ? prepareRows(file.rows, mapping, repDirectory) : []),
    [file, mapping, repDirectory],
  );
  const ready = prepared.filter((row) => row.row && !row.repeated);
  const invalid = prepared.filter((row) => !row.row).length;
  const repeated = prepared.filter((row) => row.row && row.repeated).length;
  const hasName = mapping.includes('name');

  const duplicateKeys = ready.map((row) => row.row!);
  const duplicates = useQuery({
    ...duplicateQueries.find(
      organisation.id,
      `import:${file?.id ?? ''}:${mapping.join(',')}:${reps.length}`,
      duplicateKeys,
    ),
    enabled: Boolean(file) && hasName && run === null,
  });

  const readFile = async (picked: File) => {
    setFileError(null);
    setRun(null);
    if (picked.size > IMPORT_MAX_BYTES) {
      setFileError(
        `This file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB: split it in parts.`,
      );
      return;
    }
    const { rows } = parseCsv(await picked.text());
    const [headers, ...data] = rows;
    if (!headers || data.length === 0) {
      setFileError('This file has no rows under its header line.');
      return;
    }
    if (data.length > IMPORT_MAX_ROWS) {
      setFileError(
        `This file has ${data.length.toLocaleString()} rows; an import takes up to ${IMPORT_MAX_ROWS.toLocaleString()}: split it in parts.`,
      );
      return;
    }
    setFile({
      id: `${picked.name}:${picked.size}:${picked.lastModified}:${Date.now()}`,
      name: picked.name,
      headers,
      rows: data,
    });
    setMapping(guessMapping(headers));
  };

  const startImport = async () => {
    const total = prepared.length;
    const lineResults: LineResult[] = prepared
      .filter((row) => !row.row || row.repeated)
      .map((row) =>
        row.row
          ? {
              line: row.line,
              cells: row.cells,
              status: 'skipped',
              reason: 'Repeats an earlier row of the file',
            }
          : { line: row.line, cells: row.cells, status: 'failed', reason: row.errors.join('; ') },
      );
    const offset = lineResults.length;
    setRun({ done: offset, total, results: null, error: null });
    let error: string | null = null;
    let sent: Awaited<ReturnType<typeof importInChunks>> = [];
    try {
      sent = await importInChunks(
        organisation.id,
        ready.map((row) => row.row!),
        onDuplicate,
        (done) => setRun((current) => (current ? { ...current, done: offset + done } : current)),
      );
    } catch (caught) {
      error = getErrorMessage(caught);
    }
    for (const result of sent) {
      const row = ready[result.index]!;
      lineResults.push({
        line: row.line,
        cells: row.cells,
        status: result.status,
        reason:
          result.status === 'skipped' && result.same_as !== undefined
            ? `Repeats line ${ready[result.same_as]?.line ?? '?'}`
            : result.reason,
      });
    }
    lineResults.sort((a, b) => a.line - b.line);
    setRun({ done: offset + sent.length, total, results: lineResults, error });
    void queryClient.invalidateQueries({ queryKey: restaurantQueries.all(organisation.id) });
  };

  const startOver = () => {
    setFile(null);
    setRun(null);
    setMapping([]);
  };

  if (run?.results) {
    return (
      <ImportSummary
        headers={file?.headers ?? []}
        results={run.results}
        total={run.total}
        error={run.error}
        listHref={listHref}
        onStartOver={startOver}
      />
    );
  }

  if (run) {
    const percent = run.total ? Math.round((run.done / run.total) * 100) : 0;
    return (
      <section aria-labelledby="import-progress-title" className="space-y-3">
        <h2 id="import-progress-title" className="text-lg font-semibold text-slate-900">
          Importing {file?.name}
        </h2>
        <div
          role="progressbar"
          aria-label="Import progress"
          aria-valuemin={0}
          aria-valuemax={run.total}
          aria-valuenow={run.done}
          className="h-3 overflow-hidden rounded-full bg-slate-100"
        >
          <div
            className="h-full bg-brand-600 transition-[width]"
            style={{ width: `${percent}%` }}
          />
        </div>
        <p className="text-sm text-slate-600 tabular-nums" aria-live="polite">
          {run.done.toLocaleString()} of {run.total.toLocaleString()} rows
        </p>
      </section>
    );
  }

  if (!file) return <CsvDropZone onFile={(picked) => void readFile(picked)} error={fileError} />;

  const duplicateCount = duplicates.data?.length ?? 0;
  return (
    <div className="space-y-8">
      <section aria-labelledby="import-mapping-title" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="import-mapping-title" className="text-lg font-semibold text-slate-900">
            Match the columns of {file.name}
          </h2>
          <Button variant="link" onClick={startOver}>
            Choose another file
          </Button>
        </div>
        <ColumnMappingTable
          headers={file.headers}
          sample={file.rows[0]}
          mapping={mapping}
          onChange={setMapping}
        />
        {hasName ? null : (
          <p role="alert" className="text-sm text-red-700">
            Choose the column that holds the restaurant’s name.
          </p>
        )}
      </section>

      <section aria-labelledby="import-preview-title" className="space-y-3">
        <h2 id="import-preview-title" className="text-lg font-semibold text-slate-900">
          Preview
        </h2>
        <p className="text-sm text-slate-600">
          The first {Math.min(PREVIEW_ROWS, prepared.length)} of {prepared.length.toLocaleString()}{' '}
          rows.
        </p>
        <ImportPreview headers={file.headers} mapping={mapping} rows={prepared} />
      </section>

      <section aria-labelledby="import-check-title" className="space-y-3">
        <h2 id="import-check-title" className="text-lg font-semibold text-slate-900">
          Before importing
        </h2>
        <ul className="space-y-1 text-sm text-slate-700" data-testid="import-checks">
          <li>{rowCount(ready.length)} ready to import</li>
          <li>{rowCount(invalid)} with problems (they will be listed in the error file)</li>
          <li>{rowCount(repeated)} repeating an earlier row of the file (skipped)</li>
          <li>
            {duplicates.isPending && hasName
              ? 'Looking for restaurants you already have…'
              : duplicates.isError
                ? `Couldn't look for duplicates: ${getErrorMessage(duplicates.error)}`
                : `${rowCount(duplicateCount)} ${duplicateCount === 1 ? 'matches' : 'match'} a restaurant you already have (same email, or same name and city)`}
          </li>
        </ul>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-900">
            When a row matches a restaurant you already have
          </legend>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="radio"
              name="on-duplicate"
              value="skip"
              checked={onDuplicate === 'skip'}
              onChange={() => setOnDuplicate('skip')}
            />
            Skip it (keep what you have)
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="radio"
              name="on-duplicate"
              value="update"
              checked={onDuplicate === 'update'}
              onChange={() => setOnDuplicate('update')}
            />
            Update it with the file’s non-empty values
          </label>
        </fieldset>
        <Button onClick={() => void startImport()} disabled={!hasName || ready.length === 0}>
          Import {ready.length.toLocaleString()} {ready.length === 1 ? 'row' : 'rows'}
        </Button>
      </section>
    </div>
  );
}
