import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HYSTERESIS, alarmDef, type AlarmDef } from '../../shared/alarms.js';
import type { Alarm, AlarmPriority } from '../../shared/protocol.js';
import { AlarmMachine, alarmId } from './machine.js';
import type { Condition } from './types.js';

const T0 = Date.UTC(2026, 10, 25, 10);
const s = (seconds: number) => T0 + seconds * 1000;

const DRAINAGE = alarmDef('drainagePressure')!; // high, 5 s
const WARNING = alarmDef('drainagePressureWarning')!; // medium, 10 s
const VENOUS = alarmDef('venousSaturation')!; // medium → high, 30 s
const PUMP = alarmDef('pumpStopped')!; // high, 0 s
const LACTATE = alarmDef('lactate')!; // medium, on result

/** A value alarming below a limit, as conditions.ts states it (drainage: −100 mmHg, margin 10). */
function below(
  value: number,
  {
    limit = -100,
    margin = 10,
    priority = 'high',
    resultTs,
  }: { limit?: number; margin?: number; priority?: AlarmPriority; resultTs?: number } = {},
): Condition {
  return {
    state: value < limit ? 'true' : 'false',
    priority,
    value,
    limit,
    message: value < limit ? `value ${value} below ${limit}` : '',
    clearsAt: limit + margin,
    direction: 'low',
    margin,
    resultTs,
  };
}

function unknown(): Condition {
  return { state: 'unknown', priority: 'high', value: null, limit: null, message: '' };
}

/** Venous saturation as conditions.ts states it: < 60 medium, < 50 high, clearing from 62. */
function venous(value: number): Condition {
  const c = below(value, { limit: 60, margin: 2, priority: 'medium' });
  if (value < 50) {
    c.priority = 'high';
    c.limit = 50;
  }
  return c;
}

/** Steps a machine through [seconds, condition] pairs; returns every change it reported. */
function run(m: AlarmMachine, steps: readonly (readonly [number, Condition])[]): Alarm[] {
  const out: Alarm[] = [];
  for (const [t, c] of steps) {
    const a = m.step(c, s(t));
    if (a) out.push(a);
  }
  return out;
}

const machine = (def: AlarmDef = DRAINAGE) => new AlarmMachine('bed1', def);
const current = (m: AlarmMachine) => {
  const out: Alarm[] = [];
  m.collect(out);
  return out;
};
/** Every second from `from` to `to` seconds, inclusive, with the same condition. */
const every = (from: number, to: number, c: Condition) => Array.from({ length: to - from + 1 }, (_, i) => [from + i, c] as const);

describe('onset delay', () => {
  it('raises an alarm once the condition has held for its onset delay, not before', () => {
    const m = machine();
    expect(run(m, every(0, 4, below(-110)))).toEqual([]);
    expect(m.phase).toBe('pending');
    const [a] = run(m, [[5, below(-110)]]);
    expect(a).toMatchObject({
      id: `bed1:drainagePressure:${s(5)}`,
      bedId: 'bed1',
      key: 'drainagePressure',
      kind: 'physiological',
      priority: 'high',
      state: 'active',
      latched: false,
      raisedAt: s(5),
      value: -110,
      limit: -100,
      message: 'value -110 below -100',
    });
  });

  it('raises nothing for a blip shorter than the delay, and a later onset starts the delay again', () => {
    const m = machine();
    expect(run(m, [...every(0, 4, below(-110)), [4.5, below(-95)], ...every(5, 9, below(-110))])).toEqual([]);
    expect(run(m, [[10, below(-110)]])).toHaveLength(1);
  });

  it('raises on the first evaluation when the delay is 0', () => {
    expect(run(machine(PUMP), [[0, below(0, { limit: 0.05, margin: 0.05 })]])).toMatchObject([{ key: 'pumpStopped', raisedAt: s(0) }]);
  });

  it('raises an "on result" alarm on a new result, and never again on a result already judged', () => {
    const m = machine(LACTATE);
    const result = (value: number, ts: number, limit = 4): Condition => ({
      state: value >= limit ? 'true' : 'false',
      priority: 'medium',
      value,
      limit,
      message: value >= limit ? `lactate ${value}` : '',
      clearsAt: limit - 1,
      direction: 'high',
      margin: 1,
      resultTs: ts,
    });
    // 3.8 mmol/L judged against 4: no alarm. The limit then lowered to 3.5: the same result does not raise.
    expect(run(m, [[0, result(3.8, s(0))]])).toEqual([]);
    expect(run(m, [[60, result(3.8, s(0), 3.5)]])).toEqual([]);
    // A new result over the limit raises at once.
    expect(run(m, [[120, result(5, s(100))]])).toMatchObject([{ key: 'lactate', state: 'active', raisedAt: s(120) }]);
  });
});

