import { useCallback } from 'react';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useCompleteTask } from '../api/complete-task';
import type { TaskListItem } from '../api/queries';
import { useSkipTask } from '../api/skip-task';
import type { TaskProgressResult } from '../api/task-progress';
import { formatDue } from '../utils/dates';

/** The RPC's warnings are lower-case clauses: "step 3 was completed ahead of step 2". */
const asSentence = (text: string) => {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = `${trimmed[0]?.toUpperCase()}${trimmed.slice(1)}`;
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/** "Next: Step 3 — Follow-up call, due Thu 27 Nov, 10:00", or how the sequence ended. */
export function describeProgress(result: TaskProgressResult, timeZone: string): string | undefined {
  const next = result.next_task;
  if (next) {
    const step = next.sequence_step_order ? `Step ${next.sequence_step_order} — ` : '';
    const due = next.due_date ? `, due ${formatDue(next.due_date, timeZone)}` : '';
    return `Next: ${step}${next.name}${due}`;
  }
  if (result.instance?.status === 'completed') {
    return result.instance.name
      ? `That was the last step: ${result.instance.name} is complete.`
      : 'That was the last step: the sequence is complete.';
  }
  return undefined;
}

/**
 * Complete and skip with their feedback: the card changes at once (optimistic), a toast
 * says what comes next, the RPC's warnings (e.g. completed out of order) are shown, and a
 * refusal puts the card back and says why.
 */
export function useTaskActions({
  timeZone,
  onChanged,
}: {
  timeZone: string;
  /** After any complete/skip settles (the app refreshes what depends on tasks). */
  onChanged?: () => void;
}) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();

  const report = useCallback(
    (verb: 'completed' | 'skipped', result: TaskProgressResult) => {
      if (result.warnings.length > 0) {
        toast({
          tone: 'info',
          title: 'Heads up',
          description: result.warnings.map(asSentence).join(' '),
          duration: 8000,
        });
      }
      toast({
        title: verb === 'completed' ? 'Task completed' : 'Task skipped',
        description: describeProgress(result, timeZone) ?? result.task.name,
        duration: 6000,
      });
    },
    [toast, timeZone],
  );

  const fail = useCallback(
    (verb: 'complete' | 'skip', error: Error) =>
      toast({
        tone: 'error',
        title: `Couldn’t ${verb} the task`,
        description: getErrorMessage(error),
        duration: 8000,
      }),
    [toast],
  );

  const complete = useCompleteTask({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (result) => report('completed', result),
      onError: (error) => fail('complete', error),
      onSettled: () => onChanged?.(),
    },
  });
  const skip = useSkipTask({
    organisationId: organisation.id,
    mutationConfig: {
      onSuccess: (result) => report('skipped', result),
      onError: (error) => fail('skip', error),
      onSettled: () => onChanged?.(),
    },
  });

  // Callbacks live in mutationConfig, not in mutate(): two quick completes both report.
  const { mutate: completeMutate } = complete;
  const { mutate: skipMutate } = skip;
  const onComplete = useCallback(
    (task: TaskListItem) => completeMutate({ taskId: task.id }),
    [completeMutate],
  );
  const onSkip = useCallback((task: TaskListItem) => skipMutate({ taskId: task.id }), [skipMutate]);

  return { onComplete, onSkip };
}
