import { OPEN_AROUND_THE_CLOCK } from '@forkflow/domain/business-calendar';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { InstanceTask, SequenceInstance } from '../../api/queries';
import { SequenceInstancesPanel } from '../sequence-instances-panel';

// Editing a running sequence from its card (issue 13 §3, seed 001 NFR-3 and decisions 2-3):
// each dialog says what will happen before confirming, calls its RPC with what was typed, and
// shows the RPC's warnings (or its refusal) after.

const restaurant = {
  id: '20000000-0000-4000-8000-000000000003',
  name: 'Spice Route',
  assignedRepId: null,
};
const names = ['Send demo confirmation', 'Prepare demo materials', 'Reminder call', 'Conduct demo'];

const task = (order: number, status: string, delay = 1): InstanceTask => ({
  id: `40000000-0000-4000-8000-00000000000${order}`,
  name: names[order - 1]!,
  type: 'call',
  status,
  due_date: status === 'active' ? '2026-11-27T10:00:00Z' : null,
  sequence_step_order: order,
  completed_at: status === 'completed' ? '2026-11-26T10:00:00Z' : null,
  skipped_at: null,
  cancelled_at: status === 'cancelled' ? '2026-11-26T10:00:00Z' : null,
  assigned_to: null,
  sequence_delay_value: delay,
  sequence_delay_unit: 'days',
});

const running: SequenceInstance = {
  id: '50000000-0000-4000-8000-000000000001',
  organisation_id: testOrganisation.id,
  restaurant_id: restaurant.id,
  sequence_template_id: '32000000-0000-4000-8000-000000000001',
  name: 'Demo Follow-up – Spice Route – 2026-11-26',
  status: 'active',
  current_step_order: 2,
  total_steps: 4,
  assigned_to: null,
  started_at: '2026-11-26T09:00:00Z',
  paused_at: null,
  resume_at: null,
  resumed_at: null,
  completed_at: null,
  cancelled_at: null,
  exit_reason: null,
  is_modified: false,
  updated_at: '2026-11-26T10:00:00Z',
  tasks: [task(1, 'completed', 0), task(2, 'active'), task(3, 'pending', 2), task(4, 'pending')],
};

const ended: SequenceInstance = {
  ...running,
  id: '50000000-0000-4000-8000-000000000002',
  name: 'New Lead Outreach – Spice Route – 2026-11-01',
  status: 'cancelled',
  cancelled_at: '2026-11-05T09:00:00Z',
  tasks: [task(1, 'completed'), task(2, 'cancelled')],
  total_steps: 2,
};

const fetchMock = vi.fn<typeof fetch>();
let rpc: (name: string, body: unknown) => Promise<Response>;
let deleteInstance: () => Promise<Response>;

