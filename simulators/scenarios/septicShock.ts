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
};
