import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, hypotensionLimits } from './alarms.js';
import { phoenixLactatePoints, phoenixMapPoints } from './calc/scores.js';
import {
  MAX_EXTRA_DECIMALS,
  PHOENIX_LACTATE_EDGES,
  VIS_HIGH_MARK,
  displayContext,
  formatDose,
  formatFor,
  prescribedDose,
  formatForDisplay,
  formatHonest,
  lowFlowLimitLMin,
  thresholdsFor,
} from './format.js';
import type { Patient } from './schemas.js';

const patient = (p: Partial<Patient> = {}): Patient => ({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA', ...p });
const side = (x: number, t: number) => (x < t ? -1 : x > t ? 1 : 0);
const decimalsOf = (text: string) => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);

describe('numbers that do not cross their limits when rounded', () => {
  it('shows a DO2/VO2 of 2.979 as "2.98": below its limit of 3, not on the right side of it (worked example A)', () => {
    expect(thresholdsFor('do2Vo2')).toEqual([DEFAULT_LIMITS.do2Vo2Min]);
    expect(formatForDisplay('do2Vo2', 286 / 96, thresholdsFor('do2Vo2'))).toBe('2.98');
    expect(formatForDisplay('do2Vo2', 2.979, [3])).toBe('2.98');
  });

  it('shows a VIS of 19.6 as "19.6", under the "high" mark of 20; only 20 itself shows as "20"', () => {
    expect(thresholdsFor('vis')).toEqual([VIS_HIGH_MARK]);
    expect(formatFor('vis', 19.6)).toBe('19.6');
    expect(formatFor('vis', 20)).toBe('20');
    expect(formatFor('vis', 20.4)).toBe('20.4');
    expect(formatFor('vis', 21.3)).toBe('21');
    expect(formatFor('vis', 19.9999)).toBe('19.999'); // three decimals at most, rounded down: still below 20
  });

  it('shows a value exactly at a limit as the limit, at the catalogue precision', () => {
    expect(formatForDisplay('do2Vo2', 3, [3])).toBe('3.0');
    expect(formatFor('pVen', -100)).toBe('-100');
    // a limit finer than the precision: 38.5 °C with one decimal is fine; a MAP limit of 38.5 needs one
    expect(formatHonest(38.5, 0, [38.5])).toBe('38.5');
  });

  it('keeps the catalogue precision when no threshold is near', () => {
    expect(formatFor('flow', 1.85)).toBe('1.85');
    expect(formatFor('map', 55.4, displayContext(null, patient()))).toBe('55');
    expect(formatFor('do2Vo2', 4.26)).toBe('4.3');
    expect(formatFor('lab.arterial.lactate', 2.14)).toBe('2.1');
    expect(formatFor('hr', null)).toBe('—');
    expect(formatFor('hr', Number.NaN)).toBe('—');
  });

  it('keeps a MAP in the Phoenix band the score puts it in, for the patient’s age (section 3.3)', () => {
    const newborn = displayContext(null, patient({ ageMonths: 0 }));
    expect(thresholdsFor('map', newborn)).toEqual([17, 31]);
    expect(phoenixMapPoints(30.6, 0)).toBe(1);
    expect(formatFor('map', 30.6, newborn)).toBe('30.6');
    expect(formatFor('map', 16.7, newborn)).toBe('16.7');
    // without an age the bands are unknown: no MAP threshold
    expect(thresholdsFor('map')).toEqual([]);
  });

  it('keeps a lactate below the alarm limit and the Phoenix edges below them', () => {
    expect(formatFor('lab.arterial.lactate', 3.96)).toBe('3.96');
    expect(formatFor('lab.venous.lactate', 4.96)).toBe('4.96');
    expect(formatFor('lab.arterial.lactate', 10.96)).toBe('10.96');
    expect(formatFor('lab.arterial.lactate', 11.04)).toBe('11.04');
  });

  it('keeps a flow below the bed’s low-flow limit (80 % of the target from the weight) below it', () => {
    const ctx = displayContext(null, patient({ weightKg: 20 }));
    expect(lowFlowLimitLMin(ctx.limits)).toBeCloseTo(1.28, 10);
    expect(formatFor('flow', 1.279, ctx)).toBe('1.279');
    expect(formatFor('flowPerKg', 63.99, ctx)).toBe('63.99');
    expect(formatFor('flow', 0.049)).toBe('0.049');
  });

  it('reads the bed’s own limits where a specialist changed them', () => {
    const ctx = displayContext({ do2Vo2Min: 2.5, drainageWarningMmHg: -60 }, patient());
    expect(formatFor('do2Vo2', 2.979, ctx)).toBe('3.0');
    expect(formatFor('do2Vo2', 2.46, ctx)).toBe('2.46');
    expect(formatFor('pVen', -59.6, ctx)).toBe('-59.6');
  });

  it('shows a negative lactate clearance as negative, never as "-0" or "0"', () => {
    expect(formatFor('lactateClearance2h', -0.2)).toBe('-0.2');
    expect(formatFor('lactateClearance2h', 0.3)).toBe('0.3');
  });

  it('rounds towards the value past the decimal cap instead of onto the limit', () => {
    expect(formatHonest(2.99999, 1, [3])).toBe('2.9999');
    expect(formatHonest(3.00001, 1, [3])).toBe('3.0001');
    expect(formatHonest(-0.00001, 0, [0])).toBe('-0.001');
  });

  it('agrees with the Phoenix lactate part on its band edges', () => {
    for (const edge of PHOENIX_LACTATE_EDGES) {
      expect(phoenixLactatePoints(edge)!).toBeGreaterThan(phoenixLactatePoints(edge - 1e-9)!);
    }
    const lactates = fc.double({ min: 0, max: 30, noNaN: true });
    fc.assert(
      fc.property(lactates, (x) => {
        const below = PHOENIX_LACTATE_EDGES.filter((e) => x >= e).length;
        expect(phoenixLactatePoints(x)).toBe(below);
      }),
    );
  });

  it('takes the hypotension bands from the same function the alarm uses', () => {
    const bands = hypotensionLimits(30)!;
    expect(thresholdsFor('map', displayContext(null, patient({ ageMonths: 30 })))).toEqual([bands.highBelow, bands.mediumBelow]);
  });

  // Limits are set in steps far coarser than the display's last decimal: thresholds here sit on a
  // grid one decimal coarser than precision + cap, so a value always fits between two of them.
  const cases = fc
    .integer({ min: 0, max: 3 })
    .chain((precision) => {
      const scale = 10 ** (precision + MAX_EXTRA_DECIMALS - 1);
      const threshold = fc.integer({ min: -200_000, max: 200_000 }).map((k) => k / scale);
      return fc.record({
        precision: fc.constant(precision),
        thresholds: fc.array(threshold, { maxLength: 6 }),
        pick: fc.nat(),
        offset: fc.oneof(fc.constant(0), fc.double({ min: -1e-3, max: 1e-3, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })),
        free: fc.double({ min: -2000, max: 2000, noNaN: true }),
      });
    })
    .map(({ precision, thresholds, pick, offset, free }) => ({
      precision,
      thresholds,
      // near a threshold most of the time (exactly on it, just off it), anywhere otherwise
      value: thresholds.length ? thresholds[pick % thresholds.length] + offset : free,
    }));

  it('never puts the shown number on another side of any threshold than the value, nor past precision + cap decimals', () => {
    fc.assert(
      fc.property(cases, ({ precision, thresholds, value }) => {
        const text = formatHonest(value, precision, thresholds);
        const shown = Number(text);
        expect(Number.isNaN(shown)).toBe(false);
        for (const t of thresholds) expect(side(shown, t), `${value} shown as ${text} against ${t}`).toBe(side(value, t));
        expect(decimalsOf(text)).toBeGreaterThanOrEqual(precision);
        expect(decimalsOf(text)).toBeLessThanOrEqual(precision + MAX_EXTRA_DECIMALS);
      }),
      { numRuns: 2000 },
    );
  });

  it('rounds to the nearest at the catalogue precision where no threshold is involved', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.integer({ min: 0, max: 3 }), (value, precision) => {
        expect(formatHonest(value, precision, [])).toBe(value.toFixed(precision));
      }),
    );
  });
});

