import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskMonitor } from './disk-monitor.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the disk monitor', () => {
  it('measures the file system of the directory and the recording files, and the growth once half an hour is known', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecmo-disk-'));
    dirs.push(dir);
    const db = join(dir, 'recording.sqlite');
    writeFileSync(db, Buffer.alloc(10_000));
    let now = 1_800_000_000_000;
    const m = new DiskMonitor({
      dir,
      files: [db, `${db}-wal`], // no WAL yet: counts 0
      now: () => now,
      thresholds: { degradedDays: 7, degradedFreePct: 0 },
    });
    expect(m.status()).toEqual({ figures: null, reasons: [] });
    await m.measure();
    const first = m.status().figures!;
    expect(first.recordingBytes).toBe(10_000);
    expect(first.totalBytes).toBeGreaterThan(0);
    expect(first.freeBytes).toBeGreaterThan(0);
    expect(first.growthBytesPerDay).toBeNull();
    // The recording grows 1 MB a minute for half an hour: a day's growth of 1.44 GB.
    for (let minute = 1; minute <= 30; minute++) {
      now += 60_000;
      writeFileSync(db, Buffer.alloc(10_000 + minute * 1_000_000));
      await m.measure();
    }
    const after = m.status().figures!;
    expect(after.recordingBytes).toBe(30_010_000);
    expect(after.growthBytesPerDay).toBe(1_440_000_000);
    expect(after.daysLeft).toBeCloseTo(after.freeBytes / 1.44e9, 1);
    // Days left are measured against DATA_DIR's real disk: degraded only if it holds less than a week of that.
    expect(m.status().reasons.length).toBe(after.daysLeft! < 7 ? 1 : 0);
  });

  it('reports a failure once, keeps the last figures, and reports again after a success and a new failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecmo-disk-'));
    dirs.push(dir);
    const errors: unknown[] = [];
    let target = join(dir, 'missing');
    const m = new DiskMonitor({
      get dir() {
        return target;
      },
      files: [],
      now: () => 0,
      thresholds: { degradedDays: 7, degradedFreePct: 5 },
      onError: (e) => errors.push(e),
    });
    await m.measure();
    await m.measure();
    expect(errors).toHaveLength(1);
    expect(m.status().figures).toBeNull();
    target = dir;
    await m.measure();
    expect(m.status().figures?.recordingBytes).toBe(0);
    target = join(dir, 'gone');
    await m.measure();
    expect(errors).toHaveLength(2);
    expect(m.status().figures?.recordingBytes).toBe(0);
  });
});
