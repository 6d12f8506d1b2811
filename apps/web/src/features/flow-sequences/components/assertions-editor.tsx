import { ASSERTION_OPERATORS, type AssertionOperator } from '@forkflow/domain/flows/schemas';
import { Plus, Trash2 } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/form-field';
import type { DraftAssertion, Problem } from '../utils/draft';
import { ProblemList } from './problem-list';

export const operatorLabels: Record<AssertionOperator, string> = {
  equals: 'equals',
  not_equals: 'does not equal',
  exists: 'exists',
  contains: 'contains',
  matches: 'matches (regex)',
  lt: '<',
  gt: '>',
};

/** Checks on a flow's output: a JSONPath over it, an operator, the expected value. */
export function AssertionsEditor({
  flowId,
  assertions,
  problemsAt,
  readOnly,
  onChange,
}: {
  flowId: string;
  assertions: DraftAssertion[];
  problemsAt: (prefix: string) => Problem[];
  readOnly: boolean;
  onChange: (assertions: DraftAssertion[]) => void;
}) {
  const update = (index: number, patch: Partial<DraftAssertion>) =>
    onChange(assertions.map((a, i) => (i === index ? { ...a, ...patch } : a)));
  return (
    <div className="space-y-2">
      <h4 className="text-sm font-medium text-slate-800">Assertions on {flowId}’s output</h4>
      {assertions.length === 0 ? (
        <p className="text-sm text-slate-500">None: the flow passes when its job completes.</p>
      ) : (
        <ul className="space-y-2" aria-label={`Assertions of ${flowId}`}>
          {assertions.map((assertion, index) => {
            const n = index + 1;
            return (
              <li key={index} className="space-y-1">
                <div className="grid gap-2 sm:grid-cols-[minmax(0,1fr)_10rem_minmax(0,1fr)_auto]">
                  <Input
                    aria-label={`Path of assertion ${n} of ${flowId}`}
                    placeholder="$.status"
                    value={assertion.path}
                    disabled={readOnly}
                    className="font-mono"
                    onChange={(event) => update(index, { path: event.target.value })}
                  />
                  <Select
                    aria-label={`Operator of assertion ${n} of ${flowId}`}
                    value={assertion.operator}
                    disabled={readOnly}
                    onChange={(event) =>
                      update(index, { operator: event.target.value as AssertionOperator })
                    }
                  >
                    {ASSERTION_OPERATORS.map((operator) => (
                      <option key={operator} value={operator}>
                        {operatorLabels[operator]}
                      </option>
                    ))}
                  </Select>
                  {assertion.operator === 'exists' ? (
                    <span aria-hidden />
                  ) : (
                    <Input
                      aria-label={`Expected value of assertion ${n} of ${flowId}`}
                      placeholder={
                        assertion.operator === 'matches'
                          ? '^ok$'
                          : assertion.operator === 'lt' || assertion.operator === 'gt'
                            ? '100'
                            : 'ok, 200, true or "quoted"'
                      }
                      value={assertion.expected}
                      disabled={readOnly}
                      onChange={(event) => update(index, { expected: event.target.value })}
                    />
                  )}
                  {readOnly ? null : (
                    <Button
                      variant="ghost"
                      size="icon"
                      aria-label={`Remove assertion ${n} of ${flowId}`}
                      onClick={() => onChange(assertions.filter((_, i) => i !== index))}
                    >
                      <Trash2 className="size-4" aria-hidden />
                    </Button>
                  )}
                </div>
                <ProblemList problems={problemsAt(`assertions.${index}`)} />
              </li>
            );
          })}
        </ul>
      )}
      {readOnly ? null : (
        <Button
          variant="ghost"
          size="sm"
          onClick={() =>
            onChange([...assertions, { path: '$.', operator: 'equals', expected: '' }])
          }
        >
          <Plus className="size-4" aria-hidden />
          Add assertion
        </Button>
      )}
    </div>
  );
}
