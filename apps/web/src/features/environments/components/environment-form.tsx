import { SECRET_MASK } from '@forkflow/domain/flows/schemas';
import { zodResolver } from '@hookform/resolvers/zod';
import { KeyRound, Plus, Trash2 } from 'lucide-react';
import { useEffect, useId, useRef } from 'react';
import {
  useFieldArray,
  useForm,
  useWatch,
  type FieldPath,
  type UseFormReturn,
} from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, FormErrorSummary, Input, Textarea } from '@/components/ui/form-field';
import { Switch } from '@/components/ui/switch';
import type { ServerProblem } from '@/lib/field-errors';
import {
  emptyVariableRow,
  environmentInputSchema,
  type EnvironmentFormValues,
  type EnvironmentInput,
} from '../api/save-environment';

type Props = {
  defaultValues: EnvironmentFormValues;
  onSubmit: (values: EnvironmentFormValues) => void;
  onCancel?: () => void;
  onDirtyChange?: (dirty: boolean) => void;
  submitLabel: string;
  isPending?: boolean;
  serverProblem?: ServerProblem | null;
  /** Members see the names and plain values, and change nothing. */
  readOnly?: boolean;
};

type Form = UseFormReturn<EnvironmentFormValues, unknown, EnvironmentInput>;

/**
 * An environment's name, description, variables and API hosts. A secret is write-only: once
 * saved it shows as •••• with Replace; saving without replacing keeps the stored value.
 */
