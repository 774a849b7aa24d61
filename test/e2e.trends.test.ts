// Trends on the bed page in a real Chromium: a day of recorded data is read back from the server
// after a restart and drawn as a 24 h trend with the bed's timeline events and alarms as markers;
// the crosshair reads time, value and unit; a drag zooms in and reads finer history; "Back to live"
// follows the clock again; an event marked with one click appears on the trends at once.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthAnswer } from '../shared/protocol.js';
import { ADMIN_PASSWORD, startTestServer, until, type TestServer } from './helpers/server.js';
import { launchChromium, logIn } from './helpers/browser.js';

const SHOTS = process.env.SHOTS_DIR ?? 'test-results';
const BED = 'trend1';
const HOUR = 3600_000;
/** One recorded message per feed every this many ms over the past day. */
const EVERY_MS = 120_000;
const UI_MS = 15_000;

let t: TestServer;
let browser: Browser;
let page: Page;
let dev: MqttClient;
const pageErrors: string[] = [];
let nowAtStart = 0;

/** Flow 2.0 L/min in the first half of the day, 3.0 after; MAP 50 then 65; one hour without data at −6 h. */
function flowAt(ts: number): number {
  return ts < nowAtStart - 12 * HOUR ? 2.0 : 3.0;
}

beforeAll(async () => {
  t = await startTestServer();
  nowAtStart = Date.now();
  const put = await t.api(`/api/beds/${BED}/patient`, {
    method: 'PUT',
    body: JSON.stringify({ weightKg: 12, heightCm: 85, ageMonths: 24, ecmoMode: 'VA', studyId: 'S-TR1', studyGroup: 'RSS-ECMO' }),
  });
  expect(put.status).toBe(200);
  dev = await t.device();
  let sent = 0;
  // A day of data, oldest first, as a recording would hold it (within the server's 48 h lateness).
  for (let ts = nowAtStart - 24 * HOUR + 60_000; ts < nowAtStart - 60_000; ts += EVERY_MS) {
    if (ts > nowAtStart - 6 * HOUR && ts < nowAtStart - 5 * HOUR) continue; // the console was off
    await dev.publishAsync(
      `icu/${BED}/ecmo/numerics`,
      JSON.stringify({ ts, values: { flow: flowAt(ts), rpm: 3000, pVen: -30, svo2: 72 } }),
    );
    await dev.publishAsync(
      `icu/${BED}/monitor/numerics`,
      JSON.stringify({ ts, values: { map: ts < nowAtStart - 12 * HOUR ? 50 : 65, hr: 120 } }),
    );
    sent += 2;
  }
  // Every message taken in before the restart (QoS 0 in flight at a shutdown would be lost).
  await until(async () => (await t.api<HealthAnswer>('/api/health')).body.ingest.accepted >= sent, 'day recorded', 30_000);
  for (const [type, ago] of [
    ['shock_recognized', 20 * HOUR],
    ['ecmo_flow_start', 12 * HOUR],
  ] as const) {
    const r = await t.api(`/api/beds/${BED}/events`, { method: 'POST', body: JSON.stringify({ type, ts: nowAtStart - ago }) });
    expect(r.status).toBe(201);
  }
  // A restart: what the trend shows must come from the recording.
  await t.restart();
  dev = await t.device();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await logIn(page, t.url, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await t?.stop();
});

/** Live values now, a second apart, so the live end of the trend has data too. */
async function publishLive(n: number, flow = 3.0): Promise<void> {
  for (let i = 0; i < n; i++) {
    const ts = Date.now();
    await dev.publishAsync(`icu/${BED}/ecmo/numerics`, JSON.stringify({ ts, values: { flow, rpm: 3000, pVen: -30, svo2: 72 } }));
    await dev.publishAsync(`icu/${BED}/monitor/numerics`, JSON.stringify({ ts, values: { map: 65, hr: 120 } }));
    if (i < n - 1) await new Promise((r) => setTimeout(r, 1000));
  }
}

const flowChart = () => page.locator('[data-chart=flow]');
const num = async (attr: string) => Number(await flowChart().getAttribute(attr));

describe('trends from 1 minute to 7 days', () => {
  it('draws a 24 h trend from the recording after a restart, with its events, a gap where the console was off, and means per step', async () => {
    await publishLive(2);
    await page.goto(`${t.url}/#/bed/${BED}`);
    await page.click('[data-range="86400"]');
    await expect.poll(() => page.locator('[data-trends]').getAttribute('data-following')).toBe('true');
    // About one point per pixel: a whole number of minutes per point over a day.
    await expect.poll(() => num('data-step-s'), { timeout: UI_MS }).toBeGreaterThanOrEqual(120);
    const step = await num('data-step-s');
    expect(step % 60).toBe(0);
    // 23 h of data at one point per step, and the null that breaks the line over the silent hour.
    const points = await num('data-points');
    expect(points).toBeGreaterThan((22 * HOUR) / (step * 1000) - 5);
    expect(points).toBeLessThan((24 * HOUR) / (step * 1000) + 10);
    expect(Number(await flowChart().getAttribute('data-gaps'))).toBe(1);
    expect(await flowChart().getAttribute('data-last')).toBe('3');
    // Both timeline events are drawn on every chart.
    await expect.poll(() => flowChart().getAttribute('data-events')).toBe('2');
    expect(await page.locator('[data-chart=map]').getAttribute('data-events')).toBe('2');
    expect(await page.locator('[data-trends] [data-step]').first().textContent()).toMatch(/min means/);
  });

  it('reads time, value and unit under the crosshair, and an event where there is one', async () => {
    const box = (await flowChart().locator('.u-over').boundingBox())!;
    // 20 h ago is one sixth of the way into the day: flow 2.0 then, and the T0 event's line.
    await page.mouse.move(box.x + box.width / 6, box.y + box.height / 2);
    await expect
      .poll(() => page.locator('[data-readout]').first().textContent())
      .toMatch(/^\d{2}:\d{2}:\d{2} · 2\.00 L\/min \(\d+ min mean\) · T0 shock$/);
    // And the MAP chart follows the same crosshair (synchronised), in its own unit.
    expect(await page.locator('[data-trends] figure').nth(1).locator('[data-readout]').textContent()).toMatch(/50 mmHg/);
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await expect.poll(() => page.locator('[data-readout]').first().textContent()).toMatch(/3\.00 L\/min/);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/trends-24h.png`, fullPage: true });
  });

  it('zooms in where the user drags, reads finer history, and goes back to live', async () => {
    const box = (await flowChart().locator('.u-over').boundingBox())!;
    const stepBefore = await num('data-step-s');
    // Drag across the hour around flow start (12 h ago is half-way).
    const x0 = box.x + box.width * (11.5 / 24);
    const x1 = box.x + box.width * (12.5 / 24);
    await page.mouse.move(x0, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(x1, box.y + 40, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.locator('[data-trends]').getAttribute('data-following')).toBe('false');
    await expect.poll(() => num('data-step-s'), { timeout: UI_MS }).toBeLessThan(stepBefore);
    expect(await num('data-step-s')).toBeLessThanOrEqual(10);
    // The hour holds the change from 2.0 to 3.0 and the flow-start event.
    await expect.poll(() => flowChart().getAttribute('data-events')).toBe('1');
    expect(await page.locator('[data-view-span]').textContent()).not.toMatch(/now/);
    // Earlier moves the window back by half of it.
    const spanText = await page.locator('[data-view-span]').textContent();
    await page.click('[data-pan=back]');
    await expect.poll(() => page.locator('[data-view-span]').textContent()).not.toBe(spanText);
    await page.click('[data-follow]');
    await expect.poll(() => page.locator('[data-trends]').getAttribute('data-following')).toBe('true');
    await expect.poll(() => num('data-step-s'), { timeout: UI_MS }).toBe(stepBefore);
  });

  it('shows an event marked with one click and an alarm as markers at once, on the live trend', async () => {
    await page.click('[data-range="300"]');
    await publishLive(3);
    await expect.poll(() => num('data-points'), { timeout: UI_MS }).toBeGreaterThanOrEqual(3);
    expect(await flowChart().getAttribute('data-events')).toBe('0');
    await page.click('[data-add-event=decannulation]');
    await expect.poll(() => flowChart().getAttribute('data-events'), { timeout: UI_MS }).toBe('1');
    // The pump stops: a high alarm at once, drawn as a bar from its raise to now.
    expect(await flowChart().getAttribute('data-alarm-ids')).not.toMatch(/pumpStopped/);
    await publishLive(2, 0);
    await expect.poll(() => flowChart().getAttribute('data-alarm-ids'), { timeout: UI_MS }).toMatch(new RegExp(`${BED}:pumpStopped:`));
    await expect.poll(() => flowChart().getAttribute('data-last')).toBe('0');
    await page.screenshot({ path: `${SHOTS}/trends-live.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('computes again at once when the patient changes: a heavier child has less flow per kg', async () => {
    await publishLive(2);
    const perKg = page.locator('[data-derived=flowPerKg] .num');
    await expect.poll(() => perKg.textContent(), { timeout: UI_MS }).toBe('250'); // 3.0 L/min for 12 kg
    await page.click('text=edit patient');
    await page.fill('input[name=weightKg]', '15');
    await page.click('button:has-text("Save patient")');
    await expect.poll(() => perKg.textContent(), { timeout: UI_MS }).toBe('200');
    expect(await page.locator('.bed-page .pt').first().textContent()).toMatch(/15 kg/);
  });

  it('offers every measured and computed parameter, and remembers the choice', async () => {
    const select = page.locator('[data-trend-select="3"]');
    const options = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    for (const k of ['flow', 'map', 'do2i', 'vis', 'phoenixCv', 'lab.arterial.lactate']) expect(options).toContain(k);
    await select.selectOption('do2i');
    await expect.poll(() => page.locator('[data-chart=do2i]').count()).toBe(1);
    await page.reload();
    await expect.poll(() => page.locator('[data-chart=do2i]').count(), { timeout: UI_MS }).toBe(1);
  });
});
