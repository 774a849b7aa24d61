// Windowed statistics of one signal over 1, 5, 15 and 60 minutes: count, mean, min, max,
// least-squares slope and time in range. Each sample the bed's ring takes is added once, as it
// arrives (the ring tells us, late samples with their neighbours), to a 10 s bucket (count, sums
// for mean and slope, min, max, held time) and to each window's running sums: O(1) per sample at
// any rate, no rebuild from the ring. The buckets cover the longest window: at most 361 per
// signal, a fixed ~25 KB (~30 KB with limits), whatever the rate. A read takes the buckets that
// left its window out of the running sums (amortised O(1)) and adds its boundary bucket.
//
// Definitions (what the brute-force tests recompute): a window at `now` holds the samples with ts
// in (now − w, now], `now` being at least the newest sample's ts, whenever the ring still holds
// every sample after now − w (a ring of 4096 samples does for the 60 min window up to 1.13 Hz, for
// 15 min up to 4.5 Hz, for 5 min up to 13.6 Hz, for 1 min up to 68 Hz). Otherwise (a faster signal)
// the window starts at the start of the 10 s bucket holding now − w: it holds the samples with ts
// in [⌊(now − w) / 10 s⌋ · 10 s, now], between w and w + 10 s long, never shorter. Within that span
// every statistic is exact (no sample is thinned out). Null samples (sensor off) are not values:
// they count in no statistic but end the hold of the sample before them. Time in range: each value
// holds until the next sample (or now); the fraction of held time spent in [lo, hi]. A late sample
// older than everything a full ring holds is rejected by the ring and counts nowhere.
import type { WindowStats } from '../../shared/protocol.js';
import type { RingListener, TimeRing } from '../state/ring.js';

export const WINDOWS = [
  { name: '1m', ms: 60_000 },
  { name: '5m', ms: 300_000 },
  { name: '15m', ms: 900_000 },
  { name: '60m', ms: 3_600_000 },
] as const;
export type WindowName = (typeof WINDOWS)[number]['name'];

/** Width of a bucket: the most a window reaches back beyond its length when the ring is short. */
const BUCKET_MS = 10_000;
/** Buckets kept: every bucket a 60 min window can touch (newest − 60 min .. newest). */
const SLOTS = WINDOWS[WINDOWS.length - 1].ms / BUCKET_MS + 1;
/** Recompute a window's sums from the buckets when their time origin is this many window lengths old (drift bound). */
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

/** Bucket keys in increasing order with monotonic bucket minima (or maxima); a fixed circular buffer. */
class KeyDeque {
  private readonly buf = new Float64Array(SLOTS);
  private head = 0;
  size = 0;

  at(i: number): number {
    return this.buf[(this.head + i) % SLOTS];
  }
  back(): number {
    return this.at(this.size - 1);
  }
  push(k: number): void {
    this.buf[(this.head + this.size) % SLOTS] = k;
    this.size++;
  }
  popBack(): void {
    this.size--;
  }
  popFront(): void {
    this.head = (this.head + 1) % SLOTS;
    this.size--;
  }
  clear(): void {
    this.head = this.size = 0;
  }
  /** Position of the first key ≥ k (size when none). */
  search(k: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid) < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Running sums of one window over the buckets from `lo` to the newest. */
class Window {
  /** Oldest bucket key in the sums (−∞: never read, the sums are rebuilt at the first read). */
  lo = -Infinity;
  /** Time origin of the slope sums, ms. */
  origin = 0;
  n = 0;
  sumV = 0;
  sumT = 0;
  sumTT = 0;
  sumTV = 0;
  /** Held time of the values in the sums, total and in range, ms (with limits only). */
  held = 0;
  heldIn = 0;

  constructor(readonly ms: number) {}

  clear(origin: number): void {
    this.n = this.sumV = this.sumT = this.sumTT = this.sumTV = this.held = this.heldIn = 0;
    this.origin = origin;
  }
}

export class SignalWindows implements RingListener {
  /** Samples and buckets visited (adds, read-time scans, rebuilds): the cost measure tests bound. */
  visited = 0;
  private readonly windows = WINDOWS.map((w) => new Window(w.ms));
  // Buckets, by key mod SLOTS; a bucket's times are minutes from its start.
  private readonly bn = new Uint32Array(SLOTS);
  private readonly bSumV = new Float64Array(SLOTS);
  private readonly bSumU = new Float64Array(SLOTS);
  private readonly bSumUU = new Float64Array(SLOTS);
  private readonly bSumUV = new Float64Array(SLOTS);
  private readonly bMin = new Float64Array(SLOTS).fill(Infinity);
  private readonly bMax = new Float64Array(SLOTS).fill(-Infinity);
  private readonly bHeld: Float64Array | null;
  private readonly bHeldIn: Float64Array | null;
  /** Newest bucket key; the buckets kept are hi − SLOTS + 1 .. hi. */
  private hi = -Infinity;
  private readonly mins = new KeyDeque();
  private readonly maxs = new KeyDeque();
  /** A late sample changed an older bucket's min or max: the deques are rebuilt at the next read. */
  private dequesStale = false;

