// Test helper: headless Debian chromium driven by playwright-core; tests skip with this reason when absent.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.RSTSCOPE_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (Debian: apt-get install -y chromium; .ci/run installs it)`;
  return null;
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export interface OpenedPage {
  page: Page;
  /** Console errors/warnings and uncaught exceptions. */
  errors: string[];
  /** Every request other than the report file itself. */
  requests: string[];
  /** Dialogs (alert, confirm, prompt) the page tried to open. */
  dialogs: string[];
}

/** Opens a report file in a fresh context and waits until its script has drawn the table. */
export async function openReport(browser: Browser, file: string, viewport = { width: 1600, height: 1100 }): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const opened: OpenedPage = { page, errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') opened.errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => opened.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url) opened.requests.push(r.url());
  });
  page.on('dialog', (d) => {
    opened.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(url);
  await page.waitForSelector('html[data-ready]', { timeout: 60_000 });
  return opened;
}
