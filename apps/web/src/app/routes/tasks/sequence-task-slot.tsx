import { useCallback, type ReactNode } from 'react';
import { TaskStepActions } from '@/features/sequence-instances/components/task-step-actions';
import { TaskSequenceSlotContext, type TaskSlotTask } from '@/lib/task-card-slots';
import { useRefreshSequenceWork } from './use-refresh-sequence-work';

/**
 * Puts the sequence-instances feature's "Edit sequence" on the task cards below (issue 13
 * §3): the tasks feature shows the slot, this app layer fills it.
 */
export function SequenceTaskSlot({ children }: { children: ReactNode }) {
  const { refreshTasks } = useRefreshSequenceWork();
  const render = useCallback(
    (task: TaskSlotTask) => <TaskStepActions task={task} onChanged={refreshTasks} />,
    [refreshTasks],
  );
  return <TaskSequenceSlotContext value={render}>{children}</TaskSequenceSlotContext>;
}
