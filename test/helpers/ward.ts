// The 16-bed ward the central-station tests start from: two units, nicu1–6 and picu1–10, every
// patient on VA ECMO with a flow 10 % above the default target (docs/clinical.md section 4: 100
// mL/kg/min under 10 kg, 80 from 10 kg), so no bed alarms until a test makes it.
import type { Patient } from '../../shared/schemas.js';

export interface BedSetup {
  patient: Patient;
  console: Record<string, number>;
  monitor: Record<string, number>;
  pumps?: Record<string, { drug: string; rateMlH: number; concentration: number; concentrationUnit: 'mcg/mL' | 'units/mL' }>;
}

export function baseWard(): Record<string, BedSetup> {
  const beds: Record<string, BedSetup> = {};
  const ids = [...Array.from({ length: 6 }, (_, i) => `nicu${i + 1}`), ...Array.from({ length: 10 }, (_, i) => `picu${i + 1}`)];
  ids.forEach((id, i) => {
    const nicu = id.startsWith('nicu');
    const weightKg = nicu ? 3 + i * 0.4 : 8 + i * 3;
    const flow = Math.round(weightKg * (weightKg < 10 ? 0.1 : 0.08) * 1.1 * 100) / 100;
    beds[id] = {
      patient: { weightKg, heightCm: nicu ? 50 : 70 + i * 5, ageMonths: nicu ? 1 + i : 12 + i * 12, ecmoMode: 'VA' },
      console: { flow, rpm: 2400 + i * 100, pVen: -20 - i, pPre: 180 + i, pPost: 160, svo2: 66 + (i % 8), postOxySat: 100, hb: 11 },
      monitor: { hr: 110 + i, map: 60 + i, sbp: 85 + i, dbp: 45, spo2: 95 + (i % 5), cvp: 8 },
    };
  });
  return beds;
}
