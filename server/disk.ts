// Disk use of the recording: how fast it grows, how many days the free space lasts at that rate, and
// when health should say so (docs/interface.md, GET /api/health `disk`). Pure: the measurements and
// the clock come from server/disk-monitor.ts.
import type { HealthAnswer } from '../shared/protocol.js';

/** The recording's size on disk at one moment. */
export interface SizeSample {
  atMs: number;
  bytes: number;
}

/** What GET /api/health says about the disk (shared/protocol.ts). */
export type DiskFigures = NonNullable<HealthAnswer['disk']>;

export interface DiskThresholds {
  /** Health degrades when fewer days than this are left at the current rate (0: never). */
  degradedDays: number;
  /** Health degrades when less than this percentage of the file system is free (0: never). */
  degradedFreePct: number;
}

const DAY_MS = 86_400_000;
/** The growth rate is estimated from the sizes of the last hours. */
export const GROWTH_WINDOW_MS = 6 * 3600_000;
/** ... and only once they span half an hour: the first minutes after a start say little. */
export const GROWTH_MIN_SPAN_MS = 30 * 60_000;
/** Samples the estimate uses at most (spread evenly over the window): n² / 2 slopes. */
const MAX_ESTIMATE_SAMPLES = 120;

/** Appends a sample and forgets those older than the window (a new array; the input is not changed). */
export function addSample(samples: readonly SizeSample[], s: SizeSample, windowMs = GROWTH_WINDOW_MS): SizeSample[] {
  return [...samples.filter((x) => x.atMs >= s.atMs - windowMs && x.atMs < s.atMs), s];
}

/**
 * Growth in bytes per day over the samples of the window ending at `nowMs`: the median of the
 * slopes between every two samples (Theil–Sen). Unlike a straight line through the ends it is not
 * carried away by one jump (a replayed case, a day of simulated history written in a minute), and
 * a recording that stopped growing because retention frees as much as is written reads about 0.
 * Null while the samples span less than `minSpanMs`.
 */
export function growthPerDay(
  samples: readonly SizeSample[],
  nowMs: number,
  windowMs = GROWTH_WINDOW_MS,
  minSpanMs = GROWTH_MIN_SPAN_MS,
): number | null {
  const inWindow = samples.filter((s) => s.atMs >= nowMs - windowMs && s.atMs <= nowMs).sort((a, b) => a.atMs - b.atMs);
  if (inWindow.length < 2 || inWindow[inWindow.length - 1].atMs - inWindow[0].atMs < minSpanMs) return null;
  const step = Math.max(1, Math.ceil(inWindow.length / MAX_ESTIMATE_SAMPLES));
  const used = inWindow.filter((_, i) => i % step === 0 || i === inWindow.length - 1);
  const slopes: number[] = [];
  for (let i = 0; i < used.length; i++)
    for (let j = i + 1; j < used.length; j++) {
      const dt = used[j].atMs - used[i].atMs;
      if (dt > 0) slopes.push(((used[j].bytes - used[i].bytes) / dt) * DAY_MS);
    }
  if (!slopes.length) return null;
  slopes.sort((a, b) => a - b);
  const mid = slopes.length >> 1;
  return slopes.length % 2 ? slopes[mid] : (slopes[mid - 1] + slopes[mid]) / 2;
}

/** Days the free space lasts at `growthBytesPerDay`; null when the recording is not growing or the rate is unknown. */
export function daysLeft(freeBytes: number, growthBytesPerDay: number | null): number | null {
  if (growthBytesPerDay === null || !(growthBytesPerDay > 0)) return null;
  return Math.max(0, freeBytes) / growthBytesPerDay;
}

/** The figures of one measurement. */
export function diskFigures(m: { freeBytes: number; totalBytes: number; recordingBytes: number }, growth: number | null): DiskFigures {
  return {
    freeBytes: m.freeBytes,
    totalBytes: m.totalBytes,
    recordingBytes: m.recordingBytes,
    growthBytesPerDay: growth === null ? null : Math.round(growth),
    daysLeft: roundTo(daysLeft(m.freeBytes, growth), 10),
  };
}

/** What health should say about the disk, in words: nothing while all is well. */
export function diskReasons(f: DiskFigures, t: DiskThresholds): string[] {
  const reasons: string[] = [];
  const freePct = f.totalBytes > 0 ? (f.freeBytes / f.totalBytes) * 100 : null;
  if (freePct !== null && freePct < t.degradedFreePct)
    reasons.push(`disk: ${formatPct(freePct)} % free (${formatBytes(f.freeBytes)} of ${formatBytes(f.totalBytes)})`);
  if (f.daysLeft !== null && f.daysLeft < t.degradedDays)
    reasons.push(
      `disk: ${formatDays(f.daysLeft)} days left at the current rate (${formatBytes(f.freeBytes)} free, the recording grows ${formatBytes(
        f.growthBytesPerDay ?? 0,
      )} a day)`,
    );
  return reasons;
}

function roundTo(x: number | null, per: number): number | null {
  return x === null ? null : Math.round(x * per) / per;
}

function formatPct(p: number): string {
  return p < 1 ? p.toFixed(1) : String(Math.floor(p));
}

function formatDays(d: number): string {
  return d < 10 ? d.toFixed(1) : String(Math.floor(d));
}

/** 1.2 GB, 350 MB, 12 kB, 1 GB (decimal units, as disks are sold; a tenth below 10). */
export function formatBytes(b: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = b;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 || Math.abs(v) >= 10 ? Math.round(v) : Number(v.toFixed(1))} ${units[i]}`;
}
