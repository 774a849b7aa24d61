import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HYSTERESIS, alarmDef, type AlarmKey } from '../../shared/alarms.js';
import type { Alarm, AlarmPriority } from '../../shared/protocol.js';
import { BedAlarms } from './engine.js';
import { PATIENT_A, T0, TestBed } from './test-inputs.js';

const s = (seconds: number) => T0 + seconds * 1000;

/** Evaluates `bed` every second from `from` to `to` seconds (inclusive); returns every change. */
function drive(alarms: BedAlarms, bed: TestBed, from: number, to: number, stepS = 1): Alarm[] {
  const out: Alarm[] = [];
  for (let t = from; t <= to + 1e-9; t += stepS) out.push(...alarms.evaluate(bed.at(s(t))));
  return out;
}
const ofKey = (events: Alarm[], key: string) => events.filter((e) => e.key === key);

interface Case {
  key: AlarmKey;
  what: string;
  bend: (b: TestBed) => void;
  priority: AlarmPriority;
}

// One way to meet each default alarm's condition, on example A (VA, 20 kg, target flow 1.6 L/min).
const CASES: Case[] = [
  { key: 'pumpStopped', what: 'flow 0 L/min at 0 rpm', bend: (b) => b.set('flow', 0).set('rpm', 0), priority: 'high' },
  { key: 'lowFlow', what: 'flow 1.2 L/min (limit 1.28)', bend: (b) => b.set('flow', 1.2), priority: 'high' },
  { key: 'drainagePressure', what: 'pVen −110 mmHg', bend: (b) => b.set('pVen', -110), priority: 'high' },
  { key: 'drainagePressureWarning', what: 'pVen −80 mmHg', bend: (b) => b.set('pVen', -80), priority: 'medium' },
  { key: 'postOxyPressure', what: 'pPost 320 mmHg', bend: (b) => b.set('pPost', 320), priority: 'high' },
  { key: 'oxyPressureDrop', what: 'dpOxy 60 mmHg', bend: (b) => b.setDerived('dpOxy', 60), priority: 'medium' },
  { key: 'venousSaturation', what: 'SvO2 55 %', bend: (b) => b.set('svo2', 55), priority: 'medium' },
  { key: 'postOxyPo2', what: 'a post-oxygenator PO2 of 120 mmHg', bend: (b) => b.set('postOxyPo2', 120), priority: 'medium' },
  { key: 'deliveryRatio', what: 'DO2/VO2 2.5', bend: (b) => b.setDerived('do2Vo2', 2.5), priority: 'medium' },
  { key: 'hypotension', what: 'MAP 45 mmHg at 5 years', bend: (b) => b.set('map', 45), priority: 'medium' },
  { key: 'lactate', what: 'a lactate of 5 mmol/L', bend: (b) => b.set('lab.arterial.lactate', 5, s(90)), priority: 'medium' },
  {
    key: 'lactateClearance',
    what: 'a 2 h clearance of −10 %',
    bend: (b) => b.set('lab.arterial.lactate', 3.3, s(90)).setDerived('lactateClearance2h', -10, 'ok', s(90)),
    priority: 'low',
  },
  { key: 'bloodTemperature', what: 'tBlood 34 °C', bend: (b) => b.set('tBlood', 34), priority: 'low' },
  { key: 'deviceOffline.ecmo', what: 'the console offline', bend: (b) => (b.devices.ecmo = 'offline'), priority: 'high' },
  { key: 'deviceOffline.monitor', what: 'the monitor silent', bend: (b) => (b.devices.monitor = 'stale'), priority: 'medium' },
  { key: 'deviceOffline.pump', what: 'the pumps offline', bend: (b) => (b.devices.pump = 'offline'), priority: 'medium' },
  { key: 'valueRejected', what: '6 rejections in a minute', bend: (b) => (b.rejectsLastMinute = 6), priority: 'low' },
];

const bent = (c: Case) => {
  const b = new TestBed();
  b.devices = { ...b.devices };
  c.bend(b);
  return b;
};

