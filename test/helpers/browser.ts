// Debian's Chromium as every browser test and the dashboard benchmark launch it (playwright-core
// cannot download a browser here): headless, no sandbox as root, nothing that phones home.
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Logs in through the dashboard's own login page and waits until its link to the server is live. */
export async function logIn(page: Page, url: string, username: string, password: string, timeoutMs = 10_000): Promise<void> {
  await page.goto(url);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-connected=true]', { timeout: timeoutMs });
}
