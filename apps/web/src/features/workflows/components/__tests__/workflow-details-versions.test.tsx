import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { Workflow, WorkflowVersion } from '../../api/queries';
import { WorkflowDetails } from '../workflow-details';

// Issue 12 §6: the version history says what each version was saved over and restored, and
// Compare opens two versions side by side.

const definition = (transformer: string) => ({
  start_step: 'only',
  steps: { only: { transformer_id: transformer, next_step: null } },
});

const workflow: Workflow = {
  id: '40000000-0000-4000-8000-000000000001',
  organisation_id: testOrganisation.id,
  key: 'transcribe-call',
  name: 'Transcribe call',
  description: null,
  definition: definition('echo-transformer'),
  retry_policy: {},
  status: 'active',
  version: 3,
  created_by: null,
  updated_by: null,
  created_at: '2026-12-01T12:00:00Z',
  updated_at: '2026-12-01T12:00:00Z',
  deleted_at: null,
  deleted_by: null,
};

const version = (n: number, overrides: Partial<WorkflowVersion> = {}): WorkflowVersion => ({
  id: `v${n}`,
  organisation_id: testOrganisation.id,
  workflow_id: workflow.id,
  version: n,
  definition: definition('echo-transformer'),
  retry_policy: {},
  change_description: null,
  created_at: '2026-12-01T12:00:00Z',
  created_by: null,
  parent_version: n > 1 ? n - 1 : null,
  restored_from: null,
  ...overrides,
});

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

function answer(versions: WorkflowVersion[]) {
  fetchMock.mockImplementation((input) => {
    const url = String(input);
    if (url.includes('/workflow_versions')) return Promise.resolve(postgrestResponse(versions));
    if (url.includes('/rpc/')) return Promise.resolve(postgrestResponse([]));
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

describe('WorkflowDetails: version history', () => {
  it('says what each version was saved over and which it restored', async () => {
    answer([
      version(3, { restored_from: 1, change_description: 'Restored version 1' }),
      version(2, { definition: definition('gemini-transformer') }),
      version(1),
    ]);
    setup();
    const list = await screen.findByRole('list', { name: 'Versions' });
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Saved over v2 · Restored from v1');
    expect(items[1]).toHaveTextContent('Saved over v1');
    expect(items[1]).not.toHaveTextContent('Restored');
    expect(items[2]).not.toHaveTextContent('Saved over');
  });

  it('opens a comparison of the latest version with the one before', async () => {
    answer([version(3), version(2, { definition: definition('gemini-transformer') }), version(1)]);
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Compare' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Compare versions · Transcribe call',
    });
    expect(within(dialog).getByLabelText('Compare version')).toHaveValue('2');
    expect(within(dialog).getByLabelText('With version')).toHaveValue('3');
    expect(dialog).toHaveTextContent(/From version 2 to 3: 1 line added, 1 removed\./);
  });

  it('offers no comparison with a single version', async () => {
    answer([version(1)]);
    setup();
    await screen.findByRole('list', { name: 'Versions' });
    expect(screen.queryByRole('button', { name: 'Compare' })).toBeNull();
  });
});
