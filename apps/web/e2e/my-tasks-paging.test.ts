import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, visible } from './support/browser';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import { stackFromEnv, type StackEnv } from './support/stack';
import type { WebServer } from './support/web-server';

// My tasks past 200 (issue 13 §4) in Chromium: a rep of their own organisation (made for this
// run, so no other test's tasks mix in, and theirs are not pushed off a first page) with 230
// overdue tasks and 3 upcoming. The overdue section says 230, shows 50, and "Load more" brings
// the rest 50 at a time in due order; completing one on a later page takes it off and the
// count follows. Then the restaurant picker finds a restaurant far past the first 20 by
// typing. The account and organisation stay in the throwaway stack.
describe('My tasks past 200, as a rep in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  const suffix = Date.now().toString(36);
  const rep = {
    email: `paging-${suffix}@forkflow.test`,
    password: 'paging-password-1',
  };
  const OVERDUE = 230;

  describePageOnFailure(() => session);

  beforeAll(async () => {
    stack = stackFromEnv();
    await seed(stack, rep, OVERDUE);
    session = await openBrowserSession(stack, { width: 1280, height: 900 });
    ({ web, page, pageErrors } = session);
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  const overdue = () => page.getByRole('region', { name: /^Overdue/ });
  const cards = () => overdue().getByRole('article');

  it('shows the count of every overdue task and the first 50', async () => {
    await signIn(page, web.url, rep);
    await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
    await visible(overdue().getByText(`Showing 50 of ${OVERDUE}`));
    expect(await overdue().getByRole('heading', { level: 2 }).textContent()).toBe(
      `Overdue${OVERDUE}`,
    );
    expect(await cards().count()).toBe(50);
    await visible(cards().first().getByRole('heading', { name: 'Paging task 001' }));
    const upcoming = page.getByRole('region', { name: /^Upcoming/ });
    expect(await upcoming.getByRole('heading', { level: 2 }).textContent()).toBe('Upcoming3');
    expect(await upcoming.getByRole('button', { name: /Load more/ }).count()).toBe(0);
  });

  it('loads the rest 50 at a time, in due order, each task once', async () => {
    const more = page.getByRole('button', { name: 'Load more overdue tasks' });
    for (const shown of [100, 150, 200]) {
      await more.click();
      await visible(overdue().getByText(`Showing ${shown} of ${OVERDUE}`));
    }
    await more.click();
    await visible(overdue().getByRole('heading', { name: `Paging task ${OVERDUE}` }));
    await more.waitFor({ state: 'detached' });
    expect(await cards().count()).toBe(OVERDUE);
    const names = await overdue().getByRole('heading', { level: 3 }).allTextContents();
    expect(names).toEqual(
      Array.from({ length: OVERDUE }, (_, i) => `Paging task ${String(i + 1).padStart(3, '0')}`),
    );
  });

  it('completes a task loaded by Load more: it goes, the count follows, the rest stay', async () => {
    const card = overdue().getByRole('article', { name: 'Paging task 175' });
    await card.getByRole('button', { name: 'Complete Paging task 175' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Task completed' }));
    await card.waitFor({ state: 'detached' });
    await visible(
      overdue()
        .getByRole('heading', { level: 2 })
        .filter({ hasText: `Overdue${OVERDUE - 1}` }),
    );
    expect(await cards().count()).toBe(OVERDUE - 1);

    // What the server kept: after a reload the count is still one less.
    await page.reload();
    await visible(overdue().getByText(`Showing 50 of ${OVERDUE - 1}`));
  });

  it('finds a restaurant past the first 20 by typing in the picker', async () => {
    await page.getByRole('button', { name: /^Restaurant All restaurants/ }).click();
    await page.getByRole('combobox', { name: 'Search restaurant' }).fill('Zed');
    const option = page.getByRole('option', { name: 'Zed’s Diner' });
    await visible(option);
    await option.click();
    await page.waitForURL((url) => url.searchParams.has('restaurant'));
    await visible(page.getByRole('button', { name: /^Restaurant Zed’s Diner/ }));
    // Only the Zed's Diner task is left.
    const upcoming = page.getByRole('region', { name: /^Upcoming/ });
    await visible(upcoming.getByRole('heading', { name: 'Zed diner follow-up' }));
    await overdue().waitFor({ state: 'detached' });
    expect(await upcoming.getByRole('article').count()).toBe(1);
  });

  it('never crashed', () => {
    expect(pageErrors).toEqual([]);
  });
});

type Credentials = { email: string; password: string };

async function call(stack: StackEnv, token: string, path: string, body: unknown) {
  const response = await fetch(`${stack.supabaseUrl}/rest/v1/${path}`, {
    method: 'POST',
    headers: {
      apikey: stack.anonKey,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      prefer: 'return=representation',
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<unknown>;
}

/**
 * A new user with their own organisation, 40 restaurants ("Aaron's 01"… and one "Zed's Diner",
 * last by name), `overdue` tasks due one a minute from 10 days ago, 3 due next week, and one
 * task at Zed's Diner next week too — all made as that user over the API.
 */
async function seed(stack: StackEnv, user: Credentials, overdue: number) {
  const signUp = await fetch(`${stack.supabaseUrl}/auth/v1/signup`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ ...user, data: { full_name: 'Pat Paging' } }),
  });
  const session = (await signUp.json()) as { access_token?: string; user?: { id: string } };
  const token = session.access_token;
  const userId = session.user?.id;
  if (!token || !userId) throw new Error(`sign-up refused: ${JSON.stringify(session)}`);

  const organisation = (await call(stack, token, 'rpc/create_organisation', {
    p_name: `Paging Foods ${Date.now().toString(36)}`,
  })) as { id: string };
  const names = [
    ...Array.from({ length: 39 }, (_, i) => `Aaron’s ${String(i + 1).padStart(2, '0')}`),
    'Zed’s Diner',
  ];
  const restaurants = (await call(
    stack,
    token,
    'restaurants?select=id,name',
    names.map((name) => ({ organisation_id: organisation.id, name })),
  )) as Array<{ id: string; name: string }>;
  const first = restaurants.find((r) => r.name === 'Aaron’s 01')!;
  const zed = restaurants.find((r) => r.name === 'Zed’s Diner')!;

  const start = Date.now() - 10 * 24 * 60 * 60 * 1000;
  const nextWeek = Date.now() + 7 * 24 * 60 * 60 * 1000;
  const task = (name: string, due: number, restaurantId = first.id) => ({
    organisation_id: organisation.id,
    restaurant_id: restaurantId,
    name,
    type: 'email',
    due_date: new Date(due).toISOString(),
    assigned_to: userId,
    created_by: userId,
  });
  await call(stack, token, 'tasks?select=id', [
    ...Array.from({ length: overdue }, (_, i) =>
      task(`Paging task ${String(i + 1).padStart(3, '0')}`, start + i * 60_000),
    ),
    task('Next week A', nextWeek),
    task('Next week B', nextWeek + 60_000),
    task('Zed diner follow-up', nextWeek + 120_000, zed.id),
  ]);
}
