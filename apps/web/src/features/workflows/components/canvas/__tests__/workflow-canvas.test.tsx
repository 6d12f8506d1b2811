import type { WorkflowDefinition } from '@forkflow/domain/workflow-definition';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CurrentOrganisation } from '@/lib/organisation';
import { renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { Transformer } from '../../../api/queries';
import { FlowCanvas } from '../flow-canvas';
import { WorkflowCanvas } from '../workflow-canvas';
import { mockReactFlow } from './mock-react-flow';

beforeAll(mockReactFlow);

// Generous timeouts: React Flow renders slowly in jsdom on a busy machine.

const transformers: Transformer[] = [
  { id: 'echo-transformer', organisation_id: null, type: 'echo', description: 'Echoes data' },
  { id: 'http-request', organisation_id: null, type: 'http', description: 'Calls a URL' },
];

const branching: WorkflowDefinition = {
  start_step: 'score',
  steps: {
    score: {
      transformer_id: 'echo-transformer',
      input_map: { data: '$.job_input.lead' },
      next: [{ when: '@.echoed_data.score > 50', step: 'call', label: 'hot lead' }],
      default: 'nurture',
    },
    call: {
      transformer_id: 'http-request',
      input_map: { lead: '$.score.output' },
      next_step: null,
    },
    nurture: { transformer_id: 'echo-transformer', next_step: null },
  },
};

function Editor({
  initial,
  onChange,
}: {
  initial: WorkflowDefinition;
  onChange?: (d: WorkflowDefinition) => void;
}) {
  const [definition, setDefinition] = useState(initial);
  return (
    <>
      <WorkflowCanvas
        definition={definition}
        transformers={transformers}
        onChange={(next) => {
          setDefinition(next);
          onChange?.(next);
        }}
      />
      <output aria-label="Definition">{JSON.stringify(definition)}</output>
    </>
  );
}

const definitionShown = () =>
  JSON.parse(screen.getByLabelText('Definition').textContent ?? '{}') as WorkflowDefinition;

describe('WorkflowCanvas', { timeout: 20_000 }, () => {
  it('draws each step with its transformer and inputs, and labelled edges', async () => {
    renderWithProviders(<WorkflowCanvas definition={branching} transformers={transformers} />);
    const canvas = screen.getByRole('region', { name: 'Workflow canvas' });
    const score = await within(canvas).findByRole('group', {
      name: /^Step score, start, transformer echo-transformer/,
    });
    expect(within(score).getByText('Start')).toBeInTheDocument();
    expect(within(score).getByText('data ← $.job_input.lead')).toBeInTheDocument();
    expect(
      within(canvas).getByRole('group', { name: /^Step call, transformer http-request/ }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(canvas).getByRole('group', {
          name: 'score to call when @.echoed_data.score > 50 (hot lead)',
        }),
      ).toBeInTheDocument(),
    );
    expect(
      within(canvas).getByRole('group', { name: 'score to nurture otherwise' }),
    ).toBeInTheDocument();
    expect(within(canvas).getByRole('group', { name: 'call to the end' })).toBeInTheDocument();
    expect(within(canvas).getByText('hot lead')).toBeInTheDocument();
    expect(within(canvas).getByText('otherwise')).toBeInTheDocument();
    // Read-only: no "+" and no panel.
    expect(
      within(canvas).queryByRole('button', { name: /Add a step after/ }),
    ).not.toBeInTheDocument();
  });

  it('removes a focused step with Delete and brings it back with Undo', async () => {
    const user = userEvent.setup();
    const linear: WorkflowDefinition = {
      start_step: 'a',
      steps: {
        a: { transformer_id: 'echo-transformer', next_step: 'b' },
        b: { transformer_id: 'echo-transformer', next_step: 'c' },
        c: { transformer_id: 'echo-transformer', next_step: null },
      },
    };
    renderWithProviders(<Editor initial={linear} />);
    const node = await screen.findByRole('group', { name: /^Step b,/ });
    act(() => node.focus());
    await user.keyboard('{Delete}');
    await waitFor(() =>
      expect(screen.queryByRole('group', { name: /^Step b,/ })).not.toBeInTheDocument(),
    );
    expect(definitionShown().steps.a?.next_step).toBe('c');
    expect(screen.getByText('Step b removed')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(await screen.findByRole('group', { name: /^Step b,/ })).toBeInTheDocument();
    expect(definitionShown()).toEqual(linear);
  });

  it('opens the panel with Enter and reconnects from the Next select', async () => {
    const user = userEvent.setup();
    renderWithProviders(<Editor initial={branching} />);
    const node = await screen.findByRole('group', { name: /^Step score,/ });
    act(() => node.focus());
    await user.keyboard('{Enter}');
    const panel = await screen.findByRole('region', { name: 'Step score' });
    await user.selectOptions(within(panel).getByLabelText('Otherwise (no branch matches)'), '');
    expect(definitionShown().steps.score?.default).toBeNull();
    await user.clear(within(panel).getByLabelText('Branch 1 condition'));
    await user.type(within(panel).getByLabelText('Branch 1 condition'), '@.x ==');
    // The domain's validation says the condition does not parse, on the edge and in the panel.
    expect(
      await within(panel).findByText(/not one filter|parse|Expected|unexpected/i),
    ).toBeInTheDocument();
  });

  it('adds a step after another from the "+" button', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    renderWithProviders(<Editor initial={branching} onChange={onChange} />);
    await user.click(await screen.findByRole('button', { name: 'Add a step after call' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a step after call' });
    await user.clear(within(dialog).getByLabelText(/New step id/));
    await user.type(within(dialog).getByLabelText(/New step id/), 'log');
    await user.selectOptions(
      within(dialog).getByLabelText(/New step transformer/),
      'echo-transformer',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Add step' }));
    expect(definitionShown().steps.call?.next_step).toBe('log');
    expect(definitionShown().steps.log).toEqual({
      transformer_id: 'echo-transformer',
      next_step: null,
    });
    expect(await screen.findByRole('group', { name: /^Step log,/ })).toBeInTheDocument();
  });

  it('adds a branch with its condition and target from the panel', async () => {
    const user = userEvent.setup();
    renderWithProviders(<Editor initial={branching} />);
    // A click without the mousedown d3-zoom reads (jsdom events have no view).
    fireEvent.click(await screen.findByRole('group', { name: /^Step call,/ }));
    const panel = await screen.findByRole('region', { name: 'Step call' });
    await user.type(within(panel).getByLabelText(/New branch condition/), '@.status == 200');
    await user.selectOptions(within(panel).getByLabelText('New branch goes to'), 'nurture');
    await user.click(within(panel).getByRole('button', { name: 'Add branch' }));
    expect(definitionShown().steps.call).toMatchObject({
      next: [{ when: '@.status == 200', step: 'nurture' }],
      default: null,
    });
  });
});

describe("the step panel's Test this step", { timeout: 20_000 }, () => {
  afterEach(() => vi.unstubAllGlobals());

  const owner = { ...testOrganisation, role: 'owner' as const };

  async function openPanel(organisation: CurrentOrganisation = owner) {
    renderWithProviders(<Editor initial={branching} />, { organisation });
    fireEvent.click(await screen.findByRole('group', { name: /^Step score,/ }));
    return screen.findByRole('region', { name: 'Step score' });
  }

  it('is closed until opened, then tests the selected step through test-step', async () => {
    const fetchMock = vi.fn<typeof fetch>(
      async () =>
        new Response(JSON.stringify({ input: { data: { score: 80 } }, output: { ok: 1 } }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const user = userEvent.setup();
    const panel = await openPanel();
    const toggle = within(panel).getByRole('button', { name: 'Test this step' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    // Closed: the test form is not even mounted.
    expect(within(panel).queryByLabelText('Sample input (JSON)')).not.toBeInTheDocument();

    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const sample = within(panel).getByLabelText('Sample input (JSON)');
    await user.clear(sample);
    await user.click(sample);
    await user.paste('{"job_input": {"lead": {"score": 80}}}');
    await user.click(within(panel).getByRole('button', { name: 'Run test' }));
    expect(await within(panel).findByRole('figure', { name: 'Output' })).toBeInTheDocument();

    const call = fetchMock.mock.calls.find(([input]) =>
      String(input instanceof Request ? input.url : input).includes('/functions/v1/test-step'),
    );
    expect(call).toBeDefined();
    const sent = (
      call![0] instanceof Request
        ? await call![0].clone().json()
        : JSON.parse(String(call![1]?.body))
    ) as Record<string, unknown>;
    expect(sent).toMatchObject({
      organisation_id: owner.id,
      step_id: 'score',
      step: { transformer_id: 'echo-transformer', input_map: { data: '$.job_input.lead' } },
      sample: { job_input: { lead: { score: 80 } } },
    });

    await user.click(toggle);
    expect(within(panel).queryByLabelText('Sample input (JSON)')).not.toBeInTheDocument();
  });

  it('is not offered to a member (test-step refuses them)', async () => {
    const panel = await openPanel({ ...testOrganisation, role: 'member' });
    expect(within(panel).getByLabelText('Step id')).toBeInTheDocument();
    expect(within(panel).queryByRole('button', { name: 'Test this step' })).not.toBeInTheDocument();
  });
});

describe('FlowCanvas with a job', { timeout: 20_000 }, () => {
  it('says each step’s state in words and marks the edges taken', async () => {
    renderWithProviders(
      <FlowCanvas
        definition={branching}
        label="Job path"
        statuses={
          new Map([
            ['score', 'succeeded'],
            ['call', 'succeeded'],
            ['nurture', 'not_run'],
          ])
        }
        path={new Set(['score:branch:0', 'call:next'])}
        endReached
      />,
    );
    expect(
      await screen.findByRole('group', { name: /^Step call, transformer http-request, Succeeded/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('group', { name: /^Step nurture, transformer echo-transformer, Not run/ }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.getByRole('group', { name: /^score to call when .*, taken$/ }),
      ).toBeInTheDocument(),
    );
    expect(screen.getByRole('group', { name: 'score to nurture otherwise' })).toBeInTheDocument();
  });
});
