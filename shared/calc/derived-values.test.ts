// What each derived value says besides its number (docs/clinical.md section 2): the inputs it was
// computed from, its time, its quality and the reason in words. The screen shows all of them.
import { describe, expect, it } from 'vitest';
import type { DerivedKey } from '../catalogue.js';
import type { LatestValue } from '../protocol.js';
import type { Patient } from '../schemas.js';
import { computeDerived, type CalcInputs, type PumpChannelInput } from './derive.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const S = 1000;
const H = 3600_000;

type Sample = number | null | { value: number | null; ageS: number };

/** Derived values of a bed whose newest values are `values` (1 s old unless an age is given). */
function derive(values: Record<string, Sample>, patient: Patient | null, extra: Partial<CalcInputs> = {}) {
  const latest = new Map<string, LatestValue>();
  for (const [k, v] of Object.entries(values)) {
    const { value, ageS } = v !== null && typeof v === 'object' ? v : { value: v, ageS: 1 };
    latest.set(k, { value, ts: NOW - ageS * S, source: 'x' });
  }
  return computeDerived({ patient, latest: (s) => latest.get(s), lactates: [], pumps: [], ...extra }, NOW);
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
const noPo2 = { flow: 0.5, hb: 14, postOxySat: 100, svo2: 72 };
const patientA: Patient = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' };

const pump = (channel: string, drug: string, over: Partial<PumpChannelInput> = {}): PumpChannelInput => ({
  channel,
  drug,
  rateMlH: 3,
  concentration: 20,
  concentrationUnit: 'mcg/mL',
  running: true,
  ts: NOW - 5 * S,
  ...over,
});

const inputNames = (d: ReturnType<typeof derive>, keys: DerivedKey[]) =>
  Object.fromEntries(keys.map((k) => [k, d[k].inputs!.map((i) => i.name)]));

describe('the inputs a value lists', () => {
  it('are the inputs of its formula, an O2 content standing for its own', () => {
    const d = derive(caseA, patientA);
    expect(
      inputNames(d, [
        'bsa',
        'flowIndex',
        'flowPerKg',
        'cao2Post',
        'cvo2',
        'do2Ecmo',
        'do2i',
        'do2Vo2',
        'vo2Oxy',
        'vo2i',
        'o2er',
        'dpOxy',
        'rOxy',
        'perfusionPressure',
        'pulsePressure',
        'shockIndex',
        'phoenixCv',
      ]),
    ).toEqual({
      bsa: ['weight', 'height'],
      flowIndex: ['flow', 'weight', 'height'],
      flowPerKg: ['flow', 'weight'],
      cao2Post: ['hb', 'postOxySat', 'postOxyPo2'],
      cvo2: ['hb', 'preOxySat', 'preOxyPo2'],
      do2Ecmo: ['flow', 'cao2Post'],
      do2i: ['flow', 'cao2Post', 'weight', 'height'],
      do2Vo2: ['flow', 'cao2Post', 'cvo2'],
      vo2Oxy: ['flow', 'cao2Post', 'cvo2'],
      vo2i: ['flow', 'cao2Post', 'cvo2', 'weight', 'height'],
      o2er: ['cao2Post', 'cvo2'],
      dpOxy: ['pPre', 'pPost'],
      rOxy: ['pPre', 'pPost', 'flow'],
      perfusionPressure: ['map', 'cvp'],
      pulsePressure: ['sbp', 'dbp'],
      shockIndex: ['hr', 'sbp'],
      phoenixCv: ['map', 'age', 'lactate'],
    });
  });

  it('leave out a PO2 the content could not use', () => {
    expect(inputNames(derive(noPo2, patientA), ['cao2Post', 'cvo2'])).toEqual({
      cao2Post: ['hb', 'postOxySat'],
      cvo2: ['hb', 'preOxySat'],
    });
  });

  it('are listed also for what VV mode does not compute, body surface included', () => {
    const d = derive(caseA, { ...patientA, ecmoMode: 'VV', heightCm: null } as unknown as Patient);
    expect(inputNames(d, ['do2Ecmo', 'do2i', 'do2Vo2'])).toEqual({
      do2Ecmo: ['flow', 'cao2Post'],
      do2i: ['flow', 'cao2Post', 'bsa'],
      do2Vo2: ['flow', 'cao2Post', 'cvo2'],
    });
    expect(d.do2i.inputs![2]).toMatchObject({ name: 'bsa', value: null, signal: 'patient', quality: 'missing' });
    const withHeight = derive(caseA, { ...patientA, ecmoMode: 'VV' });
    expect(withHeight.do2i.inputs![2]).toMatchObject({ name: 'bsa', signal: 'patient', quality: 'ok' });
    expect(withHeight.do2i.inputs![2].value).toBeCloseTo(0.79931, 5);
  });

  it('show patient values as coming from the patient, and a non-finite one as missing', () => {
    expect(derive(caseA, patientA).bsa.inputs![0]).toEqual({
      name: 'weight',
      value: 20,
      signal: 'patient',
      ts: 0,
      ageS: null,
      quality: 'ok',
    });
    const d = derive(caseA, { ...patientA, weightKg: Infinity });
    expect(d.bsa.inputs![0]).toEqual({ name: 'weight', value: null, signal: null, ts: 0, ageS: null, quality: 'missing' });
    expect(d.bsa).toMatchObject({ value: null, quality: 'missing', reason: 'no weight' });
    expect(derive(caseA, { ...patientA, weightKg: NaN }).flowPerKg.reason).toBe('no weight');
  });

  it('give an O2 content’s own words only when it is stale', () => {
    const fresh = derive(caseA, patientA);
    expect(fresh.o2er.inputs!.find((i) => i.name === 'cvo2')).not.toHaveProperty('because');
    const staleHb = derive({ ...caseA, hb: { value: 10, ageS: 30 } }, patientA);
    expect(staleHb.o2er.inputs!.find((i) => i.name === 'cvo2')!.because).toBe('haemoglobin 30 s old (max 10 s)');
  });
});

describe('the time of a value', () => {
  it('is that of its newest input', () => {
    const d = derive({ ...caseA, pPre: { value: 200, ageS: 5 }, pPost: { value: 170, ageS: 2 }, hb: { value: 10, ageS: 3 } }, patientA);
    expect(d.dpOxy.ts).toBe(NOW - 2 * S);
    expect(d.bsa.ts).toBe(0);
    const contents = derive(
      { flow: 2, hb: { value: 10, ageS: 3 }, svo2: { value: 70, ageS: 4 }, 'lab.pre-oxygenator.po2': { value: 40, ageS: 600 } },
      null,
    );
    expect(contents.cvo2.ts).toBe(NOW - 3 * S);
  });

  it('is that of its newest known input when it is missing', () => {
    const d = derive(
      { hr: { value: 140, ageS: 7 }, flow: { value: 2, ageS: 9 }, hb: { value: 10, ageS: 4 }, postOxySat: 100 },
      {
        ...patientA,
        ecmoMode: 'VV',
      },
    );
    expect(d.shockIndex).toMatchObject({ quality: 'missing', ts: NOW - 7 * S });
    expect(d.do2Ecmo).toMatchObject({ quality: 'missing', ts: NOW - 1 * S });
  });
});

describe('quality and reasons', () => {
  it('say nothing more about a value whose inputs are all fresh', () => {
    const d = derive(caseA, patientA);
    for (const k of ['dpOxy', 'do2Ecmo', 'o2er', 'bsa'] as const) {
      expect(d[k].quality, k).toBe('ok');
      expect(d[k], k).not.toHaveProperty('reason');
      expect(d[k], k).not.toHaveProperty('parts');
    }
  });

  it('name every missing input, in order', () => {
    expect(derive({}, null).flowIndex.reason).toBe('no pump flow; no weight; no height');
  });

  it('say why a formula gave nothing from inputs it had', () => {
    expect(derive({ ...caseA, flow: 0 }, patientA).rOxy).toMatchObject({
      value: null,
      quality: 'missing',
      reason: 'cannot be computed from these inputs (zero or negative divisor)',
    });
  });

  it('name the content that was assumed in what was computed from it', () => {
    const d = derive(noPo2, patientA);
    expect(d.cao2Post.reason).toBe('post-oxygenator PO2 unknown: dissolved O2 left out');
    expect(d.cvo2.reason).toBe('pre-oxygenator PO2 unknown: dissolved O2 left out');
    expect(d.do2Ecmo.reason).toBe('cao2Post assumed (PO2 unknown)');
    expect(d.do2i.reason).toBe('cao2Post assumed (PO2 unknown)');
    for (const k of ['do2Vo2', 'vo2Oxy', 'vo2i', 'o2er'] as const)
      expect(d[k].reason, k).toBe('cao2Post assumed (PO2 unknown); cvo2 assumed (PO2 unknown)');
    const onlyPostKnown = derive({ ...noPo2, 'lab.post-oxygenator.po2': 300 }, patientA);
    expect(onlyPostKnown.o2er).toMatchObject({ quality: 'assumed', reason: 'cvo2 assumed (PO2 unknown)' });
    expect(onlyPostKnown.do2Ecmo.quality).toBe('ok');
  });

  it('make an O2 content missing without haemoglobin, or without its saturation', () => {
    const noHb = derive({ ...caseA, hb: null }, patientA);
    expect(noHb.cvo2).toMatchObject({ value: null, quality: 'missing', reason: 'no haemoglobin' });
    expect(noHb.o2er).toMatchObject({ quality: 'missing', reason: 'no cao2Post; no cvo2' });
    const noSat = derive({ ...caseA, svo2: null }, patientA);
    expect(noSat.cvo2).toMatchObject({ value: null, quality: 'missing', reason: 'no pre-oxygenator saturation' });
    expect(noSat.cao2Post.quality).toBe('ok');
    expect(noSat.o2er.inputs!.find((i) => i.name === 'cvo2')!.quality).toBe('missing');
  });

  it('carry a stale content into what is computed from it, with the content’s reason', () => {
    const d = derive({ ...caseA, postOxySat: { value: 100, ageS: 25 } }, patientA);
    expect(d.do2Ecmo).toMatchObject({ quality: 'stale', reason: 'post-oxygenator saturation 25 s old (max 10 s)' });
    expect(d.cvo2.quality).toBe('ok');
  });
});

describe('VIS in detail', () => {
  it('says there is no pump data when there is none', () => {
    expect(derive({}, patientA).vis).toMatchObject({ value: null, quality: 'missing', reason: 'no infusion pump data', inputs: [] });
  });

  it('lists the weight and each running scored pump with its age, not stopped or unscored ones', () => {
    const pumps = [
      pump('a', 'epinephrine', { ts: NOW - 5400 }),
      pump('b', 'heparin', { concentrationUnit: 'units/mL' }),
      pump('c', 'milrinone', { running: false }),
      pump('d', 'dopamine', { rateMlH: 0 }),
    ];
    const d = derive({}, patientA, { pumps });
    expect(d.vis.value).toBeCloseTo(5, 12);
    expect(d.vis.inputs).toEqual([
      { name: 'weight', value: 20, signal: 'patient', ts: 0, ageS: null, quality: 'ok' },
      { name: 'epinephrine', signal: 'pump.a', ageS: 5, quality: 'ok' },
    ]);
    expect(d.vis.ts).toBe(NOW - 5 * S);
    expect(d.phoenixCv.parts!.vasoactive).toBe(1);
  });

  it('is stale for a pump silent longer than 90 s, listed once, and for a silent stopped pump too', () => {
    const at = (ageS: number, running = true) =>
      derive({}, patientA, { pumps: [pump('a', 'epinephrine', { ts: NOW - ageS * S, running })] }).vis;
    expect(at(90)).toMatchObject({ quality: 'ok', inputs: [expect.anything(), expect.objectContaining({ ageS: 90, quality: 'ok' })] });
    expect(at(90)).not.toHaveProperty('reason');
    const silent = at(90.5);
    expect(silent).toMatchObject({ quality: 'stale', reason: 'pump a silent 91 s (max 90 s)' });
    expect(silent.inputs).toEqual([
      expect.objectContaining({ name: 'weight' }),
      { name: 'epinephrine', signal: 'pump.a', ageS: 91, quality: 'stale' },
    ]);
    const stopped = at(300, false);
    expect(stopped).toMatchObject({ value: 0, quality: 'stale', reason: 'pump a silent 5 min (max 90 s)' });
    expect(stopped.inputs![1]).toEqual({ name: 'epinephrine', signal: 'pump.a', ageS: 300, quality: 'stale' });
  });

  it('lists a silent stopped pump beside the running ones, and names every silent pump', () => {
    const pumps = [
      pump('a', 'epinephrine'),
      pump('b', 'milrinone', { running: false, ts: NOW - 120 * S }),
      pump('c', 'dopamine', { ts: NOW - 100 * S }),
    ];
    const d = derive({}, patientA, { pumps });
    expect(d.vis.inputs!.map((i) => [i.name, i.quality])).toEqual([
      ['weight', 'ok'],
      ['epinephrine', 'ok'],
      ['dopamine', 'stale'],
      ['milrinone', 'stale'],
    ]);
    expect(d.vis.reason).toBe('pump b silent 2 min (max 90 s); pump c silent 100 s (max 90 s)');
  });

  it('has no value when a unit does not fit its drug, or the score overflows, and says which', () => {
    const badUnit = derive({}, patientA, { pumps: [pump('a', 'epinephrine'), pump('b', 'vasopressin')] }).vis;
    expect(badUnit).toMatchObject({ value: null, quality: 'missing', reason: 'vasopressin: concentration unit does not fit the drug' });
    // 2000 mL/h of 100 000 units/mL for 3.3e-298 kg: a finite dose of 1e305 units/kg/min, × 10 000 in the score.
    const pumps = [pump('a', 'vasopressin', { rateMlH: 2000, concentration: 1e5, concentrationUnit: 'units/mL' })];
    const huge = derive({}, { ...patientA, weightKg: (2000 * 1e5) / 60 / 1e305 }, { pumps }).vis;
    expect(huge).toMatchObject({ value: null, quality: 'missing', reason: 'the doses do not add up to a finite score' });
  });

  it('takes the time of the newest pump message', () => {
    const d = derive({}, patientA, { pumps: [pump('a', 'epinephrine', { ts: NOW - 50 * S }), pump('b', 'heparin', { ts: NOW - 20 * S })] });
    expect(d.vis.ts).toBe(NOW - 20 * S);
  });
});

describe('lactate clearance in detail', () => {
  const arterial = (ageH: number, value: number) => ({ ts: NOW - ageH * H, value, site: 'arterial' });

  it('lists the newest and the reference result with their ages and series', () => {
    const d = derive({}, null, { lactates: [arterial(2.25, 8), arterial(0.25, 4)] });
    expect(d.lactateClearance2h).toMatchObject({ value: 50, quality: 'ok', ts: NOW - 0.25 * H });
    expect(d.lactateClearance2h.inputs).toEqual([
      { name: 'lactate', signal: 'lab (arterial)', ageS: 900, quality: 'ok' },
      { name: 'reference lactate', signal: 'lab (arterial)', ageS: 8100, quality: 'ok' },
    ]);
    expect(d.lactateClearance2h).not.toHaveProperty('reason');
  });

  it('uses every site when there is no fresh arterial series, and says so', () => {
    const lactates = [
      { ts: NOW - 6 * H - 1, value: 2, site: 'arterial' },
      { ts: NOW - 2 * H, value: 6, site: 'venous' },
      { ts: NOW, value: 3, site: 'venous' },
    ];
    const d = derive({}, null, { lactates });
    expect(d.lactateClearance2h.value).toBe(50);
    expect(d.lactateClearance2h.inputs![0].signal).toBe('lab (any site)');
    const freshArterial = derive({}, null, { lactates: [{ ...lactates[0], ts: NOW - 6 * H }, ...lactates.slice(1)] });
    expect(freshArterial.lactateClearance2h.inputs![0].signal).toBe('lab (arterial)');
  });

  it('is stale once the newest result is older than 6 h, and says how old', () => {
    const at6h = derive({}, null, { lactates: [arterial(8, 8), arterial(6, 4)] }).lactateClearance2h;
    expect(at6h).toMatchObject({ value: 50, quality: 'ok' });
    expect(at6h.inputs![0].quality).toBe('ok');
    const older = derive({}, null, { lactates: [arterial(9, 8), arterial(7, 4)] }).lactateClearance2h;
    expect(older).toMatchObject({ value: 50, quality: 'stale', reason: 'newest lactate 7 h old (max 6 h)' });
    expect(older.inputs![0]).toEqual({ name: 'lactate', signal: 'lab (any site)', ageS: 7 * 3600, quality: 'stale' });
  });

  it('says what it is missing: any result, a reference in its window, or a reference above 0', () => {
    expect(derive({}, null).lactateClearance6h).toMatchObject({ value: null, quality: 'missing', reason: 'no lactate result', inputs: [] });
    const noRef = derive({}, null, { lactates: [arterial(1, 4)] });
    expect(noRef.lactateClearance2h.reason).toBe('no lactate result 2 h (± 30 min) before the newest one');
    expect(noRef.lactateClearance6h.reason).toBe('no lactate result 6 h (± 60 min) before the newest one');
    expect(noRef.lactateClearance2h.ts).toBe(NOW - H);
    const zero = derive({}, null, { lactates: [arterial(2, 0), arterial(0, 4)] }).lactateClearance2h;
    expect(zero).toMatchObject({ value: null, quality: 'missing', reason: 'reference lactate is 0', ts: NOW });
    expect(zero.inputs!.map((i) => i.name)).toEqual(['lactate', 'reference lactate']);
  });
});

describe('the Phoenix cardiovascular score in detail', () => {
  it('adds its three parts', () => {
    const lactates = { 'lab.arterial.lactate': 12 };
    const d = derive({ map: 30, ...lactates }, patientA, { pumps: [pump('a', 'epinephrine')] });
    expect(d.phoenixCv).toMatchObject({ value: 5, quality: 'ok', parts: { vasoactive: 1, lactate: 2, map: 2 } });
    expect(d.phoenixCv).not.toHaveProperty('reason');
  });

  it('scores what it does not know as 0, assumed, and says which parts', () => {
    expect(derive({}, null).phoenixCv).toMatchObject({
      value: 0,
      quality: 'assumed',
      parts: { vasoactive: null, lactate: null, map: null },
      reason: 'no pump data: vasoactive part scored 0; no lactate: lactate part scored 0; no MAP: MAP part scored 0',
    });
    expect(derive({ map: 40 }, null).phoenixCv.reason).toBe(
      'no pump data: vasoactive part scored 0; no lactate: lactate part scored 0; no patient age: MAP part scored 0',
    );
  });

  it('is assumed when any one part is unknown', () => {
    const all = { map: 60, 'lab.arterial.lactate': 2 };
    const pumps = [pump('a', 'epinephrine')];
    expect(derive(all, patientA, { pumps }).phoenixCv.quality).toBe('ok');
    expect(derive(all, patientA).phoenixCv.quality).toBe('assumed');
    expect(derive({ map: 60 }, patientA, { pumps }).phoenixCv.quality).toBe('assumed');
    expect(derive(all, { ...patientA, ageMonths: null } as unknown as Patient, { pumps }).phoenixCv.quality).toBe('assumed');
  });

  it('is stale with a stale MAP, a stale lactate or a silent pump, and names each', () => {
    const d = derive({ map: { value: 30, ageS: 30 }, 'lab.arterial.lactate': { value: 6, ageS: 7 * 3600 } }, patientA, {
      pumps: [pump('a', 'epinephrine', { ts: NOW - 200 * S })],
    });
    expect(d.phoenixCv).toMatchObject({
      value: 4,
      quality: 'stale',
      parts: { vasoactive: 1, lactate: 1, map: 2 },
      reason: 'a pump is silent for more than 90 s; lactate 7 h old (max 6 h); MAP 30 s old (max 10 s)',
    });
  });

  it('counts running scored drugs only, each drug once', () => {
    const pumps = [
      pump('a', 'epinephrine'),
      pump('b', 'epinephrine'),
      pump('c', 'heparin', { concentrationUnit: 'units/mL' }),
      pump('d', 'milrinone', { running: false }),
      pump('e', 'dopamine', { rateMlH: 0 }),
    ];
    expect(derive({}, patientA, { pumps }).phoenixCv.parts!.vasoactive).toBe(1);
  });

  it('takes the time of its newest input, a pump included', () => {
    const d = derive({ map: { value: 60, ageS: 30 }, 'lab.arterial.lactate': { value: 2, ageS: 3600 } }, patientA, {
      pumps: [pump('a', 'epinephrine', { ts: NOW - 10 * S })],
    });
    expect(d.phoenixCv.ts).toBe(NOW - 10 * S);
    expect(derive({ map: { value: 60, ageS: 30 } }, patientA).phoenixCv.ts).toBe(NOW - 30 * S);
  });
});
