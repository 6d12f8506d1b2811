import {
  emptySequenceStep,
  emptySequenceTemplateFormValues,
  sequenceTemplateInputSchema,
  type SequenceStepFormValues,
  type SequenceTemplateFormValues,
  type SequenceTemplateInput,
} from '@forkflow/domain/sequence-template';
import { zodResolver } from '@hookform/resolvers/zod';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FormProvider, useForm } from 'react-hook-form';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { AutomatedStepFields } from '../automated-step-fields';

// The builder's automated step (issue 14 §1): pick a workflow by typing, map each of its
// declared inputs from a source, see the domain's problems inline, save what was mapped.
// The fields run inside the builder's form (the sequence template schema); this harness is
// that form without the builder (another feature's), as the route composes them.

const WORKFLOW_ID = '70000000-0000-4000-8000-000000000001';
const PROJECT_ID = '80000000-0000-4000-8000-000000000001';

const workflowRow = {
  id: WORKFLOW_ID,
  name: 'Enrich lead',
  key: 'enrich-lead',
  status: 'active',
  definition: {
    steps: [],
    inputs: [
      { name: 'payload', type: 'string', required: true, description: 'What to enrich' },
      { name: 'count', type: 'integer' },
      { name: 'previous', type: 'object' },
      { name: 'token', type: 'string' },
    ],
  },
};

const fetchMock = vi.fn<typeof fetch>();
const searches: string[] = [];

beforeEach(() => {
  searches.length = 0;
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/rest/v1/workflows') {
      if (url.searchParams.get('select')?.includes('definition')) {
        return postgrestResponse(workflowRow);
      }
      searches.push(url.searchParams.get('name') ?? '');
      const { definition: _definition, status: _status, ...option } = workflowRow;
      return postgrestResponse([option]);
    }
    if (url.pathname === '/rest/v1/projects') {
      return postgrestResponse([
        {
          id: PROJECT_ID,
          name: 'CRM sync',
          variables: [{ name: 'crm_token', type: 'string', required: true, source: 'hardcoded' }],
          api_hosts: { crm: 'https://crm.example.com' },
        },
      ]);
    }
    return postgrestResponse([]);
  });
  vi.stubGlobal('fetch', fetchMock);
});

const automatedStep: SequenceStepFormValues = {
  ...emptySequenceStep,
  name: 'Enrich',
  type: 'automated',
  delay_value: 0,
};

function Harness({
  steps,
  onSubmit,
}: {
  steps: SequenceStepFormValues[];
  onSubmit: (values: SequenceTemplateInput) => void;
}) {
  const form = useForm<SequenceTemplateFormValues, unknown, SequenceTemplateInput>({
    resolver: zodResolver(sequenceTemplateInputSchema),
    defaultValues: { ...emptySequenceTemplateFormValues, name: 'Onboarding', steps },
  });
  return (
    <FormProvider {...form}>
      <form onSubmit={form.handleSubmit(onSubmit)}>
        {steps.map((step, index) =>
          step.type === 'automated' ? (
            <div key={index} role="group" aria-label={`Step ${index + 1}`}>
              <AutomatedStepFields index={index} />
            </div>
          ) : null,
        )}
        <button type="submit">Save</button>
      </form>
    </FormProvider>
  );
}

function setup(steps: SequenceStepFormValues[]) {
  const onSubmit = vi.fn();
  const user = userEvent.setup();
  renderWithProviders(<Harness steps={steps} onSubmit={onSubmit} />);
  return { user, onSubmit };
}

const inputRow = (name: string) => screen.getByRole('group', { name: `Input ${name}` });

