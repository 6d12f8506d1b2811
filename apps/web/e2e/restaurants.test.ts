import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitSignIn, visible } from './support/browser';
import {
  deleteRowsNamed,
  demoOrganisation,
  demoUsers,
  stackFromEnv,
  type StackEnv,
} from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

// One browser session walks through what a rep does first: sign in, find a lead,
// add one. The steps share the page and run in order.
describe('restaurants, as the demo rep in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  const created = `E2E Trattoria ${Date.now().toString(36)}`;

  describePageOnFailure(() => session);

  beforeAll(async () => {
    stack = stackFromEnv();
    session = await openBrowserSession(stack, { width: 1280, height: 800 });
    ({ web, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
    // If a step failed before the UI deleted it, leave the stack as we found it.
    if (stack) await deleteRowsNamed(stack, demoUsers.rep, 'restaurants', created);
  });

  it('sends a signed-out visitor to sign-in, then back to where they were going', async () => {
    await page.goto(`${web.url}/restaurants?stage=qualified`);
    await page.waitForURL(/\/sign-in\?redirectTo=/);
    await submitSignIn(page, demoUsers.rep);

    await page.getByRole('heading', { level: 1, name: 'Restaurants' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/restaurants');
    expect(new URL(page.url()).searchParams.get('stage')).toBe('qualified');
    await visible(
      page.getByRole('button', { name: new RegExp(`^Organisation: ${demoOrganisation}`) }),
    );
    await visible(page.getByRole('link', { name: 'Spice Route' }));
  });

  it('searches restaurants as the rep types, keeping the search in the URL across a reload', async () => {
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.getByRole('link', { name: 'The Golden Wok' }).waitFor();

    await page.getByRole('searchbox', { name: 'Search restaurants' }).fill('pizza');
    await page.waitForURL((url) => url.searchParams.get('q') === 'pizza');
    await page.getByRole('link', { name: 'The Golden Wok' }).waitFor({ state: 'detached' });
    await visible(page.getByRole('link', { name: "Luigi's Pizza Kitchen" }));

    await page.reload();
    await visible(page.getByRole('link', { name: "Luigi's Pizza Kitchen" }));
    expect(await page.getByRole('searchbox', { name: 'Search restaurants' }).inputValue()).toBe(
      'pizza',
    );
    expect(await page.getByRole('link', { name: 'The Golden Wok' }).count()).toBe(0);

    // A contact's name is searchable too, and a word matches while still being typed.
    await page.getByRole('searchbox', { name: 'Search restaurants' }).fill('Arj');
    await page.waitForURL((url) => url.searchParams.get('q') === 'Arj');
    await visible(page.getByRole('link', { name: 'Spice Route' }));
  });

  it('adds a restaurant through the form and sees it in the list', async () => {
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.getByRole('button', { name: 'Add restaurant' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add restaurant' });
    await dialog.waitFor();

    // Nothing typed yet: the form says what's missing, next to the field.
    await dialog.getByRole('button', { name: 'Add restaurant' }).click();
    await visible(dialog.getByText('Name is required'));

    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(created);
    await dialog.getByLabel('City').fill('Bristol');
    await dialog.getByLabel('Cuisine').fill('Italian');
    await dialog.getByLabel('Contact email').fill('chef@trattoria.test');
    await dialog.getByLabel('Lead stage').selectOption({ label: 'Qualified' });
    await dialog.getByLabel('Warmth').selectOption({ label: 'Hot' });
    await dialog.getByLabel('Assigned rep').selectOption({ label: demoUsers.rep.fullName });
    await dialog.getByLabel('Contact email').press('Enter');

    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByRole('status').filter({ hasText: 'Restaurant added' }));
    await visible(page.getByRole('link', { name: created }));

    // Search finds it (the generated search column covers new rows), and it opens.
    await page.getByRole('searchbox', { name: 'Search restaurants' }).fill('Trattoria');
    await page.waitForURL((url) => url.searchParams.get('q') === 'Trattoria');
    await page.getByRole('link', { name: created }).click();
    await visible(page.getByRole('heading', { level: 1, name: created }));
    await visible(page.getByRole('link', { name: 'chef@trattoria.test' }));
  });

  it('deletes it after confirming, with an undo that brings it back', async () => {
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog', { name: `Delete ${created}?` });
    await confirm.waitFor();
    // The safe choice has focus; Escape backs out.
    expect(
      await confirm
        .getByRole('button', { name: 'Cancel' })
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete restaurant' }).click();
    await page.waitForURL((url) => url.pathname === '/restaurants');
    await page
      .getByRole('status')
      .filter({ hasText: 'Restaurant deleted' })
      .getByRole('button', { name: 'Undo' })
      .click();
    await visible(page.getByRole('link', { name: created }));

    await page.getByRole('button', { name: `Delete ${created}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete restaurant' }).click();
    await page.getByRole('link', { name: created }).waitFor({ state: 'detached' });
    // Once the undo window has passed the delete is real: a reload doesn't bring it back.
    await page
      .getByRole('status')
      .filter({ hasText: 'Restaurant deleted' })
      .waitFor({ state: 'detached', timeout: 10_000 });
    await page.waitForTimeout(500);
    await page.reload();
    await visible(page.getByRole('link', { name: 'The Golden Wok' }));
    expect(await page.getByRole('link', { name: created }).count()).toBe(0);
  });

  it('answers a malformed id in a link with "not found" at once, with no Try again', async () => {
    // PostgREST answers such an id 22P02; it is said as not found and never retried (issue 13 §5).
    for (const [path, title] of [
      ['/restaurants/not-a-uuid', 'Restaurant not found'],
      ['/workflows/abc', 'Workflow not found'],
      ['/templates/messages/xyz', 'Template not found'],
    ] as const) {
      await page.goto(`${web.url}${path}`);
      await visible(page.getByText(title, { exact: true }));
      expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    }
  });

  it('never crashed', () => {
    expect(pageErrors).toEqual([]);
  });
});
