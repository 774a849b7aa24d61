// Bounded input from devices: a cap on the number of beds (invented bed IDs are rejected and
// counted), and per-device credentials on the embedded broker that let a device publish only under
// its own bed and device kind. Real server, embedded broker, real MQTT clients.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import type { BedSummary, HealthAnswer } from '../shared/protocol.js';
import { hashPassword } from '../server/auth/passwords.js';
import { startTestServer, until } from './helpers/server.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe('bounded input', () => {
  it('keeps at most MAX_BEDS beds: messages naming further new beds are rejected and counted, REST refuses them too', async () => {
    const t = await startTestServer({ MAX_BEDS: '3' });
    cleanup.push(() => t.stop());
    const dev = await t.device();
    for (let i = 0; i < 6; i++)
      await dev.publishAsync(`icu/cap${i}/monitor/numerics`, JSON.stringify({ ts: Date.now(), values: { hr: 80 + i } }), { qos: 1 });
    const health = await until(async () => {
      const h = (await t.api<HealthAnswer>('/api/health')).body;
      return h.ingest.accepted + h.ingest.rejected.total >= 6 ? h : null;
    }, 'six messages counted');
    expect(health.ingest.rejected.byReason.bed_limit).toBe(3);
    expect((await t.api<BedSummary[]>('/api/beds')).body.map((b) => b.bedId).sort()).toEqual(['cap0', 'cap1', 'cap2']);
    // known beds go on
    await dev.publishAsync('icu/cap1/monitor/numerics', JSON.stringify({ ts: Date.now() + 1, values: { hr: 99 } }), { qos: 1 });
    await until(
      async () => (await t.api<{ latest: { hr?: { value: number } } }>('/api/beds/cap1')).body.latest.hr?.value === 99,
      'cap1 updated',
    );
    const put = await t.api('/api/beds/cap9/patient', {
      method: 'PUT',
      body: JSON.stringify({ weightKg: 10, heightCm: 80, ageMonths: 12, ecmoMode: null }),
    });
    expect(put.status).toBe(409);
  });

  it('lets a device with credentials of its own publish only under its own bed and device kind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecmo-acl-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'devices.json');
    writeFileSync(
      file,
      JSON.stringify([{ username: 'mon-acl1', passwordHash: hashPassword('mon-acl1-secret'), beds: ['acl1'], devices: ['monitor'] }]),
    );
    const t = await startTestServer({ DEVICE_CREDENTIALS: file });
    cleanup.push(() => t.stop());
    const connect = (username: string, password: string) => mqtt.connectAsync(t.mqttUrl, { username, password, reconnectPeriod: 0 });

    const own = await connect('mon-acl1', 'mon-acl1-secret');
    await own.publishAsync('icu/acl1/monitor/numerics', JSON.stringify({ ts: Date.now(), values: { hr: 101 } }), { qos: 1 });
    await until(
      async () => (await t.api<{ latest: { hr?: { value: number } } }>('/api/beds/acl1')).body.latest?.hr?.value === 101,
      'own bed',
    );
    await own.endAsync();
    // A publish outside its ACL: the broker refuses it and closes that connection (MQTT 3.1.1 has no
    // negative acknowledgement); nothing reaches the server.
    for (const topic of ['icu/acl2/monitor/numerics', 'icu/acl1/ecmo/numerics']) {
      const c = await connect('mon-acl1', 'mon-acl1-secret');
      const closed = new Promise<void>((r) => c.once('close', () => r()));
      c.publish(topic, JSON.stringify({ ts: Date.now(), values: { hr: 55, flow: 2 } }), { qos: 0 });
      await closed;
      c.end(true);
    }
    // Its username with the shared device password is refused: only its own password counts.
    await expect(connect('mon-acl1', 'test-device-pw')).rejects.toThrow(/Bad username or password|Not authorized|refused/i);
    // Any other username with the shared password may still publish anywhere (the default).
    const shared = await t.device();
    await shared.publishAsync('icu/acl3/monitor/numerics', JSON.stringify({ ts: Date.now(), values: { hr: 77 } }), { qos: 1 });
    await until(
      async () => (await t.api<{ latest: { hr?: { value: number } } }>('/api/beds/acl3')).body.latest?.hr?.value === 77,
      'shared',
    );
    const beds = (await t.api<BedSummary[]>('/api/beds')).body.map((b) => b.bedId);
    expect(beds).not.toContain('acl2');
    expect((await t.api<{ latest: Record<string, unknown> }>('/api/beds/acl1')).body.latest.flow).toBeUndefined();
  });
});
