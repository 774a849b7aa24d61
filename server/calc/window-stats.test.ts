import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeRing } from '../state/ring.js';
import { SignalWindows, WINDOWS, type Limits } from './window-stats.js';

/** Brute force over the ring's samples, as the module's header defines each statistic. */
function bruteForce(samples: [number, number][], nowMs: number, windowMs: number, limits: Limits) {
  const sorted = [...samples].sort((a, b) => a[0] - b[0]);
  const now = Math.max(nowMs, sorted.length ? sorted[sorted.length - 1][0] : -Infinity);
  const inWin = sorted.filter(([t]) => t > now - windowMs && t <= now);
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
            win.catchUp();
          }
          const now = t + readAfter;
          const got = win.stats(now);
          WINDOWS.forEach(({ name, ms }) => {
            const want = bruteForce([...model.entries()], now, ms, limits);
            const g = got[name];
            expect(g.n, `${name} n`).toBe(want.n);
            close(g.mean, want.mean, `${name} mean`);
            close(g.min, want.min, `${name} min`);
            close(g.max, want.max, `${name} max`);
            // Null exactly when the brute force has no slope, and then equal.
            close(g.slopePerMin, want.slopePerMin, `${name} slope`);
            if (limits.lo !== undefined || limits.hi !== undefined) close(g.timeInRange, want.timeInRange, `${name} timeInRange`);
            else expect(g.timeInRange, `${name} timeInRange without limits`).toBeUndefined();
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
    w.catchUp();
    ring.insert(1000, 20);
    w.catchUp();
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
      w.catchUp();
    }
    expect(w.stats(60_000)['5m'].slopePerMin).toBeCloseTo(1, 9);
  });

  it('stays exact over days of data (sums are re-based before they drift)', () => {
    const ring = new TimeRing(4096);
    const w = new SignalWindows(ring, { lo: 0 });
    const DAY = 86_400;
    for (let i = 0; i < DAY; i++) {
      ring.insert(i * 1000, Math.sin(i / 100) * 50 + 1e4);
      w.catchUp();
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
      w.catchUp();
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

  it('covers what the ring keeps when a window is longer than the ring', () => {
    const ring = new TimeRing(16);
    const w = new SignalWindows(ring, { lo: 10 });
    for (let i = 0; i < 50; i++) {
      ring.insert(i * 1000, i);
      w.catchUp();
    }
    const got = w.stats(49_000)['1m'];
    const want = bruteForce(samplesOf(ring), 49_000, 60_000, { lo: 10 });
    expect(got).toMatchObject({ n: 16, min: 34, max: 49 });
    close(got.mean, want.mean, 'mean');
    close(got.timeInRange, want.timeInRange, 'timeInRange');
  });

  it('is exact again once huge values have left the window (its sums are rebuilt)', () => {
    const ring = new TimeRing(4096);
    const w = new SignalWindows(ring);
    for (let i = 0; i < 330; i++) {
      ring.insert(i * 1000, i < 30 ? 1e12 : 1 + Math.sin(i) / 3);
      w.catchUp();
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
      w.catchUp();
    }
    expect(w.stats(120_000)['1m'].n).toBe(0);
    for (let i = 150; i < 180; i++) {
      ring.insert(i * 1000, 1 + Math.sin(i) / 3);
      w.catchUp();
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
      w.catchUp();
    }
    expect(w.stats(2_699_000)['15m']).toMatchObject({ n: 900, min: 1800, max: 2699 });
  });

  it('counts a value exactly at a limit as in range', () => {
    for (const limits of [{ lo: 60 }, { hi: 60 }]) {
      const ring = new TimeRing(16);
      const w = new SignalWindows(ring, limits);
      ring.insert(0, 60);
      ring.insert(30_000, limits.lo !== undefined ? 59 : 61);
      w.catchUp();
      expect(w.stats(60_000)['5m'].timeInRange, JSON.stringify(limits)).toBe(0.5);
    }
  });

  it('has no time in range while its only value has held no time yet', () => {
    const ring = new TimeRing(16);
    const w = new SignalWindows(ring, { lo: 0 });
    ring.insert(1000, 5);
    w.catchUp();
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
      w.catchUp();
    }
    expect(w.mean('1m', 150_000)).toEqual({ mean: 4, n: 2 });
    expect(w.mean('5m', 150_000)).toEqual({ mean: 3, n: 3 });
    expect(w.mean('1m', 500_000)).toEqual({ mean: null, n: 0 });
  });
});

function samplesOf(ring: TimeRing): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < ring.length; i++) out.push([ring.tsAt(i), ring.valueAt(i)]);
  return out;
}
