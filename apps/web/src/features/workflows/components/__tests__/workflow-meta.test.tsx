import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkflowMeta } from '../workflow-meta';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-22T09:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('WorkflowMeta', () => {
  it('shows key and version, and keeps "updated … ago" true on a page left open', () => {
    render(
      <WorkflowMeta
        workflow={{ key: 'echo-example', version: 3, updated_at: '2026-11-22T08:59:30Z' }}
      />,
    );
    expect(screen.getByText('echo-example')).toBeInTheDocument();
    expect(screen.getByText('Version 3')).toBeInTheDocument();
    expect(screen.getByText('just now')).toBeInTheDocument();

    act(() => vi.advanceTimersByTime(3 * 60_000));
    expect(screen.getByText('3 minutes ago')).toBeInTheDocument();
  });
});
