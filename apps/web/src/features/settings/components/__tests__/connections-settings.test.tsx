import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import type { Connection } from '../../api/connections-queries';
import { ConnectionsSettings } from '../connections-settings';

const ORG = '00000000-0000-4000-8000-000000000001';
const crm: Connection = {
  id: '90000000-0000-4000-8000-000000000001',
  host: 'api.crm.com',
  description: 'Our CRM',
  created_at: '2026-12-01T10:00:00Z',
};

const fetchMock = vi.fn<typeof fetch>();
let rows: Connection[] = [];
const requests = (method: string) =>
  fetchMock.mock.calls.filter(
    ([input, init]) =>
      (init?.method ?? 'GET') === method &&
      String(input instanceof Request ? input.url : input).includes('/organisation_connections'),
  );

beforeEach(() => {
  rows = [crm];
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (_input, init) => {
    const method = init?.method ?? 'GET';
    if (method === 'POST') {
      const sent = JSON.parse(String(init?.body)) as { host: string; description: string | null };
      const row = { ...crm, id: crypto.randomUUID(), ...sent };
      rows = [...rows, row];
      return postgrestResponse(row, { status: 201 });
    }
    if (method === 'DELETE') {
      rows = [];
      return new Response(null, { status: 204 });
    }
    return postgrestResponse(rows);
  });
  vi.stubGlobal('fetch', fetchMock);
});

describe('ConnectionsSettings', () => {
  it("lists the organisation's connections", async () => {
    renderWithProviders(<ConnectionsSettings organisationId={ORG} canEdit />);
    expect(await screen.findByText('api.crm.com')).toBeInTheDocument();
    expect(screen.getByText('Our CRM')).toBeInTheDocument();
  });

  it('says when there are none', async () => {
    rows = [];
    renderWithProviders(<ConnectionsSettings organisationId={ORG} canEdit />);
    expect(await screen.findByText('No connections yet')).toBeInTheDocument();
  });

  it('refuses a URL at the field and sends nothing', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ConnectionsSettings organisationId={ORG} canEdit />);
    await screen.findByText('api.crm.com');
    await user.type(screen.getByLabelText(/^Host/), 'https://hooks.crm.com/in');
    await user.click(screen.getByRole('button', { name: 'Add connection' }));
    expect(
      await screen.findByText('Enter the host only, without http:// or https://'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/^Host/)).toHaveAttribute('aria-invalid', 'true');
    expect(requests('POST')).toHaveLength(0);
  });

  it('adds a host, lower-cased, with its description', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ConnectionsSettings organisationId={ORG} canEdit />);
    await screen.findByText('api.crm.com');
    await user.type(screen.getByLabelText(/^Host/), '*.Hooks.crm.com');
    await user.type(screen.getByLabelText('Description'), 'Webhooks');
    await user.click(screen.getByRole('button', { name: 'Add connection' }));
    await waitFor(() => expect(requests('POST')).toHaveLength(1));
    expect(JSON.parse(String(requests('POST')[0]![1]?.body))).toEqual({
      organisation_id: ORG,
      host: '*.hooks.crm.com',
      description: 'Webhooks',
    });
    expect(await screen.findByText('*.hooks.crm.com')).toBeInTheDocument();
  });

  it('removes a connection only after confirmation, and offers Undo', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ConnectionsSettings organisationId={ORG} canEdit />);
    await user.click(await screen.findByRole('button', { name: 'Remove api.crm.com' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove api.crm.com?' });
    expect(requests('DELETE')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Remove connection' }));
    await waitFor(() => expect(requests('DELETE')).toHaveLength(1));
    await user.click(await screen.findByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(requests('POST')).toHaveLength(1));
    expect(JSON.parse(String(requests('POST')[0]![1]?.body))).toMatchObject({
      host: 'api.crm.com',
      description: 'Our CRM',
    });
  });

  it('members see the list without the form or remove buttons', async () => {
    renderWithProviders(<ConnectionsSettings organisationId={ORG} canEdit={false} />);
    expect(await screen.findByText('api.crm.com')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add connection' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Remove/ })).not.toBeInTheDocument();
  });
});
