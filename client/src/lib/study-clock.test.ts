import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../shared/protocol.js';
import { formatDuration, studyClock, withEvent } from './study-clock.js';

const MIN = 60_000;
const H = 60 * MIN;
const T0 = new Date(2030, 0, 2, 7, 5, 0).getTime();

let nextId = 1;
function ev(type: TimelineEvent['type'], ts: number, status: TimelineEvent['status'] = 'confirmed', id = nextId++): TimelineEvent {
  return { id, bedId: 'b1', type, ts, by: 'admin', source: status === 'candidate' ? 'device' : 'manual', status };
}

describe('durations on the study clock', () => {
  it('reads hours and minutes, cut to the minute as a clock counts', () => {
    expect(formatDuration(0)).toBe('0 min');
    expect(formatDuration(59_999)).toBe('0 min');
    expect(formatDuration(12 * MIN + 59_000)).toBe('12 min');
    expect(formatDuration(5 * H + 12 * MIN)).toBe('5 h 12 min');
    expect(formatDuration(5 * H)).toBe('5 h 0 min');
    expect(formatDuration(30 * H + 5 * MIN)).toBe('30 h 5 min');
    expect(formatDuration(-15 * MIN)).toBe('−15 min');
    expect(formatDuration(-30_000)).toBe('0 min');
  });
});

describe('the study clock of a tile', () => {
  it('says "no T0" until shock recognition is confirmed', () => {
    expect(studyClock([], T0)).toMatchObject({ t0: null, sinceT0: 'no T0', ecmo: null, running: false });
    // a dismissed T0, and other events, do not start it
    const c = studyClock([ev('shock_recognized', T0, 'dismissed'), ev('refractory_shock', T0 + H)], T0 + 2 * H);
    expect(c.sinceT0).toBe('no T0');
  });

  it('runs from T0 and, without a confirmed flow start, counts the time without ECMO', () => {
    const events = [ev('shock_recognized', T0), ev('refractory_shock', T0 + H)];
    const c = studyClock(events, T0 + 5 * H + 12 * MIN + 30_000);
    expect(c).toMatchObject({ t0: T0, flowStart: null, sinceT0: 'T0 +5 h 12 min', ecmo: 'no ECMO yet', running: true });
    expect(c.title).toBe('T0 (shock recognised) 07:05, 5 h 12 min ago; no ECMO yet, T0 +5 h 12 min and counting');
    expect(studyClock(events, T0 + 5 * H + 13 * MIN).sinceT0).toBe('T0 +5 h 13 min');
  });

  it('takes the earliest confirmed shock recognition as T0', () => {
    const c = studyClock(
      [ev('shock_recognized', T0 + H), ev('shock_recognized', T0), ev('shock_recognized', T0 - H, 'dismissed')],
      T0 + 2 * H,
    );
    expect(c.t0).toBe(T0);
    expect(c.sinceT0).toBe('T0 +2 h 0 min');
  });

  it('fixes the time to ECMO at the earliest confirmed flow start, while T0 keeps running', () => {
    const events = [ev('shock_recognized', T0), ev('ecmo_flow_start', T0 + 3 * H + 40 * MIN), ev('ecmo_flow_start', T0 + 4 * H)];
    const c = studyClock(events, T0 + 5 * H + 12 * MIN);
    expect(c).toMatchObject({ sinceT0: 'T0 +5 h 12 min', ecmo: 'to ECMO 3 h 40 min', running: false, flowStart: T0 + 3 * H + 40 * MIN });
    expect(c.title).toBe('T0 (shock recognised) 07:05, 5 h 12 min ago; ECMO flow started 10:45: time to ECMO 3 h 40 min');
    expect(studyClock(events, T0 + 9 * H).ecmo).toBe('to ECMO 3 h 40 min');
  });

  it('keeps counting while a detected flow start awaits confirmation, and says so', () => {
    const c = studyClock([ev('shock_recognized', T0), ev('ecmo_flow_start', T0 + 2 * H, 'candidate')], T0 + 3 * H);
    expect(c).toMatchObject({ ecmo: 'no ECMO yet', running: true });
    expect(c.title).toContain('awaits confirmation');
  });

  it('reports a flow start before T0 and a T0 ahead of now as they are', () => {
    expect(studyClock([ev('shock_recognized', T0), ev('ecmo_flow_start', T0 - 15 * MIN)], T0 + H).ecmo).toBe('to ECMO −15 min');
    expect(studyClock([ev('shock_recognized', T0 + 4 * MIN)], T0).sinceT0).toBe('T0 in 4 min');
  });

  it('writes times of another day with their date', () => {
    const c = studyClock([ev('shock_recognized', T0)], T0 + 30 * H);
    expect(c.title).toMatch(/^T0 \(shock recognised\) 2030-01-02 07:05, 30 h 0 min ago/);
  });
});

describe('the timeline kept current by the socket', () => {
  it('adds a new event in time order and replaces an event by its id', () => {
    const a = ev('shock_recognized', T0, 'confirmed', 1);
    const b = ev('ecmo_flow_start', T0 + 2 * H, 'candidate', 2);
    const list = withEvent(withEvent([], b), a);
    expect(list.map((e) => e.id)).toEqual([1, 2]);
    const confirmed = { ...b, status: 'confirmed' as const, reviewedAt: T0 + 3 * H };
    expect(withEvent(list, confirmed)).toEqual([a, confirmed]);
  });

  it('never lets an older version of an event undo a later review', () => {
    const reviewed = { ...ev('ecmo_flow_start', T0, 'confirmed', 7), reviewedAt: T0 + H };
    const older = { ...reviewed, status: 'candidate' as const, reviewedAt: null };
    const list = withEvent([], reviewed);
    expect(withEvent(list, older)).toBe(list);
  });
});
