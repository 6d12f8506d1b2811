import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/test-utils';
import type { Transformer } from '../../api/queries';
import {
  emptyWorkflowFormValues,
  type SaveWorkflowProblem,
  type WorkflowFormValues,
} from '../../api/save-workflow';
import { WorkflowForm } from '../workflow-form';

const transformers: Transformer[] = [
  { id: 'echo-transformer', organisation_id: null, type: 'echo', description: 'Echoes data' },
  { id: 'http-request', organisation_id: null, type: 'http', description: 'Calls a URL' },
];

// Seed 003 iteration 4's example, exactly as the seed spells it.
const SEED_EXAMPLE =
  '{"start_step":"step1","steps":{"step1":{"transformer_id":"echo-transformer","input_map":{"data":"$.job_input.payload"},"next_step":null}},"output_map":{"result":"$.step1.output.echoed_data"}}';

function setup(
  options: {
    defaults?: Partial<WorkflowFormValues>;
    serverProblem?: SaveWorkflowProblem | null;
    transformers?: Transformer[] | undefined;
  } = {},
) {
  const onSubmit = vi.fn();
  const user = userEvent.setup();
  renderWithProviders(
    <WorkflowForm
      defaultValues={{ ...emptyWorkflowFormValues, ...options.defaults }}
      isNew
      transformers={'transformers' in options ? options.transformers : transformers}
      submitLabel="Create workflow"
      onSubmit={onSubmit}
      onCancel={vi.fn()}
      serverProblem={options.serverProblem ?? null}
    />,
  );
  return { user, onSubmit };
}

const definition = () => screen.getByRole<HTMLTextAreaElement>('textbox', { name: /^Definition/ });
const problems = () =>
  screen.queryByRole('list', { name: 'Definition problems' })
    ? within(screen.getByRole('list', { name: 'Definition problems' }))
        .getAllByRole('listitem')
        .map((item) => item.textContent)
    : [];

async function typeDefinition(user: ReturnType<typeof userEvent.setup>, text: string) {
  await user.clear(definition());
  await user.click(definition());
  await user.paste(text);
}

describe('WorkflowForm definition editor', () => {
  it('accepts seed 003’s example definition as written', async () => {
    const { user } = setup();
    await typeDefinition(user, SEED_EXAMPLE);
    expect(screen.getByText('Valid definition · 1 step')).toBeInTheDocument();
    expect(problems()).toEqual([]);
  });

  it('warns, without blocking, about a path that reads $.variables (empty outside a flow sequence)', async () => {
    const { user } = setup();
    await typeDefinition(
      user,
      SEED_EXAMPLE.replace('"data":"$.job_input.payload"', '"data":"$.variables.region"'),
    );
    expect(screen.getByText('Valid definition · 1 step')).toBeInTheDocument();
    const warnings = within(screen.getByRole('list', { name: 'Definition warnings' }))
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(warnings).toEqual([
      expect.stringMatching(/\$\.variables\.region.*started directly.*matches nothing/),
    ]);

    await typeDefinition(user, SEED_EXAMPLE);
    expect(screen.queryByRole('list', { name: 'Definition warnings' })).not.toBeInTheDocument();
  });

  it('shows each problem at its path and line as you type', async () => {
    const { user } = setup();
    await typeDefinition(
      user,
      [
        '{',
        '  "start_step": "step1",',
        '  "steps": {',
        '    "step1": {',
        '      "transformer_id": "nope",',
        '      "input_map": { "data": "$.step2.output" },',
        '      "next_step": "step3"',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(screen.getByText('3 problems in the definition')).toBeInTheDocument();
    expect(problems()).toEqual([
      'Line 7steps.step1.next_stepnext_step "step3" is not one of the steps',
      'Line 5steps.step1.transformer_idTransformer "nope" does not exist or is not available to this organisation',
      'Line 6steps.step1.input_map.data"$.step2.output" starts with "step2", which is neither job_input, config, variables nor a step id',
    ]);
    expect(definition()).toHaveAttribute('aria-invalid', 'true');
  });

  it('points at the line of a JSON syntax error, and the line button moves the cursor there', async () => {
    const { user } = setup();
    await typeDefinition(user, '{\n  "start_step": "step1",\n  "steps": {,}\n}');
    expect(problems()).toEqual(['Line 3Expected a property name in double quotes, found “,”']);
    await user.click(screen.getByRole('button', { name: 'Go to line 3' }));
    expect(definition()).toHaveFocus();
    expect(definition().selectionStart).toBe('{\n  "start_step": "step1",\n  "steps": {'.length);
  });

  it('does not judge transformer ids before they have loaded', async () => {
    const { user } = setup({ transformers: undefined });
    await typeDefinition(user, SEED_EXAMPLE.replace('echo-transformer', 'custom-one'));
    expect(
      screen.getByText(/Valid definition · 1 step \(transformers not checked yet\)/),
    ).toBeInTheDocument();
  });

  it('inserts the example with “Use example”, asking first when it would replace a definition', async () => {
    const { user, onSubmit } = setup({ defaults: { name: 'Echo', key: 'echo' } });
    await user.click(screen.getByRole('button', { name: 'Use example' }));
    expect(JSON.parse(definition().value)).toEqual(JSON.parse(SEED_EXAMPLE));

    await typeDefinition(user, '{"start_step": "x"}');
    await user.click(screen.getByRole('button', { name: 'Use example' }));
    const confirm = screen.getByRole('alertdialog', {
      name: 'Replace the definition with the example?',
    });
    await user.click(within(confirm).getByRole('button', { name: 'Use example' }));
    expect(JSON.parse(definition().value)).toEqual(JSON.parse(SEED_EXAMPLE));

    await user.click(screen.getByRole('button', { name: 'Create workflow' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({
      name: 'Echo',
      key: 'echo',
      max_retries: 3,
      base_ms: 1000,
    });
  });

  it('refuses to submit an invalid definition and says where to look', async () => {
    const { user, onSubmit } = setup({ defaults: { name: 'Echo', key: 'echo' } });
    await typeDefinition(user, SEED_EXAMPLE.replace('echo-transformer', 'nope'));
    await user.click(screen.getByRole('button', { name: 'Create workflow' }));
    expect(
      await screen.findByText('Fix the problem at steps.step1.transformer_id first'),
    ).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('suggests a key from the name and checks the retry policy’s bounds', async () => {
    const { user, onSubmit } = setup({ defaults: { definition: SEED_EXAMPLE } });
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Transcribe a Call!');
    expect(screen.getByRole('textbox', { name: 'Key' })).toHaveValue('transcribe-a-call');
    await user.clear(screen.getByRole('spinbutton', { name: 'Max retries' }));
    await user.type(screen.getByRole('spinbutton', { name: 'Max retries' }), '25');
    await user.clear(screen.getByRole('spinbutton', { name: 'Cap (ms)' }));
    await user.type(screen.getByRole('spinbutton', { name: 'Cap (ms)' }), '500');
    await user.click(screen.getByRole('button', { name: 'Create workflow' }));
    expect(await screen.findByText('At most 20')).toBeInTheDocument();
    expect(
      screen.getByText('The longest delay must be at least the first delay'),
    ).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('shows the server’s problems in a summary', () => {
    setup({
      serverProblem: {
        title: "The workflow wasn't saved",
        messages: ['steps.step1.transformer_id: Transformer "x" does not exist'],
        conflict: false,
      },
    });
    expect(screen.getByRole('alert')).toHaveTextContent(
      'steps.step1.transformer_id: Transformer "x" does not exist',
    );
  });
});
