import type { ResolvedValue } from '@forkflow/domain/flows/schemas';
import { Lock } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { describeSource, valueText } from '../utils/run-format';

/**
 * Resolved values with where each came from (environment, project variable, sequence
 * parameter, an earlier flow's output, edited…). Secrets arrive masked from the server and
 * are shown as they are, with a lock.
 */
export function ResolvedValues({
  label,
  values,
  empty,
}: {
  label: string;
  values: Record<string, ResolvedValue>;
  empty: string;
}) {
  // By name: the stored jsonb object keeps no order of its own (Postgres sorts keys by length).
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <table className="w-full text-sm" aria-label={label}>
      <thead className="sr-only">
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Value</th>
          <th scope="col">Source</th>
        </tr>
      </thead>
      <tbody className="align-top">
        {entries.map(([name, resolved]) => {
          const source = describeSource(resolved.source);
          return (
            <tr key={name} className="border-t border-slate-100 first:border-t-0">
              <th
                scope="row"
                className="py-1.5 pr-3 text-left font-mono text-xs font-medium text-slate-900"
              >
                {name}
              </th>
              <td className="min-w-[8rem] py-1.5 pr-3 font-mono text-xs break-all text-slate-800">
                {resolved.secret ? (
                  <span className="inline-flex items-center gap-1">
                    <Lock className="size-3 text-slate-400" aria-label="secret" />
                    {valueText(resolved.value)}
                  </span>
                ) : (
                  valueText(resolved.value)
                )}
              </td>
              <td className="py-1.5 text-right">
                <Badge tone={source.tone} className="whitespace-normal text-left">
                  {source.label}
                </Badge>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
