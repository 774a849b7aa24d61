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
  alarmWindow: { fromS: 90 * MIN, toS: 4 * HOUR + 45 * MIN },
  alarms: [
    {
      key: 'oxyPressureDrop',
      expect: 'required',
      earliestS: 0,
      fromS: 2 * HOUR + 8 * MIN + 30,
      toS: CHANGE_S,
      maxDelayS: 24 * MIN,
      priority: 'medium',
      note: 'dpOxy passes 50 mmHg at 2 h 08–2 h 12 (the clot grows from T0, so an earlier warning on the rOxy rise also counts); it climbs ~0.3 mmHg/min against ±2 mmHg of reading noise, so a 60 s unbroken hold comes 15–21 min after the mean crosses: 60 s onset + 23 min',
    },
    {
      key: 'postOxyPo2',
      expect: 'required',
      earliestS: 3 * HOUR + 49 * MIN,
      fromS: 3 * HOUR + 51 * MIN,
      toS: CHANGE_S,
      maxDelayS: 4 * MIN,
      priority: 'medium',
      note: 'oxygenator failing: the inline postOxyPo2 (FdO2 100 %) falls through 150 mmHg ~1 mmHg/min with 1.5 % noise; the first reading below it (on result) comes at 3 h 51–3 h 54 depending on the seed',
    },
    {
      key: 'pumpStopped',
      expect: 'required',
      fromS: CHANGE_S,
      toS: CHANGE_S + OFF_PUMP_S,
      maxDelayS: 5,
      priority: 'high',
      note: 'clamped 45 s for the oxygenator change (planned, still an alarm the team must see and acknowledge)',
    },
    {
      key: 'lowFlow',
      expect: 'required',
      fromS: CHANGE_S,
      toS: CHANGE_S + OFF_PUMP_S + 30,
      maxDelayS: 15,
      priority: 'high',
      note: 'no flow during the change, then 30 s back to target; 10 s onset + 5 s',
    },
  ],
};
