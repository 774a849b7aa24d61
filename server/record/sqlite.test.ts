import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHECKPOINT_MS } from './checkpoint.js';
import { FEED_TABLES } from './measurements.js';
import { MIGRATIONS } from './migrations.js';
import { SqliteRecorder } from './sqlite.js';

let dir: string;
let rec: SqliteRecorder;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecmo-rec-'));
  rec = new SqliteRecorder(dir);
});
afterEach(async () => {
  try {
    await rec.close();
  } catch {
    /* closed by the test */
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite recorder', () => {
  it('has a column for every catalogue key of every feed (a new key needs a migration)', async () => {
    for (const { table, keys } of Object.values(FEED_TABLES)) {
      const cols = (rec.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      for (const k of keys) expect(cols, `${table}.${k}`).toContain(k);
    }
  });

  it('keeps a sensor reported off (null) apart from a key the message did not carry', async () => {
    rec.addMeasurement({
      bedId: 'b',
      feed: 'monitor',
      ts: 1000,
      values: [
        { signal: 'hr', value: 90 },
        { signal: 'cvp', value: null },
      ],
    });
    await rec.flush();
    expect(await rec.samples('b', ['hr', 'cvp', 'map'], 0, 2000)).toEqual([
      { bedId: 'b', signal: 'hr', ts: 1000, value: 90, source: 'monitor' },
      { bedId: 'b', signal: 'cvp', ts: 1000, value: null, source: 'monitor' },
    ]);
  });

  it('records lab values by site and reads them back under their signal names', async () => {
    rec.addMeasurement({
      bedId: 'b',
      feed: 'lab',
      ts: 5000,
      values: [
        { signal: 'lab.arterial.lactate', value: 4.2 },
        { signal: 'lab.arterial.ph', value: 7.31 },
      ],
    });
    rec.addMeasurement({ bedId: 'b', feed: 'lab', ts: 5000, values: [{ signal: 'lab.post-oxygenator.po2', value: 310 }] });
    expect(
      (await rec.samples('b', ['lab.arterial.lactate', 'lab.venous.lactate', 'lab.post-oxygenator.po2'], 0, 9999)).map((r) => [
        r.signal,
        r.value,
      ]),
    ).toEqual([
      ['lab.arterial.lactate', 4.2],
      ['lab.post-oxygenator.po2', 310],
    ]);
    expect((await rec.recentSamples('b', 'lab', 0, 9999)).map((r) => r.signal).sort()).toEqual([
      'lab.arterial.lactate',
      'lab.arterial.ph',
      'lab.post-oxygenator.po2',
    ]);
  });

  it('stores a replayed message once', async () => {
    for (let i = 0; i < 3; i++) rec.addMeasurement({ bedId: 'b', feed: 'ecmo', ts: 7000, values: [{ signal: 'flow', value: 1.5 }] });
    expect(await rec.samples('b', ['flow'], 0, 9999)).toHaveLength(1);
  });

  it('migrates an older recording in place and refuses one newer than the program', async () => {
    rec.addMeasurement({ bedId: 'b', feed: 'ecmo', ts: 7000, values: [{ signal: 'flow', value: 1.5 }] });
    await rec.close();
    const again = new SqliteRecorder(dir);
    expect(await again.samples('b', ['flow'], 0, 9999)).toHaveLength(1);
    await again.close();
    const db = new Database(join(dir, 'recording.sqlite'));
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new SqliteRecorder(dir)).toThrow(/newer than this program/);
  });

  it('keeps queued rows when a flush fails and writes them on the next one', async () => {
    const errors: unknown[] = [];
    await rec.close();
    rec = new SqliteRecorder(dir, (e) => errors.push(e));
    rec.addMeasurement({ bedId: 'b', feed: 'ecmo', ts: 1, values: [{ signal: 'flow', value: 1 }] });
    rec.db.pragma('query_only = ON'); // writes fail, as on a full or read-only disk
    await rec.flush();
    expect(errors).toHaveLength(1);
    expect(rec.pending()).toBe(1);
    expect(rec.writeHealth()).toMatchObject({ failing: true, pendingRows: 1 });
    expect(rec.writeHealth().lastError).toMatch(/readonly|query_only|attempt to write/i);
    rec.db.pragma('query_only = OFF');
    await rec.flush();
    expect(rec.pending()).toBe(0);
    expect(rec.writeHealth()).toEqual({ failing: false, pendingRows: 0, droppedRows: 0, lastError: null });
    expect(await rec.samples('b', ['flow'], 0, 10)).toHaveLength(1);
  });
});

describe('a recording that cannot write', () => {
  it('keeps at most its bound of rows in memory, counts what it could not keep, and says so when closed', async () => {
    await rec.close();
    rec = new SqliteRecorder(dir, () => undefined, 3);
    rec.db.pragma('query_only = ON');
    for (let i = 0; i < 5; i++) rec.addMeasurement({ bedId: 'b', feed: 'ecmo', ts: i, values: [{ signal: 'flow', value: 1 }] });
    await rec.flush();
    expect(rec.writeHealth()).toMatchObject({ failing: true, pendingRows: 3, droppedRows: 2 });
    await rec.close();
    expect(rec.writeHealth().pendingRows).toBe(3); // still unwritten: the server's stop reports it and exits non-zero
  });
});

describe('derived values in the recording', () => {
  const dv = (value: number | null, quality: 'ok' | 'stale' | 'assumed' | 'missing') => ({ value, unit: '', ts: 0, quality });

  it('keeps each second’s derived values with their quality, readable like measured signals, and survives reopening', async () => {
    rec.addDerived({ bedId: 'b', ts: 1000, values: { vis: dv(12.5, 'ok'), do2i: dv(null, 'missing'), dpOxy: dv(30, 'stale') } });
    rec.addDerived({ bedId: 'b', ts: 2000, values: { vis: dv(15, 'ok') } });
    expect((await rec.samples('b', ['vis', 'do2i'], 0, 5000)).map((r) => [r.signal, r.ts, r.value])).toEqual([
      ['vis', 1000, 12.5],
      ['vis', 2000, 15],
      ['do2i', 1000, null],
      ['do2i', 2000, null],
    ]);
    await rec.close();
    rec = new SqliteRecorder(dir);
    const row = rec.db.prepare('SELECT quality, vis, dpOxy FROM derived_samples WHERE bed_id = ? AND ts = ?').get('b', 1000) as {
      quality: string;
      vis: number;
      dpOxy: number;
    };
    expect(row.vis).toBe(12.5);
    expect(row.dpOxy).toBe(30);
    // One letter per column in DERIVED_COLUMNS order: dpOxy (12th) stale, do2i (7th) missing, vis (17th) ok.
    expect(row.quality[11]).toBe('s');
    expect(row.quality[6]).toBe('m');
    expect(row.quality[16]).toBe('o');
  });
});

describe('per-minute aggregates for long trends', () => {
  it('are filled from the rows already there when an older recording is upgraded', async () => {
    await rec.close();
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'ecmo-rec-'));
    const db = new Database(join(dir, 'recording.sqlite'));
    for (const m of MIGRATIONS.slice(0, 4)) db.exec(m);
    db.pragma('user_version = 4');
    db.prepare('INSERT INTO monitor_samples (bed_id, ts, present, hr, map) VALUES (?, ?, ?, ?, ?)').run('old', 120_000, 0b1001, 100, 60);
    db.prepare('INSERT INTO monitor_samples (bed_id, ts, present, hr, map) VALUES (?, ?, ?, ?, ?)').run('old', 150_000, 0b1001, 110, null);
    db.prepare('INSERT INTO lab_samples (bed_id, site, ts, present, lactate) VALUES (?, ?, ?, ?, ?)').run(
      'old',
      'arterial',
      130_000,
      1,
      3.5,
    );
    db.close();
    rec = new SqliteRecorder(dir);
    expect(await rec.minuteAggregates('old', ['hr', 'map', 'lab.arterial.lactate'], 0, 10)).toEqual([
      { bedId: 'old', signal: 'hr', minute: 2, n: 2, sum: 210, min: 100, max: 110 },
      { bedId: 'old', signal: 'map', minute: 2, n: 1, sum: 60, min: 60, max: 60 },
      { bedId: 'old', signal: 'lab.arterial.lactate', minute: 2, n: 1, sum: 3.5, min: 3.5, max: 3.5 },
    ]);
    // and the old rows are still there
    expect((await rec.samples('old', ['hr'], 0, 200_000)).map((s) => s.value)).toEqual([100, 110]);
  });
});

