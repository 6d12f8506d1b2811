import { useSyncExternalStore } from 'react';
import type { CallOutcome } from '../types';

// The one question a task action may ask before it runs: the call's outcome, the skip's
// reason, or when to snooze to. Asked from a button or a shortcut anywhere in a list (the
// shortcuts live with the list, the actions with the page), and answered in a dialog the
// task's own card shows — so any list of TaskCards can ask without mounting a host.
// One at a time: the dialogs are modal.

export type TaskPrompt =
  | { kind: 'outcome'; taskId: string; answer: (outcome: CallOutcome | null) => void }
  | { kind: 'skip'; taskId: string; answer: (reason: string | undefined) => void }
  | { kind: 'snooze'; taskId: string }
  // Seed 001, decision 3: a step ahead of the current one is completed only once confirmed.
  | { kind: 'order'; taskId: string; question: string; answer: (go: boolean) => void }
  // Issue 14: completing an automated task by hand while its job runs cancels the job.
  | { kind: 'cancel_job'; taskId: string; workflow: string | null; answer: (go: boolean) => void };

let current: TaskPrompt | null = null;
const listeners = new Set<() => void>();

const emit = () => {
  for (const listener of listeners) listener();
};

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The task's card element, if it is on the page. */
export const taskCardElement = (taskId: string): HTMLElement | null =>
  document.querySelector<HTMLElement>(`article[data-task-id="${taskId}"]`);

/**
 * Ask on the task's card. With no card on the page to ask on, the question is answered as
 * a rep who gives no detail would (no outcome, no reason); a snooze needs the card.
 */
export function askTaskPrompt(prompt: TaskPrompt) {
  if (!taskCardElement(prompt.taskId)) {
    if (prompt.kind === 'outcome') prompt.answer(null);
    if (prompt.kind === 'skip') prompt.answer(undefined);
    if (prompt.kind === 'order') prompt.answer(true);
    // Cancelling a job is never done unasked: no card to ask on, nothing happens.
    if (prompt.kind === 'cancel_job') prompt.answer(false);
    return;
  }
  current = prompt;
  emit();
}

/** Close the open question (only if it is about `taskId`, when given). */
export function closeTaskPrompt(taskId?: string) {
  if (!current || (taskId !== undefined && current.taskId !== taskId)) return;
  current = null;
  emit();
}

/** The open question for this task, if any. */
export function useTaskPrompt(taskId: string): TaskPrompt | null {
  return useSyncExternalStore(subscribe, () => (current?.taskId === taskId ? current : null));
}
