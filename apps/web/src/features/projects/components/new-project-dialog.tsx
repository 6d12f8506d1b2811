import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, FormErrorSummary, Input, Textarea } from '@/components/ui/form-field';
import { describeServerProblem } from '@/lib/field-errors';
import type { Project } from '../api/queries';
import {
  emptyProjectFormValues,
  projectFieldFor,
  projectInputSchema,
  slugFromName,
  useSaveProject,
  type ProjectFormValues,
  type ProjectInput,
} from '../api/save-project';

/** Name (the slug follows it until edited) and description; the rest is on its page. */
export function NewProjectDialog({
  organisationId,
  open,
  onOpenChange,
  onCreated,
}: {
  organisationId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (project: Project) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New project">
      <NewProjectForm
        organisationId={organisationId}
        onCancel={() => onOpenChange(false)}
        onCreated={onCreated}
      />
    </Dialog>
  );
}

function NewProjectForm({
  organisationId,
  onCancel,
  onCreated,
}: {
  organisationId: string;
  onCancel: () => void;
  onCreated: (project: Project) => void;
}) {
  const form = useForm<ProjectFormValues, unknown, ProjectInput>({
    resolver: zodResolver(projectInputSchema),
    defaultValues: emptyProjectFormValues,
  });
  const save = useSaveProject({
    organisationId,
    mutationConfig: { onSuccess: (saved) => onCreated(saved.project) },
  });
  const name = useWatch({ control: form.control, name: 'name' });
  const slugEdited = Boolean(form.formState.dirtyFields.slug);
  useEffect(() => {
    if (!slugEdited) form.setValue('slug', slugFromName(name ?? ''));
  }, [name, slugEdited, form]);

  const problem =
    save.error && save.variables
      ? describeServerProblem(
          save.error,
          "The project wasn't created",
          projectFieldFor(save.variables.data),
          { slug_taken: 'slug' },
        )
      : null;
  const { errors } = form.formState;

  return (
    <form
      noValidate
      aria-label="New project"
      className="space-y-4"
      onSubmit={form.handleSubmit(() => save.mutate({ organisationId, data: form.getValues() }))}
    >
      {problem ? <FormErrorSummary title={problem.title} messages={problem.messages} /> : null}
      <Field label="Name" required error={errors.name?.message ?? problem?.fields.name}>
        {(control) => (
          <Input {...control} {...form.register('name')} autoComplete="off" autoFocus />
        )}
      </Field>
      <Field
        label="Slug"
        required
        error={errors.slug?.message ?? problem?.fields.slug}
        hint="Unique in the organisation: lower-case letters and digits joined by -."
      >
        {(control) => (
          <Input {...control} {...form.register('slug')} autoComplete="off" className="font-mono" />
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
          Create project
        </Button>
      </div>
    </form>
  );
}
