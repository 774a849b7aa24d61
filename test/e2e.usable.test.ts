// A whole ICU shift in a real Chromium: a light theme for the day that survives a reload and is there
// before the first paint, the dark one by default; the ward and its beds by keyboard alone; a login
// page that says what to do when the password is wrong, when logins are throttled, when the server
// cannot be reached (and when it answers again), and when a session ended; tablets without sideways
// scrolling.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, until, type TestServer } from './helpers/server.js';
import { launchChromium, logIn } from './helpers/browser.js';

const SHOTS = process.env.SHOTS_DIR ?? 'test-results';
const SCREEN = { width: 1920, height: 1080 };
const TABLETS = [
  { width: 1024, height: 768 },
  { width: 768, height: 1024 },
];
const PUBLISH_EVERY_MS = 1000;
const UI_MS = 15_000;
/** The login page checks an unreachable server every 5 s; a check may take up to 4 s more. */
const RECOVERY_MS = 15_000;

/** `--bg` of each palette (app.css) as getComputedStyle writes it. */
const DARK_BG = 'rgb(11, 19, 32)';
const LIGHT_BG = 'rgb(233, 237, 242)';

/** Eight beds; b5's pump has stopped (a high alarm at once), so alarms-first puts it first. */
const IDS = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8'];
const STOPPED = 'b5';
const SEVERITY_ORDER = [STOPPED, ...IDS.filter((id) => id !== STOPPED)];

let t: TestServer;
let browser: Browser;
let page: Page;
let dev: MqttClient;
let publisher: ReturnType<typeof setInterval> | null = null;
const pageErrors: string[] = [];

function publishAll(): void {
  const ts = Date.now();
  IDS.forEach((bed, i) => {
    const stopped = bed === STOPPED;
    const consoleValues = {
      flow: stopped ? 0 : 1.2 + i * 0.1,
      rpm: stopped ? 0 : 2600 + i * 50,
      pVen: -25,
      svo2: 70,
      pPre: 190,
      pPost: 165,
    };
    void dev.publishAsync(`icu/${bed}/ecmo/numerics`, JSON.stringify({ ts, values: consoleValues }));
    void dev.publishAsync(`icu/${bed}/monitor/numerics`, JSON.stringify({ ts, values: { hr: 110 + i, map: 62, spo2: 97 } }));
  });
}

const rootBackground = (p: Page) => p.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
const focusedBed = (p: Page) => p.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.bed ?? null);
const hash = (p: Page) => p.evaluate(() => location.hash);
const tileOrder = (p: Page) => p.locator('[data-tiles] [data-bed]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.bed!));
const noSidewaysScroll = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth <= innerWidth);

beforeAll(async () => {
  t = await startTestServer();
  dev = await t.device();
  for (const bed of IDS) {
    const put = await t.api(`/api/beds/${bed}/patient`, {
      method: 'PUT',
      body: JSON.stringify({ weightKg: 12, heightCm: 85, ageMonths: 24, ecmoMode: 'VA' }),
    });
    expect(put.status).toBe(200);
  }
  publishAll();
  publisher = setInterval(publishAll, PUBLISH_EVERY_MS);
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: SCREEN });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await logIn(page, t.url, 'admin', ADMIN_PASSWORD);
  await until(
    async () => (await page.locator(`[data-bed=${STOPPED}]`).getAttribute('data-alarm')) === 'high',
    'the stopped pump’s alarm',
    UI_MS,
  );
  await until(async () => (await tileOrder(page)).join() === SEVERITY_ORDER.join(), 'alarms-first order', UI_MS);
});

afterAll(async () => {
  if (publisher) clearInterval(publisher);
  await browser?.close();
  await t?.stop();
});

