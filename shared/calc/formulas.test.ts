// Each formula of docs/clinical.md section 3 on its own: a worked value, and null exactly where the
// formula has no meaning (missing, non-finite, zero or negative divisor, negative flow).
import { describe, expect, it } from 'vitest';
import * as f from './formulas.js';

const NOT_A_NUMBER = [null, undefined, NaN, Infinity, -Infinity];

describe('body surface area', () => {
  it('by Mosteller is √(height × weight / 3600)', () => {
    expect(f.bsaMosteller(115, 20)).toBeCloseTo(Math.sqrt((115 * 20) / 3600), 12);
    expect(f.bsaMosteller(180, 80)).toBe(2);
  });

  it('by Haycock is 0.024265 × weight^0.5378 × height^0.3964', () => {
    expect(f.bsaHaycock(115, 20)).toBeCloseTo(0.79714, 5);
  });

  it('needs a positive height and weight', () => {
    for (const bsa of [f.bsaMosteller, f.bsaHaycock]) {
      for (const [h, w] of [
        [0, 20],
        [115, 0],
        [-115, 20],
        [115, -20],
        ...NOT_A_NUMBER.flatMap((x) => [
          [x, 20],
          [115, x],
        ]),
      ]) {
        expect(bsa(h, w), `${bsa.name}(${h}, ${w})`).toBeNull();
      }
    }
  });
});

describe('oxygen content', () => {
  it('is 1.34 × Hb × sat/100 + 0.003 × PO2', () => {
    expect(f.o2Content(10, 100, 300)).toBeCloseTo(14.3, 12);
    expect(f.o2Content(10, 70, 40)).toBeCloseTo(9.5, 12);
  });

  it('leaves out the dissolved oxygen without a usable PO2', () => {
    for (const po2 of [...NOT_A_NUMBER, -1]) expect(f.o2Content(10, 100, po2), String(po2)).toBeCloseTo(13.4, 12);
    expect(f.o2Content(10, 100, 0)).toBeCloseTo(13.4, 12);
  });

  it('is 0 without haemoglobin or saturation, and null for a negative one or none', () => {
    expect(f.o2Content(0, 100, 0)).toBe(0);
    expect(f.o2Content(10, 0, 0)).toBe(0);
    expect(f.o2Content(-0.1, 100, 300)).toBeNull();
    expect(f.o2Content(10, -1, 300)).toBeNull();
    for (const x of NOT_A_NUMBER) {
      expect(f.o2Content(x, 100, 300)).toBeNull();
      expect(f.o2Content(10, x, 300)).toBeNull();
    }
  });
});

describe('circuit oxygen delivery and transfer', () => {
  it('delivery is flow × CaO2 × 10 mL/min, 0 at zero flow, none at negative flow', () => {
    expect(f.do2Ecmo(2, 14.3)).toBeCloseTo(286, 10);
    expect(f.do2Ecmo(0, 14.3)).toBe(0);
    expect(f.do2Ecmo(-0.1, 14.3)).toBeNull();
    expect(f.do2Ecmo(2, null)).toBeNull();
    expect(f.do2Ecmo(null, 14.3)).toBeNull();
  });

  it('transfer is flow × (CaO2 − CvO2) × 10 mL/min', () => {
    expect(f.vo2Oxy(2, 14.3, 9.5)).toBeCloseTo(96, 10);
    expect(f.vo2Oxy(0, 14.3, 9.5)).toBe(0);
    expect(f.vo2Oxy(-1, 14.3, 9.5)).toBeNull();
    expect(f.vo2Oxy(2, 14.3, null)).toBeNull();
    expect(f.vo2Oxy(2, NaN, 9.5)).toBeNull();
  });

  it('extraction is (CaO2 − CvO2) / CaO2 in %, none without a positive CaO2', () => {
    expect(f.o2er(14.3, 9.5)).toBeCloseTo((4.8 / 14.3) * 100, 10);
    expect(f.o2er(0, 9.5)).toBeNull();
    expect(f.o2er(-1, 9.5)).toBeNull();
    expect(f.o2er(14.3, null)).toBeNull();
  });

  it('delivery over consumption needs a positive consumption', () => {
    expect(f.do2Vo2(286, 96)).toBeCloseTo(286 / 96, 12);
    expect(f.do2Vo2(0, 96)).toBe(0);
    expect(f.do2Vo2(286, 0)).toBeNull();
    expect(f.do2Vo2(286, -96)).toBeNull();
    expect(f.do2Vo2(null, 96)).toBeNull();
    expect(f.do2Vo2(286, Infinity)).toBeNull();
  });

  it('a value per m² needs a positive body surface', () => {
    expect(f.indexed(286, 0.8)).toBeCloseTo(357.5, 10);
    expect(f.indexed(-286, 0.8)).toBeCloseTo(-357.5, 10);
    expect(f.indexed(286, 0)).toBeNull();
    expect(f.indexed(286, -0.8)).toBeNull();
    expect(f.indexed(286, null)).toBeNull();
    expect(f.indexed(null, 0.8)).toBeNull();
  });
});

