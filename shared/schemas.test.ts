import { describe, expect, it } from 'vitest';
import {
  ecmoNumericsSchema,
  labResultSchema,
  monitorNumericsSchema,
  newEventSchema,
  newUserSchema,
  patientSchema,
  pumpSchema,
  statusSchema,
  tsSchema,
  waveformSchema,
} from './schemas.js';
import { parseTopic } from './topics.js';

describe('payload schemas', () => {
  it('parse ts as epoch ms or ISO-8601 with an offset', () => {
    expect(tsSchema.parse(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(tsSchema.parse('2026-11-25T10:00:00Z')).toBe(Date.parse('2026-11-25T10:00:00Z'));
    expect(tsSchema.parse('2026-11-25T11:00:00+01:00')).toBe(Date.parse('2026-11-25T10:00:00Z'));
    for (const bad of ['2026-11-25T10:00:00', 'yesterday', -1, Infinity, null, true])
      expect(tsSchema.safeParse(bad).success, String(bad)).toBe(false);
  });

  it('accept every field of the contract, and null as "sensor off"', () => {
    expect(
      monitorNumericsSchema.safeParse({
        ts: 1,
        seq: 2,
        values: { hr: 1, sbp: 1, dbp: 1, map: 1, cvp: null, spo2: 1, rr: 1, temp: 1, etco2: 1 },
      }).success,
    ).toBe(true);
    expect(
      ecmoNumericsSchema.safeParse({
        ts: 1,
        values: {
          rpm: 1,
          flow: 1,
          sweep: 1,
          fdo2: 21,
          pVen: -1,
          pPre: 1,
          pPost: 1,
          svo2: 1,
          postOxySat: 1,
          postOxyPo2: 1,
          hb: 1,
          hct: 1,
          tBlood: 1,
        },
      }).success,
    ).toBe(true);
    expect(
      pumpSchema.safeParse({ ts: 1, drug: 'milrinone', rateMlH: 1, concentration: 200, concentrationUnit: 'mcg/mL', running: false })
        .success,
    ).toBe(true);
    expect(
      labResultSchema.safeParse({ ts: 1, site: 'central-venous', values: { lactate: 2, hb: 9, po2: 40, pco2: 45, so2: 70, ph: 7.3 } })
        .success,
    ).toBe(true);
    expect(waveformSchema.safeParse({ ts: 1, signal: 'pleth', rateHz: 125, samples: [1, 2] }).success).toBe(true);
    expect(statusSchema.safeParse({ state: 'offline' }).success).toBe(true);
  });

  it('refuse wrong types, unknown enums and missing fields', () => {
    expect(monitorNumericsSchema.safeParse({ ts: 1, values: { hr: '80' } }).success).toBe(false);
    expect(monitorNumericsSchema.safeParse({ ts: 1 }).success).toBe(false);
    expect(monitorNumericsSchema.safeParse({ ts: 1, seq: 1.5, values: {} }).success).toBe(false);
    expect(pumpSchema.safeParse({ ts: 1, drug: 'x', rateMlH: 1, concentration: 1, concentrationUnit: 'g/L', running: true }).success).toBe(
      false,
    );
    expect(labResultSchema.safeParse({ ts: 1, site: 'capillary', values: {} }).success).toBe(false);
    expect(waveformSchema.safeParse({ ts: 1, signal: 'eeg', rateHz: 125, samples: [1] }).success).toBe(false);
    expect(waveformSchema.safeParse({ ts: 1, signal: 'abp', rateHz: 125, samples: [] }).success).toBe(false);
    expect(statusSchema.safeParse({ state: 'asleep' }).success).toBe(false);
  });

  it('validate REST bodies with readable reasons', () => {
    expect(patientSchema.safeParse({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: null }).success).toBe(true);
    expect(patientSchema.safeParse({ weightKg: 20, heightCm: 115, ageMonths: 60 }).success).toBe(false); // ecmoMode must be said, even if null
    expect(patientSchema.safeParse({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA', studyGroup: 'other' }).success).toBe(
      false,
    );
    expect(patientSchema.safeParse({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA', studyId: 'Jane Doe' }).success).toBe(
      false,
    ); // a name is not a pseudonym
    expect(newUserSchema.safeParse({ username: 'a', password: 'short', role: 'viewer' }).success).toBe(false);
    expect(newEventSchema.safeParse({ type: 'ecmo_flow_start', ts: '2026-11-25T10:00:00Z' }).success).toBe(true);
    expect(newEventSchema.safeParse({ type: 'lunch' }).success).toBe(false);
  });
});

describe('topics', () => {
  it('read bed, device and stream, and refuse what does not fit', () => {
    expect(parseTopic('icu', 'icu/b-1/pump/ch_2')).toMatchObject({ bedId: 'b-1', kind: 'pump', channel: 'ch_2' });
    expect(parseTopic('icu', 'icu/b1/ecmo/status')).toMatchObject({ kind: 'status', device: 'ecmo' });
    expect(parseTopic('icu', 'icu/b1/lab/result')).toMatchObject({ kind: 'lab.result' });
    for (const bad of [
      'icu/b1/monitor',
      'icu/b1/monitor/numerics/x',
      'ward/b1/monitor/numerics',
      'icu/b 1/monitor/numerics',
      'icu/b1/fridge/status',
      'icu/b1/ecmo/waveform',
      `icu/${'x'.repeat(33)}/monitor/numerics`,
    ]) {
      expect(parseTopic('icu', bad), bad).toBeNull();
    }
  });
});
