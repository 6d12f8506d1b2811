import {
  SCALAR_TYPES,
  type ProjectVariable,
  type ScalarType,
  type ScalarValue,
  type SequenceParameter,
} from '@forkflow/domain/flows/schemas';
import { Plus, Trash2 } from 'lucide-react';
import { useId } from 'react';
import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/form-field';
import type { SequenceEnvironment } from '../api/queries';
import type { Problem } from '../utils/draft';
import { currentValueText } from '../utils/variable-values';
import { ProblemList } from './problem-list';

type Props = {
  parameters: SequenceParameter[];
  projectVariables: readonly ProjectVariable[];
  environment: SequenceEnvironment | null;
  problemsAt: (prefix: string) => Problem[];
  readOnly: boolean;
  onChange: (parameters: SequenceParameter[]) => void;
};

/** A hardcoded value typed into the field, as the parameter's type (empty: no value). */
function hardcodedFromText(type: ScalarType, text: string): ScalarValue | null {
  if (text === '') return null;
  if (type === 'number') {
    const number = Number(text);
    return Number.isFinite(number) ? number : null;
  }
  return text;
}

/**
 * The sequence's parameters: each a name, a type, whether it is required, and where its
 * value comes from — a project variable (shown with its current value) or a value typed here.
 */
export function ParametersEditor({
  parameters,
  projectVariables,
  environment,
  problemsAt,
  readOnly,
  onChange,
}: Props) {
  const update = (index: number, next: SequenceParameter) =>
    onChange(parameters.map((parameter, i) => (i === index ? next : parameter)));

  return (
    <section aria-labelledby="parameters-title" className="space-y-3">
      <div>
        <h2 id="parameters-title" className="text-base font-semibold text-slate-900">
          Parameters
        </h2>
        <p className="text-sm text-slate-600">
          Values every flow can take. Each comes from a project variable or is typed here.
        </p>
      </div>
      {parameters.length === 0 ? (
        <p className="rounded-lg bg-slate-50 px-3 py-4 text-sm text-slate-600">
          No parameters yet.
        </p>
      ) : (
        <ol className="space-y-3" aria-label="Parameters">
          {parameters.map((parameter, index) => (
            <ParameterRow
              key={index}
              index={index}
              parameter={parameter}
              projectVariables={projectVariables}
              environment={environment}
              problems={problemsAt(`parameters.${index}`)}
              readOnly={readOnly}
              onChange={(next) => update(index, next)}
              onRemove={() => onChange(parameters.filter((_, i) => i !== index))}
            />
          ))}
        </ol>
      )}
      {readOnly ? null : (
        <Button
          variant="secondary"
          onClick={() =>
            onChange([
              ...parameters,
              {
                name: `param${parameters.length + 1}`,
                type: 'string',
                required: false,
                source: 'hardcoded',
                value: null,
              },
            ])
          }
        >
          <Plus className="size-4" aria-hidden />
          Add parameter
        </Button>
      )}
    </section>
  );
}

