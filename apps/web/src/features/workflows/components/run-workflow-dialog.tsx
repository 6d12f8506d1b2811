import { zodResolver } from '@hookform/resolvers/zod';
import { Play } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormErrorSummary, Textarea } from '@/components/ui/form-field';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { jobInputSchema, useStartWorkflow, type StartedJob } from '../api/start-workflow';
import type { Workflow } from '../api/queries';

type Props = {
  workflow: Pick<Workflow, 'id' | 'name' | 'definition'> | null;
  onOpenChange: (open: boolean) => void;
  onStarted: (job: StartedJob) => void;
};

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

export function RunWorkflowDialog({ workflow, onOpenChange, onStarted }: Props) {
  return (
    <Dialog
      open={workflow !== null}
      onOpenChange={onOpenChange}
      title={workflow ? `Run ${workflow.name}` : 'Run workflow'}
      description="The job starts at once; you'll follow it on its page."
      size="lg"
    >
      {workflow ? (
        <RunWorkflowForm
          workflow={workflow}
          onCancel={() => onOpenChange(false)}
          onStarted={onStarted}
        />
      ) : null}
    </Dialog>
  );
}

const runSchema = z.object({ input: jobInputSchema });

function RunWorkflowForm({
  workflow,
  onCancel,
  onStarted,
}: {
  workflow: Pick<Workflow, 'id' | 'name' | 'definition'>;
  onCancel: () => void;
  onStarted: (job: StartedJob) => void;
}) {
  const organisation = useCurrentOrganisation();
  // One key per opening: a double click or a retried request starts one job, not two.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const form = useForm<z.input<typeof runSchema>, unknown, z.output<typeof runSchema>>({
    resolver: zodResolver(runSchema),
    defaultValues: { input: suggestedInput(workflow.definition) },
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
            // Enter adds a line to the JSON; Ctrl/⌘+Enter submits, as in most editors.
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                event.preventDefault();
                event.currentTarget.form?.requestSubmit();
              }
            }}
            className="font-mono text-[13px] leading-5"
          />
        )}
      </Field>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" isLoading={start.isPending}>
          {start.isPending ? null : <Play className="size-4" aria-hidden />}
          Start job
        </Button>
      </div>
    </form>
  );
}
