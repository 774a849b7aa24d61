import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../../shared/schemas.js';
import {
  EVENT_LABELS,
  OTHER_EVENT_TYPES,
  STUDY_BUTTONS,
  formatBytes,
  formatMinutes,
  fromDatetimeLocal,
  fromT0,
  intervalText,
  markerText,
  markerUnit,
  missingText,
  phoenixRows,
  timeAndDate,
  toDatetimeLocal,
} from './study-view.js';

describe('the study timeline on screen', () => {
  const T = new Date(2030, 0, 2, 7, 5, 9).getTime();

  it('offers every event type exactly once: a study button or the select', () => {
    const offered = [...STUDY_BUTTONS.map((b) => b.type), ...OTHER_EVENT_TYPES];
    expect([...offered].sort()).toEqual([...EVENT_TYPES].sort());
    expect(Object.keys(EVENT_LABELS).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('writes times on a 24-hour clock with the ISO date, and reads back what a datetime-local input holds', () => {
    expect(timeAndDate(T)).toBe('07:05 2030-01-02');
    expect(toDatetimeLocal(T + 13 * 3600_000)).toBe('2030-01-02T20:05:09');
    expect(fromDatetimeLocal(toDatetimeLocal(T))).toBe(T);
    expect(fromDatetimeLocal('2030-01-02T07:05')).toBe(T - 9000);
    expect(fromDatetimeLocal('')).toBeNull();
    expect(fromDatetimeLocal('yesterday')).toBeNull();
  });

  it('gives intervals in minutes with one decimal at most, the ECMO duration also in hours, and a dash when an end is missing', () => {
    expect(intervalText({ minutes: 95 })).toBe('95 min');
    expect(intervalText({ minutes: 171.5 })).toBe('171.5 min');
    expect(intervalText({ minutes: 55.000001 })).toBe('55 min');
    expect(intervalText({ minutes: 1230, hours: 20.5 })).toBe('1230 min (20.5 h)');
    expect(intervalText({ minutes: null, hours: null })).toBe('—');
    expect(missingText(['refractory_shock', 'ecmo_decision'])).toBe('missing: Refractory shock, ECMO decision');
    expect(missingText([])).toBe('');
    expect(formatMinutes(-0.01)).toBe('0');
    expect(formatMinutes(0)).toBe('0');
    expect(formatMinutes(0.03)).toBe('< 0.1');
  });

  it('tells an event’s time from T0', () => {
    expect(fromT0(T + 95 * 60_000, T)).toBe('T0 + 95 min');
    expect(fromT0(T - 30_000, T)).toBe('T0 − 0.5 min');
    expect(fromT0(T, T)).toBe('T0');
    expect(fromT0(T, null)).toBe('');
  });

  it('shows a marker with the catalogue’s precision under its unit, its age, and a dash without a value', () => {
    expect(markerUnit('flow')).toBe('L/min');
    expect(markerText('flow', { value: 2, unit: 'L/min', ageS: 0, quality: 'ok' })).toEqual({
      value: '2.00',
      age: 'age 0 s',
      title: 'Flow 2.00 L/min, age 0 s at the event (ok)',
    });
    expect(markerText('lactate', { value: 6.2, unit: 'mmol/L', ageS: 1200, quality: 'ok' })).toMatchObject({
      value: '6.2',
      age: 'age 20 min',
    });
    expect(markerText('map', { value: 41, unit: 'kPa', ageS: null, quality: 'stale' })).toMatchObject({
      value: '41 kPa',
      age: 'age unknown',
    });
    expect(markerText('vis', null)).toMatchObject({ value: '—', age: '' });
  });

  it('lists minutes per Phoenix score lowest first, and export progress in bytes', () => {
    expect(phoenixRows({ '2': 3, '0': 12.25, '10': 1 })).toEqual([
      { score: '0', minutes: '12.3' },
      { score: '2', minutes: '3' },
      { score: '10', minutes: '1' },
    ]);
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(3400)).toBe('3.4 kB');
    expect(formatBytes(12_000_000)).toBe('12.0 MB');
  });
});