describe('automated step in the builder', () => {
  // Many steps of typing: more than the default 5 s on a loaded machine.
  it(
    'maps a workflow’s inputs with the domain’s problems inline, and saves the map',
    { timeout: 30_000 },
    async () => {
      const { user, onSubmit } = setup([
        { ...emptySequenceStep, name: 'Intro call', delay_value: 0 },
        automatedStep,
        { ...emptySequenceStep, name: 'Follow-up call' },
      ]);
      const step = screen.getByRole('group', { name: 'Step 2' });

      // Saving without a workflow is refused next to the picker.
      await user.click(screen.getByRole('button', { name: 'Save' }));
      expect(await within(step).findByText('Choose a workflow')).toBeInTheDocument();
      expect(onSubmit).not.toHaveBeenCalled();

      // Search as you type, by keyboard.
      await user.click(within(step).getByRole('button', { name: /^Workflow/ }));
      await user.type(screen.getByRole('combobox', { name: 'Search workflow' }), 'enr');
      await waitFor(() => expect(searches).toContain('ilike.%enr%'));
      await screen.findByRole('option', { name: /Enrich lead/ });
      await user.keyboard('{Enter}');

      // One row per declared input; the required one says so until it is mapped.
      const payload = await waitFor(() => inputRow('payload'));
      expect(payload).toHaveTextContent('Required');
      expect(payload).toHaveTextContent('payload is required: choose where it comes from');
      await user.selectOptions(
        within(payload).getByLabelText(/Source of payload/),
        'Restaurant field',
      );
      await user.selectOptions(
        within(payload).getByLabelText('Restaurant field for payload'),
        'City',
      );
      expect(inputRow('payload')).not.toHaveTextContent('is required');

      // A fixed value is checked against the input's type as it is typed.
      const count = inputRow('count');
      await user.selectOptions(within(count).getByLabelText(/Source of count/), 'Fixed value');
      await user.type(within(count).getByLabelText('Fixed value for count'), 'x');
      expect(inputRow('count')).toHaveTextContent(/integer/i);
      await user.clear(within(count).getByLabelText('Fixed value for count'));
      await user.type(within(count).getByLabelText('Fixed value for count'), '5');
      await waitFor(() => expect(within(inputRow('count')).queryByRole('listitem')).toBeNull());

      // No automated step before this one: an earlier step's output cannot be chosen.
      const previous = inputRow('previous');
      expect(
        within(previous).getByRole('option', { name: /Earlier step’s output/ }),
      ).toBeDisabled();

      // A project variable, from the organisation's projects.
      const token = inputRow('token');
      await user.selectOptions(within(token).getByLabelText(/Source of token/), 'Project variable');
      await user.selectOptions(
        within(token).getByLabelText('Project variable for token'),
        `${PROJECT_ID}/crm_token`,
      );

      await user.click(screen.getByRole('button', { name: 'Save' }));
      await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
      const saved = onSubmit.mock.calls[0]![0];
      expect(saved.steps[1]).toMatchObject({
        name: 'Enrich',
        type: 'automated',
        workflow_id: WORKFLOW_ID,
        input_map: {
          payload: { source: 'restaurant', field: 'city' },
          count: { source: 'value', value: 5 },
          token: { source: 'variable', project_id: PROJECT_ID, name: 'crm_token' },
        },
        custom_message: null,
      });
      // The steps around it stay manual.
      expect(saved.steps[0]).toMatchObject({ type: 'call', workflow_id: null, input_map: {} });
    },
  );

  it(
    'a later automated step may read an earlier one’s output at a path',
    { timeout: 30_000 },
    async () => {
      const { user, onSubmit } = setup([
        { ...emptySequenceStep, name: 'Intro call', delay_value: 0 },
        automatedStep,
        { ...automatedStep, name: 'Summarise' },
      ]);
      for (const name of ['Step 2', 'Step 3']) {
        const step = screen.getByRole('group', { name });
        await user.click(within(step).getByRole('button', { name: /^Workflow/ }));
        await user.click(await screen.findByRole('option', { name: /Enrich lead/ }));
      }
      const step3 = screen.getByRole('group', { name: 'Step 3' });
      const previous = await waitFor(() =>
        within(step3).getByRole('group', { name: 'Input previous' }),
      );
      await user.selectOptions(
        within(previous).getByLabelText(/Source of previous/),
        'Earlier step’s output',
      );
      expect(within(previous).getByLabelText('Earlier step for previous')).toHaveDisplayValue(
        'Step 2: Enrich',
      );
      await user.type(within(previous).getByLabelText('Path in its output (optional)'), 'summary');
      expect(within(step3).getByRole('group', { name: 'Input previous' })).toHaveTextContent(
        /previous:/,
      );
      await user.clear(within(previous).getByLabelText('Path in its output (optional)'));
      await user.type(
        within(previous).getByLabelText('Path in its output (optional)'),
        '$.summary',
      );

      // Map the required inputs of both steps, then save.
      for (const name of ['Step 2', 'Step 3']) {
        const row = within(screen.getByRole('group', { name })).getByRole('group', {
          name: 'Input payload',
        });
        await user.selectOptions(within(row).getByLabelText(/Source of payload/), 'Rep field');
      }
      await user.click(screen.getByRole('button', { name: 'Save' }));
      await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
      expect(onSubmit.mock.calls[0]![0].steps[2].input_map).toEqual({
        payload: { source: 'rep', field: 'email' },
        previous: { source: 'step', step_order: 2, path: '$.summary' },
      });
    },
  );
});
