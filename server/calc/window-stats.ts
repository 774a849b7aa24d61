// Windowed statistics of one signal over 1, 5, 15 and 60 minutes: count, mean, min, max,
// least-squares slope and time in range. Incremental: each in-order sample costs O(1) amortised
// (running sums; monotonic deques for min and max; eviction as the window slides). The samples are
// the bed's own ring buffer (no second copy); a late sample inserted among older ones, or a sum
// that has run long enough to drift, makes a window rebuild from the ring (rare, and amortised).
//
// Definitions (what the brute-force test recomputes): a window at `now` holds the samples with ts
// in (now − w, now], `now` being at least the newest sample's ts. Null samples (sensor off) are not
// values: they count in no statistic but end the hold of the sample before them. Time in range:
// each value holds until the next sample (or now); the fraction of held time spent in [lo, hi].
import type { WindowStats } from '../../shared/protocol.js';
import type { TimeRing } from '../state/ring.js';

export const WINDOWS = [
  { name: '1m', ms: 60_000 },
  { name: '5m', ms: 300_000 },
  { name: '15m', ms: 900_000 },
  { name: '60m', ms: 3_600_000 },
] as const;
export type WindowName = (typeof WINDOWS)[number]['name'];

/** Rebuild a window's sums when their time origin is this many window lengths old (drift bound). */
const REBASE_AFTER_WINDOWS = 4;
const MS_PER_MIN = 60_000;
/** Relative cancellation past which the one-pass slope is recomputed in two passes. */
const ILL_CONDITIONED = 1e-6;
/** Squared time spread (min²) below which samples count as simultaneous: no slope. */
const MIN_TIME_SPREAD_MIN2 = 1e-12;

export interface Limits {
  lo?: number;
  hi?: number;
}

/** A deque of absolute ring indices, values monotonic; backed by a growable array with a head. */
class IndexDeque {
  private items: number[] = [];
  private head = 0;

