// Logging can never take the server down: the real server (`server/main.ts`, a child process) with
// its stdout and stderr on /dev/full, where every write fails with ENOSPC as on a full log disk.
// It still starts, answers, takes device data, stays calm (no core spinning on a failed write
// logged again and again, no memory growing) and stops on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import type { BedDetail } from '../shared/protocol.js';
import { cpuMsOf, freePort, rssMbOf } from './helpers/proc.js';
import { until } from './helpers/server.js';
import { loginToken } from './helpers/login.js';

const ROOT = resolve(import.meta.dirname, '..');
const ADMIN_PASSWORD = 'log-failure-admin-pw';
const DEVICE_PASSWORD = 'log-failure-device-pw';
const dataDir = mkdtempSync(join(tmpdir(), 'ecmo-logfull-'));
let child: ChildProcess | null = null;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a full log disk', () => {
  it('leaves the server up, answering and calm, and it stops on SIGTERM', async () => {
    const [port, mqttPort] = [await freePort(), await freePort()];
    const full = openSync('/dev/full', 'w');
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        MQTT_PORT: String(mqttPort),
        DATA_DIR: dataDir,
        SIM_BEDS: '0',
        ADMIN_PASSWORD,
        DEVICE_PASSWORD,
        LOG_LEVEL: 'debug', // as much logging as there can be
      },
      stdio: ['ignore', full, full],
    });
    const http = `http://127.0.0.1:${port}`;
    await until(
      async () => {
        const r = await fetch(`${http}/api/health`).catch(() => null);
        return r?.status === 200;
      },
      'the server answering',
      30_000,
    );
    // Device data (and rejected junk, which is logged) goes through as usual.
    const dev = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { username: 'device', password: DEVICE_PASSWORD });
    for (let i = 0; i < 200; i++) {
      await dev.publishAsync(
        'icu/lf1/monitor/numerics',
        i % 2 ? '{not json' : JSON.stringify({ ts: Date.now(), values: { hr: 100 + (i % 50) } }),
      );
    }
    await dev.endAsync();
    const token = await loginToken(http, 'admin', ADMIN_PASSWORD);
    await until(
      async () =>
        ((await (await fetch(`${http}/api/beds/lf1`, { headers: { authorization: `Bearer ${token}` } })).json()) as BedDetail).latest?.hr,
      'device values on REST',
      10_000,
    );
    // Calm: a failed log write logged again would spin a core and grow memory.
    const pid = child.pid!;
    const cpu0 = cpuMsOf(pid);
    const rss0 = rssMbOf(pid);
    await new Promise((r) => setTimeout(r, 3000));
    expect(cpuMsOf(pid) - cpu0).toBeLessThan(1500); // under half a core over 3 s
    expect(rssMbOf(pid) - rss0).toBeLessThan(50);
    expect(child.exitCode).toBeNull();
    const exited = new Promise<number | null>((done) => child!.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 10_000))]);
    expect(code).toBe(0);
  });
});
