import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToastProvider, useToast, type ToastOptions } from '../toast';

function Trigger({ options }: { options: ToastOptions }) {
  const { toast } = useToast();
  return (
    <button type="button" onClick={() => toast(options)}>
      Notify
    </button>
  );
}

function show(options: ToastOptions) {
  render(
    <ToastProvider>
      <Trigger options={options} />
    </ToastProvider>,
  );
  fireEvent.click(screen.getByRole('button', { name: 'Notify' }));
  return screen.getByRole('status');
}

const advance = (ms: number) => act(() => vi.advanceTimersByTime(ms));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('toasts', () => {
  it('go away after their duration, telling whoever asked that they expired', () => {
    const onExpire = vi.fn();
    show({ title: 'Task completed', duration: 5000, onExpire });
    advance(4999);
    expect(screen.getByRole('status')).toHaveTextContent('Task completed');
    advance(1);
    expect(screen.queryByRole('status')).toBeNull();
    expect(onExpire).toHaveBeenCalledTimes(1);
  });

  it('wait while the pointer is on them, then finish the time they had left', () => {
    const toast = show({ title: 'Task skipped', duration: 5000 });
    advance(3000);
    fireEvent.pointerEnter(toast);
    advance(60_000);
    expect(screen.getByRole('status')).toBeInTheDocument();
    fireEvent.pointerLeave(toast);
    advance(1999);
    expect(screen.getByRole('status')).toBeInTheDocument();
    advance(1);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('wait while focus is inside them, so an Undo reached by keyboard is still there', () => {
    const toast = show({
      title: 'Task completed',
      duration: 5000,
      action: { label: 'Undo', onClick: vi.fn() },
    });
    fireEvent.focus(screen.getByRole('button', { name: 'Undo' }));
    advance(60_000);
    expect(toast).toBeInTheDocument();
    fireEvent.blur(screen.getByRole('button', { name: 'Undo' }));
    advance(5000);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('wait while the page is in a background tab', () => {
    show({ title: 'Sequence started', duration: 5000 });
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    advance(60_000);
    expect(screen.getByRole('status')).toBeInTheDocument();
    visibility.mockReturnValue('visible');
    act(() => void document.dispatchEvent(new Event('visibilitychange')));
    advance(5000);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('stay until dismissed when their duration is 0', () => {
    const onExpire = vi.fn();
    show({ title: 'Import finished', duration: 0, onExpire });
    advance(600_000);
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss notification' }));
    expect(screen.queryByRole('status')).toBeNull();
    expect(onExpire).toHaveBeenCalledTimes(1);
  });
});