describe('drug doses on screen', () => {
  it('shows heparin per hour, as it is prescribed; vasopressin and catecholamines per minute', () => {
    expect(prescribedDose('heparin', 25 / 60, 'units/kg/min')).toEqual({ value: '25', unit: 'units/kg/h' });
    expect(prescribedDose('insulin', 0.05 / 60, 'units/kg/min')).toEqual({ value: '0.05', unit: 'units/kg/h' });
    expect(prescribedDose('vasopressin', 0.0003, 'units/kg/min')).toEqual({ value: '0.0003', unit: 'units/kg/min' });
    expect(prescribedDose('norepinephrine', 0.1, 'mcg/kg/min')).toEqual({ value: '0.1', unit: 'mcg/kg/min' });
    expect(prescribedDose('heparin', null, 'units/kg/min')).toEqual({ value: '—', unit: 'units/kg/h' });
  });

  it('shows vasopressin 0.0003 units/kg/min as "0.0003", never "0.000"', () => {
    expect(formatDose(0.0003)).toBe('0.0003');
    expect(formatDose(0.00033333)).toBe('0.000333');
  });

  it('shows catecholamine and inotrope doses with up to three significant digits', () => {
    expect(formatDose(0.05)).toBe('0.05');
    expect(formatDose(0.1)).toBe('0.1');
    expect(formatDose(5)).toBe('5');
    expect(formatDose(12.5)).toBe('12.5');
    expect(formatDose(0.123456)).toBe('0.123');
    expect(formatDose(150)).toBe('150');
    expect(formatDose(1234.4)).toBe('1234');
    expect(formatDose(0)).toBe('0');
    expect(formatDose(null)).toBe('—');
  });

  it('never shows a running dose as zero, and keeps three significant digits of it', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1e4, noNaN: true }), (dose) => {
        const text = formatDose(dose);
        if (dose < 1e-6) {
          expect(text).toBe('<0.000001');
          return;
        }
        const shown = Number(text);
        expect(shown).toBeGreaterThan(0);
        // three significant digits: within half a unit of the third digit (a 5e-7 floor at six decimals)
        expect(Math.abs(shown - dose)).toBeLessThanOrEqual(Math.max(dose * 5e-3, 5e-7) + 1e-12);
      }),
    );
  });
});