describe('oxygenator and flow', () => {
  it('pressure drop is pre − post', () => {
    expect(f.dpOxy(200, 170)).toBe(30);
    expect(f.dpOxy(170, 200)).toBe(-30);
    expect(f.dpOxy(200, null)).toBeNull();
    expect(f.dpOxy(undefined, 170)).toBeNull();
  });

  it('resistance is drop / flow, none at zero or negative flow', () => {
    expect(f.rOxy(30, 2)).toBe(15);
    expect(f.rOxy(30, 0)).toBeNull();
    expect(f.rOxy(30, -2)).toBeNull();
    expect(f.rOxy(null, 2)).toBeNull();
    expect(f.rOxy(30, null)).toBeNull();
  });

  it('flow per kg is flow × 1000 / weight mL/kg/min', () => {
    expect(f.flowPerKg(2, 20)).toBe(100);
    expect(f.flowPerKg(0, 20)).toBe(0);
    expect(f.flowPerKg(-2, 20)).toBeNull();
    expect(f.flowPerKg(2, 0)).toBeNull();
    expect(f.flowPerKg(2, -20)).toBeNull();
    expect(f.flowPerKg(2, null)).toBeNull();
  });

  it('flow index is flow / body surface, none at negative flow', () => {
    expect(f.flowIndex(2, 0.8)).toBeCloseTo(2.5, 12);
    expect(f.flowIndex(0, 0.8)).toBe(0);
    expect(f.flowIndex(-2, 0.8)).toBeNull();
    expect(f.flowIndex(2, 0)).toBeNull();
  });

  it('default target flow is 100 mL/kg/min under 10 kg and 80 from 10 kg', () => {
    expect(f.defaultTargetFlowLMin(3.5)).toBeCloseTo(0.35, 12);
    expect(f.defaultTargetFlowLMin(9.99)).toBeCloseTo(0.999, 12);
    expect(f.defaultTargetFlowLMin(10)).toBeCloseTo(0.8, 12);
    expect(f.defaultTargetFlowLMin(20)).toBeCloseTo(1.6, 12);
    expect(f.defaultTargetFlowLMin(0)).toBeNull();
    expect(f.defaultTargetFlowLMin(-5)).toBeNull();
    expect(f.defaultTargetFlowLMin(null)).toBeNull();
  });
});

describe('haemodynamics', () => {
  it('perfusion pressure is MAP − CVP, pulse pressure SBP − DBP', () => {
    expect(f.perfusionPressure(55, 10)).toBe(45);
    expect(f.perfusionPressure(55, -5)).toBe(60);
    expect(f.perfusionPressure(55, null)).toBeNull();
    expect(f.perfusionPressure(null, 10)).toBeNull();
    expect(f.pulsePressure(75, 45)).toBe(30);
    expect(f.pulsePressure(75, null)).toBeNull();
    expect(f.pulsePressure(NaN, 45)).toBeNull();
  });

  it('shock index is HR / SBP, none without a positive SBP', () => {
    expect(f.shockIndex(140, 75)).toBeCloseTo(140 / 75, 12);
    expect(f.shockIndex(140, 0)).toBeNull();
    expect(f.shockIndex(140, -75)).toBeNull();
    expect(f.shockIndex(null, 75)).toBeNull();
  });
});

describe('the last guard of every formula', () => {
  it('turns a non-finite result into null', () => {
    expect(f.finite(1.5)).toBe(1.5);
    expect(f.finite(Infinity)).toBeNull();
    expect(f.finite(-Infinity)).toBeNull();
    expect(f.finite(NaN)).toBeNull();
  });

  it('catches an overflow', () => {
    expect(f.do2Ecmo(1e300, 1e300)).toBeNull();
    expect(f.indexed(1e308, 1e-308)).toBeNull();
    expect(f.perfusionPressure(1.7e308, -1.7e308)).toBeNull();
  });
});
