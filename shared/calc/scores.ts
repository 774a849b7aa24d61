// Scores built from several inputs: drug doses from pumps and the vasoactive-inotropic score
// (docs/clinical.md, section 3.1), lactate clearance (3.2), and the Phoenix cardiovascular
// subscore (3.3). Pure.
import { VIS_DRUGS, type VisDrug } from '../catalogue.js';
import { finite } from './formulas.js';

const MIN_PER_H = 60;
const MCG_PER_MG = 1000;

/** VIS weights per drug (section 3.1; Gaies et al., Pediatr Crit Care Med 2010). */
const VIS_WEIGHTS: Record<VisDrug, number> = {
  dopamine: 1,
  dobutamine: 1,
  epinephrine: 100,
  milrinone: 10,
  vasopressin: 10_000,
  norepinephrine: 100,
};

export function isVisDrug(drug: string): drug is VisDrug {
  return (VIS_DRUGS as readonly string[]).includes(drug);
}

export interface PumpInput {
  drug: string;
  rateMlH: number;
  concentration: number;
  concentrationUnit: 'mcg/mL' | 'mg/mL' | 'units/mL';
  running: boolean;
}

/** Drugs the VIS doses in mass (mcg/kg/min); vasopressin is dosed in units. */
const MASS_DOSED_VIS = new Set<string>(['epinephrine', 'norepinephrine', 'dopamine', 'dobutamine', 'milrinone']);

/**
 * The unit a dose is expressed in (section 1): units/kg/min for vasopressin and for any drug
 * prepared in units/mL (heparin, insulin), otherwise mcg/kg/min.
 */
export function doseUnitOf(drug: string, concentrationUnit?: PumpInput['concentrationUnit']): string {
  return drug === 'vasopressin' || (concentrationUnit === 'units/mL' && !MASS_DOSED_VIS.has(drug)) ? 'units/kg/min' : 'mcg/kg/min';
}

/**
 * Dose from a pump (section 3.1): rate × concentration / 60 / weight, the concentration first in
 * mcg/mL (mg/mL × 1000) or, for vasopressin, units/mL. A concentration unit that does not fit the
 * drug (units for a catecholamine, mass for vasopressin) gives null: it cannot be converted.
 * A stopped pump delivers 0.
 */
export function pumpDose(p: PumpInput, weightKg: number | null | undefined): number | null {
  if (weightKg === null || weightKg === undefined || !Number.isFinite(weightKg) || weightKg <= 0) return null;
  if (!p.running) return 0;
  let perMl: number;
  if (p.drug === 'vasopressin') {
    if (p.concentrationUnit !== 'units/mL') return null;
    perMl = p.concentration;
  } else if (p.concentrationUnit === 'units/mL') {
    // A catecholamine or milrinone in units cannot be converted; other drugs (heparin) are dosed in units.
    if (MASS_DOSED_VIS.has(p.drug)) return null;
    perMl = p.concentration;
  } else {
    perMl = p.concentrationUnit === 'mg/mL' ? p.concentration * MCG_PER_MG : p.concentration;
  }
  if (!Number.isFinite(perMl) || !Number.isFinite(p.rateMlH) || perMl < 0 || p.rateMlH < 0) return null;
  return finite((p.rateMlH * perMl) / MIN_PER_H / weightKg);
}

/**
 * Vasoactive-inotropic score from per-drug doses (section 3.1). Doses of the same drug on several
 * channels add up; drugs the score does not know are ignored. Null when a scored dose is unknown.
 */
export function vis(doses: readonly { drug: string; dose: number | null }[]): number | null {
  let total = 0;
  for (const { drug, dose } of doses) {
    if (!isVisDrug(drug)) continue;
    if (dose === null || !Number.isFinite(dose)) return null;
    total += VIS_WEIGHTS[drug] * dose;
  }
  return finite(total);
}

export interface LactateResult {
  ts: number;
  value: number;
}

export const CLEARANCE_WINDOWS = {
  lactateClearance2h: { windowMs: 2 * 3600_000, toleranceMs: 30 * 60_000 },
  lactateClearance6h: { windowMs: 6 * 3600_000, toleranceMs: 60 * 60_000 },
} as const;

/**
 * Lactate clearance, % (section 3.2): (L_ref − L_now) / L_ref × 100, where L_now is the newest
 * result and L_ref the newest result taken in [t_now − window − tolerance, t_now − window].
 * `results` sorted by ts ascending. Returns the value and the reference used, or null.
 */
export function lactateClearance(
  results: readonly LactateResult[],
  windowMs: number,
  toleranceMs: number,
): { value: number | null; ref: LactateResult; now: LactateResult } | null {
  if (!results.length) return null;
  const now = results[results.length - 1];
  const latest = now.ts - windowMs;
  const earliest = latest - toleranceMs;
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i];
    if (r.ts > latest) continue;
    if (r.ts < earliest) break;
    if (r.value <= 0) return { value: null, ref: r, now };
    return { value: finite(((r.value - now.value) / r.value) * 100), ref: r, now };
  }
  return null;
}

/**
 * Phoenix MAP thresholds by age (section 3.3; Schlapbach et al., JAMA 2024, bands as in the
 * `phoenix` R package): a MAP below `onePoint` scores 1, below `twoPoints` scores 2. Comparing with
 * "below the next whole number" applies the reference implementation's rule to decimal MAPs.
 */
const MAP_BANDS: readonly { underMonths: number; onePoint: number; twoPoints: number }[] = [
  { underMonths: 1, onePoint: 31, twoPoints: 17 },
  { underMonths: 12, onePoint: 39, twoPoints: 25 },
  { underMonths: 24, onePoint: 44, twoPoints: 31 },
  { underMonths: 60, onePoint: 45, twoPoints: 32 },
  { underMonths: 144, onePoint: 49, twoPoints: 36 },
  { underMonths: Infinity, onePoint: 52, twoPoints: 38 },
];

export function phoenixMapPoints(mapMmhg: number, ageMonths: number): 0 | 1 | 2 | null {
  if (!Number.isFinite(mapMmhg) || !Number.isFinite(ageMonths) || ageMonths < 0) return null;
  const band = MAP_BANDS.find((b) => ageMonths < b.underMonths)!;
  if (mapMmhg < band.twoPoints) return 2;
  if (mapMmhg < band.onePoint) return 1;
  return 0;
}

/** Phoenix lactate part (section 3.3): 5 to 10.9 mmol/L 1 point, 11 or more 2 points. */
export function phoenixLactatePoints(lactate: number): 0 | 1 | 2 | null {
  if (!Number.isFinite(lactate)) return null;
  if (lactate >= 11) return 2;
  if (lactate >= 5) return 1;
  return 0;
}

/** Phoenix vasoactive part (section 3.3): one drug 1 point, two or more 2 points. */
export function phoenixVasoactivePoints(drugsRunning: number): 0 | 1 | 2 {
  return drugsRunning >= 2 ? 2 : drugsRunning === 1 ? 1 : 0;
}
