// The bedside monitor's view of the patient: numerics with slow drift and measurement noise,
// sensor artefacts, and the waveform parameters of the same second (so curves match numbers).
import { PARAMS, type MonitorKey } from '../../shared/catalogue.js';
import type { Random } from '../random.js';
import type { SensorFaultKind } from '../scenarios/timeline.js';
import type { Physiology } from './circulation.js';
import { Drift, roundTo } from './noise.js';
import { clamp } from './oxygen.js';
import type { PatientNormals } from './patient.js';
import { ARTERIAL_MEAN_FRACTION, type WaveformSecond } from './waveforms.js';

/** The flush bag of an arterial line is pressurised to ~300 mmHg. */
const FLUSH_PRESSURE = 296;
/** A damped line shows a fraction of the true pulse pressure. */
const DAMPED_PULSE_FRACTION = 0.3;

type MonitorValues = Record<MonitorKey, number | null>;

export interface MonitorSecond {
  values: MonitorValues;
  /** null when the arterial trace is absent. */
  waveform: WaveformSecond;
  plethPresent: boolean;
}

export class BedsideMonitor {
  private readonly heartRateDrift: Drift;
  private readonly pressureDrift: Drift;
  private readonly saturationDrift: Drift;

  constructor(
    private readonly random: Random,
    private readonly normals: PatientNormals,
    private readonly cvpLine: boolean,
  ) {
    this.heartRateDrift = new Drift(random, 0.03, 300);
    this.pressureDrift = new Drift(random, 0.03, 240);
    this.saturationDrift = new Drift(random, 0.6, 180);
  }

  read(p: Physiology, faults: ReadonlySet<SensorFaultKind>, dtS: number): MonitorSecond {
    const r = this.random;
    const heartRate = p.heartRate * (1 + this.heartRateDrift.step(dtS)) + r.normal();
    const map = p.meanArterialPressure * (1 + this.pressureDrift.step(dtS)) + 0.7 * r.normal();
    let pulsePressure = p.pulsePressure * (1 + 0.03 * r.normal());
    if (faults.has('abp-damped')) pulsePressure *= DAMPED_PULSE_FRACTION;
    let diastolic = map - pulsePressure * ARTERIAL_MEAN_FRACTION;
    let systolic = diastolic + pulsePressure;
    let mean = map;
    const flush = faults.has('abp-flush');
    if (flush) {
      systolic = FLUSH_PRESSURE + 2;
      diastolic = FLUSH_PRESSURE - 2;
      mean = FLUSH_PRESSURE;
    }
    const spo2 = Math.min(100, p.arterial.saturation + this.saturationDrift.step(dtS) + 0.4 * r.normal());
    const values: MonitorValues = {
      hr: faults.has('ecg-leads-off') ? null : keep('hr', heartRate),
      sbp: keep('sbp', systolic),
      dbp: keep('dbp', diastolic),
      map: keep('map', mean),
      cvp: this.cvpLine && !faults.has('cvp-off') ? keep('cvp', p.centralVenousPressure + 0.7 * r.normal()) : null,
      spo2: faults.has('spo2-probe-off') ? null : keep('spo2', spo2),
      rr: this.normals.respiratoryRate,
      temp: keep('temp', p.temperature + 0.03 * r.normal()),
      etco2: keep('etco2', p.endTidalCo2 + 0.5 * r.normal()),
    };
    const waveform: WaveformSecond = {
      heartRate,
      systolic,
      diastolic,
      respiratoryRate: this.normals.respiratoryRate,
      pulsePressureVariation: p.pulsePressureVariation,
      // Pleth amplitude follows the stroke volume and falls with vasoconstriction-like low flow.
      plethAmplitude: 60 * clamp(p.pulsePressure / this.normals.pulsePressure, 0.05, 1.2),
      flush,
    };
    return { values, waveform, plethPresent: !faults.has('spo2-probe-off') };
  }
}

function keep(key: MonitorKey, value: number): number {
  const def = PARAMS[key];
  return roundTo(clamp(value, def.min, def.max), def.precision);
}
