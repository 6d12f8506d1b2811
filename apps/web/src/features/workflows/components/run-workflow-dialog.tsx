import { zodResolver } from '@hookform/resolvers/zod';
import { Play } from 'lucide-react';
import { orderInput } from '@forkflow/domain/definition-order';
import type { WorkflowInput } from '@forkflow/domain/workflow-inputs';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { TypedFields } from '@/components/typed-fields';
import { Field, FormErrorSummary, Textarea } from '@/components/ui/form-field';
import { FunctionError } from '@/lib/edge-functions';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { jobInputSchema, useStartWorkflow, type StartedJob } from '../api/start-workflow';
import type { Workflow } from '../api/queries';
import {
  declaredInputsOf,
  initialTypedValues,
  readTypedInputs,
  type TypedInputValues,
} from '../utils/typed-inputs';

type Props = {
  workflow: Pick<Workflow, 'id' | 'name' | 'definition'> | null;
  onOpenChange: (open: boolean) => void;
  onStarted: (job: StartedJob) => void;
  /** Prefills the form (a re-run: the job's input), in the declared inputs' order. */
  initialInput?: Record<string, unknown> | undefined;
  /** The dialog's title instead of "Run <workflow>". */
  title?: string | undefined;
  /** The job this run re-runs: start-workflow records it (jobs.rerun_of). */
  rerunOf?: string | undefined;
};

const inputsOf = (definition: unknown): unknown =>
  typeof definition === 'object' && definition !== null
    ? (definition as { inputs?: unknown }).inputs
    : undefined;

/** The job_input fields the definition reads ($.job_input.payload → payload), as a starting point. */
export function suggestedInput(definition: unknown): string {
  const names = new Set<string>();
  for (const match of JSON.stringify(definition ?? {}).matchAll(
    /\$\.job_input\.([A-Za-z_][A-Za-z0-9_]*)/g,
  )) {
    if (match[1]) names.add(match[1]);
  }
  return JSON.stringify(Object.fromEntries([...names].map((name) => [name, ''])), null, 2);
}

export function RunWorkflowDialog({
  workflow,
  onOpenChange,
  onStarted,
  initialInput,
  title,
  rerunOf,
}: Props) {
  return (
    <Dialog
      open={workflow !== null}
      onOpenChange={onOpenChange}
      title={title ?? (workflow ? `Run ${workflow.name}` : 'Run workflow')}
      description="The job starts at once; you'll follow it on its page."
      size="lg"
    >
      {workflow ? (
        <RunWorkflowForm
          workflow={workflow}
          onCancel={() => onOpenChange(false)}
          onStarted={onStarted}
          initialInput={initialInput}
          rerunOf={rerunOf}
        />
      ) : null}
    </Dialog>
  );
}

type FormProps = {
  workflow: Pick<Workflow, 'id' | 'name' | 'definition'>;
  onCancel: () => void;
  onStarted: (job: StartedJob) => void;
  initialInput?: Record<string, unknown> | undefined;
  rerunOf?: string | undefined;
};

/** Declared inputs get a typed form; a workflow that declares none keeps the JSON editor. */
function RunWorkflowForm(props: FormProps) {
  const inputs = useMemo(() => declaredInputsOf(props.workflow.definition), [props.workflow]);
  return inputs.length > 0 ? (
    <TypedRunForm {...props} inputs={inputs} />
  ) : (
    <JsonRunForm {...props} />
  );
}

// Enter adds a line to the JSON; Ctrl/⌘+Enter submits, as in most editors.
function submitOnCtrlEnter(event: KeyboardEvent<HTMLTextAreaElement>) {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  }
}

function FormActions({ isPending, onCancel }: { isPending: boolean; onCancel: () => void }) {
  return (
    <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
      <Button variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" isLoading={isPending}>
        {isPending ? null : <Play className="size-4" aria-hidden />}
        Start job
      </Button>
    </div>
  );
}

const runSchema = z.object({ input: jobInputSchema });