describe('every default alarm', () => {
  it('is silent for a normal patient', () => {
    const alarms = new BedAlarms('bed1');
    expect(drive(alarms, new TestBed(), 0, 600)).toEqual([]);
    expect(alarms.counts()).toEqual({ high: 0, medium: 0, low: 0 });
  });

  const delayed = CASES.filter((c) => alarmDef(c.key)!.delayS > 0);
  it.each(delayed.map((c) => [c.key, c.what, alarmDef(c.key)!.delayS, c]))(
    '%s: %s raises it once held for %d s, and a blip 1 s shorter raises nothing',
    (key, _what, delayS, c) => {
      const alarms = new BedAlarms('bed1');
      const normal = new TestBed();
      const abnormal = bent(c);
      expect(drive(alarms, normal, 0, 10)).toEqual([]);
      // A blip: delay − 1 s of abnormal values, then normal again.
      expect(ofKey(drive(alarms, abnormal, 100, 100 + delayS - 1), key)).toEqual([]);
      expect(ofKey(drive(alarms, normal, 100 + delayS, 100 + delayS + 10), key)).toEqual([]);
      // Held for the delay: raised once, at the delay.
      const start = 1000;
      expect(ofKey(drive(alarms, abnormal, start, start + delayS - 1), key)).toEqual([]);
      const raised = ofKey(drive(alarms, abnormal, start + delayS, start + delayS + 30), key);
      expect(raised).toHaveLength(1);
      expect(raised[0]).toMatchObject({
        key,
        priority: c.priority,
        state: 'active',
        raisedAt: s(start + delayS),
        kind: alarmDef(key)!.kind,
      });
      expect(raised[0].message.length).toBeGreaterThan(0);
    },
  );

  const immediate = CASES.filter((c) => alarmDef(c.key)!.delayS === 0);
  it.each(immediate.map((c) => [c.key, c.what, c]))('%s: %s raises it on the first evaluation', (key, _what, c) => {
    const alarms = new BedAlarms('bed1');
    expect(drive(alarms, new TestBed(), 0, 10)).toEqual([]);
    const raised = ofKey(drive(alarms, bent(c), 100, 130), key);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ key, priority: c.priority, state: 'active', raisedAt: s(100) });
  });

  it('covers every alarm of the catalogue', () => {
    expect(new Set(CASES.map((c) => c.key)).size).toBe(17);
  });
});

describe('ECMO alarms', () => {
  it('stay silent without an ECMO mode, while hypotension still alarms', () => {
    const bed = new TestBed('bed1', { ...PATIENT_A, ecmoMode: null })
      .set('flow', 0)
      .set('rpm', 0)
      .set('pVen', -200)
      .set('pPost', 500)
      .set('postOxyPo2', 50)
      .set('tBlood', 30)
      .set('map', 30)
      .setDerived('dpOxy', 200)
      .setDerived('do2Vo2', 1.2);
    bed.devices.ecmo = 'offline';
    const events = drive(new BedAlarms('bed1'), bed, 0, 600);
    expect([...new Set(events.map((e) => e.key))]).toEqual(['hypotension']);
  });

  it('clear once the patient comes off ECMO, after the 5 s hold, and a high one latches', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed().set('flow', 0).set('rpm', 0);
    expect(ofKey(drive(alarms, bed, 0, 0), 'pumpStopped')).toHaveLength(1);
    bed.patient = { ...PATIENT_A, ecmoMode: null };
    expect(ofKey(drive(alarms, bed, 1, 5), 'pumpStopped')).toEqual([]);
    expect(ofKey(drive(alarms, bed, 6, 6), 'pumpStopped')).toMatchObject([{ state: 'cleared', latched: true }]);
  });

  it('leave the delivery ratio silent on VV', () => {
    const bed = new TestBed('bed1', { ...PATIENT_A, ecmoMode: 'VV' }).setDerived('do2Vo2', 1.5);
    expect(ofKey(drive(new BedAlarms('bed1'), bed, 0, 900, 5), 'deliveryRatio')).toEqual([]);
  });
});

