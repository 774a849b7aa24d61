// Trend history on a common time grid: `{keys, t, series}` with `null` where a bucket holds no
// data (docs/interface.md, GET /api/beds/{bed}/history). A bucket's value is the mean of its samples.
import type { MinuteAggregate, SampleRow } from '../record/recorder.js';

/** Points a history answer aims for when the caller gives no step. */
const MAX_HISTORY_POINTS = 2000;

/**
 * The step for about MAX_HISTORY_POINTS points over the range; past a minute, a whole number of
 * minutes, so that long trends are read from the per-minute aggregates.
 */
export function autoStepS(fromMs: number, toMs: number): number {
  const s = Math.max(1, Math.ceil((toMs - fromMs) / 1000 / MAX_HISTORY_POINTS));
  return s > 30 ? Math.ceil(s / 60) * 60 : s;
}

export interface HistoryAnswer {
  keys: string[];
  stepS: number;
  t: number[];
  series: Record<string, (number | null)[]>;
}

/** Buckets rows (ordered by signal then time) into [from, to] with the given step. */
export function bucketHistory(keys: string[], rows: readonly SampleRow[], fromMs: number, toMs: number, stepMs: number): HistoryAnswer {
  const n = Math.floor((toMs - fromMs) / stepMs) + 1;
  const t = new Array<number>(n);
  for (let i = 0; i < n; i++) t[i] = fromMs + i * stepMs;
  const sums = new Map<string, Float64Array>();
  const counts = new Map<string, Uint32Array>();
  for (const k of keys) {
    sums.set(k, new Float64Array(n));
    counts.set(k, new Uint32Array(n));
  }
  for (const r of rows) {
    if (r.value === null) continue;
    const i = Math.floor((r.ts - fromMs) / stepMs);
    if (i < 0 || i >= n) continue;
    const s = sums.get(r.signal);
    if (!s) continue;
    s[i] += r.value;
    counts.get(r.signal)![i]++;
  }
  const series: Record<string, (number | null)[]> = {};
  for (const k of keys) {
    const s = sums.get(k)!;
    const c = counts.get(k)!;
    const out = new Array<number | null>(n);
    for (let i = 0; i < n; i++) out[i] = c[i] ? s[i] / c[i] : null;
    series[k] = out;
  }
  return { keys, stepS: stepMs / 1000, t, series };
}

/**
 * The same answer from per-minute aggregates: a bucket's value is the mean of all samples of the
 * minutes in it (sum over count), exactly as bucketHistory gives from the samples themselves when
 * the grid is minute-aligned.
 */
export function bucketAggregates(
  keys: string[],
  rows: readonly MinuteAggregate[],
  fromMs: number,
  toMs: number,
  stepMs: number,
): HistoryAnswer {
  const n = Math.floor((toMs - fromMs) / stepMs) + 1;
  const t = new Array<number>(n);
  for (let i = 0; i < n; i++) t[i] = fromMs + i * stepMs;
  const sums = new Map(keys.map((k) => [k, new Float64Array(n)]));
  const counts = new Map(keys.map((k) => [k, new Float64Array(n)]));
  for (const r of rows) {
    const i = Math.floor((r.minute * 60_000 - fromMs) / stepMs);
    if (i < 0 || i >= n) continue;
    const s = sums.get(r.signal);
    if (!s) continue;
    s[i] += r.sum;
    counts.get(r.signal)![i] += r.n;
  }
  const series: Record<string, (number | null)[]> = {};
  for (const k of keys) {
    const s = sums.get(k)!;
    const c = counts.get(k)!;
    series[k] = Array.from(s, (sum, i) => (c[i] ? sum / c[i] : null));
  }
  return { keys, stepS: stepMs / 1000, t, series };
}
