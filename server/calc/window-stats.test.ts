import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RING_CAPACITY } from '../state/bed.js';
import { TimeRing } from '../state/ring.js';
import type { WindowStats } from '../../shared/protocol.js';
import { SignalWindows, WINDOWS, type Limits } from './window-stats.js';

const BUCKET_MS = 10_000;

/**
 * Brute force over the samples taken, as the module's header defines each statistic; `aligned`
 * when the ring no longer holds the window's start (the window then starts at its 10 s bucket's).
 */
function bruteForce(samples: [number, number][], nowMs: number, windowMs: number, limits: Limits, aligned = false) {
  const sorted = [...samples].sort((a, b) => a[0] - b[0]);
  const now = Math.max(nowMs, sorted.length ? sorted[sorted.length - 1][0] : -Infinity);
  const start = Math.floor((now - windowMs) / BUCKET_MS) * BUCKET_MS;
  const inWin = sorted.filter(([t]) => (aligned ? t >= start : t > now - windowMs) && t <= now);
  const vals = inWin.filter(([, v]) => !Number.isNaN(v));
  const n = vals.length;
  if (!n) return { n: 0, mean: null, min: null, max: null, slopePerMin: null, timeInRange: null };
  const mean = vals.reduce((s, [, v]) => s + v, 0) / n;
  const t0 = vals[0][0];
  const xs = vals.map(([t]) => (t - t0) / 60_000);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  const sxy = xs.reduce((s, x, i) => s + (x - mx) * (vals[i][1] - mean), 0);
  // A slope needs two values at different times (the ring holds one sample per time, so any two).
  const slope = new Set(vals.map(([t]) => t)).size >= 2 ? sxy / sxx : null;
  let held = 0;
  let heldIn = 0;
  const inR = (v: number) => (limits.lo === undefined || v >= limits.lo) && (limits.hi === undefined || v <= limits.hi);
  inWin.forEach(([t, v], i) => {
    if (Number.isNaN(v)) return;
    const next = i + 1 < inWin.length ? inWin[i + 1][0] : now;
    held += next - t;
    if (inR(v)) heldIn += next - t;
  });
  return {
    n,
    mean,
    min: Math.min(...vals.map(([, v]) => v)),
    max: Math.max(...vals.map(([, v]) => v)),
    slopePerMin: slope,
    timeInRange: held > 0 ? heldIn / held : null,
  };
}

const close = (a: number | null | undefined, b: number | null, what: string) => {
  if (b === null) return expect(a ?? null, what).toBeNull();
  expect(a, what).not.toBeNull();
  expect(Math.abs((a as number) - b), what).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b)));
};

/** One window's statistics against the brute force's: every statistic, time in range only with limits. */
function expectLikeBruteForce(name: string, g: WindowStats, want: ReturnType<typeof bruteForce>, limits: Limits): void {
  expect(g.n, `${name} n`).toBe(want.n);
  close(g.mean, want.mean, `${name} mean`);
  close(g.min, want.min, `${name} min`);
  close(g.max, want.max, `${name} max`);
  // Null exactly when the brute force has no slope, and then equal.
  close(g.slopePerMin, want.slopePerMin, `${name} slope`);
  if (limits.lo !== undefined || limits.hi !== undefined) close(g.timeInRange, want.timeInRange, `${name} timeInRange`);
  else expect(g.timeInRange, `${name} timeInRange without limits`).toBeUndefined();
}

