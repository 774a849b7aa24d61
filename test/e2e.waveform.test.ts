// Live waves on the bed page in a real Chromium: a monitor publishes 125 Hz ABP and pleth in 0.2 s
// chunks, each with its own ts, paced in real time; the page scrolls them, joins the chunks without
// a gap, draws a pause of the monitor as exactly one gap, and greys a silent monitor's wave with
// the time of its last sample. Then frame times and long tasks with the 16-bed overview and with a
// bed page streaming its waves, printed (the machine decides the figures: nothing is asserted).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators } from '../simulators/index.js';
import { measureFrames } from '../bench/dashboard.js';
import { ADMIN_PASSWORD, DEVICE_PASSWORD, startTestServer, type TestServer } from './helpers/server.js';
import { launchChromium, logIn } from './helpers/browser.js';

/** Where the screenshot goes (SHOTS_DIR to look at it elsewhere). */
const SHOTS = process.env.SHOTS_DIR ?? 'test-results';
const RATE_HZ = 125;
/** 0.2 s of samples per chunk, published when its last sample is taken, as a monitor does. */
const CHUNK = 25;
const BED = 'wave1';
/** A pulse of 120/min: ABP 80/40 (mean 60), pleth 10 to 70 a.u. */
const PULSE_HZ = 2;
const MEASURE_S = 10;

let t: TestServer;
let browser: Browser;
let page: Page;
let dev: MqttClient;
const pageErrors: string[] = [];

/** A monitor sending ABP and pleth chunks in real time; its sample clock keeps running while it is paused. */
class Monitor {
  private readonly t0 = Date.now();
  private next = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  chunks = 0;

  /** Time of sample n, epoch ms. */
  at(n: number): number {
    return this.t0 + (n * 1000) / RATE_HZ;
  }

  /** Time of the newest sample sent. */
  get lastSampleMs(): number {
    return this.at(this.next - 1);
  }

  /** Sends from now on (after a pause, from the sample being taken now: what was missed never comes). */
  start(): void {
    this.next = Math.max(this.next, Math.floor(((Date.now() - this.t0) * RATE_HZ) / 1000));
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.send(), Math.max(0, this.at(this.next + CHUNK) - Date.now()));
  }

  private send(): void {
    const ts = Math.round(this.at(this.next));
    const abp: number[] = [];
    const pleth: number[] = [];
    for (let i = 0; i < CHUNK; i++) {
      const s = Math.sin((2 * Math.PI * PULSE_HZ * (this.next + i)) / RATE_HZ);
      abp.push(Math.round((60 + 20 * s) * 10) / 10);
      pleth.push(Math.round((40 + 30 * s) * 10) / 10);
    }
    const topic = `icu/${BED}/monitor/waveform`;
    void dev.publishAsync(topic, JSON.stringify({ ts, signal: 'abp', rateHz: RATE_HZ, samples: abp }));
    void dev.publishAsync(topic, JSON.stringify({ ts, signal: 'pleth', rateHz: RATE_HZ, samples: pleth }));
    this.next += CHUNK;
    this.chunks++;
    this.schedule();
  }
}

