import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/test-utils';
import type { Transformer } from '../../../api/queries';
import { emptyWorkflowFormValues } from '../../../api/save-workflow';
import { WorkflowForm } from '../../workflow-form';
import { mockReactFlow } from './mock-react-flow';

beforeAll(mockReactFlow);

// Generous: the first lazy import of the canvas chunk (React Flow) is slow on a busy machine.

const transformers: Transformer[] = [
  { id: 'echo-transformer', organisation_id: null, type: 'echo', description: 'Echoes data' },
  { id: 'http-request', organisation_id: null, type: 'http', description: 'Calls a URL' },
];

const DEFINITION = JSON.stringify(
  {
    start_step: 'first',
    steps: {
      first: {
        transformer_id: 'echo-transformer',
        input_map: { data: '$.job_input' },
        next_step: 'second',
      },
      second: { transformer_id: 'echo-transformer', next_step: null },
    },
  },
  null,
  2,
);

function setup(definition: string) {
  const user = userEvent.setup();
  renderWithProviders(
    <WorkflowForm
      defaultValues={{ ...emptyWorkflowFormValues, name: 'Leads', key: 'leads', definition }}
      isNew
      transformers={transformers}
      submitLabel="Create workflow"
      onSubmit={vi.fn()}
      onCancel={vi.fn()}
      serverProblem={null}
    />,
  );
  return user;
}

const jsonText = () => (screen.getByLabelText(/Definition \(JSON\)/) as HTMLTextAreaElement).value;

describe('Canvas | Form | JSON', { timeout: 20_000 }, () => {
  it('edits on the canvas show in the JSON, and JSON edits on the canvas', async () => {
    const user = setup(DEFINITION);
    await user.click(screen.getByRole('tab', { name: 'Canvas' }));
    // The canvas chunk (React Flow) loads lazily: the first import takes a while in jsdom.
    const canvas = await screen.findByRole(
      'region',
      { name: 'Workflow canvas' },
      { timeout: 10_000 },
    );
    await user.click(await within(canvas).findByRole('button', { name: 'Add a step after first' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a step after first' });
    await user.clear(within(dialog).getByLabelText(/New step id/));
    await user.type(within(dialog).getByLabelText(/New step id/), 'middle');
    await user.click(within(dialog).getByRole('button', { name: 'Add step' }));

    await user.click(screen.getByRole('tab', { name: 'JSON' }));
    const json = JSON.parse(jsonText()) as { steps: Record<string, { next_step?: string | null }> };
    expect(json.steps.first?.next_step).toBe('middle');
    expect(json.steps.middle).toEqual({ transformer_id: 'echo-transformer', next_step: 'second' });
    // Keys stay in the order written: start_step before steps.
    expect(Object.keys(JSON.parse(jsonText()) as object)).toEqual(['start_step', 'steps']);

    await user.clear(screen.getByLabelText(/Definition \(JSON\)/));
    await user.click(screen.getByLabelText(/Definition \(JSON\)/));
    await user.paste(DEFINITION.replaceAll('second', 'last'));
    await user.click(screen.getByRole('tab', { name: 'Form' }));
    expect(
      await screen.findByRole('region', { name: 'Step last' }, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Step middle' })).not.toBeInTheDocument();
  });

  it('refuses to leave the JSON while it does not parse, saying why', async () => {
    const user = setup('{ "start_step": ');
    await user.click(screen.getByRole('tab', { name: 'Canvas' }));
    expect(screen.getByRole('alert')).toHaveTextContent(
      /Can't show the canvas: The JSON does not parse/,
    );
    expect(screen.getByRole('tab', { name: 'JSON' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByRole('region', { name: 'Workflow canvas' })).not.toBeInTheDocument();
  });

  it('renames a step in the Form view and the JSON follows', async () => {
    const user = setup(DEFINITION);
    await user.click(screen.getByRole('tab', { name: 'Form' }));
    const panel = await screen.findByRole('region', { name: 'Step second' }, { timeout: 10_000 });
    await user.clear(within(panel).getByLabelText(/Step id/));
    await user.type(within(panel).getByLabelText(/Step id/), 'done{Enter}');
    await waitFor(() =>
      expect(screen.getByRole('region', { name: 'Step done' })).toBeInTheDocument(),
    );
    await user.click(screen.getByRole('tab', { name: 'JSON' }));
    expect(JSON.parse(jsonText())).toMatchObject({ steps: { first: { next_step: 'done' } } });
  });
});
