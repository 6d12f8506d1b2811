import { Badge } from '@/components/ui/badge';
import { declaredInputsOf } from '../utils/typed-inputs';

/**
 * The inputs a workflow declares (issue 11): what its Run dialog asks for and what a flow
 * sequence maps onto. A workflow that declares none says it takes any JSON object.
 */
export function WorkflowInputsTable({ definition }: { definition: unknown }) {
  const inputs = declaredInputsOf(definition);
  return (
    <section
      aria-labelledby="workflow-inputs"
      className="rounded-xl bg-white shadow-xs ring-1 ring-slate-200"
    >
      <h2
        id="workflow-inputs"
        className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-900 sm:px-5"
      >
        Inputs
      </h2>
      {inputs.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-600 sm:px-5">
          None declared: a job takes any JSON object as its input.
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table aria-labelledby="workflow-inputs" className="min-w-full text-left text-sm">
            <thead className="text-xs text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium sm:px-5">
                  Name
                </th>
                <th scope="col" className="px-2 py-2 font-medium">
                  Type
                </th>
                <th scope="col" className="px-2 py-2 font-medium">
                  Required
                </th>
                <th scope="col" className="px-2 py-2 font-medium">
                  Default
                </th>
                <th scope="col" className="px-4 py-2 font-medium sm:px-5">
                  Description
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {inputs.map((input) => (
                <tr key={input.name} className="align-top">
                  <th scope="row" className="px-4 py-2 font-mono text-[13px] font-medium sm:px-5">
                    {input.name}
                  </th>
                  <td className="px-2 py-2">
                    <Badge tone="indigo">{input.type}</Badge>
                  </td>
                  <td className="px-2 py-2 text-slate-700">{input.required ? 'Yes' : 'No'}</td>
                  <td
                    className="max-w-48 truncate px-2 py-2 font-mono text-[13px] text-slate-700"
                    title={input.default === undefined ? undefined : JSON.stringify(input.default)}
                  >
                    {input.default === undefined ? (
                      <span className="font-sans text-slate-400">—</span>
                    ) : (
                      JSON.stringify(input.default)
                    )}
                  </td>
                  <td className="px-4 py-2 text-slate-600 sm:px-5">{input.description ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
