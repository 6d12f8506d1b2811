import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useDeleteSequenceTask } from '../api/delete-sequence-task';
import type { InstanceTask, SequenceInstance } from '../api/queries';
import { warningSentences } from '../api/step-result';
import { describeStepDeletion } from '../utils/step-editing';

type Props = {
  target: { instance: SequenceInstance; task: InstanceTask } | null;
  onOpenChange: (open: boolean) => void;
  onChanged?: () => void;
};

/**
 * Deletes a step (delete_sequence_task; seed 001, decision 2, option B): what will happen is
 * said before confirming, what did happen (the RPC's warnings) after.
 */
export function DeleteStepDialog({ target, onOpenChange, onChanged }: Props) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const remove = useDeleteSequenceTask({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (result) => {
        toast({
          title: 'Step deleted',
          description:
            warningSentences(result.warnings) ||
            `${result.task?.name ?? 'The step'} is gone; the steps after it moved up.`,
          duration: result.warnings.length > 0 ? 8000 : undefined,
        });
        onOpenChange(false);
      },
      onError: (error) =>
        toast({
          tone: 'error',
          title: 'Couldn’t delete the step',
          description: getErrorMessage(error),
        }),
      onSettled: () => onChanged?.(),
    },
  });
  const task = target?.task;
  return (
    <ConfirmDialog
      open={target !== null}
      onOpenChange={onOpenChange}
      title={task ? `Delete step ${task.sequence_step_order}?` : 'Delete this step?'}
      description={
        target ? (
          <>
            <span className="font-medium text-slate-800">{target.task.name}</span>.{' '}
            {describeStepDeletion(target.instance, target.task)}
          </>
        ) : null
      }
      confirmLabel="Delete step"
      cancelLabel="Keep step"
      isPending={remove.isPending}
      onConfirm={() => {
        if (target) remove.mutate({ taskId: target.task.id });
      }}
    />
  );
}
