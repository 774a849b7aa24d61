import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRate, parseRate, TokenBucket, type Rate } from './token-bucket.js';

const rate = fc.record({ perS: fc.integer({ min: 1, max: 500 }), burst: fc.integer({ min: 1, max: 1000 }) });
/** Arrival times in ms, ascending. */
const arrivals = fc.array(fc.integer({ min: 0, max: 2_000 }), { maxLength: 400 }).map((gaps) => {
  let t = 0;
  return gaps.map((g) => (t += g));
});

function run(r: Rate, times: readonly number[], start = 0): boolean[] {
  const b = new TokenBucket(r, start);
  return times.map((t) => b.take(t));
}

describe('a token bucket', () => {
  it('lets a full burst through at once, then refuses', () => {
    const b = new TokenBucket({ perS: 10, burst: 5 }, 0);
    expect([1, 2, 3, 4, 5, 6].map(() => b.take(0))).toEqual([true, true, true, true, true, false]);
  });

  it('refills at its rate, never beyond its burst', () => {
    const b = new TokenBucket({ perS: 10, burst: 5 }, 0);
    for (let i = 0; i < 5; i++) b.take(0);
    expect(b.take(50)).toBe(false); // half a token
    expect(b.take(100)).toBe(true); // one token after 100 ms at 10/s
    expect(b.take(100)).toBe(false);
    // an hour of silence fills it to the burst, no more
    expect(Array.from({ length: 6 }, () => b.take(3_600_000)).filter(Boolean)).toHaveLength(5);
  });

  it('never lets more through than the burst plus the rate times the time elapsed', () => {
    fc.assert(
      fc.property(rate, arrivals, (r, times) => {
        const passed = run(r, times);
        // every window [times[i], times[j]]: at most burst + rate × duration
        for (let i = 0; i < times.length; i += 7) {
          let n = 0;
          for (let j = i; j < times.length; j++) {
            if (passed[j]) n++;
            expect(n).toBeLessThanOrEqual(r.burst + (r.perS * (times[j] - times[i])) / 1000 + 1e-6);
          }
        }
      }),
    );
  });

  it('never refuses a sender that keeps to the rate', () => {
    fc.assert(
      fc.property(rate, fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: 1000 }), (r, n, slack) => {
        // one publish every 1/rate seconds or more slowly
        const interval = 1000 / r.perS + slack;
        const times = Array.from({ length: n }, (_, i) => i * interval);
        expect(run(r, times).every(Boolean)).toBe(true);
      }),
    );
  });

  it('once full again behaves exactly as a new bucket, so an idle one may be forgotten', () => {
    fc.assert(
      fc.property(rate, arrivals, arrivals, (r, before, after) => {
        const b = new TokenBucket(r, 0);
        for (const t of before) b.take(t);
        const end = before.at(-1) ?? 0;
        const idle = end + Math.ceil((r.burst / r.perS) * 1000);
        expect(b.full(idle)).toBe(true);
        const later = after.map((t) => t + idle);
        expect(later.map((t) => b.take(t))).toEqual(run(r, later, idle));
      }),
    );
  });

  it('gives back a token without exceeding its burst', () => {
    const b = new TokenBucket({ perS: 1, burst: 2 }, 0);
    b.giveBack();
    expect([b.take(0), b.take(0), b.take(0)]).toEqual([true, true, false]);
    b.giveBack();
    expect(b.take(0)).toBe(true);
  });

  it('takes nothing from a clock that steps back', () => {
    const b = new TokenBucket({ perS: 1, burst: 1 }, 1000);
    expect(b.take(1000)).toBe(true);
    expect(b.take(0)).toBe(false);
    expect(b.take(2000)).toBe(true);
  });
});

describe('a rate setting', () => {
  it('reads RATE/BURST, RATE (a burst of four seconds), and off', () => {
    expect(parseRate('50/200')).toEqual({ perS: 50, burst: 200 });
    expect(parseRate(' 50 ')).toEqual({ perS: 50, burst: 200 });
    expect(parseRate('0.5/3')).toEqual({ perS: 0.5, burst: 3 });
    expect(parseRate('0.1')).toEqual({ perS: 0.1, burst: 1 });
    expect(parseRate('off')).toBeNull();
    expect(parseRate('OFF')).toBeNull();
    expect(parseRate('0')).toBeNull();
    expect(parseRate('0/10')).toBeNull();
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'fast', '-5', '50/', '/200', '50/0', '50/2.5', '1e3', '50/200/1', 'Infinity'])
      expect(parseRate(bad), bad).toBeUndefined();
  });

  it('is written back as it is read', () => {
    expect(formatRate({ perS: 50, burst: 200 })).toBe('50/200');
    expect(formatRate(null)).toBe('off');
  });
});