  constructor(
    private readonly ring: TimeRing,
    private readonly limits: Limits = {},
  ) {
    const withLimits = limits.lo !== undefined || limits.hi !== undefined;
    this.bHeld = withLimits ? new Float64Array(SLOTS) : null;
    this.bHeldIn = withLimits ? new Float64Array(SLOTS) : null;
    // What the ring already holds (a ring that dropped samples gives the windows only what it kept).
    for (let i = 0; i < ring.length; i++)
      this.added(ring.tsAt(i), ring.valueAt(i), i ? ring.tsAt(i - 1) : NaN, i ? ring.valueAt(i - 1) : NaN, NaN);
    ring.listener = this;
  }

  /** The ring took a sample (RingListener): into its bucket and every window holding that bucket. */
  added(ts: number, v: number, prevTs: number, prevValue: number, nextTs: number): void {
    this.visited++;
    const k = Math.floor(ts / BUCKET_MS);
    if (k > this.hi) this.open(k);
    if (k <= this.hi - SLOTS) return; // older than every window can reach
    // The value before it now holds until this sample (instead of until the next one, or now).
    if (!Number.isNaN(prevTs) && !Number.isNaN(prevValue)) this.hold(prevTs, prevValue, Number.isNaN(nextTs) ? ts - prevTs : ts - nextTs);
    if (Number.isNaN(v)) return;
    const s = slot(k);
    const u = (ts - k * BUCKET_MS) / MS_PER_MIN;
    this.bn[s]++;
    this.bSumV[s] += v;
    this.bSumU[s] += u;
    this.bSumUU[s] += u * u;
    this.bSumUV[s] += u * v;
    const lowered = v < this.bMin[s];
    const raised = v > this.bMax[s];
    if (lowered) this.bMin[s] = v;
    if (raised) this.bMax[s] = v;
    if (k === this.hi) {
      if (lowered || this.mins.size === 0 || this.mins.back() !== k) this.pushMin(k);
      if (raised || this.maxs.size === 0 || this.maxs.back() !== k) this.pushMax(k);
    } else if (lowered || raised) this.dequesStale = true;
    for (const w of this.windows) {
      if (k < w.lo) continue;
      if (w.n === 0) w.clear(k * BUCKET_MS);
      const x = (ts - w.origin) / MS_PER_MIN;
      w.n++;
      w.sumV += v;
      w.sumT += x;
      w.sumTT += x * x;
      w.sumTV += x * v;
    }
    // A late value holds until the sample after it (after it entered the windows: an empty one clears).
    if (!Number.isNaN(nextTs)) this.hold(ts, v, nextTs - ts);
  }

  stats(nowMs: number): Record<WindowName, WindowStats> {
    const out = {} as Record<WindowName, WindowStats>;
    this.windows.forEach((w, i) => (out[WINDOWS[i].name] = this.read(w, nowMs)));
    return out;
  }

  /** Mean and sample count of one window, without building the others' statistics. */
  mean(window: WindowName, nowMs: number): { mean: number | null; n: number } {
    const st = this.read(this.windows[WINDOWS.findIndex((w) => w.name === window)], nowMs);
    return { mean: st.mean, n: st.n };
  }

  private inRange(v: number): boolean {
    return (this.limits.lo === undefined || v >= this.limits.lo) && (this.limits.hi === undefined || v <= this.limits.hi);
  }

  /** Starts bucket k as the newest, clearing the slots of the buckets that fall out of reach. */
  private open(k: number): void {
    const from = Math.max(this.hi + 1, k - SLOTS + 1);
    for (let key = from; key <= k; key++) {
      const s = slot(key);
      this.bn[s] = 0;
      this.bSumV[s] = this.bSumU[s] = this.bSumUU[s] = this.bSumUV[s] = 0;
      this.bMin[s] = Infinity;
      this.bMax[s] = -Infinity;
      if (this.bHeld && this.bHeldIn) this.bHeld[s] = this.bHeldIn[s] = 0;
    }
    this.hi = k;
    while (this.mins.size && this.mins.at(0) <= k - SLOTS) this.mins.popFront();
    while (this.maxs.size && this.maxs.at(0) <= k - SLOTS) this.maxs.popFront();
  }

