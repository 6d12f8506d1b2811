import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { TransformerUsedBy } from '../transformer-used-by';

// "Used by" on a transformer's page (issue 12 §1): the current organisation's workflows whose
// current definition runs it, from public.transformer_used_by.

const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('TransformerUsedBy', () => {
  it("lists the organisation's workflows using it, linked, archived ones marked", async () => {
    fetchMock.mockResolvedValue(
      postgrestResponse([
        { workflow_id: 'w1', key: 'alpha-push', name: 'Alpha push', status: 'archived' },
        { workflow_id: 'w2', key: 'zeta-push', name: 'Zeta push', status: 'active' },
      ]),
    );
    renderWithProviders(<TransformerUsedBy transformerId="crm-hook" />);
    const list = await screen.findByRole('list', { name: 'Workflows using crm-hook' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(within(items[0]!).getByRole('link', { name: 'Alpha push' })).toHaveAttribute(
      'href',
      '/workflows/w1',
    );
    expect(within(items[0]!).getByText('Archived')).toBeInTheDocument();
    expect(within(items[1]!).getByRole('link', { name: 'Zeta push' })).toHaveAttribute(
      'href',
      '/workflows/w2',
    );
    expect(within(items[1]!).queryByText('Archived')).not.toBeInTheDocument();

    const [url, init] = fetchMock.mock.calls[0]!;
    expect(String(url)).toContain('/rpc/transformer_used_by');
    expect(JSON.parse(String(init?.body))).toEqual({
      p_organisation_id: testOrganisation.id,
      p_transformer_id: 'crm-hook',
    });
  });

  it('says when no workflow uses it', async () => {
    fetchMock.mockResolvedValue(postgrestResponse([]));
    renderWithProviders(<TransformerUsedBy transformerId="crm-hook" />);
    expect(await screen.findByText('No workflow uses it.')).toBeInTheDocument();
  });

  it('says when it cannot load, with a retry', async () => {
    fetchMock.mockResolvedValue(
      postgrestResponse(
        { code: 'organisation_not_found', message: 'organisation not found' },
        { status: 404 },
      ),
    );
    renderWithProviders(<TransformerUsedBy transformerId="crm-hook" />);
    expect(await screen.findByText("Couldn't load the workflows using it")).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