describe('a stale input', () => {
  it('never raises a physiological alarm: the technical alarm speaks instead', () => {
    const bed = new TestBed().set('pVen', -200, s(-60)).set('flow', 0, s(-60));
    bed.devices.ecmo = 'stale';
    const events = drive(new BedAlarms('bed1'), bed, 0, 300);
    expect(events.map((e) => e.key)).toEqual(['deviceOffline.ecmo']);
  });

  it('never clears an alarm, however long it lasts; a fresh normal value then clears it', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed().set('pVen', -120);
    const [raised] = ofKey(drive(alarms, bed, 0, 10), 'drainagePressure');
    // The last value, −40 mmHg, was measured at 0 s: stale (older than 10 s) from 10 s on.
    bed.set('pVen', -40, s(0));
    expect(ofKey(drive(alarms, bed, 11, 600), 'drainagePressure')).toEqual([]);
    expect(alarms.current().find((a) => a.id === raised.id)).toMatchObject({ state: 'active' });
    bed.set('pVen', -40);
    expect(ofKey(drive(alarms, bed, 601, 606), 'drainagePressure')).toMatchObject([{ id: raised.id, state: 'cleared', clearedAt: s(606) }]);
  });

  it('that is missing (no patient configuration, so no age) neither raises nor clears', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed().set('map', 45);
    const [raised] = ofKey(drive(alarms, bed, 0, 30), 'hypotension');
    expect(raised).toMatchObject({ priority: 'medium' });
    bed.patient = null;
    bed.set('map', 80);
    expect(drive(alarms, bed, 31, 300)).toEqual([]);
    expect(alarms.counts().medium).toBe(1);
  });
});

describe('hysteresis at the bedside', () => {
  it('keeps a drainage alarm while pVen hovers just inside the limit, and clears it 5 s after it is clearly inside', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed().set('pVen', -105);
    expect(ofKey(drive(alarms, bed, 0, 5), 'drainagePressure')).toHaveLength(1);
    bed.set('pVen', -92);
    expect(ofKey(drive(alarms, bed, 6, 300), 'drainagePressure')).toEqual([]);
    bed.set('pVen', -89);
    expect(ofKey(drive(alarms, bed, 301, 305), 'drainagePressure')).toEqual([]);
    expect(ofKey(drive(alarms, bed, 306, 306), 'drainagePressure')).toMatchObject([{ state: 'cleared', latched: true }]);
  });

  it('lets an infant low-flow alarm clear near target flow: the margin is a share of the target', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed('bed1', { weightKg: 3.5, heightCm: 50, ageMonths: 2, ecmoMode: 'VA' }).set('flow', 0.3);
    expect(ofKey(drive(alarms, bed, 0, 60), 'lowFlow')).toEqual([]);
    bed.set('flow', 0.27);
    const raised = ofKey(drive(alarms, bed, 61, 71), 'lowFlow');
    expect(raised).toMatchObject([{ state: 'active', raisedAt: s(71) }]);
    expect(raised[0].limit).toBeCloseTo(0.28, 10);
    bed.set('flow', 0.3);
    expect(ofKey(drive(alarms, bed, 72, 77), 'lowFlow')).toMatchObject([{ state: 'cleared', clearedAt: s(77) }]);
  });

  it('clears a stopped pump only once flow is above 0.1 L/min for 5 s', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed().set('flow', 0).set('rpm', 0);
    drive(alarms, bed, 0, 0);
    bed.set('rpm', 1500).set('flow', 0.08);
    expect(ofKey(drive(alarms, bed, 1, 60), 'pumpStopped')).toEqual([]);
    bed.set('flow', 0.5);
    expect(ofKey(drive(alarms, bed, 61, 66), 'pumpStopped')).toMatchObject([{ state: 'cleared', clearedAt: s(66) }]);
  });
});

describe('escalation', () => {
  it('keeps one venous saturation alarm whose priority rises from medium to high', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed().set('svo2', 55);
    const first = ofKey(drive(alarms, bed, 0, 40), 'venousSaturation');
    bed.set('svo2', 45);
    const second = ofKey(drive(alarms, bed, 41, 100), 'venousSaturation');
    expect(first).toMatchObject([{ priority: 'medium', raisedAt: s(30) }]);
    expect(second).toMatchObject([{ id: first[0].id, priority: 'high', raisedAt: s(30) }]);
    expect(alarms.current().filter((a) => a.key === 'venousSaturation')).toHaveLength(1);
    expect(alarms.counts()).toEqual({ high: 1, medium: 0, low: 0 });
  });

  it('keeps one hypotension alarm whose priority rises into the Phoenix 2-point band', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed().set('map', 45);
    drive(alarms, bed, 0, 30);
    bed.set('map', 30);
    const events = ofKey(drive(alarms, bed, 31, 61), 'hypotension');
    expect(events).toMatchObject([{ priority: 'high', limit: 36 }]);
    expect(alarms.current().filter((a) => a.key === 'hypotension')).toHaveLength(1);
  });
});

