// The overview's tiles in a real Chromium, with their last hour and the study clock: each tile draws
// flow and MAP over the last hour from the recording (per-minute means, published here as late device
// data within the server's 48 h of allowed lateness) with the live value as the right-most point; a
// gap in the data stays a gap; a bed without history says so; the canvas is drawn at most once a
// second. A study patient's tile shows the time since T0 and the time to ECMO, counting while there
// is no flow start, each event arriving live; a bed outside the study shows no clock. Sixteen beds
// still fit a 1920x1080 central station without scrolling.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, until, type TestServer } from './helpers/server.js';
import { launchChromium, logIn } from './helpers/browser.js';
import { baseWard, type BedSetup } from './helpers/ward.js';

/** Where the screenshots go (SHOTS_DIR to look at them elsewhere). */
const SHOTS = process.env.SHOTS_DIR ?? 'test-results';
const SCREEN = { width: 1920, height: 1080 };
const PUBLISH_EVERY_MS = 1000;
const UI_MS = 15_000;
const MIN = 60_000;
const H = 60 * MIN;
/** A timeline event entered anywhere shows on the tile within a second; a loaded test machine gets twice that. */
const LIVE_EVENT_MS = 2000;
/** Minutes of history published before the page opens (the last one is the live publisher's). */
const HISTORY_MIN = 59;
/** Flow on picu1 is missing for these minutes ago (a console unplugged): a gap in its line. */
const GAP = { from: 40, to: 31 };

/**
 * Sixteen beds: picu1 is a study patient without T0 yet, flow rising from 1.6 to 2.0 L/min and MAP
 * from 50 to 65 mmHg over the hour, its flow missing 40 to 31 min ago; picu2 a study patient who
 * never gets a T0; picu3 a study patient with T0 5 h 12 min ago and ECMO flow 3 h 40 min after it;
 * picu9's pump has stopped (a high alarm) and its study clock runs without ECMO: the tallest tile;
 * nicu6 has a patient but no device has ever published (no trend yet). The others are outside the study.
 */
function ward(): Record<string, BedSetup> {
  const beds = baseWard();
  beds.picu1.patient = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA', studyId: 'S-0101', studyGroup: 'RSS-ECMO' };
  beds.picu1.console.flow = 2.0;
  beds.picu1.monitor.map = 65;
  beds.picu2.patient = { ...beds.picu2.patient, studyId: 'S-0102', studyGroup: 'SS' };
  beds.picu3.patient = { ...beds.picu3.patient, studyId: 'S-0103', studyGroup: 'RSS-ECMO' };
  beds.picu9.patient = { ...beds.picu9.patient, studyId: 'S-0109', studyGroup: 'RSS-ECMO' };
  beds.picu9.console = { ...beds.picu9.console, flow: 0, rpm: 0 };
  return beds;
}

const BEDS = ward();
const IDS = Object.keys(BEDS);
const SILENT = 'nicu6';
const STUDY_SINCE_T0 = 5 * H + 12 * MIN;
/** T0 of picu3 and picu9, entered before the page opens. */
const t0s: Record<string, number> = {};

