// The dashboard in a real browser: a server with 16 simulated beds (numerics, and ABP and pleth
// waves at 125 Hz), Chromium on the overview for DASHBOARD_SECONDS, then on one bed's page with its
// two live waves for as long. Inside the page, requestAnimationFrame timestamps give the frame rate
// and a PerformanceObserver counts long tasks (main-thread tasks over 50 ms).
// `bench/run.ts` adds {dashboardFps, longTasksOver50Ms} to its line: the lower frame rate of the two
// pages and the long tasks of both. Then a memory soak of DASHBOARD_SOAK_SECONDS (default 120; 3600
// for the hour a shift needs): the page alternates between the overview and the bed page every 30 s
// (mounting and unmounting everything, as a specialist does), and after a forced garbage collection
// the JS heap, DOM nodes and event listeners are sampled; the heap's least-squares slope, in MB per
// hour, is `heapGrowthMbPerHour` (flat is near 0). Run alone (`tsx bench/dashboard.ts`), it prints
// every figure.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium, logIn } from '../test/helpers/browser.js';
import { ensureClientBuilt } from '../scripts/client-build.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const SECONDS = Number(process.env.DASHBOARD_SECONDS ?? 15);
const BEDS = 16;
/** The simulators' first bed: its monitor sends the waves. */
const WAVE_BED = 'bed-01';
const ADMIN_PASSWORD = 'bench-admin-pw';
const READY_TIMEOUT_MS = 30_000;
const SOAK_SECONDS = Number(process.env.DASHBOARD_SOAK_SECONDS ?? 120);
/** The page changes (overview ↔ bed page) this often during the soak; a sample is taken before each change. */
const SOAK_SWITCH_S = 30;

export interface FrameStats {
  frames: number;
  seconds: number;
  fps: number;
  frameP50Ms: number;
  frameP99Ms: number;
  frameMaxMs: number;
  /** Main-thread tasks over 50 ms; null where the browser does not report them. */
  longTasks: number | null;
  longTaskMs: number | null;
}

export interface DashboardResult {
  dashboardFps: number | null;
  longTasksOver50Ms: number | null;
  /** The JS heap's growth over the soak, MB per hour (least squares over the samples after GC). */
  heapGrowthMbPerHour: number | null;
  heapMbEnd: number | null;
}

export interface MemoryStats {
  seconds: number;
  samples: { s: number; heapMb: number; nodes: number; listeners: number }[];
  heapGrowthMbPerHour: number;
  overviewMbPerHour: number;
  bedPageMbPerHour: number;
}

// The in-page measurement, as source text: a function handed to page.evaluate would carry the
// helpers tsx adds to named functions (`__name`), which the page does not have.
const MEASURE_IN_PAGE = `async (ms) => {
  const supported = PerformanceObserver.supportedEntryTypes.includes('longtask');
  const longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  });
  if (supported) observer.observe({ type: 'longtask' });
  const gaps = [];
  await new Promise((done) => {
    let start = 0;
    let last = 0;
    const step = (t) => {
      if (!start) start = last = t;
      else {
        gaps.push(t - last);
        last = t;
      }
      if (t - start < ms) requestAnimationFrame(step);
      else done();
    };
    requestAnimationFrame(step);
  });
  for (const e of observer.takeRecords()) longTasks.push(e.duration);
  observer.disconnect();
  return { gaps, longTasks: supported ? longTasks : null };
}`;

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Frame times and long tasks on `page` over `seconds`, measured inside the page. */
export async function measureFrames(page: Page, seconds: number): Promise<FrameStats> {
  const raw = await page.evaluate<{ gaps: number[]; longTasks: number[] | null }>(`(${MEASURE_IN_PAGE})(${seconds * 1000})`);
  const gaps = [...raw.gaps].sort((a, b) => a - b);
  const totalMs = raw.gaps.reduce((a, b) => a + b, 0);
  const at = (p: number) => (gaps.length ? round1(gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))]) : 0);
  return {
    frames: gaps.length,
    seconds: round1(totalMs / 1000),
    fps: totalMs > 0 ? round1((gaps.length * 1000) / totalMs) : 0,
    frameP50Ms: at(0.5),
    frameP99Ms: at(0.99),
    frameMaxMs: gaps.length ? round1(gaps[gaps.length - 1]) : 0,
    longTasks: raw.longTasks ? raw.longTasks.length : null,
    longTaskMs: raw.longTasks ? Math.round(raw.longTasks.reduce((a, b) => a + b, 0)) : null,
  };
}

