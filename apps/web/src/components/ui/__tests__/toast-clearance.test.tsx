import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToastProvider, useToast, useToastClearance } from '../toast';

// A bar the height jsdom can't compute: 56 px, then 96 px once it wraps.
let barHeight = 56;
const resizeCallbacks: Array<() => void> = [];

beforeEach(() => {
  barHeight = 56;
  resizeCallbacks.length = 0;
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (
    this: HTMLElement,
  ) {
    // Stuck to the bottom of the screen, as a sticky bar is.
    const height = this.dataset.bar ? barHeight : 0;
    const top = window.innerHeight - height;
    return {
      height,
      width: 0,
      x: 0,
      y: top,
      top,
      left: 0,
      right: 0,
      bottom: top + height,
    } as DOMRect;
  });
  // Frames at once (returning 0, no frame pending), so a measure follows each resize.
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => {
    callback(0);
    return 0;
  });
  vi.stubGlobal(
    'ResizeObserver',
    class {
      constructor(private readonly callback: () => void) {}
      observe() {
        resizeCallbacks.push(this.callback);
      }
      disconnect() {}
      unobserve() {}
    },
  );
});
afterEach(() => vi.restoreAllMocks());

function Page() {
  const { toast } = useToast();
  const clearance = useToastClearance();
  const [selecting, setSelecting] = useState(true);
  return (
    <>
      <button type="button" onClick={() => toast({ title: 'Started 3 sequences' })}>
        Notify
      </button>
      <button type="button" onClick={() => setSelecting(false)}>
        Clear selection
      </button>
      {selecting ? (
        <div ref={clearance} data-bar="1" role="region" aria-label="Selected restaurants">
          <button type="button">Start sequence for 3 restaurants</button>
        </div>
      ) : null}
    </>
  );
}

const stack = () => screen.getByRole('region', { name: 'Notifications' });

describe('toasts and action bars', () => {
  it('rise above a sticky action bar instead of covering its buttons, and follow its height', () => {
    render(
      <ToastProvider>
        <Page />
      </ToastProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Notify' }));
    expect(screen.getByRole('status')).toHaveTextContent('Started 3 sequences');
    // 56 px of bar + 8 px of gap.
    expect(stack().style.bottom).toBe('64px');

    barHeight = 96;
    act(() => resizeCallbacks.forEach((callback) => callback()));
    expect(stack().style.bottom).toBe('104px');
  });

  it('keep clear of a bar resting above the bottom of the screen, and drop when it scrolls away', () => {
    render(
      <ToastProvider>
        <Page />
      </ToastProvider>,
    );
    const rect = vi.mocked(HTMLElement.prototype.getBoundingClientRect);
    // At the end of the page the bar rests 40 px above the bottom edge: 96 px from its top.
    rect.mockImplementation(function (this: HTMLElement) {
      const top = this.dataset.bar ? window.innerHeight - 96 : 0;
      return {
        height: 56,
        top,
        bottom: top + 56,
        y: top,
        x: 0,
        left: 0,
        right: 0,
        width: 0,
      } as DOMRect;
    });
    act(() => resizeCallbacks.forEach((callback) => callback()));
    expect(stack().style.bottom).toBe('104px');

    // Scrolled out below the screen (a bar that is not sticky): no room kept.
    rect.mockImplementation(function (this: HTMLElement) {
      const top = this.dataset.bar ? window.innerHeight + 200 : 0;
      return {
        height: 56,
        top,
        bottom: top + 56,
        y: top,
        x: 0,
        left: 0,
        right: 0,
        width: 0,
      } as DOMRect;
    });
    act(() => resizeCallbacks.forEach((callback) => callback()));
    expect(stack().style.bottom).toBe('');
  });

  it('go back to the bottom edge when the bar goes away', () => {
    render(
      <ToastProvider>
        <Page />
      </ToastProvider>,
    );
    expect(stack().style.bottom).toBe('64px');
    fireEvent.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(stack().style.bottom).toBe('');
  });
});
