// The periodic tick spends itself on beds whose values can still change: a bed whose devices have
// sent nothing for two minutes (its device alarms long raised, its values stale) is ticked every
// 10 s instead of every second. Seen in what the tick records: the bed's derived values, once a
// second while its devices talk, once every 10 s once it is quiet. The real server on a virtual
// clock (manual ticks), a real device over the embedded broker, the recording read over REST.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { until } from './helpers/server.js';
import { loginToken } from './helpers/login.js';

const ADMIN_PASSWORD = 'quiet-admin-pw';
const dataDir = mkdtempSync(join(tmpdir(), 'ecmo-quiet-'));
let server: RunningServer | null = null;
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('quiet beds', () => {
  it('are ticked every 10 s once their devices have been silent for two minutes', async () => {
    let clock = Math.floor(Date.now() / 60_000) * 60_000 - 3600_000;
    const t0 = clock;
    const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', MQTT_PORT: '0', DATA_DIR: dataDir, SIM_BEDS: '0', ADMIN_PASSWORD });
    server = await startServer(config, { now: () => clock, manualTick: true, log: pino({ level: 'silent' }) });
    const http = server.httpUrl;
    const token = await loginToken(http, 'admin', ADMIN_PASSWORD);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    await fetch(`${http}/api/beds/q1/patient`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' }),
    });
    const dev = await mqtt.connectAsync(server.mqttUrl!, { username: 'device', password: server.devicePassword });
    // 60 s of a console talking once a second, then silence for four minutes; a tick every second.
    for (let s = 0; s < 300; s++) {
      if (s < 60) {
        await dev.publishAsync('icu/q1/ecmo/numerics', JSON.stringify({ ts: clock, values: { flow: 2, rpm: 3000 } }), { qos: 1 });
        await until(async () => {
          const r = await fetch(`${http}/api/beds/q1`, { headers: auth });
          return ((await r.json()) as { latest?: { flow?: { ts: number } } }).latest?.flow?.ts === clock;
        }, 'the message taken in');
      }
      server.tick();
      clock += 1000;
    }
    await dev.endAsync();
    const recorded = async (fromS: number, toS: number) => {
      const r = await fetch(`${http}/api/beds/q1/history?keys=flowPerKg&from=${t0 + fromS * 1000}&to=${t0 + toS * 1000 - 1}&stepS=1`, {
        headers: auth,
      });
      return ((await r.json()) as { series: { flowPerKg: (number | null)[] } }).series.flowPerKg.filter((v) => v !== null).length;
    };
    // Talking: one record a second. Quiet (from 60 s of data + 120 s): one every 10 s.
    expect(await recorded(10, 60)).toBe(50);
    expect(await recorded(200, 300)).toBe(10);
  });
});
