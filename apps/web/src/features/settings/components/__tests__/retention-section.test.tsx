import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { supabase } from '@/lib/supabase';
import type { OrganisationRole } from '@/lib/organisation';
import { renderWithProviders, testOrganisation } from '@/testing/test-utils';
import { parseRetentionDays, RetentionSection } from '../retention-section';

const fetchMock = vi.fn<typeof fetch>();
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The organisation row read (GET) answers `days`; set_job_retention (POST) answers `rpc`. */
function serve(days: number, rpc: () => Response = () => json(200, 30)) {
  fetchMock.mockImplementation((input) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.includes('/rpc/set_job_retention')) return Promise.resolve(rpc());
    return Promise.resolve(json(200, { job_retention_days: days }));
  });
}

async function rpcBodies(): Promise<Record<string, unknown>[]> {
  const bodies: Record<string, unknown>[] = [];
  for (const [input, init] of fetchMock.mock.calls) {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.includes('/rpc/set_job_retention')) continue;
    const text = input instanceof Request ? await input.clone().text() : String(init?.body);
    bodies.push(JSON.parse(text) as Record<string, unknown>);
  }
  return bodies;
}

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  vi.spyOn(supabase.auth, 'getSession').mockResolvedValue({ data: { session: null }, error: null });
});
afterEach(() => vi.unstubAllGlobals());

function setup(role: OrganisationRole) {
  const user = userEvent.setup();
  renderWithProviders(<RetentionSection />, { organisation: { ...testOrganisation, role } });
  return user;
}

const field = () => screen.findByLabelText(/Keep finished job history for \(days\)/);

describe('RetentionSection', () => {
  it('shows a member the setting, read-only', async () => {
    serve(90);
    setup('member');
    expect(await screen.findByText(/Finished job history is kept for/)).toHaveTextContent(
      'Finished job history is kept for 90 days. Only owners and admins can change this.',
    );
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });

  it('lets an admin lengthen it without asking', async () => {
    serve(90, () => json(200, 120));
    const user = setup('admin');
    const input = await field();
    expect(input).toHaveValue(90);
    await user.clear(input);
    await user.type(input, '120');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(async () =>
      expect(await rpcBodies()).toEqual([{ p_organisation_id: testOrganisation.id, p_days: 120 }]),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Finished jobs are kept for 120 days.',
    );
  });

  it('asks before shortening it, and saves nothing when cancelled', async () => {
    serve(90);
    const user = setup('owner');
    const input = await field();
    await user.clear(input);
    await user.type(input, '30');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const confirm = await screen.findByRole('alertdialog', {
      name: 'Keep job history for 30 days?',
    });
    expect(confirm).toHaveTextContent(
      /older than 30 days, and their events, will be deleted for good/,
    );
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(await rpcBodies()).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Save' }));
    await user.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', {
        name: 'Shorten and delete',
      }),
    );
    await waitFor(async () =>
      expect(await rpcBodies()).toEqual([{ p_organisation_id: testOrganisation.id, p_days: 30 }]),
    );
  });

  it('shows the bounds at the field and sends nothing out of range', async () => {
    serve(90);
    const user = setup('admin');
    const input = await field();
    await user.clear(input);
    await user.type(input, '5');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Between 7 and 3,650 days')).toBeVisible();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(await rpcBodies()).toEqual([]);
  });

  it("shows the server's refusal at the field", async () => {
    serve(90, () =>
      json(403, {
        code: 'forbidden',
        message: 'only owners and admins can change how long job history is kept',
      }),
    );
    const user = setup('admin');
    const input = await field();
    await user.clear(input);
    await user.type(input, '100');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/only owners and admins can change/)).toBeVisible();
  });

  it('says when the setting cannot be loaded', async () => {
    fetchMock.mockResolvedValue(json(500, { code: 'XX000', message: 'boom' }));
    setup('admin');
    expect(
      await screen.findByText("Couldn't load the job history setting", {}, { timeout: 5000 }),
    ).toBeVisible();
  });
});

describe('parseRetentionDays', () => {
  it.each([
    ['90', { days: 90 }],
    ['7', { days: 7 }],
    ['3650', { days: 3650 }],
    ['', { error: 'Enter a number of days' }],
    ['12.5', { error: 'Enter a whole number of days' }],
    ['6', { error: 'Between 7 and 3,650 days' }],
    ['3651', { error: 'Between 7 and 3,650 days' }],
  ])('%j → %j', (text, expected) => expect(parseRetentionDays(text)).toEqual(expected));
});
