// Alarms on the dashboard in a real Chromium: a bed's alarm colours its tile in IEC 60601-1-8
// colours (high red at 2 Hz, medium yellow at 0.5 Hz, low cyan steady) and moves it first; the ward
// list and the bed page list the alarm with value, limit and time; an acknowledgement records who and
// when; sound follows the highest unacknowledged alarm and the audio pause; and the dashboard raises
// its own alarm when the server goes away.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './helpers/server.js';
import { launchChromium, logIn } from './helpers/browser.js';

/** Where the screenshots go (SHOTS_DIR to look at them elsewhere). */
const SHOTS = process.env.SHOTS_DIR ?? 'test-results';
const VA_PATIENT = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' };
/** The console publishes once a second, as a real one does. */
const PUBLISH_EVERY_MS = 1000;
/** Drainage needs 5 s of pVen below −100 mmHg, the warning 10 s below −70 (docs/clinical.md section 4). */
const HIGH_ONSET_MS = 15_000;
const MEDIUM_ONSET_MS = 25_000;

let t: TestServer;
let browser: Browser;
let page: Page;
let dev: MqttClient;
let publisher: ReturnType<typeof setInterval> | null = null;
const pageErrors: string[] = [];

/** Each bed's console values: a1 calm, b2 drainage far too negative (high), c3 in the warning band (medium). */
const CONSOLES: Record<string, Record<string, number>> = {
  a1: { flow: 2, rpm: 3000, pVen: -30 },
  b2: { flow: 2, rpm: 3000, pVen: -150 },
  c3: { flow: 2, rpm: 3000, pVen: -80 },
};

function publishConsoles(): void {
  const ts = Date.now();
  for (const [bed, values] of Object.entries(CONSOLES)) void dev.publishAsync(`icu/${bed}/ecmo/numerics`, JSON.stringify({ ts, values }));
}

function stopPublishing(): void {
  if (publisher) clearInterval(publisher);
  publisher = null;
}

type Rgb = [number, number, number];

