import { describe, expect, it } from 'vitest';
import { TREND_WINDOW_MS, TrendLine, fillTrend, rangeText, scaleOf, xOf, yOf, type TrendHistory } from './sparkline.js';

const MIN = 60_000;
/** A minute boundary, as the server's minute-aligned grid has them. */
const T = 1_900_000_020 * MIN;

/** History of `values` one minute apart, the first at T, read at `toMs` (default: 20 s into the last minute). */
function hist(values: (number | null)[], toMs = T + (values.length - 1) * MIN + 20_000): TrendHistory {
  return { t: values.map((_, i) => T + i * MIN), v: values, stepMs: MIN, toMs };
}

/** The points of a line as [t, v, begins] rows. */
const rows = (l: TrendLine) => Array.from({ length: l.n }, (_, i) => [l.t[i], l.v[i], l.begins[i]]);

describe('the points of a trend line', () => {
  it('joins minutes with data into one line, with its min and max', () => {
    const l = fillTrend(new TrendLine(), hist([2, 2.1, 1.9, 2]), null, T);
    expect(rows(l)).toEqual([
      [T, 2, 1],
      [T + MIN, 2.1, 0],
      [T + 2 * MIN, 1.9, 0],
      [T + 3 * MIN, 2, 0],
    ]);
    expect(l.segments).toBe(1);
    expect([l.min, l.max]).toEqual([1.9, 2.1]);
  });

  it('never bridges a minute without data: the line breaks there', () => {
    const l = fillTrend(new TrendLine(), hist([2, 2.1, null, null, 1.8, 1.9]), null, T);
    expect(l.n).toBe(4);
    expect(l.segments).toBe(2);
    expect(Array.from(l.begins.subarray(0, l.n))).toEqual([1, 0, 1, 0]);
  });

  it('counts a lone minute between gaps as a segment of its own (drawn as a dot)', () => {
    const l = fillTrend(new TrendLine(), hist([2, null, 2.2, null, 2.4]), null, T);
    expect(l.segments).toBe(3);
  });

  it('adds the live value as the right-most point, continuing the line', () => {
    const h = hist([2, 2.1, 2.2]);
    const l = fillTrend(new TrendLine(), h, { t: h.toMs + 5_000, v: 2.5 }, T);
    expect(l.n).toBe(4);
    expect(l.segments).toBe(1);
    expect([l.t[3], l.v[3]]).toEqual([h.toMs + 5_000, 2.5]);
    expect(l.max).toBe(2.5);
  });

  it('does not count the minute still filling when the history was read as a gap', () => {
    // read 2 s into the last minute, nothing recorded in it yet
    const h = hist([2, 2.1, null], T + 2 * MIN + 2_000);
    const l = fillTrend(new TrendLine(), h, { t: T + 2 * MIN + 30_000, v: 2.2 }, T);
    expect(l.segments).toBe(1);
    expect(l.n).toBe(3);
  });

  it('leaves the live value on its own after an empty minute, or when the history is too old to say', () => {
    const afterGap = fillTrend(new TrendLine(), hist([2, 2.1, null, null]), { t: T + 3 * MIN + 30_000, v: 2 }, T);
    expect(afterGap.segments).toBe(2);
    expect(afterGap.begins[afterGap.n - 1]).toBe(1);
    const h = hist([2, 2.1]);
    const old = fillTrend(new TrendLine(), h, { t: h.toMs + 3 * MIN, v: 2 }, T);
    expect(old.segments).toBe(2);
  });

  it('leaves out a live value the history already reaches past, and minutes before the window', () => {
    const h = hist([1, 2, 3, 4]);
    const l = fillTrend(new TrendLine(), h, { t: T + MIN, v: 9 }, T + 2 * MIN);
    expect(rows(l).map((r) => r[1])).toEqual([3, 4]);
  });

  it('has no points without history or live value, and one for a live value alone', () => {
    expect(fillTrend(new TrendLine(), null, null, T).n).toBe(0);
    expect(fillTrend(new TrendLine(), hist([null, null, null]), null, T).n).toBe(0);
    const alone = fillTrend(new TrendLine(), null, { t: T, v: 60 }, T);
    expect([alone.n, alone.segments]).toEqual([1, 1]);
  });

  it('reuses its buffers between fills and grows them for a longer history', () => {
    const l = new TrendLine();
    const buffer = l.t;
    fillTrend(l, hist([1, 2, 3]), null, T);
    fillTrend(l, hist([4, 5]), null, T);
    expect(l.t).toBe(buffer);
    expect(rows(l).map((r) => r[1])).toEqual([4, 5]);
    const long = Array.from({ length: 200 }, (_, i) => i);
    fillTrend(l, hist(long), null, T);
    expect(l.n).toBe(200);
    expect([l.v[0], l.v[199], l.min, l.max, l.segments]).toEqual([0, 199, 0, 199, 1]);
  });
});

describe('the scale and place of a trend line', () => {
  it('spans min to max, widened about the middle to a minimum span', () => {
    expect(scaleOf(55, 67, 5)).toEqual({ lo: 55, hi: 67 });
    const noise = scaleOf(1.99, 2.01, 0.2);
    expect(noise.lo).toBeCloseTo(1.9, 9);
    expect(noise.hi).toBeCloseTo(2.1, 9);
    const flat = scaleOf(60, 60, 4);
    expect([flat.lo, flat.hi]).toEqual([58, 62]);
    expect(scaleOf(NaN, NaN, 1)).toEqual({ lo: 0, hi: 1 });
  });

  it('maps the hour left to right and higher values up', () => {
    expect(xOf(T, T, T + TREND_WINDOW_MS, 200)).toBe(0);
    expect(xOf(T + TREND_WINDOW_MS / 2, T, T + TREND_WINDOW_MS, 200)).toBe(100);
    expect(xOf(T + TREND_WINDOW_MS, T, T + TREND_WINDOW_MS, 200)).toBe(200);
    expect(yOf(67, 55, 67, 2, 10)).toBe(2);
    expect(yOf(55, 55, 67, 2, 10)).toBe(12);
    expect(yOf(61, 55, 67, 2, 10)).toBe(7);
  });

  it('writes the hour’s min–max with the catalogue’s precision', () => {
    expect(rangeText('flow', 1.8, 2.1)).toBe('1.80–2.10');
    expect(rangeText('map', 54.6, 67.2)).toBe('55–67');
    expect(rangeText('flow', 2, 2.001)).toBe('2.00');
    expect(rangeText('map', NaN, NaN)).toBe('');
  });
});
