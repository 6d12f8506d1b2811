import { zodResolver } from '@hookform/resolvers/zod';
import { Plus, Trash2, X } from 'lucide-react';
import { useEffect, useId, useRef } from 'react';
import {
  useFieldArray,
  useForm,
  useWatch,
  type FieldPath,
  type UseFormReturn,
} from 'react-hook-form';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Field, FormErrorSummary, Input, Select, Textarea } from '@/components/ui/form-field';
import { paths } from '@/config/paths';
import type { ServerProblem } from '@/lib/field-errors';
import type { LinkedEnvironment, ProjectWorkflow } from '../api/queries';
import { projectInputSchema, type ProjectFormValues, type ProjectInput } from '../api/save-project';
import { ProjectVariables } from './project-variables';

type Form = UseFormReturn<ProjectFormValues, unknown, ProjectInput>;

type Props = {
  defaultValues: ProjectFormValues;
  /** The environment linked now (its variables fill the dropdowns), or none. */
  environment: LinkedEnvironment | null;
  /** The organisation's workflows; undefined while they load. */
  workflows: ProjectWorkflow[] | undefined;
  onSubmit: (values: ProjectFormValues) => void;
  onDirtyChange?: (dirty: boolean) => void;
  isPending?: boolean;
  serverProblem?: ServerProblem | null;
  /** Warnings the last save returned (a variable and a host sharing a name). */
  warnings?: string[];
  /** Members see everything and change nothing. */
  readOnly?: boolean;
};

