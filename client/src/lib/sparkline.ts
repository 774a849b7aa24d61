// The last hour of one value on an overview tile (Sparkline.svelte): per-minute means from
// GET /api/beds/{bed}/history with the live value as the right-most point. A gap in the data is a gap
// in the line, never bridged: a minute without data splits the line, and the live value joins it
// only when the history reaches up to it. Pure: the points, their scale and their place on a canvas;
// the buffers are kept between draws, so drawing allocates nothing once they are large enough.
import { formatForDisplay } from '../../../shared/format.js';

/** The trend covers the last hour… */
export const TREND_WINDOW_MS = 3_600_000;
/** …in per-minute means (whole minutes read the recording's minute aggregates). */
export const TREND_STEP_S = 60;

/** `GET /api/beds/{bed}/history` (docs/interface.md). */
export interface HistoryAnswer {
  keys: string[];
  stepS: number;
  t: number[];
  series: Record<string, (number | null)[]>;
}

/** One series of a history answer: bucket starts, means (null: no data), the step and the end asked for. */
export interface TrendHistory {
  t: readonly number[];
  v: readonly (number | null)[];
  stepMs: number;
  /** The `to` of the request: a bucket reaching past it was still filling when it was read. */
  toMs: number;
}

export interface LivePoint {
  t: number;
  v: number;
}

/**
 * The live value joins the history's last minute only while the history is this recent (it is read
 * once a minute); older, what lies between is unknown and the live value stands alone.
 */
const LIVE_JOIN_FACTOR = 1.5;

/** One line's points in time order, each marked where a new segment begins. Reused between draws. */
export class TrendLine {
  t = new Float64Array(64);
  v = new Float64Array(64);
  /** 1 where a point begins a segment (the first point, and every point after a gap). */
  begins = new Uint8Array(64);
  n = 0;
  min = NaN;
  max = NaN;

  clear(): void {
    this.n = 0;
    this.min = NaN;
    this.max = NaN;
  }

  push(t: number, v: number, begins: boolean): void {
    if (this.n === this.t.length) {
      const grow = <A extends Float64Array | Uint8Array>(a: A, make: (n: number) => A): A => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.t = grow(this.t, (n) => new Float64Array(n));
      this.v = grow(this.v, (n) => new Float64Array(n));
      this.begins = grow(this.begins, (n) => new Uint8Array(n));
    }
    this.t[this.n] = t;
    this.v[this.n] = v;
    this.begins[this.n] = begins || this.n === 0 ? 1 : 0;
    this.n++;
    if (!(v >= this.min)) this.min = v;
    if (!(v <= this.max)) this.max = v;
  }

  /** Segments: runs of points drawn as one line (a run of one is a dot). */
  get segments(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.begins[i];
    return s;
  }
}

/**
 * Fills `line` with the points inside [fromMs, …]: the history's minutes that have data, split where
 * a minute has none, then the live value. A minute still filling when the history was read (the last
 * one, reaching past `toMs`) is not a gap if it is empty. The live value is the right-most point: it
 * continues the line when it is newer than the history's last point, no empty minute lies between
 * them and the history is recent; otherwise it begins a segment of its own (or is left out when the
 * history already reaches past it).
 */
export function fillTrend(line: TrendLine, history: TrendHistory | null, live: LivePoint | null, fromMs: number): TrendLine {
  line.clear();
  let gapAfterLast = false;
  let lastT = -Infinity;
  if (history) {
    const { t, v, stepMs, toMs } = history;
    for (let i = 0; i < t.length; i++) {
      if (t[i] + stepMs <= fromMs) continue;
      const value = v[i];
      if (value === null || !Number.isFinite(value)) {
        if (t[i] + stepMs <= toMs) gapAfterLast = true;
        continue;
      }
      line.push(t[i], value, gapAfterLast || t[i] - lastT > stepMs * LIVE_JOIN_FACTOR);
      gapAfterLast = false;
      lastT = t[i];
    }
  }
  if (live && Number.isFinite(live.v) && live.t > lastT && live.t >= fromMs) {
    const joins = history !== null && line.n > 0 && !gapAfterLast && live.t - history.toMs <= history.stepMs * LIVE_JOIN_FACTOR;
    line.push(live.t, live.v, !joins);
  }
  return line;
}

/**
 * The scale of a line: its min and max, widened about their middle to at least `minSpan` so that
 * noise of a few hundredths never fills the height as if it were a trend; a flat line sits in the
 * middle. The hour's min–max are written beside the line, so the scale is never hidden.
 */
export function scaleOf(min: number, max: number, minSpan: number): { lo: number; hi: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { lo: 0, hi: 1 };
  const span = Math.max(max - min, minSpan, Number.EPSILON);
  const mid = (min + max) / 2;
  return { lo: mid - span / 2, hi: mid + span / 2 };
}

/** x of a time between `fromMs` (left, 0) and `toMs` (right, `width`). */
export function xOf(t: number, fromMs: number, toMs: number, width: number): number {
  return toMs > fromMs ? ((t - fromMs) / (toMs - fromMs)) * width : width;
}

/** y of a value in a lane from `top` to `top + height`, higher values higher up. */
export function yOf(v: number, lo: number, hi: number, top: number, height: number): number {
  return top + (1 - (v - lo) / (hi - lo)) * height;
}

/** "1.80–2.10" (with the catalogue's precision, never rounded across a limit), "2.00" when flat, "" for no data. */
export function rangeText(key: string, min: number, max: number): string {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return '';
  const lo = formatForDisplay(key, min);
  const hi = formatForDisplay(key, max);
  return lo === hi ? lo : `${lo}–${hi}`;
}