/** Heap, DOM nodes and listeners after a forced GC, alternating pages for `seconds`. */
async function soakMemory(page: Page, seconds: number): Promise<MemoryStats> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const sample = async (s: number) => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? 0;
    return { s, heapMb: round1(m('JSHeapUsedSize') / 1e6), nodes: m('Nodes'), listeners: m('JSEventListeners') };
  };
  const samples = [await sample(0)];
  const start = performance.now();
  let onBed = true;
  for (let s = SOAK_SWITCH_S; s <= seconds; s += SOAK_SWITCH_S) {
    await page.waitForTimeout(Math.max(0, start + s * 1000 - performance.now()));
    onBed = !onBed;
    await page.evaluate((hash) => (location.hash = hash), onBed ? `#/bed/${WAVE_BED}` : '#/');
    samples.push(await sample(s));
  }
  await cdp.detach();
  // Least-squares slope of heap over time per page (each page holds a different amount), skipping
  // the first sample (before any page change); the growth is the steeper of the two.
  const slope = (pts: { s: number; heapMb: number }[]) => {
    const n = pts.length;
    if (n < 2) return 0;
    const mx = pts.reduce((a, p) => a + p.s, 0) / n;
    const my = pts.reduce((a, p) => a + p.heapMb, 0) / n;
    const sxx = pts.reduce((a, p) => a + (p.s - mx) ** 2, 0);
    const sxy = pts.reduce((a, p) => a + (p.s - mx) * (p.heapMb - my), 0);
    return sxx > 0 ? (sxy / sxx) * 3600 : 0;
  };
  const later = samples.slice(1);
  const bedPage = later.filter((_, i) => i % 2 === 1); // every other switch lands on the bed page
  const overview = later.filter((_, i) => i % 2 === 0);
  return {
    seconds,
    samples,
    heapGrowthMbPerHour: round1(Math.max(slope(bedPage), slope(overview))),
    overviewMbPerHour: round1(slope(overview)),
    bedPageMbPerHour: round1(slope(bedPage)),
  };
}

/** Starts `server/main.ts` with its own simulated beds; resolves with its URL once it listens. */
function startServer(dataDir: string): Promise<{ proc: ChildProcess; url: string }> {
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    MQTT_PORT: '0',
    DATA_DIR: dataDir,
    SIM_BEDS: String(BEDS),
    ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
  };
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ready, fail) => {
    proc.once('exit', (code) => fail(new Error(`the server exited with ${code} before it listened`)));
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const m = /^listening (http:\/\/\S+)/.exec(line);
      if (m) ready({ proc, url: m[1] });
    });
  });
}

/** Both pages' figures; throws when the browser or the server cannot start. */
export async function measureDashboard(
  log: (msg: string) => void,
  seconds = SECONDS,
): Promise<{ overview: FrameStats; bedPage: FrameStats; memory: MemoryStats }> {
  await ensureClientBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'ecmo-bench-dashboard-'));
  let server: ChildProcess | null = null;
  let browser: Browser | null = null;
  try {
    const started = await startServer(dataDir);
    server = started.proc;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await logIn(page, started.url, 'admin', ADMIN_PASSWORD, READY_TIMEOUT_MS);
    await page.waitForFunction((n) => document.querySelectorAll('[data-bed]').length >= n, BEDS, { timeout: READY_TIMEOUT_MS });
    log(`dashboard: overview of ${BEDS} beds, ${seconds} s`);
    const overview = await measureFrames(page, seconds);
    await page.evaluate((bed) => (location.hash = `#/bed/${bed}`), WAVE_BED);
    await page.waitForSelector('[data-wave=abp][data-state=live]', { timeout: READY_TIMEOUT_MS });
    await page.waitForSelector('[data-wave=pleth][data-state=live]', { timeout: READY_TIMEOUT_MS });
    log(`dashboard: bed page of ${WAVE_BED} with ABP and pleth, ${seconds} s`);
    const bedPage = await measureFrames(page, seconds);
    log(`dashboard: memory over ${SOAK_SECONDS} s, overview and bed page in turn`);
    const memory = await soakMemory(page, SOAK_SECONDS);
    return { overview, bedPage, memory };
  } finally {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const NOT_MEASURED: DashboardResult = { dashboardFps: null, longTasksOver50Ms: null, heapGrowthMbPerHour: null, heapMbEnd: null };

/** The bench's two figures: the lower frame rate of the two pages, long tasks over both; null for both without Chromium. */
export async function benchDashboard(log: (msg: string) => void): Promise<DashboardResult> {
  if (!existsSync(CHROMIUM)) {
    log(`dashboard: no Chromium at ${CHROMIUM} (CHROMIUM_PATH): not measured`);
    return NOT_MEASURED;
  }
  try {
    const { overview, bedPage, memory } = await measureDashboard(log);
    log(`dashboard: overview ${JSON.stringify(overview)}`);
    log(`dashboard: bed page ${JSON.stringify(bedPage)}`);
    log(`dashboard: memory ${JSON.stringify(memory)}`);
    const longTasks = overview.longTasks === null || bedPage.longTasks === null ? null : overview.longTasks + bedPage.longTasks;
    return {
      dashboardFps: Math.min(overview.fps, bedPage.fps),
      longTasksOver50Ms: longTasks,
      heapGrowthMbPerHour: memory.heapGrowthMbPerHour,
      heapMbEnd: memory.samples[memory.samples.length - 1].heapMb,
    };
  } catch (err) {
    log(`dashboard: not measured (${err instanceof Error ? err.message : String(err)})`);
    return NOT_MEASURED;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  console.log(JSON.stringify(await benchDashboard(log)));
}