describe('hysteresis and clearing', () => {
  const raised = () => {
    const m = machine();
    run(m, every(0, 5, below(-110)));
    expect(m.phase).toBe('active');
    return m;
  };

  it('does not clear a value back inside the limit but within the margin, however long', () => {
    const m = raised();
    expect(run(m, every(6, 120, below(-95)))).toEqual([]);
    expect(m.phase).toBe('active');
  });

  it('does not clear a value clearly inside for less than 5 s', () => {
    const m = raised();
    expect(run(m, every(6, 10, below(-80)))).toEqual([]);
    expect(m.phase).toBe('clearing');
    expect(run(m, [[10.999, below(-80)]])).toEqual([]);
  });

  it('clears a value clearly inside for 5 s', () => {
    const m = raised();
    const events = run(m, every(6, 11, below(-80)));
    expect(events).toMatchObject([{ state: 'cleared', clearedAt: s(11), raisedAt: s(5) }]);
    expect(HYSTERESIS.holdS).toBe(5);
  });

  it('starts the 5 s again when the value falls back into the margin while clearing', () => {
    const m = raised();
    expect(run(m, [...every(6, 9, below(-80)), [10, below(-95)], ...every(11, 15, below(-80))])).toEqual([]);
    expect(run(m, [[16, below(-80)]])).toMatchObject([{ state: 'cleared', clearedAt: s(16) }]);
  });

  it('goes back from clearing to active, without an event, when the condition returns', () => {
    const m = raised();
    expect(run(m, [...every(6, 8, below(-80)), [9, below(-120)]])).toEqual([]);
    expect(m.phase).toBe('active');
    expect(current(m)).toMatchObject([{ state: 'active', raisedAt: s(5) }]);
  });
});

describe('a stale or missing input', () => {
  it('sends a pending alarm back to inactive: the delay starts again', () => {
    const m = machine();
    expect(run(m, [...every(0, 3, below(-110)), [4, unknown()], ...every(5, 9, below(-110))])).toEqual([]);
    expect(run(m, [[10, below(-110)]])).toHaveLength(1);
  });

  it('keeps an active alarm active, however long', () => {
    const m = machine();
    run(m, every(0, 5, below(-110)));
    expect(run(m, every(6, 600, unknown()))).toEqual([]);
    expect(m.phase).toBe('active');
  });

  it('sends a clearing alarm back to active: it never completes a clearing', () => {
    const m = machine();
    run(m, every(0, 5, below(-110)));
    expect(run(m, [...every(6, 9, below(-80)), [10, unknown()], ...every(11, 15, below(-80))])).toEqual([]);
    expect(run(m, [[16, below(-80)]])).toMatchObject([{ state: 'cleared' }]);
  });

  it('never raises', () => {
    const m = machine(PUMP);
    expect(run(m, every(0, 60, unknown()))).toEqual([]);
    expect(m.phase).toBe('inactive');
  });
});

