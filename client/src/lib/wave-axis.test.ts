import { describe, expect, it } from 'vitest';
import { clock24 } from './clock.js';
import { TimeTickLabels } from './wave-axis.js';

const S = 1_700_000_000;

describe('time labels under a scrolling wave', () => {
  it('writes each tick as a 24-hour clock with seconds', () => {
    const t = new TimeTickLabels(40);
    expect(t.labels([S, S + 1])).toEqual([clock24(S * 1000, true), clock24((S + 1) * 1000, true)]);
    expect(t.labels([S])[0]).toMatch(/^\d\d:\d\d:\d\d$/);
  });

  it('hands back the same array and the same strings frame after frame', () => {
    const t = new TimeTickLabels(40);
    const first = t.labels([S, S + 1, S + 2]);
    const firstLabel = first[1];
    const next = t.labels([S + 1, S + 2]);
    expect(next).toBe(first);
    expect(next).toHaveLength(2);
    expect(next[0]).toBe(firstLabel);
  });

  it('leaves the labels blank on an axis that shows only its grid, and forgets old seconds past its limit', () => {
    const t = new TimeTickLabels(2);
    expect(t.labels([S, S + 1], false)).toEqual(['', '']);
    for (let i = 0; i < 10; i++) t.labels([S + i]);
    expect(t.labels([S + 3])).toEqual([clock24((S + 3) * 1000, true)]);
  });
});
