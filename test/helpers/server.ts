// Starts the real server in-process on free ports with a temporary DATA_DIR, and offers the
// clients a test needs: REST with a token, a device on MQTT, a Socket.IO dashboard client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol.js';
import { startServer, type RunningServer } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';

export const ADMIN_PASSWORD = 'test-admin-pw';
export const DEVICE_PASSWORD = 'test-device-pw';

export interface TestServer {
  server: RunningServer;
  dataDir: string;
  url: string;
  mqttUrl: string;
  token: string;
  api<T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  device(opts?: { clientId?: string; will?: { topic: string; payload: string } }): Promise<MqttClient>;
  socket(token?: string | null): Socket<ServerToClientEvents, ClientToServerEvents>;
  restart(): Promise<void>;
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}, opts: { dataDir?: string } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ecmo-test-'));
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    MQTT_PORT: '0',
    DATA_DIR: dataDir,
    ADMIN_PASSWORD,
    DEVICE_PASSWORD,
    ...env,
  });
  const clients: { end(force?: boolean): unknown }[] = [];
  const sockets: Socket[] = [];
  let server = await startServer(config, { log: pino({ level: 'silent' }) });

  const t: TestServer = {
    server,
    dataDir,
    url: server.httpUrl,
    mqttUrl: config.MQTT_URL ?? server.mqttUrl!,
    token: '',
    async api<T>(path: string, init: RequestInit = {}) {
      const res = await fetch(t.url + path, {
        ...init,
        headers: {
          'content-type': 'application/json',
          ...(t.token ? { authorization: `Bearer ${t.token}` } : {}),
          ...(init.headers ?? {}),
        },
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: body as T };
    },
    async device(o = {}) {
      const c = await mqtt.connectAsync(t.mqttUrl, {
        username: env.MQTT_USERNAME ?? 'device',
        password: env.MQTT_PASSWORD ?? DEVICE_PASSWORD,
        clientId: o.clientId,
        will: o.will ? { topic: o.will.topic, payload: Buffer.from(o.will.payload), qos: 1, retain: true } : undefined,
        reconnectPeriod: 0,
      });
      clients.push(c);
      return c;
    },
    socket(token = t.token) {
      const s = io(t.url, { auth: token === null ? {} : { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(s);
      return s;
    },
    async restart() {
      await server.stop();
      server = await startServer(
        { ...config, PORT: new URL(t.url).port as unknown as number, MQTT_PORT: server.mqttPort ?? 0 },
        { log: pino({ level: 'silent' }) },
      );
      t.server = server;
      t.url = server.httpUrl;
      if (!config.MQTT_URL) t.mqttUrl = server.mqttUrl!;
    },
    async stop(o = {}) {
      for (const s of sockets) s.disconnect();
      await Promise.all(clients.map((c) => Promise.resolve(c.end(true))));
      await server.stop();
      if (!o.keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const login = await t.api<{ token: string }>('/api/login', {
    method: 'POST',
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  t.token = login.body.token;
  return t;
}

/** Polls until `fn` returns a truthy value (for state reached through asynchronous I/O). */
export async function until<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const start = Date.now();
  let last: T | undefined;
  while (Date.now() - start < timeoutMs) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`);
}

/** Resolves with the first event of `name` that satisfies `pred`. */
export function nextEvent<T>(socket: Socket, name: string, pred: (x: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(name, on);
      reject(new Error(`no ${name} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (x: T) => {
      if (!pred(x)) return;
      clearTimeout(timer);
      socket.off(name, on);
      resolve(x);
    };
    socket.on(name, on);
  });
}
