import { outOfOrderQuestion } from '@forkflow/domain/sequence-running';
import { useCallback } from 'react';
import { useToast } from '@/components/ui/toast';
import { getErrorMessage } from '@/lib/errors';
import { useCurrentOrganisation } from '@/lib/organisation';
import { useCompleteTask } from '../api/complete-task';
import type { TaskListItem } from '../api/queries';
import { useSkipTask } from '../api/skip-task';
import type { TaskProgressResult } from '../api/task-progress';
import type { CallOutcome } from '../types';
import { automationStatusOf } from '../utils/automation';
import { formatDue } from '../utils/dates';
import { focusTaskCardLater, nextOpenTaskId } from '../utils/focus-next-task';
import { askTaskPrompt } from './task-prompts';
import { useReopenTaskAction } from './use-reopen-task-action';

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

/** A finish the server did nothing for ("this task was already completed"): no Undo. */
const wasNoOp = (result: TaskProgressResult) =>
  result.warnings.some((warning) => /^this task was already /.test(warning));

/**
 * Complete and skip with their feedback: a call asks its outcome and a skip its optional
 * reason first (on the card, see task-prompts), the card changes at once (optimistic), a
 * toast says what comes next with an Undo, the RPC's warnings (e.g. completed out of
 * order) are shown, a refusal puts the card back and says why, and focus moves on to the
 * next open task.
 */
export function useTaskActions({
  timeZone,
  onChanged,
}: {
  timeZone: string;
  /** After any complete/skip/reopen settles (the app refreshes what depends on tasks). */
  onChanged?: () => void;
}) {
  const organisation = useCurrentOrganisation();
  const { toast } = useToast();
  const reopen = useReopenTaskAction({ onChanged });

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
        duration: 8000,
        ...(wasNoOp(result)
          ? {}
          : { action: { label: 'Undo', onClick: () => reopen(result.task.id, 'undo') } }),
      });
    },
    [toast, timeZone, reopen],
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
    (task: TaskListItem) => {
      // Chosen now, while the card is still where the rep left it in the list.
      const next = nextOpenTaskId(task.id);
      const run = (outcome?: CallOutcome) => {
        completeMutate({ taskId: task.id, ...(outcome ? { outcome } : {}) });
        focusTaskCardLater(next, task.id);
      };
      const finish = () => {
        if (task.type !== 'call') return run();
        askTaskPrompt({
          kind: 'outcome',
          taskId: task.id,
          answer: (outcome) => run(outcome ?? undefined),
        });
      };
      // Ahead of the current step: asked first ("Steps 2–3 are still open; …"), button or `c`.
      const question = outOfOrderQuestion(task, task.sequence_instance);
      const inOrder = () =>
        question
          ? askTaskPrompt({
              kind: 'order',
              taskId: task.id,
              question,
              answer: (go) => (go ? finish() : undefined),
            })
          : finish();
      // Its job is running: completing cancels it, so that is confirmed first (issue 14).
      if (automationStatusOf(task) !== 'running') return inOrder();
      askTaskPrompt({
        kind: 'cancel_job',
        taskId: task.id,
        workflow: task.job?.workflow?.name ?? null,
        answer: (go) => (go ? inOrder() : undefined),
      });
    },
    [completeMutate],
  );
  const onSkip = useCallback(
    (task: TaskListItem) => {
      const next = nextOpenTaskId(task.id);
      askTaskPrompt({
        kind: 'skip',
        taskId: task.id,
        answer: (reason) => {
          skipMutate({ taskId: task.id, ...(reason ? { reason } : {}) });
          focusTaskCardLater(next, task.id);
        },
      });
    },
    [skipMutate],
  );
  const onSnooze = useCallback(
    (task: TaskListItem) => askTaskPrompt({ kind: 'snooze', taskId: task.id }),
    [],
  );
  const onReopen = useCallback((task: TaskListItem) => reopen(task.id), [reopen]);

  return { onComplete, onSkip, onSnooze, onReopen };
}
