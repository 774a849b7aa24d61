// The multi-instance recipe of docs/deployment.md ("Several instances"), reproduced with real
// processes from Debian packages: Mosquitto with persistence and a password file, PostgreSQL, Redis,
// nginx running docs/deploy/nginx.conf itself, two server processes splitting the beds (SHARD 0/2
// and 1/2) and the device simulators publishing six beds. A browser through nginx (so on one of the
// two instances) sees all six beds live, those of the other instance too; REST through nginx knows
// every bed; and the login throttle counts the browser's address, not nginx's.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BedSummary } from '../shared/protocol.js';
import { shardOf } from '../server/ingest/shard.js';
import { launchChromium, logIn } from './helpers/browser.js';
import { startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { startPostgres, type Postgres } from './helpers/postgres.js';
import { freePort } from './helpers/proc.js';
import { startRedis, type Redis } from './helpers/redis.js';
import { loginToken } from './helpers/login.js';

const ROOT = resolve(import.meta.dirname, '..');
const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';
const ADMIN_PASSWORD = 'deploy-admin-pw';
const SERVER_PW = 'deploy-server-pw';
const DEVICE_PW = 'deploy-device-pw';
const BEDS = ['bed-01', 'bed-02', 'bed-03', 'bed-04', 'bed-05', 'bed-06'];
const UI_MS = 20_000;

const procs: ChildProcess[] = [];
const dirs: string[] = [];
let mosq: Mosquitto;
let pgs: Postgres;
let redis: Redis;
let proxyUrl: string;
let browser: Browser;
let page: Page;

/** Starts a process and resolves once a line of its stdout matches `ready` (rejects if it exits first). */
function startUntil(cmd: string, args: string[], env: Record<string, string>, ready: RegExp | null): Promise<ChildProcess> {
  const p = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(p);
  let stderr = '';
  p.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  if (!ready) return Promise.resolve(p);
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: p.stdout });
    lines.on('line', (line) => {
      if (ready.test(line)) resolvePromise(p);
    });
    p.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before it was ready: ${stderr}`)));
  });
}

async function listening(port: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < 10_000) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.end(), r(true)));
      s.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** docs/deploy/nginx.conf with this test's addresses, inside a minimal main configuration. */
function nginxConf(dir: string, listenPort: number, upstreams: number[]): string {
  const recipe = readFileSync(join(ROOT, 'docs/deploy/nginx.conf'), 'utf8');
  const servers = recipe.match(/^\s*server \S+:\d+ .*;$/gm) ?? [];
  expect(servers.length).toBeGreaterThan(0);
  let site = recipe.replace(servers.join('\n'), upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n'));
  expect(site).toMatch(/^\s*listen 8080;$/m);
  site = site.replace(/^(\s*)listen 8080;$/m, `$1listen 127.0.0.1:${listenPort};`);
  writeFileSync(join(dir, 'ecmo.conf'), site);
  for (const d of ['body', 'proxy']) mkdirSync(join(dir, d), { recursive: true });
  const main = [
    'daemon off;',
    'master_process off;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 256; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${join(dir, 'body')};`,
    `  proxy_temp_path ${join(dir, 'proxy')};`,
    `  include ${join(dir, 'ecmo.conf')};`,
    '}',
    '',
  ].join('\n');
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, main);
  return file;
}