function JsonRunForm({ workflow, onCancel, onStarted, initialInput, rerunOf }: FormProps) {
  const organisation = useCurrentOrganisation();
  // One key per opening: a double click or a retried request starts one job, not two.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const form = useForm<z.input<typeof runSchema>, unknown, z.output<typeof runSchema>>({
    resolver: zodResolver(runSchema),
    defaultValues: {
      input: initialInput
        ? JSON.stringify(orderInput(inputsOf(workflow.definition), initialInput), null, 2)
        : suggestedInput(workflow.definition),
    },
    mode: 'onChange',
  });
  const start = useStartWorkflow({ mutationConfig: { onSuccess: onStarted } });

  return (
    <form
      noValidate
      aria-label={`Run ${workflow.name}`}
      className="space-y-4"
      onSubmit={form.handleSubmit(() =>
        start.mutate({
          organisationId: organisation.id,
          workflowId: workflow.id,
          input: form.getValues('input'),
          idempotencyKey,
          rerunOf,
        }),
      )}
    >
      {start.error ? (
        <FormErrorSummary
          title="The job wasn't started"
          messages={[getErrorMessage(start.error)]}
        />
      ) : null}
      <Field
        label="Input (JSON)"
        error={form.formState.errors.input?.message}
        hint="A JSON object: the job's input, read by the steps as $.job_input… Ctrl+Enter (⌘+Enter) starts the job."
      >
        {(control) => (
          <Textarea
            {...control}
            {...form.register('input')}
            rows={8}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            autoFocus
            onKeyDown={submitOnCtrlEnter}
            className="font-mono text-[13px] leading-5"
          />
        )}
      </Field>
      <FormActions isPending={start.isPending} onCancel={onCancel} />
    </form>
  );
}

/** A 400 invalid_input's details (path = the input's name) that the form has a field for. */
function serverFieldErrors(
  error: unknown,
  inputs: readonly WorkflowInput[],
): Record<string, string> {
  if (!(error instanceof FunctionError) || error.code !== 'invalid_input') return {};
  const names = new Set(inputs.map((input) => input.name));
  const fields: Record<string, string> = {};
  for (const detail of error.details) {
    if (names.has(detail.path)) fields[detail.path] ??= detail.message;
  }
  return fields;
}

/** The summary above the fields: every detail of a 400 (or the one message). */
function summaryMessages(error: unknown): string[] {
  if (error instanceof FunctionError && error.details.length > 0) {
    return error.details.map((detail) => detail.message);
  }
  return [getErrorMessage(error)];
}

function TypedRunForm({
  workflow,
  inputs,
  onCancel,
  onStarted,
  initialInput,
  rerunOf,
}: FormProps & { inputs: WorkflowInput[] }) {
  const organisation = useCurrentOrganisation();
  // One key per opening: a double click or a retried request starts one job, not two.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  // A re-run starts from the job's input: its values stand in for the defaults.
  const [values, setValues] = useState<TypedInputValues>(() =>
    initialTypedValues(
      initialInput
        ? inputs.map((input) =>
            Object.hasOwn(initialInput, input.name)
              ? { ...input, default: initialInput[input.name] }
              : input,
          )
        : inputs,
    ),
  );
  // Errors show once a field was changed, and on every field after a submit (not on blur:
  // the dialog's focus handling blurs the first field on opening, which would flag it).
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  // What the server refused, per field, until that field changes.
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const start = useStartWorkflow({
    mutationConfig: {
      onSuccess: onStarted,
      onError: (error) => setServerErrors(serverFieldErrors(error, inputs)),
    },
  });
  const reading = readTypedInputs(inputs, values, organisation.id);

  const change = (next: TypedInputValues, name: string) => {
    setValues(next);
    setTouched((current) => (current.has(name) ? current : new Set(current).add(name)));
    setServerErrors(({ [name]: _cleared, ...rest }) => rest);
  };
  const errorOf = (name: string) =>
    (submitted || touched.has(name) ? reading.errors[name] : undefined) ?? serverErrors[name];

  return (
    <form
      noValidate
      aria-label={`Run ${workflow.name}`}
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        setSubmitted(true);
        if (Object.keys(reading.errors).length > 0 || start.isPending) return;
        start.mutate({
          organisationId: organisation.id,
          workflowId: workflow.id,
          input: reading.input,
          idempotencyKey,
          rerunOf,
        });
      }}
    >
      {start.error ? (
        <FormErrorSummary title="The job wasn't started" messages={summaryMessages(start.error)} />
      ) : null}
      <p className="text-sm text-slate-600">
        The inputs this workflow declares, read by its steps as $.job_input.&lt;name&gt;. Blank
        fields are left out, so their defaults apply.
      </p>
      <TypedFields
        fields={inputs}
        value={values}
        onChange={change}
        errors={Object.fromEntries(inputs.map((input) => [input.name, errorOf(input.name)]))}
        organisationId={organisation.id}
        autoFocusFirst
        onSubmitShortcut={submitOnCtrlEnter}
      />
      <FormActions isPending={start.isPending} onCancel={onCancel} />
    </form>
  );
}
