import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, visible } from './support/browser';
import { archiveWorkflowsKeyed, demoUsers, stackFromEnv, type StackEnv } from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

// Issue 11, "Workflow inputs", as a person does it: declare a workflow's inputs in the form's
// Inputs table, see them on the workflow's page, run it through the typed Run dialog (a
// missing required input is refused at its field) and find the default in the job's input.
describe('declared workflow inputs, as the demo owner in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  const suffix = Date.now().toString(36);
  const name = `E2E Inputs ${suffix}`;
  const key = `e2e-inputs-${suffix}`;

  describePageOnFailure(() => session);

  beforeAll(async () => {
    stack = stackFromEnv();
    session = await openBrowserSession(stack, { width: 1280, height: 900 });
    ({ web, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
    if (stack) await archiveWorkflowsKeyed(stack, demoUsers.owner, key);
  });

  it('declares two inputs in the Inputs table, written into the definition', async () => {
    await signIn(page, web.url, demoUsers.owner);
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await page.goto(`${web.url}/workflows/new`);
    await page.getByRole('heading', { level: 1, name: 'New workflow' }).waitFor();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await page.getByRole('textbox', { name: 'Key', exact: true }).fill(key);
    await page.getByRole('button', { name: 'Use example' }).click();
    await visible(page.getByText('Valid definition · 1 step'));

    const inputs = page.getByRole('region', { name: 'Inputs' });
    await inputs.getByRole('button', { name: 'Add input' }).click();
    await inputs.getByRole('textbox', { name: 'Input 1 name' }).fill('payload');
    await inputs.getByRole('checkbox', { name: 'Input 1 required' }).check();
    await inputs.getByRole('textbox', { name: 'Input 1 description' }).fill('What to echo');
    await inputs.getByRole('button', { name: 'Add input' }).click();
    await inputs.getByRole('textbox', { name: 'Input 2 name' }).fill('times');
    await inputs.getByRole('combobox', { name: 'Input 2 type' }).selectOption('number');
    await inputs.getByRole('textbox', { name: 'Input 2 default' }).fill('2');
    await visible(page.getByText('Valid definition · 1 step'));

    const definition = JSON.parse(
      await page.getByRole('textbox', { name: /^Definition/ }).inputValue(),
    ) as { inputs?: unknown };
    expect(definition.inputs).toEqual([
      { name: 'payload', type: 'string', required: true, description: 'What to echo' },
      { name: 'times', type: 'number', default: 2 },
    ]);
  });

  it('creates it; its page lists the inputs', async () => {
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    const table = page.getByRole('table', { name: 'Inputs' });
    await visible(table.getByRole('rowheader', { name: 'payload' }));
    await visible(table.getByRole('rowheader', { name: 'times' }));
    expect(await table.getByRole('row').count()).toBe(3);
  });

  it('runs it through the typed form: a missing input at its field, then the job', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Run ${name}` });
    const payload = dialog.getByRole('textbox', { name: /^payload/ });
    expect(await dialog.getByRole('spinbutton', { name: /^times/ }).inputValue()).toBe('2');
    await dialog.getByRole('button', { name: 'Start job' }).click();
    await visible(dialog.getByText('payload is required (string)'));
    expect(await payload.getAttribute('aria-invalid')).toBe('true');

    await payload.fill('hello');
    await dialog.getByRole('button', { name: 'Start job' }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
    const input = page.getByLabel('Job input JSON');
    await visible(input);
    expect(JSON.parse((await input.textContent()) ?? 'null')).toEqual({
      payload: 'hello',
      times: 2,
    });
  });

  it('never crashed', () => {
    expect(pageErrors).toEqual([]);
  });
});
