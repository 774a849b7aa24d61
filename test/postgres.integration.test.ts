// The real server recording into a real PostgreSQL (DATABASE_URL): device messages over MQTT and
// timeline events over REST read back after a restart; a database that cannot be reached refuses
// the start; and two servers on one Mosquitto recording the same bed into one database store each
// message once, and one of them may stop without a gap — or be killed with SIGKILL mid-stream.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../shared/protocol.js';
import { ConfigError, loadConfig } from '../server/config.js';
import { startServerProcess, stopServerProcess, type ServerProcess } from './helpers/child-server.js';
import { startMosquitto } from './helpers/mosquitto.js';
import { startPostgres, type Postgres } from './helpers/postgres.js';
import { startTestServer, until, type TestServer } from './helpers/server.js';

let pgs: Postgres;
beforeAll(async () => {
  pgs = await startPostgres();
});
afterAll(async () => {
  await pgs?.stop();
});

type History = { t: number[]; series: Record<string, (number | null)[]> };
const MIN = 60_000;

async function count(url: string, sql: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query<{ n: string }>(sql)).rows[0].n);
  } finally {
    await c.end();
  }
}

describe('the server recording into PostgreSQL', () => {
  it('records device messages and timeline events there and reads them back over REST after a restart', async () => {
    const url = await pgs.createDatabase();
    const t = await startTestServer({ DATABASE_URL: url });
    try {
      const dev = await t.device();
      const t0 = Math.floor(Date.now() / MIN) * MIN - 5 * MIN; // two whole minutes of data, five minutes ago
      for (let i = 0; i < 120; i++) {
        await dev.publishAsync('icu/pg1/monitor/numerics', JSON.stringify({ ts: t0 + i * 1000, values: { hr: 100 + (i % 5) } }), {
          qos: 1,
        });
      }
      await dev.publishAsync('icu/pg1/ecmo/numerics', JSON.stringify({ ts: t0 + 30_000, values: { flow: 2.4, pVen: -40 } }), { qos: 1 });
      await dev.publishAsync('icu/pg1/lab/result', JSON.stringify({ ts: t0, site: 'arterial', values: { lactate: 4.2 } }), { qos: 1 });
      const history = (path: string) => t.api<History>(`/api/beds/pg1/history?${path}`);
      await until(
        async () =>
          (await history(`keys=hr&from=${t0}&to=${t0 + 2 * MIN - 1}&stepS=1`)).body.series?.hr?.filter((v) => v !== null).length === 120,
        'the 120 monitor messages in the history',
      );
      const posted = await t.api<TimelineEvent>('/api/beds/pg1/events', {
        method: 'POST',
        body: JSON.stringify({ type: 'shock_recognized', ts: t0, note: 'in the emergency department' }),
      });
      expect(posted.status).toBe(201);

      await t.restart();

      expect((await t.api<{ bedId: string }[]>('/api/beds')).body.map((b) => b.bedId)).toContain('pg1');
      const raw = await history(`keys=hr,flow,pVen,lab.arterial.lactate&from=${t0}&to=${t0 + 2 * MIN - 1}&stepS=1`);
      expect(raw.status).toBe(200);
      expect(raw.body.series.hr.filter((v) => v !== null)).toEqual(Array.from({ length: 120 }, (_, i) => 100 + (i % 5)));
      expect(raw.body.series.flow.filter((v) => v !== null)).toEqual([2.4]);
      expect(raw.body.series.pVen.filter((v) => v !== null)).toEqual([-40]);
      expect(raw.body.series['lab.arterial.lactate'].filter((v) => v !== null)).toEqual([4.2]);
      // Whole-minute steps read the per-minute aggregates: each minute's mean of 60 messages.
      const minutes = await history(`keys=hr&from=${t0}&to=${t0 + 2 * MIN - 1}&stepS=60`);
      expect(minutes.body.series.hr).toEqual([102, 102]);
      const events = await t.api<TimelineEvent[]>('/api/beds/pg1/events');
      expect(events.body).toMatchObject([{ type: 'shock_recognized', ts: t0, note: 'in the emergency department', by: 'admin' }]);
      // Nothing of it went to SQLite.
      expect(existsSync(join(t.dataDir, 'recording.sqlite'))).toBe(false);
      expect(await count(url, 'SELECT COUNT(*) AS n FROM monitor_samples')).toBe(120);
    } finally {
      await t.stop();
      await pgs.dropDatabase(url);
    }
  });

  it('refuses to start when the database cannot be reached, saying which (without its password)', async () => {
    const err = await startTestServer({ DATABASE_URL: 'postgres://ecmo:secret-pw@127.0.0.1:1/ecmo' }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(
      /^cannot open the PostgreSQL recording postgres:\/\/ecmo:\*\*\*@127\.0\.0\.1:1\/ecmo \(DATABASE_URL\): .*ECONNREFUSED/,
    );
    expect(err?.message).not.toContain('secret-pw');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/ecmo' })).toThrow(ConfigError);
  });

  it('stores each message once when two servers on one Mosquitto record the same bed, and goes on when one stops', async () => {
    const mosq = await startMosquitto({ server: 'server-pw' });
    const url = await pgs.createDatabase();
    const env = { MQTT_URL: mosq.url, MQTT_USERNAME: 'server', MQTT_PASSWORD: 'server-pw', DATABASE_URL: url };
    const servers: TestServer[] = [];
    try {
      servers.push(await startTestServer(env), await startTestServer(env));
      const [one, two] = servers;
      const dev = await one.device();
      const t0 = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;
      const publish = async (from: number, to: number) => {
        for (let i = from; i < to; i++)
          await dev.publishAsync('icu/aa1/monitor/numerics', JSON.stringify({ ts: t0 + i * 1000, values: { hr: 80 + (i % 3) } }), {
            qos: 1,
          });
      };
      const latestTs = async (s: TestServer) => (await s.api<{ latest?: { hr?: { ts: number } } }>('/api/beds/aa1')).body.latest?.hr?.ts;
      await publish(0, 150);
      for (const s of servers) await until(async () => (await latestTs(s)) === t0 + 149_000, 'both servers have every message', 10_000);
      await two.stop(); // one of the pair goes away
      servers.pop();
      await publish(150, 240);
      await until(async () => (await latestTs(one)) === t0 + 239_000, 'the remaining server has the later messages', 10_000);
      await one.stop(); // everything written
      servers.pop();
      expect(await count(url, 'SELECT COUNT(*) AS n FROM monitor_samples')).toBe(240);
      expect(await count(url, `SELECT SUM(n) AS n FROM minute_aggregates WHERE signal = 'hr'`)).toBe(240);
      expect(await count(url, `SELECT SUM(sum) AS n FROM minute_aggregates WHERE signal = 'hr'`)).toBe(240 * 81);
    } finally {
      for (const s of servers) await s.stop();
      await mosq.stop();
      await pgs.dropDatabase(url);
    }
  });
  it('loses no recorded sample when one of an active-active pair is killed with SIGKILL mid-stream', async () => {
    const mosq = await startMosquitto({ server: 'server-pw', device: 'device-pw' });
    const url = await pgs.createDatabase();
    const env = (dir: string) => ({
      MQTT_URL: mosq.url,
      MQTT_USERNAME: 'server',
      MQTT_PASSWORD: 'server-pw',
      DATABASE_URL: url,
      ADMIN_PASSWORD: 'pair-admin-pw',
      // Each its own directory: its own MQTT client id, so both subscriptions get every message.
      DATA_DIR: mkdtempSync(join(tmpdir(), `ecmo-pair-${dir}-`)),
    });
    const servers: ServerProcess[] = [];
    const N = 600;
    try {
      servers.push(await startServerProcess(env('a')), await startServerProcess(env('b')));
      const [killed, survivor] = servers;
      const dev = await mqtt.connectAsync(mosq.url, { username: 'device', password: 'device-pw', clientId: 'pair-monitor' });
      const t0 = Math.floor(Date.now() / MIN) * MIN - 20 * MIN;
      for (let i = 0; i < N; i++) {
        // Halfway, one instance dies at once: whatever it held in memory is gone with it.
        if (i === N / 2) killed.proc.kill('SIGKILL');
        await dev.publishAsync('icu/kk1/monitor/numerics', JSON.stringify({ ts: t0 + i * 1000, values: { hr: 80 + (i % 3) } }), { qos: 1 });
      }
      await dev.endAsync();
      await until(async () => (await count(url, 'SELECT COUNT(*) AS n FROM monitor_samples')) === N, 'every message recorded once', 20_000);
      await stopServerProcess(survivor);
      expect(await count(url, 'SELECT COUNT(*) AS n FROM monitor_samples')).toBe(N);
      expect(await count(url, 'SELECT COUNT(DISTINCT ts) AS n FROM monitor_samples')).toBe(N);
      expect(await count(url, `SELECT SUM(n) AS n FROM minute_aggregates WHERE signal = 'hr'`)).toBe(N);
      expect(await count(url, `SELECT SUM(sum) AS n FROM minute_aggregates WHERE signal = 'hr'`)).toBe(N * 81);
    } finally {
      for (const s of servers) await stopServerProcess(s);
      await mosq.stop();
      await pgs.dropDatabase(url);
    }
  });
});