  /** Adds dt of held time to the value v sampled at ts (its bucket and the windows holding it). */
  private hold(ts: number, v: number, dt: number): void {
    if (!this.bHeld || !this.bHeldIn) return;
    const k = Math.floor(ts / BUCKET_MS);
    if (k <= this.hi - SLOTS) return;
    const inR = this.inRange(v);
    const s = slot(k);
    this.bHeld[s] += dt;
    if (inR) this.bHeldIn[s] += dt;
    for (const w of this.windows) {
      if (k < w.lo) continue;
      w.held += dt;
      if (inR) w.heldIn += dt;
    }
  }

  private pushMin(k: number): void {
    const v = this.bMin[slot(k)];
    while (this.mins.size && this.bMin[slot(this.mins.back())] >= v) this.mins.popBack();
    this.mins.push(k);
  }

  private pushMax(k: number): void {
    const v = this.bMax[slot(k)];
    while (this.maxs.size && this.bMax[slot(this.maxs.back())] <= v) this.maxs.popBack();
    this.maxs.push(k);
  }

  private rebuildDeques(): void {
    this.dequesStale = false;
    this.mins.clear();
    this.maxs.clear();
    for (let k = this.hi - SLOTS + 1; k <= this.hi; k++) {
      this.visited++;
      if (this.bn[slot(k)] === 0) continue;
      this.pushMin(k);
      this.pushMax(k);
    }
  }

  /** Adds (sign 1) or removes (sign −1) bucket k's sums to or from a window's. */
  private addBucket(w: Window, k: number, sign: number): void {
    this.visited++;
    const s = slot(k);
    const n = this.bn[s];
    if (this.bHeld && this.bHeldIn) {
      w.held += sign * this.bHeld[s];
      w.heldIn += sign * this.bHeldIn[s];
    }
    if (n === 0) return;
    const d = (k * BUCKET_MS - w.origin) / MS_PER_MIN;
    const su = this.bSumU[s];
    const sv = this.bSumV[s];
    w.n += sign * n;
    w.sumV += sign * sv;
    w.sumT += sign * (n * d + su);
    w.sumTT += sign * (n * d * d + 2 * d * su + this.bSumUU[s]);
    w.sumTV += sign * (d * sv + this.bSumUV[s]);
  }

  /** Moves a window's oldest bucket to lo: amortised O(1); from the buckets when its sums are too old. */
  private moveTo(w: Window, lo: number): void {
    const kept = this.hi - SLOTS + 1;
    if (w.lo < kept || (w.n > 0 && this.hi * BUCKET_MS - w.origin > REBASE_AFTER_WINDOWS * w.ms)) {
      w.lo = lo;
      w.clear(lo * BUCKET_MS);
      for (let k = Math.max(lo, kept); k <= this.hi; k++) this.addBucket(w, k, 1);
      return;
    }
    for (let k = w.lo; k < lo && k <= this.hi; k++) this.addBucket(w, k, -1);
    // An earlier now than the last read's (a window may look back again while its buckets are kept).
    for (let k = Math.max(lo, kept); k < w.lo && k <= this.hi; k++) this.addBucket(w, k, 1);
    w.lo = lo;
    if (w.n === 0) w.clear(lo * BUCKET_MS); // no residue of values that left
  }

