// Clinical formulas (docs/clinical.md, section 3): pure functions, numbers in, a number or null out.
// Never NaN or Infinity: an input that makes a formula meaningless (missing, non-finite, a division
// by zero, a negative flow) gives null.

/** Haemoglobin oxygen-binding capacity, mL O2 per g (docs/clinical.md, section 3: 1.34, not 1.36/1.39). */
const HUFNER_ML_PER_G = 1.34;
/** Oxygen solubility in blood, mL O2 per dL per mmHg (section 3). */
const O2_SOLUBILITY = 0.003;
/** mL/dL × L/min → mL/min: 1 L = 10 dL. */
const DL_PER_L = 10;

type N = number | null | undefined;

function ok(...xs: N[]): boolean {
  for (const x of xs) if (x === null || x === undefined || !Number.isFinite(x)) return false;
  return true;
}

/** Returns x when finite, else null (the last guard of every formula). */
export function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function divide(a: N, b: N): number | null {
  if (!ok(a, b) || b === 0) return null;
  return finite((a as number) / (b as number));
}

/** Mosteller body surface area, m² (section 3; Mosteller, N Engl J Med 1987). */
export function bsaMosteller(heightCm: N, weightKg: N): number | null {
  if (!ok(heightCm, weightKg) || heightCm! <= 0 || weightKg! <= 0) return null;
  return finite(Math.sqrt((heightCm! * weightKg!) / 3600));
}

/** Haycock body surface area, m² (section 3, option; Haycock, J Pediatr 1978). */
export function bsaHaycock(heightCm: N, weightKg: N): number | null {
  if (!ok(heightCm, weightKg) || heightCm! <= 0 || weightKg! <= 0) return null;
  return finite(0.024265 * Math.pow(weightKg!, 0.5378) * Math.pow(heightCm!, 0.3964));
}

/**
 * Oxygen content, mL O2/dL (section 3): 1.34 × Hb × sat/100 + 0.003 × PO2. Without a PO2 the small
 * dissolved term is left out (the caller marks the result `assumed`, section 2).
 */
export function o2Content(hbGdl: N, satPct: N, po2Mmhg: N): number | null {
  if (!ok(hbGdl, satPct) || hbGdl! < 0 || satPct! < 0) return null;
  const dissolved = ok(po2Mmhg) && po2Mmhg! >= 0 ? O2_SOLUBILITY * po2Mmhg! : 0;
  return finite(HUFNER_ML_PER_G * hbGdl! * (satPct! / 100) + dissolved);
}

/** A pump flow usable as a divisor or multiplier: finite and not negative. */
function flowOk(flowLMin: N): flowLMin is number {
  return ok(flowLMin) && flowLMin! >= 0;
}

/** Circuit oxygen delivery, mL/min: flow × cao2Post × 10 (section 3). */
export function do2Ecmo(flowLMin: N, cao2Post: N): number | null {
  if (!flowOk(flowLMin) || !ok(cao2Post)) return null;
  return finite(flowLMin * cao2Post! * DL_PER_L);
}

/** Oxygen added by the oxygenator, mL/min: flow × (cao2Post − cvo2) × 10 (section 3). */
export function vo2Oxy(flowLMin: N, cao2Post: N, cvo2: N): number | null {
  if (!flowOk(flowLMin) || !ok(cao2Post, cvo2)) return null;
  return finite(flowLMin * (cao2Post! - cvo2!) * DL_PER_L);
}

/** Oxygen extraction ratio, %: (cao2Post − cvo2) / cao2Post × 100 (section 3). */
export function o2er(cao2Post: N, cvo2: N): number | null {
  if (!ok(cao2Post, cvo2) || cao2Post! <= 0) return null;
  return finite(((cao2Post! - cvo2!) / cao2Post!) * 100);
}

/** Delivery to consumption ratio (section 3). */
export function do2Vo2(do2: N, vo2: N): number | null {
  if (!ok(do2, vo2) || vo2! <= 0) return null;
  return divide(do2, vo2);
}

/** A value per m² of body surface (do2i, vo2i, flowIndex). */
export function indexed(value: N, bsaM2: N): number | null {
  if (!ok(bsaM2) || bsaM2! <= 0) return null;
  return divide(value, bsaM2);
}

/** Oxygenator pressure drop, mmHg: pPre − pPost (section 3). */
export function dpOxy(pPre: N, pPost: N): number | null {
  if (!ok(pPre, pPost)) return null;
  return finite(pPre! - pPost!);
}

/** Oxygenator resistance, mmHg·min/L: dpOxy / flow (section 3); no value at zero or negative flow. */
export function rOxy(dp: N, flowLMin: N): number | null {
  if (!flowOk(flowLMin) || flowLMin === 0) return null;
  return divide(dp, flowLMin);
}

/** Flow per kg, mL/kg/min (section 3). */
export function flowPerKg(flowLMin: N, weightKg: N): number | null {
  if (!flowOk(flowLMin) || !ok(weightKg) || weightKg! <= 0) return null;
  return finite((flowLMin * 1000) / weightKg!);
}

/** Flow index, L/min/m² (section 3). */
export function flowIndex(flowLMin: N, bsaM2: N): number | null {
  if (!flowOk(flowLMin)) return null;
  return indexed(flowLMin, bsaM2);
}

/** Perfusion pressure, mmHg: MAP − CVP (section 3). */
export function perfusionPressure(map: N, cvp: N): number | null {
  if (!ok(map, cvp)) return null;
  return finite(map! - cvp!);
}

/** Pulse pressure, mmHg: SBP − DBP (section 3). */
export function pulsePressure(sbp: N, dbp: N): number | null {
  if (!ok(sbp, dbp)) return null;
  return finite(sbp! - dbp!);
}

/** Shock index: HR / SBP (section 3). */
export function shockIndex(hr: N, sbp: N): number | null {
  if (!ok(hr, sbp) || sbp! <= 0) return null;
  return divide(hr, sbp);
}

/**
 * Default target pump flow, L/min (docs/clinical.md, section 4, low flow): 100 mL/kg/min under
 * 10 kg, 80 mL/kg/min from 10 kg (typical VA support).
 */
export function defaultTargetFlowLMin(weightKg: N): number | null {
  if (!ok(weightKg) || weightKg! <= 0) return null;
  const mlPerKgMin = weightKg! < 10 ? 100 : 80;
  return finite((mlPerKgMin * weightKg!) / 1000);
}
