import { taskCardElement } from '../hooks/task-prompts';

// After a task is completed or skipped its buttons go away (and, once the list refetches,
// the card too), so focus would fall back to the page. It moves to the next open task in
// the list instead — the rep's next `c` acts on it.

/** The id of the open task card after this one on the page (or before it, at the end). */
export function nextOpenTaskId(taskId: string): string | null {
  const cards = Array.from(document.querySelectorAll<HTMLElement>('article[data-task-id]'));
  const index = cards.findIndex((card) => card.dataset.taskId === taskId);
  if (index < 0) return null;
  const isOpen = (card: HTMLElement) => card.dataset.open === 'true';
  const next = cards.slice(index + 1).find(isOpen) ?? cards.slice(0, index).reverse().find(isOpen);
  return next?.dataset.taskId ?? null;
}

/**
 * Focus that card once the current event (and any dialog closing with it) is over; only
 * when focus is still where the action was taken, so it never pulls the rep away from
 * something else they moved to.
 */
export function focusTaskCardLater(taskId: string | null, from: string) {
  if (!taskId) return;
  setTimeout(() => {
    const active = document.activeElement;
    const origin = taskCardElement(from);
    const stillHere =
      !active || active === document.body || (origin !== null && origin.contains(active));
    if (!stillHere) return;
    const card = taskCardElement(taskId);
    card?.focus({ preventScroll: true });
    card?.scrollIntoView?.({ block: 'nearest' });
  }, 0);
}
