import { SCALAR_TYPES, SECRET_MASK, type ScalarType } from '@forkflow/domain/flows/schemas';
import { AlertTriangle, Plus, Trash2 } from 'lucide-react';
import { useId } from 'react';
import { useFieldArray, useWatch, type UseFormReturn } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/form-field';
import type { LinkedEnvironment } from '../api/queries';
import {
  emptyVariableRow,
  type ProjectFormValues,
  type ProjectInput,
  type ProjectVariableRow,
} from '../api/save-project';

type Form = UseFormReturn<ProjectFormValues, unknown, ProjectInput>;

const typeLabels: Record<ScalarType, string> = {
  string: 'String',
  number: 'Number',
  boolean: 'Boolean',
};

/** How an environment variable reads in the dropdown: its value, a secret masked. */
export function environmentValueText(variable: LinkedEnvironment['variables'][number]): string {
  if (variable.secret) return variable.has_value ? SECRET_MASK : 'secret, no value';
  if (variable.value === null) return 'no value';
  return variable.value.length > 40 ? `${variable.value.slice(0, 39)}…` : variable.value;
}

/**
 * The project's variables. Each takes its value from here (typed input) or from the linked
 * environment (a dropdown of its variables showing their values, secrets masked); one that
 * points at a variable the environment lacks is flagged.
 */
export function ProjectVariables({
  form,
  environment,
  readOnly = false,
}: {
  form: Form;
  environment: LinkedEnvironment | null;
  readOnly?: boolean;
}) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'variables' });
  const rows = useWatch({ control: form.control, name: 'variables' });

  return (
    <section
      aria-labelledby="project-variables-title"
      className="space-y-4 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5"
    >
      <div>
        <h2 id="project-variables-title" className="text-base font-semibold text-slate-900">
          Variables
        </h2>
        <p className="text-sm text-slate-600">
          Sequences read these. Each is a value set here or one of the linked environment’s
          variables, so switching environment changes what runs use.
        </p>
      </div>
      {fields.length === 0 ? (
        <p className="text-sm text-slate-500">No variables yet.</p>
      ) : (
        <ul className="space-y-3">
          {fields.map((field, index) => (
            <VariableRow
              key={field.id}
              form={form}
              index={index}
              row={rows?.[index]}
              environment={environment}
              readOnly={readOnly}
              onRemove={() => remove(index)}
            />
          ))}
        </ul>
      )}
      {readOnly ? null : (
        <Button variant="secondary" size="sm" onClick={() => append({ ...emptyVariableRow })}>
          <Plus className="size-4" aria-hidden />
          Add variable
        </Button>
      )}
    </section>
  );
}

