import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { parseWorkflowExport } from '@forkflow/domain/workflow-export';
import { useLocation } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { Workflow } from '../../api/queries';
import { mockReactFlow } from '../canvas/__tests__/mock-react-flow';
import { WorkflowDetails } from '../workflow-details';

// Duplicate and Export on the workflow page (issue 12 §2).

const workflow = {
  id: '40000000-0000-4000-8000-000000000001',
  organisation_id: testOrganisation.id,
  key: 'transcribe-call',
  name: 'Transcribe call',
  description: 'Calls to text',
  definition: { start_step: 'only', steps: { only: { transformer_id: 'echo-transformer' } } },
  retry_policy: { max_retries: 2 },
  status: 'active',
  version: 3,
  created_by: null,
  updated_by: null,
  created_at: '2026-12-01T12:00:00Z',
  updated_at: '2026-12-01T12:00:00Z',
  deleted_at: null,
  deleted_by: null,
} as unknown as Workflow;

const copy = {
  ...workflow,
  id: '40000000-0000-4000-8000-000000000002',
  key: 'transcribe-call-copy',
  name: 'Copy of Transcribe call',
  version: 1,
} as Workflow;

// The workflow page draws its definition's canvas (React Flow), which jsdom cannot lay out.
mockReactFlow();

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function answer(duplicate: Response) {
  fetchMock.mockImplementation((input) => {
    const url = String(input);
    if (url.includes('/rpc/duplicate_workflow')) return Promise.resolve(duplicate);
    if (url.includes('/workflow_versions')) return Promise.resolve(postgrestResponse([]));
    if (url.includes('/rpc/workflow_used_by')) return Promise.resolve(postgrestResponse([]));
    return Promise.resolve(postgrestResponse(workflow));
  });
}

/** Where the router is, to see a navigation happen. */
function Where() {
  return <output aria-label="location">{useLocation().pathname}</output>;
}

const setup = (canManage = true) => {
  const user = userEvent.setup();
  renderWithProviders(
    <>
      <WorkflowDetails
        id={workflow.id}
        canManage={canManage}
        memberNames={new Map()}
        onRun={() => {}}
      />
      <Where />
    </>,
    { route: `/workflows/${workflow.id}` },
  );
  return { user };
};

describe('WorkflowDetails: duplicate', () => {
  it('calls duplicate_workflow and goes to the copy', async () => {
    answer(postgrestResponse(copy));
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Duplicate' }));
    await waitFor(() =>
      expect(
        fetchMock.mock.calls.some(([url]) => String(url).includes('/rpc/duplicate_workflow')),
      ).toBe(true),
    );
    const [, init] = fetchMock.mock.calls.find(([url]) =>
      String(url).includes('/rpc/duplicate_workflow'),
    )!;
    expect(JSON.parse(String(init?.body))).toEqual({ p_workflow_id: workflow.id });
    expect(await screen.findByText('Workflow duplicated')).toBeInTheDocument();
    expect(screen.getByText('Copy of Transcribe call (transcribe-call-copy)')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByLabelText('location')).toHaveTextContent(`/workflows/${copy.id}`),
    );
  });

  it("says why when it is refused (a member's 403)", async () => {
    answer(
      postgrestResponse(
        { code: 'forbidden', message: 'only owners and admins can duplicate workflows' },
        { status: 403 },
      ),
    );
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Duplicate' }));
    expect(await screen.findByText("Couldn't duplicate the workflow")).toBeInTheDocument();
    expect(screen.getByText('Only owners and admins can duplicate workflows.')).toBeInTheDocument();
  });

  it('is not offered to members; Export is', async () => {
    answer(postgrestResponse(copy));
    setup(false);
    expect(await screen.findByRole('button', { name: 'Export' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Duplicate' })).not.toBeInTheDocument();
  });
});

describe('WorkflowDetails: export', () => {
  it('downloads <key>.workflow.json holding the export format', async () => {
    answer(postgrestResponse(copy));
    let blob: Blob | null = null;
    const createObjectURL = vi.fn((value: Blob) => {
      blob = value;
      return 'blob:workflow';
    });
    // jsdom has no object URLs: put stand-ins on URL for this test only.
    const original = { createObjectURL: URL.createObjectURL, revokeObjectURL: URL.revokeObjectURL };
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    onTestFinished(() => void Object.assign(URL, original));
    let downloaded = '';
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      downloaded = this.download;
    });
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Export' }));
    expect(downloaded).toBe('transcribe-call.workflow.json');
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(blob!);
    });
    expect(parseWorkflowExport(text)).toEqual({
      ok: true,
      value: {
        format: 'forkflow.workflow',
        version: 1,
        key: 'transcribe-call',
        name: 'Transcribe call',
        description: 'Calls to text',
        definition: workflow.definition,
        retry_policy: { max_retries: 2 },
      },
    });
  });
});
