// An infant on VA ECMO on day 2 after refractory septic shock: stable support, slow drifts.
import { HOUR, type Scenario } from './timeline.js';

export const stableVa: Scenario = {
  name: 'stable-va',
  title: 'Infant on VA ECMO, stable',
  description: '2 months, 4.2 kg: day 2 of VA ECMO at 100 mL/kg/min, low-dose epinephrine and milrinone.',
  patient: { ageMonths: 2, weightKg: 4.2, heightCm: 56 },
  studyGroup: 'RSS-ECMO',
  ecmoMode: 'VA',
  ecmoConsoleFromS: -40 * HOUR,
  cvpLine: true,
  initialLactate: 1.9,
  demoStartS: 2 * HOUR,
  durationS: 24 * HOUR,
  events: [
    { type: 'shock_recognized', atS: -44 * HOUR },
    { type: 'refractory_shock', atS: -42.5 * HOUR },
    { type: 'ecmo_decision', atS: -41.5 * HOUR },
    { type: 'cannulation_start', atS: -40 * HOUR },
    { type: 'ecmo_flow_start', atS: -39.5 * HOUR },
  ],
  physiology: [
    {
      atS: 0,
      set: {
        vasoplegia: 0.3,
        myocardialDepression: 0.5,
        volumeStatus: 1,
        metabolicDemand: 1.25,
        lungFunction: 0.6,
        catecholamineResponsiveness: 0.8,
        hb: 12.5,
        temperature: 36.9,
        ecmoFlowFraction: 1,
        sweepFlowRatio: 1,
        fdo2: 100,
      },
    },
    // Hb drifts down with sampling and haemolysis; the septic picture keeps improving.
    { atS: 0, rampS: 24 * HOUR, set: { hb: 11.6, vasoplegia: 0.15, myocardialDepression: 0.35 } },
  ],
  drugs: [
    { atS: 0, drug: 'epinephrine', dose: 0.05 },
    { atS: 0, drug: 'milrinone', dose: 0.33 },
    { atS: 0, drug: 'heparin', dose: 25 },
  ],
  // Nothing should alarm: a stable day. (Lactate ~1.5–1.9 with 3 % assay noise makes the 2 h clearance
  // negative now and then after ~4 h; such a "lactate rising" alarm is non-actionable.)
  alarmWindow: { fromS: 2 * HOUR, toS: 4 * HOUR },
  alarms: [],
};
