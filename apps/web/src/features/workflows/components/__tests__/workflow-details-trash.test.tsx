import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { Workflow } from '../../api/queries';
import { mockReactFlow } from '../canvas/__tests__/mock-react-flow';
import { WorkflowDetails } from '../workflow-details';

const workflow: Workflow = {
  id: '40000000-0000-4000-8000-000000000001',
  organisation_id: testOrganisation.id,
  key: 'transcribe-call',
  name: 'Transcribe call',
  description: null,
  definition: { start_step: 'only', steps: { only: { transformer_id: 'echo-transformer' } } },
  retry_policy: {},
  status: 'active',
  version: 1,
  created_by: null,
  updated_by: null,
  created_at: '2026-12-01T12:00:00Z',
  updated_at: '2026-12-01T12:00:00Z',
  deleted_at: null,
  deleted_by: null,
};

// The workflow page draws its definition's canvas (React Flow), which jsdom cannot lay out.
mockReactFlow();

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

/** The workflow and its (no) versions by URL; `trash` answers move_to_trash. */
function answer(trash: Response) {
  fetchMock.mockImplementation((input) => {
    const url = String(input);
    if (url.includes('/rpc/move_to_trash')) return Promise.resolve(trash);
    if (url.includes('/workflow_versions')) return Promise.resolve(postgrestResponse([]));
    if (url.includes('/rpc/workflow_used_by')) return Promise.resolve(postgrestResponse([]));
    return Promise.resolve(postgrestResponse(workflow));
  });
}

const setup = () => {
  const user = userEvent.setup();
  renderWithProviders(
    <WorkflowDetails id={workflow.id} canManage memberNames={new Map()} onRun={() => {}} />,
  );
  return { user };
};

describe('WorkflowDetails: move to trash', () => {
  it('asks first, then moves the workflow to the trash through move_to_trash', async () => {
    answer(postgrestResponse([{ id: workflow.id }]));
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Move to trash' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent(/restore it from the Trash page for 30 days/);
    expect(fetchMock.mock.calls.some(([url]) => String(url).includes('move_to_trash'))).toBe(false);

    await user.click(screen.getAllByRole('button', { name: 'Move to trash' }).at(-1)!);
    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([url]) => String(url).includes('move_to_trash'))).toBe(
        true,
      ),
    );
    const [, init] = fetchMock.mock.calls.find(([url]) => String(url).includes('move_to_trash'))!;
    expect(JSON.parse(String(init?.body))).toEqual({ p_kind: 'workflow', p_ids: [workflow.id] });
    expect(await screen.findByText('Moved to the trash')).toBeInTheDocument();
  });

  it('says what to do when jobs of it are still open (409 workflow_busy)', async () => {
    answer(
      postgrestResponse(
        { code: 'workflow_busy', message: 'workflow transcribe-call has jobs pending' },
        { status: 409 },
      ),
    );
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Move to trash' }));
    await screen.findByRole('alertdialog');
    await user.click(screen.getAllByRole('button', { name: 'Move to trash' }).at(-1)!);
    expect(await screen.findByText("Couldn't move the workflow to the trash")).toBeInTheDocument();
    expect(screen.getByText(/cancel them \(Jobs\) or let them finish/)).toBeInTheDocument();
  });

  it('is not offered to members who cannot manage workflows', async () => {
    answer(postgrestResponse([]));
    renderWithProviders(
      <WorkflowDetails
        id={workflow.id}
        canManage={false}
        memberNames={new Map()}
        onRun={() => {}}
      />,
    );
    await screen.findByRole('heading', { name: 'Transcribe call' });
    expect(screen.queryByRole('button', { name: 'Move to trash' })).not.toBeInTheDocument();
  });
});
