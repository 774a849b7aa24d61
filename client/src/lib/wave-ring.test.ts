import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WaveRing } from './wave-ring.js';

const RATE = 125;
const T0 = 1_700_000_000_000;
const CHUNK = 25; // 0.2 s at 125 Hz
const chunk = (from: number, n = CHUNK) => Array.from({ length: n }, (_, i) => from + i);

function columns(r: WaveRing): { xs: Float64Array; ys: Float32Array; t: number[]; v: number[] } {
  const xs = new Float64Array(r.capacity);
  const ys = new Float32Array(r.capacity);
  r.copyOrdered(xs, ys);
  const lead = r.capacity - r.size;
  return { xs, ys, t: Array.from(xs.subarray(lead)), v: Array.from(ys.subarray(lead)) };
}

describe('a waveform ring', () => {
  it('places each sample at its chunk ts + i / rateHz, so consecutive chunks join one period apart', () => {
    const r = new WaveRing(RATE, 12);
    expect(r.addChunk(T0, chunk(0))).toBe('first');
    expect(r.addChunk(T0 + 200, chunk(25))).toBe('joined');
    const { t, v } = columns(r);
    expect(t).toHaveLength(50);
    expect(v).toEqual(chunk(0, 50));
    for (let i = 1; i < t.length; i++) expect(t[i] - t[i - 1]).toBeCloseTo(1 / RATE, 6); // float64 holds epoch seconds to 0.24 µs
    expect(t[0]).toBe(T0 / 1000);
    expect(r.gapsBetween(-Infinity, Infinity)).toBe(0);
  });

  it('joins chunks whose ts is a millisecond off (device clock jitter) without a gap or a duplicate', () => {
    const r = new WaveRing(RATE, 12);
    r.addChunk(T0, chunk(0));
    expect(r.addChunk(T0 + 201, chunk(25))).toBe('joined');
    expect(r.addChunk(T0 + 399, chunk(50))).toBe('joined');
    expect(r.pointsBetween(-Infinity, Infinity)).toBe(75);
    expect(r.gapsBetween(-Infinity, Infinity)).toBe(0);
  });

  it('marks a real gap (more than two sample periods missing) with one marker just after the last sample', () => {
    const r = new WaveRing(RATE, 12);
    r.addChunk(T0, chunk(0));
    expect(r.addChunk(T0 + 200 + 3 * 8, chunk(25))).toBe('gap');
    const { t, v } = columns(r);
    expect(t).toHaveLength(51);
    expect(Number.isNaN(v[25])).toBe(true);
    expect(t[25]).toBeCloseTo((T0 + 200) / 1000, 6);
    expect(r.gapsBetween(-Infinity, Infinity)).toBe(1);
    expect(r.pointsBetween(-Infinity, Infinity)).toBe(50);
  });

  it('takes two missing periods as jitter, not as a gap', () => {
    const r = new WaveRing(RATE, 12);
    r.addChunk(T0, chunk(0));
    expect(r.addChunk(T0 + 200 + 2 * 8, chunk(25))).toBe('joined');
  });

  it('skips samples it already holds (a resent or overlapping chunk) and drops a chunk wholly in the past', () => {
    const r = new WaveRing(RATE, 12);
    r.addChunk(T0, chunk(0));
    r.addChunk(T0 + 200, chunk(25));
    expect(r.addChunk(T0 + 200, chunk(25))).toBe('late');
    expect(r.addChunk(T0 + 100, chunk(100, 50))).toBe('joined');
    const { t, v } = columns(r);
    expect(t).toHaveLength(62);
    expect(v.slice(48)).toEqual([48, 49, ...chunk(138, 12)]);
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeGreaterThan(t[i - 1]);
  });

  it('starts over when the device clock goes back by more than the span it holds', () => {
    const r = new WaveRing(RATE, 12);
    r.addChunk(T0, chunk(0));
    expect(r.addChunk(T0 - 60_000, chunk(500))).toBe('restart');
    expect(columns(r).v).toEqual(chunk(500));
  });

  it('keeps the newest samples when full, oldest first, the columns padded in front with −Infinity', () => {
    const r = new WaveRing(RATE, 1);
    for (let k = 0; k < 20; k++) r.addChunk(T0 + k * 200, chunk(k * CHUNK));
    expect(r.size).toBe(r.capacity);
    const { xs, v } = columns(r);
    expect(v[v.length - 1]).toBe(20 * CHUNK - 1);
    expect(v[0]).toBe(20 * CHUNK - r.capacity);

    const small = new WaveRing(RATE, 12);
    small.addChunk(T0, chunk(0));
    const c = columns(small);
    expect(c.xs[0]).toBe(-Infinity);
    expect(Number.isNaN(c.ys[0])).toBe(true);
    expect(xs[0]).toBeGreaterThan(0);
  });

  it('counts the samples and gaps inside a time window', () => {
    const r = new WaveRing(RATE, 12);
    r.addChunk(T0, chunk(0));
    r.addChunk(T0 + 1200, chunk(25));
    const s = T0 / 1000;
    expect(r.pointsBetween(s, s + 0.1)).toBe(13); // 0, 8, …, 96 ms
    expect(r.gapsBetween(s, s + 0.1)).toBe(0);
    expect(r.gapsBetween(s, s + 1)).toBe(1);
    expect(r.pointsBetween(s + 1.2, s + 10)).toBe(25);
  });

  it('keeps its columns sorted and its samples in order whatever chunks arrive', () => {
    const chunkArb = fc.record({ startMs: fc.integer({ min: -3000, max: 30_000 }), n: fc.integer({ min: 1, max: 300 }) });
    fc.assert(
      fc.property(fc.array(chunkArb, { minLength: 1, maxLength: 40 }), (chunks) => {
        const r = new WaveRing(RATE, 12);
        let value = 0;
        for (const c of chunks) r.addChunk(T0 + c.startMs, chunk((value += 1000), c.n));
        const { xs, t, v } = columns(r);
        const sorted = xs.every((x, i) => i === 0 || x >= xs[i - 1]) && t.every((x, i) => i === 0 || x > t[i - 1]);
        // no two markers in a row, and never a marker first
        const markersApart = v.every((y, i) => !Number.isNaN(y) || (i > 0 && !Number.isNaN(v[i - 1])));
        const samplesInOrder = v.filter((y) => !Number.isNaN(y)).every((y, i, a) => i === 0 || y > a[i - 1]);
        expect({ sorted, markersApart, samplesInOrder, fits: r.size <= r.capacity }).toEqual({
          sorted: true,
          markersApart: true,
          samplesInOrder: true,
          fits: true,
        });
      }),
    );
  });
});
