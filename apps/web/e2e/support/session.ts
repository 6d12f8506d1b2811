import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { beforeEach } from 'vitest';
import { launchBrowser, trackPageErrors } from './browser';
import type { StackEnv } from './stack';
import { startWebServer, type WebServer } from './web-server';

/** One test file's dashboard and browser: a dev server on the stack, and one page on it. */
export type BrowserSession = {
  web: WebServer;
  page: Page;
  /** Uncaught errors on the page so far: a test asserts it stays empty. */
  pageErrors: string[];
  /** Where the page is and what it shows, with its recent console errors and failed requests. */
  describe: () => Promise<string>;
  /** Close the page's context, the browser and the dev server. */
  close: () => Promise<void>;
};

export async function openBrowserSession(
  stack: StackEnv,
  viewport: { width: number; height: number },
  /** e.g. `timezoneId`: the zone the browser reports, as a user's would. */
  contextOptions: Omit<BrowserContextOptions, 'viewport'> = {},
): Promise<BrowserSession> {
  const web = await startWebServer(stack);
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close();
    await browser?.close();
    await web.close();
  };
  try {
    browser = await launchBrowser();
    context = await browser.newContext({ viewport, ...contextOptions });
    const page = await context.newPage();
    // Generous: under CI the whole suite shares two cores with this browser and dev server.
    page.setDefaultTimeout(30_000);
    page.setDefaultNavigationTimeout(45_000);
    const pageErrors = trackPageErrors(page);
    const trail = trackTrouble(page);
    const describe = async () => {
      const text = await page
        .locator('body')
        .innerText({ timeout: 2_000 })
        .catch((error: unknown) => `(unreadable: ${String(error)})`);
      return [
        `page: ${page.url()}`,
        `--- what it shows ---\n${text.slice(0, 3_000)}`,
        `--- uncaught errors ---\n${pageErrors.join('\n') || '(none)'}`,
        `--- console errors and failed requests, latest last ---\n${trail.join('\n') || '(none)'}`,
      ].join('\n');
    };
    return { web, page, pageErrors, describe, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The last few console errors, failed requests and 4xx/5xx answers the page met. */
function trackTrouble(page: Page, keep = 20): string[] {
  const trail: string[] = [];
  const note = (line: string) => {
    trail.push(`${new Date().toISOString()} ${line}`);
    if (trail.length > keep) trail.shift();
  };
  page.on('console', (message) => {
    if (message.type() === 'error') note(`console: ${message.text()}`);
  });
  page.on('requestfailed', (request) =>
    note(`failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? '?'})`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) {
      note(`${response.status()}: ${response.request().method()} ${response.url()}`);
    }
  });
  return trail;
}

/**
 * Print the page's state when a test in this file fails: under CI's load a timeout alone
 * says little, and what the page showed (a spinner, an error, a different route) says why.
 */
export function describePageOnFailure(session: () => BrowserSession | undefined) {
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      const current = session();
      if (current) console.error(`[e2e] "${task.name}" failed\n${await current.describe()}`);
    });
  });
}
