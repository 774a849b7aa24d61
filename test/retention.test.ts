// Retention and disk use through the real server: a recording with weeks behind it (written into the
// same SQLite file by a second connection, as a server running that long would have) loses its old
// waveforms and samples in a pruning pass, keeps the study record (events, alarms, audit) and the
// per-minute aggregates that long trends read, and health and /metrics report the disk.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm, HealthAnswer, TimelineEvent } from '../shared/protocol.js';
import { SqliteRecorder } from '../server/record/sqlite.js';
import { startTestServer, until, type TestServer } from './helpers/server.js';

const DAY = 86_400_000;
const BED = 'bed-ret';

describe('retention in a running server', () => {
  let t: TestServer;
  const now = Date.now();
  /** Ten days ago, on a whole minute: older than every retention configured here. */
  const old = Math.floor((now - 10 * DAY) / 60_000) * 60_000;
  /** 23 hours ago: older than RETENTION_WAVEFORM_DAYS would allow if it were hours, but inside the floor of a day. */
  const lastDay = now - 23 * 3600_000;
  const seconds = [0, 1, 2];

  beforeAll(async () => {
    t = await startTestServer({ RETENTION_WAVEFORM_DAYS: '1', RETENTION_SAMPLES_DAYS: '2' });
    // A live message brings the bed into care.
    const device = await t.device();
    await device.publishAsync(`icu/${BED}/monitor/numerics`, JSON.stringify({ ts: now, values: { hr: 101 } }), { qos: 1 });
    await until(async () => (await t.api(`/api/beds/${BED}`)).status === 200, 'the bed in care');

    // The past of this bed, as a server that ran for ten days recorded it.
    const past = new SqliteRecorder(t.dataDir);
    for (const s of seconds) {
      for (const signal of ['abp', 'pleth']) {
        past.addWaveform({ bedId: BED, signal, ts: old + s * 1000, rateHz: 125, samples: [80, 81, 82] });
        past.addWaveform({ bedId: BED, signal, ts: lastDay + s * 1000, rateHz: 125, samples: [80, 81, 82] });
      }
      past.addMeasurement({ bedId: BED, feed: 'monitor', ts: old + s * 1000, values: [{ signal: 'hr', value: 80 + s }] });
      past.addMeasurement({ bedId: BED, feed: 'lab', ts: old + s * 1000, values: [{ signal: 'lab.arterial.lactate', value: 4.2 }] });
    }
    await past.addEvent(
      { bedId: BED, type: 'shock_recognized', ts: old, note: 'ten days ago', by: 'ann', source: 'manual', status: 'confirmed' },
      old,
    );
    const alarm: Alarm = {
      id: `${BED}:hypotension:${old}`,
      bedId: BED,
      key: 'hypotension',
      kind: 'physiological',
      priority: 'high',
      message: 'MAP 38 mmHg, below 45 mmHg',
      value: 38,
      limit: 45,
      state: 'cleared',
      latched: false,
      raisedAt: old,
      clearedAt: old + 60_000,
      ackedBy: null,
      ackedAt: null,
    };
    await past.saveAlarm({ ...alarm, state: 'active', clearedAt: null }, old);
    await past.saveAlarm(alarm, old + 60_000);
    await past.audit({ at: old, username: 'ann', action: 'patient.set', target: BED });
    await past.close();
  }, 30_000);
  afterAll(async () => t?.stop());

  const count = (sql: string, ...args: unknown[]): number => {
    const db = new Database(join(t.dataDir, 'recording.sqlite'), { readonly: true });
    try {
      return (db.prepare(sql).get(...args) as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('removes old waveforms and samples in a pass, and nothing of the last day', async () => {
    expect(count('SELECT COUNT(*) AS n FROM waveforms WHERE bed_id = ? AND ts < ?', BED, now - DAY)).toBe(6);
    const rows = await t.server.prune();
    expect(rows).toMatchObject({ waveforms: 6, samples: 3, lab: 0, aggregates: 0 });
    expect(count('SELECT COUNT(*) AS n FROM waveforms WHERE bed_id = ? AND ts < ?', BED, now - DAY)).toBe(0);
    // Waveforms of 23 h ago stay: nothing of the last day goes, whatever the configuration.
    expect(count('SELECT COUNT(*) AS n FROM waveforms WHERE bed_id = ? AND ts >= ?', BED, now - DAY)).toBe(6);
    expect(count('SELECT COUNT(*) AS n FROM monitor_samples WHERE bed_id = ? AND ts < ?', BED, now - DAY)).toBe(0);
    expect(count('SELECT COUNT(*) AS n FROM monitor_samples WHERE bed_id = ?', BED)).toBe(1); // the live message
    // Lab results are kept forever by default.
    expect(count('SELECT COUNT(*) AS n FROM lab_samples WHERE bed_id = ?', BED)).toBe(3);
    // A second pass finds nothing left to remove.
    expect(Object.values(await t.server.prune()).every((n) => n === 0)).toBe(true);
  });

  it('keeps the timeline, the alarms with their life, and the audit log', async () => {
    const events = await t.api<TimelineEvent[]>(`/api/beds/${BED}/events`);
    expect(events.body.map((e) => [e.type, e.ts, e.note])).toEqual([['shock_recognized', old, 'ten days ago']]);
    const alarms = await t.api<Alarm[]>(`/api/alarms?bed=${BED}`);
    expect(alarms.body.map((a) => [a.key, a.raisedAt, a.clearedAt])).toEqual([['hypotension', old, old + 60_000]]);
    expect(count('SELECT COUNT(*) AS n FROM alarm_log WHERE alarm_id = ?', `${BED}:hypotension:${old}`)).toBe(2);
    const audit = await t.api<{ at: number; action: string; target: string }[]>('/api/audit?limit=5000');
    expect(audit.body.some((a) => a.at === old && a.action === 'patient.set' && a.target === BED)).toBe(true);
  });

  it('answers a long trend from the per-minute aggregates where the samples were pruned', async () => {
    const from = old - 3600_000;
    const h = await t.api<{ stepS: number; t: number[]; series: { hr: (number | null)[] } }>(
      `/api/beds/${BED}/history?keys=hr&from=${from}&to=${now}`,
    );
    expect(h.status).toBe(200);
    expect(h.body.stepS % 60).toBe(0);
    const i = h.body.t.findIndex((x, k) => x <= old && old < (h.body.t[k + 1] ?? Infinity));
    expect(h.body.series.hr[i]).toBeCloseTo(81); // the mean of 80, 81, 82: the raw rows are gone
    // A fine step reads the samples themselves: there, the pruned past is empty.
    const fine = await t.api<{ series: { hr: (number | null)[] } }>(
      `/api/beds/${BED}/history?keys=hr&from=${old}&to=${old + 10_000}&stepS=1`,
    );
    expect(fine.body.series.hr.every((v) => v === null)).toBe(true);
  });

  it('counts what was pruned in /metrics, with the disk figures', async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toMatch(/^ecmo_retention_pruned_rows_total\{kind="waveforms"\} 6$/m);
    expect(text).toMatch(/^ecmo_retention_pruned_rows_total\{kind="samples"\} 3$/m);
    expect(text).toMatch(/^ecmo_retention_passes_total [1-9]\d*$/m);
    expect(text).toMatch(/^ecmo_disk_free_bytes \d+$/m);
    expect(text).toMatch(/^ecmo_disk_total_bytes \d+$/m);
    expect(text).toMatch(/^ecmo_recording_bytes [1-9]\d*$/m);
    // Minutes after start the growth is not known yet: not a number (prom-client writes `Nan`).
    expect(text).toMatch(/^ecmo_recording_growth_bytes_per_day nan$/im);
    expect(text).toMatch(/^ecmo_disk_days_left nan$/im);
  });

  it('reports the disk in health: free and total bytes, the recording, and no rate yet', async () => {
    await t.server.measureDisk();
    const h = await t.api<HealthAnswer>('/api/health');
    expect(h.status).toBe(200);
    expect(h.body.status).toBe('ok');
    const d = h.body.disk!;
    expect(d.totalBytes).toBeGreaterThan(0);
    expect(d.freeBytes).toBeGreaterThan(0);
    expect(d.freeBytes).toBeLessThanOrEqual(d.totalBytes);
    expect(d.recordingBytes).toBeGreaterThan(4096);
    expect(d.growthBytesPerDay).toBeNull();
    expect(d.daysLeft).toBeNull();
  });
});

describe('a disk nearly full', () => {
  let t: TestServer;
  beforeAll(async () => {
    // No disk is 100 % free: this threshold always says the disk is too full.
    t = await startTestServer({ DISK_DEGRADED_FREE_PCT: '100' });
  });
  afterAll(async () => t?.stop());

  it('makes health degraded (503) with the free share in words', async () => {
    const h = await t.api<HealthAnswer>('/api/health');
    expect(h.status).toBe(503);
    expect(h.body.status).toBe('degraded');
    expect(h.body.reasons.join('; ')).toMatch(/^disk: \d+(\.\d)? % free \(.+ of .+\)$/);
    expect(h.body.disk?.freeBytes).toBeGreaterThan(0);
  });
});
