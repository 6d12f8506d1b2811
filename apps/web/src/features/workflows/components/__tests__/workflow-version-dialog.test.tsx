import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { supabase } from '@/lib/supabase';
import { renderWithProviders } from '@/testing/test-utils';
import type { Workflow, WorkflowVersion } from '../../api/queries';
import { WorkflowVersionDialog } from '../workflow-version-dialog';

const step = (transformer: string) => ({
  start_step: 'step1',
  steps: {
    step1: {
      transformer_id: transformer,
      input_map: { data: '$.job_input.payload' },
      next_step: null,
    },
  },
});

const workflow: Workflow = {
  id: '40000000-0000-4000-8000-000000000001',
  organisation_id: '00000000-0000-4000-8000-000000000001',
  key: 'echo-example',
  name: 'Echo example',
  description: 'Echoes its payload',
  status: 'active',
  version: 3,
  definition: step('echo-transformer'),
  retry_policy: { max_retries: 5 },
  created_at: '2026-11-20T09:00:00Z',
  created_by: null,
  updated_at: '2026-11-22T09:00:00Z',
  updated_by: null,
  deleted_at: null,
  deleted_by: null,
};

const version = (n: number, overrides: Partial<WorkflowVersion> = {}): WorkflowVersion => ({
  id: `v${n}`,
  organisation_id: workflow.organisation_id,
  workflow_id: workflow.id,
  version: n,
  definition: step(`echo-v${n}`),
  retry_policy: { max_retries: n, base_ms: 500, factor: 2, cap_ms: 60_000, jitter: 'none' },
  change_description: `Change ${n}`,
  created_at: '2026-11-21T09:00:00Z',
  created_by: null,
  parent_version: n > 1 ? n - 1 : null,
  restored_from: null,
  ...overrides,
});

const fetchMock = vi.fn<typeof fetch>();
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  vi.spyOn(supabase.auth, 'getSession').mockResolvedValue({
    data: { session: null },
    error: null,
  });
});
afterEach(() => vi.unstubAllGlobals());

function setup(shown: WorkflowVersion, canManage = true) {
  const onClose = vi.fn();
  renderWithProviders(
    <WorkflowVersionDialog
      workflow={workflow}
      version={shown}
      onClose={onClose}
      canManage={canManage}
    />,
  );
  const dialog = screen.getByRole('dialog', { name: `Echo example · version ${shown.version}` });
  return { user: userEvent.setup(), onClose, dialog };
}

async function sentBody() {
  await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
  const [request, init] = fetchMock.mock.calls[0] ?? [];
  const text = request instanceof Request ? await request.text() : String(init?.body);
  return JSON.parse(text) as Record<string, unknown>;
}

describe('WorkflowVersionDialog', () => {
  it('shows the version’s definition and retry policy', () => {
    const { dialog } = setup(version(1));
    expect(within(dialog).getByLabelText('Definition of version 1')).toHaveTextContent(
      '"transformer_id": "echo-v1"',
    );
    expect(dialog).toHaveTextContent(
      'Retry policy: max retries 1 · base delay 500 ms · factor ×2 · cap 1 min · jitter none',
    );
  });

  it('saves an older version again as the next one, checked against the current version', async () => {
    fetchMock.mockResolvedValue(json(200, { ...workflow, version: 4 }));
    const { user, dialog, onClose } = setup(version(1));
    await user.click(within(dialog).getByRole('button', { name: 'Restore as version 4' }));

    const body = await sentBody();
    expect(body).toMatchObject({
      workflow_id: workflow.id,
      expected_version: 3,
      restored_from: 1,
      key: 'echo-example',
      name: 'Echo example',
      description: 'Echoes its payload',
      definition: step('echo-v1'),
      retry_policy: { max_retries: 1, base_ms: 500, factor: 2, cap_ms: 60_000, jitter: 'none' },
      change_description: 'Restored version 1',
    });
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(await screen.findByRole('status')).toHaveTextContent('Version 1 restored');
  });

  it('says so, and stays open, when someone saved in between', async () => {
    fetchMock.mockResolvedValue(
      json(409, { error: { code: 'version_conflict', message: 'The workflow is at version 4' } }),
    );
    const { user, dialog, onClose } = setup(version(2));
    await user.click(within(dialog).getByRole('button', { name: 'Restore as version 4' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Someone else saved this workflow while you were editing',
    );
    expect(onClose).not.toHaveBeenCalled();
  });

  it('offers no restore for the current version', () => {
    const { dialog } = setup(version(3));
    expect(within(dialog).queryByRole('button', { name: /^Restore/ })).toBeNull();
  });

  it('offers no restore to someone who can’t manage workflows', () => {
    const { dialog } = setup(version(1), false);
    expect(within(dialog).queryByRole('button', { name: /^Restore/ })).toBeNull();
    expect(within(dialog).queryByText(/^Restoring saves/)).toBeNull();
  });
});
