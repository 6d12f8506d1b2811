import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { postgrestResponse, renderWithProviders } from '@/testing/test-utils';
import { CreateOrganisationForm } from '../create-organisation-form';

const fetchMock = vi.fn<typeof fetch>();
const created = { id: '40000000-0000-4000-8000-000000000001', name: 'Tokyo Sales' };

/** The browser reports `zone` as its time zone. */
function browserIn(zone: string) {
  const real = Intl.DateTimeFormat.prototype.resolvedOptions;
  vi.spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions').mockImplementation(function (
    this: Intl.DateTimeFormat,
  ) {
    return { ...real.call(this), timeZone: zone };
  });
}

const rpcBodies = () =>
  fetchMock.mock.calls
    .filter(([input]) => String(input).includes('/rpc/create_organisation'))
    .map(([, init]) => JSON.parse(String(init?.body)) as Record<string, unknown>);

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.restoreAllMocks());

async function submit(name: string) {
  const user = userEvent.setup();
  const onCreated = vi.fn();
  renderWithProviders(<CreateOrganisationForm userId="u1" onCreated={onCreated} />);
  await user.type(screen.getByLabelText(/Organisation name/), name);
  await user.click(screen.getByRole('button', { name: 'Create organisation' }));
  return { onCreated };
}

describe('CreateOrganisationForm', () => {
  it("says the organisation's dates will be in this device's zone, and creates it in that zone", async () => {
    browserIn('Asia/Tokyo');
    fetchMock.mockResolvedValue(postgrestResponse(created));
    renderWithProviders(<CreateOrganisationForm userId="u1" onCreated={vi.fn()} />);
    expect(screen.getByText('Asia/Tokyo')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/Organisation name/), 'Tokyo Sales');
    await user.click(screen.getByRole('button', { name: 'Create organisation' }));
    await waitFor(() =>
      expect(rpcBodies()).toEqual([{ p_name: 'Tokyo Sales', p_time_zone: 'Asia/Tokyo' }]),
    );
  });

  it('a zone the database does not know still creates the organisation, without a calendar', async () => {
    browserIn('America/Ciudad_Juarez');
    fetchMock
      .mockResolvedValueOnce(
        postgrestResponse(
          { code: 'invalid_time_zone', message: 'unknown time zone', details: null, hint: null },
          { status: 400 },
        ),
      )
      .mockResolvedValue(postgrestResponse(created));
    const { onCreated } = await submit('Juarez Sales');
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(created));
    expect(rpcBodies()).toEqual([
      { p_name: 'Juarez Sales', p_time_zone: 'America/Ciudad_Juarez' },
      { p_name: 'Juarez Sales' },
    ]);
  });

  it('any other refusal is shown and not retried', async () => {
    browserIn('Europe/London');
    fetchMock.mockResolvedValue(
      postgrestResponse(
        { code: '42501', message: 'sign in first', details: null, hint: null },
        { status: 401 },
      ),
    );
    const { onCreated } = await submit('Denied Sales');
    expect(await screen.findByText(/don't have permission/)).toBeInTheDocument();
    expect(rpcBodies()).toHaveLength(1);
    expect(onCreated).not.toHaveBeenCalled();
  });
});
