import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useDeleteSequenceTemplate } from '../api/delete-sequence-template';

type Props = {
  template: { id: string; name: string; usage_count: number } | null;
  onOpenChange: (open: boolean) => void;
  /** Called once it is deleted (e.g. to leave the template's page). */
  onDeleted?: () => void;
};

export function DeleteSequenceTemplateDialog({ template, onOpenChange, onDeleted }: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const remove = useDeleteSequenceTemplate({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (_result, variables) => {
        onOpenChange(false);
        toast({ title: 'Sequence deleted', description: variables.name });
        onDeleted?.();
      },
      onError: (error, variables) =>
        toast({
          tone: 'error',
          title: `Couldn't delete ${variables.name ?? 'the sequence'}`,
          description: getErrorMessage(error),
          duration: 8000,
        }),
    },
  });

  return (
    <ConfirmDialog
      open={template !== null}
      onOpenChange={(open) => {
        if (!remove.isPending) onOpenChange(open);
      }}
      title={`Delete ${template?.name ?? 'sequence'}?`}
      description={
        template && template.usage_count > 0
          ? `It goes to the trash with its steps (restorable from Trash for 30 days). The ${template.usage_count} ${template.usage_count === 1 ? 'sequence' : 'sequences'} already started from it keep running from their own copy of the steps.`
          : 'It goes to the trash with its steps; it can be restored from Trash for 30 days.'
      }
      confirmLabel="Delete sequence"
      isPending={remove.isPending}
      onConfirm={() => {
        if (template) {
          remove.mutate({ organisationId: organisation.id, id: template.id, name: template.name });
        }
      }}
    />
  );
}
