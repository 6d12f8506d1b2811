import { useLayoutEffect, useRef } from 'react';

/**
 * Keeps an element at least as tall as it has been (issue 13 §1): when a search narrows the
 * list to a few rows, the rows' space stays reserved, so the pagination below does not jump
 * up under the rep's eyes (a layout shift) and back when the search is cleared. Written to
 * the element's style, not state: measuring happens after every render and must not cause one.
 */
export function useHeldHeight<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const tallest = useRef(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.style.minHeight = '';
    tallest.current = Math.max(tallest.current, element.offsetHeight);
    element.style.minHeight = `${tallest.current}px`;
  });
  return ref;
}
