// The dashboard in a real Chromium (Debian's, driven by playwright-core): log in, see a bed's
// numbers change live, see an old value marked stale, open the bed page with its trend.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './helpers/server.js';
import type { MqttClient } from 'mqtt';
import { launchChromium } from './helpers/browser.js';

let t: TestServer;
let browser: Browser;
let page: Page;
let dev: MqttClient;
const pageErrors: string[] = [];

beforeAll(async () => {
  t = await startTestServer();
  dev = await t.device();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await t?.stop();
});

const monitor = (bed: string, values: Record<string, number>, ts = Date.now()) =>
  dev.publishAsync(`icu/${bed}/monitor/numerics`, JSON.stringify({ ts, values }));
const ecmo = (bed: string, values: Record<string, number>, ts = Date.now()) =>
  dev.publishAsync(`icu/${bed}/ecmo/numerics`, JSON.stringify({ ts, values }));

describe('dashboard in Chromium', () => {
  it('asks for a login and refuses a wrong password', async () => {
    await page.goto(t.url);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[role=alert]').textContent()).toMatch(/wrong username or password/);
  });

  it('after login shows a bed tile whose numbers change live, each with its unit', async () => {
    await monitor('e2e1', { hr: 101, map: 55, spo2: 97 });
    await ecmo('e2e1', { flow: 1.85, rpm: 3100, pVen: -35, svo2: 72 });
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.click('button[type=submit]');
    const hr = page.locator('[data-bed=e2e1] [data-signal=hr]');
    await expect.poll(() => hr.locator('.num').textContent(), { timeout: 10_000 }).toBe('101');
    expect(await hr.locator('.unit').textContent()).toBe('1/min');
    expect(await page.locator('[data-bed=e2e1] [data-signal=flow] .num').textContent()).toBe('1.85');
    expect(await page.locator('[data-bed=e2e1] [data-signal=flow] .unit').textContent()).toBe('L/min');
    await monitor('e2e1', { hr: 102, map: 56, spo2: 97 });
    await expect.poll(() => hr.locator('.num').textContent(), { timeout: 5000 }).toBe('102');
    expect(await hr.getAttribute('data-state')).toBe('fresh');
  });

  it('greys out a value older than its maximum age and says how old it is', async () => {
    await monitor('e2e2', { hr: 88 }, Date.now() - 30_000);
    const hr = page.locator('[data-bed=e2e2] [data-signal=hr]');
    await expect.poll(() => hr.getAttribute('data-state'), { timeout: 10_000 }).toBe('stale');
    expect(await hr.locator('.age').textContent()).toMatch(/\d+ s old/);
    // and a value that ages on screen turns stale without any new message
    await monitor('e2e2', { map: 60 }, Date.now() - 8_000);
    const map = page.locator('[data-bed=e2e2] [data-signal=map]');
    await expect.poll(() => map.getAttribute('data-state'), { timeout: 10_000 }).toBe('fresh');
    await expect.poll(() => map.getAttribute('data-state'), { timeout: 10_000 }).toBe('stale');
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/overview.png', fullPage: true });
  });

  it('opens the bed page whose trends draw the published values, and grow with each new one', async () => {
    // a bed of its own, so the trend holds exactly what this test publishes, one value a second
    const t0 = Date.now();
    const flows = [1.81, 1.82, 1.83, 1.84, 1.85];
    const maps = [56, 57, 58, 59, 60];
    for (let i = 0; i < flows.length; i++) {
      const ts = t0 - (flows.length - i) * 1000;
      await ecmo('e2e4', { flow: flows[i], rpm: 3100 }, ts);
      await monitor('e2e4', { map: maps[i], hr: 100 }, ts);
    }
    await page.click('[data-bed=e2e4]');
    await expect.poll(() => page.locator('.bed-page h2').textContent()).toBe('e2e4');
    // five minutes: one point a second (longer ranges show means over a few seconds)
    await page.click('[data-range="300"]');
    const flow = page.locator('[data-chart=flow]');
    const map = page.locator('[data-chart=map]');
    await expect.poll(() => flow.getAttribute('data-points'), { timeout: 10_000 }).toBe('5');
    expect(await flow.getAttribute('data-last')).toBe('1.85');
    await expect.poll(() => map.getAttribute('data-points')).toBe('5');
    expect(await map.getAttribute('data-last')).toBe('60');
    expect(await flow.locator('canvas').count()).toBe(1);
    // a new value arrives live: one more point, and it is the newest
    await ecmo('e2e4', { flow: 1.9, rpm: 3100 }, t0);
    await expect.poll(() => flow.getAttribute('data-last'), { timeout: 5000 }).toBe('1.9');
    expect(await flow.getAttribute('data-points')).toBe('6');
    expect(await map.getAttribute('data-points')).toBe('5');
    expect(pageErrors).toEqual([]);
  });

  it('shows derived values with their unit and quality: computed, stale grey, missing with the reason', async () => {
    const put = await t.api('/api/beds/e2e3/patient', {
      method: 'PUT',
      body: JSON.stringify({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' }),
    });
    expect(put.status).toBe(200);
    const now = Date.now();
    await ecmo('e2e3', { flow: 2.0, hb: 10, svo2: 70, postOxySat: 100, pPre: 200, pPost: 170 }, now);
    await monitor('e2e3', { hr: 140, sbp: 75, dbp: 45, map: 55 }, now - 60_000); // a minute old: stale
    await dev.publishAsync('icu/e2e3/lab/result', JSON.stringify({ ts: now - 600_000, site: 'pre-oxygenator', values: { po2: 40 } }));
    await dev.publishAsync('icu/e2e3/lab/result', JSON.stringify({ ts: now - 600_000, site: 'post-oxygenator', values: { po2: 300 } }));
    await page.goto(`${t.url}/#/bed/e2e3`);
    const do2 = page.locator('[data-derived=do2Ecmo]');
    await expect.poll(() => do2.locator('.num').textContent(), { timeout: 10_000 }).toBe('286');
    expect(await do2.getAttribute('data-quality')).toBe('ok');
    expect(await do2.locator('.unit').textContent()).toBe('mL/min');
    expect(await do2.locator('.label').textContent()).toMatch(/Circuit DO2/);
    const shock = page.locator('[data-derived=shockIndex]');
    await expect.poll(() => shock.getAttribute('data-quality')).toBe('stale');
    expect(await shock.locator('.q').textContent()).toMatch(/stale: heart rate \d+ s old \(max 10 s\)/);
    const pp = page.locator('[data-derived=perfusionPressure]');
    expect(await pp.getAttribute('data-quality')).toBe('missing');
    expect(await pp.locator('.num').textContent()).toBe('—');
    expect(await pp.getAttribute('title')).toMatch(/no CVP/);
    // lab results in a table by site: current ones plain, a 7 h old lactate grey with its age
    await dev.publishAsync(
      'icu/e2e3/lab/result',
      JSON.stringify({ ts: Date.now() - 7 * 3600_000 - 120_000, site: 'arterial', values: { lactate: 4.2 } }),
    );
    const po2 = page.locator('[data-site=pre-oxygenator] [data-signal="lab.pre-oxygenator.po2"]');
    expect(await po2.locator('.num').textContent()).toBe('40');
    expect(await po2.getAttribute('data-state')).toBe('fresh');
    const lactate = page.locator('[data-site=arterial] [data-signal="lab.arterial.lactate"]');
    await expect.poll(() => lactate.locator('.num').textContent(), { timeout: 10_000 }).toBe('4.2');
    expect(await lactate.getAttribute('data-state')).toBe('stale');
    expect(await lactate.locator('.age').textContent()).toMatch(/^7 h [12] min old$/);
    expect(await page.locator('table.lab thead').textContent()).toMatch(/Lactate mmol\/L/);
    // the trend starts from the snapshot even though the page opened before the bed was known here
    await expect.poll(async () => Number(await page.locator('[data-chart=flow]').getAttribute('data-points'))).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: 'test-results/bed.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('says loudly when its link to the server is lost, and recovers with live values after a restart', async () => {
    await page.goto(`${t.url}/#/`);
    const hr = page.locator('[data-bed=e2e1] [data-signal=hr]');
    await monitor('e2e1', { hr: 110 });
    await expect.poll(() => hr.locator('.num').textContent(), { timeout: 10_000 }).toBe('110');
    await dev.endAsync(true);
    await t.restart();
    await expect.poll(() => page.locator('[data-connection=lost]').count(), { timeout: 10_000 }).toBe(0);
    dev = await t.device();
    await monitor('e2e1', { hr: 111 });
    await expect.poll(() => hr.locator('.num').textContent(), { timeout: 15_000 }).toBe('111');
    expect(await hr.getAttribute('data-state')).toBe('fresh');
  });

  it('shows the lost-connection banner while the server is down, and no computed value as current', async () => {
    await page.goto(`${t.url}/#/bed/e2e3`);
    const bsa = page.locator('[data-derived=bsa]');
    await expect.poll(() => bsa.getAttribute('data-quality'), { timeout: 10_000 }).toBe('ok');
    await t.server.stop();
    await expect.poll(() => page.locator('[data-connection=lost]').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('[data-connection=lost]').textContent()).toMatch(
      /No connection to the server: data on this screen is not live/,
    );
    expect(await page.locator('[data-connection=lost]').getAttribute('data-dashboard-alarm')).toBe('link');
    expect(await page.locator('[data-connected]').getAttribute('data-connected')).toBe('false');
    expect(await bsa.getAttribute('data-quality')).toBe('stale');
    expect(await bsa.locator('.q').textContent()).toMatch(/connection to the server lost/);
    await t.restart().catch(() => undefined);
  });
});

describe('dashboard link on a quiet server', () => {
  it('stays quiet while no device publishes at all: the server clock proves the link live', async () => {
    const quiet = await startTestServer();
    const p = await browser.newPage({ viewport: { width: 1000, height: 600 } });
    try {
      await p.goto(quiet.url);
      await p.fill('input[name=username]', 'admin');
      await p.fill('input[name=password]', ADMIN_PASSWORD);
      await p.click('button[type=submit]');
      await expect.poll(() => p.locator('[data-connected]').getAttribute('data-connected'), { timeout: 10_000 }).toBe('true');
      // No bed, no device, no message of any feed: nothing but the clock for twice the 5 s after
      // which a silent link counts as lost.
      for (let i = 0; i < 20; i++) {
        expect(await p.locator('[data-connection=lost]').count()).toBe(0);
        await p.waitForTimeout(500);
      }
      expect(await p.locator('[data-connected]').getAttribute('data-connected')).toBe('true');
    } finally {
      await p.close();
      await quiet.stop();
    }
  });
});