describe('checkpoints', () => {
  it('are run by a thread of their own once device data is written, not by the event loop', async () => {
    const file = join(dir, 'recording.sqlite');
    const before = statSync(file).size;
    // A few pages in the log: far below the 1000 pages at which a commit would checkpoint itself.
    for (let i = 0; i < 200; i++)
      rec.addMeasurement({ bedId: 'b', feed: 'ecmo', ts: 1000 + i * 1000, values: [{ signal: 'flow', value: 2 }] });
    await rec.flush();
    await until(() => rec.db.pragma('wal_autocheckpoint', { simple: true }) === 0, 'the checkpoint thread is ready');
    // Its next checkpoint copies the log into the database file.
    await until(() => statSync(file).size > before, 'the database file has the rows', CHECKPOINT_MS * 5);
    expect(await rec.samples('b', ['flow'], 0, 1e6)).toHaveLength(200);
  });

  it('are the connection’s own again once the thread has ended', async () => {
    await rec.flush();
    rec.addMeasurement({ bedId: 'b', feed: 'ecmo', ts: 1, values: [{ signal: 'flow', value: 2 }] });
    await rec.flush();
    await until(() => rec.db.pragma('wal_autocheckpoint', { simple: true }) === 0, 'the checkpoint thread is ready');
    await rec.close();
    const reopened = new Database(join(dir, 'recording.sqlite'));
    // Closed cleanly: the log was copied in and removed, nothing left to recover.
    expect(existsSync(join(dir, 'recording.sqlite-wal'))).toBe(false);
    expect(reopened.prepare('SELECT COUNT(*) AS n FROM ecmo_samples').get()).toEqual({ n: 1 });
    reopened.close();
  });
});

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
