import { cn } from '@/lib/utils';

/** A captioned table of figures: names in the first column, numbers right-aligned. */
export function FiguresTable({
  title,
  columns,
  rows,
}: {
  title: string;
  columns: string[];
  rows: { key: string; cells: string[] }[];
}) {
  return (
    <section className="min-w-0 rounded-xl bg-white shadow-xs ring-1 ring-slate-200">
      {/* On a phone the columns scroll sideways: focusable, so the keyboard scrolls them too. */}
      <div
        role="region"
        aria-label={title}
        tabIndex={0}
        className="overflow-x-auto rounded-xl focus-visible:outline-2 focus-visible:outline-brand-600"
      >
        <table className="w-full text-left text-sm">
          <caption className="border-b border-slate-200 px-4 py-3 text-left text-sm font-semibold text-slate-900">
            {title}
          </caption>
          <thead>
            <tr className="text-xs text-slate-500">
              {columns.map((column, index) => (
                <th
                  key={column}
                  scope="col"
                  className={cn(
                    'px-4 py-2 font-medium whitespace-nowrap',
                    index > 0 && 'text-right',
                  )}
                >
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.key}>
                {row.cells.map((cell, index) =>
                  index === 0 ? (
                    <th
                      key={index}
                      scope="row"
                      // Room for a long workflow name: the table scrolls sideways on a phone
                      // rather than squeezing the name into one word per line.
                      className="min-w-40 px-4 py-2 font-medium break-words text-slate-900"
                    >
                      {cell}
                    </th>
                  ) : (
                    <td
                      key={index}
                      className="px-4 py-2 text-right whitespace-nowrap text-slate-700 tabular-nums"
                    >
                      {cell}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
