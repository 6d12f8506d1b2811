import type { WorkflowInput } from '@forkflow/domain/workflow-inputs';
import { useId } from 'react';
import { Input, Select, Textarea } from '@/components/ui/form-field';
import { cn } from '@/lib/utils';
import { projectVariableNames, type AutomatedProject } from '../api/queries';
import {
  REP_INPUT_FIELDS,
  RESTAURANT_INPUT_FIELDS,
  type AutomatedInputMap,
  type AutomatedInputSource,
  type InputMapProblem,
  type RepInputField,
  type RestaurantInputField,
} from '@forkflow/domain/automated-steps';

export type InputMap = AutomatedInputMap;

/** An automated step before this one, whose output an input may take. */
export type EarlierAutomatedStep = { step_order: number; name: string };

type SourceKind = AutomatedInputSource['source'];

const sourceLabels: Record<SourceKind, string> = {
  restaurant: 'Restaurant field',
  rep: 'Rep field',
  variable: 'Project variable',
  step: 'Earlier step’s output',
  value: 'Fixed value',
};

const restaurantFieldLabels: Record<RestaurantInputField, string> = {
  id: 'Id',
  name: 'Name',
  city: 'City',
  cuisine: 'Cuisine',
  contact_name: 'Contact name',
  contact_email: 'Contact email',
  contact_phone: 'Contact phone',
  lead_stage: 'Lead stage',
  lead_warmth: 'Warmth',
  lead_status: 'Status',
  notes: 'Notes',
  metadata: 'Metadata (JSON)',
};

const repFieldLabels: Record<RepInputField, string> = {
  id: 'Id',
  name: 'Full name',
  first_name: 'First name',
  email: 'Email',
};

/** What picking a source starts with: its first choice, so the row is complete at once. */
function startingSource(
  kind: SourceKind,
  input: WorkflowInput,
  projects: readonly AutomatedProject[],
  earlier: readonly EarlierAutomatedStep[],
): AutomatedInputSource | null {
  switch (kind) {
    // A field named like the input is the likely one ("city" → the restaurant's city).
    case 'restaurant':
      return {
        source: 'restaurant',
        field: RESTAURANT_INPUT_FIELDS.find((field) => field === input.name) ?? 'name',
      };
    case 'rep':
      return {
        source: 'rep',
        field: REP_INPUT_FIELDS.find((field) => field === input.name) ?? 'email',
      };
    case 'variable': {
      const project = projects.find((item) => projectVariableNames(item).length > 0);
      const name = project ? projectVariableNames(project)[0] : undefined;
      return project && name
        ? { source: 'variable', project_id: project.id, name }
        : { source: 'variable', project_id: '', name: '' };
    }
    case 'step': {
      const last = earlier.at(-1);
      return { source: 'step', step_order: last?.step_order ?? 0 };
    }
    case 'value':
      return { source: 'value', value: input.type === 'boolean' ? false : '' };
  }
}

/** A typed fixed value: numbers as numbers, JSON parsed when it parses (else kept as typed). */
function coerceValue(input: WorkflowInput, text: string): unknown {
  if (input.type === 'number' || input.type === 'integer') {
    const number = Number(text);
    return text.trim() !== '' && Number.isFinite(number) ? number : text;
  }
  if (input.type === 'object' || input.type === 'array') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

const valueText = (value: unknown) =>
  typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);

/**
 * One row per declared input of the step's workflow: where its value comes from when the step
 * runs — a field of the restaurant or of the rep, a project variable, an earlier automated
 * step's output (a JSONPath into it, optional) or a fixed value. Required inputs are marked;
 * the problems the domain's validateInputMap finds show under their row.
 */
