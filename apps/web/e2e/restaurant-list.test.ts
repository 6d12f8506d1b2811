import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitSignIn, visible } from './support/browser';
import { demoUsers, stackFromEnv, type StackEnv } from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

// The restaurant list in Chromium (issue 13 §1, §6): typing a search moves nothing on the
// page (cumulative layout shift, measured by the browser), and a saved view comes back.

/**
 * Every layout shift since the observer started, summed — including those right after input,
 * which the web-vitals CLS would forgive: a debounced search lands right after typing, and
 * that is exactly the jump the rep sees.
 */
async function startMeasuringShifts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const win = window as unknown as { __shift: number; __shifts: string[] };
    win.__shift = 0;
    win.__shifts = [];
    type Shift = { value: number; sources: { node?: Node | null }[] };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as Shift[]) {
        win.__shift += entry.value;
        // What moved, for the failure message.
        win.__shifts.push(
          `${entry.value.toFixed(3)}: ${entry.sources
            .map((source) => (source.node as Element | null)?.outerHTML?.slice(0, 80) ?? '?')
            .join(' | ')}`,
        );
      }
    }).observe({ type: 'layout-shift', buffered: false });
  });
}

const shiftSoFar = (page: Page): Promise<{ total: number; shifts: string[] }> =>
  page.evaluate(() => {
    const win = window as unknown as { __shift: number; __shifts: string[] };
    return { total: win.__shift, shifts: win.__shifts };
  });

describe('restaurant list, as the demo rep in Chromium', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  const viewName = `E2E view ${Date.now().toString(36)}`;

  describePageOnFailure(() => session);

  beforeAll(async () => {
    stack = stackFromEnv();
    session = await openBrowserSession(stack, { width: 1280, height: 800 });
    ({ web, page } = session);
    await page.goto(`${web.url}/restaurants`);
    await page.waitForURL(/\/sign-in\?redirectTo=/);
    await submitSignIn(page, demoUsers.rep);
    await page.getByRole('heading', { level: 1, name: 'Restaurants' }).waitFor();
    await visible(page.getByRole('link', { name: 'The Golden Wok' }));
  });

  afterAll(async () => {
    await session?.close();
  });

  it('keeps the rows and the filter bar still while a search is typed and applied', async () => {
    await startMeasuringShifts(page);
    const search = page.getByRole('searchbox', { name: 'Search restaurants' });
    await search.pressSequentially('pizza', { delay: 120 });
    await page.waitForURL((url) => url.searchParams.get('q') === 'pizza');
    await visible(page.getByRole('link', { name: "Luigi's Pizza Kitchen" }));
    await page.getByRole('link', { name: 'The Golden Wok' }).waitFor({ state: 'detached' });
    // Clearing the search brings every row back into the space that was kept for them.
    await search.fill('');
    await page.waitForURL((url) => !url.searchParams.has('q'));
    await visible(page.getByRole('link', { name: 'The Golden Wok' }));
    const shift = await shiftSoFar(page);
    expect(shift.total, shift.shifts.join('\n')).toBeLessThan(0.1);
  });

  it('finds a rep by typing in the rep picker', async () => {
    await page.getByRole('button', { name: /^Assigned rep/ }).click();
    await page
      .getByRole('combobox', { name: 'Search assigned rep' })
      .fill(demoUsers.rep.fullName.slice(0, 4));
    await page.getByRole('option', { name: new RegExp(demoUsers.rep.fullName) }).click();
    await page.waitForURL((url) => url.searchParams.has('rep'));
    await visible(
      page.getByRole('button', { name: new RegExp(`^Assigned rep ${demoUsers.rep.fullName}`) }),
    );
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((url) => !url.searchParams.has('rep'));
  });

  it('saves the current filters as a view, brings them back, and deletes the view', async () => {
    await page.getByLabel('Lead stage').selectOption({ label: 'Qualified' });
    await page.waitForURL((url) => url.searchParams.get('stage') === 'qualified');
    await page.getByRole('button', { name: 'Save view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save this view' });
    // The dialog says what the view keeps; the URL can be ahead of the page that shows it.
    await visible(dialog.getByText('Stage: Qualified'));
    await dialog.getByLabel('View name').fill(viewName);
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((url) => !url.searchParams.has('stage'));
    await page.getByLabel('Saved view').selectOption({ label: viewName });
    await page.waitForURL((url) => url.searchParams.get('stage') === 'qualified');

    await page.getByRole('button', { name: `Delete view ${viewName}` }).click();
    await page
      .getByRole('alertdialog', { name: 'Delete this view?' })
      .getByRole('button', { name: 'Delete view' })
      .click();
    await page.getByRole('alertdialog').waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.getByLabel('Saved view').locator('option', { hasText: viewName }).count())
      .toBe(0);
  });
});
