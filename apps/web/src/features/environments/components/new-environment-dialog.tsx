import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormErrorSummary, Input, Textarea } from '@/components/ui/form-field';
import { describeServerProblem } from '@/lib/field-errors';
import {
  emptyEnvironmentFormValues,
  environmentInputSchema,
  useSaveEnvironment,
  type EnvironmentFormValues,
  type EnvironmentInput,
} from '../api/save-environment';
import type { Environment } from '../api/queries';

/** Name and description first; variables and hosts are added on the environment's page. */
export function NewEnvironmentDialog({
  organisationId,
  open,
  onOpenChange,
  onCreated,
}: {
  organisationId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (environment: Environment) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New environment">
      <NewEnvironmentForm
        organisationId={organisationId}
        onCancel={() => onOpenChange(false)}
        onCreated={onCreated}
      />
    </Dialog>
  );
}

function NewEnvironmentForm({
  organisationId,
  onCancel,
  onCreated,
}: {
  organisationId: string;
  onCancel: () => void;
  onCreated: (environment: Environment) => void;
}) {
  const form = useForm<EnvironmentFormValues, unknown, EnvironmentInput>({
    resolver: zodResolver(environmentInputSchema),
    defaultValues: emptyEnvironmentFormValues,
  });
  const save = useSaveEnvironment({
    organisationId,
    mutationConfig: { onSuccess: onCreated },
  });
  const problem = save.error
    ? describeServerProblem(
        save.error,
        "The environment wasn't created",
        (path) => (path === 'name' ? 'name' : null),
        { name_taken: 'name' },
      )
    : null;
  const { errors } = form.formState;

  return (
    <form
      noValidate
      aria-label="New environment"
      className="space-y-4"
      onSubmit={form.handleSubmit(() => save.mutate({ organisationId, data: form.getValues() }))}
    >
      {problem ? <FormErrorSummary title={problem.title} messages={problem.messages} /> : null}
      <Field
        label="Name"
        required
        error={errors.name?.message ?? problem?.fields.name}
        hint="Lower-case, like staging or production."
      >
        {(control) => (
          <Input {...control} {...form.register('name')} autoComplete="off" autoFocus />
        )}
      </Field>
      <Field label="Description" error={errors.description?.message}>
        {(control) => (
          <Textarea {...control} {...form.register('description')} className="min-h-16" />
        )}
      </Field>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" isLoading={save.isPending}>
          Create environment
        </Button>
      </div>
    </form>
  );
}
