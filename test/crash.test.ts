// kill -9: the server process killed without warning loses nothing older than the recording's flush
// interval (250 ms): device messages, the timeline, alarms and the audit log are all there when a
// new server opens the same DATA_DIR.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alarm, TimelineEvent } from '../shared/protocol.js';
import { ADMIN_PASSWORD, DEVICE_PASSWORD, startTestServer, until } from './helpers/server.js';
import { loginToken } from './helpers/login.js';

const ROOT = resolve(import.meta.dirname, '..');
const FLUSH_INTERVAL_MS = 250;
const dataDir = mkdtempSync(join(tmpdir(), 'ecmo-crash-'));
let child: ChildProcess | null = null;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function startChild(): Promise<{ http: string; mqtt: string }> {
  child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      MQTT_PORT: '0',
      DATA_DIR: dataDir,
      SIM_BEDS: '0',
      ADMIN_PASSWORD,
      DEVICE_PASSWORD,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((done, fail) => {
    child!.once('exit', (code) => fail(new Error(`server exited with ${code}`)));
    createInterface({ input: child!.stdout! }).on('line', (line) => {
      const m = /^listening (http:\/\/\S+) mqtt:\/\/\S+:(\d+)/.exec(line);
      if (m) done({ http: m[1], mqtt: `mqtt://127.0.0.1:${m[2]}` });
    });
  });
}

describe('a server killed with SIGKILL', () => {
  it('loses nothing older than the flush interval: messages, timeline, alarms and audit are there after a restart', async () => {
    const { http, mqtt: mqttUrl } = await startChild();
    const api = async <T>(token: string, path: string, init: RequestInit = {}) =>
      (
        await fetch(http + path, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } })
      ).json() as Promise<T>;
    const token = await loginToken(http, 'admin', ADMIN_PASSWORD);
    await api(token, '/api/beds/k1/patient', {
      method: 'PUT',
      body: JSON.stringify({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA', studyId: 'K-1' }),
    });
    const event = await api<TimelineEvent>(token, '/api/beds/k1/events', {
      method: 'POST',
      body: JSON.stringify({ type: 'shock_recognized' }),
    });

    const dev = await mqtt.connectAsync(mqttUrl, { username: 'device', password: DEVICE_PASSWORD });
    const t0 = Date.now() - 49_000; // the last message (the pump stopping) is current
    for (let i = 0; i < 50; i++) {
      await dev.publishAsync(
        'icu/k1/ecmo/numerics',
        JSON.stringify({ ts: t0 + i * 1000, values: { flow: i === 49 ? 0 : 2, rpm: i === 49 ? 0 : 3000 } }),
        { qos: 1 },
      );
    }
    // The last message stops the pump: a high alarm, written at once.
    const alarms = await until(async () => {
      const list = await api<Alarm[]>(token, '/api/alarms?bed=k1&state=active');
      return list.some((a) => a.key === 'pumpStopped') ? list : null;
    }, 'pump stopped alarm');
    await dev.endAsync();
    // Longer than the flush interval: everything received is now older than it.
    await new Promise((r) => setTimeout(r, FLUSH_INTERVAL_MS * 4));
    const exited = new Promise((r) => child!.once('exit', r));
    child!.kill('SIGKILL');
    await exited;
    child = null;

    const t = await startTestServer({}, { dataDir });
    try {
      const h = await t.api<{ series: { flow: (number | null)[] } }>(`/api/beds/k1/history?keys=flow&from=${t0}&to=${t0 + 49_000}&stepS=1`);
      expect(h.body.series.flow.filter((v) => v !== null)).toHaveLength(50);
      expect((await t.api<TimelineEvent[]>('/api/beds/k1/events')).body.map((e) => e.id)).toContain(event.id);
      const after = (await t.api<Alarm[]>('/api/alarms?bed=k1')).body;
      expect(after.map((a) => a.id)).toEqual(expect.arrayContaining(alarms.filter((a) => a.key === 'pumpStopped').map((a) => a.id)));
      const audit = (await t.api<{ action: string; target: string }[]>('/api/audit')).body;
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['patient.set', 'event.add']));
    } finally {
      await t.stop({ keepData: true });
    }
  });
});
