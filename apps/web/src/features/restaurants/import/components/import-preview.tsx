import type { ColumnMapping } from '@forkflow/domain/restaurant-csv/fields';
import { importFieldLabels } from '@forkflow/domain/restaurant-csv/fields';
import type { PreparedRow } from '../utils/prepare-rows';

export const PREVIEW_ROWS = 20;

type Props = { headers: readonly string[]; mapping: ColumnMapping; rows: readonly PreparedRow[] };

/** The first rows as they will import: mapped columns only, each row's problems beside it. */
export function ImportPreview({ headers, mapping, rows }: Props) {
  const columns = mapping
    .map((field, index) => ({ field, index }))
    .filter((column): column is { field: NonNullable<typeof column.field>; index: number } =>
      Boolean(column.field),
    );
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" aria-label="Preview of the first rows">
        <thead className="text-xs text-slate-500 uppercase">
          <tr>
            <th className="px-3 py-2 font-medium">Line</th>
            {columns.map((column) => (
              <th
                key={column.index}
                className="px-3 py-2 font-medium"
                title={headers[column.index]}
              >
                {importFieldLabels[column.field]}
              </th>
            ))}
            <th className="px-3 py-2 font-medium">Check</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.slice(0, PREVIEW_ROWS).map((row) => (
            <tr key={row.line} className={row.errors.length ? 'bg-red-50/60' : undefined}>
              <td className="px-3 py-2 text-slate-500 tabular-nums">{row.line}</td>
              {columns.map((column) => (
                <td key={column.index} className="max-w-48 truncate px-3 py-2 text-slate-800">
                  {row.cells[column.index] ?? ''}
                </td>
              ))}
              <td className="px-3 py-2">
                {row.errors.length ? (
                  <span className="text-red-700">{row.errors.join('; ')}</span>
                ) : row.repeated ? (
                  <span className="text-amber-700">Repeats an earlier row</span>
                ) : (
                  <span className="text-emerald-700">OK</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
