// The overview as a central station in a real Chromium: sixteen beds fit a 1920x1080 screen, four by
// four, without scrolling, their big numbers readable across the room; numbers are rounded so they
// never cross an alarm limit or score edge (a DO2/VO2 of 2.979 shows "2.98", a VIS of 19.6 "19.6"), a
// vasopressin dose of 0.0003 units/kg/min shows as such; the tiles can be ordered by bed id instead of
// by alarm, and a filter narrows the ward to a unit's bed id prefix.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './helpers/server.js';
import { launchChromium, logIn } from './helpers/browser.js';
import { baseWard, type BedSetup } from './helpers/ward.js';

/** Where the screenshots go (SHOTS_DIR to look at them elsewhere). */
const SHOTS = process.env.SHOTS_DIR ?? 'test-results';
const SCREEN = { width: 1920, height: 1080 };
/** Devices publish once a second, as real ones do: a silent one would raise "device offline". */
const PUBLISH_EVERY_MS = 1000;
const UI_MS = 15_000;
/** Big numbers read from 3 m: at least this many CSS pixels on a 1920x1080 central station. */
const BIG_NUMBER_MIN_PX = 32;

/**
 * Two units of one ward: nicu1–6 and picu1–10. picu1 is worked example A of docs/clinical.md
 * (DO2/VO2 2.979, below its limit of 3) with vasopressin at 0.0003 units/kg/min; picu2 runs
 * norepinephrine for a VIS of 19.6; picu9's pump has stopped (a high alarm at once); picu4 is on VV.
 */
function ward(): Record<string, BedSetup> {
  const beds = baseWard();
  beds.picu1 = {
    patient: { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' },
    console: { flow: 2.0, rpm: 3000, pVen: -30, pPre: 200, pPost: 170, svo2: 70, postOxySat: 100, hb: 10 },
    monitor: { hr: 140, sbp: 75, dbp: 45, map: 55, cvp: 10, spo2: 98 },
    // 1.2 mL/h × 0.3 units/mL / 60 / 20 kg = 0.0003 units/kg/min; heparin 5 mL/h × 100 units/mL / 20 kg = 25 units/kg/h
    pumps: {
      vaso: { drug: 'vasopressin', rateMlH: 1.2, concentration: 0.3, concentrationUnit: 'units/mL' },
      hep: { drug: 'heparin', rateMlH: 5, concentration: 100, concentrationUnit: 'units/mL' },
    },
  };
  // 5.88 mL/h × 40 mcg/mL / 60 / 20 kg = 0.196 mcg/kg/min → VIS 19.6 (section 3.1)
  beds.picu2.patient = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' };
  beds.picu2.console.flow = 1.8;
  beds.picu2.pumps = { norepi: { drug: 'norepinephrine', rateMlH: 5.88, concentration: 40, concentrationUnit: 'mcg/mL' } };
  beds.picu4.patient.ecmoMode = 'VV';
  beds.picu4.console.sweep = 2.5;
  beds.picu9.console = { ...beds.picu9.console, flow: 0, rpm: 0 };
  return beds;
}

const BEDS = ward();
const IDS = Object.keys(BEDS);
const BY_ID = [...IDS].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

let t: TestServer;
let browser: Browser;
let page: Page;
let dev: MqttClient;
let publisher: ReturnType<typeof setInterval> | null = null;
const pageErrors: string[] = [];

function publishAll(): void {
  const ts = Date.now();
  for (const [bed, s] of Object.entries(BEDS)) {
    void dev.publishAsync(`icu/${bed}/ecmo/numerics`, JSON.stringify({ ts, values: s.console }));
    void dev.publishAsync(`icu/${bed}/monitor/numerics`, JSON.stringify({ ts, values: s.monitor }));
    for (const [channel, p] of Object.entries(s.pumps ?? {})) {
      void dev.publishAsync(`icu/${bed}/pump/${channel}`, JSON.stringify({ ts, ...p, running: true }));
    }
  }
}

const tiles = () => page.locator('[data-bed]');
const tileOrder = () => tiles().evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.bed));
const tile = (bed: string) => page.locator(`[data-bed=${bed}]`);

