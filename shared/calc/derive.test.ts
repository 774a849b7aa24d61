// The worked examples of docs/clinical.md, section 6, through the whole derived computation.
import { beforeEach, describe, expect, it } from 'vitest';
import type { LatestValue } from '../protocol.js';
import type { Patient } from '../schemas.js';
import { computeDerived, type CalcInputs, type DerivedSet, type PumpChannelInput } from './derive.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');

function inputs(values: Record<string, number | null>, patient: Patient | null, extra: Partial<CalcInputs> = {}, ageMs = 1000): CalcInputs {
  const latest = new Map<string, LatestValue>();
  for (const [k, v] of Object.entries(values))
    latest.set(k, { value: v, ts: NOW - ageMs, source: k.startsWith('lab.') ? 'lab' : 'device' });
  return { patient, latest: (s) => latest.get(s), lactates: [], pumps: [], ...extra };
}

const caseA = {
  flow: 2.0,
  hb: 10,
  svo2: 70,
  postOxySat: 100,
  pPre: 200,
  pPost: 170,
  'lab.pre-oxygenator.po2': 40,
  'lab.post-oxygenator.po2': 300,
  hr: 140,
  sbp: 75,
  dbp: 45,
  map: 55,
  cvp: 10,
};
const patientA: Patient = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' };

// Each example computes in beforeEach, inside each test: computed while the file is collected, its
// code would count as static for mutation testing and every mutant in it would rerun every test.
describe('worked example A: VA ECMO, 20 kg, 115 cm, 5 years', () => {
  let d: DerivedSet;
  beforeEach(() => {
    d = computeDerived(inputs(caseA, patientA), NOW);
  });
  it.each([
    ['bsa', 0.79931, 5],
    ['cao2Post', 14.3, 3],
    ['cvo2', 9.5, 3],
    ['do2Ecmo', 286.0, 1],
    ['do2i', 357.81, 2],
    ['vo2Oxy', 96.0, 1],
    ['vo2i', 120.1, 2],
    ['o2er', 33.57, 2],
    ['do2Vo2', 2.979, 3],
    ['dpOxy', 30, 6],
    ['rOxy', 15.0, 6],
    ['flowPerKg', 100.0, 6],
    ['flowIndex', 2.502, 3],
    ['perfusionPressure', 45, 6],
    ['pulsePressure', 30, 6],
    ['shockIndex', 1.867, 3],
  ] as const)('%s = %d', (key, expected, digits) => {
    expect(d[key].value).toBeCloseTo(expected, digits);
    expect(d[key].quality).toBe('ok');
  });

  it('computes the exact values, not only the rounded ones of the page', () => {
    expect(d.cao2Post.value).toBeCloseTo(1.34 * 10 + 0.003 * 300, 12);
    expect(d.cvo2.value).toBeCloseTo(1.34 * 10 * 0.7 + 0.003 * 40, 12);
    expect(d.do2Vo2.value).toBeCloseTo(286 / 96, 12);
  });

  it('gives 0 Phoenix MAP points at MAP 55 for 5 years, and marks the missing parts as assumed', () => {
    expect(d.phoenixCv.parts).toEqual({ vasoactive: null, lactate: null, map: 0 });
    expect(d.phoenixCv.value).toBe(0);
    expect(d.phoenixCv.quality).toBe('assumed');
  });

  it('lists the inputs it used with their source and age', () => {
    const names = d.cvo2.inputs!.map((i) => [i.name, i.signal]);
    expect(names).toEqual([
      ['hb', 'hb'],
      ['preOxySat', 'svo2'],
      ['preOxyPo2', 'lab.pre-oxygenator.po2'],
    ]);
    expect(d.cvo2.inputs![0].ageS).toBe(1);
  });
});