const monitor = new Monitor();
const wave = (signal: 'abp' | 'pleth') => page.locator(`[data-wave=${signal}]`);
const num = async (l: Locator, attr: string) => Number(await l.getAttribute(attr));
const canvasImage = (l: Locator) => l.locator('canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
/** Waits until the monitor has sent `n` more chunks (so at least that much real time has passed). */
async function chunksLater(n: number): Promise<void> {
  const target = monitor.chunks + n;
  await expect.poll(() => monitor.chunks, { timeout: n * 400 + 2000 }).toBeGreaterThanOrEqual(target);
}

beforeAll(async () => {
  t = await startTestServer();
  dev = await t.device();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await logIn(page, t.url, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  monitor.stop();
  await browser?.close();
  await t?.stop();
});

describe('live waves on the bed page', () => {
  it('scrolls ABP and pleth with their units and numerics, chunks joined without a gap', async () => {
    await page.evaluate((bed) => (location.hash = `#/bed/${bed}`), BED);
    await expect.poll(() => wave('abp').getAttribute('data-state'), { timeout: 10_000 }).toBe('none');
    monitor.start();
    for (const s of ['abp', 'pleth'] as const) {
      await expect.poll(() => wave(s).getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
    }
    // ~4 s of contiguous chunks: the window fills, one sample per 8 ms, and not one gap
    await expect.poll(() => num(wave('abp'), 'data-points'), { timeout: 10_000 }).toBeGreaterThanOrEqual(3.5 * RATE_HZ);
    await chunksLater(3);
    for (const s of ['abp', 'pleth'] as const) {
      expect(await wave(s).getAttribute('data-gaps')).toBe('0');
      expect(await num(wave(s), 'data-points')).toBeGreaterThanOrEqual(3.5 * RATE_HZ);
    }
    expect(await wave('abp').locator('.unit').textContent()).toBe('mmHg');
    expect(await wave('pleth').locator('.unit').textContent()).toBe('a.u.');
    expect(await wave('abp').locator('[data-wave-numeric]').textContent()).toBe('80/40');
    expect(await wave('abp').locator('.secondary').textContent()).toBe('(60)');
    expect(await wave('pleth').locator('[data-wave-numeric]').textContent()).toBe('120');

    // it scrolls: frames are drawn and the picture changes from one frame to the next
    const frames = await num(wave('abp'), 'data-frames');
    const before = await canvasImage(wave('abp'));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await canvasImage(wave('abp'))).not.toBe(before);
    await expect.poll(() => num(wave('abp'), 'data-frames')).toBeGreaterThan(frames);
    expect(pageErrors).toEqual([]);
  });

  it('draws a one-second pause of the monitor as exactly one gap, without calling the signal lost', async () => {
    monitor.stop();
    await new Promise((r) => setTimeout(r, 1000)); // the monitor is silent for a second
    monitor.start();
    for (const s of ['abp', 'pleth'] as const) {
      await expect.poll(() => wave(s).getAttribute('data-gaps'), { timeout: 5000 }).toBe('1');
    }
    await chunksLater(5);
    for (const s of ['abp', 'pleth'] as const) {
      expect(await wave(s).getAttribute('data-gaps')).toBe('1');
      expect(await wave(s).getAttribute('data-state')).toBe('live');
    }
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'waves.png') });
  });

  it('greys a wave silent for more than 2 s and says since when', async () => {
    monitor.stop();
    const lastSample = new Date(monitor.lastSampleMs);
    const since = [lastSample.getHours(), lastSample.getMinutes(), lastSample.getSeconds()]
      .map((n) => String(n).padStart(2, '0'))
      .join(':');
    for (const s of ['abp', 'pleth'] as const) {
      await expect.poll(() => wave(s).getAttribute('data-state'), { timeout: 5000 }).toBe('silent');
      expect(await wave(s).locator('[data-no-signal]').textContent()).toBe(`no signal since ${since}`);
      expect(await wave(s).locator('[data-wave-numeric]').textContent()).toBe('—');
    }
    expect(await wave('abp').evaluate((el) => getComputedStyle(el.querySelector('.chart')!).filter)).toBe('grayscale(1)');
    await page.screenshot({ path: join(SHOTS, 'waves-no-signal.png') });
    // and it comes back with the next chunk
    monitor.start();
    await expect.poll(() => wave('abp').getAttribute('data-state'), { timeout: 5000 }).toBe('live');
    monitor.stop();
    expect(pageErrors).toEqual([]);
  });
});

describe('frame times in Chromium', () => {
  it('measures frames and long tasks on the 16-bed overview and on a bed page with two waves', { timeout: 120_000 }, async () => {
    const sims = await startSimulators({
      url: t.mqttUrl,
      username: 'sim',
      password: DEVICE_PASSWORD,
      beds: 16,
      seed: 7,
      speed: 1,
      connection: 'shared',
    });
    try {
      await page.evaluate(() => (location.hash = '#/'));
      await page.waitForFunction(() => document.querySelectorAll('[data-bed^="bed-"]').length >= 16, undefined, { timeout: 15_000 });
      const overview = await measureFrames(page, MEASURE_S);
      await page.evaluate(() => (location.hash = '#/bed/bed-01'));
      for (const s of ['abp', 'pleth'] as const) {
        await expect.poll(() => wave(s).getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
      }
      const bedPage = await measureFrames(page, MEASURE_S);
      await page.screenshot({ path: join(SHOTS, 'waves-simulated.png') });
      console.log(`frame times, overview of 16 beds: ${JSON.stringify(overview)}`);
      console.log(`frame times, bed page with ABP and pleth: ${JSON.stringify(bedPage)}`);
      // The figures depend on the machine; that both measurements ran is what is checked.
      expect(overview.frames).toBeGreaterThan(0);
      expect(bedPage.frames).toBeGreaterThan(0);
      expect(await num(wave('abp'), 'data-frames')).toBeGreaterThan(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await sims.stop();
    }
  });
});
