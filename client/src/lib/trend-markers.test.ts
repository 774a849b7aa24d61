import { describe, expect, it } from 'vitest';
import type { Alarm, TimelineEvent } from '../../../shared/protocol.js';
import { alarmMarks, alarmNewer, eventMarks, marksAt, mergeById } from './trend-markers.js';

const ev = (id: number, ts: number, over: Partial<TimelineEvent> = {}): TimelineEvent => ({
  id,
  bedId: 'b1',
  type: 'ecmo_flow_start',
  ts,
  note: null,
  by: 'ann',
  source: 'manual',
  status: 'confirmed',
  markers: {},
  ...over,
});
const al = (id: string, raisedAt: number, over: Partial<Alarm> = {}): Alarm => ({
  id,
  bedId: 'b1',
  key: 'lowFlow',
  kind: 'physiological',
  priority: 'high',
  message: 'Low flow',
  value: 1,
  limit: 2,
  state: 'active',
  latched: false,
  raisedAt,
  clearedAt: null,
  ackedBy: null,
  ackedAt: null,
  ...over,
});

describe('trend markers', () => {
  it('draws the events in view, not the dismissed ones; a candidate carries a question mark', () => {
    const marks = eventMarks(
      [ev(2, 500, { status: 'candidate' }), ev(1, 100, { type: 'shock_recognized' }), ev(3, 300, { status: 'dismissed' }), ev(4, 5000)],
      0,
      1000,
    );
    expect(marks.map((m) => [m.id, m.label, m.candidate])).toEqual([
      [1, 'T0 shock', false],
      [2, 'ECMO flow?', true],
    ]);
    expect(eventMarks([ev(5, 10, { type: 'note', note: 'circuit change' })], 0, 100)[0].label).toBe('circuit change');
    expect(eventMarks([ev(5, 10, { type: 'note', note: 'circuit change after a clot' })], 0, 100)[0].label).toBe(
      'circuit change after a …',
    );
  });

  it('draws the alarms whose life overlaps the view; one still on runs to now', () => {
    const marks = alarmMarks(
      [al('a', 100, { state: 'cleared', clearedAt: 200 }), al('b', 900), al('c', 2000), al('d', 10, { state: 'cleared', clearedAt: 50 })],
      150,
      1000,
      1500,
    );
    expect(marks.map((m) => [m.id, m.fromMs, m.toMs])).toEqual([
      ['a', 100, 200],
      ['b', 900, 1500],
    ]);
  });

  it('keeps the newest version of an alarm, whichever arrives last', () => {
    const m = new Map<string, Alarm>();
    mergeById(m, [al('a', 100, { state: 'cleared', clearedAt: 300 })], alarmNewer);
    mergeById(m, [al('a', 100)], alarmNewer); // an older version, late
    expect(m.get('a')?.state).toBe('cleared');
  });

  it('reads the events near the crosshair and the alarms on at its time', () => {
    const evs = eventMarks([ev(1, 1000)], 0, 5000);
    const als = alarmMarks([al('a', 900, { state: 'cleared', clearedAt: 1100 })], 0, 5000, 5000);
    expect(marksAt(evs, als, 1050, 60)).toEqual(['ECMO flow', '⚠ Low flow']);
    expect(marksAt(evs, als, 1200, 60)).toEqual([]);
  });
});
