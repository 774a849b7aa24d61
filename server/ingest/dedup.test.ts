import { describe, expect, it } from 'vitest';
import { DuplicateFilter } from './dedup.js';

const T = 1_700_000_000_000;
const MIN = 60_000;

describe('duplicate detection per device stream', () => {
  it('lets newer messages through and remembers them', () => {
    const d = new DuplicateFilter();
    expect(d.check('b1/ecmo/numerics', T, 1)).toBe(false);
    expect(d.check('b1/ecmo/numerics', T + 1000, 2)).toBe(false);
    expect(d.check('b1/ecmo/numerics', T + 2000, undefined)).toBe(false);
    expect(d.check('b1/ecmo/numerics', T + 2000, undefined)).toBe(true);
  });

  it('finds a repeated time among older messages, with or without seq', () => {
    const d = new DuplicateFilter();
    d.check('s', T, 1);
    d.check('s', T + 1000, 2);
    expect(d.check('s', T, 1)).toBe(true);
    expect(d.check('s', T, undefined)).toBe(true);
    expect(d.check('s', T, 99)).toBe(true);
    expect(d.check('s', T + 500, undefined)).toBe(false); // late but new
  });

  it('counts a repeated time as a duplicate even when its seq is new', () => {
    const d = new DuplicateFilter();
    d.check('s', T, 1);
    expect(d.check('s', T, 2)).toBe(true);
  });

  it('counts a repeated seq as a duplicate within 10 min of its first use, and as a restarted device after', () => {
    const d = new DuplicateFilter();
    d.check('s', T, 5);
    d.check('s', T + 1000, 6);
    expect(d.check('s', T + 10 * MIN, 5)).toBe(true);
    expect(d.check('s', T + 10 * MIN + 1, 5)).toBe(false);
    // A repeated seq a little earlier than its first use is also a redelivery.
    expect(d.check('s', T + 1000 - 10 * MIN, 6)).toBe(true);
  });

  it('lets an older message with a seq it has not seen through', () => {
    const d = new DuplicateFilter();
    d.check('s', T, 5);
    d.check('s', T + 1000, 6);
    expect(d.check('s', T + 500, 3)).toBe(false);
    expect(d.check('s', T + 500, 3)).toBe(true);
  });

  it('treats a newer time with an old seq as a possible redelivery and checks the seq', () => {
    const d = new DuplicateFilter();
    d.check('s', T, 5);
    d.check('s', T + 1000, 6);
    expect(d.check('s', T + 2000, 5)).toBe(true);
    expect(d.check('s', T + 2000, 4)).toBe(false);
  });

  it('remembers the newest seq even when it came with an older time', () => {
    const d = new DuplicateFilter();
    d.check('s', T + 1000, 1);
    d.check('s', T, 9);
    // Newer time, seq below the newest: scanned, and seq 9 is found.
    expect(d.check('s', T + 2000, 9)).toBe(true);
  });

  it('still finds a repeated seq after a lower one (a restart) arrived in between', () => {
    const d = new DuplicateFilter();
    d.check('s', T, 9);
    expect(d.check('s', T + 1000, 1)).toBe(false);
    expect(d.check('s', T + 2000, 9)).toBe(true);
  });

  it('does not mistake a message without seq for one with seq', () => {
    const d = new DuplicateFilter();
    d.check('s', T, undefined);
    expect(d.check('s', T + 1000, 1)).toBe(false);
    expect(d.check('s', T + 500, undefined)).toBe(false);
  });

  it('remembers the last 64 messages of a stream', () => {
    const d = new DuplicateFilter();
    for (let i = 0; i < 65; i++) d.check('s', T + i * 1000, undefined);
    expect(d.check('s', T, undefined)).toBe(false); // the 65th message pushed it out
    expect(d.check('s', T + 2000, undefined)).toBe(true);
  });

  it('keeps each stream apart', () => {
    const d = new DuplicateFilter();
    d.check('b1/ecmo/numerics', T, 1);
    expect(d.check('b1/monitor/numerics', T, 1)).toBe(false);
    expect(d.check('b2/ecmo/numerics', T, 1)).toBe(false);
  });

  it('forgets every stream of a device that comes back online, and only those', () => {
    const d = new DuplicateFilter();
    d.check('b1/ecmo/numerics', T, 1);
    d.check('b1/ecmo/status', T, 1);
    d.check('b1/monitor/numerics', T, 1);
    d.check('b11/ecmo/numerics', T, 1);
    d.resetDevice('b1/ecmo/');
    expect(d.check('b1/ecmo/numerics', T, 1)).toBe(false);
    expect(d.check('b1/ecmo/status', T, 1)).toBe(false);
    expect(d.check('b1/monitor/numerics', T, 1)).toBe(true);
    expect(d.check('b11/ecmo/numerics', T, 1)).toBe(true);
  });
});