beforeAll(async () => {
  if (!existsSync(NGINX)) throw new Error('nginx is not installed (apt-get install -y nginx-light; .ci/run installs it)');
  // The simulators' beds fall into both shards: the browser's instance cannot own them all.
  expect(new Set(BEDS.map((b) => shardOf(b, 2))).size).toBe(2);
  [mosq, pgs, redis] = await Promise.all([
    startMosquitto({ 'ecmo-server': SERVER_PW, simulator: DEVICE_PW }, { persistence: true }),
    startPostgres(),
    startRedis(),
  ]);
  const database = await pgs.createDatabase();
  const ports = [await freePort(), await freePort()];
  await Promise.all(
    ports.map((port, i) => {
      const dataDir = mkdtempSync(join(tmpdir(), `ecmo-deploy-${i}-`));
      dirs.push(dataDir);
      return startUntil(
        process.execPath,
        ['--import', 'tsx', 'server/main.ts'],
        {
          HOST: '127.0.0.1',
          PORT: String(port),
          DATA_DIR: dataDir,
          MQTT_URL: mosq.url,
          MQTT_USERNAME: 'ecmo-server',
          MQTT_PASSWORD: SERVER_PW,
          DATABASE_URL: database,
          REDIS_URL: redis.url,
          SHARD: `${i}/2`,
          INSTANCE_ID: `ward-${i}`,
          TRUST_PROXY: '127.0.0.1',
          ADMIN_PASSWORD,
          SIM_BEDS: '0',
          LOG_LEVEL: 'warn',
        },
        /^listening /,
      );
    }),
  );
  const nginxDir = mkdtempSync(join(tmpdir(), 'nginx-'));
  dirs.push(nginxDir);
  const proxyPort = await freePort();
  await startUntil(NGINX, ['-p', nginxDir, '-c', nginxConf(nginxDir, proxyPort, ports)], {}, null);
  await listening(proxyPort);
  proxyUrl = `http://127.0.0.1:${proxyPort}`;
  await startUntil(
    process.execPath,
    [
      '--import',
      'tsx',
      'simulators/cli.ts',
      '--url',
      mosq.url,
      '--username',
      'simulator',
      '--password',
      DEVICE_PW,
      '--beds',
      BEDS.join(','),
    ],
    {},
    null,
  );
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const p of procs.reverse()) {
    if (p.exitCode !== null) continue;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (p.exitCode === null) p.kill('SIGKILL');
  }
  await Promise.allSettled([mosq?.stop(), pgs?.stop(), redis?.dispose()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const login = () => loginToken(proxyUrl, 'admin', ADMIN_PASSWORD);

describe('the multi-instance recipe: nginx, two sharded instances, Mosquitto, PostgreSQL, Redis', () => {
  it('knows every bed through the proxy, whichever instance answers', async () => {
    const token = await login();
    const auth = { authorization: `Bearer ${token}` };
    await expect
      .poll(
        async () => ((await (await fetch(`${proxyUrl}/api/beds`, { headers: auth })).json()) as BedSummary[]).map((b) => b.bedId).sort(),
        { timeout: UI_MS },
      )
      .toEqual(BEDS);
    for (const bed of BEDS) {
      const detail = await fetch(`${proxyUrl}/api/beds/${bed}`, { headers: auth });
      expect(detail.status).toBe(200);
      expect(((await detail.json()) as { bedId: string }).bedId).toBe(bed);
    }
  });

  it('shows a browser on one instance all six beds live', async () => {
    await logIn(page, proxyUrl, 'admin', ADMIN_PASSWORD, UI_MS);
    const tile = (bed: string) => page.locator(`[data-bed="${bed}"]`);
    for (const bed of BEDS) {
      // Live: a monitor value marked fresh (its age within the device's interval), and changing.
      await expect.poll(() => tile(bed).locator('[data-signal=hr][data-state=fresh]').count(), { timeout: UI_MS }).toBe(1);
    }
    const hr = async () => Promise.all(BEDS.map((b) => tile(b).locator('[data-signal=hr] .num').textContent()));
    const first = await hr();
    await expect.poll(async () => (await hr()).filter((v, i) => v !== first[i]).length, { timeout: UI_MS }).toBeGreaterThanOrEqual(4);
    // A bed page of each shard: its values arrive live too.
    for (const bed of [BEDS.find((b) => shardOf(b, 2) === 0)!, BEDS.find((b) => shardOf(b, 2) === 1)!]) {
      await tile(bed).click();
      await expect.poll(() => page.locator('[data-signal=hr][data-state=fresh]').count(), { timeout: UI_MS }).toBeGreaterThan(0);
      await page.keyboard.press('Escape');
      await expect.poll(() => tile(bed).count(), { timeout: UI_MS }).toBe(1);
    }
  });

  it('throttles logins by the browser’s address behind the proxy, not by the proxy’s', async () => {
    // Here the test itself connects from loopback, as nginx does; the address nginx saw is the one
    // it appends, and X-Forwarded-For set by this client stands for a browser elsewhere.
    const attempt = (ip: string, username: string, password: string) =>
      fetch(`${proxyUrl}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ username, password }),
      });
    // Wrong passwords from one address, a new user name each time (the per-user throttle stays out of it).
    let status = 0;
    for (let i = 0; i < 40 && status !== 429; i++) status = (await attempt('203.0.113.9', `nobody-${i}`, 'wrong-password')).status;
    expect(status).toBe(429);
    // Another address is not locked out with it: all the attempts came through one proxy.
    expect((await attempt('198.51.100.7', 'admin', ADMIN_PASSWORD)).status).toBe(200);
  });
});
