import { readFile } from 'node:fs/promises';
import { DEFAULT_RETRY_POLICY } from '@forkflow/domain/backoff';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, visible } from './support/browser';
import { archiveWorkflowsKeyed, demoUsers, stackFromEnv, type StackEnv } from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

// Issue 4's "done when": create a workflow from the example, run it, watch the job
// complete in Jobs, open its timeline. The orchestrator runs for real (start-workflow
// kicks it; the test stack's cron ticks every second).
describe('workflows and jobs, as the demo owner in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  const suffix = Date.now().toString(36);
  const name = `E2E Echo ${suffix}`;
  const key = `e2e-echo-${suffix}`;
  let workflowUrl = '';
  let jobId = '';

  describePageOnFailure(() => session);

  beforeAll(async () => {
    stack = stackFromEnv();
    session = await openBrowserSession(stack, { width: 1280, height: 900 });
    ({ web, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
    // Workflows are never deleted (jobs pin their versions): archive this run's.
    if (stack) await archiveWorkflowsKeyed(stack, demoUsers.owner, key);
  });

  it('signs in and opens the workflows list', async () => {
    await signIn(page, web.url, demoUsers.owner);
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Workflows' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Workflows' }).waitFor();
  });

  it('writes a definition, sees its problems at their paths, then uses the example', async () => {
    await page.getByRole('link', { name: 'New workflow' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New workflow' }).waitFor();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    // The key follows the name until it is edited.
    await page.getByRole('textbox', { name: 'Key', exact: true }).fill(key);

    const definition = page.getByRole('textbox', { name: /^Definition/ });
    await definition.fill(
      '{"start_step":"step1","steps":{"step1":{"transformer_id":"no-such-transformer","input_map":{"data":"$.nowhere"},"next_step":null}}}',
    );
    const problems = page.getByRole('list', { name: 'Definition problems' });
    await visible(problems.getByText('steps.step1.transformer_id'));
    await visible(problems.getByText('steps.step1.input_map.data'));

    await page.getByRole('button', { name: 'Use example' }).click();
    const confirm = page.getByRole('alertdialog', {
      name: 'Replace the definition with the example?',
    });
    await confirm.getByRole('button', { name: 'Use example' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await visible(page.getByText('Valid definition · 1 step'));
    await problems.waitFor({ state: 'detached' });
    expect(JSON.parse(await definition.inputValue())).toEqual({
      start_step: 'step1',
      steps: {
        step1: {
          transformer_id: 'echo-transformer',
          input_map: { data: '$.job_input.payload' },
          next_step: null,
        },
      },
      output_map: { result: '$.step1.output.echoed_data' },
    });
  });

  it('creates it and lands on its page with version 1 in the history', async () => {
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    workflowUrl = page.url();
    await visible(page.getByRole('list', { name: 'Versions' }).getByText('Version 1'));
    await visible(page.getByRole('list', { name: 'Steps in order' }).getByText('step1'));
  });

  it('runs it with an input and follows the job to completed in Jobs', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Run ${name}` });
    const input = dialog.getByRole('textbox', { name: /^Input/ });
    await input.fill('["not", "an object"]');
    await dialog.getByRole('button', { name: 'Start job' }).click();
    await visible(dialog.getByText('The input must be a JSON object, like {"payload": 1}'));
    await input.fill('{"payload": "hello"}');
    await dialog.getByRole('button', { name: 'Start job' }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
    jobId = new URL(page.url()).pathname.split('/').pop() ?? '';

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Jobs' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();
    const row = page
      .getByRole('list', { name: 'Jobs' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name: new RegExp(`job ${jobId.slice(0, 8)}`) }) });
    // The list refreshes itself while a job is pending or running.
    await row.getByText('Completed', { exact: true }).waitFor({ timeout: 60_000 });

    await row.getByRole('link').click();
    await page.waitForURL(`**/jobs/${jobId}`);
  });

  it('opens the job: its timeline and the final result', async () => {
    await page.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await visible(timeline.getByText('Created', { exact: true }));
    await visible(timeline.getByText('Step succeeded'));
    await visible(timeline.getByText('Completed', { exact: true }));
    const result = page.getByLabel('Final result JSON');
    await visible(result);
    expect(JSON.parse((await result.textContent()) ?? 'null')).toEqual({ result: 'hello' });
    // The step's own input and output, from its events.
    expect(JSON.parse((await page.getByLabel('Output of step1').textContent()) ?? 'null')).toEqual({
      echoed_data: 'hello',
    });
  });

  it('exports the filtered jobs as CSV', async () => {
    const workflowId = new URL(workflowUrl).pathname.split('/').pop() ?? '';
    await page.goto(`${web.url}/jobs?workflow=${workflowId}`);
    await page.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();
    expect(await page.getByLabel('Workflow', { exact: true }).inputValue()).toBe(workflowId);
    await page.getByRole('button', { name: 'Export jobs' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /^CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^jobs-\d{4}-\d\d-\d\dT\d{4}\.csv$/);
    const path = await download.path();
    const csv = (await readFile(path, 'utf8')).replace(/^\ufeff/, '');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]?.startsWith('id,workflow_id,workflow_name,workflow_version,status,')).toBe(
      true,
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${jobId},${workflowId},${name},1,completed,`);
    expect(lines[1]).toContain('"{""payload"":""hello""}","{""result"":""hello""}"');
  });

  it('edits the workflow: a new version with its change description', async () => {
    await page.goto(workflowUrl);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit workflow' }).waitFor();
    await page.getByRole('spinbutton', { name: 'Max retries' }).fill('5');
    await page.getByRole('textbox', { name: 'Change description' }).fill('Retry up to 5 times');
    await page.getByRole('button', { name: 'Save workflow' }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    const versions = page.getByRole('list', { name: 'Versions' }).getByRole('listitem');
    await visible(versions.first().getByText('Version 2'));
    await visible(versions.first().getByText('Retry up to 5 times'));
    expect(await versions.count()).toBe(2);
  });

  it('restores version 1 from the history as version 3', async () => {
    const versions = page.getByRole('list', { name: 'Versions' }).getByRole('listitem');
    await page.getByRole('button', { name: 'View version 1' }).click();
    const dialog = page.getByRole('dialog', { name: `${name} · version 1` });
    await dialog.getByRole('button', { name: 'Restore as version 3' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByRole('status').filter({ hasText: 'Version 1 restored' }));
    await visible(versions.first().getByText('Version 3'));
    await visible(versions.first().getByText('Restored version 1'));
    // The version records both parents (issue 12 §6).
    await visible(versions.first().getByText('Saved over v2 · Restored from v1'));
    expect(await versions.count()).toBe(3);
    // Compare: version 2 (max retries 5) against the restored version 3 (the default).
    await page.getByRole('button', { name: 'Compare' }).click();
    const compare = page.getByRole('dialog', { name: `Compare versions · ${name}` });
    await visible(compare.getByRole('row', { name: /Max retries 5 \d+ ?changed/ }));
    await page.keyboard.press('Escape');
    await compare.waitFor({ state: 'hidden' });
    // Version 1's retry policy is back (the defaults it was created with), not version 2's 5.
    await page.reload();
    const maxRetries = page
      .getByRole('region', { name: 'Retries' })
      .locator('dt:text-is("Max retries") + dd');
    await visible(maxRetries);
    expect(await maxRetries.textContent()).toBe(String(DEFAULT_RETRY_POLICY.max_retries));
  });

  it('never crashed', () => {
    expect(pageErrors).toEqual([]);
  });
});
