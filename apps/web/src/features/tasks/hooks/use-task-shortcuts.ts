import { useEffect, useEffectEvent } from 'react';
import { askTaskPrompt } from './task-prompts';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Snooze the task the keyboard is on: the focused card (j/k focus it), else the outlined one.
 * Lists that know their current task pass onSnooze instead.
 */
function snoozeFocusedTask() {
  const card =
    document.activeElement?.closest<HTMLElement>('article[data-task-id]') ??
    document.querySelector<HTMLElement>('article[data-task-id][data-current]');
  const taskId = card?.dataset.taskId;
  if (taskId && card.dataset.open === 'true' && card.querySelector('[aria-keyshortcuts="z"]')) {
    askTaskPrompt({ kind: 'snooze', taskId });
  }
}

/**
 * j/k move between tasks, c completes, s skips and z snoozes the current one. Off while
 * typing, with a modifier held, or when a dialog is open; the visible buttons do the same.
 */
export function useTaskShortcuts({
  enabled,
  onMove,
  onComplete,
  onSkip,
  onSnooze = snoozeFocusedTask,
}: {
  enabled: boolean;
  onMove: (delta: 1 | -1) => void;
  onComplete: () => void;
  onSkip: () => void;
  onSnooze?: () => void;
}) {
  const handle = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
    const actions = {
      j: () => onMove(1),
      k: () => onMove(-1),
      c: onComplete,
      s: onSkip,
      z: onSnooze,
    };
    const action = actions[event.key as keyof typeof actions];
    if (!action) return;
    event.preventDefault();
    action();
  });

  useEffect(() => {
    if (!enabled) return;
    const listener = (event: KeyboardEvent) => handle(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, [enabled]);
}
