// Nothing the broker accepted is lost, against Debian's Mosquitto run with persistence as
// docs/deployment.md configures it and devices publishing at QoS 1:
// - the server killed with SIGKILL in the middle of a stream and started again: the server
//   acknowledges a message only once it is written, so Mosquitto sends the unwritten ones again;
// - Mosquitto restarted in the middle of a stream: the server's persistent session and the
//   messages queued for it survive, including those published before the server is back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, stopServerProcess, type ServerProcess } from './helpers/child-server.js';
import { startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import type { HealthAnswer } from '../shared/protocol.js';
import { startTestServer, until } from './helpers/server.js';
import { loginToken } from './helpers/login.js';

const ADMIN_PASSWORD = 'restart-admin-pw';
const USERS = { server: 'server-pw', device: 'device-pw' };
/** Messages per run: a few seconds of a busy ward, one value each, one second apart in message time. */
const N = 1500;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Child = ServerProcess;

/** `server/main.ts` as a real process against the broker; resolves once it listens. */
function startServer(brokerUrl: string, dataDir: string): Promise<Child> {
  return startServerProcess({
    MQTT_URL: brokerUrl,
    MQTT_USERNAME: 'server',
    MQTT_PASSWORD: USERS.server,
    DATA_DIR: dataDir,
    ADMIN_PASSWORD,
  });
}

const stopServer = stopServerProcess;
const login = (http: string) => loginToken(http, 'admin', ADMIN_PASSWORD);

/** Recorded heart rates of the bed, one per second of message time from `fromMs`. */
async function recorded(http: string, token: string, bed: string, fromMs: number): Promise<number> {
  const r = await fetch(`${http}/api/beds/${bed}/history?keys=hr&from=${fromMs}&to=${fromMs + N * 1000 - 1}&stepS=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (r.status !== 200) return 0;
  const h = (await r.json()) as { series: { hr: (number | null)[] } };
  return h.series.hr.filter((v) => v !== null).length;
}

async function device(m: Mosquitto, clientId: string): Promise<MqttClient> {
  const c = await mqtt.connectAsync(m.url, { username: 'device', password: USERS.device, clientId, reconnectPeriod: 200 });
  cleanups.push(() => c.endAsync(true));
  return c;
}

/**
 * Publishes N numerics at QoS 1, each acknowledged by the broker before the next (a device's
 * outgoing queue holds them while the broker is away), calling `at(i)` before message i.
 */
async function stream(dev: MqttClient, bed: string, fromMs: number, at: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < N; i++) {
    await at(i);
    await dev.publishAsync(`icu/${bed}/monitor/numerics`, JSON.stringify({ ts: fromMs + i * 1000, values: { hr: 60 + (i % 100) } }), {
      qos: 1,
    });
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20)); // a stream over time, not one burst
  }
}

describe('nothing the broker accepted is lost (persistent Mosquitto, QoS 1)', () => {
  it('a server killed with SIGKILL mid-stream and started again has every message', async () => {
    const mosq = await startMosquitto(USERS, { persistence: true });
    cleanups.push(() => mosq.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'ecmo-kill-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let server = await startServer(mosq.url, dataDir);
    cleanups.push(() => stopServer(server));
    const dev = await device(mosq, 'kill-dev');
    const fromMs = Date.now() - N * 1000 - 60_000; // all in the past, within the server's lateness window
    let killed = false;
    await stream(dev, 'kq1', fromMs, async (i) => {
      if (i === Math.floor(N / 2)) {
        server.proc.kill('SIGKILL'); // mid-stream: some messages are received and not yet written
        await new Promise((r) => server.proc.once('exit', r));
        killed = true;
      }
    });
    expect(killed).toBe(true);
    // The second half was queued by the broker for the server's persistent session.
    server = await startServer(mosq.url, dataDir);
    const token = await login(server.http);
    const count = await until(
      async () => {
        const n = await recorded(server.http, token, 'kq1', fromMs);
        return n === N ? n : null;
      },
      `all ${N} messages recorded`,
      30_000,
    ).catch(async () => recorded(server.http, token, 'kq1', fromMs));
    expect(count).toBe(N);
  });

  it('a Mosquitto restarted mid-stream keeps the server’s session and what was published before the server was back', async () => {
    const mosq = await startMosquitto(USERS, { persistence: true });
    cleanups.push(() => mosq.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'ecmo-brk-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServer(mosq.url, dataDir);
    cleanups.push(() => stopServer(server));
    const dev = await device(mosq, 'restart-dev');
    const fromMs = Date.now() - N * 1000 - 60_000;
    await stream(dev, 'kq2', fromMs, async (i) => {
      if (i === Math.floor(N / 2)) await mosq.restart(); // the device reconnects within 200 ms, the server within 1 s
    });
    const token = await login(server.http);
    const count = await until(
      async () => {
        const n = await recorded(server.http, token, 'kq2', fromMs);
        return n === N ? n : null;
      },
      `all ${N} messages recorded`,
      30_000,
    ).catch(async () => recorded(server.http, token, 'kq2', fromMs));
    expect(count).toBe(N);
  });
});

describe('two instances with one MQTT client id', () => {
  it('notice that they keep taking the session from each other, and say so in health', async () => {
    const mosq = await startMosquitto(USERS, { persistence: true });
    cleanups.push(() => mosq.stop());
    const env = { MQTT_URL: mosq.url, MQTT_USERNAME: 'server', MQTT_PASSWORD: USERS.server, INSTANCE_ID: 'twin', SITE_ID: 'site-t' };
    const a = await startTestServer(env);
    cleanups.push(() => a.stop());
    const b = await startTestServer(env);
    cleanups.push(() => b.stop());
    const contested = async () =>
      (await Promise.all([a, b].map(async (s) => (await s.api<HealthAnswer>('/api/health')).body))).find((h) =>
        h.reasons.some((r) => /session taken over .* INSTANCE_ID/.test(r)),
      );
    const h = await until(contested, 'a contested session in health', 20_000);
    expect(h.status).not.toBe('ok');
  });
});
