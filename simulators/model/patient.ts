// The simulated child: size and the normal values the circulation is scaled from. Normal values
// are round textbook figures for a ventilated, sedated child (PALS-style age bands), chosen to
// give plausible monitor numbers, not to define normality for any clinical purpose.
import type { EcmoMode } from '../../shared/schemas.js';

export interface PatientProfile {
  ageMonths: number;
  weightKg: number;
  heightCm: number;
}

export interface PatientNormals {
  bsaM2: number;
  heartRate: number;
  meanArterialPressure: number;
  pulsePressure: number;
  cardiacOutputLMin: number;
  respiratoryRate: number;
  /** Resting oxygen consumption, mL/min. */
  oxygenConsumption: number;
}

/** Mosteller body surface area (docs/clinical.md section 3, `bsa`). */
function bodySurfaceArea(p: PatientProfile): number {
  return Math.sqrt((p.heightCm * p.weightKg) / 3600);
}

/**
 * Default target pump flow (docs/clinical.md section 4, low flow alarm): 100 mL/kg/min under 10 kg,
 * 80 mL/kg/min from 10 kg. The same default as the server's, so "target flow reached" agrees.
 */
export function targetFlowLMin(p: PatientProfile, _mode: EcmoMode | null = 'VA'): number {
  const mlPerKgMin = p.weightKg < 10 ? 100 : 80;
  return Math.round(((mlPerKgMin * p.weightKg) / 1000) * 100) / 100;
}

function byAge<T>(ageMonths: number, bands: ReadonlyArray<readonly [number, T]>): T {
  // bands: [upper age in months (exclusive), value], ascending; the last band is open-ended
  for (const [upper, value] of bands) if (ageMonths < upper) return value;
  return bands[bands.length - 1][1];
}

export function normalsOf(p: PatientProfile): PatientNormals {
  const bsaM2 = bodySurfaceArea(p);
  const ageYears = p.ageMonths / 12;
  const heartRate = byAge(p.ageMonths, [
    [12, 135],
    [24, 120],
    [60, 105],
    [144, 90],
    [Infinity, 80],
  ] as const);
  const respiratoryRate = byAge(p.ageMonths, [
    [12, 30],
    [24, 26],
    [60, 22],
    [144, 18],
    [Infinity, 15],
  ] as const);
  // MAP rises from ~50 mmHg in infancy to adult-like values in adolescence.
  const meanArterialPressure = Math.min(78, 52 + 1.8 * ageYears);
  const pulsePressure = Math.min(45, 28 + 1.3 * ageYears);
  // Cardiac index ~3.8 L/min/m² in children.
  const cardiacOutputLMin = 3.8 * bsaM2;
  // Allometric resting VO2 ≈ 10 × W^0.75 mL/min: 28 mL/min (7 mL/kg/min) at 4 kg, ~95 mL/min at
  // 20 kg — the same order as the 96 mL/min of docs/clinical.md example A.
  const oxygenConsumption = 10 * Math.pow(p.weightKg, 0.75);
  return { bsaM2, heartRate, meanArterialPressure, pulsePressure, cardiacOutputLMin, respiratoryRate, oxygenConsumption };
}
