import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { WorkflowDeletePreview } from '../../api/delete-workflow';
import type { Workflow } from '../../api/queries';
import { mockReactFlow } from '../canvas/__tests__/mock-react-flow';
import { DeleteWorkflowDialog, deletionSummary } from '../delete-workflow-dialog';
import { WorkflowDetails } from '../workflow-details';

// Deleting a workflow for good (issue 12 §2): the dialog states what goes, says why it cannot
// go yet, and asks for the key.

const workflowId = '40000000-0000-4000-8000-000000000001';

const preview: WorkflowDeletePreview = {
  key: 'transcribe-call',
  name: 'Transcribe call',
  trashed: false,
  job_count: 1234,
  version_count: 2,
  active_job_count: 0,
  used_by: [],
};

const deleted = {
  workflow_id: workflowId,
  key: 'transcribe-call',
  version_count: 2,
  job_count: 1234,
  event_count: 5000,
};

// The workflow page draws its definition's canvas (React Flow), which jsdom cannot lay out.
mockReactFlow();

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** Answers by RPC name; `previews` are served in turn (the last one repeats). */
function answer({
  previews = [postgrestResponse(preview)],
  remove = postgrestResponse(deleted),
}: {
  previews?: Response[];
  remove?: Response;
}) {
  let served = 0;
  fetchMock.mockImplementation((input) => {
    const url = String(input);
    if (url.includes('/rpc/workflow_delete_preview')) {
      const response = previews[Math.min(served, previews.length - 1)]!;
      served += 1;
      return Promise.resolve(response.clone());
    }
    if (url.includes('/rpc/delete_workflow')) return Promise.resolve(remove);
    return Promise.resolve(postgrestResponse([]));
  });
}

const calls = (rpc: string) => fetchMock.mock.calls.filter(([url]) => String(url).includes(rpc));

function setup() {
  const user = userEvent.setup();
  const onDeleted = vi.fn();
  const onOpenChange = vi.fn();
  renderWithProviders(
    <DeleteWorkflowDialog
      organisationId={testOrganisation.id}
      workflowId={workflowId}
      name="Transcribe call"
      open
      onOpenChange={onOpenChange}
      onDeleted={onDeleted}
    />,
  );
  return { user, onDeleted, onOpenChange };
}

describe('deletionSummary', () => {
  it('says the counts plainly', () => {
    expect(deletionSummary({ version_count: 2, job_count: 1234 })).toBe(
      'This deletes 2 versions and 1,234 runs of job history.',
    );
    expect(deletionSummary({ version_count: 1, job_count: 1 })).toBe(
      'This deletes 1 version and 1 run of job history.',
    );
    expect(deletionSummary({ version_count: 1, job_count: 0 })).toBe(
      'This deletes 1 version; it has no job history.',
    );
  });
});

describe('DeleteWorkflowDialog', () => {
  it('states the counts and deletes only once the key is typed exactly', async () => {
    answer({});
    const { user, onDeleted } = setup();
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Delete Transcribe call permanently?',
    });
    expect(
      await within(dialog).findByText('This deletes 2 versions and 1,234 runs of job history.'),
    ).toBeInTheDocument();
    const button = within(dialog).getByRole('button', { name: 'Delete permanently' });
    expect(button).toBeDisabled();

    const input = within(dialog).getByRole('textbox', { name: 'Type transcribe-call to confirm' });
    await user.type(input, 'Transcribe-call');
    expect(button).toBeDisabled();
    await user.clear(input);
    await user.type(input, 'transcribe-call');
    expect(button).toBeEnabled();
    expect(calls('/rpc/delete_workflow')).toHaveLength(0);

    await user.click(button);
    await waitFor(() => expect(onDeleted).toHaveBeenCalledWith(deleted));
    const [, init] = calls('/rpc/delete_workflow')[0]!;
    expect(JSON.parse(String(init?.body))).toEqual({
      p_workflow_id: workflowId,
      p_confirm_key: 'transcribe-call',
    });
    expect(await screen.findByText('Workflow deleted')).toBeInTheDocument();
    expect(
      screen.getByText('transcribe-call: 2 versions and 1,234 jobs removed.'),
    ).toBeInTheDocument();
  });

  it('submits with Enter from the key field (keyboard only)', async () => {
    answer({});
    const { user, onDeleted } = setup();
    const input = await screen.findByRole('textbox', { name: 'Type transcribe-call to confirm' });
    await user.type(input, 'transcribe-call{Enter}');
    await waitFor(() => expect(onDeleted).toHaveBeenCalled());
  });

  it('is disabled with the reason while jobs are waiting or running, linking to them', async () => {
    answer({ previews: [postgrestResponse({ ...preview, active_job_count: 3 })] });
    const { user } = setup();
    const reason = await screen.findByRole('alert');
    expect(reason).toHaveTextContent("It can't be deleted while 3 jobs are waiting or running");
    expect(within(reason).getByRole('link', { name: 'cancel them in Jobs' })).toHaveAttribute(
      'href',
      `/jobs?workflow=${workflowId}`,
    );
    const input = screen.getByRole('textbox', { name: 'Type transcribe-call to confirm' });
    expect(input).toBeDisabled();
    const button = screen.getByRole('button', { name: 'Delete permanently' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(/3 jobs are waiting or running/);
    await user.type(input, 'transcribe-call{Enter}');
    expect(calls('/rpc/delete_workflow')).toHaveLength(0);
  });

  it('is disabled while a project sequence runs it, listing the sequences as links', async () => {
    answer({
      previews: [
        postgrestResponse({
          ...preview,
          used_by: [
            {
              project_id: 'p1',
              project_name: 'Onboarding',
              flow_sequence_id: 's1',
              flow_sequence_name: 'New restaurant',
            },
          ],
        }),
      ],
    });
    setup();
    const list = await screen.findByRole('list', { name: 'Sequences using it' });
    expect(within(list).getByRole('link', { name: 'Onboarding › New restaurant' })).toHaveAttribute(
      'href',
      '/projects/p1/sequences/s1',
    );
    expect(screen.getByRole('button', { name: 'Delete permanently' })).toBeDisabled();
  });

  it('shows a refusal from the server in the dialog and refreshes the counts', async () => {
    answer({
      previews: [
        postgrestResponse(preview),
        postgrestResponse({ ...preview, active_job_count: 1 }),
      ],
      remove: postgrestResponse(
        { code: 'workflow_busy', message: 'workflow transcribe-call has jobs pending' },
        { status: 409 },
      ),
    });
    const { user, onDeleted } = setup();
    const input = await screen.findByRole('textbox', { name: 'Type transcribe-call to confirm' });
    await user.type(input, 'transcribe-call');
    await user.click(screen.getByRole('button', { name: 'Delete permanently' }));
    expect(
      await screen.findByText(/It has jobs waiting or running: cancel them \(Jobs\)/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/It can't be deleted while 1 job is waiting or running/),
    ).toBeInTheDocument();
    expect(onDeleted).not.toHaveBeenCalled();
  });

  it('says so when the counts cannot be loaded (a member: 403)', async () => {
    answer({
      previews: [
        postgrestResponse(
          { code: 'forbidden', message: 'only owners and admins can delete workflows' },
          { status: 403 },
        ),
      ],
    });
    setup();
    expect(await screen.findByText("Couldn't check what would be deleted")).toBeInTheDocument();
    expect(screen.getByText('Only owners and admins can delete workflows.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Delete permanently' })).toBeDisabled();
  });

  it('Cancel closes it without deleting', async () => {
    answer({});
    const { user, onOpenChange } = setup();
    await screen.findByRole('textbox', { name: 'Type transcribe-call to confirm' });
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onOpenChange).toHaveBeenCalledWith(false);
    expect(calls('/rpc/delete_workflow')).toHaveLength(0);
  });
});

