import { describe, expect, it } from 'vitest';
import { ARTERIAL_MEAN_FRACTION, WAVEFORM_RATE_HZ, WaveformGenerator, type WaveformSecond } from './waveforms.js';

const second: WaveformSecond = {
  heartRate: 120,
  systolic: 95,
  diastolic: 55,
  respiratoryRate: 20,
  pulsePressureVariation: 0.1,
  plethAmplitude: 60,
  flush: false,
};

describe('monitor waveforms', () => {
  it('are one second of 125 Hz samples per chunk', () => {
    const w = new WaveformGenerator().second(second);
    expect(w.abp).toHaveLength(WAVEFORM_RATE_HZ);
    expect(w.pleth).toHaveLength(WAVEFORM_RATE_HZ);
  });

  it('ABP spans diastolic to systolic and its mean is the MAP the numerics show', () => {
    const g = new WaveformGenerator();
    const samples = Array.from({ length: 30 }, () => g.second(second).abp).flat();
    const pp = second.systolic - second.diastolic;
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(mean).toBeCloseTo(second.diastolic + pp * ARTERIAL_MEAN_FRACTION, 0);
    expect(Math.max(...samples)).toBeGreaterThan(second.systolic - 1);
    expect(Math.max(...samples)).toBeLessThan(second.systolic + pp * 0.1);
    expect(Math.min(...samples)).toBeLessThan(second.diastolic + 1);
    expect(Math.min(...samples)).toBeGreaterThan(second.diastolic - pp * 0.1);
  });

  it('beats at the heart rate and joins consecutive chunks without a jump', () => {
    const g = new WaveformGenerator();
    const samples = Array.from({ length: 10 }, () => g.second(second).abp).flat();
    let upstrokes = 0;
    for (let i = 1; i < samples.length; i++) if (samples[i - 1] < 70 && samples[i] >= 70) upstrokes++;
    expect(upstrokes).toBeGreaterThanOrEqual(19);
    expect(upstrokes).toBeLessThanOrEqual(21);
    const steps = samples.slice(1).map((v, i) => Math.abs(v - samples[i]));
    expect(Math.max(...steps)).toBeLessThan(15);
  });

  it('a flushed line shows the flush pressure instead of a pulse', () => {
    const w = new WaveformGenerator().second({ ...second, systolic: 298, diastolic: 294, flush: true });
    expect(Math.min(...w.abp)).toBeGreaterThan(290);
  });
});
