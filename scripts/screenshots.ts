// `npm run screenshots`: the README's pictures, made as a newcomer would see the demo. A server with
// 16 simulated beds and their last 24 h (a fresh DATA_DIR), Chromium at 1920x1080: the central
// station after a minute of live data, then one bed's page with its live waves and a 24 h trend.
// Writes docs/screenshot.png and docs/screenshot-bed.png (SHOTS_DIR to write elsewhere).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureClientBuilt } from './client-build.mjs';
import { launchChromium, logIn } from '../test/helpers/browser.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const OUT = resolve(process.env.SHOTS_DIR ?? join(ROOT, 'docs'));
const PASSWORD = 'screenshots-admin-pw';
/** A bed on ECMO whose last hours hold its flow start (the mixed demo's second bed). */
const BED = process.env.SHOT_BED ?? 'bed-02';
const SETTLE_MS = Number(process.env.SHOT_SETTLE_MS ?? 60_000);

async function main(): Promise<void> {
  await ensureClientBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'ecmo-shots-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', MQTT_PORT: '0', DATA_DIR: dataDir, SIM_BEDS: '16', ADMIN_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((ready, fail) => {
      proc.once('exit', (code) => fail(new Error(`the server exited with ${code}`)));
      createInterface({ input: proc.stdout }).on('line', (line) => {
        const m = /^listening (http:\/\/\S+)/.exec(line);
        if (m) ready(m[1]);
      });
    });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      await logIn(page, url, 'admin', PASSWORD, 30_000);
      await page.waitForSelector('[data-bed]');
      process.stderr.write(`screenshots: ${SETTLE_MS / 1000} s of live data first\n`);
      await page.waitForTimeout(SETTLE_MS);
      await page.screenshot({ path: join(OUT, 'screenshot.png') });
      await page.evaluate((bed) => (location.hash = `#/bed/${bed}`), BED);
      await page.waitForSelector('[data-wave=abp][data-state=live]', { timeout: 30_000 });
      await page.click('[data-range="86400"]');
      await page.waitForFunction(() => Number(document.querySelector('[data-chart=flow]')?.getAttribute('data-points')) > 100, null, {
        timeout: 30_000,
      });
      await page.waitForTimeout(2000);
      await page.screenshot({ path: join(OUT, 'screenshot-bed.png'), fullPage: true });
      process.stderr.write(`screenshots: ${join(OUT, 'screenshot.png')}, ${join(OUT, 'screenshot-bed.png')}\n`);
    } finally {
      await browser.close();
    }
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
