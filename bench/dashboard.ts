// The dashboard in a real browser: a server with 16 simulated beds (numerics, and ABP and pleth
// waves at 125 Hz), Chromium on the overview for DASHBOARD_SECONDS, then on one bed's page with its
// two live waves for as long. Inside the page, requestAnimationFrame timestamps give the frame rate
// and a PerformanceObserver counts long tasks (main-thread tasks over 50 ms).
// `bench/run.ts` adds {dashboardFps, longTasksOver50Ms} to its line: the lower frame rate of the two
// pages and the long tasks of both. Run alone (`tsx bench/dashboard.ts`), it prints both pages' figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../test/helpers/browser.js';
import { ensureClientBuilt } from '../scripts/client-build.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const SECONDS = Number(process.env.DASHBOARD_SECONDS ?? 15);
const BEDS = 16;
/** The simulators' first bed: its monitor sends the waves. */
const WAVE_BED = 'bed-01';
const ADMIN_PASSWORD = 'bench-admin-pw';
const READY_TIMEOUT_MS = 30_000;

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

async function login(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-connected=true]', { timeout: READY_TIMEOUT_MS });
}

/** Both pages' figures; throws when the browser or the server cannot start. */
export async function measureDashboard(
  log: (msg: string) => void,
  seconds = SECONDS,
): Promise<{ overview: FrameStats; bedPage: FrameStats }> {
  await ensureClientBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'ecmo-bench-dashboard-'));
  let server: ChildProcess | null = null;
  let browser: Browser | null = null;
  try {
    const started = await startServer(dataDir);
    server = started.proc;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await login(page, started.url);
    await page.waitForFunction((n) => document.querySelectorAll('[data-bed]').length >= n, BEDS, { timeout: READY_TIMEOUT_MS });
    log(`dashboard: overview of ${BEDS} beds, ${seconds} s`);
    const overview = await measureFrames(page, seconds);
    await page.evaluate((bed) => (location.hash = `#/bed/${bed}`), WAVE_BED);
    await page.waitForSelector('[data-wave=abp][data-state=live]', { timeout: READY_TIMEOUT_MS });
    await page.waitForSelector('[data-wave=pleth][data-state=live]', { timeout: READY_TIMEOUT_MS });
    log(`dashboard: bed page of ${WAVE_BED} with ABP and pleth, ${seconds} s`);
    const bedPage = await measureFrames(page, seconds);
    return { overview, bedPage };
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

/** The bench's two figures: the lower frame rate of the two pages, long tasks over both; null for both without Chromium. */
export async function benchDashboard(log: (msg: string) => void): Promise<DashboardResult> {
  if (!existsSync(CHROMIUM)) {
    log(`dashboard: no Chromium at ${CHROMIUM} (CHROMIUM_PATH): not measured`);
    return { dashboardFps: null, longTasksOver50Ms: null };
  }
  try {
    const { overview, bedPage } = await measureDashboard(log);
    log(`dashboard: overview ${JSON.stringify(overview)}`);
    log(`dashboard: bed page ${JSON.stringify(bedPage)}`);
    const longTasks = overview.longTasks === null || bedPage.longTasks === null ? null : overview.longTasks + bedPage.longTasks;
    return { dashboardFps: Math.min(overview.fps, bedPage.fps), longTasksOver50Ms: longTasks };
  } catch (err) {
    log(`dashboard: not measured (${err instanceof Error ? err.message : String(err)})`);
    return { dashboardFps: null, longTasksOver50Ms: null };
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  console.log(JSON.stringify(await benchDashboard(log)));
}
