import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, visible } from './support/browser';
import { deleteRowsNamed, demoUsers, stackFromEnv, type StackEnv } from './support/stack';
import { describePageOnFailure, openBrowserSession, type BrowserSession } from './support/session';
import type { WebServer } from './support/web-server';

// The owner builds a sequence the way they would by hand: three steps, one moved with
// the keyboard, the timeline following along, then saved and found in the list.
describe('sequence templates, as the demo owner in a real browser', () => {
  let stack: StackEnv;
  let session: BrowserSession | undefined;
  let web: WebServer;
  let page: Page;
  let pageErrors: string[];
  const name = `E2E Onboarding ${Date.now().toString(36)}`;

  describePageOnFailure(() => session);

  beforeAll(async () => {
    stack = stackFromEnv();
    session = await openBrowserSession(stack, { width: 1280, height: 900 });
    ({ web, page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.close();
    // Leave the stack as we found it, even when a step failed half-way.
    if (stack) await deleteRowsNamed(stack, demoUsers.owner, 'sequence_templates', name);
  });

  it('signs in and opens the sequences list', async () => {
    await signIn(page, web.url, demoUsers.owner);
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Sequences' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Sequences' }).waitFor();
    // The seeded templates are there, searchable by tag.
    await visible(page.getByRole('link', { name: 'Demo Follow-up', exact: true }));
    await page.getByRole('searchbox', { name: 'Search sequences' }).fill('onboarding');
    await visible(page.getByRole('link', { name: 'Onboarding Kick-off' }));
    await page
      .getByRole('link', { name: 'Demo Follow-up', exact: true })
      .waitFor({ state: 'detached' });
  });

  it('builds a three-step sequence, checking what the form asks for', async () => {
    await page.getByRole('link', { name: 'New sequence' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'New sequence' }).waitFor();

    // Nothing typed: the problems are shown next to the fields.
    await page.getByRole('button', { name: 'Create sequence' }).click();
    await visible(page.getByText('The name needs at least 3 characters'));
    await visible(page.getByText('Name the step'));

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    // With suggestions from other templates the tag box is a combobox.
    await page.getByLabel('Tags').fill('e2e');
    await page.getByLabel('Tags').press('Enter');
    await visible(page.getByRole('button', { name: 'Remove tag e2e' }));

    await fillStep(page, 1, 'Welcome call', '0', 'days');
    await page.getByRole('button', { name: 'Add step' }).click();
    await fillStep(page, 2, 'Send the menu checklist', '2', 'days');
    await page.getByRole('button', { name: 'Add step' }).click();
    await fillStep(page, 3, 'Go-live check', '3', 'hours');

    expect(await timelineSteps(page)).toEqual([
      'Step 1: Welcome call',
      'Step 2: Send the menu checklist',
      'Step 3: Go-live check',
    ]);
    await visible(page.getByText(/^3 steps over about 2 days$/));
  });

  it('moves a step with the keyboard and the timeline follows', async () => {
    const before = await timelineDays(page);
    const handle = page.getByRole('button', { name: 'Drag to reorder step 3: Go-live check' });
    await handle.focus();
    // dnd-kit announces each move to screen readers: wait for it before the next key.
    const announced = (text: RegExp) => page.getByText(text).first().waitFor({ state: 'attached' });
    await page.keyboard.press('Space');
    await page.locator('[aria-pressed="true"][aria-label^="Drag to reorder"]').waitFor();
    await page.keyboard.press('ArrowUp');
    await announced(/Go-live check is over position 2 of 3/);
    await page.keyboard.press('Space');
    await announced(/Dropped step 3: Go-live check at position 2 of 3/);

    await expect
      .poll(() => timelineSteps(page))
      .toEqual([
        'Step 1: Welcome call',
        'Step 2: Go-live check',
        'Step 3: Send the menu checklist',
      ]);
    // The 3-hour step now comes second, so the second due date moved earlier.
    const after = await timelineDays(page);
    expect(after).toHaveLength(3);
    expect(after[1]).not.toBe(before[1]);

    // And back down with the button.
    await page.getByRole('button', { name: 'Move step 2: Go-live check down' }).click();
    await expect
      .poll(() => timelineSteps(page))
      .toEqual([
        'Step 1: Welcome call',
        'Step 2: Send the menu checklist',
        'Step 3: Go-live check',
      ]);
    await page.getByRole('button', { name: 'Move step 3: Go-live check up' }).click();
  });

  it('asks before leaving with unsaved changes', async () => {
    await page.getByRole('link', { name: 'Sequences' }).first().click();
    const confirm = page.getByRole('alertdialog', { name: 'Discard unsaved changes?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe('/sequence-templates/new');
  });

  it('saves it and finds it in the list, with its steps in the new order', async () => {
    await page.getByRole('button', { name: 'Create sequence' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Sequence created' }));
    await page.getByRole('heading', { level: 1, name }).waitFor();
    const steps = page.getByRole('region', { name: 'Steps (3)' }).getByRole('listitem');
    expect((await steps.allTextContents()).map((text) => text.split('Step')[1])).toEqual([
      ' 1: Welcome callCall · Medium priority · when the sequence starts',
      ' 2: Go-live checkCall · Medium priority · 3 hours after the previous step',
      ' 3: Send the menu checklistCall · Medium priority · 2 days after the previous step',
    ]);

    await page.getByRole('link', { name: 'Sequences' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Sequences' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search sequences' }).fill('e2e');
    await visible(row(page, name));
    await visible(row(page, name).getByText('3 steps'));
    await visible(row(page, name).getByRole('button', { name: 'Show sequences tagged e2e' }));
  });

  it('switches it off from the list and keeps it off after a reload', async () => {
    const toggle = page.getByRole('switch', { name: `${name} is active` });
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await toggle.click();
    // Optimistic: it flips before the server answers.
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    await visible(row(page, name).getByText('Inactive'));
    // Wait for the save itself (the list refetches once it settles), then reload.
    await page.waitForLoadState('networkidle');
    await page.reload();
    await expect
      .poll(() =>
        page.getByRole('switch', { name: `${name} is active` }).getAttribute('aria-checked'),
      )
      .toBe('false');
  });

  it('never crashed', () => {
    expect(pageErrors).toEqual([]);
  });
});

async function fillStep(page: Page, index: number, stepName: string, delay: string, unit: string) {
  const group = page.getByRole('group', { name: `Step ${index}` });
  await group.getByRole('textbox', { name: 'Step name' }).fill(stepName);
  await group.getByLabel(`Delay of step ${index}`).fill(delay);
  await group.getByLabel(`Delay unit of step ${index}`).selectOption(unit);
}

const row = (page: Page, name: string) =>
  page.getByRole('listitem').filter({ has: page.getByRole('link', { name }) });

const timelineItems = (page: Page) =>
  page.getByRole('list', { name: 'Due dates' }).getByRole('listitem');

async function timelineSteps(page: Page): Promise<string[]> {
  const texts = await timelineItems(page).allTextContents();
  return texts.map((text) => text.replace(/^.*?(Step \d+:)/, '$1').trim());
}

/** "Day 2 · Wed 25 Nov 09:00" of each line. */
async function timelineDays(page: Page): Promise<string[]> {
  const texts = await timelineItems(page).allTextContents();
  return texts.map((text) => text.replace(/Step \d+:.*$/, '').trim());
}

/** Delete templates by name as a user, over plain HTTP (test clean-up, no client state). */
