import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, visible } from './support/browser';
import { archiveWorkflowsKeyed, demoUsers, stackFromEnv, type StackEnv } from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

// Issue 12 §5 as a person does it: build a workflow with a branch on the canvas (an echo
// step whose output decides between two echo steps), save it, run it with an input that
// takes one branch, and watch the job's canvas mark that step succeeded and the other not
// run. The orchestrator runs for real (the test stack's cron ticks every second).
describe('the workflow canvas, as the demo owner in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  const suffix = Date.now().toString(36);
  const name = `E2E Canvas ${suffix}`;
  const key = `e2e-canvas-${suffix}`;

  describePageOnFailure(() => session);

  beforeAll(async () => {
    stack = stackFromEnv();
    session = await openBrowserSession(stack, { width: 1440, height: 1000 });
    ({ web, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
    if (stack) await archiveWorkflowsKeyed(stack, demoUsers.owner, key);
  });

  const canvas = () => page.getByRole('region', { name: 'Workflow canvas' });
  const stepNode = (id: string) =>
    canvas().getByRole('group', { name: new RegExp(`^Step ${id},`) });
  const panel = (id: string) => page.getByRole('region', { name: `Step ${id}`, exact: true });

  async function addStep(dialogTitle: string, id: string) {
    const dialog = page.getByRole('dialog', { name: dialogTitle });
    await dialog.getByRole('textbox', { name: /^New step id/ }).fill(id);
    await dialog
      .getByRole('combobox', { name: /^New step transformer/ })
      .selectOption('echo-transformer');
    await dialog.getByRole('button', { name: 'Add step' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(stepNode(id));
  }

  it('builds a branching workflow on the canvas', async () => {
    await signIn(page, web.url, demoUsers.owner);
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await page.goto(`${web.url}/workflows/new`);
    await page.getByRole('heading', { level: 1, name: 'New workflow' }).waitFor();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await page.getByRole('textbox', { name: 'Key', exact: true }).fill(key);

    await page.getByRole('button', { name: 'Start with one step' }).click();
    await page.getByRole('tab', { name: 'Canvas' }).click();
    await visible(stepNode('step1'));

    // Keyboard: focus the step, Enter opens its panel.
    await stepNode('step1').focus();
    await page.keyboard.press('Enter');
    const first = panel('step1');
    await first.getByRole('combobox', { name: 'Transformer' }).selectOption('echo-transformer');
    await first.getByRole('button', { name: 'Add input' }).click();
    await first.getByRole('textbox', { name: 'Input 1 path' }).fill('$.job_input.payload');

    // "+" after step1: cold runs next; then a branch before it for hot leads.
    await canvas().getByRole('button', { name: 'Add a step after step1' }).click();
    await addStep('Add a step after step1', 'cold');
    await stepNode('step1').focus();
    await page.keyboard.press('Enter');
    await first
      .getByRole('textbox', { name: /^New branch condition/ })
      .fill('@.echoed_data.score > 50');
    await first.getByRole('textbox', { name: 'New branch label' }).fill('hot lead');
    await first.getByRole('button', { name: 'Add branch' }).click();
    await first.getByRole('button', { name: 'Add a step on branch 1' }).click();
    await addStep('Add a step on branch 1 of step1', 'hot');

    await visible(
      canvas().getByRole('group', {
        name: /^step1 to hot when @\.echoed_data\.score > 50 \(hot lead\)/,
      }),
    );
    await visible(canvas().getByRole('group', { name: 'step1 to cold otherwise' }));

    // The JSON view shows what the canvas built.
    await page.getByRole('tab', { name: 'JSON' }).click();
    const definition = JSON.parse(
      await page.getByRole('textbox', { name: /^Definition/ }).inputValue(),
    ) as unknown;
    expect(definition).toEqual({
      start_step: 'step1',
      steps: {
        step1: {
          transformer_id: 'echo-transformer',
          input_map: { data: '$.job_input.payload' },
          next: [{ when: '@.echoed_data.score > 50', step: 'hot', label: 'hot lead' }],
          default: 'cold',
        },
        cold: { transformer_id: 'echo-transformer', next_step: null },
        hot: { transformer_id: 'echo-transformer', next_step: null },
      },
    });
    await visible(page.getByText('Valid definition · 3 steps'));
  });

  it('saves it; its page draws the canvas', async () => {
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await visible(stepNode('hot'));
    await visible(canvas().getByRole('group', { name: 'step1 to cold otherwise' }));
  });

  it('runs it; the job canvas marks the branch taken succeeded and the other not run', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Run ${name}` });
    await dialog.getByRole('textbox', { name: /^Input/ }).fill('{"payload": {"score": 80}}');
    await dialog.getByRole('button', { name: 'Start job' }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);

    const path = page.getByRole('region', { name: /^Path of this job through version 1/ });
    // The job page refreshes itself while the job runs.
    await path
      .getByRole('group', { name: /^Step hot, transformer echo-transformer, Succeeded/ })
      .waitFor({ timeout: 60_000 });
    await visible(
      path.getByRole('group', {
        name: /^Step step1, start, transformer echo-transformer, Succeeded/,
      }),
    );
    await visible(
      path.getByRole('group', { name: /^Step cold, transformer echo-transformer, Not run/ }),
    );
    await visible(path.getByRole('group', { name: /^step1 to hot when .*, taken$/ }));
    await visible(page.getByRole('list', { name: 'Legend' }).getByText('Not run'));
    expect(pageErrors).toEqual([]);
  });
});
