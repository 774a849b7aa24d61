import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeRing } from './ring.js';

/**
 * What a ring of `capacity` must hold after a stream, recomputed by brute force from the whole
 * stream (not from what the ring answered): every distinct time once, with the first value sent at
 * it; of those, the newest `capacity`; in time order.
 */
function expectedContents(stream: readonly [number, number][], capacity: number): [number, number][] {
  const firstValue = new Map<number, number>();
  for (const [ts, v] of stream) if (!firstValue.has(ts)) firstValue.set(ts, v);
  const all = [...firstValue.entries()].sort((a, b) => a[0] - b[0]);
  return all.slice(Math.max(0, all.length - capacity));
}

function contents(ring: TimeRing): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < ring.length; i++) out.push([ring.tsAt(i), ring.valueAt(i)]);
  return out;
}

/** Any double, NaN (a null sample) included. */
const value = fc.double();
/** Times in a small range, so that streams repeat times and arrive out of order. */
const time = fc.integer({ min: 0, max: 500 });
/** Capacities on both sides of the first growth (64 slots) and of the second (128). */
const capacity = fc.integer({ min: 1, max: 160 });

describe('TimeRing', () => {
  it('holds every sample it was given, in time order with its own value, in whatever order they arrive (within capacity)', () => {
    fc.assert(
      fc.property(
        capacity.chain((cap) =>
          fc.tuple(fc.constant(cap), fc.uniqueArray(fc.tuple(time, value), { selector: ([t]) => t, maxLength: cap, size: 'max' })),
        ),
        ([cap, samples]) => {
          const ring = new TimeRing(cap);
          for (const [ts, v] of samples) expect(ring.insert(ts, v), `insert at ${ts}`).toBe(true);
          expect(contents(ring)).toEqual([...samples].sort((a, b) => a[0] - b[0]));
          expect(ring.length).toBe(samples.length);
          expect(ring.first).toBe(0);
          expect(ring.end).toBe(samples.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('after any stream (late, repeated and overflowing) holds the newest `capacity` times, each with the first value sent at it', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(time, value), { maxLength: 400, size: 'max' }), capacity, (stream, cap) => {
        const ring = new TimeRing(cap);
        const seen = new Set<number>();
        let late = 0;
        let accepted = 0;
        stream.forEach(([ts, v], i) => {
          const newer = [...seen].filter((t) => t > ts).length;
          // Kept: a time not seen before, with fewer than `capacity` distinct times after it.
          const kept = !seen.has(ts) && newer < cap;
          if (kept) accepted++;
          if (kept && newer > 0) late++;
          seen.add(ts);
          expect(ring.insert(ts, v), `sample ${i} at ${ts}`).toBe(kept);
        });
        const want = expectedContents(stream, cap);
        expect(contents(ring)).toEqual(want);
        // Absolute indices: one per sample ever kept; the evicted ones are below `first`.
        expect(ring.end).toBe(accepted);
        expect(ring.first).toBe(accepted - want.length);
        expect(ring.lateInserts).toBe(late);
        expect(ring.newestTs()).toBe(want.length ? want[want.length - 1][0] : -Infinity);
        for (const probe of [-1, 0, 100, 250, 250.5, 499, 500, 501]) {
          expect(ring.lowerBound(probe), `lowerBound(${probe})`).toBe(want.filter(([t]) => t < probe).length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('evicts the oldest sample when full, both for a new sample and for a late one', () => {
    const ring = new TimeRing(3);
    for (const t of [10, 20, 30, 40, 50]) ring.insert(t, t / 10);
    expect(contents(ring)).toEqual([
      [30, 3],
      [40, 4],
      [50, 5],
    ]);
    expect(ring.first).toBe(2);
    expect(ring.insert(35, 3.5)).toBe(true);
    expect(contents(ring)).toEqual([
      [35, 3.5],
      [40, 4],
      [50, 5],
    ]);
    expect(ring.first).toBe(3);
    expect(ring.end).toBe(6);
  });

  it('keeps its samples when it grows past its first 64 slots, also when a late sample makes it grow', () => {
    const ring = new TimeRing(100);
    for (let t = 1; t <= 64; t++) ring.insert(t * 10, t);
    expect(ring.insert(5, 0.5)).toBe(true);
    for (let t = 65; t <= 90; t++) ring.insert(t * 10, t);
    expect(contents(ring)).toEqual([[5, 0.5], ...Array.from({ length: 90 }, (_, i): [number, number] => [(i + 1) * 10, i + 1])]);
  });

  it('refuses a second sample at the same time and one older than a full buffer', () => {
    const ring = new TimeRing(2);
    expect(ring.insert(10, 1)).toBe(true);
    expect(ring.insert(10, 2)).toBe(false);
    expect(ring.insert(20, 3)).toBe(true);
    expect(ring.insert(5, 4)).toBe(false);
    expect(ring.slice(0)).toEqual({ t: [10, 20], v: [1, 3] });
  });

  it('has no newest time while empty', () => {
    const ring = new TimeRing(4);
    expect(ring.length).toBe(0);
    expect(ring.newestTs()).toBe(-Infinity);
    expect(ring.slice(-Infinity)).toEqual({ t: [], v: [] });
  });

  it('slices a time range and turns NaN (sensor off) into null', () => {
    const ring = new TimeRing(10);
    [1, 2, 3, 4].forEach((t) => ring.insert(t * 1000, t === 3 ? NaN : t));
    expect(ring.slice(2000, 3500)).toEqual({ t: [2000, 3000], v: [2, null] });
  });

  it('slices exactly the samples with times in [from, to], both ends included', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(time, value), { maxLength: 200, size: 'max' }), capacity, time, time, (stream, cap, a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const ring = new TimeRing(cap);
        for (const [ts, v] of stream) ring.insert(ts, v);
        const want = expectedContents(stream, cap).filter(([t]) => t >= from && t <= to);
        expect(ring.slice(from, to)).toEqual({ t: want.map(([t]) => t), v: want.map(([, v]) => (Number.isNaN(v) ? null : v)) });
      }),
      { numRuns: 200 },
    );
  });
});
