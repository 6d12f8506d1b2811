import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { FlowSequence, SequenceProject, SequenceWorkflow } from '../../api/queries';
import { SequenceEditor } from '../sequence-editor';

const ids = {
  project: '20000000-0000-4000-8000-000000000001',
  sequence: '30000000-0000-4000-8000-000000000001',
  create: '40000000-0000-4000-8000-000000000001',
  enrich: '40000000-0000-4000-8000-000000000002',
  notify: '40000000-0000-4000-8000-000000000003',
  enricher: '40000000-0000-4000-8000-000000000004',
  echo: '40000000-0000-4000-8000-000000000005',
};

const workflows: SequenceWorkflow[] = [
  {
    id: ids.create,
    name: 'Create lead',
    key: 'create-lead',
    status: 'active',
    definition: {
      inputs: [{ name: 'email', type: 'string', required: true }],
      output_map: { lead_id: '$.steps.s1.id', status: '$.steps.s1.status' },
    },
  },
  {
    id: ids.enrich,
    name: 'Enrich lead',
    key: 'enrich-lead',
    status: 'active',
    definition: {
      inputs: [
        { name: 'lead_id', type: 'string', required: true },
        { name: 'tier', type: 'number', default: 1 },
      ],
      output_map: { company: '$.steps.s1.company' },
    },
  },
  {
    id: ids.notify,
    name: 'Notify sales',
    key: 'notify-sales',
    status: 'active',
    definition: { inputs: [{ name: 'message', type: 'string' }] },
  },
  {
    id: ids.enricher,
    name: 'Archived enricher',
    key: 'old-enricher',
    status: 'archived',
    definition: {},
  },
  { id: ids.echo, name: 'Echo anything', key: 'echo', status: 'active', definition: {} },
];

const sequence: FlowSequence = {
  id: ids.sequence,
  organisation_id: testOrganisation.id,
  project_id: ids.project,
  name: 'Lead intake',
  description: null,
  position: 0,
  parameters: [
    { name: 'email', type: 'string', required: true, source: 'hardcoded', value: 'a@b.test' },
    {
      name: 'api_key',
      type: 'string',
      required: false,
      source: 'project_variable',
      project_variable: 'crm_key',
    },
  ],
  flows: [
    {
      id: 'flow1',
      workflow_id: ids.create,
      mappings: { email: { source: 'sequence_parameter', parameter: 'email' } },
      assertions: [],
    },
    {
      id: 'flow2',
      workflow_id: ids.enrich,
      mappings: { lead_id: { source: 'flow_output', flow_id: 'flow1', path: ['lead_id'] } },
      assertions: [{ path: '$.company', operator: 'exists' }],
    },
  ],
  created_by: null,
  created_at: '2026-12-01T10:00:00Z',
  updated_at: '2026-12-01T10:00:00Z',
};

const project: SequenceProject = {
  id: ids.project,
  name: 'Leads',
  environment_id: 'e0000000-0000-4000-8000-000000000001',
  variables: [
    {
      name: 'crm_key',
      type: 'string',
      required: true,
      source: 'environment',
      environment_variable: 'CRM_KEY',
    },
    { name: 'region', type: 'string', required: false, source: 'hardcoded', value: 'eu' },
  ],
};

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

function setup({ readOnly = false } = {}) {
  // No pause between simulated events: keeps each test well inside the default timeout.
  const user = userEvent.setup({ delay: null });
  const onReloadLatest = vi.fn();
  renderWithProviders(
    <SequenceEditor
      sequence={sequence}
      project={project}
      environment={{
        id: 'e0000000-0000-4000-8000-000000000001',
        name: 'staging',
        variables: [{ name: 'CRM_KEY', secret: true, value: null, has_value: true }],
      }}
      workflows={workflows}
      lastOutputs={{ flow1: { lead_id: 'L-1', owner: { name: 'Ann', team: 'EU' } } }}
      readOnly={readOnly}
      onReloadLatest={onReloadLatest}
    />,
    { organisation: { ...testOrganisation, role: readOnly ? 'member' : 'owner' } },
  );
  return { user, onReloadLatest };
}

// Plain DOM look-ups where a role query would walk the whole editor computing accessible
// names (slow in jsdom): the labels used are still the ones a screen reader hears.
const flowGroup = (id: string) => {
  const group = document.querySelector<HTMLElement>(`[role="group"][aria-label="Flow ${id}"]`);
  if (!group) throw new Error(`no group "Flow ${id}"`);
  return group;
};
const optionTexts = (select: HTMLElement) =>
  [...(select as HTMLSelectElement).options].map((option) => option.textContent);
