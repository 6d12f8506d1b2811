import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/test-utils';
import type { Transformer } from '../../api/queries';
import { emptyWorkflowFormValues } from '../../api/save-workflow';
import { WorkflowForm } from '../workflow-form';

const transformers: Transformer[] = [
  { id: 'echo-transformer', organisation_id: null, type: 'echo', description: 'Echoes data' },
];

const STEPS = {
  start_step: 'step1',
  steps: { step1: { transformer_id: 'echo-transformer', input_map: { data: '$.job_input.n' } } },
};

function setup(definition: unknown = STEPS) {
  const user = userEvent.setup();
  renderWithProviders(
    <WorkflowForm
      defaultValues={{ ...emptyWorkflowFormValues, definition: JSON.stringify(definition) }}
      isNew
      transformers={transformers}
      submitLabel="Create workflow"
      onSubmit={vi.fn()}
      onCancel={vi.fn()}
      serverProblem={null}
    />,
  );
  const section = screen.getByRole('region', { name: 'Inputs' });
  return { user, section };
}

const definitionBox = () =>
  screen.getByRole<HTMLTextAreaElement>('textbox', { name: /^Definition/ });
const definitionJson = () => JSON.parse(definitionBox().value) as { inputs?: unknown };

describe('WorkflowForm inputs table', () => {
  it('writes a new input into the definition JSON, keeping a half-typed default as typed', async () => {
    const { user, section } = setup();
    await user.click(within(section).getByRole('button', { name: 'Add input' }));
    await user.type(within(section).getByRole('textbox', { name: 'Input 1 name' }), 'n');
    await user.selectOptions(
      within(section).getByRole('combobox', { name: 'Input 1 type' }),
      'number',
    );
    const defaultBox = within(section).getByRole('textbox', { name: 'Input 1 default' });
    await user.type(defaultBox, '1.');
    expect(defaultBox).toHaveValue('1.');
    await user.type(defaultBox, '5');
    expect(definitionJson()).toEqual({
      ...STEPS,
      inputs: [{ name: 'n', type: 'number', default: 1.5 }],
    });
  });

  it('writes required and description, and removes an input', async () => {
    const { user, section } = setup({ ...STEPS, inputs: [{ name: 'n', type: 'number' }] });
    await user.click(within(section).getByRole('checkbox', { name: 'Input 1 required' }));
    await user.click(within(section).getByRole('textbox', { name: 'Input 1 description' }));
    await user.paste('How many');
    expect(definitionJson().inputs).toEqual([
      { name: 'n', type: 'number', required: true, description: 'How many' },
    ]);
    await user.click(within(section).getByRole('button', { name: 'Remove n' }));
    expect(definitionJson()).toEqual(STEPS);
  });

  it("declares a type's options: range for an integer, accepted types for a file", async () => {
    const { user, section } = setup({ ...STEPS, inputs: [{ name: 'n', type: 'integer' }] });
    expect(within(section).queryByRole('combobox', { name: 'Input 1 format' })).toBeNull();
    await user.type(within(section).getByRole('textbox', { name: 'Input 1 min' }), '1');
    await user.type(within(section).getByRole('textbox', { name: 'Input 1 max' }), '9');
    expect(definitionJson().inputs).toEqual([
      { name: 'n', type: 'integer', minimum: 1, maximum: 9 },
    ]);
    await user.selectOptions(
      within(section).getByRole('combobox', { name: 'Input 1 type' }),
      'file',
    );
    await user.type(within(section).getByRole('textbox', { name: 'Input 1 accept' }), 'audio/*');
    expect(definitionJson().inputs).toEqual([{ name: 'n', type: 'file', accept: 'audio/*' }]);
  });

  it('refills from the JSON when the definition is edited there', () => {
    const { section } = setup();
    fireEvent.change(definitionBox(), {
      target: {
        value: JSON.stringify({
          ...STEPS,
          inputs: [{ name: 'tags', type: 'array', default: ['a'] }],
        }),
      },
    });
    expect(within(section).getByRole('textbox', { name: 'Input 1 name' })).toHaveValue('tags');
    expect(within(section).getByRole('combobox', { name: 'Input 1 type' })).toHaveValue('array');
    expect(within(section).getByRole('textbox', { name: 'Input 1 default' })).toHaveValue('["a"]');

    fireEvent.change(definitionBox(), { target: { value: '{"start_step": ' } });
    expect(within(section).queryByRole('table')).toBeNull();
    expect(section).toHaveTextContent('Edit the inputs in the definition JSON');
  });

  it('leaves a default that is not of its type for the definition check to name', async () => {
    const { user, section } = setup({ ...STEPS, inputs: [{ name: 'n', type: 'number' }] });
    await user.type(within(section).getByRole('textbox', { name: 'Input 1 default' }), 'abc');
    expect(definitionJson().inputs).toEqual([{ name: 'n', type: 'number', default: 'abc' }]);
    const problems = within(screen.getByRole('list', { name: 'Definition problems' }))
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(problems).toEqual([
      expect.stringContaining('The default of n must be a number, not a string'),
    ]);
  });
});
