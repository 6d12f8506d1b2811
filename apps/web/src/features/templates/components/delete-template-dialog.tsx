import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useDeleteMessageTemplate } from '../api/delete-message-template';
import { useDeleteTaskTemplate } from '../api/delete-task-template';

export type TemplateToDelete = { kind: 'task' | 'message'; id: string; name: string };

type Props = {
  template: TemplateToDelete | null;
  onOpenChange: (open: boolean) => void;
  onDeleted?: () => void;
};

/** Confirms, then deletes a task or message template. */
export function DeleteTemplateDialog({ template, onOpenChange, onDeleted }: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const mutationConfig = {
    onSuccess: (_result: unknown, variables: { name?: string }) => {
      onOpenChange(false);
      toast({ title: 'Template deleted', description: variables.name });
      onDeleted?.();
    },
    onError: (error: Error, variables: { name?: string }) =>
      toast({
        tone: 'error' as const,
        title: `Couldn't delete ${variables.name ?? 'the template'}`,
        description: getErrorMessage(error),
        duration: 8000,
      }),
  };
  const deleteTask = useDeleteTaskTemplate({ organisationId: organisation.id, mutationConfig });
  const deleteMessage = useDeleteMessageTemplate({
    organisationId: organisation.id,
    mutationConfig,
  });
  const isPending = deleteTask.isPending || deleteMessage.isPending;

  return (
    <ConfirmDialog
      open={template !== null}
      onOpenChange={(open) => {
        if (!isPending) onOpenChange(open);
      }}
      title={`Delete ${template?.name ?? 'template'}?`}
      description={
        template?.kind === 'message'
          ? 'It goes to the trash (restorable from Trash for 30 days). Tasks already created keep their message.'
          : 'It goes to the trash (restorable from Trash for 30 days). Sequence steps using it keep their own name, type and message; tasks already created are not changed.'
      }
      confirmLabel="Delete template"
      isPending={isPending}
      onConfirm={() => {
        if (!template) return;
        const variables = { organisationId: organisation.id, id: template.id, name: template.name };
        if (template.kind === 'task') deleteTask.mutate(variables);
        else deleteMessage.mutate(variables);
      }}
    />
  );
}