  private read(w: Window, nowMs: number): WindowStats {
    const withLimits = this.bHeld !== null;
    const empty: WindowStats = { n: 0, mean: null, min: null, max: null, slopePerMin: null, timeInRange: withLimits ? null : undefined };
    if (this.ring.length === 0 || this.hi === -Infinity) return empty;
    const ring = this.ring;
    const newest = ring.newestTs();
    const now = Math.max(nowMs, newest);
    const cutoff = now - w.ms;
    const j = Math.floor(cutoff / BUCKET_MS);
    this.moveTo(w, j + 1);
    if (this.dequesStale) this.rebuildDeques();
    // Exact when the ring holds every sample after the cutoff; else the whole boundary bucket.
    const exact = ring.first === 0 || ring.tsAt(0) <= cutoff;
    let { n, sumV, sumT, sumTT, sumTV, held, heldIn } = w;
    const from = exact ? j + 1 : j;
    const mi = this.mins.search(from);
    const ma = this.maxs.search(from);
    let min = mi < this.mins.size ? this.bMin[slot(this.mins.at(mi))] : Infinity;
    let max = ma < this.maxs.size ? this.bMax[slot(this.maxs.at(ma))] : -Infinity;
    let first = -1; // exact: ring index of the window's oldest sample
    if (exact) {
      first = ring.lowerBound(cutoff);
      if (first < ring.length && ring.tsAt(first) === cutoff) first++;
      const end = (j + 1) * BUCKET_MS;
      for (let i = first; i < ring.length; i++) {
        const t = ring.tsAt(i);
        if (t >= end) break;
        this.visited++;
        const v = ring.valueAt(i);
        if (Number.isNaN(v)) continue;
        const x = (t - w.origin) / MS_PER_MIN;
        n++;
        sumV += v;
        sumT += x;
        sumTT += x * x;
        sumTV += x * v;
        if (v < min) min = v;
        if (v > max) max = v;
        if (withLimits && i + 1 < ring.length) {
          const dt = ring.tsAt(i + 1) - t;
          held += dt;
          if (this.inRange(v)) heldIn += dt;
        }
      }
    } else if (j > this.hi - SLOTS) {
      const s = slot(j);
      const bn = this.bn[s];
      if (this.bHeld && this.bHeldIn) {
        held += this.bHeld[s];
        heldIn += this.bHeldIn[s];
      }
      if (bn > 0) {
        const d = (j * BUCKET_MS - w.origin) / MS_PER_MIN;
        const su = this.bSumU[s];
        const sv = this.bSumV[s];
        n += bn;
        sumV += sv;
        sumT += bn * d + su;
        sumTT += bn * d * d + 2 * d * su + this.bSumUU[s];
        sumTV += d * sv + this.bSumUV[s];
      }
    }
    if (n === 0) return empty;
    let slope: number | null = null;
    if (n >= 2) {
      // The one-pass sums cancel badly when the samples' times are close together compared with
      // their distance from the sums' origin; then (rarely) recompute the slope in two passes.
      const denom = n * sumTT - sumT * sumT;
      if (denom > ILL_CONDITIONED * n * sumTT) slope = (n * sumTV - sumT * sumV) / denom;
      else slope = exact ? this.slopeFromRing(first) : this.slopeFromBuckets(j);
    }
    const stats: WindowStats = { n, mean: sumV / n, min, max, slopePerMin: slope };
    if (withLimits) {
      // The newest value holds until now.
      const lv = ring.valueAt(ring.length - 1);
      if (!Number.isNaN(lv)) {
        held += now - newest;
        if (this.inRange(lv)) heldIn += now - newest;
      }
      stats.timeInRange = held > 0 ? Math.min(1, Math.max(0, heldIn / held)) : null;
    }
    return stats;
  }

  /** Least-squares slope of the ring's samples from index `first` on, centred first (exact, O(n)). */
  private slopeFromRing(first: number): number | null {
    const ring = this.ring;
    let n = 0;
    let mx = 0;
    let mv = 0;
    for (let i = first; i < ring.length; i++) {
      const v = ring.valueAt(i);
      if (Number.isNaN(v)) continue;
      n++;
      mx += (ring.tsAt(i) - mx) / n;
      mv += (v - mv) / n;
    }
    let sxx = 0;
    let sxv = 0;
    for (let i = first; i < ring.length; i++) {
      const v = ring.valueAt(i);
      if (Number.isNaN(v)) continue;
      const dx = (ring.tsAt(i) - mx) / MS_PER_MIN;
      sxx += dx * dx;
      sxv += dx * (v - mv);
    }
    this.visited += 2 * (ring.length - first);
    // All samples at (numerically) one time: no slope.
    return sxx > MIN_TIME_SPREAD_MIN2 ? sxv / sxx : null;
  }

  /** Least-squares slope of buckets j .. newest, centred first (exact, O(buckets)). */
  private slopeFromBuckets(j: number): number | null {
    let n = 0;
    let sx = 0;
    let sv = 0;
    for (let k = j; k <= this.hi; k++) {
      const s = slot(k);
      const bn = this.bn[s];
      if (!bn) continue;
      n += bn;
      sx += (bn * (k - j) * BUCKET_MS) / MS_PER_MIN + this.bSumU[s];
      sv += this.bSumV[s];
    }
    const mx = sx / n;
    const mv = sv / n;
    let sxx = 0;
    let sxv = 0;
    for (let k = j; k <= this.hi; k++) {
      const s = slot(k);
      const bn = this.bn[s];
      if (!bn) continue;
      const d = ((k - j) * BUCKET_MS) / MS_PER_MIN - mx;
      const su = this.bSumU[s];
      sxx += this.bSumUU[s] + 2 * d * su + bn * d * d;
      sxv += this.bSumUV[s] - mv * su + d * (this.bSumV[s] - bn * mv);
    }
    this.visited += 2 * (this.hi - j + 1);
    return sxx > MIN_TIME_SPREAD_MIN2 ? sxv / sxx : null;
  }
}

function slot(k: number): number {
  return ((k % SLOTS) + SLOTS) % SLOTS;
}
