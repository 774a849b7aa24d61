// The PostgreSQL recorder against the recorder contract, on a real PostgreSQL started for this file
// (helpers/postgres.ts), each recorder in a database of its own; then what only a shared
// database has: two instances recording the same beds at once.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type Postgres } from './helpers/postgres.js';
import { DERIVED_COLUMNS } from '../server/record/columns.js';
import { FEED_TABLES } from '../server/record/measurements.js';
import { PostgresRecorder } from '../server/record/postgres.js';
import { recorderContract } from '../server/record/recorder.contract.js';
import type { MeasurementRow, Recorder } from '../server/record/recorder.js';

let server: Postgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

const urls = new WeakMap<Recorder, string>();

async function openAt(url: string): Promise<PostgresRecorder> {
  const r = await PostgresRecorder.open(url);
  urls.set(r, url);
  return r;
}

recorderContract('PostgreSQL', {
  async open() {
    return openAt(await server.createDatabase());
  },
  async reopen(closed) {
    await closed.close();
    return openAt(urls.get(closed)!);
  },
  async dispose(r) {
    await r.close();
    await server.dropDatabase(urls.get(r)!);
  },
});

/** Direct SQL on a test database, to see what the recorder stored. */
async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

const T = 1_800_000_000_000; // a whole minute

