/**
 * `text` put where the cursor (or selection) is in a textarea, or at the end when there is
 * no textarea; returns the new value and where the cursor should go, ready to keep typing.
 */
export function insertAtCursor(
  textarea: HTMLTextAreaElement | null,
  current: string,
  text: string,
): { value: string; caret: number } {
  const start = textarea?.selectionStart ?? current.length;
  const end = textarea?.selectionEnd ?? current.length;
  return { value: current.slice(0, start) + text + current.slice(end), caret: start + text.length };
}

/** Focuses the textarea with the cursor at `caret`, after React has rendered the new value. */
export function placeCaret(textarea: HTMLTextAreaElement | null, caret: number): void {
  requestAnimationFrame(() => {
    textarea?.focus();
    textarea?.setSelectionRange(caret, caret);
  });
}
