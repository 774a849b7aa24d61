// Trend columns for uPlot: history read from the server on a common grid (mean per step), then
// live values bucketed onto the same grid as they arrive, so a 24 h trend and its last minute are
// one line. Short holes in a 1 s grid (a sample landing a little late) are not gaps; a silence longer
// than the gap threshold is, and stays one: a null is drawn there, never bridged. Pure, no DOM.

/** The ranges a trend offers, from one minute to seven days. */
export const TREND_RANGES: readonly { label: string; s: number }[] = [
  { label: '1 min', s: 60 },
  { label: '5 min', s: 300 },
  { label: '15 min', s: 900 },
  { label: '1 h', s: 3600 },
  { label: '6 h', s: 6 * 3600 },
  { label: '24 h', s: 24 * 3600 },
  { label: '7 d', s: 7 * 24 * 3600 },
];

/** The shortest and longest view a zoom or pan may reach. */
export const MIN_SPAN_S = 30;
export const MAX_SPAN_S = 7 * 24 * 3600;

/** Devices publish about once a second: a silence shorter than this is jitter, longer is a gap. */
const DEVICE_GAP_S = 5;
const MINUTE_S = 60;

/**
 * The step that gives about one point per screen pixel over the span; past 30 s, whole minutes, as
 * the server reads those from its per-minute aggregates (docs/interface.md, history).
 */
export function stepForSpan(spanS: number, pixels: number): number {
  const s = Math.max(1, Math.ceil(spanS / Math.max(1, Math.floor(pixels))));
  return s > MINUTE_S / 2 ? Math.ceil(s / MINUTE_S) * MINUTE_S : s;
}

/** A silence longer than this many seconds breaks the line at the given step. */
export function gapThresholdS(stepS: number): number {
  return Math.max(DEVICE_GAP_S, 2 * stepS);
}

export interface HistoryAnswer {
  stepS: number;
  t: number[];
  series: Record<string, (number | null)[]>;
}

/**
 * One parameter's columns in seconds (uPlot's time unit). `sparse` parameters (lab results, hours
 * apart) are joined point to point; dense ones break where data stops for longer than the threshold.
 */
export class TrendSeries {
  xs: number[] = [];
  ys: (number | null)[] = [];
  /** Grid step in seconds. */
  stepS = 1;
  /** Start of the grid, seconds: buckets are [origin + i·step, origin + (i+1)·step). */
  private origin = 0;
  /** The open bucket live values still go into, and how many they were. */
  private tailBucket = -1;
  private tailSum = 0;
  private tailN = 0;
  /** Time of the newest real value, seconds (a gap marker is not one). */
  private lastS = -Infinity;

  constructor(readonly sparse = false) {}

  /** Starts again from a history answer for this key (null where the server had nothing). */
  load(t: readonly number[], v: readonly (number | null)[], stepS: number, nowMs: number): void {
    this.xs = [];
    this.ys = [];
    this.stepS = stepS;
    this.origin = t.length ? t[0] / 1000 : 0;
    this.tailBucket = -1;
    this.tailN = 0;
    this.tailSum = 0;
    this.lastS = -Infinity;
    const openFrom = nowMs / 1000 - stepS;
    for (let i = 0; i < t.length; i++) {
      const x = t[i] / 1000;
      // The bucket still filling when the server answered holds a partial mean: live values refill it.
      if (x > openFrom) break;
      const y = v[i];
      if (y !== null && y !== undefined) this.put(x, y);
    }
  }

  /** A live value at tsMs: into the open bucket, or a new one; a value behind the grid is ignored. */
  add(tsMs: number, value: number | null): boolean {
    if (value === null || !Number.isFinite(value)) return false;
    const s = tsMs / 1000;
    const bucket = Math.floor((s - this.origin) / this.stepS);
    if (bucket < this.tailBucket) return false;
    if (bucket === this.tailBucket && this.tailN > 0) {
      this.tailSum += value;
      this.tailN++;
      this.ys[this.ys.length - 1] = this.tailSum / this.tailN;
      return true;
    }
    const x = this.origin + bucket * this.stepS;
    if (x <= this.lastS) return false; // a bucket the history already closed
    this.put(x, value);
    this.tailBucket = bucket;
    this.tailSum = value;
    this.tailN = 1;
    return true;
  }

  /** Drops points older than fromS (keeps one before it so the line enters the view). */
  trimBefore(fromS: number): void {
    let drop = 0;
    while (drop + 1 < this.xs.length && this.xs[drop + 1] < fromS) drop++;
    // Slicing is a copy: only once a tenth of the columns is out of view, not every second.
    if (drop > 0 && drop * 10 >= this.xs.length) {
      this.xs = this.xs.slice(drop);
      this.ys = this.ys.slice(drop);
    }
  }

  /** The newest real value, or null. */
  get last(): { x: number; y: number } | null {
    for (let i = this.ys.length - 1; i >= 0; i--) {
      const y = this.ys[i];
      if (y !== null) return { x: this.xs[i], y };
    }
    return null;
  }

  private put(x: number, y: number): void {
    if (!this.sparse && this.xs.length && x - this.lastS > gapThresholdS(this.stepS)) {
      // A null between: uPlot breaks the line there (spanGaps off).
      this.xs.push(this.lastS + this.stepS / 2);
      this.ys.push(null);
    }
    this.xs.push(x);
    this.ys.push(y);
    this.lastS = x;
  }
}

/** Lab results and the lactate clearances change hours apart: joined point to point, with dots. */
export function isSparse(key: string): boolean {
  return key.startsWith('lab.') || key.startsWith('lactateClearance');
}

/**
 * A view [from, to] in ms zoomed by `factor` (< 1 in, > 1 out) around `atMs`, kept within the
 * allowed spans and never past now.
 */
export function zoomView(view: { fromMs: number; toMs: number }, factor: number, atMs: number, nowMs: number) {
  const span = view.toMs - view.fromMs;
  const next = Math.min(MAX_SPAN_S * 1000, Math.max(MIN_SPAN_S * 1000, span * factor));
  const at = Math.min(view.toMs, Math.max(view.fromMs, atMs));
  const left = (at - view.fromMs) / span;
  let fromMs = at - next * left;
  let toMs = fromMs + next;
  if (toMs > nowMs) {
    toMs = nowMs;
    fromMs = nowMs - next;
  }
  return { fromMs, toMs };
}

/** A view moved by `fraction` of its span (negative: earlier), never past now. */
export function panView(view: { fromMs: number; toMs: number }, fraction: number, nowMs: number) {
  const span = view.toMs - view.fromMs;
  let toMs = Math.min(nowMs, view.toMs + span * fraction);
  if (toMs - span < 0) toMs = span;
  return { fromMs: toMs - span, toMs };
}
