import {
  importFieldLabels,
  importFields,
  type ColumnMapping,
  type ImportField,
} from '@forkflow/domain/restaurant-csv/fields';
import { Select } from '@/components/ui/form-field';

type Props = {
  headers: readonly string[];
  sample: readonly string[] | undefined;
  mapping: ColumnMapping;
  onChange: (mapping: ColumnMapping) => void;
};

/** One select per column: which restaurant field it fills (guessed from the header). */
export function ColumnMappingTable({ headers, sample, mapping, onChange }: Props) {
  const setColumn = (column: number, field: ImportField | null) => {
    // A field fills from one column: choosing it here frees it elsewhere.
    onChange(
      mapping.map((current, index) =>
        index === column ? field : current === field && field !== null ? null : current,
      ),
    );
  };
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-slate-500 uppercase">
          <tr>
            <th className="px-3 py-2 font-medium">Column in the file</th>
            <th className="px-3 py-2 font-medium">First row</th>
            <th className="px-3 py-2 font-medium">Imports as</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {headers.map((header, column) => (
            <tr key={column}>
              <td className="px-3 py-2 font-medium text-slate-900">
                {header || `Column ${column + 1}`}
              </td>
              <td className="max-w-48 truncate px-3 py-2 text-slate-600">
                {sample?.[column] ?? ''}
              </td>
              <td className="px-3 py-2">
                <Select
                  aria-label={`Field for column ${header || column + 1}`}
                  value={mapping[column] ?? ''}
                  onChange={(event) =>
                    setColumn(column, (event.target.value || null) as ImportField | null)
                  }
                >
                  <option value="">Don’t import</option>
                  {importFields.map((field) => (
                    <option key={field} value={field}>
                      {importFieldLabels[field]}
                    </option>
                  ))}
                </Select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