describe('worked example B: infant without any PO2', () => {
  let d: DerivedSet;
  beforeEach(() => {
    d = computeDerived(
      inputs({ flow: 0.5, hb: 14, postOxySat: 100, svo2: 72 }, { weightKg: 3.5, heightCm: 50, ageMonths: 2, ecmoMode: 'VA' }),
      NOW,
    );
  });
  it('leaves out the dissolved oxygen and says the contents are assumed', () => {
    expect(d.cao2Post.value).toBeCloseTo(18.76, 3);
    expect(d.cvo2.value).toBeCloseTo(13.5072, 4);
    expect(d.cao2Post.quality).toBe('assumed');
    expect(d.cvo2.quality).toBe('assumed');
    expect(d.cao2Post.reason).toMatch(/PO2 unknown/);
  });
  it('carries assumed into what is computed from the contents', () => {
    expect(d.do2Ecmo.value).toBeCloseTo(93.8, 2);
    expect(d.vo2Oxy.value).toBeCloseTo(26.264, 3);
    expect(d.o2er.value).toBeCloseTo(28.0, 2);
    for (const k of ['do2Ecmo', 'vo2Oxy', 'o2er'] as const) expect(d[k].quality).toBe('assumed');
    expect(d.flowPerKg.value).toBeCloseTo(142.857, 3);
    expect(d.flowPerKg.quality).toBe('ok');
    expect(d.bsa.value).toBeCloseTo(0.22048, 5);
  });
});

describe('worked example C: vasoactive-inotropic score at 20 kg', () => {
  const pump = (
    channel: string,
    drug: string,
    rateMlH: number,
    concentration: number,
    concentrationUnit: PumpChannelInput['concentrationUnit'],
    running = true,
  ): PumpChannelInput => ({
    channel,
    drug,
    rateMlH,
    concentration,
    concentrationUnit,
    running,
    ts: NOW - 5000,
  });
  const pumps = [
    pump('a', 'epinephrine', 3, 20, 'mcg/mL'),
    pump('b', 'norepinephrine', 3, 40, 'mcg/mL'),
    pump('c', 'dobutamine', 3, 2, 'mg/mL'),
    pump('d', 'milrinone', 3, 200, 'mcg/mL', false),
  ];
  it('scores 20, and 2 Phoenix vasoactive points for three drugs running', () => {
    const d = computeDerived(inputs({}, patientA, { pumps }), NOW);
    expect(d.vis.value).toBeCloseTo(20, 10);
    expect(d.vis.quality).toBe('ok');
    expect(d.phoenixCv.parts!.vasoactive).toBe(2);
  });
  it('adds channels of the same drug, ignores unknown drugs, and needs a weight', () => {
    const more = [...pumps, pump('e', 'epinephrine', 3, 20, 'mcg/mL'), pump('f', 'heparin', 5, 100, 'units/mL')];
    expect(computeDerived(inputs({}, patientA, { pumps: more }), NOW).vis.value).toBeCloseTo(25, 10);
    const noWeight = computeDerived(inputs({}, null, { pumps }), NOW).vis;
    expect(noWeight.quality).toBe('missing');
    expect(noWeight.reason).toMatch(/weight/);
  });
  it('turns stale when a running pump has been silent for more than 90 s', () => {
    const old = pumps.map((p) => ({ ...p, ts: NOW - 120_000 }));
    const d = computeDerived(inputs({}, patientA, { pumps: old }), NOW);
    expect(d.vis.value).toBeCloseTo(20, 10);
    expect(d.vis.quality).toBe('stale');
  });
});

