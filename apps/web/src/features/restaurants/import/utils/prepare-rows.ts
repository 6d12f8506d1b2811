import type { ColumnMapping } from '@forkflow/domain/restaurant-csv/fields';
import {
  repeatedRows,
  validateImportRow,
  type ImportRow,
  type RepDirectory,
} from '@forkflow/domain/restaurant-csv/rows';

export type PreparedRow = {
  /** The row's line in the file, counting the header as line 1 (what a spreadsheet shows). */
  line: number;
  cells: string[];
  row: ImportRow | null;
  errors: string[];
  /** Repeats an earlier row of the file (same email, or same name and city). */
  repeated: boolean;
};

/** Every data row checked against the mapping, before anything is sent. */
export function prepareRows(
  dataRows: readonly string[][],
  mapping: ColumnMapping,
  reps: RepDirectory,
): PreparedRow[] {
  const prepared = dataRows.map((cells, index): PreparedRow => {
    const result = validateImportRow(cells, mapping, reps);
    return {
      line: index + 2,
      cells,
      row: result.ok ? result.row : null,
      errors: result.ok ? [] : result.errors,
      repeated: false,
    };
  });
  const repeated = repeatedRows(prepared.map((row) => row.row));
  for (const index of repeated) prepared[index]!.repeated = true;
  return prepared;
}