export function InputMapEditor({
  inputs,
  value,
  onChange,
  earlierSteps,
  projects,
  problems,
}: {
  inputs: readonly WorkflowInput[];
  value: InputMap;
  onChange: (next: InputMap) => void;
  earlierSteps: readonly EarlierAutomatedStep[];
  projects: readonly AutomatedProject[];
  problems: readonly InputMapProblem[];
}) {
  const known = new Set(inputs.map((input) => input.name));
  // Problems not about a declared input's row (e.g. an input the workflow no longer has).
  const general = problems.filter((problem) => !known.has(inputOfPath(problem.path)));

  const set = (name: string, source: AutomatedInputSource | null) => {
    const next = { ...value };
    if (source) next[name] = source;
    else delete next[name];
    onChange(next);
  };

  if (inputs.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        This workflow declares no inputs: it runs with an empty input.
        {Object.keys(value).length > 0 ? (
          <>
            {' '}
            <button
              type="button"
              className="font-medium text-brand-700 underline"
              onClick={() => onChange({})}
            >
              Clear the old mapping
            </button>
          </>
        ) : null}
      </p>
    );
  }

  return (
    <div className="space-y-3">
      {inputs.map((input) => (
        <InputRow
          key={input.name}
          input={input}
          source={value[input.name] ?? null}
          onChange={(source) => set(input.name, source)}
          earlierSteps={earlierSteps}
          projects={projects}
          problems={problems.filter((problem) => inputOfPath(problem.path) === input.name)}
        />
      ))}
      {general.length > 0 ? (
        <ul role="alert" className="space-y-1 text-sm text-red-700">
          {general.map((problem) => (
            <li key={`${problem.path.join('.')}-${problem.code}`}>{problem.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The input a problem is about ('' for the map as a whole). */
const inputOfPath = (path: readonly string[]) => path[0] ?? '';

function InputRow({
  input,
  source,
  onChange,
  earlierSteps,
  projects,
  problems,
}: {
  input: WorkflowInput;
  source: AutomatedInputSource | null;
  onChange: (source: AutomatedInputSource | null) => void;
  earlierSteps: readonly EarlierAutomatedStep[];
  projects: readonly AutomatedProject[];
  problems: readonly InputMapProblem[];
}) {
  const id = useId();
  const problemId = `${id}-problems`;
  const invalid = problems.length > 0;
  const described = invalid ? problemId : undefined;
  const required = input.required === true;

  return (
    <fieldset
      aria-describedby={described}
      className={cn('rounded-lg p-3 ring-1 ring-slate-200 ring-inset', invalid && 'ring-red-300')}
    >
      <legend className="sr-only">Input {input.name}</legend>
      <div className="flex flex-wrap items-baseline gap-x-2" aria-hidden>
        <span className="font-mono text-sm font-medium text-slate-900">{input.name}</span>
        <span className="text-xs text-slate-500">{input.type}</span>
        {required ? <span className="text-xs font-medium text-red-700">Required</span> : null}
      </div>
      {input.description ? (
        <p className="mt-0.5 text-xs text-slate-500">{input.description}</p>
      ) : null}
      <div className="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-source`} className="block text-xs font-medium text-slate-700">
            Source of {input.name}
            {required ? <span className="sr-only"> (required)</span> : null}
          </label>
          <Select
            id={`${id}-source`}
            aria-invalid={invalid || undefined}
            aria-required={required || undefined}
            value={source?.source ?? ''}
            onChange={(event) => {
              const kind = event.target.value as SourceKind | '';
              onChange(kind ? startingSource(kind, input, projects, earlierSteps) : null);
            }}
          >
            <option value="">{required ? 'Choose a source…' : 'Not mapped'}</option>
            {(Object.keys(sourceLabels) as SourceKind[]).map((kind) => (
              <option key={kind} value={kind} disabled={kind === 'step' && !earlierSteps.length}>
                {sourceLabels[kind]}
                {kind === 'step' && !earlierSteps.length ? ' (no earlier automated step)' : ''}
              </option>
            ))}
          </Select>
        </div>
        {source ? (
          <SourceDetail
            id={id}
            input={input}
            source={source}
            onChange={onChange}
            earlierSteps={earlierSteps}
            projects={projects}
          />
        ) : null}
      </div>
      {invalid ? (
        <ul id={problemId} className="mt-2 space-y-0.5 text-sm text-red-700">
          {problems.map((problem) => (
            <li key={`${problem.path.join('.')}-${problem.code}`}>{problem.message}</li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}

function SourceDetail({
  id,
  input,
  source,
  onChange,
  earlierSteps,
  projects,
}: {
  id: string;
  input: WorkflowInput;
  source: AutomatedInputSource;
  onChange: (source: AutomatedInputSource) => void;
  earlierSteps: readonly EarlierAutomatedStep[];
  projects: readonly AutomatedProject[];
}) {
  const label = (text: string) => (
    <label htmlFor={`${id}-detail`} className="block text-xs font-medium text-slate-700">
      {text}
    </label>
  );
  switch (source.source) {
    case 'restaurant':
      return (
        <div>
          {label(`Restaurant field for ${input.name}`)}
          <Select
            id={`${id}-detail`}
            value={source.field}
            onChange={(event) =>
              onChange({
                source: 'restaurant',
                field: event.target.value as RestaurantInputField,
              })
            }
          >
            {RESTAURANT_INPUT_FIELDS.map((field) => (
              <option key={field} value={field}>
                {restaurantFieldLabels[field]}
              </option>
            ))}
          </Select>
        </div>
      );
    case 'rep':
      return (
        <div>
          {label(`Rep field for ${input.name}`)}
          <Select
            id={`${id}-detail`}
            value={source.field}
            onChange={(event) =>
              onChange({
                source: 'rep',
                field: event.target.value as RepInputField,
              })
            }
          >
            {REP_INPUT_FIELDS.map((field) => (
              <option key={field} value={field}>
                {repFieldLabels[field]}
              </option>
            ))}
          </Select>
          <p className="mt-1 text-xs text-slate-500">The rep the task is assigned to.</p>
        </div>
      );
    case 'variable': {
      const current = source.project_id ? `${source.project_id}/${source.name}` : '';
      return (
        <div>
          {label(`Project variable for ${input.name}`)}
          <Select
            id={`${id}-detail`}
            value={current}
            onChange={(event) => {
              const [projectId = '', ...rest] = event.target.value.split('/');
              onChange({ source: 'variable', project_id: projectId, name: rest.join('/') });
            }}
          >
            <option value="">Choose a variable…</option>
            {projects
              .filter((project) => projectVariableNames(project).length > 0)
              .map((project) => (
                <optgroup key={project.id} label={project.name}>
                  {projectVariableNames(project).map((name) => (
                    <option key={name} value={`${project.id}/${name}`}>
                      {name}
                    </option>
                  ))}
                </optgroup>
              ))}
          </Select>
          {projects.every((project) => projectVariableNames(project).length === 0) ? (
            <p className="mt-1 text-xs text-slate-500">No project has variables yet.</p>
          ) : null}
        </div>
      );
    }
    case 'step':
      return (
        <div className="grid grid-cols-1 gap-2">
          <div>
            {label(`Earlier step for ${input.name}`)}
            <Select
              id={`${id}-detail`}
              value={source.step_order || ''}
              onChange={(event) =>
                onChange({
                  ...source,
                  step_order: Number(event.target.value) || 0,
                })
              }
            >
              <option value="">Choose a step…</option>
              {earlierSteps.map((step) => (
                <option key={step.step_order} value={step.step_order}>
                  Step {step.step_order}
                  {step.name.trim() ? `: ${step.name.trim()}` : ''}
                </option>
              ))}
            </Select>
          </div>
          <div>
            <label htmlFor={`${id}-path`} className="block text-xs font-medium text-slate-700">
              Path in its output (optional)
            </label>
            <Input
              id={`${id}-path`}
              value={source.path ?? ''}
              placeholder="$.summary — empty: the whole output"
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => {
                const { path: _old, ...rest } = source;
                const path = event.target.value;
                onChange(path ? { ...rest, path } : rest);
              }}
            />
          </div>
        </div>
      );
    case 'value':
      if (input.type === 'boolean') {
        return (
          <div>
            {label(`Fixed value for ${input.name}`)}
            <Select
              id={`${id}-detail`}
              value={source.value === true ? 'true' : 'false'}
              onChange={(event) =>
                onChange({ source: 'value', value: event.target.value === 'true' })
              }
            >
              <option value="true">Yes</option>
              <option value="false">No</option>
            </Select>
          </div>
        );
      }
      if (input.enum) {
        const options = input.enum;
        return (
          <div>
            {label(`Fixed value for ${input.name}`)}
            <Select
              id={`${id}-detail`}
              value={options.findIndex((option) => option === source.value)}
              onChange={(event) =>
                onChange({ source: 'value', value: options[Number(event.target.value)] })
              }
            >
              <option value={-1}>Choose…</option>
              {options.map((option, index) => (
                <option key={String(option)} value={index}>
                  {String(option)}
                </option>
              ))}
            </Select>
          </div>
        );
      }
      if (input.type === 'object' || input.type === 'array') {
        return (
          <div className="sm:col-span-2">
            {label(`Fixed value for ${input.name}`)}
            <Textarea
              id={`${id}-detail`}
              rows={3}
              spellCheck={false}
              className="font-mono"
              defaultValue={valueText(source.value)}
              onChange={(event) =>
                onChange({ source: 'value', value: coerceValue(input, event.target.value) })
              }
            />
          </div>
        );
      }
      return (
        <div>
          {label(`Fixed value for ${input.name}`)}
          <Input
            id={`${id}-detail`}
            value={valueText(source.value)}
            inputMode={input.type === 'number' || input.type === 'integer' ? 'decimal' : undefined}
            autoComplete="off"
            onChange={(event) =>
              onChange({ source: 'value', value: coerceValue(input, event.target.value) })
            }
          />
        </div>
      );
  }
}
