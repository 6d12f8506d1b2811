import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, visible } from './support/browser';
import { demoUsers, fetchAccessToken, stackFromEnv, type StackEnv } from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

// Issue 12 (the workflow manager), as a person does it in a real browser.

/** The seeded demo organisation (supabase/seed.sql), where the owner works. */
const DEMO_ORGANISATION_ID = '00000000-0000-4000-8000-000000000001';

/** Calls the stack over plain HTTP as the demo owner (set-up and clean-up, no page state). */
async function asOwner(stack: StackEnv, path: string, body: unknown): Promise<Response> {
  const token = await fetchAccessToken(stack, demoUsers.owner);
  if (!token) throw new Error('the demo owner could not sign in');
  return fetch(`${stack.supabaseUrl}${path}`, {
    method: 'POST',
    headers: {
      apikey: stack.anonKey,
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
  });
}

// §2: duplicate a workflow, open the copy, delete it for good by typing its key; the copy is
// gone from the list and the original stays.
describe('duplicate a workflow, then delete the copy permanently', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  const suffix = Date.now().toString(36);
  const name = `E2E Manager ${suffix}`;
  const key = `e2e-manager-${suffix}`;
  const copyKey = `${key}-copy`;
  let original: { id: string } | undefined;
  let copyUrl = '';

  describePageOnFailure(() => session);

  beforeAll(async () => {
    stack = stackFromEnv();
    // The workflow to duplicate, saved as the editor saves it (save-workflow).
    const saved = await asOwner(stack, '/functions/v1/save-workflow', {
      organisation_id: DEMO_ORGANISATION_ID,
      key,
      name,
      description: 'Duplicated and deleted by the workflow manager e2e test',
      definition: {
        start_step: 'step1',
        steps: {
          step1: {
            transformer_id: 'echo-transformer',
            input_map: { data: '$.job_input.payload' },
            next_step: null,
          },
        },
        output_map: { result: '$.step1.output.echoed_data' },
      },
    });
    if (!saved.ok) throw new Error(`save-workflow: ${saved.status} ${await saved.text()}`);
    original = (await saved.json()) as { id: string };
    session = await openBrowserSession(stack, { width: 1280, height: 900 });
    ({ web, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
    // This run's workflows go for good: the original, and the copy if a step failed before.
    if (!stack) return;
    const token = await fetchAccessToken(stack, demoUsers.owner);
    if (!token) return;
    const rows = await fetch(
      `${stack.supabaseUrl}/rest/v1/workflows?select=id,key&key=like.${encodeURIComponent(`${key}*`)}`,
      { headers: { apikey: stack.anonKey, authorization: `Bearer ${token}` } },
    ).then((response) =>
      response.ok ? (response.json() as Promise<{ id: string; key: string }[]>) : [],
    );
    for (const row of rows) {
      await asOwner(stack, '/rest/v1/rpc/delete_workflow', {
        p_workflow_id: row.id,
        p_confirm_key: row.key,
      });
    }
  });

  it('signs in and finds the workflow in the list', async () => {
    await signIn(page, web.url, demoUsers.owner);
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Workflows' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Workflows' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search workflows' }).fill(key);
    const list = page.getByRole('list', { name: 'Workflows' });
    await list.getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
  });

  it('duplicates it and lands on the copy, version 1 noting its source', async () => {
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('heading', { level: 1, name: `Copy of ${name}` }).waitFor();
    copyUrl = page.url();
    expect(new URL(copyUrl).pathname).toMatch(/^\/workflows\/[0-9a-f-]{36}$/);
    expect(new URL(copyUrl).pathname).not.toBe(`/workflows/${original?.id}`);
    await visible(
      page.getByRole('list', { name: 'Versions' }).getByText(`Duplicated from ${key} v1`),
    );
  });

  it('deletes the copy permanently: the dialog says what goes and wants the key', async () => {
    await page.getByRole('button', { name: 'Delete permanently' }).click();
    const dialog = page.getByRole('alertdialog', { name: `Delete Copy of ${name} permanently?` });
    await visible(dialog.getByText('This deletes 1 version; it has no job history.'));
    const confirm = dialog.getByRole('button', { name: 'Delete permanently' });
    expect(await confirm.isDisabled()).toBe(true);

    const typed = dialog.getByRole('textbox', { name: `Type ${copyKey} to confirm` });
    await typed.fill(key); // the original's key is not this workflow's
    expect(await confirm.isDisabled()).toBe(true);
    await typed.fill(copyKey);
    await confirm.click();

    await page.waitForURL((url) => url.pathname === '/workflows');
    await page.getByRole('heading', { level: 1, name: 'Workflows' }).waitFor();
    await visible(page.getByText('Workflow deleted'));
  });

  it('the copy is gone from the list and the original remains', async () => {
    await page.getByRole('searchbox', { name: 'Search workflows' }).fill(key);
    const list = page.getByRole('list', { name: 'Workflows' });
    await visible(list.getByRole('link', { name, exact: true }));
    // The search has been applied once the URL carries it and the list shows one row.
    await page.waitForURL((url) => url.searchParams.get('q') === key);
    await expect.poll(() => list.getByRole('listitem').count(), { timeout: 15_000 }).toBe(1);
    expect(await list.getByRole('link', { name: `Copy of ${name}` }).count()).toBe(0);

    // Its page is gone too.
    await page.goto(copyUrl);
    await visible(page.getByText('Workflow not found'));
    expect(pageErrors).toEqual([]);
  });
});
