import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitSignIn, visible } from './support/browser';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import { demoUsers, stackFromEnv } from './support/stack';

// Issue 13 §5, as a new customer's first visit: sign up in a browser that says it is in
// Adelaide (+10:30 in summer, a zone no default lands on by chance; not Kolkata, which
// Chromium reports by its old name Asia/Calcutta), make the organisation, and
// find it in that zone; then the home page's checklist copies the starter sequence, which
// Sequences lists. The account and organisation stay in the throwaway stack.
describe('first day, as a new customer in a real browser', () => {
  let session: BrowserSession | undefined;
  let page: Page;
  let pageErrors: string[];
  let baseUrl: string;
  const suffix = Date.now().toString(36);
  const organisationName = `First Day Foods ${suffix}`;

  describePageOnFailure(() => session);

  beforeAll(async () => {
    session = await openBrowserSession(
      stackFromEnv(),
      { width: 1280, height: 800 },
      { timezoneId: 'Australia/Adelaide' },
    );
    ({ page, pageErrors } = session);
    baseUrl = session.web.url;
  });

  afterAll(async () => {
    await session?.close();
  });

  it("signs up and creates the organisation in the browser's time zone", async () => {
    await page.goto(`${baseUrl}/sign-up`);
    await page.getByLabel('Full name').fill('Priya Founder');
    await page.getByLabel('Email').fill(`first-day-${suffix}@forkflow.test`);
    await page.getByLabel('Password').fill('first-day-password-1');
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.getByRole('heading', { name: 'Create your organisation' }).waitFor();
    // The form says where its dates will be before anything is made.
    await visible(page.getByText('Australia/Adelaide', { exact: true }));
    await page.getByLabel('Organisation name').fill(organisationName);
    await page.getByRole('button', { name: 'Create organisation' }).click();

    await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
    await page.goto(`${baseUrl}/settings/business-calendar`);
    const zone = page.getByRole('combobox', { name: 'Time zone' });
    await zone.waitFor();
    expect(await zone.inputValue()).toBe('Australia/Adelaide');
  });

  it('shows the first-run checklist on the home page and copies the starter sequence', async () => {
    await page.goto(`${baseUrl}/`);
    const checklist = page.getByRole('region', { name: 'Get set up' });
    await checklist.waitFor();
    await visible(checklist.getByText('0 of 3 done'));
    await visible(checklist.getByRole('link', { name: 'Import a CSV' }));

    await checklist.getByRole('button', { name: 'Copy Demo Follow-up' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Demo Follow-up copied' }));
    await visible(checklist.getByText('1 of 3 done'));
    await visible(checklist.getByText('Done: Pick a starter sequence'));
    await checklist.getByRole('button', { name: 'Copy Demo Follow-up' }).waitFor({
      state: 'detached',
    });
  });

  it('lists the copied sequence in Sequences, with its seven steps', async () => {
    await page
      .getByRole('region', { name: 'Get set up' })
      .getByRole('link', { name: 'Open Sequences' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Sequences' }).waitFor();
    await page.getByRole('link', { name: 'Demo Follow-up', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Demo Follow-up', exact: true }).waitFor();
    await visible(page.getByText('Steps (7)'));
    for (const step of [
      'Step 1: Send demo confirmation',
      'Step 6: Check-in call',
      'Step 7: Contract proposal',
    ]) {
      await visible(page.getByText(step, { exact: true }));
    }
  });

  it('opens the Add restaurant form from the checklist in one click', async () => {
    await page.goto(`${baseUrl}/`);
    await page
      .getByRole('region', { name: 'Get set up' })
      .getByRole('link', { name: 'Add restaurant' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Restaurants' }).waitFor();
    const dialog = page.getByRole('dialog', { name: 'Add restaurant' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('hides the checklist for good when dismissed', async () => {
    await page.goto(`${baseUrl}/`);
    const checklist = page.getByRole('region', { name: 'Get set up' });
    await checklist.getByRole('button', { name: 'Hide the getting-started checklist' }).click();
    await checklist.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
    expect(await page.getByRole('region', { name: 'Get set up' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});

// The restaurants' selection bar stays on screen while the list scrolls, and the toast stack
// sits above it, never over its buttons.
describe('the restaurants selection bar, as the demo rep', () => {
  let session: BrowserSession | undefined;
  let page: Page;

  describePageOnFailure(() => session);

  beforeAll(async () => {
    session = await openBrowserSession(stackFromEnv(), { width: 1280, height: 560 });
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
  });

  it('stays in view at both ends of a long list, below the toasts', async () => {
    await page.goto(`${session!.web.url}/sign-in`);
    await submitSignIn(page, demoUsers.rep);
    await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
    await page.goto(`${session!.web.url}/restaurants`);
    await page.getByRole('checkbox', { name: 'Select all restaurants on this page' }).click();
    const bar = page.getByRole('region', { name: 'Selected restaurants' });
    await bar.waitFor();

    const { scrollHeight, innerHeight } = await page.evaluate(() => ({
      scrollHeight: document.documentElement.scrollHeight,
      innerHeight: window.innerHeight,
    }));
    // The list is longer than the screen, so the bar's place in the page scrolls away at one
    // end or the other unless it sticks.
    expect(scrollHeight).toBeGreaterThan(innerHeight + 300);
    for (const top of [0, scrollHeight]) {
      await page.evaluate((y) => window.scrollTo(0, y), top);
      await page.waitForFunction((y) => (y === 0 ? window.scrollY === 0 : window.scrollY > 0), top);
      const box = await bar.boundingBox();
      expect(box, `bar at scroll ${top}`).not.toBeNull();
      expect(box!.y, `bar top at scroll ${top}`).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height, `bar bottom at scroll ${top}`).toBeLessThanOrEqual(
        innerHeight + 1,
      );
      // The stack is lifted on the next frame after a scroll.
      const notifications = page.getByRole('region', { name: 'Notifications' });
      await expect
        .poll(async () => {
          const toasts = await notifications.boundingBox();
          return toasts!.y + toasts!.height;
        })
        .toBeLessThanOrEqual(box!.y);
    }
  });
});