const flowOrder = () =>
  [...document.querySelectorAll('ol[aria-label="Flows in order"] [role="group"]')].map((group) =>
    group.getAttribute('aria-label'),
  );

describe('SequenceEditor mappings', () => {
  it('offers flow 1 only sequence parameters, and a later flow the earlier flows’ outputs', async () => {
    const { user } = setup();
    const first = within(flowGroup('flow1')).getByLabelText('Source of email');
    expect(optionTexts(first)).toEqual(['Not mapped', 'Sequence parameter']);
    expect(within(flowGroup('flow1')).getByLabelText('Sequence parameter for email')).toHaveValue(
      'email',
    );

    const second = within(flowGroup('flow2')).getByLabelText('Source of lead_id');
    expect(optionTexts(second)).toEqual([
      'Not mapped',
      'Sequence parameter',
      'Output of flow1 · Create lead',
    ]);
    // The fields: the workflow's declared outputs, then those seen in flow1's last run.
    const field = within(flowGroup('flow2')).getByLabelText('Field of flow1 for lead_id');
    expect(optionTexts(field)).toEqual([
      'Pick a field…',
      'lead_id',
      'status',
      'owner',
      'owner.name',
      'owner.team',
    ]);
    await user.selectOptions(field, 'owner.name');
    expect(field).toHaveDisplayValue('owner.name');
  });

  it('asks for the parameter once the source is picked, and checks its type', async () => {
    const { user } = setup();
    // An input with a default may stay unmapped; switching to a parameter asks for one.
    const tier = within(flowGroup('flow2')).getByLabelText('Source of tier');
    expect(tier).toHaveDisplayValue('Not mapped (its default)');
    await user.selectOptions(tier, 'Sequence parameter');
    const parameter = within(flowGroup('flow2')).getByLabelText('Sequence parameter for tier');
    expect(optionTexts(parameter)).toEqual([
      'Pick a parameter…',
      'email (string)',
      'api_key (string)',
    ]);
    expect(
      within(flowGroup('flow2')).getByText('Pick the sequence parameter tier takes'),
    ).toBeVisible();
    // A string parameter into a number input is refused as the server would.
    await user.selectOptions(parameter, 'email (string)');
    expect(
      within(flowGroup('flow2')).getByText(/tier is a number but parameter email is a string/),
    ).toBeVisible();
  });

  it('shows each project variable’s current value, a secret masked', () => {
    setup();
    const variable = screen.getByLabelText('Project variable for api_key');
    expect(optionTexts(variable)).toEqual([
      'Pick a project variable…',
      'crm_key (string) = ••••',
      'region (string) = eu',
    ]);
  });
});

