import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, visible } from './support/browser';
import { demoUsers, fetchAccessToken, stackFromEnv, type StackEnv } from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

const DEMO_ORGANISATION_ID = '00000000-0000-4000-8000-000000000001';
const REP_ID = '10000000-0000-4000-8000-000000000002';
const TEMPLATE = 'Demo Follow-up';

// The rep's day with a sequence, in one browser session: start seed 001's "Demo Follow-up"
// for a restaurant (with its timeline preview), complete step 1 from My tasks, see step 2
// become due, then pause and resume the sequence from the restaurant's page. The steps
// share the page and run in order. The restaurant is made for this run and deleted after
// (its sequence and tasks go with it), so runs don't see each other.
describe('tasks and sequences, as the demo rep in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  let restaurant: { id: string; name: string };

  describePageOnFailure(() => session);

  beforeAll(async () => {
    stack = stackFromEnv();
    await ensureDemoFollowUp(stack);
    restaurant = await createRestaurant(stack, `E2E Brasserie ${Date.now().toString(36)}`);
    session = await openBrowserSession(stack, { width: 1280, height: 900 });
    ({ web, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
    if (stack && restaurant) await deleteRestaurant(stack, restaurant.id);
  });

  it('signs the rep in to My tasks, their home page', async () => {
    await signIn(page, web.url, demoUsers.rep);

    await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/tasks');
  });

  it('starts a sequence for a restaurant, previewing when each step would be due', async () => {
    await page.getByRole('link', { name: 'Restaurants' }).click();
    await page.getByRole('searchbox', { name: 'Search restaurants' }).fill(restaurant.name);
    await page.getByRole('link', { name: restaurant.name }).click();
    await page.getByRole('heading', { level: 1, name: restaurant.name }).waitFor();
    const sequences = page.getByRole('region', { name: 'Sequences', exact: true });
    await sequences.getByText('No sequences yet').waitFor();

    await sequences.getByRole('button', { name: 'Start sequence' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start a sequence' });
    await dialog
      .getByRole('combobox', { name: 'Sequence' })
      .selectOption({ label: `${TEMPLATE} (7 steps)` });
    const preview = dialog.getByRole('region', { name: 'Timeline preview' });
    await preview.waitFor();
    const steps = preview.getByRole('listitem');
    expect(await steps.count()).toBe(7);
    expect(await steps.first().textContent()).toMatch(
      /Send demo confirmation.*due \w{3} \d+ \w{3}/,
    );
    expect(await steps.last().textContent()).toMatch(/Contract proposal/);

    await dialog.getByRole('button', { name: 'Start sequence' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByRole('status').filter({ hasText: 'Sequence started' }));
    const card = sequences.getByRole('article', { name: new RegExp(`^${TEMPLATE} – `) });
    await visible(card.getByText('Step 1 of 7'));
    await visible(card.getByText('Active', { exact: true }));
  });

  it('completes step 1 from My tasks and sees step 2 become due', async () => {
    await page.getByRole('link', { name: 'My tasks' }).click();
    await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
    // The Restaurant filter searches as you type (it never lists only the first 1,000).
    await page.getByRole('button', { name: /^Restaurant All restaurants/ }).click();
    await page.getByRole('combobox', { name: 'Search restaurant' }).fill(restaurant.name);
    await page.getByRole('option', { name: restaurant.name }).click();
    await page.waitForURL((url) => url.searchParams.get('restaurant') === restaurant.id);

    const step1 = page.getByRole('article', { name: 'Send demo confirmation' });
    await visible(step1.getByRole('link', { name: 'Step 1 of 7' }));
    await step1.getByRole('button', { name: 'Complete Send demo confirmation' }).click();

    const toast = page.getByRole('status').filter({ hasText: 'Task completed' });
    await visible(toast);
    const next = (await toast.textContent()) ?? '';
    expect(next).toMatch(/Next: Step 2 — Prepare demo materials, due \w{3} \d+ \w{3} \d\d:\d\d/);
    await step1.waitFor({ state: 'detached' });

    const step2 = page.getByRole('article', { name: 'Prepare demo materials' });
    await visible(step2.getByRole('link', { name: 'Step 2 of 7' }));
    // Due one day after completion (the demo organisation has no calendar: 24/7).
    await visible(
      page.getByRole('region', { name: /^Upcoming/ }).getByText('Prepare demo materials'),
    );
    const due = (await step2.locator('time').first().textContent()) ?? '';
    expect(next).toContain(due);
  });

  it('pauses and resumes the sequence from the restaurant page', async () => {
    await page
      .getByRole('article', { name: 'Prepare demo materials' })
      .getByRole('link', { name: 'Step 2 of 7' })
      .click();
    await page.getByRole('heading', { level: 1, name: restaurant.name }).waitFor();
    expect(new URL(page.url()).hash).toMatch(/^#sequence-/);
    const card = page
      .getByRole('region', { name: 'Sequences' })
      .getByRole('article', { name: new RegExp(`^${TEMPLATE} – `) });
    await visible(card.getByText('Step 2 of 7'));
    await visible(card.getByText('Now: Prepare demo materials'));

    await card.getByRole('button', { name: 'Pause' }).click();
    const pause = page.getByRole('dialog', { name: 'Pause this sequence?' });
    await pause.getByRole('button', { name: 'Pause sequence' }).click();
    await pause.waitFor({ state: 'hidden' });
    await visible(page.getByRole('status').filter({ hasText: 'Sequence paused' }));
    await visible(card.getByText('Paused', { exact: true }));

    // What the server kept, not just what the page shows.
    await page.reload();
    await visible(card.getByText('Paused', { exact: true }));
    await visible(card.getByText('on hold'));

    await card.getByRole('button', { name: 'Resume' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Sequence resumed' }));
    await visible(card.getByText('Active', { exact: true }));
    await page.reload();
    await visible(card.getByText('Active', { exact: true }));
    await visible(card.getByText('Step 2 of 7'));
    await visible(card.locator('time').first());
  });

  it('never crashed', () => {
    expect(pageErrors).toEqual([]);
  });
});

async function signInRep(stack: StackEnv): Promise<string> {
  const token = await fetchAccessToken(stack, demoUsers.rep);
  if (!token) throw new Error('could not sign in the demo rep');
  return token;
}

/** A lead of the rep's, at a stage that doesn't end Demo Follow-up. */
async function createRestaurant(stack: StackEnv, name: string) {
  const token = await signInRep(stack);
  const response = await fetch(`${stack.supabaseUrl}/rest/v1/restaurants?select=id,name`, {
    method: 'POST',
    headers: {
      apikey: stack.anonKey,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      prefer: 'return=representation',
    },
    body: JSON.stringify({
      organisation_id: DEMO_ORGANISATION_ID,
      name,
      city: 'Bristol',
      cuisine: 'French',
      contact_name: 'Camille Martin',
      contact_email: 'camille@brasserie.test',
      lead_stage: 'demo_booked',
      lead_warmth: 'hot',
      assigned_sales_rep: REP_ID,
    }),
  });
  if (!response.ok) throw new Error(`could not create ${name}: ${await response.text()}`);
  const [row] = (await response.json()) as Array<{ id: string; name: string }>;
  if (!row) throw new Error(`no row back for ${name}`);
  return row;
}

async function deleteRestaurant(stack: StackEnv, id: string) {
  const token = await signInRep(stack);
  // Into the trash, as the app deletes (the rep is its assigned rep, so may).
  await fetch(`${stack.supabaseUrl}/rest/v1/rpc/move_to_trash`, {
    method: 'POST',
    headers: {
      apikey: stack.anonKey,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ p_kind: 'restaurant', p_ids: [id] }),
  });
}

/**
 * The seed has "Demo Follow-up". Against a stack seeded before it, make one with the service
 * role (plain REST: nothing here needs a client), with seed 001's seven steps.
 */
async function ensureDemoFollowUp(stack: StackEnv) {
  const serviceKey = process.env['SUPABASE_SERVICE_ROLE_KEY'];
  if (!serviceKey) return; // The seed's template is then the only option.
  const rest = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${stack.supabaseUrl}/rest/v1/${path}`, {
      ...init,
      headers: {
        apikey: serviceKey,
        authorization: `Bearer ${serviceKey}`,
        'content-type': 'application/json',
        prefer: 'return=representation',
      },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Array<{ id: string }>;
  };
  const existing = await rest(
    `sequence_templates?select=id&organisation_id=eq.${DEMO_ORGANISATION_ID}` +
      `&name=eq.${encodeURIComponent(TEMPLATE)}&is_active=is.true&limit=1`,
  );
  if (existing.length > 0) return;
  const [template] = await rest('sequence_templates?select=id', {
    method: 'POST',
    body: JSON.stringify({
      organisation_id: DEMO_ORGANISATION_ID,
      name: TEMPLATE,
      exit_stages: ['won', 'lost'],
    }),
  });
  const steps: Array<[string, string, number]> = [
    ['Send demo confirmation', 'email', 0],
    ['Prepare demo materials', 'internal_activity', 1],
    ['Reminder call day before', 'call', 1],
    ['Conduct demo', 'internal_activity', 1],
    ['Follow-up email', 'email', 1],
    ['Check-in call', 'call', 3],
    ['Contract proposal', 'email', 7],
  ];
  await rest('sequence_steps?select=id', {
    method: 'POST',
    body: JSON.stringify(
      steps.map(([name, type, days], index) => ({
        organisation_id: DEMO_ORGANISATION_ID,
        sequence_template_id: template?.id,
        step_order: index + 1,
        name,
        type,
        delay_value: days,
        delay_unit: 'days',
      })),
    ),
  });
}
