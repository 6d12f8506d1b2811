import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, visible } from './support/browser';
import { demoUsers, fetchAccessToken, stackFromEnv, type StackEnv } from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

const DEMO_ORGANISATION_ID = '00000000-0000-4000-8000-000000000001';
const REP_ID = '10000000-0000-4000-8000-000000000002';

// Editing a running sequence from the restaurant's page (issue 13 §3; seed 001 NFR-3 and
// decisions 2-3), as the demo rep in Chromium: add an ad-hoc step, change a pending step's
// delay, be asked before completing a step out of order (My tasks), delete the current step
// (the next one activates), add a step from a task's own card, then cancel and delete the
// ended sequence. The template, restaurant and sequence are made for this run (through the
// API, as the rep) and trashed after, so runs don't see each other. Each step checks what the
// server kept, not only what the page shows.
describe('editing a running sequence, as the demo rep in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  let token: string;
  const run = Date.now().toString(36);
  const templateName = `E2E Edit ${run}`;
  let templateId: string | undefined;
  let restaurant: { id: string; name: string } | undefined;
  let instanceId: string;

  describePageOnFailure(() => session);

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
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
    const text = await response.text();
    return (text ? JSON.parse(text) : null) as T;
  };

  /** The instance's steps as the server has them, in order. */
  const serverSteps = async () =>
    api<
      Array<{
        name: string;
        status: string;
        sequence_delay_value: number;
        sequence_delay_unit: string;
      }>
    >(
      `tasks?select=name,status,sequence_delay_value,sequence_delay_unit` +
        `&sequence_instance_id=eq.${instanceId}&order=sequence_step_order`,
    );

  beforeAll(async () => {
    stack = stackFromEnv();
    const fetched = await fetchAccessToken(stack, demoUsers.rep);
    if (!fetched) throw new Error('could not sign in the demo rep');
    token = fetched;
    const [template] = await api<Array<{ id: string }>>('sequence_templates?select=id', {
      method: 'POST',
      body: JSON.stringify({ organisation_id: DEMO_ORGANISATION_ID, name: templateName }),
    });
    templateId = template!.id;
    await api('sequence_steps', {
      method: 'POST',
      body: JSON.stringify(
        [
          ['Send demo confirmation', 'email', 0],
          ['Prepare demo materials', 'internal_activity', 1],
          ['Reminder call', 'call', 1],
        ].map(([name, type, days], index) => ({
          organisation_id: DEMO_ORGANISATION_ID,
          sequence_template_id: templateId,
          step_order: index + 1,
          name,
          type,
          delay_value: days,
          delay_unit: 'days',
        })),
      ),
    });
    [restaurant] = await api<Array<{ id: string; name: string }>>('restaurants?select=id,name', {
      method: 'POST',
      body: JSON.stringify({
        organisation_id: DEMO_ORGANISATION_ID,
        name: `E2E Bistro ${run}`,
        city: 'Leeds',
        lead_stage: 'qualified',
        assigned_sales_rep: REP_ID,
      }),
    });
    const instance = await api<{ id: string }>('rpc/start_sequence', {
      method: 'POST',
      body: JSON.stringify({ p_template_id: templateId, p_restaurant_id: restaurant!.id }),
    });
    instanceId = instance.id;
    session = await openBrowserSession(stack, { width: 1280, height: 900 });
    ({ web, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
    if (!stack || !token) return;
    // Into the trash, as the app deletes (the rep created both).
    if (restaurant) {
      await api('rpc/move_to_trash', {
        method: 'POST',
        body: JSON.stringify({ p_kind: 'restaurant', p_ids: [restaurant.id] }),
      }).catch(() => undefined);
    }
    if (templateId) {
      await api('rpc/move_to_trash', {
        method: 'POST',
        body: JSON.stringify({ p_kind: 'sequence_template', p_ids: [templateId] }),
      }).catch(() => undefined);
    }
  });

  const card = () =>
    page
      .getByRole('region', { name: 'Sequences', exact: true })
      .getByRole('article', { name: new RegExp(`^${templateName} – `) });

  it('opens the restaurant with its running sequence', async () => {
    await signIn(page, web.url, demoUsers.rep);
    await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
    await page.goto(`${web.url}/restaurants/${restaurant!.id}`);
    await page.getByRole('heading', { level: 1, name: restaurant!.name }).waitFor();
    await visible(card().getByText('Step 1 of 3'));
  });

  it('adds a step to the running sequence', async () => {
    await card().getByRole('button', { name: 'Add step' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a step' });
    await visible(dialog.getByText(/marked as modified/));
    await dialog
      .getByRole('combobox', { name: 'Position' })
      .selectOption({ label: 'After step 1: Send demo confirmation' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Send pricing');
    await dialog.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'Email' });
    await dialog.getByRole('spinbutton', { name: 'Delay' }).fill('2');
    await dialog.getByRole('textbox', { name: 'Message (optional)' }).fill('Prices attached.');
    await dialog.getByRole('button', { name: 'Add step' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByRole('status').filter({ hasText: 'Step added' }));

    await visible(card().getByText('Step 1 of 4'));
    await visible(card().getByText(/modified/));
    await card().getByRole('button', { name: 'Show steps' }).click();
    await visible(card().getByText('2. Send pricing'));
    expect(await serverSteps()).toEqual([
      expect.objectContaining({ name: 'Send demo confirmation', status: 'active' }),
      {
        name: 'Send pricing',
        status: 'pending',
        sequence_delay_value: 2,
        sequence_delay_unit: 'days',
      },
      expect.objectContaining({ name: 'Prepare demo materials', status: 'pending' }),
      expect.objectContaining({ name: 'Reminder call', status: 'pending' }),
    ]);
  });

  it("changes a pending step's delay", async () => {
    await card().getByRole('button', { name: 'Change the delay of step 4: Reminder call' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change the delay' });
    await visible(dialog.getByText(/Now 1 day after the step before/));
    await dialog.getByRole('spinbutton', { name: 'Delay' }).fill('6');
    await dialog.getByRole('combobox', { name: 'Delay unit' }).selectOption({ label: 'hours' });
    await dialog.getByRole('button', { name: 'Change delay' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByRole('status').filter({ hasText: 'Delay changed' }));
    await visible(card().getByText(/6 hours after the step before/));
    expect((await serverSteps())[3]).toEqual({
      name: 'Reminder call',
      status: 'pending',
      sequence_delay_value: 6,
      sequence_delay_unit: 'hours',
    });
  });

  it('completing a step out of order asks first; "Not yet" changes nothing', async () => {
    await page.goto(`${web.url}/tasks?status=pending&restaurant=${restaurant!.id}`);
    const later = page.getByRole('article', { name: 'Reminder call', exact: true });
    await later.getByRole('button', { name: 'Complete Reminder call' }).click();
    const ask = page.getByRole('alertdialog', { name: 'Complete this step out of order?' });
    await visible(ask.getByText('Steps 1–3 are still open; complete step 4 anyway?'));
    await ask.getByRole('button', { name: 'Not yet' }).click();
    await ask.waitFor({ state: 'hidden' });
    expect((await serverSteps()).map(({ status }) => status)).toEqual([
      'active',
      'pending',
      'pending',
      'pending',
    ]);
    await page.goto(`${web.url}/restaurants/${restaurant!.id}`);
    await visible(card().getByText('Step 1 of 4'));
    await card().getByRole('button', { name: 'Show steps' }).click();
  });

  it('deletes the current step: it says first that the next activates, and it does', async () => {
    await card().getByRole('button', { name: 'Delete step 1: Send demo confirmation' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete step 1?' });
    await visible(confirm.getByText(/step 2 \(Send pricing\) becomes active now, due in 2 days/));
    await confirm.getByRole('button', { name: 'Delete step' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await visible(
      page
        .getByRole('status')
        .filter({ hasText: 'The active step was deleted; the next step is now active.' }),
    );
    await visible(card().getByText('Now: Send pricing'));
    await visible(card().getByText('Step 1 of 3'));
    expect((await serverSteps()).map(({ name, status }) => [name, status])).toEqual([
      ['Send pricing', 'active'],
      ['Prepare demo materials', 'pending'],
      ['Reminder call', 'pending'],
    ]);
  });

  it("adds a step from a task's own card", async () => {
    const taskCard = page.getByRole('article', { name: 'Send pricing', exact: true });
    await taskCard.getByRole('button', { name: 'Edit the sequence of Send pricing' }).click();
    const choices = page.getByRole('dialog', { name: 'Edit this sequence' });
    await choices.getByRole('button', { name: 'Add a step after this one' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a step' });
    expect(
      await dialog
        .getByRole('combobox', { name: 'Position' })
        .evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent),
    ).toBe('After step 1: Send pricing');
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Call the owner');
    await dialog.getByRole('button', { name: 'Add step' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(card().getByText('Step 1 of 4'));
    expect((await serverSteps()).map(({ name }) => name)).toEqual([
      'Send pricing',
      'Call the owner',
      'Prepare demo materials',
      'Reminder call',
    ]);
  });

  it('deletes the sequence once ended; its tasks stay', async () => {
    await card().getByRole('button', { name: 'Cancel sequence' }).click();
    await page
      .getByRole('alertdialog', { name: 'Cancel this sequence?' })
      .getByRole('button', { name: 'Cancel sequence' })
      .click();
    await visible(card().getByText('Cancelled', { exact: true }));
    await card()
      .getByRole('button', { name: /^Delete E2E Edit/ })
      .click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete this sequence?' });
    await visible(confirm.getByText(/Its 4 tasks stay on the restaurant/));
    await confirm.getByRole('button', { name: 'Delete sequence' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Sequence deleted' }));
    await card().waitFor({ state: 'detached' });

    expect(await api<unknown[]>(`sequence_instances?select=id&id=eq.${instanceId}`)).toEqual([]);
    const kept = await api<Array<{ name: string; sequence_instance_id: string | null }>>(
      `tasks?select=name,sequence_instance_id&restaurant_id=eq.${restaurant!.id}&order=name`,
    );
    expect(kept).toEqual([
      { name: 'Call the owner', sequence_instance_id: null },
      { name: 'Prepare demo materials', sequence_instance_id: null },
      { name: 'Reminder call', sequence_instance_id: null },
      { name: 'Send pricing', sequence_instance_id: null },
    ]);
  });

  it('never crashed', () => {
    expect(pageErrors).toEqual([]);
  });
});