function VariableRow({
  form,
  index,
  row,
  environment,
  readOnly,
  onRemove,
}: {
  form: Form;
  index: number;
  row: ProjectVariableRow | undefined;
  environment: LinkedEnvironment | null;
  readOnly: boolean;
  onRemove: () => void;
}) {
  const id = useId();
  const errors = form.formState.errors.variables?.[index];
  const label = `Variable ${index + 1}${row?.name ? ` (${row.name})` : ''}`;
  const source = row?.source ?? 'hardcoded';
  const type = row?.type ?? 'string';

  return (
    <li
      role="group"
      aria-label={label}
      className="space-y-3 rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200"
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[minmax(0,1fr)_9rem_auto_auto] sm:items-start">
        <Field label="Name" error={errors?.name?.message}>
          {(control) => (
            <Input
              {...control}
              {...form.register(`variables.${index}.name`)}
              autoComplete="off"
              placeholder="base_url"
              className="font-mono"
            />
          )}
        </Field>
        <Field label="Type" error={errors?.type?.message}>
          {(control) => (
            <Select {...control} {...form.register(`variables.${index}.type`)}>
              {SCALAR_TYPES.map((value) => (
                <option key={value} value={value}>
                  {typeLabels[value]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <label className="flex items-center gap-2 text-sm text-slate-700 sm:mt-7 sm:h-10">
          <input
            type="checkbox"
            {...form.register(`variables.${index}.required`)}
            className="size-4 rounded border-slate-300 text-brand-600 focus:ring-brand-600"
          />
          Required
        </label>
        {readOnly ? null : (
          <Button
            variant="ghost"
            size="icon"
            aria-label={`Remove ${label}`}
            onClick={onRemove}
            className="hover:bg-red-50 hover:text-red-700 sm:mt-7"
          >
            <Trash2 className="size-4" aria-hidden />
          </Button>
        )}
      </div>
      <Field label="Description" error={errors?.description?.message}>
        {(control) => <Input {...control} {...form.register(`variables.${index}.description`)} />}
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Value source</legend>
        <div className="flex flex-wrap gap-x-5 gap-y-1">
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="radio"
              value="hardcoded"
              {...form.register(`variables.${index}.source`)}
              className="size-4 border-slate-300 text-brand-600 focus:ring-brand-600"
            />
            Hardcoded value
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="radio"
              value="environment"
              {...form.register(`variables.${index}.source`)}
              className="size-4 border-slate-300 text-brand-600 focus:ring-brand-600"
            />
            Environment variable
          </label>
        </div>
      </fieldset>
      {source === 'hardcoded' ? (
        <Field
          label="Value"
          error={errors?.value?.message}
          hint={row?.required ? undefined : 'Leave empty for no value.'}
        >
          {(control) =>
            type === 'boolean' ? (
              <Select {...control} {...form.register(`variables.${index}.value`)}>
                <option value="">No value</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </Select>
            ) : (
              <Input
                {...control}
                {...form.register(`variables.${index}.value`)}
                type={type === 'number' ? 'number' : 'text'}
                inputMode={type === 'number' ? 'decimal' : undefined}
                step="any"
                autoComplete="off"
                className="font-mono"
              />
            )
          }
        </Field>
      ) : (
        <EnvironmentVariableSelect
          form={form}
          index={index}
          selected={row?.environment_variable ?? ''}
          environment={environment}
          error={errors?.environment_variable?.message}
          hintId={`${id}-env`}
        />
      )}
    </li>
  );
}

function EnvironmentVariableSelect({
  form,
  index,
  selected,
  environment,
  error,
  hintId,
}: {
  form: Form;
  index: number;
  selected: string;
  environment: LinkedEnvironment | null;
  error: string | undefined;
  hintId: string;
}) {
  const variables = environment?.variables ?? [];
  const chosen = variables.find((variable) => variable.name === selected);
  const missing = selected !== '' && environment !== null && !chosen;
  return (
    <div className="space-y-1.5">
      <Field
        label={environment ? `Variable of ${environment.name}` : 'Variable of the environment'}
        error={error}
      >
        {(control) => (
          <Select
            {...control}
            {...form.register(`variables.${index}.environment_variable`)}
            // Controlled: the options arrive with the environment, after the form mounts, and
            // an uncontrolled select whose chosen option is replaced falls back to the first.
            value={selected}
            aria-describedby={[control['aria-describedby'], hintId].filter(Boolean).join(' ')}
            aria-invalid={control['aria-invalid'] || missing}
          >
            <option value="">
              {environment ? `Pick a variable of ${environment.name}…` : 'Pick a variable…'}
            </option>
            {variables.map((variable) => (
              <option key={variable.name} value={variable.name}>
                {variable.name} = {environmentValueText(variable)}
              </option>
            ))}
            {selected !== '' && !chosen ? (
              <option value={selected}>
                {selected}
                {environment ? ` (not in ${environment.name})` : ''}
              </option>
            ) : null}
          </Select>
        )}
      </Field>
      <p id={hintId} className="text-xs">
        {environment === null ? (
          <span className="text-slate-500">
            Link an environment to see its variables; until then this variable has no value.
          </span>
        ) : missing ? (
          <span className="flex items-center gap-1 font-medium text-amber-800">
            <AlertTriangle className="size-3.5" aria-hidden />
            {environment.name} has no variable {selected}: runs can’t resolve it.
          </span>
        ) : chosen ? (
          <span className="text-slate-500">
            Value in {environment.name}:{' '}
            <span className="font-mono">{environmentValueText(chosen)}</span>
          </span>
        ) : null}
      </p>
    </div>
  );
}
