import { describe, expect, it } from 'vitest';
import { matchAlarms, toScenarioTime, type Label, type RaisedAlarm } from './match.js';

const RUN = { fromS: 1000, toS: 5000 };
const req = (key: string, fromS: number, maxDelayS: number, more: Partial<Label> = {}): Label => ({
  key,
  expect: 'required',
  fromS,
  maxDelayS,
  ...more,
});
let n = 0;
const alarm = (key: string, raisedS: number, clearedS: number | null = null): RaisedAlarm => ({ id: `a${n++}`, key, raisedS, clearedS });

describe('matchAlarms', () => {
  it('a required label is detected by its key raised between fromS and the deadline; the delay is from fromS', () => {
    const r = matchAlarms([req('lowFlow', 2000, 30)], [alarm('lowFlow', 2012)], RUN);
    expect(r).toMatchObject({ expected: 1, detected: 1 });
    expect(r.outcomes[0].delayS).toBe(12);
    expect(r.actionable).toHaveLength(1);
    expect(r.nonActionable).toHaveLength(0);
  });

  it('too late, too early or another key is a miss; the stray alarms are non-actionable', () => {
    const labels = [req('lowFlow', 2000, 30, { toS: 2100 })];
    const r = matchAlarms(labels, [alarm('lowFlow', 2031 + 100), alarm('lowFlow', 1990, 1995), alarm('drainagePressure', 2005)], RUN);
    expect(r).toMatchObject({ expected: 1, detected: 0 });
    expect(r.outcomes[0]).toMatchObject({ detected: false, delayS: null });
    expect(r.nonActionable.map((a) => a.raisedS)).toEqual([1990, 2005, 2131]);
  });

  it('earliestS admits an early alarm (negative delay) and the label covers re-raises until toS + maxDelayS', () => {
    const labels = [req('drainagePressure', 2000, 60, { earliestS: 1900, toS: 2500 })];
    const r = matchAlarms(
      labels,
      [alarm('drainagePressure', 1950, 1970), alarm('drainagePressure', 2300), alarm('drainagePressure', 2555)],
      RUN,
    );
    expect(r.detected).toBe(1);
    expect(r.outcomes[0].delayS).toBe(-50);
    expect(r.actionable).toHaveLength(3);
  });

  it('an alarm still active from before earliestS detects the label (carried over)', () => {
    const labels = [req('venousSaturation', 3000, 60, { toS: 4000 })];
    const active = matchAlarms(labels, [alarm('venousSaturation', 1500)], RUN);
    expect(active.outcomes[0]).toMatchObject({ detected: true, delayS: 0, carried: true });
    const clearedBefore = matchAlarms(labels, [alarm('venousSaturation', 1500, 2000)], RUN);
    expect(clearedBefore.detected).toBe(0);
  });

  it('acceptable labels are never expected; what they cover is neither detection nor non-actionable', () => {
    const labels: Label[] = [{ key: 'pumpStopped', expect: 'acceptable', fromS: 1500, toS: 1800, maxDelayS: 5 }];
    const r = matchAlarms(labels, [alarm('pumpStopped', 1500), alarm('pumpStopped', 1806)], RUN);
    expect(r.expected).toBe(0);
    expect(r.acceptable).toHaveLength(1);
    expect(r.nonActionable.map((a) => a.raisedS)).toEqual([1806]);
  });

  it('labels whose deadline falls outside the run are skipped; a condition present at the start counts from the start', () => {
    const labels = [req('lactate', 0, 600, { toS: 3000 }), req('lowFlow', 4900, 200), req('hypotension', 100, 60, { toS: 900 })];
    const r = matchAlarms(labels, [alarm('lactate', 1450)], RUN);
    expect(r.expected).toBe(1);
    expect(r.outcomes[0]).toMatchObject({ detected: true, delayS: 450 });
    expect(r.skipped.map((l) => l.key)).toEqual(['lowFlow', 'hypotension']);
  });

  it('alarms raised outside the run are ignored (devices leaving at the end)', () => {
    const r = matchAlarms([], [alarm('deviceOffline.ecmo', 5001), alarm('lowFlow', 999)], RUN);
    expect(r.outside).toHaveLength(2);
    expect(r.nonActionable).toHaveLength(0);
  });

  it('no alarms at all (engine not wired yet): every required label in the run is missed', () => {
    const r = matchAlarms([req('lowFlow', 2000, 30), req('pumpStopped', 3000, 5)], [], RUN);
    expect(r).toMatchObject({ expected: 2, detected: 0 });
  });
});

describe('toScenarioTime', () => {
  it('turns epoch ms or ISO times into scenario seconds and drops duplicates and rows without a time', () => {
    const start = Date.UTC(2026, 0, 1);
    const rows = [
      { id: 'x', key: 'lowFlow', raisedAt: start + 10_000, clearedAt: start + 70_000 },
      { id: 'x', key: 'lowFlow', raisedAt: start + 10_000 },
      { id: 'y', key: 'lactate', raisedAt: new Date(start + 5_000).toISOString() },
      { id: 'z', key: 'lactate' },
    ];
    expect(toScenarioTime(rows, start, 600)).toEqual([
      { id: 'x', key: 'lowFlow', raisedS: 610, clearedS: 670, priority: undefined },
      { id: 'y', key: 'lactate', raisedS: 605, clearedS: null, priority: undefined },
    ]);
  });
});
