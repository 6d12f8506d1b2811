import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import type { TransformerRow } from '../../api/transformers-queries';
import { TransformersSettings } from '../transformers-settings';

const ORG = '00000000-0000-4000-8000-000000000001';
const builtin = (id: string, type: string, target: string): TransformerRow => ({
  id,
  organisation_id: null,
  type,
  description: `The ${type} built-in`,
  config: {},
  target_function: target,
  timeout_ms: 30000,
  retired_at: null,
});
const own: TransformerRow = {
  ...builtin('crm-webhook', 'http', 'execute-http-request'),
  organisation_id: ORG,
  description: 'Our CRM',
  config: { method: 'POST' },
};

const fetchMock = vi.fn<typeof fetch>();
let rows: TransformerRow[] = [];
const rpcCalls = (name: string) =>
  fetchMock.mock.calls.filter(([input]) =>
    String(input instanceof Request ? input.url : input).includes(`/rpc/${name}`),
  );
const bodyOf = (call: Parameters<typeof fetch>) => JSON.parse(String(call[1]?.body)) as unknown;

beforeEach(() => {
  rows = [
    builtin('echo-transformer', 'echo', 'execute-echo'),
    {
      ...builtin('http-request', 'http', 'execute-http-request'),
      config_schema: {
        fields: [
          { name: 'method', type: 'string', enum: ['GET', 'POST'] },
          { name: 'headers', type: 'object' },
        ],
      },
    },
    own,
  ];
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (input) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/rpc/save_transformer')) return postgrestResponse({ ...own, id: 'new-one' });
    if (url.includes('/rpc/set_transformer_retired'))
      return postgrestResponse({ ...own, retired_at: '2026-12-04T00:00:00Z' });
    return postgrestResponse(rows);
  });
  vi.stubGlobal('fetch', fetchMock);
});

describe('TransformersSettings', () => {
  it("shows the organisation's own and the built-ins, with what uses each of its own", async () => {
    renderWithProviders(
      <TransformersSettings
        organisationId={ORG}
        canEdit
        renderUsedBy={(id) => <p>used-by {id}</p>}
      />,
    );
    const ownSection = await screen.findByRole('region', {
      name: 'This organisation’s transformers',
    });
    expect(within(ownSection).getByText('crm-webhook')).toBeInTheDocument();
    expect(within(ownSection).getByText('used-by crm-webhook')).toBeInTheDocument();
    const builtIns = screen.getByRole('region', { name: 'Built-in' });
    expect(within(builtIns).getByText('echo-transformer')).toBeInTheDocument();
    expect(within(builtIns).queryByRole('button')).not.toBeInTheDocument();
  });

  it('creates a CRM webhook from its preset: type http, POST with headers', async () => {
    const user = userEvent.setup();
    renderWithProviders(<TransformersSettings organisationId={ORG} canEdit />);
    await user.click(await screen.findByRole('button', { name: 'New transformer' }));
    const dialog = screen.getByRole('dialog', { name: 'New transformer' });
    await user.selectOptions(within(dialog).getByLabelText('Start from'), 'crm-webhook');
    expect(within(dialog).getByLabelText(/^Type/)).toHaveValue('http');
    expect(dialog).toHaveTextContent(
      'Type http reads: method (string: GET, POST); headers (object).',
    );
    await user.clear(within(dialog).getByLabelText(/^Id/));
    await user.type(within(dialog).getByLabelText(/^Id/), 'crm-hook');
    await user.click(within(dialog).getByRole('button', { name: 'Create transformer' }));
    await waitFor(() => expect(rpcCalls('save_transformer')).toHaveLength(1));
    expect(bodyOf(rpcCalls('save_transformer')[0]!)).toMatchObject({
      p_organisation_id: ORG,
      p_id: 'crm-hook',
      p_type: 'http',
      p_config: { method: 'POST', headers: { 'content-type': 'application/json' } },
      p_timeout_ms: 30000,
    });
  });

  it('checks the config JSON as it is typed and sends nothing while it is wrong', async () => {
    const user = userEvent.setup();
    renderWithProviders(<TransformersSettings organisationId={ORG} canEdit />);
    await user.click(await screen.findByRole('button', { name: 'New transformer' }));
    const dialog = screen.getByRole('dialog', { name: 'New transformer' });
    const config = within(dialog).getByLabelText('Config (JSON)');
    await user.clear(config);
    await user.click(config);
    await user.paste('{"method": ');
    expect(within(dialog).getByText(/^Not valid JSON/)).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText(/^Id/), 'x');
    await user.click(within(dialog).getByRole('button', { name: 'Create transformer' }));
    expect(rpcCalls('save_transformer')).toHaveLength(0);
  });

  it('retires one only after confirmation', async () => {
    const user = userEvent.setup();
    renderWithProviders(<TransformersSettings organisationId={ORG} canEdit />);
    await user.click(await screen.findByRole('button', { name: 'Retire crm-webhook' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Retire crm-webhook?' });
    expect(dialog).toHaveTextContent('Workflows that use it keep running it');
    expect(rpcCalls('set_transformer_retired')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Retire transformer' }));
    await waitFor(() => expect(rpcCalls('set_transformer_retired')).toHaveLength(1));
    expect(bodyOf(rpcCalls('set_transformer_retired')[0]!)).toEqual({
      p_organisation_id: ORG,
      p_id: 'crm-webhook',
      p_retired: true,
    });
  });

  it('a retired one is marked and can be restored', async () => {
    rows = [{ ...own, retired_at: '2026-12-04T00:00:00Z' }];
    const user = userEvent.setup();
    renderWithProviders(<TransformersSettings organisationId={ORG} canEdit />);
    expect(await screen.findByText('Retired')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Restore crm-webhook' }));
    await waitFor(() => expect(rpcCalls('set_transformer_retired')).toHaveLength(1));
    expect(bodyOf(rpcCalls('set_transformer_retired')[0]!)).toMatchObject({ p_retired: false });
  });

  it('members get no edit buttons', async () => {
    renderWithProviders(<TransformersSettings organisationId={ORG} canEdit={false} />);
    expect(await screen.findByText('crm-webhook')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /New transformer|Edit|Retire/ })).toBeNull();
  });
});
