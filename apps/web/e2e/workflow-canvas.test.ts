import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, visible } from './support/browser';
import {
  archiveWorkflowsKeyed,
  demoOrganisation,
  demoUsers,
  fetchAccessToken,
  stackFromEnv,
  type StackEnv,
} from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

// Issue 12 §5 as a person does it: build a workflow with a branch on the canvas (an echo
// step whose output decides between an echo step and an http-request step), give the
// http-request step typed settings in its panel (§3), declare typed inputs — an object, a
// choice, a switch and an audio file (§3, §4) — save it, run it from the typed Run dialog
// uploading a small WAV to Storage, and watch the job's canvas mark the branch taken
// succeeded and the other (the http-request, never called: the run stays offline) not run.
// The orchestrator runs for real (the test stack's cron ticks every second).
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

  /** The demo organisation's id, as the owner reads it over plain HTTP. */
  async function demoOrganisationId(): Promise<string> {
    const token = await fetchAccessToken(stack, demoUsers.owner);
    const rows = (await fetch(
      `${stack.supabaseUrl}/rest/v1/organisations?select=id&name=eq.${encodeURIComponent(demoOrganisation)}`,
      { headers: { apikey: stack.anonKey, authorization: `Bearer ${token}` } },
    ).then((response) => response.json())) as { id: string }[];
    expect(rows).toHaveLength(1);
    return rows[0]!.id;
  }

  afterAll(async () => {
    await session?.close();
    if (stack) await archiveWorkflowsKeyed(stack, demoUsers.owner, key);
  });

  const canvas = () => page.getByRole('region', { name: 'Workflow canvas' });
  const stepNode = (id: string) =>
    canvas().getByRole('group', { name: new RegExp(`^Step ${id},`) });
  const panel = (id: string) => page.getByRole('region', { name: `Step ${id}`, exact: true });

  // A 44-byte WAV header with no samples: a real audio/wav file, small enough to upload fast.
  const wav = Buffer.alloc(44);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(8000, 24); // sample rate
  wav.writeUInt32LE(16000, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(0, 40);

  async function addStep(dialogTitle: string, id: string, transformer = 'echo-transformer') {
    const dialog = page.getByRole('dialog', { name: dialogTitle });
    await dialog.getByRole('textbox', { name: /^New step id/ }).fill(id);
    await dialog.getByRole('combobox', { name: /^New step transformer/ }).selectOption(transformer);
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

    // "+" after step1: cold (a call to the CRM) runs next; then a branch before it for hot leads.
    await canvas().getByRole('button', { name: 'Add a step after step1' }).click();
    await addStep('Add a step after step1', 'cold', 'http-request');
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

    // cold's typed settings (http-request's config_schema): a choice, a URL and a number.
    await stepNode('cold').focus();
    await page.keyboard.press('Enter');
    const cold = panel('cold');
    const configure = cold.getByRole('region', { name: 'Configure' });
    await configure.getByRole('combobox', { name: /^Method/ }).selectOption('POST');
    await configure.getByRole('textbox', { name: /^URL/ }).fill('https://api.example.com/leads');
    await configure.getByRole('spinbutton', { name: /^Timeout \(ms\)/ }).fill('5000');
    // The panel's JSON config follows the typed fields.
    await expect
      .poll(async () =>
        JSON.parse(await cold.getByRole('textbox', { name: /^Config \(JSON\)/ }).inputValue()),
      )
      .toEqual({ method: 'POST', url: 'https://api.example.com/leads', timeout_ms: 5000 });

    // Typed inputs, in the form's Inputs table: what the Run dialog will ask for.
    const inputs = page.getByRole('region', { name: 'Inputs' });
    await inputs.getByRole('button', { name: 'Add input' }).click();
    await inputs.getByRole('textbox', { name: 'Input 1 name' }).fill('payload');
    await inputs.getByRole('combobox', { name: 'Input 1 type' }).selectOption('object');
    await inputs.getByRole('checkbox', { name: 'Input 1 required' }).check();
    await inputs.getByRole('button', { name: 'Add input' }).click();
    await inputs.getByRole('textbox', { name: 'Input 2 name' }).fill('tier');
    await inputs.getByRole('textbox', { name: 'Input 2 options' }).fill('bronze, gold');
    await inputs.getByRole('button', { name: 'Add input' }).click();
    await inputs.getByRole('textbox', { name: 'Input 3 name' }).fill('urgent');
    await inputs.getByRole('combobox', { name: 'Input 3 type' }).selectOption('boolean');
    await inputs.getByRole('button', { name: 'Add input' }).click();
    await inputs.getByRole('textbox', { name: 'Input 4 name' }).fill('recording');
    await inputs.getByRole('combobox', { name: 'Input 4 type' }).selectOption('file');
    await inputs.getByRole('textbox', { name: 'Input 4 accept' }).fill('audio/*');

    // The JSON view shows what the canvas and the Inputs table built.
    await page.getByRole('tab', { name: 'JSON' }).click();
    const definition = JSON.parse(
      await page.getByRole('textbox', { name: /^Definition/ }).inputValue(),
    ) as unknown;
    expect(definition).toEqual({
      inputs: [
        { name: 'payload', type: 'object', required: true },
        { name: 'tier', type: 'string', enum: ['bronze', 'gold'] },
        { name: 'urgent', type: 'boolean' },
        { name: 'recording', type: 'file', accept: 'audio/*' },
      ],
      start_step: 'step1',
      steps: {
        step1: {
          transformer_id: 'echo-transformer',
          input_map: { data: '$.job_input.payload' },
          next: [{ when: '@.echoed_data.score > 50', step: 'hot', label: 'hot lead' }],
          default: 'cold',
        },
        cold: {
          transformer_id: 'http-request',
          config: { method: 'POST', url: 'https://api.example.com/leads', timeout_ms: 5000 },
          next_step: null,
        },
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

  it('runs it from the typed form, uploading an audio file; the job holds its reference', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Run ${name}` });
    await dialog.getByRole('textbox', { name: /^payload/ }).fill('{"score": 80}');
    await dialog.getByRole('combobox', { name: /^tier/ }).selectOption('gold');
    const urgent = dialog.getByRole('switch', { name: /^urgent/ });
    expect(await urgent.getAttribute('aria-checked')).toBe('false');
    await urgent.click();
    await visible(dialog.getByRole('switch', { name: /^urgent/, checked: true }));
    // The picker's <input type=file> is visually hidden behind "Choose file"; a person picks
    // the file in the OS dialog, which playwright stands in for by setting the input's files.
    await dialog
      .locator('input[type="file"]')
      .setInputFiles({ name: 'call.wav', mimeType: 'audio/wav', buffer: wav });
    // Uploaded (to the stack's Storage through the gateway): the picker names the file.
    await visible(dialog.getByText('call.wav', { exact: true }));
    await visible(dialog.getByRole('button', { name: /^Replace file/ }));
    await dialog.getByRole('button', { name: 'Start job' }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);

    const input = page.getByLabel('Job input JSON');
    await visible(input);
    const jobInput = JSON.parse((await input.textContent()) ?? 'null') as unknown;
    const organisationId = await demoOrganisationId();
    expect(jobInput).toEqual({
      payload: { score: 80 },
      tier: 'gold',
      urgent: true,
      recording: {
        bucket: 'workflow-files',
        path: expect.stringMatching(
          new RegExp(`^${organisationId}/[0-9a-f-]{36}/call\\.wav$`),
        ) as unknown,
        name: 'call.wav',
        size: wav.length,
        mime_type: 'audio/wav',
      },
    });
    // The bytes are in Storage at that path, readable by a member of the organisation.
    const { path: objectPath } = (jobInput as { recording: { path: string } }).recording;
    const stored = await fetch(
      `${stack.supabaseUrl}/storage/v1/object/authenticated/workflow-files/${objectPath
        .split('/')
        .map(encodeURIComponent)
        .join('/')}`,
      {
        headers: {
          apikey: stack.anonKey,
          authorization: `Bearer ${await fetchAccessToken(stack, demoUsers.owner)}`,
        },
      },
    );
    expect(stored.status).toBe(200);
    expect(Buffer.from(await stored.arrayBuffer()).equals(wav)).toBe(true);
  });

  it('the job canvas marks the branch taken succeeded and the other not run', async () => {
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
      path.getByRole('group', { name: /^Step cold, transformer http-request, Not run/ }),
    );
    await visible(path.getByRole('group', { name: /^step1 to hot when .*, taken$/ }));
    await visible(page.getByRole('list', { name: 'Legend' }).getByText('Not run'));
    expect(pageErrors).toEqual([]);
  });
});
