import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { ProjectSequences } from '../project-sequences';

const projectId = '60000000-0000-4000-8000-000000000001';
const sequence = (n: number, name: string) => ({
  id: `70000000-0000-4000-8000-00000000000${n}`,
  project_id: projectId,
  name,
  description: null,
  flows: [{ id: 'flow1' }, { id: 'flow2' }, { id: 'flow3' }].slice(0, n),
  updated_at: '2026-12-01T09:00:00Z',
  // The newest run, embedded (PostgREST, limit 1 per sequence).
  flow_sequence_runs:
    n === 2
      ? [
          {
            id: '80000000-0000-4000-8000-000000000001',
            status: 'failed',
            created_at: '2026-12-01T10:00:00Z',
          },
        ]
      : [],
});
const [alpha, beta, gamma] = [sequence(1, 'Alpha'), sequence(2, 'Beta'), sequence(3, 'Gamma')];

// The server's order: the list reads it, a successful move changes it.
let order = [alpha!, beta!, gamma!];
let refuseMoves = false;
const moves: Array<Record<string, unknown>> = [];

const fetchMock = vi.fn<typeof fetch>(async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.pathname === '/rest/v1/rpc/move_flow_sequence') {
    const body = JSON.parse(String(init?.body)) as { p_sequence_id: string; p_position: number };
    moves.push(body);
    if (refuseMoves) {
      return postgrestResponse(
        { code: '42501', message: 'only owners and admins reorder sequences' },
        { status: 403 },
      );
    }
    const moved = order.find((row) => row.id === body.p_sequence_id)!;
    order = order.filter((row) => row !== moved);
    order.splice(body.p_position, 0, moved);
    return postgrestResponse(null);
  }
  if (url.pathname === '/rest/v1/flow_sequences') {
    return postgrestResponse(
      order.map((row, position) => ({ ...row, position })),
      { total: order.length },
    );
  }
  throw new Error(`unexpected request ${url.pathname}`);
});

beforeEach(() => {
  order = [alpha!, beta!, gamma!];
  refuseMoves = false;
  moves.length = 0;
  fetchMock.mockClear();
  vi.stubGlobal('fetch', fetchMock);
  // jsdom has no layout: give each row a height so dnd-kit can find its neighbours.
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const item = this.closest('[data-sequence-id]');
    const index = item ? Array.from(item.parentElement?.children ?? []).indexOf(item) : 0;
    const top = index * 64;
    return {
      x: 0,
      y: top,
      top,
      left: 0,
      width: 600,
      height: 56,
      right: 600,
      bottom: top + 56,
      toJSON: () => ({}),
    } as DOMRect;
  });
});
afterEach(() => vi.restoreAllMocks());

function setup() {
  const user = userEvent.setup();
  renderWithProviders(
    <ProjectSequences
      organisationId={testOrganisation.id}
      projectId={projectId}
      canManage
      page={1}
      onPageChange={vi.fn()}
    />,
    { organisation: { ...testOrganisation, role: 'admin' } },
  );
  return { user };
}

const names = () =>
  within(screen.getByRole('list', { name: 'Sequences in order' }))
    .getAllByRole('link')
    .filter((link) => !link.getAttribute('href')?.startsWith('/flow-runs/'))
    .map((link) => link.textContent);

const pause = () => act(() => new Promise((resolve) => setTimeout(resolve, 20)));

describe('ProjectSequences', () => {
  it('lists the sequences in order with their flow counts', async () => {
    setup();
    expect(await screen.findByText('Alpha')).toBeInTheDocument();
    expect(names()).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(screen.getByText('3 flows')).toBeInTheDocument();
    // Beta's last run failed; the others never ran.
    const beta = screen.getByRole('link', { name: 'Beta' }).closest('li')!;
    expect(within(beta).getByRole('link', { name: 'Last run: Failed' })).toHaveAttribute(
      'href',
      '/flow-runs/80000000-0000-4000-8000-000000000001',
    );
    expect(screen.getAllByText(/^Last run:/)).toHaveLength(1);
  });

  it('a keyboard drag (Space, arrow, Space) moves a sequence with move_flow_sequence', async () => {
    const { user } = setup();
    const handle = await screen.findByRole('button', { name: 'Drag to reorder Alpha' });
    handle.focus();
    await user.keyboard(' ');
    await pause();
    await user.keyboard('{ArrowDown}');
    await pause();
    await user.keyboard(' ');
    await waitFor(() => expect(moves).toEqual([{ p_sequence_id: alpha!.id, p_position: 1 }]));
    await waitFor(() => expect(names()).toEqual(['Beta', 'Alpha', 'Gamma']));
  });

  it('Move up saves the new position and keeps focus on the moved sequence', async () => {
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Move Gamma up' }));
    await waitFor(() => expect(names()).toEqual(['Alpha', 'Gamma', 'Beta']));
    expect(moves).toEqual([{ p_sequence_id: gamma!.id, p_position: 1 }]);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Move Gamma up' })).toHaveFocus(),
    );
  });

  it('puts the order back and says why when the server refuses the move', async () => {
    refuseMoves = true;
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Move Beta down' }));
    expect(await screen.findByText('The order wasn’t saved')).toBeInTheDocument();
    expect(names()).toEqual(['Alpha', 'Beta', 'Gamma']);
  });
});