beforeEach(() => {
  rpc = async () => postgrestResponse({ message: 'not stubbed' }, { status: 500 });
  deleteInstance = async () => postgrestResponse([{ id: ended.id }]);
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.startsWith('/rest/v1/rpc/')) {
      return rpc(url.pathname.slice('/rest/v1/rpc/'.length), JSON.parse(String(init?.body)));
    }
    if (url.pathname === '/rest/v1/sequence_instances') {
      if (init?.method === 'DELETE') return deleteInstance();
      return postgrestResponse([running, ended]);
    }
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

function renderPanel(route = `/restaurants/${restaurant.id}`) {
  const user = userEvent.setup();
  const onChanged = vi.fn();
  renderWithProviders(
    <SequenceInstancesPanel
      restaurant={restaurant}
      members={[]}
      calendar={{ ...OPEN_AROUND_THE_CLOCK }}
      calendarIsDefault
      timeZone="Europe/London"
      onChanged={onChanged}
    />,
    { route },
  );
  return { user, onChanged };
}

const rpcCall = (name: string) => {
  const call = fetchMock.mock.calls.find(([input]) => String(input).includes(`/rpc/${name}`));
  return call ? (JSON.parse(String(call[1]?.body)) as unknown) : undefined;
};

async function openSteps(user: ReturnType<typeof userEvent.setup>) {
  const demo = await screen.findByRole('article', { name: /^Demo Follow-up/ });
  await user.click(within(demo).getByRole('button', { name: 'Show steps' }));
  return demo;
}

const result = (warnings: string[] = [], extra: object = {}) =>
  postgrestResponse({
    task: { id: 'new', name: 'Send pricing', status: 'pending', sequence_step_order: 3 },
    next_task: null,
    instance: { id: running.id, status: 'active', is_modified: true },
    warnings,
    ...extra,
  });

describe('editing a running sequence from its card', () => {
  it('adds a step after the current one, warning first, and sends what was typed', async () => {
    rpc = async () => result(['{contact_first_name} is empty for this restaurant']);
    const { user, onChanged } = renderPanel();
    const demo = await screen.findByRole('article', { name: /^Demo Follow-up/ });
    await user.click(within(demo).getByRole('button', { name: 'Add step' }));

    const dialog = screen.getByRole('dialog', { name: 'Add a step' });
    expect(within(dialog).getByRole('note')).toHaveTextContent(/marked as modified/);
    const position = within(dialog).getByRole('combobox', { name: /Position/ });
    // Only after the current step (2): the past is not rewritten.
    expect(
      within(position)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual([
      'After step 2: Prepare demo materials',
      'After step 3: Reminder call',
      'At the end (step 5)',
    ]);
    await user.selectOptions(position, 'After step 3: Reminder call');
    await user.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'Send pricing');
    await user.selectOptions(within(dialog).getByRole('combobox', { name: /^Type/ }), 'Email');
    const delay = within(dialog).getByRole('spinbutton', { name: /^Delay/ });
    await user.clear(delay);
    await user.type(delay, '3');
    await user.selectOptions(within(dialog).getByRole('combobox', { name: /Delay unit/ }), 'hours');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Message/ }),
      'Hi {{contact_first_name}, the prices.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Add step' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(rpcCall('insert_sequence_task')).toEqual({
      p_instance_id: running.id,
      p_position: 4,
      p_task: {
        name: 'Send pricing',
        type: 'email',
        delay_value: 3,
        delay_unit: 'hours',
        message: 'Hi {contact_first_name}, the prices.',
      },
    });
    expect(await screen.findByText('Step added')).toBeInTheDocument();
    expect(
      screen.getByText('{contact_first_name} is empty for this restaurant.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
  });

  it('refuses an empty name or a negative delay without calling the server', async () => {
    const { user } = renderPanel();
    const demo = await screen.findByRole('article', { name: /^Demo Follow-up/ });
    await user.click(within(demo).getByRole('button', { name: 'Add step' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a step' });
    const delay = within(dialog).getByRole('spinbutton', { name: /^Delay/ });
    await user.clear(delay);
    await user.type(delay, '-1');
    await user.click(within(dialog).getByRole('button', { name: 'Add step' }));

    expect(await within(dialog).findByText('Name the step')).toBeInTheDocument();
    expect(within(dialog).getByText('A delay cannot be negative')).toBeInTheDocument();
    expect(rpcCall('insert_sequence_task')).toBeUndefined();
  });

  it('shows the server’s refusal in the dialog and keeps it open', async () => {
    rpc = async () =>
      postgrestResponse(
        { code: '22023', message: 'position must be between 3 and 5 (after the active step)' },
        { status: 400 },
      );
    const { user } = renderPanel();
    const demo = await screen.findByRole('article', { name: /^Demo Follow-up/ });
    await user.click(within(demo).getByRole('button', { name: 'Add step' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a step' });
    await user.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'Late step');
    await user.click(within(dialog).getByRole('button', { name: 'Add step' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Position must be between 3 and 5 (after the active step).',
    );
  });

  it('changes a pending step’s delay; the current and finished steps have no such button', async () => {
    rpc = async () => result();
    const { user } = renderPanel();
    const demo = await openSteps(user);
    expect(
      within(demo).queryByRole('button', { name: /Change the delay of step 2/ }),
    ).not.toBeInTheDocument();
    expect(
      within(demo).queryByRole('button', { name: /Change the delay of step 1/ }),
    ).not.toBeInTheDocument();
    expect(within(demo).getByText(/3\. Reminder call/).parentElement).toHaveTextContent(
      '2 days after the step before',
    );
    await user.click(
      within(demo).getByRole('button', { name: 'Change the delay of step 3: Reminder call' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Change the delay' });
    expect(within(dialog).getByRole('note')).toHaveTextContent(
      'Now 2 days after the step before it is done',
    );
    const delay = within(dialog).getByRole('spinbutton', { name: /^Delay/ });
    expect(delay).toHaveValue(2);
    await user.clear(delay);
    await user.type(delay, '5');
    await user.click(within(dialog).getByRole('button', { name: 'Change delay' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(rpcCall('update_sequence_task_delay')).toEqual({
      p_task_id: running.tasks[2]!.id,
      p_delay_value: 5,
      p_delay_unit: 'days',
    });
    expect(await screen.findByText('Delay changed')).toBeInTheDocument();
  });

  it('deleting the current step says first that the next one activates, then shows the RPC’s warning', async () => {
    rpc = async () => result(['the active step was deleted; the next step is now active']);
    const { user } = renderPanel();
    const demo = await openSteps(user);
    await user.click(
      within(demo).getByRole('button', { name: 'Delete step 2: Prepare demo materials' }),
    );
    const confirm = screen.getByRole('alertdialog', { name: 'Delete step 2?' });
    expect(confirm).toHaveTextContent(
      'It is the current step: step 3 (Reminder call) becomes active now, due in 2 days.',
    );
    expect(confirm).toHaveTextContent('marked as modified');
    expect(within(confirm).getByRole('button', { name: 'Keep step' })).toHaveFocus();
    await user.click(within(confirm).getByRole('button', { name: 'Delete step' }));

    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(rpcCall('delete_sequence_task')).toEqual({ p_task_id: running.tasks[1]!.id });
    expect(
      await screen.findByText('The active step was deleted; the next step is now active.'),
    ).toBeInTheDocument();
  });

  it('deleting a later step says the ones after it move up; keeping it calls nothing', async () => {
    const { user } = renderPanel();
    const demo = await openSteps(user);
    expect(within(demo).queryByRole('button', { name: /Delete step 1/ })).not.toBeInTheDocument();
    await user.click(within(demo).getByRole('button', { name: 'Delete step 3: Reminder call' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Delete step 3?' });
    expect(confirm).toHaveTextContent('The steps after it move up by one.');
    await user.click(within(confirm).getByRole('button', { name: 'Keep step' }));
    expect(rpcCall('delete_sequence_task')).toBeUndefined();
  });

  it('an ended sequence has no step editing, and can be deleted after confirming', async () => {
    const { user, onChanged } = renderPanel();
    const outreach = await screen.findByRole('article', { name: /^New Lead Outreach/ });
    expect(within(outreach).queryByRole('button', { name: 'Add step' })).not.toBeInTheDocument();
    await user.click(within(outreach).getByRole('button', { name: 'Show steps' }));
    expect(
      within(outreach).queryByRole('button', { name: /^Delete step/ }),
    ).not.toBeInTheDocument();
    const demo = screen.getByRole('article', { name: /^Demo Follow-up/ });
    expect(within(demo).queryByRole('button', { name: /^Delete Demo/ })).not.toBeInTheDocument();

    await user.click(within(outreach).getByRole('button', { name: `Delete ${ended.name}` }));
    const confirm = screen.getByRole('alertdialog', { name: 'Delete this sequence?' });
    expect(confirm).toHaveTextContent('Its 2 tasks stay on the restaurant');
    await user.click(within(confirm).getByRole('button', { name: 'Delete sequence' }));

    expect(await screen.findByText('Sequence deleted')).toBeInTheDocument();
    const call = fetchMock.mock.calls.find(([, init]) => init?.method === 'DELETE');
    expect(String(call?.[0])).toContain(`id=eq.${ended.id}`);
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
  });

  it('says so when the policy deleted nothing (not theirs to delete)', async () => {
    deleteInstance = async () => postgrestResponse([]);
    const { user } = renderPanel();
    const outreach = await screen.findByRole('article', { name: /^New Lead Outreach/ });
    await user.click(within(outreach).getByRole('button', { name: `Delete ${ended.name}` }));
    await user.click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete sequence' }),
    );
    expect(await screen.findByText('Couldn’t delete the sequence')).toBeInTheDocument();
    expect(screen.getByText(/Only whoever started this sequence/)).toBeInTheDocument();
  });

  it('arriving from a task’s step link, its sequence shows its steps ready to edit', async () => {
    renderPanel(`/restaurants/${restaurant.id}#sequence-${running.id}`);
    const demo = await screen.findByRole('article', { name: /^Demo Follow-up/ });
    expect(within(demo).getByRole('button', { name: 'Hide steps' })).toBeInTheDocument();
    expect(
      within(demo).getByRole('button', { name: 'Delete step 2: Prepare demo materials' }),
    ).toBeInTheDocument();
    const outreach = screen.getByRole('article', { name: /^New Lead Outreach/ });
    expect(within(outreach).getByRole('button', { name: 'Show steps' })).toBeInTheDocument();
  });
});
