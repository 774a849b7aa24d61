// Oxygen transport helpers shared by the circulation, the oxygenator and the lab.
// Content formula and constants: docs/clinical.md section 3 (Hüfner 1.34 mL O2/g, solubility 0.003).

const HUFNER_ML_PER_G = 1.34;
const O2_SOLUBILITY_ML_PER_DL_MMHG = 0.003;
/** Inspired O2 partial pressure at 100 % and sea level, minus water vapour: 760 − 47 mmHg. */
export const DRY_GAS_PRESSURE_MMHG = 713;

/**
 * Haemoglobin saturation (%) from PO2 (mmHg): Severinghaus' fit of the standard dissociation
 * curve (J Appl Physiol 1979). Good enough for simulated values; it ignores pH and temperature.
 */
export function saturationFromPo2(po2Mmhg: number): number {
  const p = Math.max(0.1, po2Mmhg);
  return 100 / (23400 / (p * p * p + 150 * p) + 1);
}

/** Inverse of saturationFromPo2 by bisection (monotonic); saturation in %, answer in mmHg. */
export function po2FromSaturation(saturationPct: number): number {
  const target = Math.min(99.9, Math.max(1, saturationPct));
  let low = 0.1;
  let high = 700;
  for (let i = 0; i < 26; i++) {
    const mid = (low + high) / 2;
    if (saturationFromPo2(mid) < target) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** O2 content in mL/dL (docs/clinical.md section 3, content helper). */
export function oxygenContent(hbGdl: number, saturationPct: number, po2Mmhg: number): number {
  return HUFNER_ML_PER_G * hbGdl * (saturationPct / 100) + O2_SOLUBILITY_ML_PER_DL_MMHG * po2Mmhg;
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
