import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, visible } from './support/browser';
import { demoUsers, fetchAccessToken, stackFromEnv, type StackEnv } from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

const DEMO_ORGANISATION_ID = '00000000-0000-4000-8000-000000000001';
const REP_ID = '10000000-0000-4000-8000-000000000002';
const TEMPLATE = 'Demo Follow-up';

// Undo, Reopen, the call outcome and Snooze (issue 13 §2) as the demo rep in Chromium, on a
// restaurant made for this run with seed 001's "Demo Follow-up" running: complete step 1
// and undo it (the sequence is back on step 1, also after a reload), then see a reopen
// refused once step 2 is done, record a call's outcome, and snooze a step. The restaurant
// goes to the trash afterwards, so runs don't see each other.
describe('complete a task and undo it, as the demo rep in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  let restaurant: { id: string; name: string };

  describePageOnFailure(() => session);

  beforeAll(async () => {
    stack = stackFromEnv();
    restaurant = await createRestaurant(stack, `E2E Undo Bistro ${Date.now().toString(36)}`);
    await startDemoFollowUp(stack, restaurant.id);
    session = await openBrowserSession(stack, { width: 1280, height: 900 });
    ({ web, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
    if (stack && restaurant) await trashRestaurant(stack, restaurant.id);
  });

  const tasks = () => page.getByRole('region', { name: 'Tasks', exact: true });
  const sequenceCard = () =>
    page
      .getByRole('region', { name: 'Sequences', exact: true })
      .getByRole('article', { name: new RegExp(`^${TEMPLATE} – `) });

  it("opens the restaurant's page with step 1 to do", async () => {
    await signIn(page, web.url, demoUsers.rep);
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await page.goto(`${web.url}/restaurants/${restaurant.id}`);
    await page.getByRole('heading', { level: 1, name: restaurant.name }).waitFor();
    await visible(tasks().getByRole('article', { name: 'Send demo confirmation' }));
    await visible(sequenceCard().getByText('Step 1 of 7'));
  });

  it('completes step 1, then Undo puts the sequence back on step 1', async () => {
    await tasks().getByRole('button', { name: 'Complete Send demo confirmation' }).click();
    const toast = page.getByRole('status').filter({ hasText: 'Task completed' });
    await visible(toast.getByText(/Next: Step 2 — Prepare demo materials/));
    await visible(tasks().getByRole('article', { name: 'Prepare demo materials' }));
    await visible(sequenceCard().getByText('Step 2 of 7'));

    await toast.getByRole('button', { name: 'Undo' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Undone' }));
    await visible(tasks().getByRole('button', { name: 'Complete Send demo confirmation' }));
    await tasks().getByRole('article', { name: 'Prepare demo materials' }).waitFor({
      state: 'detached',
    });
    await visible(sequenceCard().getByText('Step 1 of 7'));

    // What the server kept, not just what the page shows.
    await page.reload();
    await visible(tasks().getByRole('button', { name: 'Complete Send demo confirmation' }));
    await visible(sequenceCard().getByText('Step 1 of 7'));
    expect(await tasks().getByRole('article', { name: 'Prepare demo materials' }).count()).toBe(0);
  });

  it('refuses to reopen step 1 once step 2 is done, and says why', async () => {
    await tasks().getByRole('button', { name: 'Complete Send demo confirmation' }).click();
    await tasks().getByRole('button', { name: 'Complete Prepare demo materials' }).click();
    await visible(tasks().getByRole('article', { name: 'Reminder call day before' }));

    await tasks().getByRole('button', { name: /^Done/ }).click();
    await tasks().getByRole('button', { name: 'Reopen Send demo confirmation' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Couldn’t reopen the task' });
    await visible(alert.getByText('Step 1 cannot be reopened: step 2 has already been completed.'));
    await visible(sequenceCard().getByText('Step 3 of 7'));
  });

  it('asks how the call went and keeps the outcome', async () => {
    await tasks().getByRole('button', { name: 'Complete Reminder call day before' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'How did the call go?' });
    await visible(dialog);
    await page.keyboard.press('1');
    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByRole('status').filter({ hasText: 'Task completed' }));

    await page.reload();
    await tasks().getByRole('button', { name: /^Done/ }).click();
    await visible(
      tasks()
        .getByRole('article', { name: 'Reminder call day before' })
        .getByText('Call outcome: Connected'),
    );
  });

  it('snoozes the active step to tomorrow 9:00', async () => {
    const step = tasks().getByRole('article', { name: 'Conduct demo' });
    await step.getByRole('button', { name: 'Snooze Conduct demo' }).click();
    const dialog = page.getByRole('dialog', { name: 'Snooze “Conduct demo”' });
    await dialog.getByRole('button', { name: /Tomorrow 9:00/ }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Task snoozed' }));

    await page.reload();
    await visible(
      tasks()
        .getByRole('article', { name: 'Conduct demo' })
        .locator('time')
        .filter({ hasText: /09:00$/ }),
    );
  });

  it('never crashed', () => {
    expect(pageErrors).toEqual([]);
  });
});

async function repToken(stack: StackEnv): Promise<string> {
  const token = await fetchAccessToken(stack, demoUsers.rep);
  if (!token) throw new Error('could not sign in the demo rep');
  return token;
}

async function rest(stack: StackEnv, path: string, init: RequestInit = {}) {
  const token = await repToken(stack);
  const response = await fetch(`${stack.supabaseUrl}/rest/v1/${path}`, {
    ...init,
    headers: {
      apikey: stack.anonKey,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      prefer: 'return=representation',
    },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<unknown>;
}

/** A lead of the rep's, at a stage that doesn't end Demo Follow-up. */
async function createRestaurant(stack: StackEnv, name: string) {
  const [row] = (await rest(stack, 'restaurants?select=id,name', {
    method: 'POST',
    body: JSON.stringify({
      organisation_id: DEMO_ORGANISATION_ID,
      name,
      city: 'Leeds',
      contact_name: 'Sam Okafor',
      lead_stage: 'demo_booked',
      assigned_sales_rep: REP_ID,
    }),
  })) as Array<{ id: string; name: string }>;
  if (!row) throw new Error(`no row back for ${name}`);
  return row;
}

/** Seed 001's Demo Follow-up, started for the restaurant through the RPC. */
async function startDemoFollowUp(stack: StackEnv, restaurantId: string) {
  const [template] = (await rest(
    stack,
    `sequence_templates?select=id&organisation_id=eq.${DEMO_ORGANISATION_ID}` +
      `&name=eq.${encodeURIComponent(TEMPLATE)}&is_active=is.true&limit=1`,
  )) as Array<{ id: string }>;
  if (!template) throw new Error(`the seed's "${TEMPLATE}" template is missing`);
  await rest(stack, 'rpc/start_sequence', {
    method: 'POST',
    body: JSON.stringify({ p_template_id: template.id, p_restaurant_id: restaurantId }),
  });
}

async function trashRestaurant(stack: StackEnv, id: string) {
  await rest(stack, 'rpc/move_to_trash', {
    method: 'POST',
    body: JSON.stringify({ p_kind: 'restaurant', p_ids: [id] }),
  });
}
