// Bleeding from a cannulation site in a child on VA ECMO: falling volume and Hb pull the drainage
// pressure down, flow and MAP fall, heart rate and lactate rise; a transfusion restores them.
import { HOUR, MIN, type Scenario } from './timeline.js';

export const hypovolemia: Scenario = {
  name: 'hypovolemia',
  title: 'Hypovolaemia from bleeding on VA ECMO',
  description: '3 y, 14 kg: cannulation-site bleeding from 15 min; drainage worsens, flow falls; transfusion at 55 min.',
  patient: { ageMonths: 36, weightKg: 14, heightCm: 95 },
  studyGroup: 'RSS-ECMO',
  ecmoMode: 'VA',
  ecmoConsoleFromS: -30 * HOUR,
  cvpLine: true,
  initialLactate: 1.6,
  demoStartS: 10 * MIN,
  durationS: 3 * HOUR,
  events: [
    { type: 'note', atS: 25 * MIN, note: 'bleeding from the neck cannulation site; heparin paused' },
    { type: 'note', atS: 55 * MIN, note: 'transfusion: 15 mL/kg packed red cells' },
  ],
  physiology: [
    {
      atS: 0,
      set: {
        vasoplegia: 0.3,
        myocardialDepression: 0.45,
        volumeStatus: 1,
        metabolicDemand: 1.1,
        lungFunction: 0.7,
        catecholamineResponsiveness: 0.85,
        hb: 11,
        temperature: 37,
        ecmoFlowFraction: 1,
      },
    },
    { atS: 15 * MIN, rampS: 40 * MIN, set: { volumeStatus: 0.68, hb: 8.5 } },
    { atS: 55 * MIN, rampS: 25 * MIN, set: { volumeStatus: 1.02, hb: 10.8 } },
  ],
  drugs: [
    { atS: 0, drug: 'milrinone', dose: 0.5 },
    { atS: 0, drug: 'norepinephrine', dose: 0.05 },
    { atS: 0, drug: 'heparin', dose: 22 },
    { atS: 25 * MIN, drug: 'heparin', dose: 0 },
    { atS: 45 * MIN, drug: 'norepinephrine', dose: 0.1 },
    { atS: 2 * HOUR, drug: 'heparin', dose: 15 },
    { atS: 2 * HOUR, drug: 'norepinephrine', dose: 0.05 },
  ],
  extraLabsAtS: [40 * MIN, 85 * MIN],
};