describe('latching and acknowledgement', () => {
  const clearedHigh = () => {
    const m = machine();
    run(m, [...every(0, 5, below(-110)), ...every(6, 11, below(-80))]);
    return m;
  };

  it('keeps a cleared high alarm latched until it is acknowledged', () => {
    const m = clearedHigh();
    const [a] = current(m);
    expect(a).toMatchObject({ state: 'cleared', latched: true, clearedAt: s(11) });
    // Time passing and a normal value do not unlatch it.
    run(m, every(12, 300, below(-40)));
    expect(current(m)).toMatchObject([{ id: a.id, latched: true }]);
    const acked = m.acknowledge(a.id, 'dr.house', s(301));
    expect(acked).toMatchObject({ id: a.id, state: 'cleared', latched: false, ackedBy: 'dr.house', ackedAt: s(301) });
    expect(current(m)).toEqual([]);
  });

  it('does not latch a medium alarm', () => {
    const m = machine(WARNING);
    const events = run(m, [...every(0, 10, below(-80, { limit: -70, priority: 'medium' })), ...every(11, 16, below(-50, { limit: -70 }))]);
    expect(events.map((e) => [e.state, e.latched])).toEqual([
      ['active', false],
      ['cleared', false],
    ]);
    expect(current(m)).toEqual([]);
  });

  it('records who acknowledged and when, and never hides an active condition', () => {
    const m = machine();
    const [raised] = run(m, every(0, 5, below(-110)));
    const acked = m.acknowledge(raised.id, 'nurse.a', s(7));
    expect(acked).toMatchObject({ state: 'active', ackedBy: 'nurse.a', ackedAt: s(7) });
    expect(run(m, every(8, 120, below(-110)))).toEqual([]);
    expect(current(m)).toMatchObject([{ state: 'active', ackedBy: 'nurse.a' }]);
  });

  it('keeps the first acknowledgement when a second person acknowledges', () => {
    const m = machine();
    const [raised] = run(m, every(0, 5, below(-110)));
    m.acknowledge(raised.id, 'nurse.a', s(7));
    expect(m.acknowledge(raised.id, 'nurse.b', s(9))).toMatchObject({ ackedBy: 'nurse.a', ackedAt: s(7) });
  });

  it('does not latch a high alarm acknowledged while it was active', () => {
    const m = machine();
    const [raised] = run(m, every(0, 5, below(-110)));
    m.acknowledge(raised.id, 'nurse.a', s(6));
    expect(run(m, every(7, 12, below(-80)))).toMatchObject([{ state: 'cleared', latched: false, ackedBy: 'nurse.a' }]);
    expect(current(m)).toEqual([]);
  });

  it('answers null for an id it does not hold', () => {
    const m = clearedHigh();
    expect(m.acknowledge('bed1:drainagePressure:1', 'x', s(20))).toBeNull();
  });

  it('raises a new alarm for a new episode while the previous one is still latched', () => {
    const m = clearedHigh();
    const [old] = current(m);
    const [fresh] = run(m, every(20, 25, below(-110)));
    expect(fresh.id).not.toBe(old.id);
    expect(current(m).map((a) => [a.id, a.state, a.latched])).toEqual([
      [old.id, 'cleared', true],
      [fresh.id, 'active', false],
    ]);
  });
});

describe('priority escalation', () => {
  it('raises the priority of the same alarm, one alarm per episode', () => {
    const m = machine(VENOUS);
    const events = run(m, [...every(0, 30, venous(55)), ...every(31, 61, venous(45))]);
    expect(events.map((e) => [e.id, e.priority, e.limit])).toEqual([
      [`bed1:venousSaturation:${s(30)}`, 'medium', 60],
      [`bed1:venousSaturation:${s(30)}`, 'high', 50],
    ]);
    expect(events[1].raisedAt).toBe(s(30));
    expect(current(m)).toHaveLength(1);
  });

  it('escalates only once the higher band has held for the delay', () => {
    const m = machine(VENOUS);
    run(m, every(0, 30, venous(55)));
    expect(run(m, [...every(31, 50, venous(45)), [51, venous(55)], ...every(52, 81, venous(45))])).toEqual([]);
    expect(run(m, [[82, venous(45)]])).toMatchObject([{ priority: 'high' }]);
  });

  it('raises at the higher priority at once when the higher band held from the onset', () => {
    const m = machine(VENOUS);
    expect(run(m, every(0, 30, venous(40)))).toMatchObject([{ priority: 'high', limit: 50 }]);
  });

  it('never lowers the priority within an episode, and a high episode latches when it ends', () => {
    const m = machine(VENOUS);
    const events = run(m, [...every(0, 30, venous(40)), ...every(31, 100, venous(55)), ...every(101, 106, venous(70))]);
    expect(events.map((e) => [e.priority, e.state, e.latched])).toEqual([
      ['high', 'active', false],
      ['high', 'cleared', true],
    ]);
  });

  it('asks again for acknowledgement once the priority rises', () => {
    const m = machine(VENOUS);
    const [a] = run(m, every(0, 30, venous(55)));
    m.acknowledge(a.id, 'nurse.a', s(31));
    const [up] = run(m, every(32, 62, venous(45)));
    expect(up).toMatchObject({ id: a.id, priority: 'high', ackedBy: null, ackedAt: null });
  });
});

