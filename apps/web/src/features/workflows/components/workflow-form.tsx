import { RETRY_POLICY_LIMITS, retryWindowMs } from '@forkflow/domain/backoff';
import { zodResolver } from '@hookform/resolvers/zod';
import { RotateCw } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { Controller, useForm, useWatch, type Resolver } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, FormErrorSummary, Input, Textarea } from '@/components/ui/form-field';
import {
  workflowInputSchemaFor,
  type SaveWorkflowProblem,
  type WorkflowFormValues,
  type WorkflowInput,
} from '../api/save-workflow';
import type { Transformer } from '../api/queries';
import { DefinitionViews } from './canvas/definition-views';
import { WorkflowDefinitionEditor } from './workflow-definition-editor';
import { WorkflowInputsEditor } from './workflow-inputs-editor';

type Props = {
  defaultValues: WorkflowFormValues;
  /** Editing an existing workflow: its key stays, and a change description is asked for. */
  isNew: boolean;
  /** The organisation's transformers; undefined while they load. */
  transformers: Transformer[] | undefined;
  onSubmit: (values: WorkflowFormValues) => void;
  onCancel: () => void;
  onDirtyChange?: (dirty: boolean) => void;
  /** Reload the latest saved version (after a conflict). */
  onReloadLatest?: () => void;
  submitLabel: string;
  isPending?: boolean;
  serverProblem?: SaveWorkflowProblem | null;
};

/** "Transcribe call" → "transcribe-call": a key suggestion while the key is untouched. */
export const keyFromName = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);

const formatMs = (ms: number) =>
  ms < 1000
    ? `${ms} ms`
    : ms < 60_000
      ? `${+(ms / 1000).toFixed(1)} s`
      : ms < 3_600_000
        ? `${+(ms / 60_000).toFixed(1)} min`
        : `${+(ms / 3_600_000).toFixed(1)} h`;

function retryWindows(values: {
  max_retries: unknown;
  base_ms: unknown;
  factor: unknown;
  cap_ms: unknown;
}): string | null {
  const { max_retries, base_ms, factor, cap_ms } = values;
  if (
    typeof max_retries !== 'number' ||
    typeof base_ms !== 'number' ||
    typeof factor !== 'number' ||
    typeof cap_ms !== 'number' ||
    [max_retries, base_ms, factor, cap_ms].some((n) => !Number.isFinite(n) || n < 0) ||
    max_retries > 20
  ) {
    return null;
  }
  if (max_retries === 0) return 'A failed step fails the job at once.';
  const windows = Array.from({ length: Math.min(max_retries, 6) }, (_, index) =>
    formatMs(Math.round(retryWindowMs(index + 1, { baseMs: base_ms, factor, capMs: cap_ms }))),
  );
  const list = `${windows.join(', ')}${max_retries > 6 ? ', …' : ''}`;
  return max_retries === 1
    ? `The retry waits a random time of up to ${list}.`
    : `Retries wait a random time of up to ${list} (full jitter).`;
}

