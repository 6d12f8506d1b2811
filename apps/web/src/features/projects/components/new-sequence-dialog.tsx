import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import type { z } from 'zod';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormErrorSummary, Input } from '@/components/ui/form-field';
import { paths } from '@/config/paths';
import { describeServerProblem } from '@/lib/field-errors';
import {
  createFlowSequenceInputSchema,
  useCreateFlowSequence,
  type CreateFlowSequenceValues,
} from '../api/create-flow-sequence';

/** A name, then the sequence's editor (parameters and flows are set there). */
export function NewSequenceDialog({
  organisationId,
  projectId,
  open,
  onOpenChange,
}: {
  organisationId: string;
  projectId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New sequence">
      <NewSequenceForm
        organisationId={organisationId}
        projectId={projectId}
        onCancel={() => onOpenChange(false)}
      />
    </Dialog>
  );
}

function NewSequenceForm({
  organisationId,
  projectId,
  onCancel,
}: {
  organisationId: string;
  projectId: string;
  onCancel: () => void;
}) {
  const navigate = useNavigate();
  const form = useForm<
    CreateFlowSequenceValues,
    unknown,
    z.output<typeof createFlowSequenceInputSchema>
  >({
    resolver: zodResolver(createFlowSequenceInputSchema),
    defaultValues: { name: '' },
  });
  const create = useCreateFlowSequence({
    organisationId,
    mutationConfig: {
      onSuccess: (sequence) => navigate(paths.app.flowSequence.getHref(projectId, sequence.id)),
    },
  });
  const problem = create.error
    ? describeServerProblem(
        create.error,
        "The sequence wasn't created",
        (path) => (path === 'name' ? 'name' : null),
        { name_taken: 'name' },
      )
    : null;
  return (
    <form
      noValidate
      aria-label="New sequence"
      className="space-y-4"
      onSubmit={form.handleSubmit((data) => create.mutate({ organisationId, projectId, data }))}
    >
      {problem ? <FormErrorSummary title={problem.title} messages={problem.messages} /> : null}
      <Field
        label="Name"
        required
        error={form.formState.errors.name?.message ?? problem?.fields.name}
      >
        {(control) => (
          <Input {...control} {...form.register('name')} autoComplete="off" autoFocus />
        )}
      </Field>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" isLoading={create.isPending}>
          Create and edit
        </Button>
      </div>
    </form>
  );
}