describe('SequenceEditor flows', () => {
  it('moving a flow above its source flags the mapping at its row', async () => {
    const { user } = setup();
    expect(flowOrder()).toEqual(['Flow flow1', 'Flow flow2']);
    await user.click(screen.getByLabelText('Move flow2 (Enrich lead) up'));
    expect(flowOrder()).toEqual(['Flow flow2', 'Flow flow1']);
    // flow2 now comes first: it may not read flow1's output (and is offered no flow at all).
    expect(
      within(flowGroup('flow2')).getByText(/reads the output of flow1, which runs later/),
    ).toBeVisible();
    expect(screen.getByText('Unsaved changes · 1 problem')).toBeVisible();
    await user.click(screen.getByLabelText('Move flow2 (Enrich lead) down'));
    expect(flowOrder()).toEqual(['Flow flow1', 'Flow flow2']);
    expect(screen.getByText('All changes saved')).toBeVisible();
  });

  it('adds a flow between two by fuzzy search, with arrows and Enter, as flow1_5', async () => {
    const { user } = setup();
    await user.click(screen.getByLabelText('Add a flow between flow1 and flow2'));
    const dialog = await screen.findByRole('dialog', {
      name: 'Add a flow between flow1 and flow2',
    });
    const search = within(dialog).getByRole('combobox', { name: 'Search workflows' });
    await user.type(search, 'le');
    const options = within(dialog).getAllByRole('option');
    // Word starts first ("lead"), then "sales"; the archived workflow is not offered.
    expect(options.map((option) => option.querySelector('span')?.textContent)).toEqual([
      'Create lead',
      'Enrich lead',
      'Notify sales',
    ]);
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    expect([...options[2]!.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual([
      'le',
    ]);
    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(flowOrder()).toEqual(['Flow flow1', 'Flow flow1_5', 'Flow flow2']);
    // Notify sales' input, offered flow1's output as the flow sits after it.
    expect(optionTexts(within(flowGroup('flow1_5')).getByLabelText('Source of message'))).toEqual([
      'Not mapped',
      'Sequence parameter',
      'Output of flow1 · Create lead',
    ]);
  });

  it('removes a flow with an undo', async () => {
    const { user } = setup();
    await user.click(screen.getByLabelText('Remove flow1 (Create lead)'));
    expect(flowOrder()).toEqual(['Flow flow2']);
    expect(
      within(flowGroup('flow2')).getByText(/flow1, which is not in the sequence/),
    ).toBeVisible();
    await user.click(screen.getByText('Undo'));
    expect(flowOrder()).toEqual(['Flow flow1', 'Flow flow2']);
    expect(screen.getByText('All changes saved')).toBeVisible();
  });
});

describe('SequenceEditor undeclared inputs', () => {
  it('names the parameters of a workflow that declares none', async () => {
    const { user } = setup();
    await user.click(screen.getByText('Add flow'));
    const dialog = await screen.findByRole('dialog', { name: 'Add a flow after flow2' });
    await user.type(within(dialog).getByRole('combobox', { name: 'Search workflows' }), 'echo');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const flow3 = flowGroup('flow3');
    expect(within(flow3).getByText(/declares no inputs: it takes any/)).toBeVisible();
    await user.type(within(flow3).getByLabelText('New parameter of flow3'), 'note{Enter}');
    expect(within(flow3).getByText('any type')).toBeVisible();
    expect(within(flow3).getByLabelText('Source of note')).toHaveDisplayValue('Sequence parameter');
    await user.selectOptions(
      within(flow3).getByLabelText('Sequence parameter for note'),
      'email (string)',
    );
    expect(screen.getByText('Unsaved changes')).toBeVisible();
  });
});

describe('SequenceEditor saving', () => {
  it('sends the sequence and shows the server’s problems at their rows', async () => {
    fetchMock.mockImplementation(async () =>
      Response.json(
        {
          error: {
            code: 'invalid_sequence',
            message: 'The sequence cannot run',
            details: [
              {
                path: ['flows', 1, 'mappings', 'lead_id'],
                code: 'unknown_output',
                message: 'Server says no',
              },
            ],
          },
        },
        { status: 400 },
      ),
    );
    const { user } = setup();
    await user.type(screen.getByLabelText('Name'), ' v2');
    await user.click(screen.getByText('Save sequence'));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(String(url)).toMatch(/\/functions\/v1\/save-flow-sequence$/);
    const body = JSON.parse(String(init?.body));
    expect(body).toMatchObject({
      project_id: ids.project,
      sequence_id: ids.sequence,
      name: 'Lead intake v2',
      expected_updated_at: sequence.updated_at,
    });
    expect(body.flows.map((flow: { id: string }) => flow.id)).toEqual(['flow1', 'flow2']);
    expect(await within(flowGroup('flow2')).findByText('Server says no')).toBeVisible();
    expect(screen.getByRole('alert', { name: 'Problems to fix before saving' })).toHaveTextContent(
      'flow2 · lead_id: Server says no',
    );
  });
});

describe('SequenceEditor conflicts and roles', () => {
  it('tells the user to reload when someone saved in between (409 stale)', async () => {
    fetchMock.mockImplementation(async () =>
      Response.json(
        { error: { code: 'stale', message: 'The sequence changed since you loaded it' } },
        { status: 409 },
      ),
    );
    const { user, onReloadLatest } = setup();
    await user.type(screen.getByLabelText('Name'), '!');
    await user.click(screen.getByText('Save sequence'));
    await user.click(await screen.findByText('Reload the sequence'));
    expect(onReloadLatest).toHaveBeenCalledTimes(1);
  });

  it('shows a member the sequence read only', () => {
    setup({ readOnly: true });
    expect(screen.getByText('Only owners and admins edit sequences.')).toBeVisible();
    expect(screen.queryByText('Add flow')).not.toBeInTheDocument();
    expect(screen.queryByText('Save sequence')).not.toBeInTheDocument();
    expect(within(flowGroup('flow1')).getByLabelText('Source of email')).toBeDisabled();
  });
});