export function EnvironmentForm({
  defaultValues,
  onSubmit,
  onCancel,
  onDirtyChange,
  submitLabel,
  isPending = false,
  serverProblem,
  readOnly = false,
}: Props) {
  const form: Form = useForm<EnvironmentFormValues, unknown, EnvironmentInput>({
    resolver: zodResolver(environmentInputSchema),
    defaultValues,
  });
  const { errors, isDirty } = form.formState;
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    onDirtyChange?.(isDirty);
  }, [isDirty, onDirtyChange]);
  useEffect(() => {
    if (!serverProblem) return;
    for (const [name, message] of Object.entries(serverProblem.fields)) {
      form.setError(name as FieldPath<EnvironmentFormValues>, { type: 'server', message });
    }
    summaryRef.current?.focus();
  }, [serverProblem, form]);

  return (
    <form
      noValidate
      aria-label={readOnly ? 'Environment' : submitLabel}
      onSubmit={form.handleSubmit(() => onSubmit(form.getValues()))}
      className="space-y-6"
    >
      {serverProblem ? (
        <div ref={summaryRef} tabIndex={-1} className="outline-none">
          <FormErrorSummary title={serverProblem.title} messages={serverProblem.messages} />
        </div>
      ) : null}
      <fieldset disabled={readOnly} className="min-w-0 space-y-6">
        <section className="space-y-5 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5">
          <Field
            label="Name"
            error={errors.name?.message}
            required
            hint="Lower-case, like staging or production."
          >
            {(control) => <Input {...control} {...form.register('name')} autoComplete="off" />}
          </Field>
          <Field label="Description" error={errors.description?.message}>
            {(control) => (
              <Textarea {...control} {...form.register('description')} className="min-h-16" />
            )}
          </Field>
        </section>
        <VariablesSection form={form} readOnly={readOnly} />
        <ApiHostsSection form={form} readOnly={readOnly} />
      </fieldset>
      {readOnly ? null : (
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          {onCancel ? (
            <Button variant="secondary" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" isLoading={isPending}>
            {submitLabel}
          </Button>
        </div>
      )}
    </form>
  );
}

function VariablesSection({ form, readOnly }: { form: Form; readOnly: boolean }) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'variables' });
  const rows = useWatch({ control: form.control, name: 'variables' });
  const errors = form.formState.errors.variables;
  const stored = new Set(
    (form.formState.defaultValues?.variables ?? [])
      .filter((row) => row?.keep && row.stored_name)
      .map((row) => row?.stored_name),
  );

  return (
    <section
      aria-labelledby="variables-title"
      className="space-y-4 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5"
    >
      <div>
        <h2 id="variables-title" className="text-base font-semibold text-slate-900">
          Variables
        </h2>
        <p className="text-sm text-slate-600">
          Projects linked to this environment read these. A secret’s value is write-only: once saved
          nobody sees it again, and runs show it as {SECRET_MASK}.
        </p>
      </div>
      {fields.length === 0 ? (
        <p className="text-sm text-slate-500">No variables yet.</p>
      ) : (
        <ul className="space-y-3">
          {fields.map((field, index) => {
            const row = rows?.[index];
            const rowErrors = errors?.[index];
            const label = `Variable ${index + 1}${row?.name ? ` (${row.name})` : ''}`;
            const secret = Boolean(row?.secret);
            const kept = secret && Boolean(row?.keep);
            return (
              <li
                key={field.id}
                role="group"
                aria-label={label}
                className="grid grid-cols-1 gap-3 rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200 sm:grid-cols-[minmax(0,12rem)_minmax(0,1fr)_auto_auto] sm:items-start"
              >
                <Field label="Name" error={rowErrors?.name?.message}>
                  {(control) => (
                    <Input
                      {...control}
                      {...form.register(`variables.${index}.name`)}
                      autoComplete="off"
                      placeholder="api_key"
                      className="font-mono"
                    />
                  )}
                </Field>
                {kept ? (
                  <div className="space-y-1.5">
                    <p className="block text-sm font-medium text-slate-800">Value</p>
                    <div className="flex h-10 items-center gap-2">
                      <span
                        className="font-mono text-sm text-slate-600"
                        aria-label="Secret value, hidden"
                      >
                        {SECRET_MASK}
                      </span>
                      {readOnly ? null : (
                        <Button
                          variant="secondary"
                          size="sm"
                          onClick={() => {
                            form.setValue(`variables.${index}.keep`, false, { shouldDirty: true });
                            form.setValue(`variables.${index}.value`, '', { shouldDirty: true });
                            requestAnimationFrame(() => form.setFocus(`variables.${index}.value`));
                          }}
                        >
                          Replace
                        </Button>
                      )}
                    </div>
                    {rowErrors?.value?.message ? (
                      <p className="text-sm text-red-700">{rowErrors.value.message}</p>
                    ) : null}
                  </div>
                ) : (
                  <Field
                    label={secret ? 'New secret value' : 'Value'}
                    error={rowErrors?.value?.message}
                    hint={
                      secret && row?.stored_name && stored.has(row.stored_name) ? (
                        <button
                          type="button"
                          className="text-brand-700 underline-offset-2 hover:underline"
                          onClick={() => {
                            form.setValue(`variables.${index}.keep`, true, { shouldDirty: true });
                            form.setValue(`variables.${index}.value`, '');
                            form.clearErrors(`variables.${index}.value`);
                          }}
                        >
                          Keep the stored value
                        </button>
                      ) : undefined
                    }
                  >
                    {(control) => (
                      <Input
                        {...control}
                        {...form.register(`variables.${index}.value`)}
                        type={secret ? 'password' : 'text'}
                        autoComplete={secret ? 'new-password' : 'off'}
                        className="font-mono"
                      />
                    )}
                  </Field>
                )}
                <SecretSwitch form={form} index={index} checked={secret} />
                {readOnly ? null : (
                  <Button
                    variant="ghost"
                    size="icon"
                    aria-label={`Remove ${label}`}
                    onClick={() => remove(index)}
                    className="hover:bg-red-50 hover:text-red-700 sm:mt-7"
                  >
                    <Trash2 className="size-4" aria-hidden />
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {errors?.root?.message || errors?.message ? (
        <p role="alert" className="text-sm text-red-700">
          {errors.root?.message ?? errors.message}
        </p>
      ) : null}
      {readOnly ? null : (
        <Button variant="secondary" size="sm" onClick={() => append({ ...emptyVariableRow })}>
          <Plus className="size-4" aria-hidden />
          Add variable
        </Button>
      )}
    </section>
  );
}

function SecretSwitch({ form, index, checked }: { form: Form; index: number; checked: boolean }) {
  const id = useId();
  return (
    <div className="flex items-center gap-2 sm:mt-7 sm:h-10">
      <Switch
        id={id}
        size="sm"
        checked={checked}
        onCheckedChange={(next) => {
          form.setValue(`variables.${index}.secret`, next, { shouldDirty: true });
          // A switched variable has no stored value to keep: it needs one typed in.
          form.setValue(`variables.${index}.keep`, false, { shouldDirty: true });
          if (!next) form.setValue(`variables.${index}.value`, '', { shouldDirty: true });
        }}
      />
      <label htmlFor={id} className="flex items-center gap-1 text-sm text-slate-700">
        <KeyRound className="size-3.5" aria-hidden />
        Secret
      </label>
    </div>
  );
}

function ApiHostsSection({ form, readOnly }: { form: Form; readOnly: boolean }) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'api_hosts' });
  const errors = form.formState.errors.api_hosts;
  return (
    <section
      aria-labelledby="api-hosts-title"
      className="space-y-4 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5"
    >
      <div>
        <h2 id="api-hosts-title" className="text-base font-semibold text-slate-900">
          API hosts
        </h2>
        <p className="text-sm text-slate-600">
          Named base URLs. They override a linked project’s host of the same name.
        </p>
      </div>
      {fields.length === 0 ? (
        <p className="text-sm text-slate-500">No API hosts yet.</p>
      ) : (
        <ul className="space-y-3">
          {fields.map((field, index) => (
            <li
              key={field.id}
              role="group"
              aria-label={`API host ${index + 1}`}
              className="grid grid-cols-1 gap-3 rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200 sm:grid-cols-[minmax(0,12rem)_minmax(0,1fr)_auto] sm:items-start"
            >
              <Field label="Name" error={errors?.[index]?.name?.message}>
                {(control) => (
                  <Input
                    {...control}
                    {...form.register(`api_hosts.${index}.name`)}
                    autoComplete="off"
                    placeholder="crm_api"
                    className="font-mono"
                  />
                )}
              </Field>
              <Field label="URL" error={errors?.[index]?.url?.message}>
                {(control) => (
                  <Input
                    {...control}
                    {...form.register(`api_hosts.${index}.url`)}
                    type="url"
                    autoComplete="off"
                    placeholder="https://api.example.com"
                  />
                )}
              </Field>
              {readOnly ? null : (
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Remove API host ${index + 1}`}
                  onClick={() => remove(index)}
                  className="hover:bg-red-50 hover:text-red-700 sm:mt-7"
                >
                  <Trash2 className="size-4" aria-hidden />
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {readOnly ? null : (
        <Button variant="secondary" size="sm" onClick={() => append({ name: '', url: '' })}>
          <Plus className="size-4" aria-hidden />
          Add API host
        </Button>
      )}
    </section>
  );
}