describe('WorkflowDetails: delete permanently', { timeout: 20_000 }, () => {
  // The whole page (canvas included) renders before its Used by section loads: under a
  // loaded test run that can take longer than findBy's default second.
  const SLOW_PAGE = { timeout: 5_000 };

  const workflow = {
    id: workflowId,
    organisation_id: testOrganisation.id,
    key: 'transcribe-call',
    name: 'Transcribe call',
    description: null,
    definition: { start_step: 'only', steps: { only: { transformer_id: 'echo-transformer' } } },
    retry_policy: {},
    status: 'active',
    version: 2,
    created_by: null,
    updated_by: null,
    created_at: '2026-12-01T12:00:00Z',
    updated_at: '2026-12-01T12:00:00Z',
    deleted_at: null,
    deleted_by: null,
  } as unknown as Workflow;

  function Where() {
    return <output aria-label="location">{useLocation().pathname}</output>;
  }

  function answerPage(usedBy: unknown[] = []) {
    fetchMock.mockImplementation((input) => {
      const url = String(input);
      if (url.includes('/rpc/workflow_delete_preview'))
        return Promise.resolve(postgrestResponse(preview));
      if (url.includes('/rpc/delete_workflow')) return Promise.resolve(postgrestResponse(deleted));
      if (url.includes('/rpc/workflow_used_by')) return Promise.resolve(postgrestResponse(usedBy));
      if (url.includes('/workflow_versions')) return Promise.resolve(postgrestResponse([]));
      return Promise.resolve(postgrestResponse(workflow));
    });
  }

  const render = (canManage: boolean) =>
    renderWithProviders(
      <>
        <WorkflowDetails
          id={workflowId}
          canManage={canManage}
          memberNames={new Map()}
          onRun={() => {}}
        />
        <Where />
      </>,
      { route: `/workflows/${workflowId}` },
    );

  it('comes after Archive and Move to trash, and goes to the list once deleted', async () => {
    answerPage();
    const user = userEvent.setup();
    render(true);
    const del = await screen.findByRole('button', { name: 'Delete permanently' }, SLOW_PAGE);
    const buttons = screen.getAllByRole('button').map((button) => button.textContent);
    expect(buttons.indexOf('Archive')).toBeLessThan(buttons.indexOf('Delete permanently'));
    expect(buttons.indexOf('Move to trash')).toBeLessThan(buttons.indexOf('Delete permanently'));

    await user.click(del);
    const dialog = await screen.findByRole('alertdialog');
    await user.type(
      await within(dialog).findByRole('textbox', { name: 'Type transcribe-call to confirm' }),
      'transcribe-call',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Delete permanently' }));
    await waitFor(() =>
      expect(screen.getByLabelText('location')).toHaveTextContent(/^\/workflows$/),
    );
  });

  it('shows the project sequences using it, linked, to members too; no delete for them', async () => {
    answerPage([
      {
        project_id: 'p1',
        project_name: 'Onboarding',
        flow_sequence_id: 's1',
        flow_sequence_name: 'New restaurant',
      },
    ]);
    render(false);
    const list = await screen.findByRole('list', { name: 'Project sequences using it' }, SLOW_PAGE);
    expect(within(list).getByRole('link', { name: 'New restaurant' })).toHaveAttribute(
      'href',
      '/projects/p1/sequences/s1',
    );
    expect(within(list).getByText(/in Onboarding/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete permanently' })).not.toBeInTheDocument();
  });

  it('says when no project sequence runs it', async () => {
    answerPage([]);
    render(true);
    expect(
      await screen.findByText('No project sequence runs it.', {}, SLOW_PAGE),
    ).toBeInTheDocument();
  });
});