describe('worked example D: lactate clearance', () => {
  const at = (hhmm: string) => Date.parse(`2026-11-25T${hhmm}:00Z`);
  const results = [
    { ts: at('10:00'), value: 8.0, site: 'arterial' },
    { ts: at('12:05'), value: 6.4, site: 'arterial' },
    { ts: at('16:00'), value: 4.0, site: 'arterial' },
  ];
  it('is 20 % over 2 h at 12:05', () => {
    const d = computeDerived(inputs({}, null, { lactates: results.slice(0, 2) }), at('12:05'));
    expect(d.lactateClearance2h.value).toBeCloseTo(20, 10);
    expect(d.lactateClearance2h.quality).toBe('ok');
  });
  it('is 50 % over 6 h at 16:00, while the 2 h clearance has no reference', () => {
    const d = computeDerived(inputs({}, null, { lactates: results }), at('16:00'));
    expect(d.lactateClearance6h.value).toBeCloseTo(50, 10);
    expect(d.lactateClearance2h.value).toBeNull();
    expect(d.lactateClearance2h.quality).toBe('missing');
  });
  it('takes a reference at the edges of the tolerance, not beyond', () => {
    const edge = (refAt: string) =>
      computeDerived(
        inputs({}, null, {
          lactates: [
            { ts: at(refAt), value: 8, site: 'arterial' },
            { ts: at('14:00'), value: 4, site: 'arterial' },
          ],
        }),
        at('14:00'),
      ).lactateClearance2h;
    expect(edge('12:00').value).toBeCloseTo(50, 10);
    expect(edge('11:30').value).toBeCloseTo(50, 10);
    expect(edge('11:29').value).toBeNull();
    expect(edge('12:01').value).toBeNull();
  });
});

describe('worked example F: VV mode', () => {
  let d: DerivedSet;
  beforeEach(() => {
    d = computeDerived(inputs(caseA, { ...patientA, ecmoMode: 'VV' }), NOW);
  });
  it('keeps the oxygenator transfer and does not compute circuit delivery', () => {
    expect(d.vo2Oxy.value).toBeCloseTo(96, 6);
    for (const k of ['do2Ecmo', 'do2i', 'do2Vo2'] as const) {
      expect(d[k].value).toBeNull();
      expect(d[k].quality).toBe('missing');
      expect(d[k].reason).toMatch(/not meaningful in VV/);
    }
  });
});

describe('source selection and quality', () => {
  it('falls back to a fresh lab value when the console value is stale, and says so', () => {
    const latest = new Map<string, LatestValue>([
      ['svo2', { value: 75, ts: NOW - 60_000, source: 'ecmo' }],
      ['lab.pre-oxygenator.so2', { value: 68, ts: NOW - 20 * 60_000, source: 'lab' }],
      ['hb', { value: 10, ts: NOW - 1000, source: 'ecmo' }],
    ]);
    const d = computeDerived({ patient: null, latest: (s) => latest.get(s), lactates: [], pumps: [] }, NOW);
    expect(d.cvo2.inputs!.find((i) => i.name === 'preOxySat')!.signal).toBe('lab.pre-oxygenator.so2');
    expect(d.cvo2.value).toBeCloseTo(1.34 * 10 * 0.68, 10);
  });
  it('uses the newest source when none is fresh, and marks the result stale with the age in words', () => {
    const d = computeDerived(inputs(caseA, patientA, {}, 30_000), NOW);
    expect(d.dpOxy.value).toBe(30);
    expect(d.dpOxy.quality).toBe('stale');
    expect(d.dpOxy.reason).toMatch(/pre-oxygenator pressure 30 s old \(max 10 s\)/);
  });
  it('says which input of a content made a value stale, not the age of the content itself', () => {
    const latest = new Map<string, LatestValue>(Object.entries(caseA).map(([k, v]) => [k, { value: v, ts: NOW - 1000, source: 'x' }]));
    latest.set('lab.pre-oxygenator.po2', { value: 40, ts: NOW - 71 * 60_000, source: 'lab' });
    const d = computeDerived({ patient: patientA, latest: (s) => latest.get(s), lactates: [], pumps: [] }, NOW);
    expect(d.cvo2.quality).toBe('stale');
    expect(d.o2er.quality).toBe('stale');
    expect(d.o2er.reason).toBe('pre-oxygenator PO2 71 min old (max 60 min)');
    expect(d.o2er.inputs!.find((i) => i.name === 'cvo2')!.because).toBe('pre-oxygenator PO2 71 min old (max 60 min)');
  });
  it('names a stale input shared by two contents once', () => {
    const latest = new Map<string, LatestValue>(Object.entries(caseA).map(([k, v]) => [k, { value: v, ts: NOW - 1000, source: 'x' }]));
    latest.set('hb', { value: 10, ts: NOW - 30_000, source: 'ecmo' });
    const d = computeDerived({ patient: patientA, latest: (s) => latest.get(s), lactates: [], pumps: [] }, NOW);
    expect(d.o2er.reason).toBe('haemoglobin 30 s old (max 10 s)');
  });
  it('treats a sensor reported as off as absent', () => {
    const d = computeDerived(inputs({ ...caseA, cvp: null }, patientA), NOW);
    expect(d.perfusionPressure.quality).toBe('missing');
    expect(d.perfusionPressure.reason).toMatch(/no CVP/);
  });
  it('gives null, never NaN or Infinity, at zero flow', () => {
    const d = computeDerived(inputs({ ...caseA, flow: 0 }, patientA), NOW);
    expect(d.rOxy.value).toBeNull();
    expect(d.do2Ecmo.value).toBe(0);
    expect(d.do2Vo2.value).toBeNull();
  });
  it('computes what needs no patient without one, and names the missing weight for the rest', () => {
    const d = computeDerived(inputs(caseA, null), NOW);
    expect(d.dpOxy.value).toBe(30);
    expect(d.flowPerKg.quality).toBe('missing');
    expect(d.flowPerKg.reason).toMatch(/weight/);
  });
});

