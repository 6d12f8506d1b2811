import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, trackPageErrors } from './browser';
import type { StackEnv } from './stack';
import { startWebServer, type WebServer } from './web-server';

/** One test file's dashboard and browser: a dev server on the stack, and one page on it. */
export type BrowserSession = {
  web: WebServer;
  page: Page;
  /** Uncaught errors on the page so far: a test asserts it stays empty. */
  pageErrors: string[];
  /** Close the page's context, the browser and the dev server. */
  close: () => Promise<void>;
};

export async function openBrowserSession(
  stack: StackEnv,
  viewport: { width: number; height: number },
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
    context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.setDefaultNavigationTimeout(30_000);
    return { web, page, pageErrors: trackPageErrors(page), close };
  } catch (error) {
    await close();
    throw error;
  }
}
