import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minutesPerValue, thresholdBurden, type TimedValue } from './burden.js';

const MIN = 60_000;
const T = Date.parse('2026-11-20T00:00:00Z');

describe('oxygen-debt burden', () => {
  it('counts minutes and area under a threshold from values that hold until the next one', () => {
    // SvO2: 60 % for 10 min, 45 % for 5 min, 40 % for 5 min, then 70 %.
    const series = [
      { ts: T, value: 60 },
      { ts: T + 10 * MIN, value: 45 },
      { ts: T + 15 * MIN, value: 40 },
      { ts: T + 20 * MIN, value: 70 },
    ];
    const b = thresholdBurden(series, 50, true, Infinity, T, T + 30 * MIN);
    expect(b.minutes).toBe(10);
    expect(b.area).toBe(5 * 5 + 10 * 5); // (50 − 45) × 5 min + (50 − 40) × 5 min
    expect(b.knownMinutes).toBe(30);
    expect(b.unknownMinutes).toBe(0);
  });

  it('counts a gap longer than the maximum age as unknown, not as normal', () => {
    const series = [
      { ts: T, value: 40 },
      { ts: T + 30 * MIN, value: 40 },
    ];
    const b = thresholdBurden(series, 50, true, 10_000, T, T + 31 * MIN);
    expect(b.minutes).toBeCloseTo(20_000 / MIN, 12);
    expect(b.unknownMinutes).toBeCloseTo(31 - 20_000 / MIN, 12);
  });

  it('carries lactate results until the next one (≥ 4 counts, at the limit too)', () => {
    const results = [
      { ts: T, value: 6 },
      { ts: T + 2 * 60 * MIN, value: 4 },
      { ts: T + 4 * 60 * MIN, value: 2.5 },
    ];
    const b = thresholdBurden(results, 4, false, 6 * 60 * MIN, T, T + 6 * 60 * MIN);
    expect(b.minutes).toBe(240);
  });

  it('gives minutes per Phoenix band, and null as unknown', () => {
    const series = [
      { ts: T, value: 0 },
      { ts: T + MIN, value: 2 },
      { ts: T + 3 * MIN, value: null },
      { ts: T + 4 * MIN, value: 1 },
    ];
    expect(minutesPerValue(series, Infinity, T, T + 5 * MIN)).toEqual({ byValue: { '0': 1, '2': 2, '1': 1 }, unknownMinutes: 1 });
  });

  it('matches a brute-force integration second by second over random series with gaps (property)', () => {
    const seriesArb = fc
      .array(fc.record({ dt: fc.integer({ min: 1, max: 120 }), value: fc.option(fc.integer({ min: 0, max: 100 }), { freq: 8 }) }), {
        maxLength: 60,
      })
      .map((steps) => {
        let ts = 0;
        return steps.map((s) => ({ ts: (ts += s.dt) * 1000, value: s.value }));
      });
    fc.assert(
      fc.property(
        seriesArb,
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 3000 }),
        (series: TimedValue[], holdS, threshold, a, b) => {
          const from = Math.min(a, b) * 1000;
          const to = Math.max(a, b) * 1000;
          const exact = thresholdBurden(series, threshold, true, holdS * 1000, from, to);
          let inS = 0;
          let area = 0;
          let known = 0;
          for (let t = from; t < to; t += 1000) {
            // The value at t: the newest sample at or before t, while it is younger than the hold.
            const newest = series.filter((s) => s.ts <= t).at(-1);
            const v = newest && t < newest.ts + holdS * 1000 ? newest.value : null;
            if (v === null) continue;
            known++;
            if (v < threshold) {
              inS++;
              area += threshold - v;
            }
          }
          expect(exact.minutes * 60).toBeCloseTo(inS, 6);
          expect(exact.area * 60).toBeCloseTo(area, 6);
          expect(exact.knownMinutes * 60).toBeCloseTo(known, 6);
          expect((exact.knownMinutes + exact.unknownMinutes) * 60).toBeCloseTo((to - from) / 1000, 6);
        },
      ),
    );
  });
});