describe('a dark theme for the night and a light one for the day', () => {
  it('starts dark, turns light with the header’s toggle, and stays light after a reload, from the first paint', async () => {
    const toggle = page.locator('header [data-theme-toggle]');
    expect(await rootBackground(page)).toBe(DARK_BG);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await page.screenshot({ path: join(SHOTS, 'usable-overview-dark.png') });

    await toggle.click();
    await expect.poll(() => rootBackground(page)).toBe(LIGHT_BG);
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    // text stays dark on light panels; the stopped pump's tile keeps the IEC red
    expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(15, 26, 42)');
    await expect
      .poll(() => page.locator(`[data-bed=${STOPPED}]`).evaluate((el) => getComputedStyle(el).backgroundColor), { timeout: 2000 })
      .toMatch(/^rgb\((214, 40, 40|92, 15, 15)\)$/);
    await page.screenshot({ path: join(SHOTS, 'usable-overview-light.png') });

    // Reload with the dashboard's script held back: the light palette is there before the app runs.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/assets/*.js', async (route) => {
      await held;
      await route.continue();
    });
    await page.reload({ waitUntil: 'commit' });
    await page.waitForFunction(() => document.getElementById('app') !== null);
    expect(await page.evaluate(() => document.getElementById('app')!.childElementCount)).toBe(0);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await rootBackground(page)).toBe(LIGHT_BG);
    release();
    await page.waitForSelector('[data-connected=true]', { timeout: 10_000 });
    await page.unroute('**/assets/*.js');
    expect(await page.locator('header [data-theme-toggle]').getAttribute('aria-pressed')).toBe('true');
    expect(await rootBackground(page)).toBe(LIGHT_BG);
  });

  it('gives the live waves the theme’s colours, and turns dark again', async () => {
    await page.goto(`${t.url}/#/bed/b1`);
    const abpName = page.locator('[data-wave=abp] .name');
    await expect.poll(() => abpName.evaluate((el) => getComputedStyle(el).color), { timeout: UI_MS }).toBe('rgb(198, 40, 40)');
    await page.screenshot({ path: join(SHOTS, 'usable-bed-light.png') });
    await page.locator('header [data-theme-toggle]').click();
    await expect.poll(() => abpName.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 107, 107)');
    expect(await rootBackground(page)).toBe(DARK_BG);
    expect(await page.evaluate(() => localStorage.getItem('ecmo.theme'))).toBe('dark');
    await page.goto(`${t.url}/#/`);
    await expect.poll(() => tileOrder(page), { timeout: UI_MS }).toEqual(SEVERITY_ORDER);
  });
});

