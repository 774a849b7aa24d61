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
  alarmWindow: { fromS: 20 * MIN, toS: 90 * MIN },
  // Suction chatter swings flow and pVen from second to second (±25 mmHg): an alarm that needs its
  // condition held without a break meets it only once the mean is past the limit by a margin.
  alarms: [
    {
      key: 'drainagePressureWarning',
      expect: 'required',
      earliestS: 34 * MIN + 30,
      fromS: 35 * MIN + 30,
      toS: 55 * MIN,
      maxDelayS: 200,
      priority: 'medium',
      note: 'obstruction builds from 30 min: pVen (median) below −70 mmHg from 35.5–36.5 min until the repositioning; 10 s onset + 190 s for the chatter',
    },
    {
      key: 'lowFlow',
      expect: 'required',
      earliestS: 34 * MIN + 30,
      fromS: 35 * MIN + 30,
      toS: 58 * MIN + 30,
      maxDelayS: 180,
      priority: 'high',
      note: 'flow (median) under 80 % of target from 35.5–36 min as the cannula sucks down, then lowered to 75 % on purpose (42–58 min); 10 s onset + 170 s for the chatter',
    },
    {
      key: 'drainagePressure',
      expect: 'required',
      earliestS: 35 * MIN,
      fromS: 37 * MIN,
      toS: 48 * MIN,
      maxDelayS: 150,
      priority: 'high',
      note: 'pVen (median) below −100 mmHg from 37–38 min with chatter; lower flow and volume lift it by 45–48 min; 5 s onset + 145 s: with ±25 mmHg swings a 5 s unbroken hold needs the mean well past the limit',
    },
  ],
};
