import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitSignIn, visible } from './support/browser';
import {
  demoOrganisation,
  demoUsers,
  fetchAccessToken,
  stackFromEnv,
  type StackEnv,
} from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

// Issue 13 §4, as the demo rep in Chromium: a 500-row CSV with rows that fail, rows that
// repeat one another and rows matching restaurants the organisation already has, through
// the import page to the summary, the error file and the list.
describe('restaurant CSV import, as the demo rep in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  const tag = `E2E Imp ${Date.now().toString(36)}`;
  const VALID = 480;

  describePageOnFailure(() => session);

  async function api(path: string, init: RequestInit = {}) {
    const token = await fetchAccessToken(stack, demoUsers.rep);
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
    return response.json() as Promise<Array<{ id: string; name: string }>>;
  }

  const taggedRows = () =>
    api(`restaurants?select=id,name&name=like.${encodeURIComponent(`${tag}*`)}`);

  beforeAll(async () => {
    stack = stackFromEnv();
    const [organisation] = await api(
      `organisations?select=id,name&name=eq.${encodeURIComponent(demoOrganisation)}`,
    );
    // Five restaurants the file will duplicate by email (skipped: the default choice).
    await api('restaurants', {
      method: 'POST',
      body: JSON.stringify(
        Array.from({ length: 5 }, (_, k) => ({
          organisation_id: organisation!.id,
          name: `${tag} existing ${k}`,
          contact_email: `existing${k}@imp-e2e.test`,
        })),
      ),
    });
    session = await openBrowserSession(stack, { width: 1280, height: 900 });
    ({ web, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
    if (!stack) return;
    const rows = await taggedRows().catch(() => []);
    for (let start = 0; start < rows.length; start += 100) {
      await api('rpc/move_to_trash', {
        method: 'POST',
        body: JSON.stringify({
          p_kind: 'restaurant',
          p_ids: rows.slice(start, start + 100).map((row) => row.id),
        }),
      });
    }
  });

  function csvFile(): string {
    const lines = ['Restaurant;City;E-mail;Stage;Notes'];
    for (let i = 0; i < VALID; i += 1) {
      lines.push(
        `${tag} ${String(i).padStart(3, '0')};Leeds;row${i}@imp-e2e.test;Qualified;"line ${i}; ok"`,
      );
    }
    for (let k = 0; k < 5; k += 1) lines.push(`;Leeds;noname${k}@imp-e2e.test;New;`);
    for (let k = 0; k < 5; k += 1) lines.push(`${tag} bad email ${k};Leeds;not-an-email;New;`);
    for (let k = 0; k < 5; k += 1) lines.push(`${tag} repeat ${k};York;ROW${k}@imp-e2e.test;New;`);
    for (let k = 0; k < 5; k += 1)
      lines.push(`${tag} dup ${k};Bath;existing${k}@imp-e2e.test;New;`);
    return `\uFEFF${lines.join('\r\n')}\r\n`;
  }

  it('reads the file, guesses the columns and counts what will happen before importing', async () => {
    await page.goto(`${web.url}/restaurants/import`);
    await page.waitForURL(/\/sign-in\?redirectTo=/);
    await submitSignIn(page, demoUsers.rep);
    await page.getByRole('heading', { level: 1, name: 'Import restaurants' }).waitFor();

    await page.getByLabel('Choose a CSV file').setInputFiles({
      name: 'leads.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csvFile(), 'utf8'),
    });
    await page.getByRole('heading', { name: 'Match the columns of leads.csv' }).waitFor();
    expect(await page.getByLabel('Field for column Restaurant').inputValue()).toBe('name');
    expect(await page.getByLabel('Field for column E-mail').inputValue()).toBe('contact_email');
    expect(await page.getByLabel('Field for column Stage').inputValue()).toBe('lead_stage');

    const preview = page.getByRole('table', { name: 'Preview of the first rows' });
    expect(await preview.locator('tbody tr').count()).toBe(20);
    await visible(preview.getByRole('cell', { name: `${tag} 000` }));

    const checks = page.getByTestId('import-checks');
    await visible(checks.getByText('485 rows ready to import'));
    await visible(checks.getByText('10 rows with problems', { exact: false }));
    await visible(checks.getByText('5 rows repeating an earlier row', { exact: false }));
    await visible(checks.getByText('5 rows match a restaurant you already have', { exact: false }));
  });

  it('imports with a progress bar and sums up created, skipped and failed rows', async () => {
    await page.getByRole('button', { name: 'Import 485 rows' }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor();
    expect(await page.getByTestId('import-created').innerText()).toBe(String(VALID));
    expect(await page.getByTestId('import-updated').innerText()).toBe('0');
    expect(await page.getByTestId('import-skipped').innerText()).toBe('10');
    expect(await page.getByTestId('import-failed').innerText()).toBe('10');
    await visible(page.getByText('Line 482: Name is required'));
  });

  it('downloads the failed rows with their reasons as a CSV', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download error file' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('restaurant-import-errors.csv');
    const text = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Restaurant,City,E-mail,Stage,Notes,Line,Error');
    expect(lines).toHaveLength(11);
    expect(lines.filter((line) => line.endsWith('Enter a valid email address'))).toHaveLength(5);
    expect(lines.filter((line) => line.endsWith('Name is required'))).toHaveLength(5);
  });

  it('shows the imported restaurants in the list, each once', async () => {
    await page.getByRole('link', { name: 'Go to restaurants' }).click();
    await page.getByRole('heading', { level: 1, name: 'Restaurants' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search restaurants' }).fill(`${tag} 479`);
    await visible(page.getByRole('link', { name: `${tag} 479` }));

    const rows = await taggedRows();
    // 480 imported and the 5 that were there; no repeat, no duplicate, no failed row.
    expect(rows).toHaveLength(VALID + 5);
    expect(new Set(rows.map((row) => row.name)).size).toBe(VALID + 5);
    expect(rows.some((row) => row.name.includes('repeat') || row.name.includes('dup'))).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  it('warns, without blocking, when a new restaurant looks like one the organisation has', async () => {
    await page.getByRole('button', { name: 'Add restaurant' }).first().click();
    const form = page.getByRole('form', { name: 'Add restaurant' });
    await form.getByLabel(/^Name/).fill('spice route');
    await form.getByLabel(/^City/).fill('CARDIFF');
    const warning = form
      .getByRole('status')
      .filter({ hasText: 'Looks like a restaurant you already have' });
    await visible(warning.getByRole('link', { name: 'Spice Route (Cardiff)' }));
    await visible(warning.getByText('same name and city', { exact: false }));
    // Another city: no longer the same restaurant.
    await form.getByLabel(/^City/).fill('Swansea');
    await warning.waitFor({ state: 'detached' });
    await expect(form.getByRole('button', { name: 'Add restaurant' }).isEnabled()).resolves.toBe(
      true,
    );
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(pageErrors).toEqual([]);
  });
});