function ParameterRow({
  index,
  parameter,
  projectVariables,
  environment,
  problems,
  readOnly,
  onChange,
  onRemove,
}: {
  index: number;
  parameter: SequenceParameter;
  projectVariables: readonly ProjectVariable[];
  environment: SequenceEnvironment | null;
  problems: Problem[];
  readOnly: boolean;
  onChange: (parameter: SequenceParameter) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const label = parameter.name || `parameter ${index + 1}`;
  const base = {
    name: parameter.name,
    type: parameter.type,
    required: parameter.required,
    ...(parameter.description ? { description: parameter.description } : {}),
  };
  return (
    <li
      role="group"
      aria-label={`Parameter ${label}`}
      className="space-y-3 rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200"
    >
      <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_10rem_auto_auto] sm:items-end">
        <div className="space-y-1.5">
          <label htmlFor={`${id}-name`} className="block text-sm font-medium text-slate-800">
            Parameter name
          </label>
          <Input
            id={`${id}-name`}
            value={parameter.name}
            disabled={readOnly}
            aria-invalid={problems.some((p) => p.key.endsWith('.name'))}
            onChange={(event) => onChange({ ...parameter, name: event.target.value })}
          />
        </div>
        <div className="space-y-1.5">
          <label htmlFor={`${id}-type`} className="block text-sm font-medium text-slate-800">
            Type
          </label>
          <Select
            id={`${id}-type`}
            value={parameter.type}
            disabled={readOnly}
            onChange={(event) => {
              const type = event.target.value as ScalarType;
              onChange(
                parameter.source === 'hardcoded'
                  ? { ...parameter, type, value: null }
                  : { ...parameter, type },
              );
            }}
          >
            {SCALAR_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </Select>
        </div>
        <label className="flex h-10 items-center gap-2 text-sm text-slate-800">
          <input
            type="checkbox"
            checked={parameter.required}
            disabled={readOnly}
            onChange={(event) => onChange({ ...parameter, required: event.target.checked })}
            className="size-4 rounded border-slate-300"
          />
          Required
        </label>
        {readOnly ? null : (
          <Button
            variant="ghost"
            size="icon"
            aria-label={`Remove parameter ${label}`}
            onClick={onRemove}
            className="hover:bg-red-50 hover:text-red-700"
          >
            <Trash2 className="size-4" aria-hidden />
          </Button>
        )}
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Value of {label}</legend>
        <div className="flex flex-wrap gap-4 text-sm text-slate-800">
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name={`${id}-source`}
              checked={parameter.source === 'project_variable'}
              disabled={readOnly}
              onChange={() =>
                onChange({
                  ...base,
                  source: 'project_variable',
                  project_variable: projectVariables[0]?.name ?? '',
                })
              }
            />
            Project variable
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name={`${id}-source`}
              checked={parameter.source === 'hardcoded'}
              disabled={readOnly}
              onChange={() => onChange({ ...base, source: 'hardcoded', value: null })}
            />
            Hardcoded value
          </label>
        </div>
        {parameter.source === 'project_variable' ? (
          <div className="space-y-1.5">
            <label htmlFor={`${id}-variable`} className="sr-only">
              Project variable for {label}
            </label>
            <Select
              id={`${id}-variable`}
              value={parameter.project_variable}
              disabled={readOnly}
              onChange={(event) => onChange({ ...parameter, project_variable: event.target.value })}
            >
              <option value="">Pick a project variable…</option>
              {projectVariables.map((variable) => (
                <option key={variable.name} value={variable.name}>
                  {variable.name} ({variable.type}) = {currentValueText(variable, environment)}
                </option>
              ))}
              {parameter.project_variable &&
              !projectVariables.some((v) => v.name === parameter.project_variable) ? (
                <option value={parameter.project_variable}>
                  {parameter.project_variable} (no longer a project variable)
                </option>
              ) : null}
            </Select>
          </div>
        ) : parameter.type === 'boolean' ? (
          <div>
            <label htmlFor={`${id}-value`} className="sr-only">
              Value of {label}
            </label>
            <Select
              id={`${id}-value`}
              value={parameter.value === null ? '' : String(parameter.value)}
              disabled={readOnly}
              onChange={(event) =>
                onChange({
                  ...parameter,
                  value: event.target.value === '' ? null : event.target.value === 'true',
                })
              }
            >
              <option value="">No value</option>
              <option value="true">true</option>
              <option value="false">false</option>
            </Select>
          </div>
        ) : (
          <div>
            <label htmlFor={`${id}-value`} className="sr-only">
              Value of {label}
            </label>
            <Input
              id={`${id}-value`}
              type={parameter.type === 'number' ? 'number' : 'text'}
              value={parameter.value === null ? '' : String(parameter.value)}
              disabled={readOnly}
              placeholder="No value"
              onChange={(event) =>
                onChange({
                  ...parameter,
                  value: hardcodedFromText(parameter.type, event.target.value),
                })
              }
            />
          </div>
        )}
      </fieldset>
      <ProblemList problems={problems} />
    </li>
  );
}