describe('identity and restart', () => {
  it('gives deterministic ids `${bedId}:${key}:${raisedAt}`: the same inputs replayed give the same ids', () => {
    const steps = [...every(0, 5, below(-110)), ...every(6, 11, below(-80)), ...every(40, 46, below(-130))];
    const first = run(machine(), steps).map((a) => a.id);
    const replay = run(machine(), steps).map((a) => a.id);
    expect(first).toEqual(replay);
    expect(first[0]).toBe(alarmId('bed1', 'drainagePressure', s(5)));
    expect(first[2]).toBe(alarmId('bed1', 'drainagePressure', s(45)));
  });

  it('hands out copies: a recorded alarm does not change behind the recorder', () => {
    const m = machine();
    const [raised] = run(m, every(0, 5, below(-110)));
    run(m, every(6, 11, below(-80)));
    expect(raised.state).toBe('active');
  });

  it('continues a restored active alarm: same id, and it clears as usual', () => {
    const m = machine();
    const recorded = run(machine(), every(0, 5, below(-110)))[0];
    m.restore(recorded);
    expect(m.phase).toBe('active');
    expect(run(m, every(100, 104, below(-110)))).toEqual([]);
    expect(run(m, every(105, 110, below(-80)))).toMatchObject([{ id: recorded.id, state: 'cleared', latched: true }]);
  });

  it('restores a latched alarm, which waits for its acknowledgement', () => {
    const m = machine();
    const events = run(machine(), [...every(0, 5, below(-110)), ...every(6, 11, below(-80))]);
    m.restore(events[1]);
    expect(current(m)).toMatchObject([{ id: events[0].id, latched: true }]);
    expect(m.acknowledge(events[0].id, 'dr.a', s(50))).toMatchObject({ latched: false, ackedBy: 'dr.a' });
  });
});

// ---- Properties --------------------------------------------------------------------------------

const DEFS = [PUMP, DRAINAGE, WARNING, VENOUS, alarmDef('bloodTemperature')!];

type Step = { dtMs: number; state: 'true' | 'false' | 'unknown'; high: boolean; inMargin: boolean };
const stepArb: fc.Arbitrary<Step> = fc.record({
  dtMs: fc.integer({ min: 0, max: 20_000 }),
  state: fc.constantFrom('true', 'false', 'unknown'),
  high: fc.boolean(),
  inMargin: fc.boolean(),
});

/** A condition for a step: true (in the medium or high band), false (in or past the margin), unknown. */
function conditionOf(def: AlarmDef, st: Step): Condition {
  if (st.state === 'unknown') return unknown();
  const c = below(st.state === 'true' ? -110 : st.inMargin ? -95 : -80);
  c.priority = def.priorities[st.high ? def.priorities.length - 1 : 0];
  return c;
}

describe('properties', () => {
  it('raise transitions never outnumber condition onsets held for the delay, and each raise follows one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DEFS), fc.array(stepArb, { maxLength: 200 }), (def, steps) => {
        const m = machine(def);
        let t = T0;
        let runStart = NaN;
        let heldRuns = 0;
        let runCounted = false;
        let raises = 0;
        for (const st of steps) {
          t += st.dtMs;
          if (st.state === 'true') {
            if (Number.isNaN(runStart)) {
              runStart = t;
              runCounted = false;
            }
            if (!runCounted && t - runStart >= def.delayS * 1000) {
              heldRuns++;
              runCounted = true;
            }
          } else runStart = NaN;
          const a = m.step(conditionOf(def, st), t);
          if (a && a.state === 'active' && a.raisedAt === t && a.id === alarmId('bed1', def.key, t)) {
            raises++;
            // A raise happens only inside a run of true conditions that has lasted the delay.
            expect(st.state).toBe('true');
            expect(t - runStart).toBeGreaterThanOrEqual(def.delayS * 1000);
          }
        }
        expect(raises).toBeLessThanOrEqual(heldRuns);
      }),
      { numRuns: 300 },
    );
  });
});