describe('acknowledgement, counts and current alarms', () => {
  it('acknowledges by id, latched high alarms stay counted until then', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed().set('pPost', 350).set('svo2', 55);
    drive(alarms, bed, 0, 30);
    bed.set('pPost', 200);
    drive(alarms, bed, 31, 40);
    const list = alarms.current();
    expect(list.map((a) => [a.key, a.state, a.latched])).toEqual([
      ['venousSaturation', 'active', false],
      ['postOxyPressure', 'cleared', true],
    ]);
    expect(alarms.counts()).toEqual({ high: 1, medium: 1, low: 0 });
    const pressure = list[1];
    expect(alarms.acknowledge(pressure.id, 'dr.a', s(41))).toMatchObject({ latched: false, ackedBy: 'dr.a', ackedAt: s(41) });
    expect(alarms.counts()).toEqual({ high: 0, medium: 1, low: 0 });
    const venous = list[0];
    expect(alarms.acknowledge(venous.id, 'dr.a', s(42))).toMatchObject({ state: 'active', ackedBy: 'dr.a' });
    expect(alarms.counts()).toEqual({ high: 0, medium: 1, low: 0 });
  });

  it('answers null for an unknown id or an id of another bed', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed().set('pPost', 350);
    const [raised] = drive(alarms, bed, 0, 5);
    expect(alarms.acknowledge(raised.id.replace('bed1', 'bed2'), 'x', s(6))).toBeNull();
    expect(alarms.acknowledge('bed1:noSuchAlarm:1', 'x', s(6))).toBeNull();
    expect(alarms.acknowledge('garbage', 'x', s(6))).toBeNull();
  });

  it('reports nothing from an evaluation that changes nothing', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed().set('pPost', 350);
    expect(drive(alarms, bed, 0, 5)).toHaveLength(1);
    expect(alarms.evaluate(bed.at(s(6)))).toEqual([]);
  });
});

describe('replay and restart', () => {
  const scenario = (alarms: BedAlarms) => {
    const bed = new TestBed().set('pVen', -120).set('svo2', 55);
    const out = drive(alarms, bed, 0, 40);
    bed.set('pVen', -40).set('svo2', 45);
    out.push(...drive(alarms, bed, 41, 80));
    return out;
  };

  it('gives the same alarms and ids when the same inputs are replayed', () => {
    const a = scenario(new BedAlarms('bed1'));
    const b = scenario(new BedAlarms('bed1'));
    expect(a.length).toBeGreaterThan(2);
    expect(b).toEqual(a);
    for (const e of a) expect(e.id).toBe(`bed1:${e.key}:${e.raisedAt}`);
  });

  it('reinstates recorded active and latched alarms, which then carry on as before', () => {
    const before = new BedAlarms('bed1');
    const recorded = new Map<string, Alarm>();
    for (const e of scenario(before)) recorded.set(e.id, e);
    const after = new BedAlarms('bed1');
    after.restore([...recorded.values(), { ...[...recorded.values()][0], bedId: 'bed2' }]);
    expect(after.current()).toEqual(before.current());
    expect(after.counts()).toEqual(before.counts());
    // The same inputs from here on give the same changes.
    const bed = new TestBed().set('svo2', 75);
    expect(drive(after, bed, 81, 120)).toEqual(drive(before, bed, 81, 120));
  });
});

// ---- No alarm storm ----------------------------------------------------------------------------

interface Oscillation {
  key: AlarmKey;
  signal: string;
  limit: number;
  /** A swing of this size goes well past both the limit and its hysteresis margin. */
  swing: number;
}

const OSCILLATIONS: Oscillation[] = [
  { key: 'pumpStopped', signal: 'flow', limit: 0.05, swing: 0.2 },
  { key: 'drainagePressure', signal: 'pVen', limit: -100, swing: 30 },
  { key: 'postOxyPressure', signal: 'pPost', limit: 300, swing: 50 },
  { key: 'venousSaturation', signal: 'svo2', limit: 60, swing: 15 },
  { key: 'bloodTemperature', signal: 'tBlood', limit: 35, swing: 3 },
];

