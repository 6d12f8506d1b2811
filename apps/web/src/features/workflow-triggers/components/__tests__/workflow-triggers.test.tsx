import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setDisplayTimeZone } from '@/lib/format-in-zone';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { WorkflowTriggers } from '../workflow-triggers';
import { firing, trigger, WORKFLOW_ID } from './trigger-fixtures';

// The workflow page's Triggers section: its states, each trigger in words with its last
// firings, and who may change them.

const fetchMock = vi.fn<typeof fetch>();
const admin = { ...testOrganisation, role: 'admin' as const };

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  setDisplayTimeZone('Europe/London');
});
afterEach(() => {
  vi.unstubAllGlobals();
  setDisplayTimeZone(null);
});

function answer(rows: unknown[], rpc: Record<string, () => Response> = {}) {
  fetchMock.mockImplementation((input) => {
    const url = String(input);
    for (const [name, respond] of Object.entries(rpc)) {
      if (url.includes(`/rpc/${name}`)) return Promise.resolve(respond());
    }
    if (url.includes('/workflow_triggers')) return Promise.resolve(postgrestResponse(rows));
    return Promise.resolve(postgrestResponse([]));
  });
}

const calls = (rpc: string) => fetchMock.mock.calls.filter(([url]) => String(url).includes(rpc));

const schedule = trigger({
  firings: [
    firing({ id: '71000000-0000-4000-8000-000000000002' }),
    firing({
      id: '71000000-0000-4000-8000-000000000003',
      status: 'failed',
      job_id: null,
      error: { code: 'workflow_archived', message: 'The workflow is archived' },
      fired_at: '2026-12-03T09:00:00.200Z',
    }),
  ],
});
const event = trigger({
  id: '70000000-0000-4000-8000-000000000002',
  kind: 'event',
  name: 'Demo done',
  cron: null,
  event_type: 'restaurant.stage_changed',
  event_filter: "@.to_stage == 'demo_done'",
  firings: [
    firing({
      id: '71000000-0000-4000-8000-000000000004',
      trigger_id: '70000000-0000-4000-8000-000000000002',
      status: 'filtered_out',
      job_id: null,
    }),
  ],
});
const webhook = trigger({
  id: '70000000-0000-4000-8000-000000000003',
  kind: 'webhook',
  name: 'CRM push',
  cron: null,
  enabled: false,
});