/** A project's details, variables, API hosts and the workflows it uses: saved together. */
export function ProjectSettingsForm({
  defaultValues,
  environment,
  workflows,
  onSubmit,
  onDirtyChange,
  isPending = false,
  serverProblem,
  warnings = [],
  readOnly = false,
}: Props) {
  const form: Form = useForm<ProjectFormValues, unknown, ProjectInput>({
    resolver: zodResolver(projectInputSchema),
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
      form.setError(name as FieldPath<ProjectFormValues>, { type: 'server', message });
    }
    summaryRef.current?.focus();
  }, [serverProblem, form]);

  return (
    <form
      noValidate
      aria-label="Project settings"
      onSubmit={form.handleSubmit(() => onSubmit(form.getValues()))}
      className="space-y-6"
    >
      {serverProblem ? (
        <div ref={summaryRef} tabIndex={-1} className="outline-none">
          <FormErrorSummary title={serverProblem.title} messages={serverProblem.messages} />
        </div>
      ) : null}
      {warnings.length > 0 ? (
        <div
          role="status"
          className="rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900"
        >
          <p className="font-medium">Saved, with a warning</p>
          <ul className="mt-1 list-disc pl-5">
            {warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <fieldset disabled={readOnly} className="min-w-0 space-y-6">
        <section
          aria-labelledby="project-details-title"
          className="grid grid-cols-1 gap-5 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:grid-cols-2 sm:px-5"
        >
          <h2
            id="project-details-title"
            className="text-base font-semibold text-slate-900 sm:col-span-2"
          >
            Details
          </h2>
          <Field label="Name" required error={errors.name?.message}>
            {(control) => <Input {...control} {...form.register('name')} autoComplete="off" />}
          </Field>
          <Field label="Slug" required error={errors.slug?.message}>
            {(control) => (
              <Input
                {...control}
                {...form.register('slug')}
                autoComplete="off"
                className="font-mono"
              />
            )}
          </Field>
          <Field label="Description" error={errors.description?.message} className="sm:col-span-2">
            {(control) => (
              <Textarea {...control} {...form.register('description')} className="min-h-16" />
            )}
          </Field>
        </section>
        <ProjectVariables form={form} environment={environment} readOnly={readOnly} />
        <ApiHosts form={form} environment={environment} readOnly={readOnly} />
        <WorkflowsUsed form={form} workflows={workflows} readOnly={readOnly} />
      </fieldset>
      {readOnly ? null : (
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" disabled={!isDirty} onClick={() => form.reset()}>
            Discard changes
          </Button>
          <Button type="submit" isLoading={isPending}>
            Save project
          </Button>
        </div>
      )}
    </form>
  );
}

function ApiHosts({
  form,
  environment,
  readOnly,
}: {
  form: Form;
  environment: LinkedEnvironment | null;
  readOnly: boolean;
}) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'api_hosts' });
  const hosts = useWatch({ control: form.control, name: 'api_hosts' });
  const errors = form.formState.errors.api_hosts;
  return (
    <section
      aria-labelledby="project-api-hosts-title"
      className="space-y-4 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5"
    >
      <div>
        <h2 id="project-api-hosts-title" className="text-base font-semibold text-slate-900">
          API hosts
        </h2>
        <p className="text-sm text-slate-600">
          Default base URLs workflows read as variables; the linked environment’s host of the same
          name overrides one.
        </p>
      </div>
      {fields.length === 0 ? (
        <p className="text-sm text-slate-500">No API hosts yet.</p>
      ) : (
        <ul className="space-y-3">
          {fields.map((field, index) => {
            const name = hosts?.[index]?.name ?? '';
            const override = name && environment ? environment.api_hosts[name] : undefined;
            return (
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
                <Field
                  label="URL"
                  error={errors?.[index]?.url?.message}
                  hint={
                    override && environment ? (
                      <span className="text-amber-800">
                        {environment.name} overrides it:{' '}
                        <span className="font-mono">{override}</span>
                      </span>
                    ) : undefined
                  }
                >
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
            );
          })}
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

function WorkflowsUsed({
  form,
  workflows,
  readOnly,
}: {
  form: Form;
  workflows: ProjectWorkflow[] | undefined;
  readOnly: boolean;
}) {
  const selectId = useId();
  const ids = useWatch({ control: form.control, name: 'workflow_ids' }) ?? [];
  const byId = new Map((workflows ?? []).map((workflow) => [workflow.id, workflow]));
  const available = (workflows ?? []).filter(
    (workflow) => workflow.status === 'active' && !ids.includes(workflow.id),
  );
  const setIds = (next: string[]) => form.setValue('workflow_ids', next, { shouldDirty: true });

  return (
    <section
      aria-labelledby="project-workflows-title"
      className="space-y-4 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5"
    >
      <div>
        <h2 id="project-workflows-title" className="text-base font-semibold text-slate-900">
          Workflows used
        </h2>
        <p className="text-sm text-slate-600">
          The workflows this project’s sequences chain (saving a sequence adds its own).
        </p>
      </div>
      {ids.length === 0 ? (
        <p className="text-sm text-slate-500">None yet.</p>
      ) : (
        <ul aria-label="Workflows used" className="flex flex-wrap gap-2">
          {ids.map((id) => {
            const name = byId.get(id)?.name ?? (workflows ? 'Deleted workflow' : 'Workflow');
            return (
              <li
                key={id}
                className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-1 pr-1 pl-3 text-sm ring-1 ring-slate-200"
              >
                <Link
                  to={paths.app.workflow.getHref(id)}
                  className="font-medium text-slate-800 hover:text-brand-700 hover:underline"
                >
                  {name}
                </Link>
                {readOnly ? null : (
                  <button
                    type="button"
                    aria-label={`Remove ${name}`}
                    onClick={() => setIds(ids.filter((other) => other !== id))}
                    className="rounded-full p-1 text-slate-500 hover:bg-slate-200 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-brand-600"
                  >
                    <X className="size-3.5" aria-hidden />
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {readOnly ? null : (
        <div className="max-w-sm space-y-1.5">
          <label htmlFor={selectId} className="block text-sm font-medium text-slate-800">
            Add a workflow
          </label>
          <Select
            id={selectId}
            value=""
            disabled={!workflows || available.length === 0}
            onChange={(event) => {
              if (event.target.value) setIds([...ids, event.target.value]);
            }}
          >
            <option value="">
              {!workflows
                ? 'Loading workflows…'
                : available.length === 0
                  ? 'No other active workflows'
                  : 'Pick a workflow…'}
            </option>
            {available.map((workflow) => (
              <option key={workflow.id} value={workflow.id}>
                {workflow.name}
              </option>
            ))}
          </Select>
        </div>
      )}
    </section>
  );
}
