// The drainage cannula of an infant on VA ECMO is sucked down after repositioning: drainage
// pressure goes very negative with chatter and flow falls; the team lowers flow, gives volume and
// repositions the cannula.
import { HOUR, MIN, type Scenario } from './timeline.js';

export const drainageProblem: Scenario = {
  name: 'drainage-problem',
  title: 'Drainage problem (chatter) on VA ECMO',
  description:
    '10 months, 8 kg: cannula obstruction at 30 min, pVen below −100 mmHg with chatter; flow lowered, bolus, repositioned at 55 min.',
  patient: { ageMonths: 10, weightKg: 8, heightCm: 71 },
  studyGroup: 'RSS-ECMO',
  ecmoMode: 'VA',
  ecmoConsoleFromS: -60 * HOUR,
  cvpLine: true,
  initialLactate: 1.5,
  demoStartS: 20 * MIN,
  durationS: 3 * HOUR,
  events: [
    { type: 'note', atS: 36 * MIN, note: 'venous line chatter, drainage pressure below −100 mmHg' },
    { type: 'note', atS: 42 * MIN, note: 'flow reduced to 75 %, 10 mL/kg albumin' },
    { type: 'note', atS: 55 * MIN, note: 'drainage cannula repositioned' },
  ],
  physiology: [
    {
      atS: 0,
      set: {
        vasoplegia: 0.25,
        myocardialDepression: 0.45,
        volumeStatus: 0.95,
        metabolicDemand: 1.05,
        lungFunction: 0.7,
        catecholamineResponsiveness: 0.9,
        hb: 12,
        temperature: 36.9,
        ecmoFlowFraction: 1,
      },
    },
    { atS: 30 * MIN, rampS: 8 * MIN, set: { drainageObstruction: 0.62 } },
    { atS: 42 * MIN, rampS: 60, set: { ecmoFlowFraction: 0.75 } },
    { atS: 42 * MIN, rampS: 10 * MIN, set: { volumeStatus: 1.05 } },
    { atS: 55 * MIN, rampS: 60, set: { drainageObstruction: 0 } },
    { atS: 58 * MIN, rampS: 2 * MIN, set: { ecmoFlowFraction: 1 } },
  ],
  drugs: [
    { atS: 0, drug: 'epinephrine', dose: 0.05 },
    { atS: 0, drug: 'milrinone', dose: 0.5 },
    { atS: 0, drug: 'heparin', dose: 25 },
  ],
  extraLabsAtS: [45 * MIN, 75 * MIN],
};
