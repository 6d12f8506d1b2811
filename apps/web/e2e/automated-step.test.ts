import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, visible } from './support/browser';
import { demoUsers, fetchAccessToken, stackFromEnv, type StackEnv } from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

const DEMO_ORGANISATION_ID = '00000000-0000-4000-8000-000000000001';
const REP_ID = '10000000-0000-4000-8000-000000000002';

/**
 * How long the echo step sleeps (execute-echo's `delay_ms` test hook, on in `pnpm test`'s
 * stack): the job stays running for at least this long, so the page's 2-second refresh shows
 * "Running …" before "Done" even on a loaded machine.
 */
const ECHO_DELAY_MS = 8_000;
/**
 * Bounds, not sleeps: the waits end as soon as the page shows the state. A due automated step
 * starts at the orchestrator's next cron tick (every 5 s); then the job sleeps ECHO_DELAY_MS;
 * a loaded CI box may add tens of seconds to both.
 */
const STARTS_WITHIN_MS = 60_000;
const ENDS_WITHIN_MS = 90_000;

// Issue 14 §1 end to end, as the demo rep in Chromium, with the real orchestrator run by the
// stack's cron: build a sequence [email, automated (a workflow echoing the restaurant's name),
// email] in the builder, start it on a restaurant, complete step 1, watch the automated step
// wait, run and finish by itself, and step 3 become the active task. The workflow (made by the
// owner, as only owners and admins make workflows), the template and the restaurant are this
// run's and are archived or trashed after.
describe('an automated sequence step, as the demo rep in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  let repToken: string;
  let ownerToken: string;
  const run = Date.now().toString(36);
  const workflowName = `E2E Echo ${run}`;
  const workflowKey = `e2e-echo-${run}`;
  const templateName = `E2E Automated ${run}`;
  let workflowId: string | undefined;
  let restaurant: { id: string; name: string } | undefined;

  describePageOnFailure(() => session);

  const call = async <T>(token: string, path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${stack.supabaseUrl}${path}`, {
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

  beforeAll(async () => {
    stack = stackFromEnv();
    const [rep, owner] = await Promise.all([
      fetchAccessToken(stack, demoUsers.rep),
      fetchAccessToken(stack, demoUsers.owner),
    ]);
    if (!rep || !owner) throw new Error('could not sign in the demo users');
    repToken = rep;
    ownerToken = owner;
    // Echoes `payload` back as `result`, after sleeping `delay_ms` (declared inputs, so the
    // builder shows a row for each).
    const saved = await call<{ id: string }>(ownerToken, '/functions/v1/save-workflow', {
      method: 'POST',
      body: JSON.stringify({
        organisation_id: DEMO_ORGANISATION_ID,
        key: workflowKey,
        name: workflowName,
        description: 'Run by the automated step e2e test',
        definition: {
          inputs: [
            { name: 'payload', type: 'string', required: true },
            { name: 'delay_ms', type: 'integer' },
          ],
          start_step: 'step1',
          steps: {
            step1: {
              transformer_id: 'echo-transformer',
              input_map: { data: '$.job_input.payload', delay_ms: '$.job_input.delay_ms' },
              next_step: null,
            },
          },
          output_map: { result: '$.step1.output.echoed_data' },
        },
      }),
    });
    workflowId = saved.id;
    [restaurant] = await call<Array<{ id: string; name: string }>>(
      repToken,
      '/rest/v1/restaurants?select=id,name',
      {
        method: 'POST',
        body: JSON.stringify({
          organisation_id: DEMO_ORGANISATION_ID,
          name: `E2E Automat ${run}`,
          city: 'York',
          lead_stage: 'qualified',
          assigned_sales_rep: REP_ID,
        }),
      },
    );
    session = await openBrowserSession(stack, { width: 1280, height: 900 });
    ({ web, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
    if (!stack) return;
    const trash = (token: string, kind: string, ids: string[]) =>
      call(token, '/rest/v1/rpc/move_to_trash', {
        method: 'POST',
        body: JSON.stringify({ p_kind: kind, p_ids: ids }),
      }).catch(() => undefined);
    if (restaurant && repToken) await trash(repToken, 'restaurant', [restaurant.id]);
    if (repToken) {
      const templates = await call<Array<{ id: string }>>(
        repToken,
        `/rest/v1/sequence_templates?select=id&name=eq.${encodeURIComponent(templateName)}`,
      ).catch(() => []);
      if (templates.length) {
        await trash(
          repToken,
          'sequence_template',
          templates.map((row) => row.id),
        );
      }
    }
    if (workflowId && ownerToken) {
      await call(ownerToken, '/rest/v1/rpc/set_workflow_status', {
        method: 'POST',
        body: JSON.stringify({ p_workflow_id: workflowId, p_status: 'archived' }),
      }).catch(() => undefined);
    }
  });

  const step = (index: number) => page.getByRole('group', { name: `Step ${index}` });
  const tasksRegion = () => page.getByRole('region', { name: 'Tasks', exact: true });
  const taskCard = (name: string) => tasksRegion().getByRole('article', { name, exact: true });

  async function fillStep(index: number, name: string, type: string, delay: string) {
    const group = step(index);
    await group.getByRole('textbox', { name: 'Step name' }).fill(name);
    await group.getByLabel('Type', { exact: true }).selectOption({ label: type });
    await group.getByLabel(`Delay of step ${index}`).fill(delay);
    await group.getByLabel(`Delay unit of step ${index}`).selectOption('days');
  }

  it('builds the sequence with an automated step from the builder', async () => {
    await signIn(page, web.url, demoUsers.rep);
    await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();
    await page.goto(`${web.url}/sequence-templates/new`);
    await page.getByRole('heading', { level: 1, name: 'New sequence' }).waitFor();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(templateName);

    await fillStep(1, 'Send the intro', 'Email', '0');
    await page.getByRole('button', { name: 'Add step' }).click();
    await fillStep(2, 'Echo the name', 'Automated (workflow)', '0');
    // The workflow, found by typing part of its name.
    await step(2)
      .getByRole('button', { name: /^Workflow/ })
      .click();
    await page.getByRole('combobox', { name: 'Search workflow' }).fill(`Echo ${run}`);
    await page.getByRole('option', { name: new RegExp(workflowName) }).click();
    // A row per declared input: the required one says so until it has a source.
    const payload = step(2).getByRole('group', { name: 'Input payload' });
    await visible(payload.getByText('payload is required: choose where it comes from'));
    await payload.getByLabel(/Source of payload/).selectOption({ label: 'Restaurant field' });
    await payload.getByLabel('Restaurant field for payload').selectOption({ label: 'Name' });
    await payload.getByText('payload is required').waitFor({ state: 'detached' });
    const delay = step(2).getByRole('group', { name: 'Input delay_ms' });
    await delay.getByLabel(/Source of delay_ms/).selectOption({ label: 'Fixed value' });
    await delay.getByLabel('Fixed value for delay_ms').fill(String(ECHO_DELAY_MS));

    await page.getByRole('button', { name: 'Add step' }).click();
    await fillStep(3, 'Follow-up email', 'Email', '1');

    await page.getByRole('button', { name: 'Create sequence' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Sequence created' }));
    await page.getByRole('heading', { level: 1, name: templateName }).waitFor();
    await visible(page.getByText('Automated (workflow)'));

    // Saved as the engine reads it.
    const [saved] = await call<
      Array<{ sequence_steps: Array<{ type: string; workflow_id: string; input_map: unknown }> }>
    >(
      repToken,
      `/rest/v1/sequence_templates?select=sequence_steps(type,workflow_id,input_map,step_order)` +
        `&name=eq.${encodeURIComponent(templateName)}&sequence_steps.order=step_order`,
    );
    expect(saved!.sequence_steps.map((row) => row.type)).toEqual(['email', 'automated', 'email']);
    expect(saved!.sequence_steps[1]).toMatchObject({
      workflow_id: workflowId,
      input_map: {
        payload: { source: 'restaurant', field: 'name' },
        delay_ms: { source: 'value', value: ECHO_DELAY_MS },
      },
    });
  });

  it('starts it on a restaurant; the automated step waits for the step before', async () => {
    await page.goto(`${web.url}/restaurants/${restaurant!.id}`);
    await page.getByRole('heading', { level: 1, name: restaurant!.name }).waitFor();
    const sequences = page.getByRole('region', { name: 'Sequences', exact: true });
    await sequences.getByRole('button', { name: 'Start sequence' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start a sequence' });
    await dialog
      .getByRole('combobox', { name: 'Sequence' })
      .selectOption({ label: `${templateName} (3 steps)` });
    await dialog.getByRole('button', { name: 'Start sequence' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByRole('status').filter({ hasText: 'Sequence started' }));
    await visible(taskCard('Send the intro'));
  });

  it('completing step 1 runs the automated step by itself: running, then done, and step 3 is next', async () => {
    // Every state the automated task's card shows, as it shows it (the page refreshes itself).
    const seen: string[] = [];
    await page.exposeFunction('reportAutomationState', (state: string) => {
      if (seen.at(-1) !== state) seen.push(state);
    });
    await page.evaluate(() => {
      const report = (window as unknown as { reportAutomationState: (s: string) => void })
        .reportAutomationState;
      const scan = () => {
        for (const article of document.querySelectorAll('article[data-task-id]')) {
          if (!article.textContent?.includes('Echo the name')) continue;
          const panel = article.querySelector('[data-automation-status]');
          if (panel) report(panel.getAttribute('data-automation-status') ?? '');
        }
      };
      new MutationObserver(scan).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-automation-status'],
      });
      scan();
    });

    await taskCard('Send the intro')
      .getByRole('button', { name: 'Complete Send the intro' })
      .click();
    await visible(page.getByRole('status').filter({ hasText: 'Task completed' }));

    // Its job starts at the orchestrator's next tick: the card says it is running its
    // workflow and links to the job.
    const automated = taskCard('Echo the name');
    await automated
      .getByText(`Running ${workflowName}`)
      .waitFor({ state: 'visible', timeout: STARTS_WITHIN_MS });
    const jobHref = await automated
      .getByRole('link', { name: 'View the job' })
      .getAttribute('href');
    expect(jobHref).toMatch(/^\/jobs\/[0-9a-f-]{36}$/);

    // The job's end completes the task: step 3 becomes the active task, the sequence's card
    // says step 3, and the automated task is done with the job's output.
    await taskCard('Follow-up email')
      .getByRole('button', { name: 'Complete Follow-up email' })
      .waitFor({ state: 'visible', timeout: ENDS_WITHIN_MS });
    await visible(
      page
        .getByRole('region', { name: 'Sequences', exact: true })
        .getByRole('article', { name: new RegExp(`^${templateName} – `) })
        .getByText('Step 3 of 3'),
    );
    await page.getByRole('button', { name: /^Done \(\d+\)$/ }).click();
    const done = taskCard('Echo the name');
    await visible(done.getByText(`Done by ${workflowName}`));
    await visible(
      done.getByRole('list', { name: 'Output' }).getByText(`result: ${restaurant!.name}`),
    );
    expect(seen.at(-1)).toBe('done');
    expect(seen).toContain('running');
    expect(seen.indexOf('running')).toBeLessThan(seen.lastIndexOf('done'));

    // What the server kept: the task completed by nobody with the job's output; one job.
    const tasks = await call<
      Array<{
        name: string;
        status: string;
        automation_status: string | null;
        automation_output: unknown;
        completed_by: string | null;
        job_id: string | null;
      }>
    >(
      repToken,
      `/rest/v1/tasks?select=name,status,automation_status,automation_output,completed_by,job_id` +
        `&restaurant_id=eq.${restaurant!.id}&order=sequence_step_order`,
    );
    expect(tasks.map(({ name, status }) => [name, status])).toEqual([
      ['Send the intro', 'completed'],
      ['Echo the name', 'completed'],
      ['Follow-up email', 'active'],
    ]);
    expect(tasks[1]).toMatchObject({
      automation_status: 'done',
      automation_output: { result: restaurant!.name },
      completed_by: null,
      job_id: jobHref!.split('/').at(-1),
    });
  });

  it('the job page the task links to shows the completed job', async () => {
    await taskCard('Echo the name').getByRole('link', { name: 'View the job' }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
    await visible(page.getByText('Completed').first());
  });

  it('never crashed', () => {
    expect(pageErrors).toEqual([]);
  });
});
