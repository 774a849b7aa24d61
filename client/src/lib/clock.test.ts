import { describe, expect, it } from 'vitest';
import { clock24, countdown, dateTime24, isoDate } from './clock.js';

describe('times on screen', () => {
  const T0 = new Date(2030, 0, 2, 7, 5, 9).getTime();

  it('tells times on a 24-hour clock, with seconds where asked', () => {
    expect(clock24(T0)).toBe('07:05');
    expect(clock24(T0 + 13 * 3600_000, true)).toBe('20:05:09');
  });

  it('writes dates year first (ISO 8601) and adds the date to a time of another day only', () => {
    expect(isoDate(T0)).toBe('2030-01-02');
    expect(dateTime24(T0, T0 + 3600_000)).toBe('07:05');
    expect(dateTime24(T0 - 8 * 3600_000, T0)).toBe('2030-01-01 23:05');
  });

  it('counts the audio pause down in minutes and seconds, never below zero', () => {
    expect(countdown(120_000)).toBe('2:00');
    expect(countdown(64_001)).toBe('1:05');
    expect(countdown(-5)).toBe('0:00');
  });
});
