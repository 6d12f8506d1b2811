import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitSignIn, visible } from './support/browser';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import {
  deleteRowsNamed,
  demoOrganisation,
  demoUsers,
  fetchAccessToken,
  stackFromEnv,
  type StackEnv,
} from './support/stack';

// Issue 13 §4, as the demo rep: drag a restaurant across the pipeline board with the mouse,
// then move it again with the keyboard, and find both moves on its page's timeline. Each
// move is checked after a reload and in the database, so an optimistic card that never
// reached the server fails the test.
describe('pipeline board, as the demo rep in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let page: Page;
  let pageErrors: string[];
  let baseUrl: string;
  let token: string;
  let restaurantId: string;
  const name = `Board Bistro ${Date.now().toString(36)}`;

  describePageOnFailure(() => session);

  const rest = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${stack.supabaseUrl}/rest/v1/${path}`, {
      ...init,
      headers: {
        apikey: stack.anonKey,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        prefer: 'return=representation',
        ...init.headers,
      },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Array<Record<string, unknown>>>;
  };

  const storedStage = async () =>
    (await rest(`restaurants?select=lead_stage&id=eq.${restaurantId}`))[0]?.['lead_stage'];

  const column = (label: string): Locator => page.getByRole('region', { name: label, exact: true });

  beforeAll(async () => {
    stack = stackFromEnv();
    token = (await fetchAccessToken(stack, demoUsers.rep)) ?? '';
    const [organisation] = await rest(
      `organisations?select=id&name=eq.${encodeURIComponent(demoOrganisation)}`,
    );
    const [restaurant] = await rest('restaurants', {
      method: 'POST',
      body: JSON.stringify({
        organisation_id: organisation?.['id'],
        name,
        city: 'Porthaven',
        lead_stage: 'new',
        lead_warmth: 'warm',
      }),
    });
    restaurantId = String(restaurant?.['id']);
    session = await openBrowserSession(stack, { width: 1440, height: 900 });
    ({ page, pageErrors } = session);
    baseUrl = session.web.url;
  });

  afterAll(async () => {
    await session?.close();
    if (stack) await deleteRowsNamed(stack, demoUsers.rep, 'restaurants', name);
  });

  it('drags a restaurant from New to Contacted with the mouse, and the move survives a reload', async () => {
    // Searching for the restaurant keeps the board to this one card, whatever the demo data.
    await page.goto(`${baseUrl}/pipeline?q=${encodeURIComponent(name)}`);
    await submitSignIn(page, demoUsers.rep);
    await page.getByRole('heading', { level: 1, name: 'Pipeline' }).waitFor();
    const card = column('New').getByTestId('pipeline-card').filter({ hasText: name });
    await card.waitFor();
    await visible(column('New').getByLabel('1 in New'));

    // Held by its grip, as a rep would (the card's Stage select takes its own clicks).
    const from = await card.getByRole('button', { name: `Move ${name}` }).boundingBox();
    const to = await column('Contacted').boundingBox();
    if (!from || !to) throw new Error('the card or the column has no box');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    // In steps, so dnd-kit sees the pointer travel (past its 4 px start distance).
    await page.mouse.move(from.x + from.width / 2 + 20, from.y + from.height / 2, { steps: 4 });
    await page.mouse.move(to.x + to.width / 2, to.y + 80, { steps: 12 });
    await page.mouse.up();

    await column('Contacted').getByText(name).waitFor();
    await visible(column('Contacted').getByLabel('1 in Contacted'));
    await expect.poll(storedStage, { timeout: 15_000 }).toBe('contacted');

    await page.reload();
    await column('Contacted').getByText(name).waitFor();
    expect(await column('New').getByText(name).count()).toBe(0);
  });

  it('moves it on to Qualified from the keyboard: Space, Arrow Right, Space', async () => {
    const handle = column('Contacted').getByRole('button', { name: `Move ${name}` });
    await handle.focus();
    await page.keyboard.press('Space');
    // dnd-kit's live region (for screen readers) says where the lifted card is.
    const announced = (text: string) =>
      page.getByText(text, { exact: false }).first().waitFor({ state: 'attached' });
    await announced(`${name} is over Contacted.`);
    await page.keyboard.press('ArrowRight');
    await announced(`${name} is over Qualified.`);
    await page.keyboard.press('Space');

    await column('Qualified').getByText(name).waitFor();
    await expect.poll(storedStage, { timeout: 15_000 }).toBe('qualified');
    await page.reload();
    await column('Qualified').getByText(name).waitFor();
  });

  it("shows both moves, by the rep, on the restaurant's activity timeline", async () => {
    await column('Qualified').getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    const activity = page.getByRole('list', { name: 'Activity, newest first' });
    await activity.waitFor();
    const items = activity.getByRole('listitem');
    await visible(items.nth(0).getByText('Stage: Contacted → Qualified'));
    await visible(items.nth(1).getByText('Stage: New → Contacted'));
    await visible(items.nth(0).getByText(demoUsers.rep.fullName, { exact: false }));
    expect(pageErrors).toEqual([]);
  });
});
