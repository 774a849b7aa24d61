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
  const slope = n >= 2 && sxx > 1e-12 ? sxy / sxx : null;
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
          { minLength: 1, maxLength: 250 },
        ),
        fc.integer({ min: 0, max: 4_000_000 }),
        fc.constantFrom<Limits>({}, { lo: -50 }, { lo: -100, hi: 50 }),
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
            if (want.slopePerMin === null || g.slopePerMin === null) {
              // Degenerate times: both agree there is no slope, unless the spread is at the rounding edge.
              if (want.n < 2) expect(g.slopePerMin, `${name} slope`).toBeNull();
            } else close(g.slopePerMin, want.slopePerMin, `${name} slope`);
            if (limits.lo !== undefined || limits.hi !== undefined) close(g.timeInRange, want.timeInRange, `${name} timeInRange`);
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
});
