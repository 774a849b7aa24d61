// Bedside monitor waveforms: arterial pressure (ABP) and plethysmogram at 125 Hz, built from one
// beat template scaled to the numerics of the same second, so the curve's minimum, maximum and
// mean match dbp, sbp and map. Ventilation modulates the pulse pressure (more when under-filled).
export const WAVEFORM_RATE_HZ = 125;
const TABLE_SIZE = 512;

/** Arterial pulse over one beat (phase 0..1): upstroke, systolic decline, dicrotic notch, diastolic run-off. */
function arterialPulse(phase: number): number {
  if (phase < 0.13) return 0.5 * (1 - Math.cos((Math.PI * phase) / 0.13));
  if (phase < 0.33) return 1 - 0.36 * (0.5 * (1 - Math.cos((Math.PI * (phase - 0.13)) / 0.2)));
  if (phase < 0.38) return 0.64 - 0.07 * Math.sin((Math.PI * (phase - 0.33)) / 0.1);
  if (phase < 0.48) return 0.57 + 0.05 * Math.sin((Math.PI * (phase - 0.38)) / 0.1);
  const k = 3;
  const x = (phase - 0.48) / 0.52;
  return 0.57 * ((Math.exp(-k * x) - Math.exp(-k)) / (1 - Math.exp(-k)));
}

/** Pulse oximeter volume pulse: smoother, later (pulse transit time), with a small dicrotic wave. */
function plethPulse(phase: number): number {
  const p = (phase + 0.85) % 1; // ~0.15 beat later than the arterial upstroke
  if (p < 0.22) return 0.5 * (1 - Math.cos((Math.PI * p) / 0.22));
  const x = (p - 0.22) / 0.78;
  return 0.85 * Math.exp(-2.2 * x) * (1 - x) + 0.15 * Math.exp(-30 * (x - 0.3) ** 2) * (1 - x) + 0.15 * (1 - x);
}

function tabulate(fn: (phase: number) => number): { table: Float64Array; mean: number } {
  const raw = Array.from({ length: TABLE_SIZE }, (_, i) => fn(i / TABLE_SIZE));
  const min = Math.min(...raw);
  const max = Math.max(...raw);
  const table = Float64Array.from(raw, (v) => (v - min) / (max - min));
  const mean = table.reduce((a, b) => a + b, 0) / TABLE_SIZE;
  return { table, mean };
}

const ARTERIAL = tabulate(arterialPulse);
const PLETH = tabulate(plethPulse);

/** Share of the pulse pressure above diastolic at which the arterial curve's mean lies (~0.35, i.e. MAP ≈ DBP + PP/3). */
export const ARTERIAL_MEAN_FRACTION = ARTERIAL.mean;

function lookup(t: { table: Float64Array }, phase: number): number {
  return t.table[Math.floor(phase * TABLE_SIZE) % TABLE_SIZE];
}

export interface WaveformSecond {
  heartRate: number;
  systolic: number;
  diastolic: number;
  respiratoryRate: number;
  /** Fractional pulse pressure swing with each breath. */
  pulsePressureVariation: number;
  /** Pleth amplitude in display units (perfusion). */
  plethAmplitude: number;
  /** Arterial line flushed: the transducer sees the flush bag. */
  flush: boolean;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Keeps the beat and breath phases across chunks so consecutive seconds join smoothly. */
export class WaveformGenerator {
  private cardiacPhase = 0;
  private respiratoryPhase = 0;

  second(p: WaveformSecond): { abp: number[]; pleth: number[] } {
    const abp = new Array<number>(WAVEFORM_RATE_HZ);
    const pleth = new Array<number>(WAVEFORM_RATE_HZ);
    const beatStep = p.heartRate / 60 / WAVEFORM_RATE_HZ;
    const breathStep = p.respiratoryRate / 60 / WAVEFORM_RATE_HZ;
    const pulsePressure = p.systolic - p.diastolic;
    for (let i = 0; i < WAVEFORM_RATE_HZ; i++) {
      const breath = Math.sin(2 * Math.PI * this.respiratoryPhase);
      // Positive-pressure breaths lower the pulse pressure around the mean, so the mean is kept.
      const pp = pulsePressure * (1 + (p.pulsePressureVariation / 2) * breath);
      const diastolic = p.diastolic + (pulsePressure - pp) * ARTERIAL_MEAN_FRACTION;
      abp[i] = p.flush ? round1(p.systolic - (i % 2) * 0.4) : round1(diastolic + pp * lookup(ARTERIAL, this.cardiacPhase));
      pleth[i] = round1(10 + p.plethAmplitude * (1 + 0.1 * breath) * lookup(PLETH, this.cardiacPhase));
      this.cardiacPhase = (this.cardiacPhase + beatStep) % 1;
      this.respiratoryPhase = (this.respiratoryPhase + breathStep) % 1;
    }
    return { abp, pleth };
  }
}
