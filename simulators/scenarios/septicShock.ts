// Septic shock that responds to treatment, in a 2-year-old: fluids, epinephrine, then
// norepinephrine; lactate peaks and clears over hours, drugs are weaned. Study group SS.
import { HOUR, MIN, type Scenario } from './timeline.js';

export const septicShock: Scenario = {
  name: 'septic-shock',
  title: 'Septic shock, responsive',
  description: '2 y, 12 kg: fluid and vasoactive responsive septic shock; lactate clears, drugs weaned by 10 h.',
  patient: { ageMonths: 26, weightKg: 12, heightCm: 87 },
  studyGroup: 'SS',
  ecmoMode: null,
  cvpLine: true,
  initialLactate: 4.4,
  demoStartS: 30 * MIN,
  durationS: 14 * HOUR,
  events: [{ type: 'shock_recognized', atS: 0, note: 'septic shock recognised' }],
  physiology: [
    {
      atS: 0,
      set: {
        vasoplegia: 0.55,
        myocardialDepression: 0.3,
        volumeStatus: 0.76,
        metabolicDemand: 1.25,
        lungFunction: 0.85,
        catecholamineResponsiveness: 0.9,
        hb: 11,
        temperature: 38.8,
      },
    },
    { atS: 0, rampS: 60 * MIN, set: { volumeStatus: 1 } },
    // Antibiotics given within the first hour take effect over the next hours.
    { atS: 2 * HOUR, rampS: 6 * HOUR, set: { vasoplegia: 0.15, myocardialDepression: 0.05, temperature: 37.4, metabolicDemand: 1.05 } },
  ],
  drugs: [
    { atS: 15 * MIN, drug: 'epinephrine', dose: 0.05 },
    { atS: 35 * MIN, drug: 'epinephrine', dose: 0.1 },
    { atS: 45 * MIN, drug: 'norepinephrine', dose: 0.05 },
    { atS: 60 * MIN, drug: 'norepinephrine', dose: 0.1 },
    { atS: 5 * HOUR, drug: 'norepinephrine', dose: 0.05 },
    { atS: 6 * HOUR, drug: 'epinephrine', dose: 0.05 },
    { atS: 8 * HOUR, drug: 'norepinephrine', dose: 0 },
    { atS: 10 * HOUR, drug: 'epinephrine', dose: 0 },
  ],
  extraLabsAtS: [1 * MIN, 2 * HOUR, 6 * HOUR],
  // Shock at T0: MAP in the Phoenix band, lactate 4.4, ScvO2 below 60 %; all resolve within ~1.5 h.
  alarmWindow: { fromS: 0, toS: 2 * HOUR },
  alarms: [
    {
      key: 'hypotension',
      expect: 'required',
      fromS: 0,
      toS: 36 * MIN,
      maxDelayS: 9 * MIN,
      priority: 'medium',
      note: 'MAP at or below the 1-point limit for 2 y (45 mmHg) from T0, high band in some seeds; 30 s onset + 8.5 min: readings flicker across the limit until the MAP is well below it',
    },
    {
      key: 'venousSaturation',
      expect: 'required',
      fromS: 0,
      toS: 62 * MIN,
      maxDelayS: 17 * MIN,
      priority: 'medium',
      note: 'central venous SO2 < 60 % from T0 (only the gas sees it: no ECMO): central venous gas at 2 min, result by 16 min at most, + 30 s onset',
    },
    {
      key: 'lactate',
      expect: 'required',
      fromS: 0,
      toS: 102 * MIN,
      maxDelayS: 17 * MIN,
      priority: 'medium',
      note: 'lactate 4.4 at T0; results stay at or above 4 until 45–100 min; on result: first gas at 1 min, result 5–15 min later (16 min at most)',
    },
  ],
};