  get empty(): boolean {
    return this.head >= this.items.length;
  }
  front(): number {
    return this.items[this.head];
  }
  back(): number {
    return this.items[this.items.length - 1];
  }
  push(i: number): void {
    this.items.push(i);
  }
  popBack(): void {
    this.items.pop();
    if (this.head > this.items.length) this.head = this.items.length;
  }
  popFront(): void {
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

class Window {
  /** Absolute ring index of the oldest sample in the window, and one past the newest added. */
  start = 0;
  end = 0;
  n = 0;
  sumV = 0;
  sumT = 0;
  sumTT = 0;
  sumTV = 0;
  /** Time origin of the slope sums, ms. */
  origin = 0;
  /** Held time between consecutive samples inside the window, total and in range, ms. */
  held = 0;
  heldIn = 0;
  readonly mins = new IndexDeque();
  readonly maxs = new IndexDeque();

  constructor(readonly ms: number) {}

  reset(at: number, origin: number): void {
    this.start = this.end = at;
    this.n = this.sumV = this.sumT = this.sumTT = this.sumTV = this.held = this.heldIn = 0;
    this.origin = origin;
    this.mins.clear();
    this.maxs.clear();
  }
}

export class SignalWindows {
  private readonly windows = WINDOWS.map((w) => new Window(w.ms));
  private seenLate: number;

  constructor(
    private readonly ring: TimeRing,
    private readonly limits: Limits = {},
  ) {
    this.seenLate = ring.lateInserts;
    for (const w of this.windows) w.reset(ring.first, 0);
    this.catchUp();
  }

  /** Takes in whatever the ring gained since the last call (call after each insert). */
  catchUp(): void {
    if (this.ring.lateInserts !== this.seenLate) {
      this.seenLate = this.ring.lateInserts;
      this.rebuildAll();
      return;
    }
    const end = this.ring.end;
    for (const w of this.windows) {
      // The ring overwrote samples the window still held (more than its capacity in one window):
      // the window then covers what the ring keeps.
      if (w.start < this.ring.first) this.rebuild(w);
      while (w.end < end) this.append(w, w.end, this.ts(w.end), this.value(w.end));
      this.evict(w, this.ring.newestTs());
      if (this.ring.newestTs() - w.origin > REBASE_AFTER_WINDOWS * w.ms) this.rebuild(w);
    }
  }

  stats(nowMs: number): Record<WindowName, WindowStats> {
    this.catchUp();
    const now = Math.max(nowMs, this.ring.newestTs());
    const out = {} as Record<WindowName, WindowStats>;
    this.windows.forEach((w, i) => {
      this.evict(w, now);
      out[WINDOWS[i].name] = this.read(w, now);
    });
    return out;
  }

  /** Mean and sample count of one window, without building the others' statistics. */
  mean(window: WindowName, nowMs: number): { mean: number | null; n: number } {
    this.catchUp();
    const i = WINDOWS.findIndex((w) => w.name === window);
    const w = this.windows[i];
    const now = Math.max(nowMs, this.ring.newestTs());
    this.evict(w, now);
    const st = this.read(w, now);
    return { mean: st.mean, n: st.n };
  }

  private ts(abs: number): number {
    return this.ring.tsAt(abs - this.ring.first);
  }

  private value(abs: number): number {
    return this.ring.valueAt(abs - this.ring.first);
  }

  private inRange(v: number): boolean {
    return (this.limits.lo === undefined || v >= this.limits.lo) && (this.limits.hi === undefined || v <= this.limits.hi);
  }

  private append(w: Window, k: number, t: number, v: number): void {
    if (w.end > w.start) {
      // The previous sample's hold ends at this one.
      const prev = w.end - 1;
      const pv = this.value(prev);
      if (!Number.isNaN(pv)) {
        const dt = t - this.ts(prev);
        w.held += dt;
        if (this.inRange(pv)) w.heldIn += dt;
      }
    }
    w.end = k + 1;
    if (Number.isNaN(v)) return;
    if (w.n === 0) w.origin = t;
    const x = (t - w.origin) / MS_PER_MIN;
    w.n++;
    w.sumV += v;
    w.sumT += x;
    w.sumTT += x * x;
    w.sumTV += x * v;
    while (!w.mins.empty && this.value(w.mins.back()) >= v) w.mins.popBack();
    w.mins.push(k);
    while (!w.maxs.empty && this.value(w.maxs.back()) <= v) w.maxs.popBack();
    w.maxs.push(k);
  }

  /** Drops samples that are no longer in (now − w, now]. */
  private evict(w: Window, nowMs: number): void {
    const cutoff = nowMs - w.ms;
    while (w.start < w.end && this.ts(w.start) <= cutoff) {
      const k = w.start;
      const v = this.value(k);
      if (k + 1 < w.end && !Number.isNaN(v)) {
        const dt = this.ts(k + 1) - this.ts(k);
        w.held -= dt;
        if (this.inRange(v)) w.heldIn -= dt;
      }
      if (!Number.isNaN(v)) {
        const x = (this.ts(k) - w.origin) / MS_PER_MIN;
        w.n--;
        w.sumV -= v;
        w.sumT -= x;
        w.sumTT -= x * x;
        w.sumTV -= x * v;
      }
      if (!w.mins.empty && w.mins.front() === k) w.mins.popFront();
      if (!w.maxs.empty && w.maxs.front() === k) w.maxs.popFront();
      w.start++;
    }
    if (w.n === 0) {
      w.sumV = w.sumT = w.sumTT = w.sumTV = 0;
      if (w.start === w.end) w.held = w.heldIn = 0;
    }
  }

  private read(w: Window, now: number): WindowStats {
    if (w.n === 0) return { n: 0, mean: null, min: null, max: null, slopePerMin: null, timeInRange: this.hasLimits() ? null : undefined };
    const mean = w.sumV / w.n;
    const denom = w.n * w.sumTT - w.sumT * w.sumT;
    let slope: number | null = null;
    if (w.n >= 2) {
      // The one-pass sums cancel badly when the samples' times are close together compared with
      // their distance from the sums' origin; then (rarely) recompute the slope in two passes.
      slope = denom > ILL_CONDITIONED * w.n * w.sumTT ? (w.n * w.sumTV - w.sumT * w.sumV) / denom : this.slopeTwoPass(w);
    }
    const stats: WindowStats = { n: w.n, mean, min: this.value(w.mins.front()), max: this.value(w.maxs.front()), slopePerMin: slope };
    if (this.hasLimits()) {
      let held = w.held;
      let heldIn = w.heldIn;
      const last = w.end - 1;
      const lv = this.value(last);
      if (!Number.isNaN(lv)) {
        const dt = now - this.ts(last);
        held += dt;
        if (this.inRange(lv)) heldIn += dt;
      }
      stats.timeInRange = held > 0 ? Math.min(1, Math.max(0, heldIn / held)) : null;
    }
    return stats;
  }

  /** Least-squares slope from the window's samples, centred first (exact, O(n)). */
  private slopeTwoPass(w: Window): number | null {
    let n = 0;
    let mx = 0;
    let mv = 0;
    for (let k = w.start; k < w.end; k++) {
      const v = this.value(k);
      if (Number.isNaN(v)) continue;
      n++;
      mx += (this.ts(k) - mx) / n;
      mv += (v - mv) / n;
    }
    let sxx = 0;
    let sxv = 0;
    for (let k = w.start; k < w.end; k++) {
      const v = this.value(k);
      if (Number.isNaN(v)) continue;
      const dx = (this.ts(k) - mx) / MS_PER_MIN;
      sxx += dx * dx;
      sxv += dx * (v - mv);
    }
    // All samples at (numerically) one time: no slope.
    return sxx > MIN_TIME_SPREAD_MIN2 ? sxv / sxx : null;
  }

  private hasLimits(): boolean {
    return this.limits.lo !== undefined || this.limits.hi !== undefined;
  }

  private rebuildAll(): void {
    for (const w of this.windows) this.rebuild(w);
  }

  /** Recomputes a window from the ring: the samples newer than (newest − w). */
  private rebuild(w: Window): void {
    const newest = this.ring.newestTs();
    const from = this.ring.first + this.ring.lowerBound(newest - w.ms);
    w.reset(from, 0);
    for (let k = from; k < this.ring.end; k++) this.append(w, k, this.ts(k), this.value(k));
    this.evict(w, newest);
  }
}
