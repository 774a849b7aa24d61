// One waveform signal's recent samples: a fixed-size ring of columns (times in seconds as uPlot's
// time scale takes them, values as 32-bit floats), filled chunk by chunk. Each sample sits at its
// chunk's own `ts` + i / rateHz, so consecutive chunks join without a seam; a chunk that starts
// later than the next expected sample by more than GAP_PERIODS periods leaves a gap, stored as one
// NaN marker (a typed array holds no null) that the chart draws as a break in the line.

/** Missing time beyond this many sample periods is a real gap (below it: device clock jitter). */
const GAP_PERIODS = 2;
/** A chunk's ts is in whole milliseconds: what it may be off by. */
const TS_RESOLUTION_S = 0.001;

/** How a chunk was placed. */
export type Placement = 'first' | 'joined' | 'gap' | 'late' | 'restart';

/** True for a gap marker's value. */
export const isGapMarker = (v: number): boolean => Number.isNaN(v);

export class WaveRing {
  readonly rateHz: number;
  readonly capacity: number;
  /** Time of the newest sample placed, seconds (−Infinity while empty). */
  newestS = -Infinity;
  private readonly periodS: number;
  /** Further back than this from the newest sample a chunk is not late but a restarted clock. */
  private readonly restartS: number;
  private readonly times: Float64Array;
  private readonly values: Float32Array;
  /** Index of the oldest entry, and how many entries (samples and markers) the ring holds. */
  private head = 0;
  private count = 0;

  /** Holds `spanS` seconds of samples at `rateHz`, with room for a few gap markers. */
  constructor(rateHz: number, spanS: number) {
    this.rateHz = rateHz;
    this.periodS = 1 / rateHz;
    this.restartS = spanS;
    this.capacity = Math.ceil(rateHz * spanS) + 64;
    this.times = new Float64Array(this.capacity);
    this.values = new Float32Array(this.capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Places a chunk whose first sample was taken at `tsMs`; samples already held (an overlap) are skipped. */
  addChunk(tsMs: number, samples: ArrayLike<number>): Placement {
    const firstS = tsMs / 1000;
    const lastS = firstS + (samples.length - 1) * this.periodS;
    let placement: Placement = 'joined';
    if (this.count === 0) placement = 'first';
    else if (lastS < this.newestS - this.restartS) {
      // The device's clock went back (a restart, a clock correction): start over rather than drop
      // everything it sends until its clock catches up with the old one.
      this.clear();
      placement = 'restart';
    } else if (firstS - (this.newestS + this.periodS) > GAP_PERIODS * this.periodS + TS_RESOLUTION_S) {
      this.put(this.newestS + this.periodS, NaN);
      placement = 'gap';
    }
    // Half a period of tolerance: a chunk's ts in whole milliseconds may round a little early.
    const after = this.newestS + this.periodS / 2;
    let placed = 0;
    for (let i = 0; i < samples.length; i++) {
      const t = firstS + i * this.periodS;
      if (t <= after) continue;
      this.put(t, samples[i]);
      placed++;
    }
    if (placed === 0 && placement === 'joined') return 'late';
    this.newestS = Math.max(this.newestS, lastS);
    return placement;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
    this.newestS = -Infinity;
  }

  /**
   * Writes the ring oldest first into the END of `xs`/`ys` (each `capacity` long) and fills the
   * slots before it with −Infinity times: sorted columns a chart can keep for good.
   */
  copyOrdered(xs: Float64Array, ys: Float32Array): void {
    const lead = this.capacity - this.count;
    for (let i = 0; i < lead; i++) {
      xs[i] = -Infinity;
      ys[i] = NaN;
    }
    for (let k = 0; k < this.count; k++) {
      const j = (this.head + k) % this.capacity;
      xs[lead + k] = this.times[j];
      ys[lead + k] = this.values[j];
    }
  }

  /** Samples (not markers) taken from `fromS` to `toS`, both included. */
  pointsBetween(fromS: number, toS: number): number {
    let n = 0;
    for (let k = 0; k < this.count; k++) {
      const j = (this.head + k) % this.capacity;
      const t = this.times[j];
      if (t >= fromS && t <= toS && !isGapMarker(this.values[j])) n++;
    }
    return n;
  }

  /** Gap markers from `fromS` to `toS`, both included. */
  gapsBetween(fromS: number, toS: number): number {
    let n = 0;
    for (let k = 0; k < this.count; k++) {
      const j = (this.head + k) % this.capacity;
      const t = this.times[j];
      if (t >= fromS && t <= toS && isGapMarker(this.values[j])) n++;
    }
    return n;
  }

  private put(t: number, v: number): void {
    if (this.count < this.capacity) {
      const j = (this.head + this.count) % this.capacity;
      this.times[j] = t;
      this.values[j] = v;
      this.count++;
    } else {
      // Full: the oldest entry makes room.
      this.times[this.head] = t;
      this.values[this.head] = v;
      this.head = (this.head + 1) % this.capacity;
    }
  }
}
