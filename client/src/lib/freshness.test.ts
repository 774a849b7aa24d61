import { describe, expect, it } from 'vitest';
import { formatAge, formatAgeShort, freshnessOf } from './freshness.js';

const NOW = 1_000_000_000;

describe('freshness on screen', () => {
  it('shows a monitor value as current for 10 s and stale after', () => {
    expect(freshnessOf({ value: 80, ts: NOW - 10_000, source: 'monitor' }, 'hr', NOW).state).toBe('fresh');
    expect(freshnessOf({ value: 80, ts: NOW - 10_001, source: 'monitor' }, 'hr', NOW).state).toBe('stale');
  });

  it('uses the lab maximum age for lab values: a lab hb is current for 12 h, a console hb for 10 s', () => {
    expect(freshnessOf({ value: 10, ts: NOW - 3600_000, source: 'lab' }, 'lab.arterial.hb', NOW).state).toBe('fresh');
    expect(freshnessOf({ value: 10, ts: NOW - 3600_000, source: 'ecmo' }, 'hb', NOW).state).toBe('stale');
    expect(freshnessOf({ value: 3, ts: NOW - 5 * 3600_000, source: 'lab' }, 'lab.venous.lactate', NOW).state).toBe('fresh');
    expect(freshnessOf({ value: 3, ts: NOW - 7 * 3600_000, source: 'lab' }, 'lab.venous.lactate', NOW).state).toBe('stale');
  });

  it('tells a sensor switched off from a signal never received', () => {
    expect(freshnessOf({ value: null, ts: NOW, source: 'monitor' }, 'cvp', NOW).state).toBe('off');
    expect(freshnessOf(undefined, 'cvp', NOW).state).toBe('none');
  });

  it('writes ages in words a clinician reads at a glance', () => {
    expect(formatAge(8.4)).toBe('8 s');
    expect(formatAge(250)).toBe('4 min');
    expect(formatAge(3 * 3600 + 600)).toBe('3 h 10 min');
    expect(formatAge(2 * 86400)).toBe('2 d');
  });

  it('writes ages in narrow cells with their largest unit only', () => {
    expect(formatAgeShort(8.4)).toBe('8 s');
    expect(formatAgeShort(35 * 60)).toBe('35 min');
    expect(formatAgeShort(3 * 3600 + 600)).toBe('3 h');
    expect(formatAgeShort(2 * 86400 + 7200)).toBe('2 d');
    expect(formatAgeShort(null)).toBe('');
  });
});