describe('the ward by keyboard', () => {
  it('moves the focus between tiles as they are laid out, with a visible ring', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const boxes = await page.locator('[data-tiles] [data-bed]').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { bed: (e as HTMLElement).dataset.bed!, x: Math.round(r.left), y: Math.round(r.top) };
      }),
    );
    const columns = new Set(boxes.map((b) => b.x)).size;
    expect(columns).toBeGreaterThan(1);
    expect(boxes.length).toBeGreaterThan(columns);

    // nothing focused: the first arrow enters the grid at its first tile
    await page.keyboard.press('ArrowRight');
    expect(await focusedBed(page)).toBe(SEVERITY_ORDER[0]);
    await page.keyboard.press('ArrowRight');
    expect(await focusedBed(page)).toBe(SEVERITY_ORDER[1]);
    await page.keyboard.press('ArrowDown');
    const below = boxes.find((b) => b.x === boxes[1].x && b.y > boxes[1].y)!;
    expect(await focusedBed(page)).toBe(below.bed);
    await page.keyboard.press('ArrowUp');
    expect(await focusedBed(page)).toBe(SEVERITY_ORDER[1]);
    await page.keyboard.press('ArrowLeft');
    expect(await focusedBed(page)).toBe(SEVERITY_ORDER[0]);
    await page.keyboard.press('End');
    expect(await focusedBed(page)).toBe(SEVERITY_ORDER.at(-1));
    await page.keyboard.press('Home');
    expect(await focusedBed(page)).toBe(SEVERITY_ORDER[0]);

    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement!);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    expect(ring.style).toBe('solid');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('ArrowRight');
    await page.screenshot({ path: join(SHOTS, 'usable-focus.png') });
  });

  it('opens the focused bed with Enter, steps through the beds in the overview’s order, and goes back with Escape to its tile', async () => {
    expect(await focusedBed(page)).toBe(SEVERITY_ORDER[1]);
    await page.keyboard.press('Enter');
    await expect.poll(() => hash(page)).toBe(`#/bed/${SEVERITY_ORDER[1]}`);
    await expect.poll(() => page.locator('.bed-page h2').textContent()).toBe(SEVERITY_ORDER[1]);

    await page.keyboard.press(']');
    await expect.poll(() => hash(page)).toBe(`#/bed/${SEVERITY_ORDER[2]}`);
    await page.keyboard.press('Alt+ArrowRight');
    await expect.poll(() => hash(page)).toBe(`#/bed/${SEVERITY_ORDER[3]}`);
    await page.keyboard.press('[');
    await expect.poll(() => hash(page)).toBe(`#/bed/${SEVERITY_ORDER[2]}`);
    await page.keyboard.press('Alt+ArrowLeft');
    await page.keyboard.press('[');
    // the stopped pump comes first in alarms-first order: before b1 is b5, not nothing
    await expect.poll(() => hash(page)).toBe(`#/bed/${SEVERITY_ORDER[0]}`);
    await page.keyboard.press('[');
    await page.waitForTimeout(200);
    expect(await hash(page)).toBe(`#/bed/${SEVERITY_ORDER[0]}`);
    await page.keyboard.press(']');
    await expect.poll(() => hash(page)).toBe(`#/bed/${SEVERITY_ORDER[1]}`);

    await page.keyboard.press('Escape');
    await expect.poll(() => hash(page)).toBe('#/');
    await expect.poll(() => focusedBed(page)).toBe(SEVERITY_ORDER[1]);
  });

  it('follows the order by bed id when the overview is set to it', async () => {
    await page.check('input[name=ward-order][value=bed]');
    await expect.poll(() => tileOrder(page)).toEqual(IDS);
    await page.locator(`[data-bed=${STOPPED}]`).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => hash(page)).toBe(`#/bed/${STOPPED}`);
    await page.keyboard.press(']');
    await expect.poll(() => hash(page)).toBe('#/bed/b6');
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedBed(page)).toBe('b6');
    await page.check('input[name=ward-order][value=severity]');
    await expect.poll(() => tileOrder(page)).toEqual(SEVERITY_ORDER);
  });

  it('never takes a key from a field being typed in, nor one with another modifier', async () => {
    const filter = page.locator('input[name=ward-filter]');
    await filter.focus();
    for (const key of ['ArrowDown', 'ArrowRight', 'End', 'Home']) await page.keyboard.press(key);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('ward-filter');

    await page.locator('[data-bed=b2]').focus();
    await page.keyboard.press('Control+ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    expect(await focusedBed(page)).toBe('b2');

    await page.keyboard.press('Enter');
    await expect.poll(() => hash(page)).toBe('#/bed/b2');
    const note = page.locator('input[name=event-note]');
    await note.focus();
    await page.keyboard.type('[]');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(200);
    expect(await hash(page)).toBe('#/bed/b2');
    expect(await note.inputValue()).toBe('[]');
    await note.fill('');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Control+]');
    await page.waitForTimeout(200);
    expect(await hash(page)).toBe('#/bed/b2');
    await page.keyboard.press('Escape');
    await expect.poll(() => hash(page)).toBe('#/');
  });

  it('lists the keys behind the Keys button and ?', async () => {
    await page.locator('[data-bed=b1]').focus();
    await page.keyboard.press('Shift+?');
    const help = page.locator('[data-keys-help]');
    await expect.poll(() => help.count()).toBe(1);
    expect(await help.textContent()).toMatch(/previous, next bed/);
    expect(await page.locator('[data-keys-toggle]').getAttribute('aria-expanded')).toBe('true');
    await page.screenshot({ path: join(SHOTS, 'usable-keys.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
  });
});

describe('a login page that says what to do', () => {
  it('says the password is wrong, and how long to wait when the server throttles logins', async () => {
    const p = await browser.newPage({ viewport: SCREEN });
    try {
      await p.goto(t.url);
      await p.fill('input[name=username]', 'admin');
      await p.fill('input[name=password]', 'not-the-password');
      await p.click('button[type=submit]');
      const alert = p.locator('[role=alert]');
      await expect.poll(() => alert.textContent()).toMatch(/wrong username or password/);
      expect(await p.locator('main').getAttribute('data-login-state')).toBe('refused');
      expect(await alert.textContent()).toMatch(/After repeated failures, logins from this computer are refused for a minute/);
      await p.screenshot({ path: join(SHOTS, 'usable-login-refused.png') });

      // the server's throttle answers 429 with the wait in Retry-After
      await p.route('**/api/login', (route) =>
        route.fulfill({
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '30' },
          body: JSON.stringify({ error: { code: 'too_many_attempts', message: 'too many failed logins; wait a minute' } }),
        }),
      );
      await p.click('button[type=submit]');
      await expect.poll(() => p.locator('[data-login-error=throttled]').textContent()).toMatch(/Too many failed logins/);
      expect(await p.locator('[data-retry-after]').textContent()).toMatch(/Try again in (30|29) s/);
    } finally {
      await p.close();
    }
  });

  it('says the server cannot be reached and what to do, checks again every 5 s, and says when it is back', async () => {
    const s2 = await startTestServer();
    const p = await browser.newPage({ viewport: SCREEN });
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    try {
      await p.goto(s2.url);
      await p.fill('input[name=username]', 'admin');
      await p.fill('input[name=password]', ADMIN_PASSWORD);
      await s2.server.stop();
      await p.click('button[type=submit]');
      const down = p.locator('[data-unreachable]');
      await expect.poll(() => down.count(), { timeout: UI_MS }).toBe(1);
      const text = (await down.textContent())!.replace(/\s+/g, ' ');
      expect(text).toContain(`Cannot reach the ECMO monitor server at ${new URL(s2.url).origin}`);
      expect(text).toMatch(/The server may be restarting or the network is down/);
      expect(text).toMatch(/Bedside monitors and ECMO consoles keep alarming on their own/);
      expect(text).toMatch(/This page retries every 5 s/);
      expect(text).toMatch(/on-call IT/);
      expect(text).toMatch(/npm start/);
      expect(await p.locator('main').getAttribute('data-login-state')).toBe('unreachable');
      // it keeps asking: the count of tries grows without a click
      await expect.poll(async () => (await down.textContent())!.match(/(\d+) tries/)?.[1], { timeout: RECOVERY_MS }).toBe('2');
      await p.screenshot({ path: join(SHOTS, 'usable-login-unreachable.png') });
      // the login page has the theme toggle too
      await p.locator('[data-theme-toggle]').click();
      await expect.poll(() => rootBackground(p)).toBe(LIGHT_BG);
      await p.screenshot({ path: join(SHOTS, 'usable-login-unreachable-light.png') });

      await s2.restart();
      await expect.poll(() => p.locator('[data-server-back]').count(), { timeout: RECOVERY_MS }).toBe(1);
      expect(await p.locator('[data-server-back]').textContent()).toMatch(/The server answers again/);
      expect(await down.count()).toBe(0);
      await p.screenshot({ path: join(SHOTS, 'usable-login-back.png') });
      await p.click('button[type=submit]');
      await p.waitForSelector('[data-connected=true]', { timeout: 10_000 });
      expect(errors).toEqual([]);
    } finally {
      await p.close();
      await s2.stop();
    }
  }, 120_000); // waits out several 5 s retries, and a server stop and start, on a loaded machine

  it('takes the same page for a gateway that answers 502 for a server that is down', async () => {
    const p = await browser.newPage({ viewport: SCREEN });
    try {
      await p.goto(t.url);
      await p.route('**/api/login', (route) => route.fulfill({ status: 502, body: 'Bad Gateway' }));
      await p.fill('input[name=password]', ADMIN_PASSWORD);
      await p.click('button[type=submit]');
      await expect.poll(() => p.locator('[data-unreachable]').count()).toBe(1);
      expect(await p.locator('[data-unreachable]').textContent()).toMatch(/HTTP 502/);
      // the server itself answers its health check: the page says it is back
      await expect.poll(() => p.locator('[data-server-back]').count(), { timeout: RECOVERY_MS }).toBe(1);
    } finally {
      await p.close();
    }
  });

  it('returns to the login page saying the session ended when the server no longer accepts it', async () => {
    const p = await browser.newPage({ viewport: SCREEN });
    try {
      await logIn(p, t.url, 'admin', ADMIN_PASSWORD);
      const token = await p.evaluate(() => (JSON.parse(sessionStorage.getItem('ecmo.session')!) as { token: string }).token);
      // the session ends elsewhere (an admin, another tab): its socket is cut, and refused again
      const out = await fetch(`${t.url}/api/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(out.status).toBeLessThan(300);
      await expect.poll(() => p.locator('[data-session-ended]').count(), { timeout: UI_MS }).toBe(1);
      expect(await p.locator('[data-session-ended]').textContent()).toBe('Your session ended; log in again.');
      expect(await p.inputValue('input[name=username]')).toBe('admin');
      await p.fill('input[name=password]', ADMIN_PASSWORD);
      await p.click('button[type=submit]');
      await p.waitForSelector('[data-connected=true]', { timeout: 10_000 });
      expect(await p.locator('[data-session-ended]').count()).toBe(0);
    } finally {
      await p.close();
    }
  });
});

describe('tablets', () => {
  for (const size of TABLETS) {
    it(`shows the overview and the login page at ${size.width}x${size.height} without sideways scrolling`, async () => {
      const p = await browser.newPage({ viewport: size });
      try {
        await p.goto(t.url);
        await p.waitForSelector('input[name=username]');
        expect(await noSidewaysScroll(p)).toBe(true);
        await p.screenshot({ path: join(SHOTS, `usable-login-${size.width}x${size.height}.png`), fullPage: true });
        await p.route('**/api/login', (route) => route.abort('connectionrefused'));
        await p.fill('input[name=password]', ADMIN_PASSWORD);
        await p.click('button[type=submit]');
        await expect.poll(() => p.locator('[data-unreachable]').count()).toBe(1);
        expect(await noSidewaysScroll(p)).toBe(true);
        await p.unroute('**/api/login');

        await logIn(p, t.url, 'admin', ADMIN_PASSWORD);
        await expect.poll(() => p.locator('[data-tiles] [data-bed]').count(), { timeout: UI_MS }).toBe(IDS.length);
        expect(await noSidewaysScroll(p)).toBe(true);
        const right = await p
          .locator('[data-tiles] [data-bed]')
          .evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)));
        expect(right).toBeLessThanOrEqual(size.width);
        const header = await p.locator('header.top').evaluate((el) => el.getBoundingClientRect().right);
        expect(header).toBeLessThanOrEqual(size.width);
        await p.screenshot({ path: join(SHOTS, `usable-overview-${size.width}x${size.height}.png`), fullPage: true });
        await p.goto(`${t.url}/#/bed/b1`);
        await expect.poll(() => p.locator('.bed-page h2').textContent(), { timeout: UI_MS }).toBe('b1');
      } finally {
        await p.close();
      }
    });
  }

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
