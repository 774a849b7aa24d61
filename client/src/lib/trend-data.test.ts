import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gapThresholdS, panView, stepForSpan, TrendSeries, zoomView, MIN_SPAN_S } from './trend-data.js';

const T0 = 1_800_000_000_000; // a whole minute, epoch ms

describe('stepForSpan', () => {
  it('gives about one point per pixel, whole minutes past 30 s as the server aggregates them', () => {
    expect(stepForSpan(60, 800)).toBe(1);
    expect(stepForSpan(900, 800)).toBe(2);
    expect(stepForSpan(3600, 800)).toBe(5);
    expect(stepForSpan(24 * 3600, 800)).toBe(120); // 108 s → 2 min
    expect(stepForSpan(7 * 24 * 3600, 1600)).toBe(420);
    expect(stepForSpan(24 * 3600, 0)).toBe(86_400); // never divides by zero
  });
});

describe('TrendSeries', () => {
  it('keeps the history, drops the bucket still filling, and refills it from live values', () => {
    const s = new TrendSeries();
    const t = [T0, T0 + 60_000, T0 + 120_000];
    s.load(t, [2, null, 3], 60, T0 + 150_000); // the third bucket is open at 150 s
    expect(s.xs).toEqual([T0 / 1000]);
    expect(s.ys).toEqual([2]);
    s.add(T0 + 121_000, 4);
    s.add(T0 + 150_000, 6);
    expect(s.xs.at(-1)).toBe(T0 / 1000 + 120);
    expect(s.ys.at(-1)).toBe(5); // the mean of the bucket's live values
    // One empty minute between is two steps apart: within the threshold, not a gap.
    expect(s.ys.includes(null)).toBe(false);
  });

  it('breaks the line where data stops for longer than the threshold, and not for one late sample', () => {
    const s = new TrendSeries();
    s.load([T0], [1], 1, T0 + 5000);
    for (const dt of [1000, 2000, 4000, 5000]) s.add(T0 + dt, 1); // 3 s hole: jitter
    expect(s.ys.includes(null)).toBe(false);
    s.add(T0 + 30_000, 1); // 25 s silence
    const gap = s.ys.indexOf(null);
    expect(gap).toBeGreaterThan(0);
    expect(s.xs[gap]).toBeGreaterThan(T0 / 1000 + 5);
    expect(s.xs[gap]).toBeLessThan(T0 / 1000 + 30);
  });

  it('joins sparse values (lab results hours apart) without gaps', () => {
    const s = new TrendSeries(true);
    s.load([T0, T0 + 3600_000, T0 + 7200_000], [2.1, null, 1.8], 60, T0 + 7300_000);
    expect(s.ys).toEqual([2.1, 1.8]);
  });

  it('ignores values behind the grid and nulls', () => {
    const s = new TrendSeries();
    s.load([T0, T0 + 1000], [1, 2], 1, T0 + 3000);
    expect(s.add(T0 + 500, 9)).toBe(false);
    expect(s.add(T0 + 3000, null)).toBe(false);
    expect(s.add(T0 + 3000, Number.NaN)).toBe(false);
    expect(s.ys).toEqual([1, 2]);
    expect(s.last).toEqual({ x: T0 / 1000 + 1, y: 2 });
  });

  it('agrees with a brute-force bucketing of any live stream: per bucket the mean, gaps where the silence is long', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 40_000 }), v: fc.integer({ min: -50, max: 50 }) }), { maxLength: 60 }),
        fc.constantFrom(1, 2, 60),
        (steps, stepS) => {
          const s = new TrendSeries();
          s.load([T0], [null], stepS, T0);
          let ts = T0;
          const buckets = new Map<number, number[]>();
          for (const { dt, v } of steps) {
            ts += dt;
            s.add(ts, v);
            const b = Math.floor((ts - T0) / 1000 / stepS);
            buckets.set(b, [...(buckets.get(b) ?? []), v]);
          }
          const want = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
          const got = s.xs.map((x, i) => [x, s.ys[i]] as const).filter(([, y]) => y !== null);
          expect(got.map(([x]) => x)).toEqual(want.map(([b]) => T0 / 1000 + b * stepS));
          got.forEach(([, y], i) => expect(y).toBeCloseTo(want[i][1].reduce((a, b) => a + b, 0) / want[i][1].length, 9));
          // A null between two neighbours exactly where they are further apart than the threshold.
          const real = want.map(([b]) => T0 / 1000 + b * stepS);
          const gaps = real.slice(1).filter((x, i) => x - real[i] > gapThresholdS(stepS)).length;
          expect(s.ys.filter((y) => y === null).length).toBe(gaps);
        },
      ),
    );
  });

  it('trims what scrolled out of view, keeping one point before it', () => {
    const s = new TrendSeries();
    s.load([], [], 1, T0);
    for (let i = 0; i < 100; i++) s.add(T0 + i * 1000, i);
    s.trimBefore(T0 / 1000 + 50);
    expect(s.xs[0]).toBe(T0 / 1000 + 49);
    expect(s.ys.length).toBe(51);
  });
});

describe('zoom and pan', () => {
  const now = T0 + 86_400_000;
  it('zooms around the pointer, within the allowed spans, never past now', () => {
    const v = { fromMs: T0, toMs: T0 + 3600_000 };
    expect(zoomView(v, 0.5, T0 + 1800_000, now)).toEqual({ fromMs: T0 + 900_000, toMs: T0 + 2700_000 });
    expect(zoomView(v, 1e-9, T0, now).toMs - zoomView(v, 1e-9, T0, now).fromMs).toBe(MIN_SPAN_S * 1000);
    expect(zoomView({ fromMs: now - 60_000, toMs: now }, 2, now, now)).toEqual({ fromMs: now - 120_000, toMs: now });
  });
  it('pans by a fraction of the span, stopping at now', () => {
    const v = { fromMs: T0, toMs: T0 + 3600_000 };
    expect(panView(v, -0.5, now)).toEqual({ fromMs: T0 - 1800_000, toMs: T0 + 1800_000 });
    expect(panView({ fromMs: now - 7200_000, toMs: now - 1000 }, 1, now)).toEqual({ fromMs: now - 3600_000 - 3599_000, toMs: now });
  });
});
