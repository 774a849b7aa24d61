import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALARMS,
  ALARM_KEYS,
  DEFAULT_LIMITS,
  HYSTERESIS,
  MARGINS,
  alarmDef,
  applyLimitsPatch,
  bedLimitsOverrideSchema,
  bedLimitsSchema,
  hypotensionLimits,
  hysteresisMargin,
  resolveLimits,
  targetFlowFromWeight,
} from './alarms.js';
import { phoenixMapPoints } from './calc/scores.js';
import type { Patient } from './schemas.js';

const patient = (p: Partial<Patient> = {}): Patient => ({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA', ...p });

describe('alarm catalogue (docs/clinical.md section 4)', () => {
  // The table of section 4, row by row: key, kind, priorities, onset delay in seconds, on result.
  it.each([
    ['pumpStopped', 'physiological', ['high'], 0, false],
    ['lowFlow', 'physiological', ['high'], 10, false],
    ['drainagePressure', 'physiological', ['high'], 5, false],
    ['drainagePressureWarning', 'physiological', ['medium'], 10, false],
    ['postOxyPressure', 'physiological', ['high'], 5, false],
    ['oxyPressureDrop', 'physiological', ['medium'], 60, false],
    ['venousSaturation', 'physiological', ['medium', 'high'], 30, false],
    ['postOxyPo2', 'physiological', ['medium'], 0, true],
    ['deliveryRatio', 'physiological', ['medium'], 300, false],
    ['hypotension', 'physiological', ['medium', 'high'], 30, false],
    ['lactate', 'physiological', ['medium'], 0, true],
    ['lactateClearance', 'physiological', ['low'], 0, true],
    ['bloodTemperature', 'physiological', ['low'], 60, false],
    ['deviceOffline.ecmo', 'technical', ['high'], 0, false],
    ['deviceOffline.monitor', 'technical', ['medium'], 0, false],
    ['deviceOffline.pump', 'technical', ['medium'], 0, false],
    ['valueRejected', 'technical', ['low'], 0, false],
  ])('%s is %s, priority %j, onset delay %d s, on result: %s', (key, kind, priorities, delayS, onResult) => {
    const def = alarmDef(key)!;
    expect(def).toBeDefined();
    expect(def.kind).toBe(kind);
    expect(def.priorities).toEqual(priorities);
    expect(def.delayS).toBe(delayS);
    expect(def.onResult).toBe(onResult);
    expect(def.title.length).toBeGreaterThan(0);
  });

  it('has one row per default alarm, each key once', () => {
    expect(ALARMS).toHaveLength(17);
    expect(new Set(ALARM_KEYS).size).toBe(ALARMS.length);
    expect(alarmDef('noSuchAlarm')).toBeUndefined();
  });

  it('lists priorities lowest first, so escalation only ever goes up', () => {
    const rank = { low: 0, medium: 1, high: 2 };
    for (const def of ALARMS)
      for (let i = 1; i < def.priorities.length; i++) expect(rank[def.priorities[i]]).toBeGreaterThan(rank[def.priorities[i - 1]]);
  });

  it('applies circuit alarms only on ECMO and the delivery ratio only on VA', () => {
    const scopes = Object.fromEntries(ALARMS.map((a) => [a.key, a.scope]));
    for (const k of [
      'pumpStopped',
      'lowFlow',
      'drainagePressure',
      'drainagePressureWarning',
      'postOxyPressure',
      'oxyPressureDrop',
      'postOxyPo2',
    ])
      expect(scopes[k], k).toBe('ecmo');
    expect(scopes.deliveryRatio).toBe('va');
    for (const k of ['hypotension', 'lactate', 'lactateClearance', 'deviceOffline.monitor', 'valueRejected'])
      expect(scopes[k], k).toBe('always');
  });
});

describe('default limits', () => {
  it('are the numbers of section 4', () => {
    expect(DEFAULT_LIMITS).toEqual({
      drainageHighMmHg: -100,
      drainageWarningMmHg: -70,
      postOxyPressureMmHg: 300,
      dpOxyMmHg: 50,
      rOxyRisePct: 30,
      venousSatMediumPct: 60,
      venousSatHighPct: 50,
      postOxyPo2MmHg: 150,
      postOxyPo2MinFdo2Pct: 60,
      do2Vo2Min: 3,
      lactateMmolL: 4,
      bloodTempLowC: 35,
      bloodTempHighC: 38.5,
      lowFlowPctOfTarget: 80,
      targetFlowLMin: null,
    });
    expect(bedLimitsSchema.safeParse(DEFAULT_LIMITS).success).toBe(true);
  });

  it.each([
    ['drainageHighMmHg', -401],
    ['postOxyPressureMmHg', 801],
    ['dpOxyMmHg', 0],
    ['venousSatMediumPct', 101],
    ['postOxyPo2MinFdo2Pct', 20],
    ['do2Vo2Min', 0.5],
    ['lactateMmolL', 0],
    ['bloodTempHighC', 46],
    ['lowFlowPctOfTarget', 0],
    ['targetFlowLMin', 11],
    ['targetFlowLMin', 0],
  ])('refuse %s = %d, outside the plausible range of what it is compared with', (key, value) => {
    expect(bedLimitsSchema.safeParse({ ...DEFAULT_LIMITS, [key]: value }).success).toBe(false);
    expect(bedLimitsOverrideSchema.safeParse({ [key]: value }).success).toBe(false);
  });

  it('refuse a drainage warning at or below the high limit', () => {
    expect(bedLimitsSchema.safeParse({ ...DEFAULT_LIMITS, drainageWarningMmHg: -100 }).success).toBe(false);
    expect(bedLimitsSchema.safeParse({ ...DEFAULT_LIMITS, drainageWarningMmHg: -120 }).success).toBe(false);
    expect(bedLimitsSchema.safeParse({ ...DEFAULT_LIMITS, drainageWarningMmHg: -99 }).success).toBe(true);
  });

  it('refuse an empty blood temperature band and a high venous saturation limit above the medium one', () => {
    expect(bedLimitsSchema.safeParse({ ...DEFAULT_LIMITS, bloodTempLowC: 38.5 }).success).toBe(false);
    expect(bedLimitsSchema.safeParse({ ...DEFAULT_LIMITS, venousSatHighPct: 60 }).success).toBe(false);
  });

  it('refuse a misspelt limit name instead of ignoring it', () => {
    expect(bedLimitsOverrideSchema.safeParse({ drainageHigh: -90 }).success).toBe(false);
    expect(bedLimitsSchema.safeParse({ ...DEFAULT_LIMITS, extra: 1 }).success).toBe(false);
  });

  it('accept a partial override, and null as "back to the default"', () => {
    const parsed = bedLimitsOverrideSchema.parse({ postOxyPressureMmHg: 350, lactateMmolL: null });
    expect(parsed).toEqual({ postOxyPressureMmHg: 350, lactateMmolL: null });
    expect(bedLimitsOverrideSchema.parse({})).toEqual({});
  });
});

describe('applying a specialist change', () => {
  it('sets what is sent, resets what is null and keeps the rest', () => {
    const r = applyLimitsPatch({ lactateMmolL: 5, dpOxyMmHg: 60 }, { lactateMmolL: null, postOxyPressureMmHg: 320 });
    expect(r).toEqual({ ok: true, overrides: { dpOxyMmHg: 60, postOxyPressureMmHg: 320 } });
  });

  it('checks the result as a whole: a change that crosses a stored limit is refused with a reason', () => {
    const r = applyLimitsPatch({ drainageHighMmHg: -60 }, { drainageWarningMmHg: -65 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/drainageWarningMmHg/);
    const stored = { drainageHighMmHg: -60 };
    applyLimitsPatch(stored, { drainageWarningMmHg: -65 });
    expect(stored).toEqual({ drainageHighMmHg: -60 });
  });
});

describe('effective limits', () => {
  it.each([
    [3.5, 0.35],
    [9.9, 0.99],
    [10, 0.8],
    [20, 1.6],
  ])('derive the target flow of a %d kg child from weight (100 mL/kg/min under 10 kg, 80 from 10 kg): %d L/min', (kg, lMin) => {
    expect(targetFlowFromWeight(kg)).toBeCloseTo(lMin, 10);
    const l = resolveLimits({}, patient({ weightKg: kg }));
    expect(l.targetFlowLMin).toBeCloseTo(lMin, 10);
    expect(l.targetFlowFrom).toBe('weight');
  });

  it('take the target flow from the patient configuration over the weight, and from the bed limits over both', () => {
    expect(resolveLimits({}, patient({ targetFlowLMin: 2.2 }))).toMatchObject({ targetFlowLMin: 2.2, targetFlowFrom: 'patient' });
    expect(resolveLimits({ targetFlowLMin: 1.9 }, patient({ targetFlowLMin: 2.2 }))).toMatchObject({
      targetFlowLMin: 1.9,
      targetFlowFrom: 'limits',
    });
  });

  it('have no target flow without a patient, and the defaults where nothing is overridden', () => {
    const l = resolveLimits(null, null);
    expect(l.targetFlowLMin).toBeNull();
    expect(l.targetFlowFrom).toBeNull();
    expect(l.lactateMmolL).toBe(4);
    expect(resolveLimits({ lactateMmolL: 6 }, null).lactateMmolL).toBe(6);
  });
});

describe('hysteresis', () => {
  it('is 2 % of the range, at least 1 unit, held for 5 s', () => {
    expect(HYSTERESIS.holdS).toBe(5);
    expect(hysteresisMargin(-400, 100)).toBeCloseTo(10, 10);
    expect(hysteresisMargin(0, 100)).toBeCloseTo(2, 10);
    expect(hysteresisMargin(20, 45)).toBe(1);
  });

  it('gives each compared quantity its margin from the catalogue range', () => {
    expect(MARGINS.pVen).toBeCloseTo(10, 10);
    expect(MARGINS.pPost).toBeCloseTo(18, 10);
    expect(MARGINS.venousSat).toBeCloseTo(2, 10);
    expect(MARGINS.map).toBeCloseTo(5, 10);
    expect(MARGINS.postOxyPo2).toBeCloseTo(16, 10);
    expect(MARGINS.tBlood).toBe(1);
    expect(MARGINS.lactate).toBe(1);
  });
});

describe('hypotension limits', () => {
  it('are the Phoenix MAP bands for age (section 3.3)', () => {
    expect(hypotensionLimits(0)).toEqual({ mediumBelow: 31, highBelow: 17 });
    expect(hypotensionLimits(12)).toEqual({ mediumBelow: 44, highBelow: 31 });
    expect(hypotensionLimits(60)).toEqual({ mediumBelow: 49, highBelow: 36 });
    expect(hypotensionLimits(216)).toEqual({ mediumBelow: 52, highBelow: 38 });
    expect(hypotensionLimits(null)).toBeNull();
    expect(hypotensionLimits(-1)).toBeNull();
  });

  it('never disagree with the Phoenix score at any age and MAP', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 227 }), fc.double({ min: 0, max: 250, noNaN: true }), (age, map) => {
        const l = hypotensionLimits(age)!;
        const points = phoenixMapPoints(map, age);
        expect(points === 2).toBe(map < l.highBelow);
        expect(points! >= 1).toBe(map < l.mediumBelow);
      }),
    );
  });
});