export function WorkflowForm({
  defaultValues,
  isNew,
  transformers,
  onSubmit,
  onCancel,
  onDirtyChange,
  onReloadLatest,
  submitLabel,
  isPending = false,
  serverProblem,
}: Props) {
  const transformerIds = transformers ? transformers.map((transformer) => transformer.id) : null;
  // The resolver reads the latest transformer list, which may arrive after the form mounts.
  const idsRef = useRef(transformerIds);
  useEffect(() => {
    idsRef.current = transformerIds;
  });
  const resolver: Resolver<WorkflowFormValues, unknown, WorkflowInput> = (...args) =>
    zodResolver(workflowInputSchemaFor(idsRef.current))(...args);
  const form = useForm<WorkflowFormValues, unknown, WorkflowInput>({ resolver, defaultValues });
  const { errors, isDirty, dirtyFields } = form.formState;
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (serverProblem) summaryRef.current?.focus();
  }, [serverProblem]);
  useEffect(() => {
    onDirtyChange?.(isDirty);
  }, [isDirty, onDirtyChange]);

  const policy = useWatch({
    control: form.control,
    name: ['max_retries', 'base_ms', 'factor', 'cap_ms'],
  });
  const windows = retryWindows({
    max_retries: policy[0],
    base_ms: policy[1],
    factor: policy[2],
    cap_ms: policy[3],
  });

  const definitionText = useWatch({ control: form.control, name: 'definition' });

  const submit = form.handleSubmit(() => onSubmit(form.getValues()));
  const number = { valueAsNumber: true } as const;

  return (
    <form noValidate aria-label={submitLabel} onSubmit={submit} className="space-y-6">
      {serverProblem ? (
        <div ref={summaryRef} tabIndex={-1} className="space-y-2 outline-none">
          <FormErrorSummary title={serverProblem.title} messages={serverProblem.messages} />
          {serverProblem.conflict && onReloadLatest ? (
            <Button variant="secondary" size="sm" onClick={onReloadLatest}>
              <RotateCw className="size-4" aria-hidden />
              Reload the latest version
            </Button>
          ) : null}
        </div>
      ) : null}

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-6">
          <section className="space-y-5 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5">
            <div className="grid grid-cols-1 gap-5 sm:grid-cols-2">
              <Field label="Name" error={errors.name?.message} required>
                {(control) => (
                  <Input
                    {...control}
                    {...form.register('name', {
                      onChange: (event: { target: { value: string } }) => {
                        if (isNew && !dirtyFields.key) {
                          form.setValue('key', keyFromName(event.target.value));
                        }
                      },
                    })}
                    autoComplete="off"
                    placeholder="e.g. Transcribe a call"
                  />
                )}
              </Field>
              <Field
                label="Key"
                error={errors.key?.message}
                required
                hint={
                  isNew
                    ? 'How other systems start it: lower-case, digits, - and _.'
                    : 'Other systems start it by this key, so it stays as it is.'
                }
              >
                {(control) => (
                  <Input
                    {...control}
                    {...form.register('key')}
                    readOnly={!isNew}
                    autoComplete="off"
                    spellCheck={false}
                    className="font-mono"
                    placeholder="transcribe-call"
                  />
                )}
              </Field>
            </div>
            <Field label="Description" error={errors.description?.message}>
              {(control) => (
                <Textarea
                  {...control}
                  {...form.register('description')}
                  rows={2}
                  className="min-h-0"
                  placeholder="What it does, for the people who run it (optional)"
                />
              )}
            </Field>
          </section>

          <section className="space-y-3 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5">
            <Controller
              control={form.control}
              name="definition"
              render={({ field }) => (
                // Canvas | Form | JSON over this one field (issue 12 §5): each view edits the text.
                <DefinitionViews
                  text={field.value}
                  onTextChange={field.onChange}
                  transformers={transformers}
                  error={errors.definition?.message}
                  json={
                    <Field
                      label="Definition (JSON)"
                      error={errors.definition?.message}
                      required
                      hint="Steps keyed by id, each with a transformer_id, an input_map of JSONPaths ($.job_input…, $.<step>.output…) and a next_step."
                    >
                      {(control) => (
                        <WorkflowDefinitionEditor
                          control={control}
                          value={field.value}
                          onChange={field.onChange}
                          onBlur={field.onBlur}
                          name={field.name}
                          inputRef={field.ref}
                          knownTransformerIds={transformerIds}
                        />
                      )}
                    </Field>
                  }
                />
              )}
            />
          </section>

          <WorkflowInputsEditor
            definition={definitionText}
            onDefinitionChange={(text) =>
              form.setValue('definition', text, { shouldDirty: true, shouldValidate: false })
            }
          />
        </div>

        <div className="min-w-0 space-y-6">
          <fieldset className="space-y-4 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5">
            <legend className="float-left mb-1 text-sm font-semibold text-slate-900">
              Retries
            </legend>
            <div className="clear-both grid grid-cols-2 gap-4">
              <Field label="Max retries" error={errors.max_retries?.message}>
                {(control) => (
                  <Input
                    {...control}
                    {...form.register('max_retries', number)}
                    type="number"
                    inputMode="numeric"
                    min={RETRY_POLICY_LIMITS.max_retries.min}
                    max={RETRY_POLICY_LIMITS.max_retries.max}
                  />
                )}
              </Field>
              <Field label="Factor" error={errors.factor?.message}>
                {(control) => (
                  <Input
                    {...control}
                    {...form.register('factor', number)}
                    type="number"
                    inputMode="decimal"
                    step="0.1"
                    min={RETRY_POLICY_LIMITS.factor.min}
                    max={RETRY_POLICY_LIMITS.factor.max}
                  />
                )}
              </Field>
              <Field label="Base delay (ms)" error={errors.base_ms?.message}>
                {(control) => (
                  <Input
                    {...control}
                    {...form.register('base_ms', number)}
                    type="number"
                    inputMode="numeric"
                    min={RETRY_POLICY_LIMITS.base_ms.min}
                    max={RETRY_POLICY_LIMITS.base_ms.max}
                  />
                )}
              </Field>
              <Field label="Cap (ms)" error={errors.cap_ms?.message}>
                {(control) => (
                  <Input
                    {...control}
                    {...form.register('cap_ms', number)}
                    type="number"
                    inputMode="numeric"
                    min={RETRY_POLICY_LIMITS.cap_ms.min}
                    max={RETRY_POLICY_LIMITS.cap_ms.max}
                  />
                )}
              </Field>
            </div>
            {windows ? <p className="text-xs text-slate-500">{windows}</p> : null}
          </fieldset>

          <section className="space-y-3 rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5">
            <Field
              label="Change description"
              error={errors.change_description?.message}
              hint="Shown in the version history."
            >
              {(control) => (
                <Input
                  {...control}
                  {...form.register('change_description')}
                  placeholder={isNew ? 'Created' : 'e.g. Retry the transcription 5 times'}
                />
              )}
            </Field>
          </section>

          <section
            aria-labelledby="workflow-transformers"
            className="rounded-xl bg-white px-4 py-5 shadow-xs ring-1 ring-slate-200 sm:px-5"
          >
            <h2 id="workflow-transformers" className="text-sm font-semibold text-slate-900">
              Transformers
            </h2>
            {transformers ? (
              <ul className="mt-2 space-y-2 text-sm">
                {transformers
                  .filter((transformer) => !transformer.retired_at)
                  .map((transformer) => (
                    <li key={transformer.id}>
                      <code className="font-mono text-xs text-slate-900">{transformer.id}</code>
                      {transformer.description ? (
                        <p className="text-xs text-slate-500">{transformer.description}</p>
                      ) : null}
                    </li>
                  ))}
              </ul>
            ) : (
              <p className="mt-2 text-sm text-slate-500">Loading transformers…</p>
            )}
          </section>
        </div>
      </div>

      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" isLoading={isPending}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
