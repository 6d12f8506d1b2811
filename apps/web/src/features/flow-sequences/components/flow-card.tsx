import type { SequenceParameter } from '@forkflow/domain/flows/schemas';
import { INPUT_NAME_PATTERN } from '@forkflow/domain/workflow-inputs';
import type { WorkflowForSequence } from '@forkflow/domain/flows/validate-sequence';
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { AlertCircle, ArrowDown, ArrowUp, GripVertical, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/form-field';
import { paths } from '@/config/paths';
import { cn } from '@/lib/utils';
import type { DraftFlow, DraftMapping, Problem } from '../utils/draft';
import { AssertionsEditor } from './assertions-editor';
import { MappingPicker, type EarlierFlow } from './mapping-picker';
import { ProblemList } from './problem-list';

/** "flow2 (Enrich lead)", as buttons and announcements name a flow. */
export const flowLabel = (flow: { id: string }, workflowName: string | undefined) =>
  `${flow.id}${workflowName ? ` (${workflowName})` : ''}`;

type Props = {
  flow: DraftFlow;
  index: number;
  total: number;
  workflow: WorkflowForSequence | undefined;
  parameters: readonly SequenceParameter[];
  earlierFlows: readonly EarlierFlow[];
  /** Problems whose key starts with `flows.<index>.` + the given suffix. */
  problemsAt: (suffix: string) => Problem[];
  /** Every problem of this flow (for the "needs attention" mark). */
  hasProblems: boolean;
  readOnly: boolean;
  onChange: (flow: DraftFlow) => void;
  onMoveUp: () => void;
  onMoveDown: () => void;
  onRemove: () => void;
};

/**
 * One flow of the sequence: its id and workflow, the move and remove controls, each of its
 * workflow's declared inputs with where it takes its value, and its assertions.
 */
export function FlowCard({
  flow,
  index,
  total,
  workflow,
  parameters,
  earlierFlows,
  problemsAt,
  hasProblems,
  readOnly,
  onChange,
  onMoveUp,
  onMoveDown,
  onRemove,
}: Props) {
  const {
    attributes,
    listeners,
    setNodeRef,
    setActivatorNodeRef,
    transform,
    transition,
    isDragging,
  } = useSortable({ id: flow.id, disabled: readOnly });
  const label = flowLabel(flow, workflow?.name);
  const declared = workflow?.inputs ?? [];
  // Declared inputs first, then mappings of names the workflow does not declare (flagged).
  const rows = [
    ...declared.map((input) => ({ name: input.name, input })),
    ...Object.keys(flow.mappings)
      .filter((name) => !declared.some((input) => input.name === name))
      .map((name) => ({ name, input: undefined })),
  ];
  const setMapping = (name: string, mapping: DraftMapping | undefined) => {
    const mappings = { ...flow.mappings };
    if (mapping) mappings[name] = mapping;
    else delete mappings[name];
    onChange({ ...flow, mappings });
  };
  // A workflow that declares no inputs takes any object: its parameters are named here.
  const undeclared = Boolean(workflow) && declared.length === 0;
  const flowProblems = problemsAt('').filter(
    (problem) => !/^flows\.\d+\.(mappings|assertions)\./.test(problem.key),
  );

  return (
    <li
      ref={setNodeRef}
      data-flow-id={flow.id}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn(
        'rounded-xl bg-white shadow-xs ring-1 ring-slate-200',
        isDragging && 'z-10 shadow-lg ring-2 ring-brand-500',
        hasProblems && !isDragging && 'ring-red-300',
      )}
    >
      <div className="flex items-center gap-2 border-b border-slate-100 py-2 pr-2 pl-1 sm:pl-2">
        {readOnly ? null : (
          <button
            type="button"
            ref={setActivatorNodeRef}
            data-move="handle"
            {...attributes}
            {...listeners}
            aria-label={`Drag to reorder ${label}`}
            className="flex size-9 shrink-0 cursor-grab touch-none items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 hover:text-slate-600 focus-visible:outline-2 focus-visible:outline-brand-600 active:cursor-grabbing"
          >
            <GripVertical className="size-5" aria-hidden />
          </button>
        )}
        <Badge tone="indigo" className="font-mono">
          {flow.id}
        </Badge>
        <h3 className="min-w-0 flex-1 truncate text-sm font-medium text-slate-900">
          {workflow ? (
            <Link to={paths.app.workflow.getHref(workflow.id)} className="hover:underline">
              {workflow.name}
            </Link>
          ) : (
            <span className="text-red-700">Unknown workflow</span>
          )}
          {workflow?.status === 'archived' ? (
            <Badge tone="amber" className="ml-2">
              archived
            </Badge>
          ) : null}
        </h3>
        {hasProblems ? (
          <span className="flex items-center gap-1 text-xs font-medium text-red-700">
            <AlertCircle className="size-4" aria-hidden />
            <span className="max-sm:sr-only">Needs attention</span>
          </span>
        ) : null}
        {readOnly ? null : (
          <div className="flex shrink-0 items-center">
            <Button
              variant="ghost"
              size="icon"
              data-move="up"
              aria-label={`Move ${label} up`}
              disabled={index === 0}
              onClick={onMoveUp}
            >
              <ArrowUp className="size-4" aria-hidden />
            </Button>
            <Button
              variant="ghost"
              size="icon"
              data-move="down"
              aria-label={`Move ${label} down`}
              disabled={index === total - 1}
              onClick={onMoveDown}
            >
              <ArrowDown className="size-4" aria-hidden />
            </Button>
            <Button
              variant="ghost"
              size="icon"
              aria-label={`Remove ${label}`}
              onClick={onRemove}
              className="hover:bg-red-50 hover:text-red-700"
            >
              <Trash2 className="size-4" aria-hidden />
            </Button>
          </div>
        )}
      </div>
      <div role="group" aria-label={`Flow ${flow.id}`} className="space-y-4 px-4 py-4">
        <ProblemList problems={flowProblems} />
        {rows.length === 0 ? (
          <p className="text-sm text-slate-500">
            {!workflow
              ? 'Pick a workflow that exists.'
              : undeclared
                ? 'Its workflow declares no inputs: it takes any, named below.'
                : 'Its workflow declares no inputs.'}
          </p>
        ) : (
          <table className="w-full text-sm">
            <caption className="sr-only">Parameters of {flow.id}</caption>
            <thead>
              <tr className="text-left text-xs text-slate-500">
                <th scope="col" className="pb-1 font-medium">
                  Parameter
                </th>
                <th scope="col" className="pb-1 font-medium">
                  Takes its value from
                </th>
              </tr>
            </thead>
            <tbody className="align-top">
              {rows.map(({ name, input }) => {
                const problems = problemsAt(`mappings.${name}`);
                return (
                  <tr key={name} data-input={name} className="border-t border-slate-100">
                    <th scope="row" className="w-48 py-2 pr-3 text-left font-normal">
                      <span className="font-mono text-slate-900">{name}</span>
                      <span className="block text-xs text-slate-500">
                        {input ? input.type : undeclared ? 'any type' : 'not declared'}
                        {input?.required ? ' · required' : ''}
                        {input && input.default !== undefined ? ' · has a default' : ''}
                      </span>
                    </th>
                    <td className="space-y-1 py-2">
                      <MappingPicker
                        inputName={name}
                        mapping={flow.mappings[name]}
                        parameters={parameters}
                        earlierFlows={earlierFlows}
                        hasDefault={input?.default !== undefined}
                        invalid={problems.length > 0}
                        disabled={readOnly}
                        onChange={(mapping) => setMapping(name, mapping)}
                      />
                      <ProblemList problems={problems} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {undeclared && !readOnly ? (
          <NameInput
            flowId={flow.id}
            taken={Object.keys(flow.mappings)}
            onAdd={(name) => setMapping(name, { source: 'sequence_parameter', parameter: '' })}
          />
        ) : null}
        <AssertionsEditor
          flowId={flow.id}
          assertions={flow.assertions}
          problemsAt={problemsAt}
          readOnly={readOnly}
          onChange={(assertions) => onChange({ ...flow, assertions })}
        />
      </div>
    </li>
  );
}

/** Names a parameter of a workflow that declares none (its job reads `$.job_input.<name>`). */
function NameInput({
  flowId,
  taken,
  onAdd,
}: {
  flowId: string;
  taken: readonly string[];
  onAdd: (name: string) => void;
}) {
  const [name, setName] = useState('');
  const valid = INPUT_NAME_PATTERN.test(name) && !taken.includes(name);
  const add = () => {
    if (!valid) return;
    onAdd(name);
    setName('');
  };
  return (
    <div className="flex items-end gap-2">
      <div className="space-y-1.5">
        <label htmlFor={`${flowId}-new-input`} className="block text-xs font-medium text-slate-600">
          New parameter of {flowId}
        </label>
        <Input
          id={`${flowId}-new-input`}
          value={name}
          placeholder="lead_id"
          className="h-8 w-48 font-mono"
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
        />
      </div>
      <Button variant="secondary" size="sm" disabled={!valid} onClick={add}>
        Add parameter to {flowId}
      </Button>
    </div>
  );
}