describe('PostgreSQL recording', () => {
  it('has a column in the migrated schema for every recorded key, and migrates once however often it is opened', async () => {
    const url = await server.createDatabase();
    const [a, b] = await Promise.all([openAt(url), openAt(url)]); // two instances starting together
    await a.close();
    await b.close();
    await (await openAt(url)).close();
    expect(await sql(url, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual([{ version: 1 }]);
    for (const { table, keys } of [...Object.values(FEED_TABLES), { table: 'derived_samples', keys: DERIVED_COLUMNS }]) {
      const columns = (
        await sql<{ column_name: string }>(url, 'SELECT column_name FROM information_schema.columns WHERE table_name = $1', [table])
      ).map((c) => c.column_name);
      for (const k of keys) expect(columns, `${table}.${k}`).toContain(k);
    }
    await server.dropDatabase(url);
  });

  it('refuses a schema newer than this program rather than touch it', async () => {
    const url = await server.createDatabase();
    await (await openAt(url)).close();
    await sql(url, 'INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)');
    await expect(PostgresRecorder.open(url)).rejects.toThrow(/schema version 99 is newer than this program/);
    await server.dropDatabase(url);
  });

  it('says which database it cannot reach, without its password', async () => {
    const url = `postgres://ecmo:secret-pw@127.0.0.1:${server.port}/no_such_database`;
    const err = await PostgresRecorder.open(url).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(
      /^cannot open the PostgreSQL recording postgres:\/\/ecmo:\*\*\*@127\.0\.0\.1:\d+\/no_such_database \(DATABASE_URL\): /,
    );
    expect(err?.message).not.toContain('secret-pw');
  });

  it('keeps device data in memory while the database is away (a bounded queue, drops counted), says so, and writes it when the database is back', async () => {
    const url = await server.createDatabase();
    const r = await PostgresRecorder.open(url, { maxPendingRows: 2 });
    try {
      // Cut every connection of the recorder and refuse new ones: the database is away.
      const name = new URL(url).pathname.slice(1);
      await sql(server.url(), `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await sql(server.url(), 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      // Termination is asynchronous: wait until the recorder's connections are really gone.
      for (let i = 0; i < 100; i++) {
        const [{ n }] = await sql<{ n: string }>(server.url(), 'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (Number(n) === 0) break;
        await new Promise((done) => setTimeout(done, 50));
      }
      for (const [i, hr] of [77, 78, 79].entries())
        r.addMeasurement({ bedId: 'b1', feed: 'monitor', ts: T + i, values: [{ signal: 'hr', value: hr }] });
      await r.flush();
      expect(r.writeHealth()).toMatchObject({ failing: true, pendingRows: 2, droppedRows: 1 });
      expect(r.writeHealth().lastError).toMatch(/not currently accepting connections/);
      const called = await new Promise<boolean>((done) => r.whenWritten(() => done(true))); // live monitoring does not wait
      expect(called).toBe(true);
      await sql(server.url(), `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await r.flush();
      expect(r.writeHealth()).toMatchObject({ failing: false, pendingRows: 0, droppedRows: 1, lastError: null });
      expect((await r.samples('b1', ['hr'], T, T + 2)).map((s) => s.value)).toEqual([77, 78]);
    } finally {
      await r.close();
      await server.dropDatabase(url);
    }
  });

  it('stores each message once and keeps the minute aggregates exact when two instances record the same beds at once', async () => {
    const url = await server.createDatabase();
    const a = await openAt(url);
    const b = await openAt(url);
    try {
      // Three beds, five minutes of monitor, console and lab messages and derived values a second;
      // both instances receive every message (one broker, two subscribers), in batches of their own.
      const messages: MeasurementRow[] = [];
      for (const bedId of ['b1', 'b2', 'b3'])
        for (let s = 0; s < 300; s++) {
          const ts = T + s * 1000;
          messages.push({
            bedId,
            feed: 'monitor',
            ts,
            values: [
              { signal: 'hr', value: 100 + (s % 17) },
              { signal: 'cvp', value: null },
            ],
          });
          messages.push({ bedId, feed: 'ecmo', ts, values: [{ signal: 'flow', value: (s % 7) + 1 }] });
          if (s % 30 === 0) messages.push({ bedId, feed: 'lab', ts, values: [{ signal: 'lab.arterial.lactate', value: s / 30 }] });
        }
      const derived = (bedId: string, s: number) => ({
        bedId,
        ts: T + s * 1000 + 500,
        values: { vis: { value: s % 11, unit: '', ts: T, quality: 'ok' as const } },
      });
      // Interleaved, in chunks of different sizes per instance, flushed concurrently: the same rows
      // reach the database from both sides in overlapping transactions.
      let i = 0;
      let j = 0;
      while (i < messages.length || j < messages.length) {
        const rounds: Promise<void>[] = [];
        for (const m of messages.slice(i, (i += 97))) {
          a.addMeasurement(m);
          if (m.feed === 'monitor') a.addDerived(derived(m.bedId, (m.ts - T) / 1000));
        }
        for (const m of messages.slice(j, (j += 131))) {
          b.addMeasurement(m);
          if (m.feed === 'monitor') b.addDerived(derived(m.bedId, (m.ts - T) / 1000));
        }
        rounds.push(a.flush(), b.flush());
        await Promise.all(rounds);
      }
      // Instance b dies; a goes on alone: nothing missing, nothing twice.
      await b.close();
      a.addMeasurement({ bedId: 'b1', feed: 'monitor', ts: T + 300_000, values: [{ signal: 'hr', value: 60 }] });
      await a.flush();
      expect(a.writeHealth().failing).toBe(false);

      const counts = await sql<{ t: string; n: number }>(
        url,
        `SELECT 'monitor' AS t, COUNT(*)::int AS n FROM monitor_samples UNION ALL SELECT 'ecmo', COUNT(*)::int FROM ecmo_samples
         UNION ALL SELECT 'lab', COUNT(*)::int FROM lab_samples UNION ALL SELECT 'derived', COUNT(*)::int FROM derived_samples`,
      );
      expect(Object.fromEntries(counts.map((c) => [c.t, c.n]))).toEqual({ monitor: 901, ecmo: 900, lab: 30, derived: 900 });
      expect((await a.samples('b1', ['hr'], T, T + 300_000)).length).toBe(301);

      // The aggregates equal what the stored rows give, minute by minute, for every signal.
      const stored = await sql<{ bed_id: string; signal: string; minute: number; n: number; sum: number; min: number; max: number }>(
        url,
        `SELECT bed_id, 'hr' AS signal, (ts / 60000)::int AS minute, COUNT(hr)::int AS n, SUM(hr) AS sum, MIN(hr) AS min, MAX(hr) AS max
           FROM monitor_samples GROUP BY 1, 3
         UNION ALL SELECT bed_id, 'flow', (ts / 60000)::int, COUNT(flow)::int, SUM(flow), MIN(flow), MAX(flow) FROM ecmo_samples GROUP BY 1, 3
         UNION ALL SELECT bed_id, 'lab.arterial.lactate', (ts / 60000)::int, COUNT(lactate)::int, SUM(lactate), MIN(lactate), MAX(lactate)
           FROM lab_samples GROUP BY 1, 3
         UNION ALL SELECT bed_id, 'vis', (ts / 60000)::int, COUNT(vis)::int, SUM(vis), MIN(vis), MAX(vis) FROM derived_samples GROUP BY 1, 3
         ORDER BY 1, 2, 3`,
      );
      const aggregates = await sql<(typeof stored)[number]>(
        url,
        'SELECT bed_id, signal, minute::int AS minute, n::int AS n, sum, min, max FROM minute_aggregates ORDER BY 1, 2, 3',
      );
      expect(aggregates).toEqual(stored);
      // Five minutes of 60 messages per bed and signal (and the one message after): each counted once.
      expect((await a.minuteAggregates('b2', ['hr'], 0, T / 60_000 + 10)).map((m) => m.n)).toEqual([60, 60, 60, 60, 60]);
      expect((await a.minuteAggregates('b1', ['hr'], 0, T / 60_000 + 10)).map((m) => m.n)).toEqual([60, 60, 60, 60, 60, 1]);
    } finally {
      await a.close();
      await b.close();
      await server.dropDatabase(url);
    }
  });

  it('records a device-detected event and an alarm change once when both instances of a pair report them', async () => {
    const url = await server.createDatabase();
    const a = await openAt(url);
    const b = await openAt(url);
    try {
      const cand = {
        bedId: 'b1',
        type: 'ecmo_flow_start' as const,
        ts: T,
        note: null,
        by: 'device',
        source: 'device' as const,
        status: 'candidate' as const,
      };
      const [ea, eb] = await Promise.all([a.addEvent(cand, T + 5), b.addEvent(cand, T + 7)]);
      expect([ea, eb].filter((e) => e !== null)).toHaveLength(1);
      expect((await b.listEvents('b1')).map((e) => e.type)).toEqual(['ecmo_flow_start']);
      const alarm = {
        id: 'b1:lowFlow:1000',
        bedId: 'b1',
        key: 'lowFlow',
        kind: 'physiological' as const,
        priority: 'high' as const,
        message: 'Flow low',
        value: 0.5,
        limit: 1,
        state: 'active' as const,
        latched: false,
        raisedAt: 1000,
        clearedAt: null,
        ackedBy: null,
        ackedAt: null,
      };
      await Promise.all([a.saveAlarm(alarm, 1000), b.saveAlarm(alarm, 1000)]);
      await Promise.all([
        a.saveAlarm({ ...alarm, state: 'cleared', clearedAt: 2000 }, 2000),
        b.saveAlarm({ ...alarm, state: 'cleared', clearedAt: 2000 }, 2000),
      ]);
      expect((await a.alarmLog(alarm.id)).map((l) => [l.at, l.state])).toEqual([
        [1000, 'active'],
        [2000, 'cleared'],
      ]);
      expect((await b.listAlarms({ limit: 10 })).map((x) => [x.id, x.state])).toEqual([[alarm.id, 'cleared']]);
    } finally {
      await a.close();
      await b.close();
      await server.dropDatabase(url);
    }
  });
});