describe('WorkflowTriggers', { timeout: 20_000 }, () => {
  it('explains the three kinds when there are none; a member gets no Add button', async () => {
    answer([]);
    renderWithProviders(<WorkflowTriggers workflowId={WORKFLOW_ID} canManage={false} />);
    expect(
      await screen.findByText('No triggers: this workflow runs only when started.'),
    ).toBeInTheDocument();
    for (const kind of ['Schedule', 'App event', 'Webhook']) {
      expect(screen.getByText(kind)).toBeInTheDocument();
    }
    expect(screen.getByText('Owners and admins add triggers.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add trigger' })).not.toBeInTheDocument();
  });

  it('lists each trigger in words with its last firings and links to their jobs', async () => {
    answer([schedule, event, webhook]);
    renderWithProviders(<WorkflowTriggers workflowId={WORKFLOW_ID} canManage={false} />);
    const list = await screen.findByRole('list', { name: 'Triggers' });

    const morning = within(list).getByRole('listitem', { name: 'Weekday morning' });
    expect(morning).toHaveTextContent('(Europe/London) — next');
    const firings = within(morning).getByRole('list', { name: 'Last firings of Weekday morning' });
    const [started, failed] = within(firings).getAllByRole('listitem');
    expect(started).toHaveTextContent('4 Dec 2026, 09:00Started');
    expect(within(started!).getByRole('link', { name: 'View job' })).toHaveAttribute(
      'href',
      '/jobs/60000000-0000-4000-8000-000000000001',
    );
    expect(failed).toHaveTextContent('FailedThe workflow is archived');
    expect(within(failed!).queryByRole('link')).not.toBeInTheDocument();

    const demo = within(list).getByRole('listitem', { name: 'Demo done' });
    expect(demo).toHaveTextContent(
      "When a restaurant's stage changes, if @.to_stage == 'demo_done'",
    );
    expect(demo).toHaveTextContent('Filtered outThe filter did not match the event');

    const crm = within(list).getByRole('listitem', { name: 'CRM push' });
    expect(crm).toHaveTextContent('Off');
    expect(crm).toHaveTextContent(
      `/functions/v1/workflow-webhook/70000000-0000-4000-8000-000000000003`,
    );
    expect(crm).toHaveTextContent('Not fired yet.');

    // A member reads: no switch, no edit, no delete.
    expect(screen.queryByRole('switch')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Edit|Delete|Rotate/ })).not.toBeInTheDocument();
  });

  it('says so when the trigger’s member has left', async () => {
    answer([trigger({ run_as: null })]);
    renderWithProviders(<WorkflowTriggers workflowId={WORKFLOW_ID} canManage={false} />);
    expect(await screen.findByText(/The member it ran as has left/)).toBeInTheDocument();
  });

  it('shows an error with a retry when the triggers cannot be read', async () => {
    fetchMock.mockResolvedValue(
      postgrestResponse({ code: 'XX000', message: 'boom' }, { status: 500 }),
    );
    renderWithProviders(<WorkflowTriggers workflowId={WORKFLOW_ID} canManage={false} />);
    expect(await screen.findByText("Couldn't load the triggers")).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Try again/ })).toBeInTheDocument();
  });

  it('lets an admin switch a trigger off, with Undo', async () => {
    answer([schedule], { save_workflow_trigger: () => postgrestResponse({ id: schedule.id }) });
    const user = userEvent.setup();
    renderWithProviders(<WorkflowTriggers workflowId={WORKFLOW_ID} canManage />, {
      organisation: admin,
    });
    const toggle = await screen.findByRole('switch', { name: 'Weekday morning enabled' });
    expect(toggle).toHaveAttribute('aria-checked', 'true');
    await user.click(toggle);
    expect(await screen.findByText('Trigger off')).toBeInTheDocument();
    const [, init] = calls('/rpc/save_workflow_trigger')[0]!;
    expect(JSON.parse(String(init?.body))).toEqual({
      p_trigger: {
        id: schedule.id,
        organisation_id: schedule.organisation_id,
        workflow_id: WORKFLOW_ID,
        kind: 'schedule',
        name: 'Weekday morning',
        enabled: false,
        input: {},
        cron: '0 9 * * 1-5',
        timezone: null,
      },
    });
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(calls('/rpc/save_workflow_trigger')).toHaveLength(2));
    const [, again] = calls('/rpc/save_workflow_trigger')[1]!;
    expect(JSON.parse(String(again?.body)).p_trigger.enabled).toBe(true);
  });

  it('deletes after a confirmation, and Undo brings a schedule back as it was', async () => {
    answer([schedule], {
      delete_workflow_trigger: () => postgrestResponse(null),
      save_workflow_trigger: () =>
        postgrestResponse({ id: '70000000-0000-4000-8000-000000000009' }),
    });
    const user = userEvent.setup();
    renderWithProviders(<WorkflowTriggers workflowId={WORKFLOW_ID} canManage />, {
      organisation: admin,
    });
    await user.click(await screen.findByRole('button', { name: 'Delete Weekday morning' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete Weekday morning?' });
    expect(calls('/rpc/delete_workflow_trigger')).toHaveLength(0);
    await user.click(within(confirm).getByRole('button', { name: 'Delete trigger' }));
    expect(await screen.findByText('Trigger deleted')).toBeInTheDocument();
    const [, init] = calls('/rpc/delete_workflow_trigger')[0]!;
    expect(JSON.parse(String(init?.body))).toEqual({ p_trigger_id: schedule.id });

    await user.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(calls('/rpc/save_workflow_trigger')).toHaveLength(1));
    const [, restored] = calls('/rpc/save_workflow_trigger')[0]!;
    expect(JSON.parse(String(restored?.body)).p_trigger).toEqual({
      organisation_id: testOrganisation.id,
      workflow_id: WORKFLOW_ID,
      kind: 'schedule',
      name: 'Weekday morning',
      enabled: true,
      input: {},
      cron: '0 9 * * 1-5',
    });
  });

  it('rotates a webhook’s secret after a confirmation and shows the new one once', async () => {
    answer([webhook], {
      rotate_webhook_secret: () => postgrestResponse({ secret: 'whsec-new-0123' }),
    });
    const user = userEvent.setup();
    renderWithProviders(<WorkflowTriggers workflowId={WORKFLOW_ID} canManage />, {
      organisation: admin,
    });
    await user.click(await screen.findByRole('button', { name: 'Rotate secret' }));
    const confirm = await screen.findByRole('alertdialog', {
      name: 'Rotate the secret of CRM push?',
    });
    await user.click(within(confirm).getByRole('button', { name: 'Rotate secret' }));
    const shown = await screen.findByRole('dialog', { name: 'New secret for CRM push' });
    expect(within(shown).getByLabelText('Webhook secret')).toHaveTextContent('whsec-new-0123');
    expect(within(shown).getByLabelText('Signing example')).toHaveTextContent(
      "SECRET='whsec-new-0123'",
    );
    await user.click(within(shown).getByRole('button', { name: 'I’ve copied the secret' }));
    await waitFor(() => expect(screen.queryByText('whsec-new-0123')).not.toBeInTheDocument());
  });
});
