import { describe, expect, it } from 'vitest';
import { addSample, daysLeft, diskFigures, diskReasons, formatBytes, growthPerDay, type SizeSample } from './disk.js';

const MIN = 60_000;
const HOUR = 3600_000;
const T = 1_800_000_000_000;
const GB = 1e9;

/** A size every minute from T for `minutes`, by a function of the minute. */
function series(minutes: number, bytesAt: (m: number) => number): SizeSample[] {
  return Array.from({ length: minutes + 1 }, (_, m) => ({ atMs: T + m * MIN, bytes: bytesAt(m) }));
}

describe('the growth rate of the recording', () => {
  it('is unknown until the sizes span half an hour', () => {
    const s = series(29, (m) => m * 1e6);
    expect(growthPerDay(s, T + 29 * MIN)).toBeNull();
    expect(
      growthPerDay(
        series(30, (m) => m * 1e6),
        T + 30 * MIN,
      ),
    ).toBeCloseTo(1e6 * 1440, -3);
    expect(growthPerDay([], T)).toBeNull();
    expect(growthPerDay([{ atMs: T, bytes: 1 }], T + HOUR)).toBeNull();
  });

  it('is the steady growth in bytes per day, whatever the sampling', () => {
    // 0.8 GB a day for six beds, sampled every minute for three hours.
    const perMin = (0.8 * GB) / 1440;
    expect(
      growthPerDay(
        series(180, (m) => 5 * GB + m * perMin),
        T + 180 * MIN,
      ),
    ).toBeCloseTo(0.8 * GB, -3);
    // Six hours of minutes: more samples than the estimate uses, the same rate.
    expect(
      growthPerDay(
        series(360, (m) => m * perMin),
        T + 360 * MIN,
      ),
    ).toBeCloseTo(0.8 * GB, -3);
  });

  it('is not carried away by one jump (a replayed case, a day of simulated history written at start)', () => {
    // 200 MB in the first five minutes, then 100 kB a minute: the sustained rate is 144 MB a day.
    const s = series(60, (m) => (m < 5 ? m * 40e6 : 200e6 + (m - 5) * 100e3));
    const rate = growthPerDay(s, T + 60 * MIN)!;
    expect(rate).toBeGreaterThan(100e6);
    expect(rate).toBeLessThan(300e6); // a straight line through the ends would say about 5 GB a day
  });

  it('reads about 0 once retention frees as much as is written, and forgets what is older than the window', () => {
    // Steep growth seven hours ago, flat since.
    const s = series(7 * 60, (m) => (m < 60 ? m * 10e6 : 600e6));
    expect(growthPerDay(s, T + 7 * HOUR)).toBe(0);
    expect(growthPerDay(s, T + 7 * HOUR, 24 * HOUR)).toBe(0); // the median still sees mostly flat pairs
    expect(
      growthPerDay(
        series(60, () => 600e6),
        T + HOUR,
      ),
    ).toBe(0);
  });

  it('keeps a shrinking recording negative (then no days left are counted)', () => {
    const rate = growthPerDay(
      series(60, (m) => GB - m * 1e6),
      T + HOUR,
    )!;
    expect(rate).toBeLessThan(0);
    expect(daysLeft(10 * GB, rate)).toBeNull();
  });

  it('keeps only the samples of the window, oldest first', () => {
    let s: SizeSample[] = [];
    for (let h = 0; h <= 8; h++) s = addSample(s, { atMs: T + h * HOUR, bytes: h });
    expect(s.map((x) => x.bytes)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    // A clock that went back: samples after the new one are dropped, not kept out of order.
    expect(addSample(s, { atMs: T + 7.5 * HOUR, bytes: 9 }).map((x) => x.bytes)).toEqual([2, 3, 4, 5, 6, 7, 9]);
  });
});

describe('days left', () => {
  it('is the free space over the growth per day', () => {
    expect(daysLeft(10 * GB, 2 * GB)).toBe(5);
    expect(daysLeft(0, 2 * GB)).toBe(0);
    expect(daysLeft(-1, 2 * GB)).toBe(0);
  });

  it('is not counted while the recording does not grow or its rate is unknown', () => {
    expect(daysLeft(10 * GB, 0)).toBeNull();
    expect(daysLeft(10 * GB, -5)).toBeNull();
    expect(daysLeft(10 * GB, null)).toBeNull();
  });

  it('appears in the figures rounded to a tenth of a day, the growth to whole bytes', () => {
    expect(diskFigures({ freeBytes: 10 * GB, totalBytes: 100 * GB, recordingBytes: GB }, 3 * GB + 0.4)).toEqual({
      freeBytes: 10 * GB,
      totalBytes: 100 * GB,
      recordingBytes: GB,
      growthBytesPerDay: 3 * GB,
      daysLeft: 3.3,
    });
    expect(diskFigures({ freeBytes: 1, totalBytes: 2, recordingBytes: 0 }, null)).toMatchObject({
      growthBytesPerDay: null,
      daysLeft: null,
    });
  });
});

describe('what health says about the disk', () => {
  const thresholds = { degradedDays: 7, degradedFreePct: 5 };
  const figures = (o: Partial<ReturnType<typeof diskFigures>>) => ({
    freeBytes: 50 * GB,
    totalBytes: 100 * GB,
    recordingBytes: 5 * GB,
    growthBytesPerDay: GB,
    daysLeft: 50,
    ...o,
  });

  it('says nothing while there is room for more days than the threshold', () => {
    expect(diskReasons(figures({}), thresholds)).toEqual([]);
    expect(diskReasons(figures({ daysLeft: 7 }), thresholds)).toEqual([]);
    expect(diskReasons(figures({ daysLeft: null, growthBytesPerDay: 0 }), thresholds)).toEqual([]);
    expect(diskReasons(figures({ freeBytes: 5 * GB, daysLeft: 500 }), thresholds)).toEqual([]);
  });

  it('says how many days are left at the current rate, before the threshold is reached', () => {
    expect(diskReasons(figures({ freeBytes: 2.1 * GB, totalBytes: 20 * GB, daysLeft: 2.1, growthBytesPerDay: GB }), thresholds)).toEqual([
      'disk: 2.1 days left at the current rate (2.1 GB free, the recording grows 1 GB a day)',
    ]);
    expect(diskReasons(figures({ daysLeft: 6.9 }), thresholds)).toHaveLength(1);
  });

  it('says how little is free, whatever the rate', () => {
    expect(diskReasons(figures({ freeBytes: 3.5 * GB, daysLeft: null, growthBytesPerDay: null }), thresholds)).toEqual([
      'disk: 3 % free (3.5 GB of 100 GB)',
    ]);
    expect(diskReasons(figures({ freeBytes: 0.4 * GB, daysLeft: 0.4 }), thresholds)).toEqual([
      'disk: 0.4 % free (400 MB of 100 GB)',
      'disk: 0.4 days left at the current rate (400 MB free, the recording grows 1 GB a day)',
    ]);
  });

  it('says nothing with thresholds of 0 (switched off)', () => {
    expect(diskReasons(figures({ freeBytes: 0, daysLeft: 0 }), { degradedDays: 0, degradedFreePct: 0 })).toEqual([]);
  });

  it('follows the thresholds configured', () => {
    expect(diskReasons(figures({ daysLeft: 20 }), { degradedDays: 30, degradedFreePct: 5 })).toHaveLength(1);
    expect(diskReasons(figures({ freeBytes: 15 * GB }), { degradedDays: 7, degradedFreePct: 20 })).toEqual([
      'disk: 15 % free (15 GB of 100 GB)',
    ]);
  });
});

describe('byte counts in words', () => {
  it('uses decimal units with a tenth below 10', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(12_345)).toBe('12 kB');
    expect(formatBytes(1_000_000_000)).toBe('1 GB');
    expect(formatBytes(350e6)).toBe('350 MB');
    expect(formatBytes(2.1e9)).toBe('2.1 GB');
    expect(formatBytes(4e12)).toBe('4 TB');
    expect(formatBytes(4e15)).toBe('4000 TB');
  });
});