describe('incremental windowed statistics', () => {
  it('equal a brute-force recomputation over random streams with gaps, nulls and late samples', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 60_000, max: 2_000_000 })), // steady, or a gap
            v: fc.oneof(
              { weight: 9, arbitrary: fc.double({ min: -200, max: 200, noNaN: true }) },
              { weight: 1, arbitrary: fc.constant(NaN) },
            ),
            late: fc.option(fc.integer({ min: 1, max: 600_000 }), { freq: 8 }),
          }),
          // size 'max': without it fast-check keeps arrays to about ten elements, whatever maxLength says.
          { minLength: 1, maxLength: 250, size: 'max' },
        ),
        fc.integer({ min: 0, max: 4_000_000 }),
        fc.constantFrom<Limits>({}, { lo: -50 }, { hi: 60 }, { lo: -100, hi: 50 }),
        (stream, readAfter, limits) => {
          const ring = new TimeRing(4096);
          const win = new SignalWindows(ring, limits);
          const model = new Map<number, number>();
          let t = 1_000_000_000;
          for (const s of stream) {
            t += s.dt;
            const ts = s.late !== null ? t - s.late : t; // some arrive out of order
            if (ring.insert(ts, s.v)) model.set(ts, s.v);
          }
          const now = t + readAfter;
          const got = win.stats(now);
          WINDOWS.forEach(({ name, ms }) => {
            expectLikeBruteForce(name, got[name], bruteForce([...model.entries()], now, ms, limits), limits);
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('slides: a value leaves the 1 min window after a minute and stays in the 5 min window', () => {
    const ring = new TimeRing(4096);
    const w = new SignalWindows(ring);
    ring.insert(0, 10);
    ring.insert(1000, 20);
    expect(w.stats(1000)['1m']).toMatchObject({ n: 2, mean: 15, min: 10, max: 20 });
    expect(w.stats(60_500)['1m']).toMatchObject({ n: 1, mean: 20 });
    expect(w.stats(60_500)['5m']).toMatchObject({ n: 2, mean: 15 });
    expect(w.stats(200_000)['1m']).toMatchObject({ n: 0, mean: null });
  });

  it('reports a rising trend as a positive slope per minute', () => {
    const ring = new TimeRing(4096);
    const w = new SignalWindows(ring);
    for (let i = 0; i <= 60; i++) {
      ring.insert(i * 1000, 2 + i / 60); // +1 unit over one minute
    }
    expect(w.stats(60_000)['5m'].slopePerMin).toBeCloseTo(1, 9);
  });

  it('stays exact over days of data (sums are re-based before they drift)', () => {
    const ring = new TimeRing(4096);
    const w = new SignalWindows(ring, { lo: 0 });
    const DAY = 86_400;
    for (let i = 0; i < DAY; i++) {
      ring.insert(i * 1000, Math.sin(i / 100) * 50 + 1e4);
    }
    const now = (DAY - 1) * 1000;
    const samples: [number, number][] = [];
    for (let i = 0; i < ring.length; i++) samples.push([ring.tsAt(i), ring.valueAt(i)]);
    const want = bruteForce(samples, now, 3_600_000, { lo: 0 });
    const got = w.stats(now)['60m'];
    close(got.mean, want.mean, 'mean');
    close(got.slopePerMin, want.slopePerMin, 'slope');
  });

  it('gives the exact slope of samples close together long after the window’s first one, skipping a null between them', () => {
    // The 60 min window's sums start at its first sample; 200 min later, two values 2 ms apart make
    // the one-pass formula cancel to noise, and the slope is recomputed in two passes.
    const ring = new TimeRing(4096);
    const w = new SignalWindows(ring);
    const t0 = 1_000_000_000;
    const at = (min: number, ms: number, v: number) => {
      ring.insert(t0 + min * 60_000 + ms, v);
    };
    for (const min of [0, 50, 100, 150]) at(min, 0, min / 50);
    at(200, 0, 5);
    at(200, 1, NaN);
    at(200, 2, 5.002);
    const now = t0 + 255 * 60_000;
    const got = w.stats(now)['60m'];
    expect(got.n).toBe(2);
    expect(got.slopePerMin).toBeCloseTo(60, 6); // 0.002 per 2 ms
    close(got.slopePerMin, bruteForce(samplesOf(ring), now, 3_600_000, {}).slopePerMin, 'slope');
  });

  it('covers its whole window when the ring holds less, from the start of the boundary’s 10 s bucket', () => {
    const ring = new TimeRing(16);
    const w = new SignalWindows(ring, { lo: 10 });
    const samples: [number, number][] = [];
    for (let i = 0; i < 150; i++) {
      ring.insert(i * 1000, i);
      samples.push([i * 1000, i]);
    }
    // At 149 s the 1 min window's start, 89 s, is in the bucket [80 s, 90 s): 70 samples, not 16.
    const got = w.stats(149_000)['1m'];
    const want = bruteForce(samples, 149_000, 60_000, { lo: 10 }, true);
    expect(got).toMatchObject({ n: 70, min: 80, max: 149 });
    close(got.mean, want.mean, 'mean');
    close(got.slopePerMin, want.slopePerMin, 'slope');
    close(got.timeInRange, want.timeInRange, 'timeInRange');
  });

  it('is exact again once huge values have left the window (its sums are rebuilt)', () => {
    const ring = new TimeRing(4096);
    const w = new SignalWindows(ring);
    for (let i = 0; i < 330; i++) {
      ring.insert(i * 1000, i < 30 ? 1e12 : 1 + Math.sin(i) / 3);
    }
    const now = 329_000;
    const got = w.stats(now)['1m'];
    const want = bruteForce(samplesOf(ring), now, 60_000, {});
    expect(Math.abs(got.mean! - want.mean!)).toBeLessThan(1e-12);
  });

  it('starts afresh when it is read while empty: values that left leave no rounding residue', () => {
    const ring = new TimeRing(4096);
    const w = new SignalWindows(ring);
    for (let i = 0; i < 30; i++) {
      ring.insert(i * 1000, 1e12 * (1 + Math.sin(i)));
    }
    expect(w.stats(120_000)['1m'].n).toBe(0);
    for (let i = 150; i < 180; i++) {
      ring.insert(i * 1000, 1 + Math.sin(i) / 3);
    }
    const got = w.stats(179_000)['1m'];
    const want = bruteForce(samplesOf(ring), 179_000, 60_000, {});
    expect(Math.abs(got.mean! - want.mean!)).toBeLessThan(1e-12);
    close(got.slopePerMin, want.slopePerMin, 'slope');
  });

  it('keeps min and max right over a long monotonic run (its deques drop what left the window)', () => {
    const ring = new TimeRing(4096);
    const w = new SignalWindows(ring);
    for (let i = 0; i < 2700; i++) {
      ring.insert(i * 1000, i);
    }
    expect(w.stats(2_699_000)['15m']).toMatchObject({ n: 900, min: 1800, max: 2699 });
  });

  it('counts a value exactly at a limit as in range', () => {
    for (const limits of [{ lo: 60 }, { hi: 60 }]) {
      const ring = new TimeRing(16);
      const w = new SignalWindows(ring, limits);
      ring.insert(0, 60);
      ring.insert(30_000, limits.lo !== undefined ? 59 : 61);
      expect(w.stats(60_000)['5m'].timeInRange, JSON.stringify(limits)).toBe(0.5);
    }
  });

  it('has no time in range while its only value has held no time yet', () => {
    const ring = new TimeRing(16);
    const w = new SignalWindows(ring, { lo: 0 });
    ring.insert(1000, 5);
    expect(w.stats(1000)['1m']).toMatchObject({ n: 1, timeInRange: null });
    expect(w.stats(2000)['1m'].timeInRange).toBe(1);
  });

  it('gives the mean and count of one window alone', () => {
    const ring = new TimeRing(16);
    const w = new SignalWindows(ring);
    for (const [t, v] of [
      [0, 1],
      [120_000, 3],
      [150_000, 5],
    ]) {
      ring.insert(t, v);
    }
    expect(w.mean('1m', 150_000)).toEqual({ mean: 4, n: 2 });
    expect(w.mean('5m', 150_000)).toEqual({ mean: 3, n: 3 });
    expect(w.mean('1m', 500_000)).toEqual({ mean: null, n: 0 });
  });
});

describe('fast signals (the ring holds less than a window)', () => {
  it('equal the brute force over the bucket-aligned window, with gaps, nulls and late samples', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 64 }),
        fc.array(
          fc.record({
            dt: fc.oneof(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 20_000, max: 1_000_000 })),
            v: fc.oneof(
              { weight: 9, arbitrary: fc.double({ min: -200, max: 200, noNaN: true }) },
              { weight: 1, arbitrary: fc.constant(NaN) },
            ),
            late: fc.option(fc.integer({ min: 1, max: 60_000 }), { freq: 6 }),
            read: fc.boolean(),
          }),
          { minLength: 1, maxLength: 300, size: 'max' },
        ),
        fc.integer({ min: 0, max: 4_000_000 }),
        fc.constantFrom<Limits>({}, { lo: -50 }, { lo: -100, hi: 50 }),
        (cap, stream, readAfter, limits) => {
          const ring = new TimeRing(cap);
          const win = new SignalWindows(ring, limits);
          const model = new Map<number, number>();
          let t = 1_000_000_000;
          const check = (now: number) => {
            const got = win.stats(now);
            const newest = Math.max(...model.keys());
            WINDOWS.forEach(({ name, ms }) => {
              const exact = ring.first === 0 || ring.tsAt(0) <= Math.max(now, newest) - ms;
              expectLikeBruteForce(name, got[name], bruteForce([...model.entries()], now, ms, limits, !exact), limits);
            });
          };
          for (const s of stream) {
            t += s.dt;
            const ts = s.late !== null ? t - s.late : t;
            if (ring.insert(ts, s.v)) model.set(ts, s.v);
            if (s.read && model.size) check(t);
          }
          if (model.size) check(t + readAfter);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('cost O(1) per sample at 10 Hz over 3 h with a bed’s ring (no rebuild from the ring on reads)', () => {
    // Counts the samples and buckets visited, not time: the old design rebuilt each window longer
    // than the ring from all its 4096 samples on every read, about 400 visits per sample here.
    const ring = new TimeRing(RING_CAPACITY);
    const w = new SignalWindows(ring, { lo: 40, hi: 60 });
    const total = 3 * 3600 * 10;
    for (let i = 0; i < total; i++) {
      const t = 1_700_000_000_000 + i * 100;
      ring.insert(t, 50 + 10 * Math.sin(i / 500));
      if (i % 10 === 0) w.mean('60m', t);
      if (i % 100 === 0) w.stats(t);
    }
    expect(w.visited).toBeLessThan(4 * total);
  });

  it('give a 10 Hz signal’s 15 and 60 min statistics over the whole window, equal to the brute force', () => {
    const ring = new TimeRing(RING_CAPACITY);
    const limits = { lo: 45, hi: 58 };
    const w = new SignalWindows(ring, limits);
    const samples: [number, number][] = [];
    const t0 = 1_700_000_003_000;
    for (let i = 0; i < 2 * 3600 * 10; i++) {
      const t = t0 + i * 100;
      const v = i % 997 === 0 ? NaN : 50 + 10 * Math.sin(i / 3000) + (i % 7) / 10 + i / 10_000;
      ring.insert(t, v);
      samples.push([t, v]);
      if (i % 50 === 0) w.mean('60m', t);
    }
    for (const now of [t0 + 7_199_900, t0 + 7_204_321]) {
      const got = w.stats(now);
      for (const { name, ms } of WINDOWS) {
        const exact = ring.tsAt(0) <= now - ms;
        expect(exact, name).toBe(name === '1m' || name === '5m');
        const want = bruteForce(samples, now, ms, limits, !exact);
        expect(got[name].n, name).toBe(want.n);
        close(got[name].mean, want.mean, `${name} mean`);
        close(got[name].min, want.min, `${name} min`);
        close(got[name].max, want.max, `${name} max`);
        close(got[name].slopePerMin, want.slopePerMin, `${name} slope`);
        close(got[name].timeInRange, want.timeInRange, `${name} timeInRange`);
      }
      // The hour is covered: at least 60 min of samples (less the nulls), at most 10 s more.
      expect(got['60m'].n).toBeGreaterThanOrEqual(36_000 - 37);
      expect(got['60m'].n).toBeLessThanOrEqual(36_100);
    }
  });
});

function samplesOf(ring: TimeRing): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < ring.length; i++) out.push([ring.tsAt(i), ring.valueAt(i)]);
  return out;
}
