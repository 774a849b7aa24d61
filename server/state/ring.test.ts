import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeRing } from './ring.js';

describe('TimeRing', () => {
  it('keeps samples in time order even when they arrive out of order, up to its capacity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 })), { maxLength: 300 }),
        fc.integer({ min: 1, max: 100 }),
        (samples, capacity) => {
          const ring = new TimeRing(capacity);
          const model = new Map<number, number>();
          for (const [ts, v] of samples) {
            const inserted = ring.insert(ts, v);
            if (inserted) model.set(ts, v);
            // the model keeps only what the ring may keep: the newest `capacity` times
            const keys = [...model.keys()].sort((a, b) => a - b);
            while (keys.length > capacity) model.delete(keys.shift()!);
          }
          const expected = [...model.entries()].sort((a, b) => a[0] - b[0]);
          const got: [number, number][] = [];
          for (let i = 0; i < ring.length; i++) got.push([ring.tsAt(i), ring.valueAt(i)]);
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a second sample at the same time and one older than a full buffer', () => {
    const ring = new TimeRing(2);
    expect(ring.insert(10, 1)).toBe(true);
    expect(ring.insert(10, 2)).toBe(false);
    expect(ring.insert(20, 3)).toBe(true);
    expect(ring.insert(5, 4)).toBe(false);
    expect(ring.slice(0)).toEqual({ t: [10, 20], v: [1, 3] });
  });

  it('slices a time range and turns NaN (sensor off) into null', () => {
    const ring = new TimeRing(10);
    [1, 2, 3, 4].forEach((t) => ring.insert(t * 1000, t === 3 ? NaN : t));
    expect(ring.slice(2000, 3500)).toEqual({ t: [2000, 3000], v: [2, null] });
  });
});
