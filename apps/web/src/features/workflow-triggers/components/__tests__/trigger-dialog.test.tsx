import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setDisplayTimeZone } from '@/lib/format-in-zone';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { TriggerDialog } from '../trigger-dialog';
import { trigger, WORKFLOW_ID } from './trigger-fixtures';

// The add/edit dialog: each kind's fields checked as typed (cron and filter by the domain's
// parsers), nothing sent while a field is wrong, and exactly the kind's fields sent.

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  setDisplayTimeZone('Europe/London');
});
afterEach(() => {
  vi.unstubAllGlobals();
  setDisplayTimeZone(null);
});

const saves = () =>
  fetchMock.mock.calls.filter(([url]) => String(url).includes('/rpc/save_workflow_trigger'));
const sent = (index = 0) => JSON.parse(String(saves()[index]?.[1]?.body)).p_trigger;

function setup(
  existing: Parameters<typeof TriggerDialog>[0]['trigger'] = null,
  answer: Response = postgrestResponse({ id: '70000000-0000-4000-8000-000000000001' }),
) {
  fetchMock.mockResolvedValue(answer);
  const user = userEvent.setup();
  const onSaved = vi.fn();
  renderWithProviders(
    <TriggerDialog
      organisationId={testOrganisation.id}
      workflowId={WORKFLOW_ID}
      trigger={existing}
      open
      onOpenChange={() => {}}
      onSaved={onSaved}
    />,
  );
  const dialog = screen.getByRole('dialog', {
    name: existing ? `Edit ${existing.name}` : 'Add a trigger',
  });
  return { user, onSaved, dialog };
}

// Typing into a form that validates as it goes is slow on a loaded two-core runner (the
// first test also pays the dialog's first render): 5 s timed out once in a full run.
describe('TriggerDialog', { timeout: 20_000 }, () => {
  it('refuses a schedule without a name or with a cron that does not parse, sending nothing', async () => {
    const { user, dialog } = setup();
    await user.click(within(dialog).getByRole('button', { name: 'Add trigger' }));
    expect(await within(dialog).findByText('Give the trigger a name')).toBeInTheDocument();
    expect(within(dialog).getByText('Enter a cron expression')).toBeInTheDocument();

    await user.type(within(dialog).getByLabelText(/Name/), 'Morning');
    await user.type(within(dialog).getByLabelText(/Cron expression/), '61 9 * * *');
    await user.click(within(dialog).getByRole('button', { name: 'Add trigger' }));
    expect(within(dialog).getByLabelText(/Cron expression/)).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(saves()).toHaveLength(0);
  });

  it('previews a preset in words with its next three times in the organisation’s zone, then saves it', async () => {
    const { user, dialog, onSaved } = setup();
    await user.type(within(dialog).getByLabelText(/Name/), 'Morning');
    await user.click(within(dialog).getByRole('button', { name: 'Every weekday at 09:00' }));
    expect(within(dialog).getByLabelText(/Cron expression/)).toHaveValue('0 9 * * 1-5');
    const preview = within(dialog).getByLabelText('Schedule preview');
    expect(preview).toHaveTextContent('(Europe/London)');
    const times = preview.querySelectorAll('time');
    expect(times).toHaveLength(3);
    for (const time of times)
      expect(time.textContent).toMatch(/^(Mon|Tue|Wed|Thu|Fri) \d{1,2} \w{3} 09:00$/);

    await user.click(within(dialog).getByRole('button', { name: 'Add trigger' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(sent()).toEqual({
      organisation_id: testOrganisation.id,
      workflow_id: WORKFLOW_ID,
      kind: 'schedule',
      name: 'Morning',
      enabled: true,
      input: {},
      cron: '0 9 * * 1-5',
    });
  });

  it('needs an event, checks the filter with the branch parser and offers the payload’s fields', async () => {
    const { user, dialog, onSaved } = setup();
    await user.click(within(dialog).getByRole('radio', { name: /App event/ }));
    await user.type(within(dialog).getByLabelText(/Name/), 'Demo done');
    await user.click(within(dialog).getByRole('button', { name: 'Add trigger' }));
    expect(await within(dialog).findByText('Choose an event')).toBeInTheDocument();

    await user.selectOptions(
      within(dialog).getByLabelText(/Event/),
      "A restaurant's stage changes",
    );
    const filter = within(dialog).getByRole('textbox', { name: /^Filter/ });
    await user.type(filter, "@.to_stage == 'demo_done");
    await user.click(within(dialog).getByRole('button', { name: 'Add trigger' }));
    expect(await within(dialog).findByText(/Not a filter the trigger can run/)).toBeInTheDocument();
    expect(saves()).toHaveLength(0);

    const examples = within(dialog).getByRole('list', { name: 'Filter examples' });
    await user.click(
      within(examples).getByRole('button', { name: "Use @.to_stage == 'demo_done'" }),
    );
    expect(filter).toHaveValue("@.to_stage == 'demo_done'");
    await user.click(within(dialog).getByRole('button', { name: 'Add trigger' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(sent()).toEqual({
      organisation_id: testOrganisation.id,
      workflow_id: WORKFLOW_ID,
      kind: 'event',
      name: 'Demo done',
      enabled: true,
      input: {},
      event_type: 'restaurant.stage_changed',
      event_filter: "@.to_stage == 'demo_done'",
    });
  });

  it('checks the static input is a JSON object', async () => {
    const { user, dialog, onSaved } = setup(
      null,
      postgrestResponse({ id: '70000000-0000-4000-8000-000000000004', secret: 'whsec-once' }),
    );
    await user.click(within(dialog).getByRole('radio', { name: /Webhook/ }));
    await user.type(within(dialog).getByLabelText(/Name/), 'CRM push');
    const input = within(dialog).getByLabelText(/Static input/);
    await user.type(input, '[[1]');
    await user.click(within(dialog).getByRole('button', { name: 'Add trigger' }));
    expect(
      await within(dialog).findByText(
        'The static input is a JSON object, e.g. {"source": "schedule"}',
      ),
    ).toBeInTheDocument();
    await user.clear(input);
    await user.type(input, '{{"source": "crm"}');
    await user.click(within(dialog).getByRole('button', { name: 'Add trigger' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(sent()).toEqual({
      organisation_id: testOrganisation.id,
      workflow_id: WORKFLOW_ID,
      kind: 'webhook',
      name: 'CRM push',
      enabled: true,
      input: { source: 'crm' },
    });
    // A new webhook's secret is handed on to be shown once.
    expect(onSaved.mock.calls[0]?.[0]).toEqual({
      id: '70000000-0000-4000-8000-000000000004',
      secret: 'whsec-once',
    });
  });

  it('edits a trigger by its id, keeping its kind, and shows a refusal from the server', async () => {
    const existing = trigger({ input: { source: 'cron' } });
    const { user, dialog } = setup(
      existing,
      postgrestResponse(
        { code: 'forbidden', message: 'only owners and admins can change triggers' },
        { status: 403 },
      ),
    );
    expect(within(dialog).queryByRole('radio')).not.toBeInTheDocument();
    expect(within(dialog).getByLabelText(/Static input/)).toHaveValue(
      JSON.stringify({ source: 'cron' }, null, 2),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Save trigger' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Only owners and admins can change triggers.',
    );
    expect(sent()).toMatchObject({ id: existing.id, kind: 'schedule', cron: '0 9 * * 1-5' });
  });
});