function rgb(css: string): Rgb {
  const m = /rgba?\((\d+), (\d+), (\d+)/.exec(css);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

const isRed = ([r, g, b]: Rgb) => r > 80 && r > 2.5 * g && r > 2.5 * b;
const isYellow = ([r, g, b]: Rgb) => r > 70 && g > 0.6 * r && b < 0.6 * g;
const isCyan = ([r, g, b]: Rgb) => b > 150 && g > 150 && r < 0.6 * b;

interface Flash {
  durationMs: number;
  /** Background colours at 20 evenly spaced moments of one period. */
  samples: string[];
}

/**
 * The element's CSS animation, read through the Web Animations API: its period, and its background
 * sampled at 20 moments of one period by seeking the paused animation (exact, unlike timed
 * screenshots on a busy machine). Null without an animation: a steady colour.
 */
function flashOf(el: Locator): Promise<Flash | null> {
  return el.evaluate((node) => {
    const anim = node.getAnimations().find((a) => a instanceof CSSAnimation);
    if (!anim?.effect) return null;
    const durationMs = Number(anim.effect.getComputedTiming().duration);
    anim.pause();
    const samples: string[] = [];
    for (let i = 0; i < 20; i++) {
      anim.currentTime = ((i + 0.5) * durationMs) / 20;
      samples.push(getComputedStyle(node).backgroundColor);
    }
    anim.play();
    return { durationMs, samples };
  });
}

/** A period of `periodMs`, bright for the first half and dim for the second (50 % duty), both of one hue. */
function expectFlashing(f: Flash | null, periodMs: number, hue: (c: Rgb) => boolean): void {
  expect(f).not.toBeNull();
  expect(f!.durationMs).toBe(periodMs);
  const [bright, dim] = [f!.samples[0], f!.samples[19]];
  expect(bright).not.toBe(dim);
  expect(f!.samples.filter((s) => s === bright)).toHaveLength(10);
  expect(f!.samples.slice(0, 10).every((s) => s === bright)).toBe(true);
  expect(hue(rgb(bright))).toBe(true);
  expect(hue(rgb(dim))).toBe(true);
}

const tile = (bed: string) => page.locator(`[data-bed=${bed}]`);
const tileOrder = () => page.locator('[data-bed]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.bed));
const wardRow = (bed: string, key: string) => page.locator(`[data-ward-alarms] [data-alarm-id^="${bed}:${key}:"]`);

beforeAll(async () => {
  t = await startTestServer();
  dev = await t.device();
  for (const bed of ['b2', 'c3']) {
    const put = await t.api(`/api/beds/${bed}/patient`, { method: 'PUT', body: JSON.stringify(VA_PATIENT) });
    expect(put.status).toBe(200);
  }
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await logIn(page, t.url, 'admin', ADMIN_PASSWORD);
  publishConsoles();
  publisher = setInterval(publishConsoles, PUBLISH_EVERY_MS);
});

afterAll(async () => {
  stopPublishing();
  await browser?.close();
  await t?.stop();
});

describe('alarms on the dashboard', () => {
  it('turns the tile of a bed with a drainage alarm red, flashing at 2 Hz, names the alarm, and moves the bed first', async () => {
    await expect.poll(() => tileOrder(), { timeout: 10_000 }).toEqual(expect.arrayContaining(['a1', 'b2', 'c3']));
    expect(await tile('a1').getAttribute('data-alarm')).toBe('none');
    await expect.poll(() => tile('b2').getAttribute('data-alarm'), { timeout: HIGH_ONSET_MS }).toBe('high');
    expect((await tileOrder())[0]).toBe('b2');
    expect(await tile('b2').locator('[data-alarm-message]').textContent()).toMatch(/Drainage pressure -150 mmHg, below -100 mmHg/);
    expect(isRed(rgb(await tile('b2').evaluate((el) => getComputedStyle(el).backgroundColor)))).toBe(true);
    expectFlashing(await flashOf(tile('b2')), 500, isRed);
    // a calm tile neither flashes nor takes an alarm colour
    expect(await flashOf(tile('a1'))).toBeNull();
    expect(isRed(rgb(await tile('a1').evaluate((el) => getComputedStyle(el).backgroundColor)))).toBe(false);
  });

  it('shows a medium alarm yellow flashing at 0.5 Hz and a low one cyan and steady, ordered high, medium, low, then the rest', async () => {
    // d4: a bed whose lab sends values outside the plausible range, five times in a minute (low)
    await dev.publishAsync('icu/d4/lab/result', JSON.stringify({ ts: Date.now(), site: 'arterial', values: { lactate: 1.5 } }));
    for (let i = 1; i <= 5; i++)
      await dev.publishAsync('icu/d4/lab/result', JSON.stringify({ ts: Date.now() + i, site: 'arterial', values: { lactate: 99 } }));
    await expect.poll(() => tile('d4').getAttribute('data-alarm'), { timeout: 10_000 }).toBe('low');
    await expect.poll(() => tile('c3').getAttribute('data-alarm'), { timeout: MEDIUM_ONSET_MS }).toBe('medium');
    expect(await tileOrder()).toEqual(['b2', 'c3', 'd4', 'a1']);
    expectFlashing(await flashOf(tile('c3')), 2000, isYellow);
    expect(await flashOf(tile('d4'))).toBeNull();
    expect(isCyan(rgb(await tile('d4').evaluate((el) => getComputedStyle(el).backgroundColor)))).toBe(true);
    // values keep arriving every second; the order stays
    const flow = tile('a1').locator('[data-signal=flow] .num');
    await expect.poll(() => flow.textContent()).toBe('2.00');
    expect(await tileOrder()).toEqual(['b2', 'c3', 'd4', 'a1']);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'alarms-overview.png') });
  });

  it('keeps the colour but stops the flashing for a user who asks for reduced motion', async () => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(await flashOf(tile('b2'))).toBeNull();
      expect(await flashOf(tile('c3'))).toBeNull();
      expect(isRed(rgb(await tile('b2').evaluate((el) => getComputedStyle(el).backgroundColor)))).toBe(true);
      expect(isYellow(rgb(await tile('c3').evaluate((el) => getComputedStyle(el).backgroundColor)))).toBe(true);
    } finally {
      await page.emulateMedia({ reducedMotion: null });
    }
  });

  it('lists each alarm on the ward list, newest first, with its value and limit in units, the time raised and its state', async () => {
    const row = wardRow('b2', 'drainagePressure');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getAttribute('data-priority')).toBe('high');
    expect(await row.locator('.title').textContent()).toMatch(/b2\s*Drainage pressure/);
    expect(await row.locator('.details').textContent()).toBe('−150 mmHg, limit −100 mmHg');
    expect(await row.locator('.raised').textContent()).toMatch(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/);
    expect(await row.locator('.state').textContent()).toBe('active');
    expect(await row.locator('button', { hasText: 'Acknowledge' }).count()).toBe(1);
    expect(await wardRow('d4', 'valueRejected').getAttribute('data-priority')).toBe('low');
    const raised = await page
      .locator('[data-ward-alarms] [data-alarm-id]')
      .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.alarmId!.split(':').at(-1))));
    expect(raised.length).toBeGreaterThanOrEqual(3);
    expect([...raised].sort((a, b) => b - a)).toEqual(raised);
  });

  it('offers no Acknowledge button to a role that may not acknowledge', async () => {
    const created = await t.api('/api/users', {
      method: 'POST',
      body: JSON.stringify({ username: 'watcher', password: 'watcher-pw-1', role: 'viewer' }),
    });
    expect(created.status).toBeLessThan(300);
    const viewer = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await logIn(viewer, t.url, 'watcher', 'watcher-pw-1');
      const row = viewer.locator('[data-ward-alarms] [data-alarm-id^="b2:drainagePressure:"]');
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      expect(await row.locator('.state').textContent()).toBe('active');
      expect(await viewer.locator('button', { hasText: 'Acknowledge' }).count()).toBe(0);
    } finally {
      await viewer.close();
    }
  });

  it('sounds, once switched on, the highest unacknowledged alarm; the audio pause silences it for 2 min and leaves the alarm on screen', async () => {
    const sound = page.locator('[data-sound]');
    expect(await sound.getAttribute('data-sound')).toBe('off');
    expect(await sound.getAttribute('data-sound-playing')).toBe('none');
    await page.click('button:has-text("Sound off")');
    await expect.poll(() => sound.getAttribute('data-sound')).toBe('on');
    await expect.poll(() => sound.getAttribute('data-sound-playing')).toBe('high');
    expect(await page.evaluate(() => localStorage.getItem('ecmo.sound'))).toBe('on');
    await page.click('button:has-text("Audio pause 2 min")');
    await expect.poll(() => sound.getAttribute('data-sound')).toBe('paused');
    await expect.poll(() => sound.getAttribute('data-sound-playing')).toBe('none');
    expect(await page.locator('[data-countdown]').textContent()).toMatch(/^(2:00|1:5\d)$/);
    await expect.poll(() => page.locator('[data-countdown]').textContent(), { timeout: 5000 }).toMatch(/^1:5\d$/);
    expect(await tile('b2').getAttribute('data-alarm')).toBe('high');
    await page.click('button:has-text("Audio paused")');
    await expect.poll(() => sound.getAttribute('data-sound-playing')).toBe('high');
  });

  it('acknowledges from the ward list: the row says who and when, the alarm stays while its condition holds, the tone steps down', async () => {
    const row = wardRow('b2', 'drainagePressure');
    await row.locator('button', { hasText: 'Acknowledge' }).click();
    await expect.poll(() => row.locator('.acked').textContent()).toMatch(/^acknowledged by admin ([01]\d|2[0-3]):[0-5]\d$/);
    expect(await row.locator('button', { hasText: 'Acknowledge' }).count()).toBe(0);
    expect(await row.locator('.state').textContent()).toBe('active');
    expect(await tile('b2').getAttribute('data-alarm')).toBe('high');
    // the server recorded it
    const listed = await t.api<{ id: string; ackedBy: string | null }[]>('/api/alarms?bed=b2&state=active');
    expect(listed.body.find((a) => a.id.startsWith('b2:drainagePressure:'))?.ackedBy).toBe('admin');
    // b2 is seen; c3's medium alarm still sounds
    await expect.poll(() => page.locator('[data-sound]').getAttribute('data-sound-playing')).toBe('medium');
    // the bed page lists the same alarm, acknowledged, under a header in the bed's colour
    await tile('b2').click();
    const header = page.locator('.bed-page [data-alarm]');
    await expect.poll(() => header.getAttribute('data-alarm')).toBe('high');
    expectFlashing(await flashOf(header), 500, isRed);
    const bedRow = page.locator('[data-bed-alarms] [data-alarm-id^="b2:drainagePressure:"]');
    expect(await bedRow.locator('.acked').textContent()).toMatch(/^acknowledged by admin \d\d:\d\d$/);
    expect(await bedRow.locator('.details').textContent()).toBe('−150 mmHg, limit −100 mmHg');
    await page.screenshot({ path: join(SHOTS, 'alarms-bed.png') });
    await page.goto(`${t.url}/#/`);
    expect(pageErrors).toEqual([]);
  });

  it('raises its own high-priority alarm, flashing and sounding, when the server goes away', async () => {
    await expect.poll(() => tile('b2').getAttribute('data-alarm'), { timeout: 10_000 }).toBe('high');
    expect(await page.locator('[data-dashboard-alarm]').count()).toBe(0);
    stopPublishing();
    await t.server.stop();
    const banner = page.locator('[data-dashboard-alarm=link]');
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(1);
    expect(await banner.textContent()).toMatch(/No connection to the server: data on this screen is not live/);
    expectFlashing(await flashOf(banner), 500, isRed);
    // full width: edge to edge of the page
    expect(await banner.evaluate((el) => el.getBoundingClientRect().width === document.documentElement.clientWidth)).toBe(true);
    // b2 is acknowledged and c3 only medium: "high" is the dashboard's own alarm
    await expect.poll(() => page.locator('[data-sound]').getAttribute('data-sound-playing')).toBe('high');
    expect(await page.locator('[data-ward-alarms] .stale').textContent()).toMatch(/Not live/);
    await page.screenshot({ path: join(SHOTS, 'alarms-link-lost.png') });
    expect(pageErrors).toEqual([]);
  });
});
