// Drug doses, the vasoactive-inotropic score, lactate clearance and the Phoenix parts, each on its
// own (docs/clinical.md sections 3.1 to 3.3).
import { describe, expect, it } from 'vitest';
import {
  doseUnitOf,
  isVisDrug,
  lactateClearance,
  phoenixLactatePoints,
  phoenixMapPoints,
  phoenixVasoactivePoints,
  pumpDose,
  vis,
} from './scores.js';
import type { PumpInput } from './scores.js';

const running = (drug: string, rateMlH: number, concentration: number, concentrationUnit: PumpInput['concentrationUnit']): PumpInput => ({
  drug,
  rateMlH,
  concentration,
  concentrationUnit,
  running: true,
});

describe('the vasoactive-inotropic score', () => {
  it('weighs each drug as Gaies et al. do', () => {
    const weights = { dopamine: 1, dobutamine: 1, epinephrine: 100, milrinone: 10, vasopressin: 10_000, norepinephrine: 100 };
    for (const [drug, weight] of Object.entries(weights)) expect(vis([{ drug, dose: 0.5 }]), drug).toBe(weight * 0.5);
  });

  it('adds the drugs up, ignores drugs it does not score, and is 0 without any', () => {
    expect(
      vis([
        { drug: 'epinephrine', dose: 0.05 },
        { drug: 'epinephrine', dose: 0.05 },
        { drug: 'milrinone', dose: 0.5 },
        { drug: 'heparin', dose: 20 },
        { drug: 'insulin', dose: null },
      ]),
    ).toBeCloseTo(15, 12);
    expect(vis([])).toBe(0);
  });

  it('has no value when a scored dose is unknown or not finite', () => {
    expect(
      vis([
        { drug: 'dopamine', dose: 5 },
        { drug: 'epinephrine', dose: null },
      ]),
    ).toBeNull();
    expect(vis([{ drug: 'dopamine', dose: Infinity }])).toBeNull();
    expect(vis([{ drug: 'dopamine', dose: NaN }])).toBeNull();
    expect(vis([{ drug: 'vasopressin', dose: 1e305 }])).toBeNull();
  });

  it('knows its six drugs by their lower-case names', () => {
    for (const d of ['dopamine', 'dobutamine', 'epinephrine', 'milrinone', 'vasopressin', 'norepinephrine'])
      expect(isVisDrug(d), d).toBe(true);
    for (const d of ['heparin', 'Epinephrine', 'adrenaline', '']) expect(isVisDrug(d), d).toBe(false);
  });
});

describe('a dose from a pump', () => {
  it('is rate × concentration / 60 / weight, a mass concentration in mcg/mL', () => {
    expect(pumpDose(running('epinephrine', 3, 20, 'mcg/mL'), 20)).toBeCloseTo(0.05, 12);
    expect(pumpDose(running('dopamine', 3, 2, 'mg/mL'), 20)).toBeCloseTo(5, 12);
    expect(pumpDose(running('epinephrine', 0, 20, 'mcg/mL'), 20)).toBe(0);
    expect(pumpDose(running('epinephrine', 3, 0, 'mcg/mL'), 20)).toBe(0);
  });

  it('keeps vasopressin and drugs prepared in units (heparin) in units', () => {
    expect(pumpDose(running('vasopressin', 1.2, 0.2, 'units/mL'), 20)).toBeCloseTo(0.0002, 12);
    expect(pumpDose(running('heparin', 6, 100, 'units/mL'), 20)).toBeCloseTo(0.5, 12);
  });

  it('has none when the unit cannot be converted for the drug', () => {
    for (const drug of ['epinephrine', 'norepinephrine', 'dopamine', 'dobutamine', 'milrinone']) {
      expect(pumpDose(running(drug, 1, 1, 'units/mL'), 20), drug).toBeNull();
    }
    expect(pumpDose(running('vasopressin', 1, 1, 'mcg/mL'), 20)).toBeNull();
    expect(pumpDose(running('vasopressin', 1, 1, 'mg/mL'), 20)).toBeNull();
  });

  it('is 0 for a stopped pump, whatever its unit', () => {
    expect(pumpDose({ ...running('vasopressin', 5, 1, 'mcg/mL'), running: false }, 20)).toBe(0);
    expect(pumpDose({ ...running('epinephrine', 5, 1, 'units/mL'), running: false }, 20)).toBe(0);
  });

  it('needs a positive, finite weight', () => {
    for (const w of [null, undefined, NaN, Infinity, 0, -20])
      expect(pumpDose(running('epinephrine', 3, 20, 'mcg/mL'), w), String(w)).toBeNull();
  });

  it('has none for a negative or non-finite rate or concentration', () => {
    expect(pumpDose(running('epinephrine', -1, 20, 'mcg/mL'), 20)).toBeNull();
    expect(pumpDose(running('epinephrine', 3, -20, 'mcg/mL'), 20)).toBeNull();
    expect(pumpDose(running('heparin', 3, -20, 'units/mL'), 20)).toBeNull();
    expect(pumpDose(running('vasopressin', 3, NaN, 'units/mL'), 20)).toBeNull();
    expect(pumpDose(running('epinephrine', Infinity, 20, 'mcg/mL'), 20)).toBeNull();
  });

  it('is expressed in units/kg/min for vasopressin and drugs in units, else in mcg/kg/min', () => {
    expect(doseUnitOf('vasopressin', 'units/mL')).toBe('units/kg/min');
    expect(doseUnitOf('vasopressin', 'mcg/mL')).toBe('units/kg/min');
    expect(doseUnitOf('vasopressin')).toBe('units/kg/min');
    expect(doseUnitOf('heparin', 'units/mL')).toBe('units/kg/min');
    expect(doseUnitOf('heparin', 'mcg/mL')).toBe('mcg/kg/min');
    expect(doseUnitOf('epinephrine', 'units/mL')).toBe('mcg/kg/min');
    expect(doseUnitOf('milrinone')).toBe('mcg/kg/min');
  });
});

