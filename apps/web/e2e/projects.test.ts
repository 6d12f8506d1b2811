import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, visible } from './support/browser';
import { fetchAccessToken, demoUsers, stackFromEnv, type StackEnv } from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

// Issue 11's end to end, as the demo owner would do it by hand: two environments (a plain
// variable and a secret each), a project linked to the first with variables from both sources,
// a three-flow sequence of the seeded echo workflows (supabase/seed.sql: "Look up a lead",
// "Score a lead", "Notify the lead's owner") whose mappings are picked from dropdowns, a debug
// run stepped through with Continue (each resolved value and its source shown, the secret
// masked), then the project switched to the other environment and run again.
//
// Every wait is on what the page shows (a heading, a status line, a toast), never a sleep:
// under load a run's flows take seconds, and the run page polls until they are done.
describe('projects and flow sequences, as the demo owner in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  const suffix = Date.now().toString(36);
  const environments = {
    first: { name: `e2e-stg-${suffix}`, region: 'eu-west', secret: `stg-secret-${suffix}` },
    second: { name: `e2e-prd-${suffix}`, region: 'us-east', secret: `prd-secret-${suffix}` },
  };
  const projectName = `E2E Leads ${suffix}`;
  const sequenceName = 'Enrich and notify';
  /** Every page text seen while runs were shown, checked at the end for the secrets. */
  const seen: string[] = [];

  describePageOnFailure(() => session);

  beforeAll(async () => {
    stack = stackFromEnv();
    session = await openBrowserSession(stack, { width: 1280, height: 900 });
    ({ web, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
    // Leave the stack as we found it, even when a step failed half-way.
    if (stack) await deleteCreated(stack, projectName, Object.values(environments));
  });

  it('signs in', async () => {
    await signIn(page, web.url, demoUsers.owner);
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  });

  it('creates two environments, each with a plain variable and a secret', async () => {
    for (const environment of Object.values(environments)) {
      await page.goto(`${web.url}/environments`);
      await page.getByRole('heading', { level: 1, name: 'Environments' }).waitFor();
      await page.getByRole('button', { name: 'New environment' }).click();
      const dialog = page.getByRole('dialog', { name: 'New environment' });
      await dialog.getByLabel('Name').fill(environment.name);
      await dialog.getByRole('button', { name: 'Create environment' }).click();
      await page.getByRole('heading', { level: 1, name: environment.name }).waitFor();

      await page.getByRole('button', { name: 'Add variable' }).click();
      const region = page.getByRole('group', { name: 'Variable 1' });
      await region.getByLabel('Name').fill('REGION');
      await region.getByLabel('Value').fill(environment.region);
      await page.getByRole('button', { name: 'Add variable' }).click();
      const token = page.getByRole('group', { name: 'Variable 2' });
      await token.getByLabel('Name').fill('CRM_TOKEN');
      await token.getByRole('switch', { name: 'Secret' }).click();
      await token.getByLabel('New secret value').fill(environment.secret);
      await page.getByRole('button', { name: 'Save environment' }).click();
      await visible(page.getByRole('status').filter({ hasText: 'Environment saved' }));
      // Saved, the secret is write-only: masked, with Replace.
      await visible(
        page
          .getByRole('group', { name: 'Variable 2 (CRM_TOKEN)' })
          .getByLabel('Secret value, hidden'),
      );
    }
  });

  it('creates a project linked to the first, with variables from both sources', async () => {
    await page.goto(`${web.url}/projects`);
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    await page.getByRole('button', { name: 'New project' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByLabel('Name').fill(projectName);
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { level: 1, name: projectName }).waitFor();

    await page.getByLabel('Linked environment').selectOption({ label: environments.first.name });
    await linkSettled(page, environments.first.name);

    const settings = page.getByRole('form', { name: 'Project settings' });
    const addVariable = settings.getByRole('button', { name: 'Add variable' });
    await addVariable.click();
    const company = settings.getByRole('group', { name: 'Variable 1' });
    await company.getByLabel('Name').fill('company');
    await company.getByLabel('Value', { exact: true }).fill('Acme Pizza');
    await addVariable.click();
    const region = settings.getByRole('group', { name: 'Variable 2' });
    await region.getByLabel('Name').fill('region');
    await region.getByLabel('Environment variable', { exact: true }).check();
    await region.getByLabel(`Variable of ${environments.first.name}`).selectOption('REGION');
    await addVariable.click();
    const token = settings.getByRole('group', { name: 'Variable 3' });
    await token.getByLabel('Name').fill('token');
    await token.getByLabel('Environment variable', { exact: true }).check();
    // The environment's variables are listed with their values, the secret masked.
    const tokenSource = token.getByLabel(`Variable of ${environments.first.name}`);
    expect(await tokenSource.locator('option').allTextContents()).toContain('CRM_TOKEN = ••••');
    await tokenSource.selectOption('CRM_TOKEN');
    await settings.getByRole('button', { name: 'Save project' }).click();
    await visible(page.getByRole('status').filter({ hasText: /Project saved/ }));
  });

  it('builds a three-flow sequence with mappings picked from the dropdowns', async () => {
    await page.getByRole('button', { name: 'New sequence' }).click();
    const dialog = page.getByRole('dialog', { name: 'New sequence' });
    await dialog.getByLabel('Name').fill(sequenceName);
    await dialog.getByRole('button', { name: 'Create and edit' }).click();
    await page.getByRole('heading', { level: 1, name: sequenceName }).waitFor();

    // Parameters: three from project variables (their current values shown), one typed.
    await addParameter(page, 0, 'company', { variable: 'company' });
    await addParameter(page, 1, 'region', { variable: 'region' });
    await addParameter(page, 2, 'token', { variable: 'token' });
    const tokenOptions = await page
      .getByLabel('Project variable for token')
      .locator('option')
      .allTextContents();
    expect(tokenOptions).toContain('token (string) = ••••');
    expect(tokenOptions).toContain(`region (string) = ${environments.first.region}`);
    await addParameter(page, 3, 'threshold', { number: '7' });

    await addFlow(page, 'Add flow', 'look up', 'flow1');
    await map(page, 'flow1', 'company', 'Sequence parameter', 'company');
    await map(page, 'flow1', 'region', 'Sequence parameter', 'region');

    await addFlow(page, 'Add flow', 'score', 'flow2');
    // Flow 2 is offered flow 1's output; its fields are the workflow's declared outputs.
    await map(page, 'flow2', 'company', 'Output of flow1 · Look up a lead', 'company');
    await map(page, 'flow2', 'region', 'Output of flow1 · Look up a lead', 'region');
    await map(page, 'flow2', 'threshold', 'Sequence parameter', 'threshold');
    const flow2 = flowGroup(page, 'flow2');
    await flow2.getByRole('button', { name: 'Add assertion' }).click();
    await flow2.getByLabel('Path of assertion 1 of flow2').fill('$.threshold');
    await flow2.getByLabel('Operator of assertion 1 of flow2').selectOption('gt');
    await flow2.getByLabel('Expected value of assertion 1 of flow2').fill('5');

    await addFlow(page, 'Add flow', 'notify', 'flow3');
    await map(page, 'flow3', 'company', 'Output of flow2 · Score a lead', 'company');
    await map(page, 'flow3', 'threshold', 'Output of flow2 · Score a lead', 'threshold');
    // The secret goes into flow 3 as its channel, to be seen masked in the run.
    await map(page, 'flow3', 'channel', 'Sequence parameter', 'token');

    // Dragged above flow2 with the keyboard, flow3 would read a later flow's output: the
    // problem shows at once, at the row, and goes when it moves back down.
    const handle = page.getByRole('button', { name: 'Drag to reorder flow3 (Notify the lead' });
    await handle.focus();
    await page.keyboard.press('Space');
    await page.locator('[aria-pressed="true"][aria-label^="Drag to reorder flow3"]').waitFor();
    await page.keyboard.press('ArrowUp');
    await page
      .getByText(/flow3 \(Notify the lead's owner\) is over position 2 of 3/)
      .first()
      .waitFor({
        state: 'attached',
      });
    await page.keyboard.press('Space');
    await expect.poll(() => flowOrder(page)).toEqual(['Flow flow1', 'Flow flow3', 'Flow flow2']);
    await visible(
      flowGroup(page, 'flow3')
        .getByText(/reads the output of flow2, which runs later/)
        .first(),
    );
    await page.getByRole('button', { name: "Move flow3 (Notify the lead's owner) down" }).click();
    await expect.poll(() => flowOrder(page)).toEqual(['Flow flow1', 'Flow flow2', 'Flow flow3']);
    await flowGroup(page, 'flow3')
      .getByText(/which runs later/)
      .first()
      .waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Save sequence' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Sequence saved' }));
    await visible(page.getByText('All changes saved'));
    expect(await flowOrder(page)).toEqual(['Flow flow1', 'Flow flow2', 'Flow flow3']);
  });

  it('debug-runs it, stepping through each flow with its resolved values, the secret masked', async () => {
    await page.getByRole('button', { name: 'Debug run' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/flow-runs/'));
    await page.getByRole('heading', { level: 1, name: `Run of ${sequenceName}` }).waitFor();

    await pausedAfter(page, 'flow1');
    expect(await valueRows(page, 'Variables')).toEqual(
      expect.arrayContaining([
        'company | Acme Pizza | hardcoded',
        `region | ${environments.first.region} | environment ${environments.first.name} · REGION`,
        `token | •••• | environment ${environments.first.name} · CRM_TOKEN`,
      ]),
    );
    expect(await valueRows(page, 'Sequence parameters')).toEqual(
      expect.arrayContaining([
        'token | •••• | project variable token',
        'threshold | 7 | hardcoded',
      ]),
    );
    expect(await valueRows(page, 'Inputs of flow1 attempt 1')).toEqual([
      'company | Acme Pizza | sequence parameter company',
      `region | ${environments.first.region} | sequence parameter region`,
    ]);
    seen.push(await page.locator('body').innerText());
    await page.getByRole('button', { name: 'Continue' }).click();

    await pausedAfter(page, 'flow2');
    expect(await valueRows(page, 'Inputs of flow2 attempt 1')).toEqual([
      'company | Acme Pizza | flow1 output · company',
      `region | ${environments.first.region} | flow1 output · region`,
      'threshold | 7 | sequence parameter threshold',
    ]);
    await visible(
      page.getByRole('list', { name: 'Assertions of flow2 attempt 1' }).getByText(/threshold/),
    );
    seen.push(await page.locator('body').innerText());
    await page.getByRole('button', { name: 'Continue' }).click();

    await pausedAfter(page, 'flow3');
    expect(await valueRows(page, 'Inputs of flow3 attempt 1')).toEqual([
      'channel | •••• | sequence parameter token',
      'company | Acme Pizza | flow2 output · company',
      'threshold | 7 | flow2 output · threshold',
    ]);
    // What the job echoed back held the secret: recorded masked.
    expect(await page.getByLabel('Output of flow3 attempt 1').innerText()).toContain('••••');
    seen.push(await page.locator('body').innerText());
    await page.getByRole('button', { name: 'Continue' }).click();
    await visible(page.getByText('The run completed.'));
    seen.push(await page.locator('body').innerText());
  });

  it('switches the project to the other environment in one click and runs again', async () => {
    await page.getByRole('link', { name: sequenceName }).click();
    await page.getByRole('heading', { level: 1, name: sequenceName }).waitFor();
    // The debug run is listed, by whom and how.
    await visible(page.getByRole('table', { name: /Runs of this sequence/ }).getByText('Debug'));
    await page.getByRole('link', { name: projectName }).click();
    await page.getByRole('heading', { level: 1, name: projectName }).waitFor();
    await page.getByRole('button', { name: `Switch to ${environments.second.name}` }).click();
    await linkSettled(page, environments.second.name);

    await page.getByRole('link', { name: sequenceName }).first().click();
    await page.getByRole('heading', { level: 1, name: sequenceName }).waitFor();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/flow-runs/'));
    await visible(page.getByText('The run completed.'));
    expect(await valueRows(page, 'Variables')).toEqual(
      expect.arrayContaining([
        `region | ${environments.second.region} | environment ${environments.second.name} · REGION`,
        `token | •••• | environment ${environments.second.name} · CRM_TOKEN`,
      ]),
    );
    expect(await valueRows(page, 'Inputs of flow2 attempt 1')).toContain(
      `region | ${environments.second.region} | flow1 output · region`,
    );
    seen.push(await page.locator('body').innerText());
  });

  it('never showed a secret and never crashed', () => {
    for (const text of seen) {
      expect(text).not.toContain(environments.first.secret);
      expect(text).not.toContain(environments.second.secret);
    }
    expect(pageErrors).toEqual([]);
  });
});

async function addParameter(
  page: Page,
  index: number,
  name: string,
  value: { variable: string } | { number: string },
) {
  await page.getByRole('button', { name: 'Add parameter', exact: true }).click();
  const row = page.getByRole('list', { name: 'Parameters' }).locator(':scope > li').nth(index);
  await row.getByLabel('Parameter name').fill(name);
  if ('variable' in value) {
    await row.getByLabel('Project variable', { exact: true }).check();
    await row.getByLabel(`Project variable for ${name}`).selectOption(value.variable);
  } else {
    await row.getByLabel('Type').selectOption('number');
    await row.getByLabel(`Value of ${name}`).fill(value.number);
  }
}

const flowGroup = (page: Page, id: string): Locator =>
  page.getByRole('group', { name: `Flow ${id}`, exact: true });

/** Add a flow through the fuzzy search: type part of its name and press Enter. */
async function addFlow(page: Page, button: string, search: string, expectedId: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('combobox', { name: 'Search workflows' }).fill(search);
  await dialog.getByRole('option', { selected: true }).waitFor();
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  await flowGroup(page, expectedId).waitFor();
}

/** Pick an input's source, then the parameter or field, from the two dropdowns. */
async function map(page: Page, flowId: string, input: string, source: string, pick: string) {
  const flow = flowGroup(page, flowId);
  await flow.getByLabel(`Source of ${input}`).selectOption({ label: source });
  const second = source.startsWith('Output of ')
    ? flow.getByLabel(`Field of ${source.slice(10, source.indexOf(' ·'))} for ${input}`)
    : flow.getByLabel(`Sequence parameter for ${input}`);
  // A parameter's option value is its name; a field's is its path, labelled by its name.
  await second.selectOption(source.startsWith('Output of ') ? { label: pick } : pick);
}

async function flowOrder(page: Page): Promise<(string | null)[]> {
  return page
    .getByRole('list', { name: 'Flows in order' })
    .locator('[role="group"]')
    .evaluateAll((groups) => groups.map((group) => group.getAttribute('aria-label')));
}

/**
 * The environment link is optimistic: the page says "Runs use X" before the server stored it.
 * A run started before that would resolve the old environment, so wait for the request to
 * end too (the select is aria-busy while it is under way, from the click on).
 */
async function linkSettled(page: Page, environment: string) {
  await visible(page.getByText(`Runs use ${environment}`));
  await expect
    .poll(() => page.getByLabel('Linked environment').getAttribute('aria-busy'))
    .toBeNull();
  await expect
    .poll(() => page.getByLabel('Linked environment').locator('option:checked').textContent())
    .toBe(environment);
}

async function pausedAfter(page: Page, flowId: string) {
  await visible(page.getByText(`Paused after ${flowId} (passed).`));
}

/** "name | value | source" per row of a resolved-values table. */
async function valueRows(page: Page, table: string): Promise<string[]> {
  return page
    .getByRole('table', { name: table, exact: true })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) =>
        [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim()).join(' | '),
      ),
    );
}

/** Delete what the test made, over plain HTTP as the owner (projects first: they link environments). */
async function deleteCreated(
  stack: StackEnv,
  projectName: string,
  environments: Array<{ name: string }>,
): Promise<void> {
  const token = await fetchAccessToken(stack, demoUsers.owner);
  if (!token) return;
  const headers = { apikey: stack.anonKey, authorization: `Bearer ${token}` };
  await fetch(`${stack.supabaseUrl}/rest/v1/projects?name=eq.${encodeURIComponent(projectName)}`, {
    method: 'DELETE',
    headers,
  });
  for (const environment of environments) {
    await fetch(
      `${stack.supabaseUrl}/rest/v1/environments?name=eq.${encodeURIComponent(environment.name)}`,
      { method: 'DELETE', headers },
    );
  }
}
