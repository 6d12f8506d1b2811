import { taskPrioritySchema, taskTypeSchema } from '@forkflow/domain/sequence-template';
import { Dialog } from '@/components/ui/dialog';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import {
  emptyTaskTemplateFormValues,
  useCreateTaskTemplate,
  type TaskTemplateFormValues,
} from '../api/create-task-template';
import type { TaskTemplate } from '../api/queries';
import { useUpdateTaskTemplate } from '../api/update-task-template';
import { TaskTemplateForm } from './task-template-form';

const toFormValues = (template: TaskTemplate): TaskTemplateFormValues => ({
  name: template.name,
  description: template.description ?? '',
  type: taskTypeSchema.catch('internal_activity').parse(template.type),
  priority: taskPrioritySchema.catch('medium').parse(template.priority),
  message_template_id: template.message_template_id ?? '',
  default_message: template.default_message ?? '',
  is_active: template.is_active,
});

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** null: a new template. */
  template: TaskTemplate | null;
};

export function TaskTemplateDialog({ open, onOpenChange, template }: Props) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={template ? 'Edit task template' : 'New task template'}
      size="lg"
      bare
    >
      {template ? (
        <EditBody template={template} onDone={() => onOpenChange(false)} />
      ) : (
        <CreateBody onDone={() => onOpenChange(false)} />
      )}
    </Dialog>
  );
}

function CreateBody({ onDone }: { onDone: () => void }) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const create = useCreateTaskTemplate({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (row) => {
        toast({ title: 'Task template created', description: row.name });
        onDone();
      },
    },
  });
  return (
    <TaskTemplateForm
      defaultValues={emptyTaskTemplateFormValues}
      submitLabel="Create template"
      isPending={create.isPending}
      serverError={create.error ? getErrorMessage(create.error) : null}
      onCancel={onDone}
      onSubmit={(data) => create.mutate({ organisationId: organisation.id, data })}
    />
  );
}

function EditBody({ template, onDone }: { template: TaskTemplate; onDone: () => void }) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const update = useUpdateTaskTemplate({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (row) => {
        toast({ title: 'Changes saved', description: row.name });
        onDone();
      },
    },
  });
  return (
    <TaskTemplateForm
      defaultValues={toFormValues(template)}
      submitLabel="Save changes"
      isPending={update.isPending}
      serverError={update.error ? getErrorMessage(update.error) : null}
      onCancel={onDone}
      onSubmit={(data) => update.mutate({ organisationId: organisation.id, id: template.id, data })}
    />
  );
}
