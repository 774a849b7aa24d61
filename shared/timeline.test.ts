import { describe, expect, it } from 'vitest';
import type { EventType } from './schemas.js';
import { studyIntervals, t0Of, type EventStatus } from './timeline.js';

const T0 = Date.parse('2026-11-20T08:00:00Z');
const at = (min: number) => T0 + min * 60_000;
const ev = (type: EventType, min: number, status: EventStatus = 'confirmed') => ({ type, ts: at(min), status });

describe('study intervals', () => {
  const timeline = [
    ev('shock_recognized', 0),
    ev('refractory_shock', 95),
    ev('ecmo_consult', 110),
    ev('ecmo_decision', 140),
    ev('cannulation_start', 185),
    ev('ecmo_flow_start', 232),
    ev('decannulation', 232 + 5 * 24 * 60 + 30),
  ];
  const byKey = (list: ReturnType<typeof studyIntervals>) => Object.fromEntries(list.map((i) => [i.key, i]));

  it('gives each interval in minutes from the confirmed events, and the ECMO duration in hours', () => {
    const i = byKey(studyIntervals(timeline));
    expect(i.shockToRefractory.minutes).toBe(95);
    expect(i.refractoryToDecision.minutes).toBe(45);
    expect(i.decisionToCannulation.minutes).toBe(45);
    expect(i.cannulationToFlow.minutes).toBe(47);
    expect(i.timeToEcmo.minutes).toBe(232);
    expect(i.ecmoDuration.hours).toBe(120.5);
    for (const x of Object.values(i)) expect(x.missing).toEqual([]);
  });

  it('says which events are missing, and counts neither a candidate nor a dismissed event', () => {
    const i = byKey(
      studyIntervals([ev('shock_recognized', 0), ev('ecmo_flow_start', 200, 'candidate'), ev('refractory_shock', 50, 'dismissed')]),
    );
    expect(i.timeToEcmo).toMatchObject({ minutes: null, missing: ['ecmo_flow_start'] });
    expect(i.shockToRefractory).toMatchObject({ minutes: null, fromTs: at(0), toTs: null, missing: ['refractory_shock'] });
    expect(i.ecmoDuration).toMatchObject({ minutes: null, hours: null, missing: ['ecmo_flow_start', 'decannulation'] });
  });

  it('takes the earliest confirmed event of a type when there are several', () => {
    const i = byKey(studyIntervals([ev('shock_recognized', 30), ev('shock_recognized', 0), ev('ecmo_flow_start', 120)]));
    expect(i.timeToEcmo.minutes).toBe(120);
    expect(t0Of([ev('shock_recognized', 30), ev('shock_recognized', 10), ev('shock_recognized', 5, 'candidate')])).toBe(at(10));
  });
});