describe('lactate clearance', () => {
  const H = 3600_000;
  const M = 60_000;

  it('compares the newest result with the newest one taken in [window + tolerance, window] before it', () => {
    const results = [
      { ts: 0, value: 10 },
      { ts: 10 * M, value: 8 },
      { ts: 20 * M, value: 5 },
      { ts: 90 * M, value: 6 },
      { ts: 2 * H + 15 * M, value: 4 },
    ];
    const r = lactateClearance(results, 2 * H, 30 * M);
    expect(r).toEqual({ value: 50, ref: { ts: 10 * M, value: 8 }, now: { ts: 2 * H + 15 * M, value: 4 } });
  });

  it('takes a reference at both edges of the tolerance and none beyond', () => {
    const at = (ts: number) =>
      lactateClearance(
        [
          { ts, value: 8 },
          { ts: 4 * H, value: 4 },
        ],
        2 * H,
        30 * M,
      )?.value ?? null;
    expect(at(2 * H)).toBe(50);
    expect(at(90 * M)).toBe(50);
    expect(at(90 * M - 1)).toBeNull();
    expect(at(2 * H + 1)).toBeNull();
  });

  it('has no value from a zero or negative reference, and says which reference it was', () => {
    expect(
      lactateClearance(
        [
          { ts: 0, value: 0 },
          { ts: 2 * H, value: 4 },
        ],
        2 * H,
        30 * M,
      ),
    ).toEqual({
      value: null,
      ref: { ts: 0, value: 0 },
      now: { ts: 2 * H, value: 4 },
    });
    expect(
      lactateClearance(
        [
          { ts: 0, value: -1 },
          { ts: 2 * H, value: 4 },
        ],
        2 * H,
        30 * M,
      )?.value,
    ).toBeNull();
  });

  it('is negative when lactate rose, and null without results', () => {
    expect(
      lactateClearance(
        [
          { ts: 0, value: 2 },
          { ts: 2 * H, value: 3 },
        ],
        2 * H,
        30 * M,
      )?.value,
    ).toBe(-50);
    expect(lactateClearance([], 2 * H, 30 * M)).toBeNull();
  });
});

describe('Phoenix parts', () => {
  it('score no MAP points for a non-finite MAP or age, or a negative age', () => {
    expect(phoenixMapPoints(NaN, 60)).toBeNull();
    expect(phoenixMapPoints(Infinity, 60)).toBeNull();
    expect(phoenixMapPoints(50, NaN)).toBeNull();
    expect(phoenixMapPoints(50, Infinity)).toBeNull();
    expect(phoenixMapPoints(50, -1)).toBeNull();
    expect(phoenixMapPoints(10, 0)).toBe(2);
  });

  it('score no lactate points for a non-finite lactate', () => {
    expect(phoenixLactatePoints(NaN)).toBeNull();
    expect(phoenixLactatePoints(Infinity)).toBeNull();
  });

  it('score one vasoactive drug 1 point and two or more 2', () => {
    expect([0, 1, 2, 3].map(phoenixVasoactivePoints)).toEqual([0, 1, 2, 2]);
  });
});
