import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FunctionError } from '@/lib/edge-functions';
import { describeServerProblem } from '@/lib/field-errors';
import { supabase } from '@/lib/supabase';
import { renderWithProviders, testOrganisation } from '@/testing/test-utils';
import type { Environment } from '../../api/queries';
import {
  environmentFieldFor,
  saveEnvironment,
  toEnvironmentFormValues,
} from '../../api/save-environment';
import { EnvironmentForm } from '../environment-form';

const staging: Environment = {
  id: '50000000-0000-4000-8000-000000000001',
  organisation_id: testOrganisation.id,
  name: 'staging',
  description: null,
  api_hosts: { crm_api: 'https://crm.staging.example' },
  variables: [
    { name: 'base_url', secret: false, value: 'https://staging.example', has_value: true },
    // As every API returns a secret: no value, only that one is stored.
    { name: 'api_key', secret: true, value: null, has_value: true },
  ],
  created_at: '2026-12-01T09:00:00Z',
  updated_at: '2026-12-01T09:00:00Z',
};

const fetchMock = vi.fn<typeof fetch>();
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The body of the n-th request to save-environment. */
async function savedBody(index = 0) {
  const [input, init] = fetchMock.mock.calls[index] ?? [];
  expect(String(input instanceof Request ? input.url : input)).toMatch(
    /\/functions\/v1\/save-environment$/,
  );
  return JSON.parse(input instanceof Request ? await input.text() : String(init?.body)) as {
    variables: Array<Record<string, unknown>>;
  };
}

beforeEach(() => {
  fetchMock.mockReset();
  fetchMock.mockResolvedValue(json(200, staging));
  vi.stubGlobal('fetch', fetchMock);
  vi.spyOn(supabase.auth, 'getSession').mockResolvedValue({
    data: { session: null },
    error: null,
  });
});

function setup(readOnly = false) {
  const user = userEvent.setup();
  renderWithProviders(
    <EnvironmentForm
      defaultValues={toEnvironmentFormValues(staging)}
      submitLabel="Save environment"
      readOnly={readOnly}
      onSubmit={(data) =>
        void saveEnvironment({
          organisationId: testOrganisation.id,
          environmentId: staging.id,
          data,
        })
      }
    />,
  );
  const secretRow = () => screen.getByRole('group', { name: 'Variable 2 (api_key)' });
  return { user, secretRow };
}

describe('EnvironmentForm', () => {
  it('shows a stored secret as •••• with Replace, and a plain value as it is', () => {
    const { secretRow } = setup();
    expect(within(secretRow()).getByText('••••')).toBeInTheDocument();
    expect(within(secretRow()).queryByRole('textbox')).toHaveDisplayValue('api_key');
    expect(within(secretRow()).getByRole('button', { name: 'Replace' })).toBeInTheDocument();
    const plain = screen.getByRole('group', { name: 'Variable 1 (base_url)' });
    expect(within(plain).getByLabelText('Value')).toHaveDisplayValue('https://staging.example');
  });

  it('saving without replacing a secret sends it without a value, so the stored one is kept', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'Save environment' }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    const body = await savedBody();
    expect(body.variables).toEqual([
      { name: 'base_url', secret: false, value: 'https://staging.example' },
      { name: 'api_key', secret: true },
    ]);
  });

  it('Replace asks for the new value and sends it', async () => {
    const { user, secretRow } = setup();
    await user.click(within(secretRow()).getByRole('button', { name: 'Replace' }));
    const input = within(secretRow()).getByLabelText('New secret value');
    input.focus();
    await user.paste('sk_live_2');
    await user.click(screen.getByRole('button', { name: 'Save environment' }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    expect((await savedBody()).variables[1]).toEqual({
      name: 'api_key',
      secret: true,
      value: 'sk_live_2',
    });
  });

  it('renaming a kept secret asks for its value again and saves nothing', async () => {
    const { user, secretRow } = setup();
    const name = within(secretRow()).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'token');
    await user.click(screen.getByRole('button', { name: 'Save environment' }));
    expect(await screen.findByText(/Renaming a secret needs its value again/)).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('a member sees the values and can change nothing', () => {
    setup(true);
    expect(screen.queryByRole('button', { name: 'Save environment' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Replace' })).not.toBeInTheDocument();
    expect(screen.getByDisplayValue('https://staging.example')).toBeDisabled();
  });

  it('shows a refusal’s details at their fields and in a summary', () => {
    const values = toEnvironmentFormValues(staging);
    const refusal = new FunctionError('Some values were not accepted', {
      status: 400,
      code: 'invalid_input',
      details: [
        { path: 'variables.0.value', code: 'too_big', message: 'At most 10000 characters' },
        { path: 'api_hosts.crm_api', code: 'invalid', message: 'An API host is an http(s) URL' },
        { path: 'organisation_id', code: 'invalid', message: 'must be a UUID' },
      ],
    });
    renderWithProviders(
      <EnvironmentForm
        defaultValues={values}
        submitLabel="Save environment"
        onSubmit={vi.fn()}
        serverProblem={describeServerProblem(
          refusal,
          "The environment wasn't saved",
          environmentFieldFor(values),
        )}
      />,
    );
    const summary = screen.getByRole('alert');
    expect(
      within(summary)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      'At most 10000 characters',
      'An API host is an http(s) URL',
      'organisation_id: must be a UUID',
    ]);
    const plain = screen.getByRole('group', { name: 'Variable 1 (base_url)' });
    expect(within(plain).getByLabelText('Value')).toHaveAccessibleDescription(
      'At most 10000 characters',
    );
    expect(
      within(screen.getByRole('group', { name: 'API host 1' })).getByLabelText('URL'),
    ).toHaveAccessibleDescription('An API host is an http(s) URL');
  });
});