describe('a value oscillating around a limit', () => {
  it('raises at most one episode per onset delay plus clearing hold, whatever its period', () => {
    const durationS = 600;
    fc.assert(
      fc.property(
        fc.constantFrom(...OSCILLATIONS),
        fc.double({ min: 0.2, max: 200, noNaN: true }),
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0.25, 0.5, 1, 2.5),
        fc.boolean(),
        (osc, periodS, swingFraction, phase, stepS, square) => {
          const alarms = new BedAlarms('bed1');
          const bed = new TestBed();
          const def = alarmDef(osc.key)!;
          const gapMs = (def.delayS + HYSTERESIS.holdS) * 1000;
          const raises: number[] = [];
          for (let t = 0; t <= durationS; t += stepS) {
            const wave = Math.sin(2 * Math.PI * (t / periodS + phase));
            const v = osc.limit + osc.swing * swingFraction * (square ? Math.sign(wave) : wave);
            bed.set(osc.signal, v);
            for (const e of alarms.evaluate(bed.at(s(t))))
              if (e.key === osc.key && e.state === 'active' && e.raisedAt === s(t)) raises.push(e.raisedAt);
          }
          expect(raises.length).toBeLessThanOrEqual(Math.floor((durationS * 1000) / gapMs) + 1);
          for (let i = 1; i < raises.length; i++) expect(raises[i] - raises[i - 1]).toBeGreaterThan(gapMs);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('evaluations that skip work', () => {
  it('judges only the alarms that read derived values when only derived values changed', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed();
    drive(alarms, bed, 0, 2);
    // The pump stops and the oxygenator pressure drop rises; a recompute alone judges only the latter.
    bed.set('flow', 0).set('rpm', 0).setDerived('dpOxy', 60).setDerived('rOxy', 60);
    const derivedOnly: Alarm[] = [];
    for (let t = 3; t <= 3 + 6 * 60; t++) derivedOnly.push(...alarms.evaluate(bed.at(s(t)), true));
    expect(ofKey(derivedOnly, 'pumpStopped')).toEqual([]);
    expect(ofKey(derivedOnly, 'oxyPressureDrop')).toMatchObject([{ state: 'active' }]);
    // The next full evaluation (a message, the tick) judges the pump at once.
    expect(ofKey(alarms.evaluate(bed.at(s(400))), 'pumpStopped')).toMatchObject([{ state: 'active', raisedAt: s(400) }]);
  });

  it('keeps running an onset delay and a clearing hold through derived-only evaluations', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed();
    bed.set('pVen', -110);
    expect(ofKey(alarms.evaluate(bed.at(s(0))), 'drainagePressure')).toEqual([]);
    // 5 s onset delay, held through evaluations that judge only derived values: raised on time.
    expect(ofKey(drive2(alarms, bed, 1, 5), 'drainagePressure')).toMatchObject([{ state: 'active', raisedAt: s(5) }]);
    bed.set('pVen', -40);
    expect(ofKey(alarms.evaluate(bed.at(s(6))), 'drainagePressure')).toEqual([]);
    expect(ofKey(drive2(alarms, bed, 7, 11), 'drainagePressure')).toMatchObject([{ state: 'cleared', clearedAt: s(11) }]);
  });

  it('notes every "on result" result while at rest, so a result already judged never raises later', () => {
    const alarms = new BedAlarms('bed1');
    const bed = new TestBed();
    // 3.8 mmol/L judged against the default 4: no alarm.
    bed.set('lab.arterial.lactate', 3.8, s(10));
    expect(ofKey(drive(alarms, bed, 10, 12), 'lactate')).toEqual([]);
    // The limit lowered to 3.5 around the same result: it does not raise (section 4, on result).
    bed.overrides = { lactateMmolL: 3.5 };
    expect(ofKey(drive(alarms, bed, 13, 20), 'lactate')).toEqual([]);
    // A new result over the limit raises at once.
    bed.set('lab.arterial.lactate', 3.9, s(21));
    expect(ofKey(drive(alarms, bed, 21, 21), 'lactate')).toMatchObject([{ state: 'active', raisedAt: s(21) }]);
  });
});

/** Like `drive`, every second, but each evaluation says only derived values changed. */
function drive2(alarms: BedAlarms, bed: TestBed, from: number, to: number): Alarm[] {
  const out: Alarm[] = [];
  for (let t = from; t <= to; t++) out.push(...alarms.evaluate(bed.at(s(t)), true));
  return out;
}
