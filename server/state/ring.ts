// A time-ordered ring buffer of (ts, value) pairs in typed arrays: bounded memory per signal,
// no per-sample objects. Grows by doubling up to its capacity, then overwrites the oldest sample.
// Late samples are inserted at their time (a short shift; late data is rare and bounded).

const INITIAL_CAPACITY = 64;

/**
 * Told of every sample the ring takes, as it takes it, with its neighbours in time: prevTs is NaN
 * when none is older, nextTs NaN when the sample is the newest (late samples have a next). A
 * neighbour the ring dropped to make room is still given. A rejected sample is not told.
 */
export interface RingListener {
  added(tsMs: number, value: number, prevTs: number, prevValue: number, nextTs: number): void;
}

export class TimeRing {
  private ts: Float64Array;
  private vs: Float64Array;
  private start = 0;
  private count = 0;
  /** Absolute index of the oldest sample kept (grows as old samples are overwritten). */
  first = 0;
  /** Samples inserted before newer ones (late data): readers holding absolute indices must rebuild. */
  lateInserts = 0;
  /** One reader told of each sample taken (the signal's windowed statistics). */
  listener: RingListener | null = null;

  constructor(readonly capacity: number) {
    const initial = Math.min(INITIAL_CAPACITY, capacity);
    this.ts = new Float64Array(initial);
    this.vs = new Float64Array(initial);
  }

  get length(): number {
    return this.count;
  }

  /** Time of the i-th oldest sample. */
  tsAt(i: number): number {
    return this.ts[this.slot(i)];
  }

  /** Value of the i-th oldest sample; NaN stands for a null (sensor absent) sample. */
  valueAt(i: number): number {
    return this.vs[this.slot(i)];
  }

  /** Where the i-th oldest sample (0 ≤ i ≤ length) sits in the arrays: a wrap, not a division. */
  private slot(i: number): number {
    const j = this.start + i;
    const n = this.ts.length;
    return j < n ? j : j - n;
  }

  newestTs(): number {
    return this.count ? this.tsAt(this.count - 1) : -Infinity;
  }

  /**
   * Adds a sample at its own time. Returns false when an equal timestamp is already present (the
   * sample replaces nothing) or when it is older than everything a full buffer holds.
   */
  insert(tsMs: number, value: number): boolean {
    if (this.count === this.ts.length && this.ts.length < this.capacity) this.grow();
    // The newest sample, read once: in-order samples (nearly all) need nothing more.
    let lastTs = NaN;
    let lastValue = NaN;
    if (this.count) {
      const j = this.slot(this.count - 1);
      lastTs = this.ts[j];
      lastValue = this.vs[j];
    }
    if (this.count === 0 || tsMs > lastTs) {
      this.pushBack(tsMs, value);
      this.listener?.added(tsMs, value, lastTs, lastValue, NaN);
      return true;
    }
    // Late sample: its place among the logical indices.
    let lo = this.lowerBound(tsMs);
    if (lo < this.count && this.tsAt(lo) === tsMs) return false;
    // Its neighbours, before the oldest may be dropped below.
    const prevTs = lo > 0 ? this.tsAt(lo - 1) : NaN;
    const prevValue = lo > 0 ? this.valueAt(lo - 1) : NaN;
    const nextTs = this.tsAt(lo);
    if (this.count === this.ts.length) {
      if (lo === 0) return false; // older than the whole full buffer
      // Drop the oldest to make room; the insertion point moves one to the left.
      this.start = (this.start + 1) % this.ts.length;
      this.count--;
      this.first++;
      lo--;
    }
    const cap = this.ts.length;
    for (let i = this.count; i > lo; i--) {
      const to = (this.start + i) % cap;
      const from = (this.start + i - 1) % cap;
      this.ts[to] = this.ts[from];
      this.vs[to] = this.vs[from];
    }
    const at = (this.start + lo) % cap;
    this.ts[at] = tsMs;
    this.vs[at] = value;
    this.count++;
    this.lateInserts++;
    this.listener?.added(tsMs, value, prevTs, prevValue, nextTs);
    return true;
  }

  /** Absolute index one past the newest sample. */
  get end(): number {
    return this.first + this.count;
  }

  /** Index of the first sample with ts >= fromMs. */
  lowerBound(fromMs: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tsAt(mid) < fromMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Copies samples with ts in [fromMs, toMs] into plain columns (for snapshots). */
  slice(fromMs: number, toMs = Infinity): { t: number[]; v: (number | null)[] } {
    const t: number[] = [];
    const v: (number | null)[] = [];
    for (let i = this.lowerBound(fromMs); i < this.count; i++) {
      const ts = this.tsAt(i);
      if (ts > toMs) break;
      const value = this.valueAt(i);
      t.push(ts);
      v.push(Number.isNaN(value) ? null : value);
    }
    return { t, v };
  }

  private pushBack(tsMs: number, value: number): void {
    const cap = this.ts.length;
    if (this.count === cap) {
      this.ts[this.start] = tsMs;
      this.vs[this.start] = value;
      this.start = this.start + 1 === cap ? 0 : this.start + 1;
      this.first++;
      return;
    }
    const at = this.slot(this.count);
    this.ts[at] = tsMs;
    this.vs[at] = value;
    this.count++;
  }

  private grow(): void {
    const size = Math.min(this.capacity, this.ts.length * 2);
    const ts = new Float64Array(size);
    const vs = new Float64Array(size);
    for (let i = 0; i < this.count; i++) {
      ts[i] = this.tsAt(i);
      vs[i] = this.valueAt(i);
    }
    this.ts = ts;
    this.vs = vs;
    this.start = 0;
  }
}
