// A bed's alarm inputs for tests: a VA ECMO patient whose every value is normal, which a test then
// bends one value at a time. Device values are stamped fresh at each evaluation unless a test pins
// their time; lab results keep the time they were given.
import { resolveLimits, type BedLimitsOverrides } from '../../shared/alarms.js';
import { maxAgeOfSignal } from '../../shared/catalogue.js';
import type { DerivedValue, DeviceState, LatestValue } from '../../shared/protocol.js';
import type { Patient } from '../../shared/schemas.js';
import type { AlarmInputs } from './types.js';

/** Example A of docs/clinical.md section 6: VA, 20 kg, 115 cm, 5 years (target flow 1.6 L/min). */
/** Start of every test's clock: 25 Nov 2026, 10:00 UTC. */
export const T0 = Date.UTC(2026, 10, 25, 10);

export const PATIENT_A: Patient = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' };

interface Sample {
  value: number | null;
  /** Measurement time; undefined: always fresh (stamped with the evaluation time). */
  ts?: number;
}

export class TestBed {
  patient: Patient | null;
  overrides: BedLimitsOverrides = {};
  readonly values = new Map<string, Sample>();
  readonly derived: Record<string, DerivedValue> = {};
  rOxyMean1h: number | null = 15;
  devices: Record<string, DeviceState> = { ecmo: 'online', monitor: 'online', pump: 'online', lab: 'online' };
  rejectsLastMinute = 0;
  listeningS = Infinity;

  constructor(
    readonly bedId = 'bed1',
    patient: Patient | null = PATIENT_A,
  ) {
    this.patient = patient;
    const device: Record<string, number> = {
      flow: 2.0,
      rpm: 3000,
      pVen: -40,
      pPre: 200,
      pPost: 170,
      svo2: 75,
      fdo2: 80,
      postOxyPo2: 300,
      tBlood: 37,
      map: 60,
    };
    for (const [k, v] of Object.entries(device)) this.values.set(k, { value: v });
    this.values.set('lab.arterial.lactate', { value: 1.5, ts: T0 });
    this.setDerived('dpOxy', 30);
    this.setDerived('rOxy', 15);
    this.setDerived('do2Vo2', 4.5);
    this.setDerived('lactateClearance2h', 10, 'ok', T0);
  }

  /** Sets a value; with `ts` it is a measurement of that time (a lab result, or a value going stale). */
  set(signal: string, value: number | null, ts?: number): this {
    this.values.set(signal, { value, ts });
    return this;
  }

  setDerived(key: string, value: number | null, quality: DerivedValue['quality'] = 'ok', ts = 0): this {
    this.derived[key] = { value, unit: '', ts, quality };
    return this;
  }

  at(nowMs: number): AlarmInputs {
    const values = this.values;
    return {
      nowMs,
      bedId: this.bedId,
      patient: this.patient,
      latest: (signal: string): LatestValue | undefined => {
        const s = values.get(signal);
        return s ? { value: s.value, ts: s.ts ?? nowMs, source: signal.startsWith('lab.') ? 'lab' : 'ecmo' } : undefined;
      },
      maxAgeS: maxAgeOfSignal,
      derived: this.derived,
      rOxyMean1h: this.rOxyMean1h,
      devices: this.devices,
      listeningS: this.listeningS,
      rejectsLastMinute: this.rejectsLastMinute,
      limits: resolveLimits(this.overrides, this.patient),
    };
  }
}
