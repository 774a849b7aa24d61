import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LatestValue } from '../protocol.js';
import { computeDerived } from './derive.js';
import * as f from './formulas.js';
import { doseUnitOf, lactateClearance, phoenixLactatePoints, phoenixMapPoints, pumpDose } from './scores.js';

describe('Phoenix cardiovascular subscore (docs/clinical.md 3.3)', () => {
  it.each([
    // age months, map, points
    [0, 31, 0],
    [0, 30, 1],
    [0, 30.5, 1],
    [0, 17, 1],
    [0, 16.9, 2],
    [1, 39, 0],
    [1, 38, 1],
    [11, 25, 1],
    [11, 24.99, 2],
    [12, 44, 0],
    [12, 43.5, 1],
    [12, 31, 1],
    [12, 30, 2],
    [23, 44, 0],
    [24, 44.9, 1],
    [24, 45, 0],
    [59, 32, 1],
    [59, 31.9, 2],
    [60, 49, 0],
    [60, 48.2, 1],
    [143, 36, 1],
    [143, 35, 2],
    [144, 52, 0],
    [144, 51.5, 1],
    [216, 38, 1],
    [216, 37.9, 2],
  ])('age %d months, MAP %d mmHg → %d points', (age, map, points) => {
    expect(phoenixMapPoints(map, age)).toBe(points);
  });

  it('scores lactate 5 to 10.9 as 1 and 11 or more as 2', () => {
    expect([4.9, 5, 10.9, 10.99, 11, 20].map(phoenixLactatePoints)).toEqual([0, 1, 1, 1, 2, 2]);
  });
});

describe('drug doses', () => {
  it('converts mg/mL to mcg/mL and keeps vasopressin in units', () => {
    expect(pumpDose({ drug: 'dobutamine', rateMlH: 3, concentration: 2, concentrationUnit: 'mg/mL', running: true }, 20)).toBeCloseTo(
      5,
      12,
    );
    expect(
      pumpDose({ drug: 'vasopressin', rateMlH: 1.2, concentration: 0.2, concentrationUnit: 'units/mL', running: true }, 20),
    ).toBeCloseTo(0.0002, 12);
  });
  it('refuses a concentration unit that does not fit the drug, and gives 0 for a stopped pump', () => {
    expect(pumpDose({ drug: 'vasopressin', rateMlH: 1, concentration: 1, concentrationUnit: 'mcg/mL', running: true }, 20)).toBeNull();
    expect(pumpDose({ drug: 'epinephrine', rateMlH: 1, concentration: 1, concentrationUnit: 'units/mL', running: true }, 20)).toBeNull();
    expect(pumpDose({ drug: 'epinephrine', rateMlH: 1, concentration: 1, concentrationUnit: 'mcg/mL', running: false }, 20)).toBe(0);
  });
  it('doses a drug prepared in units (heparin) in units/kg/min', () => {
    expect(pumpDose({ drug: 'heparin', rateMlH: 6, concentration: 100, concentrationUnit: 'units/mL', running: true }, 20)).toBeCloseTo(
      0.5,
      12,
    );
    expect(doseUnitOf('heparin', 'units/mL')).toBe('units/kg/min');
    expect(doseUnitOf('milrinone', 'mcg/mL')).toBe('mcg/kg/min');
  });
});