beforeAll(async () => {
  t = await startTestServer();
  dev = await t.device();
  for (const [bed, s] of Object.entries(BEDS)) {
    const put = await t.api(`/api/beds/${bed}/patient`, { method: 'PUT', body: JSON.stringify(s.patient) });
    expect(put.status).toBe(200);
  }
  // worked example A's PO2s from the lab; a lactate 35 min old
  const now = Date.now();
  const lab = (site: string, values: Record<string, number>, ts = now) =>
    dev.publishAsync('icu/picu1/lab/result', JSON.stringify({ ts, site, values }));
  await lab('pre-oxygenator', { po2: 40 });
  await lab('post-oxygenator', { po2: 300 });
  await lab('arterial', { lactate: 2.1 }, now - 35 * 60_000);
  publishAll();
  publisher = setInterval(publishAll, PUBLISH_EVERY_MS);

  browser = await launchChromium();
  page = await browser.newPage({ viewport: SCREEN });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await logIn(page, t.url, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  if (publisher) clearInterval(publisher);
  await browser?.close();
  await t?.stop();
});

describe('the overview on a central station', () => {
  it('fits sixteen beds, four by four, inside a 1920x1080 screen without scrolling', async () => {
    await expect.poll(() => tiles().count(), { timeout: UI_MS }).toBe(16);
    // every tile filled in, and the stopped pump's alarm on screen: the tallest a tile gets
    await expect.poll(() => tile('picu9').getAttribute('data-alarm'), { timeout: UI_MS }).toBe('high');
    for (const id of IDS) {
      await expect.poll(() => tile(id).locator('[data-signal=flow]').getAttribute('data-state'), { timeout: UI_MS }).toBe('fresh');
    }
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'overview16.png') });
    const boxes = await Promise.all(IDS.map((id) => tile(id).boundingBox()));
    for (const [i, box] of boxes.entries()) {
      expect(box, IDS[i]).not.toBeNull();
      expect(box!.x, IDS[i]).toBeGreaterThanOrEqual(0);
      expect(box!.y, IDS[i]).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, IDS[i]).toBeLessThanOrEqual(SCREEN.width);
      expect(box!.y + box!.height, IDS[i]).toBeLessThanOrEqual(SCREEN.height);
    }
    // no number, unit or label cut off: each inside its cell, each cell inside its tile
    const clipped = await page.locator('[data-tiles]').evaluate((root) => {
      const within = (inner: Element, outer: Element | null) => {
        if (!outer) return true;
        const a = inner.getBoundingClientRect();
        const b = outer.getBoundingClientRect();
        return a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
      };
      const out: string[] = [];
      for (const el of root.querySelectorAll('.num, .unit, .label, .age, [data-target]')) {
        const cell = el.closest('[data-signal], [data-derived]') ?? el.closest('.cell');
        const tileEl = el.closest('[data-bed]');
        if (!within(el, cell) || !within(el, tileEl)) out.push(`${tileEl?.getAttribute('data-bed')}: ${el.className} "${el.textContent}"`);
      }
      return out;
    });
    expect(clipped).toEqual([]);
    expect(new Set(boxes.map((b) => Math.round(b!.x))).size).toBe(4);
    expect(new Set(boxes.map((b) => Math.round(b!.y))).size).toBe(4);
    const scroll = await page.evaluate(() => ({
      h: document.documentElement.scrollHeight,
      w: document.documentElement.scrollWidth,
      vh: innerHeight,
      vw: innerWidth,
    }));
    expect(scroll.h).toBeLessThanOrEqual(scroll.vh);
    expect(scroll.w).toBeLessThanOrEqual(scroll.vw);
    // the ward's alarm column stays beside the tiles, listing the stopped pump
    await expect.poll(() => page.locator('[data-ward-alarms] [data-alarm-id^="picu9:pumpStopped:"]').count()).toBe(1);
    const alarmsBox = await page.locator('[data-ward-alarms]').boundingBox();
    expect(alarmsBox!.x).toBeGreaterThan(Math.max(...boxes.map((b) => b!.x + b!.width)));
    expect(alarmsBox!.y + alarmsBox!.height).toBeLessThanOrEqual(SCREEN.height);
  });

  it('shows flow, MAP and SvO2 in big numbers, every value with its unit', async () => {
    const flow = tile('picu1').locator('[data-signal=flow]');
    expect(await flow.locator('.num').textContent()).toBe('2.00');
    expect(await flow.locator('.unit').textContent()).toBe('L/min');
    for (const signal of ['flow', 'map', 'svo2']) {
      const px = await tile('picu1')
        .locator(`[data-signal=${signal}] .num`)
        .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(px, signal).toBeGreaterThanOrEqual(BIG_NUMBER_MIN_PX);
    }
    expect(await tile('picu1').locator('[data-signal=map] .unit').textContent()).toBe('mmHg');
    // flow per kg against the target from the weight (20 kg: 80 mL/kg/min, 1.60 L/min)
    await expect
      .poll(() => tile('picu1').locator('[data-derived=flowPerKg]').textContent(), { timeout: UI_MS })
      .toMatch(/^100\s+mL\/kg\/min$/);
    expect(await tile('picu1').locator('[data-target]').textContent()).toBe('target1.60 L/min');
    expect(await tile('picu1').locator('[data-target-pct]').textContent()).toBe('125 %');
    // the lactate with its age; VV shows the oxygenator's transfer and the sweep instead of the circuit's delivery
    expect(await tile('picu1').locator('[data-signal="lab.arterial.lactate"]').textContent()).toMatch(
      /Lactate\s*3[5-6] min\s*2\.1\s*mmol\/L/,
    );
    expect(await tile('picu4').locator('[data-derived=do2i]').count()).toBe(0);
    expect(await tile('picu4').locator('[data-derived=vo2i] .unit').textContent()).toBe('mL/min/m²');
    expect(await tile('picu4').locator('[data-signal=sweep] .num').textContent()).toBe('2.5');
    for (const cell of await tile('nicu3').locator('.unit').all()) expect((await cell.textContent())!.trim()).not.toBe('');
  });

  it('shows a DO2/VO2 of 2.979 as "2.98" and a VIS of 19.6 as "19.6": no rounding across a limit', async () => {
    const ratio = tile('picu1').locator('[data-derived=do2Vo2]');
    await expect.poll(() => ratio.getAttribute('data-quality'), { timeout: UI_MS }).toBe('ok');
    expect(await ratio.locator('.num').textContent()).toBe('2.98');
    const vis = tile('picu2').locator('[data-derived=vis]');
    await expect.poll(() => vis.locator('.num').textContent(), { timeout: UI_MS }).toBe('19.6');
    expect(await vis.locator('[data-mark=high]').count()).toBe(0);
  });

  it('orders by bed id when asked, alarming beds first otherwise', async () => {
    await expect.poll(async () => (await tileOrder())[0]).toBe('picu9');
    await page.check('input[name=ward-order][value=bed]');
    await expect.poll(() => tileOrder()).toEqual(BY_ID);
    await page.check('input[name=ward-order][value=severity]');
    await expect.poll(() => tileOrder()).toEqual(['picu9', ...BY_ID.filter((id) => id !== 'picu9')]);
  });

  it('narrows the ward to a bed id prefix, and names the alarming beds it hides', async () => {
    await page.fill('input[name=ward-filter]', 'nicu');
    await expect.poll(() => tileOrder()).toEqual(['nicu1', 'nicu2', 'nicu3', 'nicu4', 'nicu5', 'nicu6']);
    expect(await page.locator('[data-hidden-beds]').textContent()).toMatch(/6 of 16 beds shown/);
    expect(await page.locator('[data-hidden-alarming]').textContent()).toMatch(/picu9/);
    // the hidden bed's alarm stays in the ward's list
    expect(await page.locator('[data-ward-alarms] [data-alarm-id^="picu9:pumpStopped:"]').count()).toBe(1);
    await page.fill('input[name=ward-filter]', 'picu1');
    await expect.poll(() => tileOrder()).toEqual(['picu1', 'picu10']);
    await page.fill('input[name=ward-filter]', '');
    await expect.poll(() => tiles().count()).toBe(16);
  });

  it('keeps working at tablet width: one column of controls and alarms above, tiles within the width', async () => {
    await page.setViewportSize({ width: 820, height: 1180 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    const box = await tile('nicu1').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(820);
    const alarmsBox = await page.locator('[data-ward-alarms]').boundingBox();
    expect(alarmsBox!.y).toBeLessThan(box!.y);
    await page.screenshot({ path: join(SHOTS, 'overview-tablet.png'), fullPage: true });
    await page.setViewportSize(SCREEN);
  });

  it('shows a vasopressin dose of 0.0003 units/kg/min as "0.0003", never "0.000"', async () => {
    await tile('picu1').click();
    const row = page.locator('tr[data-channel=vaso]');
    await expect.poll(() => row.textContent(), { timeout: UI_MS }).toMatch(/0\.0003 units\/kg\/min/);
    expect(await row.textContent()).not.toMatch(/0\.000 /);
    // heparin as it is prescribed: per hour
    expect(await page.locator('tr[data-channel=hep] [data-dose]').textContent()).toMatch(/^\s*25\s+units\/kg\/h\s*$/);
    // and on the bed page too, DO2/VO2 below its limit stays below it
    await expect.poll(() => page.locator('.bed-page [data-derived=do2Vo2] .num').textContent(), { timeout: UI_MS }).toBe('2.98');
    // lab times on a 24-hour clock
    expect(await page.locator('[data-site=arterial] .when time').textContent()).toMatch(
      /^([01]\d|2[0-3]):[0-5]\d$|^\d{4}-\d\d-\d\d ([01]\d|2[0-3]):[0-5]\d$/,
    );
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
