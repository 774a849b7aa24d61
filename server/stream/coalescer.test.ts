import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from './coalescer.js';

describe('Coalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a lone change at once and merges a burst into one send per interval', () => {
    const flushed: number[] = [];
    const c = new Coalescer<string>(
      250,
      () => flushed.push(Date.now()),
      () => Date.now(),
    );
    const t0 = Date.now();
    c.touch('b1');
    expect(flushed).toEqual([t0]); // leading edge: no delay
    for (let i = 0; i < 100; i++) {
      vi.advanceTimersByTime(10); // a burst of 100 changes over one second
      c.touch('b1');
    }
    vi.advanceTimersByTime(500);
    // 100 changes over 1 s, then quiet: sends at 0, 250, 500, 750, 1000 and one trailing send
    expect(flushed.length).toBeLessThanOrEqual(6);
    expect(flushed.length).toBeGreaterThanOrEqual(5); // merged changes are delayed, never dropped
    for (let i = 1; i < flushed.length; i++) expect(flushed[i] - flushed[i - 1]).toBeGreaterThanOrEqual(250);
  });

  it('after a quiet interval, the next change again goes out at once', () => {
    const flushed: number[] = [];
    const c = new Coalescer<string>(
      250,
      () => flushed.push(Date.now()),
      () => Date.now(),
    );
    c.touch('b1');
    vi.advanceTimersByTime(1000);
    const t = Date.now();
    c.touch('b1');
    expect(flushed.at(-1)).toBe(t);
  });

  it('keeps beds apart: a burst on one bed does not delay another bed', () => {
    const flushed: string[] = [];
    const c = new Coalescer<string>(
      250,
      (k) => flushed.push(k),
      () => Date.now(),
    );
    c.touch('a');
    c.touch('a');
    c.touch('b');
    expect(flushed).toEqual(['a', 'b']);
  });
});