describe('quality defects found from outside (regressions)', () => {
  it('gives circuit delivery as missing, not ok, when no ECMO mode is configured or there is no patient', () => {
    for (const patient of [{ ...patientA, ecmoMode: null }, null]) {
      const d = computeDerived(inputs(caseA, patient), NOW);
      for (const key of ['do2Ecmo', 'do2i', 'do2Vo2'] as const) {
        expect(d[key].quality, `${key} with patient ${JSON.stringify(patient)}`).toBe('missing');
        expect(d[key].value).toBeNull();
        expect(d[key].reason).toMatch(/ECMO mode/);
      }
      // what does not depend on the mode is still computed
      expect(d.vo2Oxy.value).not.toBeNull();
    }
  });

  it('takes a fresh venous lactate series over a three-day-old arterial one for clearance', () => {
    const h = 3600_000;
    const lactates = [
      { ts: NOW - 72 * h, value: 9, site: 'arterial' },
      { ts: NOW - 2 * h - 120_000, value: 6, site: 'venous' },
      { ts: NOW - 60_000, value: 3, site: 'venous' },
    ];
    const d = computeDerived(inputs({}, patientA, { lactates }), NOW);
    expect(d.lactateClearance2h.value).toBeCloseTo(50, 6);
    expect(d.lactateClearance2h.quality).toBe('ok');
  });

  it('still prefers arterial results while the newest arterial one is within its maximum age', () => {
    const h = 3600_000;
    const lactates = [
      { ts: NOW - 2 * h - 120_000, value: 8, site: 'arterial' },
      { ts: NOW - 2 * h - 120_000, value: 6, site: 'venous' },
      { ts: NOW - 60_000, value: 4, site: 'arterial' },
      { ts: NOW - 30_000, value: 5.9, site: 'venous' },
    ];
    expect(computeDerived(inputs({}, patientA, { lactates }), NOW).lactateClearance2h.value).toBeCloseTo(50, 6);
  });

  it('makes VIS stale when a pump that last said "stopped" has been silent for more than 90 s', () => {
    const stopped: PumpChannelInput = {
      channel: 'a',
      drug: 'norepinephrine',
      rateMlH: 0,
      concentration: 40,
      concentrationUnit: 'mcg/mL',
      running: false,
      ts: NOW - 3 * 3600_000,
    };
    const d = computeDerived(inputs({}, patientA, { pumps: [stopped] }), NOW);
    expect(d.vis.value).toBe(0);
    expect(d.vis.quality).toBe('stale');
    expect(d.vis.reason).toMatch(/pump a silent 3 h/);
    expect(d.phoenixCv.quality).toBe('stale');
    // the same pump heard 30 s ago: VIS 0 is a fact
    expect(computeDerived(inputs({}, patientA, { pumps: [{ ...stopped, ts: NOW - 30_000 }] }), NOW).vis.quality).toBe('ok');
  });
});
