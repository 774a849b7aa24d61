// Clot builds up in the oxygenator of a child on VA ECMO: the pressure drop rises, then transfer
// fails (post-oxygenator PO2 falls below 150 mmHg); the oxygenator is changed (45 s off pump).
import { HOUR, MIN, type Scenario } from './timeline.js';

const CHANGE_S = 4 * HOUR + 15 * MIN;
const OFF_PUMP_S = 45;

export const oxygenatorClot: Scenario = {
  name: 'oxygenator-clot',
  title: 'Oxygenator clotting on VA ECMO',
  description: '8 y, 25 kg, day 5 of VA ECMO: dpOxy rises from ~27 to >100 mmHg, postOxyPo2 falls; oxygenator changed at 4 h 15 min.',
  patient: { ageMonths: 96, weightKg: 25, heightCm: 128 },
  studyGroup: 'RSS-ECMO',
  ecmoMode: 'VA',
  ecmoConsoleFromS: -110 * HOUR,
  cvpLine: true,
  initialLactate: 1.4,
  demoStartS: 2 * HOUR + 45 * MIN,
  durationS: 8 * HOUR,
  events: [
    { type: 'note', atS: 3 * HOUR, note: 'oxygenator pressure drop rising; circuit inspected, fibrin on the oxygenator' },
    { type: 'note', atS: CHANGE_S, note: 'oxygenator changed' },
  ],
  physiology: [
    {
      atS: 0,
      set: {
        vasoplegia: 0.2,
        myocardialDepression: 0.5,
        volumeStatus: 1,
        metabolicDemand: 1.05,
        lungFunction: 0.7,
        catecholamineResponsiveness: 0.9,
        hb: 11,
        temperature: 37,
        ecmoFlowFraction: 1,
        oxygenatorClot: 0.1,
      },
    },
    { atS: 0, rampS: 2 * HOUR, set: { oxygenatorClot: 0.5 } },
    { atS: 2 * HOUR, rampS: CHANGE_S - 2 * HOUR - 5 * MIN, set: { oxygenatorClot: 0.95 } },
    // The perfusionist raises the speed to hold flow against the rising resistance.
    { atS: 3 * HOUR + 10 * MIN, rampS: 5 * MIN, set: { ecmoFlowFraction: 1.15 } },
    // Clamp, swap, de-air, back on flow.
    { atS: CHANGE_S, set: { ecmoFlowFraction: 0, oxygenatorClot: 0 } },
    { atS: CHANGE_S + OFF_PUMP_S, rampS: 30, set: { ecmoFlowFraction: 1 } },
  ],
  drugs: [
    { atS: 0, drug: 'milrinone', dose: 0.5 },
    { atS: 0, drug: 'heparin', dose: 28 },
    { atS: 3 * HOUR, drug: 'heparin', dose: 32 },
  ],
  extraLabsAtS: [3 * HOUR + 10 * MIN, 4 * HOUR, CHANGE_S + 15 * MIN],
};
