import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, visible } from './support/browser';
import { demoUsers, fetchAccessToken, stackFromEnv, type StackEnv } from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

// Issue 14 §3, as an owner in a real browser: add a schedule trigger and an event trigger on
// a workflow from its page, see both described; move a restaurant to "Demo done" on the
// pipeline and find the event trigger's firing and its job, which says what started it. The
// orchestrator (cron every second on the test stack) drains the app event outbox for real.

/** The seeded demo organisation (supabase/seed.sql), where the owner works. */
const DEMO_ORGANISATION_ID = '00000000-0000-4000-8000-000000000001';

describe('workflow triggers, as the demo owner in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  let token = '';
  let workflowId = '';
  let restaurantId = '';
  const suffix = Date.now().toString(36);
  const key = `e2e-triggers-${suffix}`;
  const restaurant = `Trigger Bistro ${suffix}`;
  // Only this run's restaurant: other files may move the demo organisation's restaurants to
  // demo_done on the same stack at the same time.
  const filter = `@.to_stage == 'demo_done' && @.restaurant.name == '${restaurant}'`;

  describePageOnFailure(() => session);

  const call = async (path: string, body?: unknown, method = body ? 'POST' : 'GET') => {
    const response = await fetch(`${stack.supabaseUrl}${path}`, {
      method,
      headers: {
        apikey: stack.anonKey,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        prefer: 'return=representation',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };

  beforeAll(async () => {
    stack = stackFromEnv();
    token = (await fetchAccessToken(stack, demoUsers.owner)) ?? '';
    const saved = (await call('/functions/v1/save-workflow', {
      organisation_id: DEMO_ORGANISATION_ID,
      key,
      name: `E2E Triggers ${suffix}`,
      definition: {
        start_step: 'step1',
        steps: {
          step1: {
            transformer_id: 'echo-transformer',
            input_map: { data: '$.job_input.event.to_stage' },
            next_step: null,
          },
        },
      },
    })) as { id: string };
    workflowId = saved.id;
    const [row] = (await call('/rest/v1/restaurants', {
      organisation_id: DEMO_ORGANISATION_ID,
      name: restaurant,
      city: 'Porthaven',
      lead_stage: 'demo_booked',
    })) as { id: string }[];
    restaurantId = row?.id ?? '';
    session = await openBrowserSession(stack, { width: 1280, height: 900 });
    ({ web, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
    if (!stack || !token) return;
    // The workflow goes for good (its triggers and firings with it), the restaurant to the trash.
    await call('/rest/v1/rpc/delete_workflow', {
      p_workflow_id: workflowId,
      p_confirm_key: key,
    }).catch(() => undefined);
    if (restaurantId) {
      await call('/rest/v1/rpc/move_to_trash', {
        p_kind: 'restaurant',
        p_ids: [restaurantId],
      }).catch(() => undefined);
    }
  });

  const triggers = () => page.getByRole('region', { name: 'Triggers' });

  it('opens the workflow and finds no triggers, with the three kinds explained', async () => {
    await signIn(page, web.url, demoUsers.owner);
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await page.goto(`${web.url}/workflows/${workflowId}`);
    await visible(triggers().getByText('No triggers: this workflow runs only when started.'));
  });

  it('adds a schedule trigger from a preset and sees it described with its next time', async () => {
    await triggers().getByRole('button', { name: 'Add trigger' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a trigger' });
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('Weekday morning');
    await dialog.getByRole('button', { name: 'Every weekday at 09:00' }).click();
    const preview = dialog.getByLabel('Schedule preview');
    await visible(preview.getByText(/At 09:00 on Monday to Friday/));
    expect(await preview.locator('time').count()).toBe(3);
    await dialog.getByRole('button', { name: 'Add trigger' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = triggers().getByRole('listitem', { name: 'Weekday morning' });
    await visible(row.getByText(/At 09:00 on Monday to Friday \(.+\) — next/));
    await visible(row.getByText('Not fired yet.'));
  });

  it('adds an event trigger with a filter on the stage change', async () => {
    await triggers().getByRole('button', { name: 'Add trigger' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a trigger' });
    await dialog.getByRole('radio', { name: /App event/ }).check();
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('Demo done');
    await dialog.getByRole('combobox', { name: /^Event/ }).selectOption('restaurant.stage_changed');
    const field = dialog.getByRole('textbox', { name: /^Filter/ });
    // A filter that does not parse is refused in words before anything is sent.
    await field.fill("@.to_stage == 'demo_done");
    await dialog.getByRole('button', { name: 'Add trigger' }).click();
    await visible(dialog.getByText(/Not a filter the trigger can run/));
    await field.fill(filter);
    await dialog.getByRole('button', { name: 'Add trigger' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = triggers().getByRole('listitem', { name: 'Demo done' });
    await visible(row.getByText(`When a restaurant's stage changes, if ${filter}`));
    expect(await triggers().getByRole('listitem').count()).toBe(2);
  });

  it('moves the restaurant to Demo done on the pipeline; the trigger fires and its job says so', async () => {
    await page.goto(`${web.url}/pipeline?q=${encodeURIComponent(restaurant)}`);
    await page.getByLabel(`Stage of ${restaurant}`).selectOption('demo_done');
    await expect
      .poll(
        async () =>
          (
            (await call(`/rest/v1/restaurants?select=lead_stage&id=eq.${restaurantId}`)) as {
              lead_stage: string;
            }[]
          )[0]?.lead_stage,
        { timeout: 15_000 },
      )
      .toBe('demo_done');

    await page.goto(`${web.url}/workflows/${workflowId}`);
    const firings = triggers()
      .getByRole('listitem', { name: 'Demo done' })
      .getByRole('list', { name: 'Last firings of Demo done' });
    // The section refreshes every 5 s while a trigger is on; the orchestrator drains the
    // outbox within a run or two.
    const jobLink = firings.getByRole('link', { name: 'View job' });
    await jobLink.waitFor({ timeout: 45_000 });
    await visible(firings.getByText('Started'));
    await jobLink.click();

    await page.waitForURL(/\/jobs\//);
    const startedBy = page.getByText(/^Trigger Demo done \(app event\)/).first();
    await visible(startedBy);
    await visible(startedBy.getByRole('link', { name: 'Demo done' }));
    expect(pageErrors).toEqual([]);
  });

  it('adds a webhook, copies its secret from the one-time dialog, and a signed delivery fires it', async () => {
    await page.goto(`${web.url}/workflows/${workflowId}`);
    await triggers().getByRole('button', { name: 'Add trigger' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a trigger' });
    await dialog.getByRole('radio', { name: /Webhook/ }).check();
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('CRM push');
    await dialog.getByRole('button', { name: 'Add trigger' }).click();

    const reveal = page.getByRole('dialog', { name: 'CRM push is ready' });
    const url = (await reveal.getByLabel('Webhook URL').innerText()).trim();
    const secret = (await reveal.getByLabel('Webhook secret').innerText()).trim();
    expect(url).toMatch(/\/functions\/v1\/workflow-webhook\/[0-9a-f-]{36}$/);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await visible(reveal.getByLabel('Signing example').getByText(/openssl dgst -sha256 -hmac/));
    await reveal.getByRole('button', { name: 'I’ve copied the secret' }).click();
    await reveal.waitFor({ state: 'hidden' });
    // Shown once: the page holds it nowhere any more.
    expect(await page.getByText(secret).count()).toBe(0);

    // A delivery signed as the dialog's example signs it.
    const body = JSON.stringify({ order: 1042 });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    const delivery = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'forkflow-signature': `t=${t},v1=${v1}`,
        'idempotency-key': `e2e-${suffix}`,
      },
      body,
    });
    expect(delivery.status).toBe(202);

    const firings = triggers()
      .getByRole('listitem', { name: 'CRM push' })
      .getByRole('list', { name: 'Last firings of CRM push' });
    await firings.getByRole('link', { name: 'View job' }).waitFor({ timeout: 30_000 });
    expect(pageErrors).toEqual([]);
  });
});
