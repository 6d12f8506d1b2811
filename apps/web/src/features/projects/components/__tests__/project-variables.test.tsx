import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { LinkedEnvironment, Project } from '../../api/queries';
import { projectInputSchema, toProjectFormValues } from '../../api/save-project';
import { ProjectSettingsForm } from '../project-settings-form';

const staging: LinkedEnvironment = {
  id: '50000000-0000-4000-8000-000000000001',
  name: 'staging',
  api_hosts: { crm_api: 'https://crm.staging.example' },
  variables: [
    { name: 'base_url', secret: false, value: 'https://staging.example', has_value: true },
    { name: 'api_key', secret: true, value: null, has_value: true },
  ],
};

const project: Project = {
  id: '60000000-0000-4000-8000-000000000001',
  organisation_id: testOrganisation.id,
  slug: 'lead-enrichment',
  name: 'Lead enrichment',
  description: null,
  status: 'active',
  environment_id: staging.id,
  api_hosts: { crm_api: 'https://crm.example' },
  variables: [
    {
      name: 'token',
      type: 'string',
      required: true,
      source: 'environment',
      environment_variable: 'api_key',
    },
    { name: 'region', type: 'string', required: false, source: 'hardcoded', value: 'eu' },
    {
      name: 'legacy',
      type: 'string',
      required: false,
      source: 'environment',
      environment_variable: 'old_key',
    },
  ],
  workflow_ids: [],
  created_at: '2026-12-01T09:00:00Z',
  updated_at: '2026-12-01T09:00:00Z',
};

function setup() {
  const onSubmit = vi.fn();
  const user = userEvent.setup();
  renderWithProviders(
    <ProjectSettingsForm
      defaultValues={toProjectFormValues(project)}
      environment={staging}
      workflows={[]}
      onSubmit={onSubmit}
    />,
  );
  const row = (name: string) => screen.getByRole('group', { name: new RegExp(`\\(${name}\\)$`) });
  return { user, onSubmit, row };
}

const optionTexts = (select: HTMLElement) =>
  within(select)
    .getAllByRole('option')
    .map((option) => option.textContent);

describe('ProjectVariables', () => {
  it('offers the environment’s variables with their values, a secret masked', () => {
    const { row } = setup();
    const select = within(row('token')).getByLabelText('Variable of staging');
    expect(optionTexts(select)).toEqual([
      'Pick a variable of staging…',
      'base_url = https://staging.example',
      'api_key = ••••',
    ]);
    expect(select).toHaveDisplayValue('api_key = ••••');
    expect(within(row('token')).getByText(/Value in staging/)).toHaveTextContent(
      'Value in staging: ••••',
    );
  });

  it('flags a variable pointing at one the environment lacks', () => {
    const { row } = setup();
    expect(within(row('legacy')).getByText(/staging has no variable old_key/)).toBeVisible();
    expect(within(row('legacy')).getByLabelText('Variable of staging')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
  });

  it('switches between a hardcoded value and an environment variable without losing either', async () => {
    const { user, row } = setup();
    expect(within(row('region')).getByLabelText('Value')).toHaveDisplayValue('eu');

    await user.click(within(row('region')).getByRole('radio', { name: 'Environment variable' }));
    expect(within(row('region')).queryByLabelText('Value')).not.toBeInTheDocument();
    expect(within(row('region')).getByLabelText('Variable of staging')).toBeInTheDocument();

    await user.click(within(row('region')).getByRole('radio', { name: 'Hardcoded value' }));
    expect(within(row('region')).getByLabelText('Value')).toHaveDisplayValue('eu');
  });

  it('saves a variable switched to the environment as reading the picked variable', async () => {
    const { user, row, onSubmit } = setup();
    await user.click(within(row('region')).getByRole('radio', { name: 'Environment variable' }));
    await user.selectOptions(
      within(row('region')).getByLabelText('Variable of staging'),
      'base_url',
    );
    expect(within(row('region')).getByText(/Value in staging/)).toHaveTextContent(
      'https://staging.example',
    );
    await user.click(screen.getByRole('button', { name: 'Save project' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const { variables } = projectInputSchema.parse(onSubmit.mock.calls[0]?.[0]);
    expect(variables[1]).toEqual({
      name: 'region',
      type: 'string',
      description: null,
      required: false,
      source: 'environment',
      environment_variable: 'base_url',
    });
  });

  it('a number variable takes a number', async () => {
    const { user, row, onSubmit } = setup();
    const type = within(row('region')).getByLabelText('Type');
    await user.selectOptions(type, 'number');
    const value = within(row('region')).getByLabelText('Value');
    await user.click(screen.getByRole('button', { name: 'Save project' }));
    await waitFor(() => expect(value).toHaveAccessibleDescription('Enter a number'));
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
