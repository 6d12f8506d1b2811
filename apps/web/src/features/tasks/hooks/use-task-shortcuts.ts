import { useEffect, useEffectEvent } from 'react';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * j/k move between tasks, c completes and s skips the current one. Off while typing, with
 * a modifier held, or when a dialog is open; the visible buttons do the same things.
 */
export function useTaskShortcuts({
  enabled,
  onMove,
  onComplete,
  onSkip,
}: {
  enabled: boolean;
  onMove: (delta: 1 | -1) => void;
  onComplete: () => void;
  onSkip: () => void;
}) {
  const handle = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
    const action = { j: () => onMove(1), k: () => onMove(-1), c: onComplete, s: onSkip }[
      event.key as 'j' | 'k' | 'c' | 's'
    ];
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
