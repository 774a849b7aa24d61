// TLS: with TLS_CERT and TLS_KEY the server speaks HTTPS (REST, dashboard, Socket.IO) and its
// embedded broker MQTTS; a device and a client that trust the certificate get through, others not. The certificate is made here with openssl for 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { until } from './helpers/server.js';

const dir = mkdtempSync(join(tmpdir(), 'ecmo-tls-'));
let server: RunningServer | null = null;
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function https<T>(
  url: string,
  ca: Buffer,
  init: { method?: string; body?: string; token?: string } = {},
): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: init.method ?? 'GET',
        ca,
        headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('TLS', () => {
  it('serves REST over HTTPS and takes device data over MQTTS from clients that trust its certificate', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const ca = readFileSync(cert);
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      MQTT_PORT: '0',
      DATA_DIR: join(dir, 'data'),
      ADMIN_PASSWORD: 'tls-admin-pw',
      DEVICE_PASSWORD: 'tls-device-pw',
      TLS_CERT: cert,
      TLS_KEY: key,
    });
    server = await startServer(config, { log: pino({ level: 'silent' }) });
    expect(server.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.mqttUrl).toMatch(/^mqtts:\/\//);

    const health = await https<{ status: string; broker: string }>(`${server.httpUrl}/api/health`, ca);
    expect(health.body).toMatchObject({ status: 'ok', broker: 'connected' });
    const login = await https<{ token: string }>(`${server.httpUrl}/api/login`, ca, {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: 'tls-admin-pw' }),
    });
    const dev = await mqtt.connectAsync(server.mqttUrl!, { username: 'device', password: 'tls-device-pw', ca, reconnectPeriod: 0 });
    await dev.publishAsync('icu/tls1/monitor/numerics', JSON.stringify({ ts: Date.now(), values: { hr: 131 } }), { qos: 1 });
    await dev.endAsync();
    await until(async () => {
      const bed = await https<{ latest?: { hr?: { value: number } } }>(`${server!.httpUrl}/api/beds/tls1`, ca, { token: login.body.token });
      return bed.body.latest?.hr?.value === 131;
    }, 'the device value over MQTTS');

    // A client that does not trust the certificate is refused.
    await expect(https(`${server.httpUrl}/api/health`, Buffer.from(''))).rejects.toThrow();
  });
});
