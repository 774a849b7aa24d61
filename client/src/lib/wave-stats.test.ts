import { describe, expect, it } from 'vitest';
import { lowerBound, waveNumbers, waveRange } from './wave-stats.js';

const RATE = 125;

/** `seconds` of a wave at 125 Hz from t = 100 s: `f(phase of the beat)` scaled between lo and hi. */
function wave(seconds: number, bpm: number, lo: number, hi: number, f = (p: number) => 0.5 - 0.5 * Math.cos(2 * Math.PI * p)) {
  const n = seconds * RATE;
  const xs = new Float64Array(n);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = 100 + i / RATE;
    ys[i] = lo + (hi - lo) * f(((i / RATE) * bpm) / 60 - Math.floor(((i / RATE) * bpm) / 60));
  }
  return { xs, ys };
}

/** An arterial beat: a quick upstroke, a dicrotic notch, a slow run-off. */
const arterial = (p: number) =>
  p < 0.15
    ? Math.sin((p / 0.15) * (Math.PI / 2))
    : p < 0.35
      ? 1 - ((p - 0.15) / 0.2) * 0.4
      : p < 0.4
        ? 0.6 + 0.08 * Math.sin(((p - 0.35) / 0.05) * Math.PI)
        : 0.6 * (1 - (p - 0.4) / 0.6);

describe('numbers read from a wave', () => {
  it('reads systolic and diastolic as the extremes, the mean over whole beats, and the pulse rate', () => {
    const { xs, ys } = wave(5, 120, 45, 80);
    const n = waveNumbers(xs, ys, 100, 10)!;
    expect(n.max).toBeCloseTo(80, 1);
    expect(n.min).toBeCloseTo(45, 1);
    expect(n.mean).toBeCloseTo(62.5, 1);
    expect(n.ratePerMin).toBeCloseTo(120, 0);
  });

  it('counts an arterial beat once despite its dicrotic notch', () => {
    const { xs, ys } = wave(6, 90, 40, 90, arterial);
    expect(waveNumbers(xs, ys, 100, 10)!.ratePerMin).toBeCloseTo(90, 0);
  });

  it('reads only the samples from the given time on', () => {
    const a = wave(4, 120, 45, 80);
    const b = wave(4, 120, 60, 100);
    const xs = new Float64Array([...a.xs, ...b.xs.map((x) => x + 4)]);
    const ys = new Float32Array([...a.ys, ...b.ys]);
    const n = waveNumbers(xs, ys, 104, 10)!;
    expect(n.min).toBeCloseTo(60, 1);
    expect(n.max).toBeCloseTo(100, 1);
  });

  it('reads the pulse rate and mean from whole beats on either side of a gap, not across it', () => {
    const a = wave(3, 120, 45, 80);
    const b = wave(3, 120, 45, 80);
    // one second missing between the two runs, marked where it starts
    const xs = new Float64Array([...a.xs, a.xs[a.xs.length - 1] + 1 / RATE, ...b.xs.map((x) => x + 4)]);
    const ys = new Float32Array([...a.ys, NaN, ...b.ys]);
    const n = waveNumbers(xs, ys, 100, 10)!;
    expect(n.ratePerMin).toBeCloseTo(120, 0);
    expect(n.mean).toBeCloseTo(62.5, 1);
  });

  it('skips gap markers, and has no pulse rate from a flat line or too few beats', () => {
    const flat = { xs: new Float64Array([1, 2, 3, 4]), ys: new Float32Array([80, NaN, 80.5, 80]) };
    expect(waveNumbers(flat.xs, flat.ys, 0, 10)).toEqual({ max: 80.5, min: 80, mean: 80.5 / 3 + 160 / 3, ratePerMin: null });
    const short = wave(1, 60, 40, 90);
    expect(waveNumbers(short.xs, short.ys, 100, 10)!.ratePerMin).toBeNull();
    expect(waveNumbers(new Float64Array([1]), new Float32Array([NaN]), 0, 10)).toBeNull();
    expect(waveNumbers(flat.xs, flat.ys, 10, 10)).toBeNull();
  });

  it('finds where a time falls in sorted columns', () => {
    const xs = [-Infinity, -Infinity, 1, 2, 2, 3];
    expect(lowerBound(xs, 2)).toBe(3);
    expect(lowerBound(xs, 0)).toBe(2);
    expect(lowerBound(xs, 9)).toBe(6);
  });
});

describe('the vertical scale of a wave', () => {
  it('spans the wave in whole steps with a quarter step to spare', () => {
    expect(waveRange(44.2, 81.7, 10)).toEqual([40, 90]);
    expect(waveRange(45, 80, 10)).toEqual([40, 90]);
  });

  it('stays put while the wave moves inside it, and follows when the wave leaves it or shrinks far inside', () => {
    const scale: [number, number] = [NaN, NaN];
    waveRange(45, 80, 10, scale);
    expect(waveRange(43, 86, 10, scale)).toEqual([40, 90]);
    expect(waveRange(46, 78, 10, scale)).toBe(scale);
    expect(scale).toEqual([40, 90]);
    expect(waveRange(46, 95, 10, scale)).toEqual([40, 100]);
    expect(waveRange(60, 66, 10, scale)).toEqual([50, 70]);
  });

  it('is at least two steps tall, and keeps its place (or a default) without samples', () => {
    expect(waveRange(80, 80, 10)).toEqual([70, 90]);
    expect(waveRange(Infinity, -Infinity, 10)).toEqual([0, 20]);
    expect(waveRange(Infinity, -Infinity, 10, [40, 90])).toEqual([40, 90]);
  });
});