describe('vasoactive-inotropic score at absurd doses', () => {
  it('says missing, never ok with no number, when the doses overflow', () => {
    const now = 1e9;
    const latest = new Map<string, LatestValue>();
    const pump = {
      channel: 'a',
      drug: 'epinephrine',
      rateMlH: 1e307,
      concentration: 1,
      concentrationUnit: 'mcg/mL',
      running: true,
      ts: now,
    };
    const d = computeDerived(
      {
        patient: { weightKg: 0.01, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' } as never,
        latest: (s) => latest.get(s),
        pumps: [pump] as never,
        lactates: [],
      },
      now,
    );
    expect(d.vis.value).toBeNull();
    expect(d.vis.quality).toBe('missing');
  });
});

describe('lactate clearance', () => {
  it('has no value without a reference in the window, and none at a zero reference', () => {
    expect(lactateClearance([{ ts: 0, value: 3 }], 7200_000, 1800_000)).toBeNull();
    expect(
      lactateClearance(
        [
          { ts: 0, value: 0 },
          { ts: 7200_000, value: 3 },
        ],
        7200_000,
        1800_000,
      )?.value,
    ).toBeNull();
    expect(
      lactateClearance(
        [
          { ts: 0, value: 2 },
          { ts: 7200_000, value: 3 },
        ],
        7200_000,
        1800_000,
      )?.value,
    ).toBeCloseTo(-50, 10);
  });
});

const anyNumber = fc.oneof(fc.double(), fc.constant(0), fc.constant(-0), fc.constant(null), fc.integer({ min: -1000, max: 1000 }));

describe('no formula ever gives NaN or Infinity', () => {
  const formulas: [string, (...a: (number | null)[]) => number | null, number][] = [
    ['bsaMosteller', f.bsaMosteller, 2],
    ['bsaHaycock', f.bsaHaycock, 2],
    ['o2Content', f.o2Content, 3],
    ['do2Ecmo', f.do2Ecmo, 2],
    ['vo2Oxy', f.vo2Oxy, 3],
    ['o2er', f.o2er, 2],
    ['do2Vo2', f.do2Vo2, 2],
    ['indexed', f.indexed, 2],
    ['dpOxy', f.dpOxy, 2],
    ['rOxy', f.rOxy, 2],
    ['flowPerKg', f.flowPerKg, 2],
    ['flowIndex', f.flowIndex, 2],
    ['perfusionPressure', f.perfusionPressure, 2],
    ['pulsePressure', f.pulsePressure, 2],
    ['shockIndex', f.shockIndex, 2],
    ['defaultTargetFlowLMin', f.defaultTargetFlowLMin, 1],
  ];
  it.each(formulas)('%s', (_name, fn, arity) => {
    fc.assert(
      fc.property(fc.array(anyNumber, { minLength: arity, maxLength: arity }), (args) => {
        const r = fn(...args);
        expect(r === null || Number.isFinite(r)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('computeDerived, for any inputs, ages and patient', () => {
    const signals = [
      'flow',
      'hb',
      'svo2',
      'postOxySat',
      'postOxyPo2',
      'pPre',
      'pPost',
      'hr',
      'map',
      'sbp',
      'dbp',
      'cvp',
      'lab.pre-oxygenator.po2',
      'lab.arterial.lactate',
      'lab.venous.hb',
    ];
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(...signals),
          fc.record({ value: fc.oneof(fc.double({ noNaN: true }), fc.constant(null)), age: fc.integer({ min: 0, max: 86_400_000 }) }),
        ),
        fc.option(
          fc.record({
            weightKg: fc.double({ noNaN: true }),
            heightCm: fc.double({ noNaN: true }),
            ageMonths: fc.double({ noNaN: true }),
            ecmoMode: fc.constantFrom('VA', 'VV', null),
          }),
        ),
        fc.array(
          fc.record({
            channel: fc.string(),
            drug: fc.constantFrom('epinephrine', 'vasopressin', 'milrinone', 'heparin'),
            rateMlH: fc.double({ noNaN: true }),
            concentration: fc.double({ noNaN: true }),
            concentrationUnit: fc.constantFrom('mcg/mL', 'mg/mL', 'units/mL'),
            running: fc.boolean(),
            ts: fc.integer({ min: 0, max: 1e9 }),
          }),
          { maxLength: 4 },
        ),
        fc.array(
          fc.record({
            ts: fc.integer({ min: 0, max: 1e9 }),
            value: fc.double({ noNaN: true }),
            site: fc.constantFrom('arterial', 'venous'),
          }),
          { maxLength: 5 },
        ),
        (vals, patient, pumps, lactates) => {
          const now = 1e9;
          const m = new Map<string, LatestValue>(
            Object.entries(vals).map(([k, v]) => [k, { value: v.value, ts: now - v.age, source: 'x' }]),
          );
          const d = computeDerived(
            { patient: patient, latest: (s) => m.get(s), pumps: pumps, lactates: lactates.sort((a, b) => a.ts - b.ts) },
            now,
          );
          for (const [k, dv] of Object.entries(d)) {
            expect(dv.value === null || Number.isFinite(dv.value), k).toBe(true);
            if (dv.quality === 'missing') expect(dv.value, k).toBeNull();
            else expect(dv.value, k).not.toBeNull();
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('quality as inputs age', () => {
  it('goes from ok to stale as time passes, and never back while nothing new arrives', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 24 * 3600_000 }), { minLength: 2, maxLength: 8 }), (offsets) => {
        const t0 = 1e12;
        const values: Record<string, number> = {
          flow: 2,
          hb: 10,
          svo2: 70,
          postOxySat: 100,
          pPre: 200,
          pPost: 170,
          map: 55,
          cvp: 10,
          hr: 120,
          sbp: 80,
          dbp: 45,
          'lab.arterial.lactate': 3,
        };
        const m = new Map<string, LatestValue>(Object.entries(values).map(([k, v]) => [k, { value: v, ts: t0, source: 'x' }]));
        const rank = { ok: 0, assumed: 1, stale: 2, missing: 3 };
        let prev: Record<string, number> | null = null;
        for (const off of offsets.sort((a, b) => a - b)) {
          const d = computeDerived(
            { patient: { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' }, latest: (s) => m.get(s), pumps: [], lactates: [] },
            t0 + off,
          );
          const now = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, rank[v.quality]]));
          if (prev) for (const k of Object.keys(now)) expect(now[k], k).toBeGreaterThanOrEqual(prev[k]);
          if (off > 10_000) expect(d.dpOxy.quality).toBe('stale');
          prev = now;
        }
      }),
    );
  });
});