/** "T0 +5 h 12 min" for a T0 at `t0`, now: how long the clock has run, cut to the minute. */
function sinceT0(t0: number): string {
  const m = Math.floor((Date.now() - t0) / MIN);
  return `T0 +${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The value a bed's device had `minAgo` minutes ago: picu1 rises over the hour, the others are steady. */
function valuesAt(bed: string, minAgo: number): { console: Record<string, number> | null; monitor: Record<string, number> } {
  const s = BEDS[bed];
  if (bed !== 'picu1') return { console: s.console, monitor: s.monitor };
  const along = (HISTORY_MIN - minAgo) / HISTORY_MIN;
  const flow = Math.round((1.6 + 0.4 * along) * 100) / 100;
  const map = Math.round(50 + 15 * along);
  const missing = minAgo <= GAP.from && minAgo >= GAP.to;
  return { console: missing ? null : { ...s.console, flow }, monitor: { ...s.monitor, map } };
}

let t: TestServer;
let browser: Browser;
let page: Page;
let dev: MqttClient;
let publisher: ReturnType<typeof setInterval> | null = null;
const pageErrors: string[] = [];
const historyRequests: string[] = [];

function publishLive(): void {
  const ts = Date.now();
  for (const [bed, s] of Object.entries(BEDS)) {
    if (bed === SILENT) continue;
    void dev.publishAsync(`icu/${bed}/ecmo/numerics`, JSON.stringify({ ts, values: s.console }));
    void dev.publishAsync(`icu/${bed}/monitor/numerics`, JSON.stringify({ ts, values: s.monitor }));
  }
}

/** The last hour as late device data: three messages a minute from each device, oldest first. */
async function publishHistory(now: number): Promise<void> {
  for (const bed of IDS) {
    if (bed === SILENT) continue;
    for (let minAgo = HISTORY_MIN; minAgo >= 1; minAgo--) {
      const v = valuesAt(bed, minAgo);
      for (const offsetS of [0, 20, 40]) {
        const ts = now - minAgo * MIN + offsetS * 1000;
        if (v.console) await dev.publishAsync(`icu/${bed}/ecmo/numerics`, JSON.stringify({ ts, values: v.console }));
        await dev.publishAsync(`icu/${bed}/monitor/numerics`, JSON.stringify({ ts, values: v.monitor }));
      }
    }
  }
}

const tile = (bed: string) => page.locator(`[data-bed=${bed}]`);
const canvasOf = (bed: string) => tile(bed).locator('[data-sparkline] canvas');
const clockOf = (bed: string) => tile(bed).locator('[data-study-clock]');
const postEvent = (bed: string, type: string, ts: number) =>
  t.api(`/api/beds/${bed}/events`, { method: 'POST', body: JSON.stringify({ type, ts }) });

/** Painted pixels of a tile's sparkline in each lane (flow above, MAP below), optionally within a range of x (0..1). */
function paintedPixels(bed: string, xFrom = 0, xTo = 1): Promise<{ flow: number; map: number; width: number; height: number }> {
  return canvasOf(bed).evaluate(
    (el, [a, b]) => {
      const c = el as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const x0 = Math.floor(a * c.width);
      const x1 = Math.ceil(b * c.width);
      let flow = 0;
      let map = 0;
      for (let y = 0; y < c.height; y++) {
        for (let x = x0; x < x1; x++) {
          if (data[(y * c.width + x) * 4 + 3] === 0) continue;
          if (y < c.height / 2) flow++;
          else map++;
        }
      }
      return { flow, map, width: c.width, height: c.height };
    },
    [xFrom, xTo],
  );
}

beforeAll(async () => {
  t = await startTestServer();
  dev = await t.device();
  for (const [bed, s] of Object.entries(BEDS)) {
    const put = await t.api(`/api/beds/${bed}/patient`, { method: 'PUT', body: JSON.stringify(s.patient) });
    expect(put.status).toBe(200);
  }
  await publishHistory(Date.now());
  // a lactate 35 min old (its age on the tile)
  await dev.publishAsync('icu/picu1/lab/result', JSON.stringify({ ts: Date.now() - 35 * MIN, site: 'arterial', values: { lactate: 2.1 } }));
  publishLive();
  publisher = setInterval(publishLive, PUBLISH_EVERY_MS);
  // the recording holds the hour (the tiles read it when they appear)
  await until(
    async () => {
      const h = await t.api<{ series: { map: (number | null)[] } }>('/api/beds/picu1/history?keys=map&stepS=60');
      return h.body.series.map.filter((v) => v !== null).length >= HISTORY_MIN;
    },
    'the last hour in the recording',
    30_000,
  );

  const now = Date.now();
  t0s.picu3 = now - STUDY_SINCE_T0;
  t0s.picu9 = now - 2 * H - 5 * MIN;
  expect((await postEvent('picu3', 'shock_recognized', t0s.picu3)).status).toBe(201);
  expect((await postEvent('picu3', 'ecmo_flow_start', t0s.picu3 + 3 * H + 40 * MIN)).status).toBe(201);
  expect((await postEvent('picu9', 'shock_recognized', t0s.picu9)).status).toBe(201);

  browser = await launchChromium();
  page = await browser.newPage({ viewport: SCREEN });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('request', (r) => {
    if (r.url().includes('/history?')) historyRequests.push(r.url());
  });
  // Count each canvas's draws (every draw begins by clearing it) and when they happened.
  await page.addInitScript(() => {
    const draws = new WeakMap<HTMLCanvasElement, number[]>();
    (window as unknown as { sparkDraws: (c: HTMLCanvasElement) => number[] }).sparkDraws = (c) => draws.get(c) ?? [];
    const clear = Object.getOwnPropertyDescriptor(CanvasRenderingContext2D.prototype, 'clearRect')!.value as (
      this: CanvasRenderingContext2D,
      ...args: [number, number, number, number]
    ) => void;
    CanvasRenderingContext2D.prototype.clearRect = function (this: CanvasRenderingContext2D, ...args: [number, number, number, number]) {
      const list = draws.get(this.canvas) ?? [];
      list.push(performance.now());
      draws.set(this.canvas, list);
      return clear.apply(this, args);
    };
  });
  await logIn(page, t.url, 'admin', ADMIN_PASSWORD);
  await page.waitForFunction((n) => document.querySelectorAll('[data-bed]').length === n, IDS.length, { timeout: UI_MS });
});

afterAll(async () => {
  if (publisher) clearInterval(publisher);
  await browser?.close();
  await t?.stop();
});

describe('the last hour on each tile', () => {
  it('reads the last hour of flow and MAP in per-minute means', async () => {
    await expect.poll(() => historyRequests.length, { timeout: UI_MS }).toBeGreaterThanOrEqual(15);
    const url = new URL(historyRequests.find((u) => u.includes('/beds/picu1/'))!);
    expect(url.searchParams.get('keys')).toBe('flow,map');
    expect(url.searchParams.get('stepS')).toBe('60');
    expect(Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'))).toBe(H);
  });

  it('draws flow and MAP over the hour with their min–max, the live value the right-most point', async () => {
    const canvas = canvasOf('picu1');
    await expect.poll(() => canvas.getAttribute('data-state'), { timeout: UI_MS }).toBe('drawn');
    // an hour of MAP in one line, and the live value at its end
    expect(Number(await canvas.getAttribute('data-map-points'))).toBeGreaterThanOrEqual(HISTORY_MIN);
    expect(await canvas.getAttribute('data-map-segments')).toBe('1');
    await expect.poll(() => canvas.getAttribute('data-last-map'), { timeout: UI_MS }).toBe('65');
    expect(await tile('picu1').locator('[data-range=flow]').innerText()).toMatch(/^Flow\s+1\.6\d–2\.00$/);
    expect(await tile('picu1').locator('[data-range=map]').innerText()).toMatch(/^MAP\s+5\d–65$/);
    const px = await paintedPixels('picu1');
    expect(px.flow).toBeGreaterThan(100);
    expect(px.map).toBeGreaterThan(100);
    // a new live value is drawn as the line's end within a second or two
    BEDS.picu1.console.flow = 2.2;
    await expect.poll(() => canvas.getAttribute('data-last-flow'), { timeout: 5000 }).toBe('2.2');
    await expect.poll(() => tile('picu1').locator('[data-range=flow]').innerText(), { timeout: 5000 }).toMatch(/–2\.20$/);
    // every tile with data draws both lines
    for (const bed of IDS.filter((b) => b !== SILENT)) {
      await expect.poll(() => canvasOf(bed).getAttribute('data-state'), { timeout: UI_MS }).toBe('drawn');
      expect(Number(await canvasOf(bed).getAttribute('data-map-points')), bed).toBeGreaterThanOrEqual(HISTORY_MIN);
      expect(Number(await canvasOf(bed).getAttribute('data-flow-points')), bed).toBeGreaterThanOrEqual(
        bed === 'picu1' ? HISTORY_MIN - (GAP.from - GAP.to + 1) : HISTORY_MIN,
      );
    }
  });

  it('leaves a gap in flow where its minutes have no data, never bridging it', async () => {
    const canvas = canvasOf('picu1');
    expect(await canvas.getAttribute('data-flow-segments')).toBe('2');
    expect(await canvas.getAttribute('data-map-segments')).toBe('1');
    // the gap's middle, 37 to 34 min ago, as a share of the hour drawn: no flow there, MAP goes on
    const inGap = await paintedPixels('picu1', (H - 37 * MIN) / H, (H - 34 * MIN) / H);
    expect(inGap.flow).toBe(0);
    expect(inGap.map).toBeGreaterThan(0);
    await tile('picu1').screenshot({ path: join(SHOTS, 'tile-trend-gap.png') });
  });

  it('says "no trend yet" and draws nothing for a bed without history', async () => {
    const canvas = canvasOf(SILENT);
    await expect.poll(() => canvas.getAttribute('data-state'), { timeout: UI_MS }).toBe('empty');
    expect(await tile(SILENT).locator('[data-no-trend]').innerText()).toBe('no trend yet');
    const px = await paintedPixels(SILENT);
    expect(px.flow + px.map).toBe(0);
    expect(await tile(SILENT).locator('[data-range=flow]').innerText()).toBe('Flow');
  });

  it('draws each canvas at most once a second, at its device pixel ratio', async () => {
    const draws = async () =>
      page
        .locator('[data-sparkline] canvas')
        .evaluateAll((els) =>
          els.map((c) => (window as unknown as { sparkDraws: (c: HTMLCanvasElement) => number[] }).sparkDraws(c as HTMLCanvasElement)),
        );
    // once the tiles have settled (a resize, which clears a canvas, draws it again at once)
    await expect.poll(() => canvasOf('picu10').getAttribute('data-state'), { timeout: UI_MS }).toBe('drawn');
    await new Promise((r) => setTimeout(r, 1500));
    const before = await draws();
    await new Promise((r) => setTimeout(r, 5000));
    const after = await draws();
    for (const [i, list] of after.entries()) {
      const recent = list.slice(before[i].length);
      // the live values change every second: drawn again, but never more often than once a second
      expect(recent.length, `canvas ${i}`).toBeLessThanOrEqual(6);
      for (let k = 1; k < recent.length; k++) expect(recent[k] - recent[k - 1], `canvas ${i}`).toBeGreaterThanOrEqual(950);
    }
    expect(after.reduce((n, list, i) => n + list.length - before[i].length, 0)).toBeGreaterThan(15);
    // the canvas has as many pixels as the screen has under it
    const size = await canvasOf('picu1').evaluate((c) => {
      const el = c as HTMLCanvasElement;
      return { w: el.width, h: el.height, cssW: el.clientWidth, cssH: el.clientHeight };
    });
    expect(size.cssH).toBeGreaterThanOrEqual(24);
    expect(Math.abs(size.w - size.cssW)).toBeLessThanOrEqual(1);
    const hiDpi = await browser.newPage({ viewport: SCREEN, deviceScaleFactor: 2 });
    try {
      await hiDpi.goto(t.url);
      await hiDpi.fill('input[name=username]', 'admin');
      await hiDpi.fill('input[name=password]', ADMIN_PASSWORD);
      await hiDpi.click('button[type=submit]');
      const c = hiDpi.locator('[data-bed=picu1] [data-sparkline] canvas');
      await expect.poll(() => c.getAttribute('data-state'), { timeout: UI_MS }).toBe('drawn');
      const hi = await c.evaluate((el) => ({ w: (el as HTMLCanvasElement).width, cssW: el.clientWidth }));
      expect(Math.abs(hi.w - 2 * hi.cssW)).toBeLessThanOrEqual(2);
    } finally {
      await hiDpi.close();
    }
  });

  it('takes its colours from CSS variables, so a theme can set them', async () => {
    const exact = (bed: string, rgb: [number, number, number]) =>
      canvasOf(bed).evaluate((el, [r, g, b]) => {
        const c = el as HTMLCanvasElement;
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height / 2).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) n++;
        return n;
      }, rgb);
    await page.evaluate(() => document.documentElement.style.setProperty('--trend-flow', 'rgb(1, 2, 3)'));
    try {
      await expect.poll(() => exact('nicu1', [1, 2, 3]), { timeout: 5000 }).toBeGreaterThan(20);
      expect(
        await tile('nicu1')
          .locator('[data-range=flow] .name')
          .evaluate((el) => getComputedStyle(el).color),
      ).toBe('rgb(1, 2, 3)');
    } finally {
      await page.evaluate(() => document.documentElement.style.removeProperty('--trend-flow'));
    }
    await expect.poll(() => exact('nicu1', [1, 2, 3]), { timeout: 5000 }).toBe(0);
    // the daylight theme, to look at (app.css)
    await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
    await new Promise((r) => setTimeout(r, 1500));
    await page.screenshot({ path: join(SHOTS, 'tiles16-light.png') });
    await tile('picu1').screenshot({ path: join(SHOTS, 'tile-trend-light.png') });
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  });
});

describe('the study clock on each tile', () => {
  it('shows no clock for a bed outside the study', async () => {
    for (const bed of IDS.filter((b) => !['picu1', 'picu2', 'picu3', 'picu9'].includes(b))) {
      expect(await clockOf(bed).count(), bed).toBe(0);
    }
  });

  it('says "no T0" for a study patient without shock recognition', async () => {
    await expect.poll(() => clockOf('picu2').innerText(), { timeout: UI_MS }).toBe('no T0');
    // in muted text, as the units are
    const colour = (selector: string) =>
      tile('picu2')
        .locator(selector)
        .first()
        .evaluate((el) => getComputedStyle(el).color);
    expect(await colour('[data-no-t0]')).toBe(await colour('[data-signal=map] .unit'));
    expect(await colour('[data-no-t0]')).not.toBe(await colour('[data-signal=map] .num'));
  });

  it('shows the time since T0 and the fixed time to ECMO of a patient on ECMO', async () => {
    const clock = clockOf('picu3');
    await expect.poll(() => clock.locator('[data-since-t0]').count(), { timeout: UI_MS }).toBe(1);
    await expect.poll(() => clock.locator('[data-since-t0]').innerText()).toBe(sinceT0(t0s.picu3));
    expect(await clock.locator('[data-to-ecmo]').innerText()).toBe('to ECMO 3 h 40 min');
    expect(await clock.getAttribute('data-running')).toBe('false');
    expect(await clock.getAttribute('title')).toMatch(
      /^T0 \(shock recognised\) (\d{4}-\d\d-\d\d )?([01]\d|2[0-3]):[0-5]\d, 5 h 1\d min ago; ECMO flow started (\d{4}-\d\d-\d\d )?([01]\d|2[0-3]):[0-5]\d: time to ECMO 3 h 40 min$/,
    );
    const px = await clock.locator('[data-since-t0]').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(px).toBeGreaterThanOrEqual(14);
    await tile('picu3').screenshot({ path: join(SHOTS, 'tile-study.png') });
  });

  it('shows T0 and then the time to ECMO as they are entered, live, without a reload', async () => {
    const clock = clockOf('picu1');
    await expect.poll(() => clock.innerText(), { timeout: UI_MS }).toBe('no T0');
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const t0 = Date.now() - STUDY_SINCE_T0 - 20_000;
    let entered = Date.now();
    expect((await postEvent('picu1', 'shock_recognized', t0)).status).toBe(201);
    await expect.poll(() => clock.locator('[data-since-t0]').count(), { timeout: LIVE_EVENT_MS, interval: 50 }).toBe(1);
    const t0Shown = Date.now() - entered;
    expect(await clock.locator('[data-since-t0]').innerText()).toBe('T0 +5 h 12 min');
    expect(await clock.locator('[data-to-ecmo]').innerText()).toBe('no ECMO yet');
    expect(await clock.getAttribute('data-running')).toBe('true');
    expect(await clock.locator('[data-to-ecmo] svg[aria-label=running]').count()).toBe(1);
    await tile('picu1').screenshot({ path: join(SHOTS, 'tile-study-running.png') });

    entered = Date.now();
    expect((await postEvent('picu1', 'ecmo_flow_start', t0 + 3 * H + 40 * MIN)).status).toBe(201);
    await expect
      .poll(() => clock.locator('[data-to-ecmo]').innerText(), { timeout: LIVE_EVENT_MS, interval: 50 })
      .toBe('to ECMO 3 h 40 min');
    const flowShown = Date.now() - entered;
    expect(await clock.getAttribute('data-running')).toBe('false');
    expect(await clock.locator('[data-since-t0]').innerText()).toBe('T0 +5 h 12 min');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    console.log(`study clock on the tile: T0 after ${t0Shown} ms, time to ECMO after ${flowShown} ms`);
  });

  it('keeps the running clock beside a high alarm', async () => {
    await expect.poll(() => tile('picu9').getAttribute('data-alarm'), { timeout: UI_MS }).toBe('high');
    const clock = clockOf('picu9');
    await expect.poll(() => clock.getAttribute('data-running'), { timeout: UI_MS }).toBe('true');
    await expect.poll(() => clock.innerText()).toMatch(/^no ECMO yet\s+T0 \+2 h \d+ min$/);
    expect(await clock.locator('[data-since-t0]').innerText()).toBe(sinceT0(t0s.picu9));
    expect(await tile('picu9').locator('[data-alarm-message]').innerText()).toMatch(/^(Pump stopped|Low flow)/);
    expect(await tile('picu9').locator('[data-alarm-message]').isVisible()).toBe(true);
    await tile('picu9').screenshot({ path: join(SHOTS, 'tile-alarm-study.png') });
  });
});

describe('sixteen tiles on a central station', () => {
  it('still fit 1920x1080 without scrolling, nothing cut off, even with the tallest tile in every row', async () => {
    await expect.poll(() => clockOf('picu9').getAttribute('data-running'), { timeout: UI_MS }).toBe('true');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'tiles16.png') });
    const boxes = await Promise.all(IDS.map((id) => tile(id).boundingBox()));
    for (const [i, box] of boxes.entries()) {
      expect(box, IDS[i]).not.toBeNull();
      expect(box!.x + box!.width, IDS[i]).toBeLessThanOrEqual(SCREEN.width);
      expect(box!.y + box!.height, IDS[i]).toBeLessThanOrEqual(SCREEN.height);
    }
    expect(new Set(boxes.map((b) => Math.round(b!.x))).size).toBe(4);
    expect(new Set(boxes.map((b) => Math.round(b!.y))).size).toBe(4);
    const scroll = await page.evaluate(() => ({ h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth }));
    expect(scroll.h).toBeLessThanOrEqual(SCREEN.height);
    expect(scroll.w).toBeLessThanOrEqual(SCREEN.width);
    // the tallest tile (a high alarm and a study clock) in all four rows would still fit
    const top = Math.min(...boxes.map((b) => b!.y));
    const rows = [...new Set(boxes.map((b) => Math.round(b!.y)))].sort((a, b) => a - b);
    const rowGap = rows[1] - top - boxes.find((b) => Math.round(b!.y) === rows[0])!.height;
    const tallest = Math.max(...boxes.map((b) => b!.height));
    expect(top + 4 * tallest + 3 * Math.max(0, rowGap)).toBeLessThanOrEqual(SCREEN.height);
    // no number, unit, label, range or clock cut off: each inside its cell, each cell inside its tile
    const clipped = await page.locator('[data-tiles]').evaluate((root) => {
      const within = (inner: Element, outer: Element | null) => {
        if (!outer) return true;
        const a = inner.getBoundingClientRect();
        const b = outer.getBoundingClientRect();
        return a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
      };
      const out: string[] = [];
      for (const el of root.querySelectorAll(
        '.num, .unit, .label, .age, [data-target], [data-range], [data-since-t0], [data-to-ecmo], [data-no-t0], canvas',
      )) {
        const cell = el.closest('[data-signal], [data-derived], [data-study-clock], [data-sparkline]') ?? el.closest('.cell');
        const tileEl = el.closest('[data-bed]');
        if (!within(el, cell) || !within(el, tileEl)) out.push(`${tileEl?.getAttribute('data-bed')}: ${el.className} "${el.textContent}"`);
      }
      // and no clock or range text cut by its own box
      for (const el of root.querySelectorAll<HTMLElement>('[data-since-t0], [data-to-ecmo], [data-range]')) {
        if (el.scrollWidth > el.clientWidth + 1)
          out.push(`${el.closest('[data-bed]')?.getAttribute('data-bed')}: "${el.textContent}" overflows`);
      }
      return out;
    });
    expect(clipped).toEqual([]);
    // the big numbers stay readable from across the room
    const big = await tile('picu1')
      .locator('[data-signal=flow] .num')
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(big).toBeGreaterThanOrEqual(32);
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
