import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../shared/protocol.js';
import { CalcEngine } from '../calc/engine.js';
import { BedState } from '../state/bed.js';
import { WARD, WardAlarms } from './ward.js';

const T = Date.parse('2026-11-29T10:00:00Z');
const VA = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' as const };

/** A VA bed whose console sent one message at `ts`, with the given values. */
function bedWith(id: string, values: Record<string, number>, ts = T): BedState {
  const bed = new BedState(id);
  bed.patient = VA;
  for (const [k, v] of Object.entries(values)) bed.addSample(k, ts, v, 'ecmo', false);
  bed.touchDevice('ecmo', ts);
  return bed;
}

function setup() {
  const calc = new CalcEngine();
  const ward = new WardAlarms(calc);
  return { calc, ward };
}

describe('the alarms of a ward', () => {
  it('raises a bed’s alarm from its values with the patient and limits of that bed, one per episode', () => {
    const { calc, ward } = setup();
    const bed = bedWith('w1', { flow: 0, rpm: 0 });
    calc.recompute(bed, T);
    const raised = ward.evaluate(bed, T, Infinity);
    expect(raised.map((a) => [a.bedId, a.key, a.priority, a.state])).toContainEqual(['w1', 'pumpStopped', 'high', 'active']);
    expect(ward.evaluate(bed, T + 500, Infinity).filter((a) => a.key === 'pumpStopped')).toEqual([]);
    expect(ward.current('w1').map((a) => a.key)).toContain('pumpStopped');
    expect(ward.counts('w1').high).toBeGreaterThanOrEqual(1);
    expect(ward.current('nobody')).toEqual([]);
    expect(ward.counts('nobody')).toEqual({ high: 0, medium: 0, low: 0 });
  });

  it('reads each bed’s own limits, and reads them again when they change', () => {
    const { calc, ward } = setup();
    const bed = bedWith('w2', { flow: 2, rpm: 3000, pVen: -90 });
    calc.recompute(bed, T);
    ward.evaluate(bed, T, Infinity);
    // −90 mmHg is inside the default high limit (−100) but outside a stricter one (−80).
    const later = (ms: number) => {
      bed.addSample('pVen', T + ms, -90, 'ecmo', false);
      bed.touchDevice('ecmo', T + ms);
      return ward.evaluate(bed, T + ms, Infinity);
    };
    expect(later(6000).map((a) => a.key)).not.toContain('drainagePressure');
    bed.limitOverrides = { drainageHighMmHg: -80 };
    later(7000);
    expect(later(13_000).map((a) => a.key)).toContain('drainagePressure');
    const a = ward.current('w2').find((x) => x.key === 'drainagePressure')!;
    expect(a.limit).toBe(-80);
  });

  it('judges a silent device only after the server has listened for its silence limit', () => {
    const { calc, ward } = setup();
    const bed = bedWith('w3', { flow: 2, rpm: 3000 });
    calc.recompute(bed, T);
    bed.refreshDeviceStates(T + 11_000);
    expect(ward.evaluate(bed, T + 11_000, 5).map((a) => a.key)).not.toContain('deviceOffline.ecmo');
    expect(ward.evaluate(bed, T + 11_000, 11).map((a) => a.key)).toContain('deviceOffline.ecmo');
  });

  it('acknowledges the alarm named by its id on the right bed, and nothing for an unknown id', () => {
    const { calc, ward } = setup();
    const a = bedWith('wa', { flow: 0, rpm: 0 });
    const b = bedWith('wb', { flow: 0, rpm: 0 });
    for (const bed of [a, b]) {
      calc.recompute(bed, T);
      ward.evaluate(bed, T, Infinity);
    }
    const id = ward.current('wb').find((x) => x.key === 'pumpStopped')!.id;
    const acked = ward.acknowledge(id, 'ann', T + 1000);
    expect(acked).toMatchObject({ id, bedId: 'wb', ackedBy: 'ann', ackedAt: T + 1000 });
    expect(ward.current('wa').find((x) => x.key === 'pumpStopped')!.ackedBy).toBeNull();
    expect(ward.acknowledge('wc:pumpStopped:1', 'ann', T)).toBeNull();
    expect(ward.acknowledge('no-colon-at-all', 'ann', T)).toBeNull();
  });

  it('raises one ward-wide alarm while the broker is gone, clears it latched until acknowledged', () => {
    const { ward } = setup();
    expect(ward.brokerChanged(true, T)).toBeNull(); // connected at start: nothing to say
    const down = ward.brokerChanged(false, T + 1000)!;
    expect(down).toMatchObject({
      bedId: WARD,
      key: 'brokerDisconnected',
      kind: 'technical',
      priority: 'high',
      state: 'active',
      raisedAt: T + 1000,
    });
    expect(down.id).toBe(`${WARD}:brokerDisconnected:${T + 1000}`);
    expect(ward.brokerChanged(false, T + 2000)).toBeNull(); // still the same outage
    expect(ward.ward()).toEqual([down]);
    const up = ward.brokerChanged(true, T + 5000)!;
    expect(up).toMatchObject({ id: down.id, state: 'cleared', clearedAt: T + 5000, latched: true });
    expect(ward.ward()).toEqual([up]);
    expect(ward.brokerChanged(true, T + 6000)).toBeNull();
    const acked = ward.acknowledge(down.id, 'ann', T + 7000)!;
    expect(acked).toMatchObject({ state: 'cleared', latched: false, ackedBy: 'ann', ackedAt: T + 7000 });
    expect(ward.ward()).toEqual([]);
  });

  it('does not latch a broker alarm acknowledged while the outage lasted', () => {
    const { ward } = setup();
    const down = ward.brokerChanged(false, T)!;
    expect(ward.acknowledge(down.id, 'ann', T + 100)).toMatchObject({ state: 'active', ackedBy: 'ann' });
    const up = ward.brokerChanged(true, T + 1000)!;
    expect(up).toMatchObject({ state: 'cleared', latched: false, ackedBy: 'ann' });
    expect(ward.ward()).toEqual([]);
  });

  it('raises a medium ward alarm while the recording fails, with why, beside the broker alarm, and clears it', () => {
    const { ward } = setup();
    expect(ward.recordingChanged(false, T)).toBeNull();
    const failing = ward.recordingChanged(true, T + 1000, 'SQLITE_FULL: database or disk is full')!;
    expect(failing).toMatchObject({ bedId: WARD, key: 'recordingFailing', kind: 'technical', priority: 'medium', state: 'active' });
    expect(failing.message).toMatch(/^Recording failing: .* \(SQLITE_FULL: database or disk is full\)$/);
    expect(ward.recordingChanged(true, T + 2000, 'again')).toBeNull();
    const down = ward.brokerChanged(false, T + 3000)!;
    expect(ward.ward().map((a) => a.key)).toEqual(['brokerDisconnected', 'recordingFailing']); // newest first
    const ok = ward.recordingChanged(false, T + 4000)!;
    expect(ok).toMatchObject({ id: failing.id, state: 'cleared', latched: true });
    expect(ward.acknowledge(failing.id, 'ann', T + 5000)).toMatchObject({ latched: false, ackedBy: 'ann' });
    expect(ward.ward()).toEqual([down]);
  });

  it('reinstates recorded open alarms of beds and of the ward after a restart, and forgets a discharged bed', () => {
    const { ward } = setup();
    const bedAlarm: Alarm = {
      id: `wr:pumpStopped:${T}`,
      bedId: 'wr',
      key: 'pumpStopped',
      kind: 'physiological',
      priority: 'high',
      message: 'Pump stopped',
      value: 0,
      limit: 0.05,
      state: 'active',
      latched: false,
      raisedAt: T,
      clearedAt: null,
      ackedBy: 'ann',
      ackedAt: T + 1,
    };
    const wardAlarm: Alarm = { ...bedAlarm, id: `*:brokerDisconnected:${T}`, bedId: WARD, key: 'brokerDisconnected', kind: 'technical' };
    const other: Alarm = { ...bedAlarm, id: `*:somethingElse:${T}`, bedId: WARD, key: 'somethingElse' };
    ward.restore([bedAlarm, wardAlarm, other]);
    expect(ward.current('wr')).toEqual([bedAlarm]);
    expect(ward.ward()).toEqual([wardAlarm]);
    ward.forget('wr');
    expect(ward.current('wr')).toEqual([]);
  });
});
