// Refractory septic shock in a 5-year-old: fluids and escalating epinephrine, norepinephrine and
// vasopressin fail, the team decides on VA ECMO, cannulates, starts flow; lactate then clears and
// drugs are weaned. Times follow docs/clinical.md example E: refractory 90 min after T0, decision 120,
// cannulation 140, flow 185 (T0 → flow 185 min).
import { HOUR, MIN, type Scenario } from './timeline.js';

const FLOW_START_S = 185 * MIN;
/** Flow is brought to a third of target within 30 s, then to target over ten minutes. */
const TARGET_FLOW_REACHED_S = FLOW_START_S + 10 * MIN;

export const refractoryShock: Scenario = {
  name: 'refractory-shock',
  title: 'Refractory septic shock → VA ECMO',
  description: '5 y, 20 kg: septic shock refractory to fluids and escalating vasoactives; VA ECMO at 185 min, then recovery.',
  patient: { ageMonths: 62, weightKg: 20, heightCm: 112 },
  studyGroup: 'RSS-ECMO',
  ecmoMode: 'VA',
  ecmoConsoleFromS: 140 * MIN,
  cvpLine: true,
  initialLactate: 4.6,
  demoStartS: 170 * MIN,
  durationS: 24 * HOUR,
  events: [
    { type: 'shock_recognized', atS: 0, note: 'septic shock recognised: hypotension, cold peripheries, lactate 4.6' },
    {
      type: 'refractory_shock',
      atS: 90 * MIN,
      note: 'hypotensive after 60 mL/kg fluids, epinephrine 0.3 and norepinephrine 0.3 mcg/kg/min',
    },
    { type: 'ecmo_consult', atS: 100 * MIN },
    { type: 'ecmo_decision', atS: 120 * MIN },
    { type: 'cannulation_start', atS: 140 * MIN, note: 'neck VA cannulation' },
    { type: 'ecmo_flow_start', atS: FLOW_START_S },
    { type: 'target_flow_reached', atS: TARGET_FLOW_REACHED_S, note: 'target 80 mL/kg/min' },
  ],
  physiology: [
    {
      atS: 0,
      set: {
        vasoplegia: 0.65,
        myocardialDepression: 0.4,
        volumeStatus: 0.8,
        metabolicDemand: 1.3,
        lungFunction: 0.75,
        catecholamineResponsiveness: 0.7,
        hb: 10.5,
        temperature: 39.2,
      },
    },
    // 60 mL/kg of fluid over the first hour.
    { atS: 0, rampS: 60 * MIN, set: { volumeStatus: 0.95 } },
    // The shock becomes refractory: receptors down-regulate, septic cardiomyopathy deepens.
    { atS: 30 * MIN, rampS: 90 * MIN, set: { catecholamineResponsiveness: 0.2, myocardialDepression: 0.85, vasoplegia: 0.8 } },
    // Flow: a third of target in 30 s, then target over ten minutes.
    { atS: FLOW_START_S, rampS: 30, set: { ecmoFlowFraction: 0.33 } },
    { atS: FLOW_START_S + 30, rampS: TARGET_FLOW_REACHED_S - FLOW_START_S - 30, set: { ecmoFlowFraction: 1 } },
    // The heater brings the temperature down; sepsis slowly resolves under antibiotics and support.
    { atS: FLOW_START_S, rampS: 60 * MIN, set: { temperature: 37.1, metabolicDemand: 1.1 } },
    { atS: 4 * HOUR, rampS: 12 * HOUR, set: { vasoplegia: 0.35, catecholamineResponsiveness: 0.7 } },
    { atS: 8 * HOUR, rampS: 16 * HOUR, set: { myocardialDepression: 0.5 } },
  ],
  drugs: [
    { atS: 10 * MIN, drug: 'epinephrine', dose: 0.05 },
    { atS: 30 * MIN, drug: 'epinephrine', dose: 0.1 },
    { atS: 40 * MIN, drug: 'norepinephrine', dose: 0.1 },
    { atS: 60 * MIN, drug: 'epinephrine', dose: 0.2 },
    { atS: 70 * MIN, drug: 'norepinephrine', dose: 0.2 },
    { atS: 90 * MIN, drug: 'epinephrine', dose: 0.3 },
    { atS: 100 * MIN, drug: 'norepinephrine', dose: 0.3 },
    { atS: 110 * MIN, drug: 'vasopressin', dose: 0.0005 },
    { atS: 130 * MIN, drug: 'norepinephrine', dose: 0.5 },
    // Anticoagulation once bleeding from the cannulation sites is controlled.
    { atS: FLOW_START_S + 30 * MIN, drug: 'heparin', dose: 20 },
    // Weaning on full support.
    { atS: 4 * HOUR, drug: 'epinephrine', dose: 0.2 },
    { atS: 4 * HOUR, drug: 'norepinephrine', dose: 0.3 },
    { atS: 5 * HOUR, drug: 'epinephrine', dose: 0.1 },
    { atS: 5 * HOUR, drug: 'norepinephrine', dose: 0.2 },
    { atS: 7 * HOUR, drug: 'norepinephrine', dose: 0.1 },
    { atS: 8 * HOUR, drug: 'vasopressin', dose: 0 },
    { atS: 10 * HOUR, drug: 'epinephrine', dose: 0.05 },
    { atS: 12 * HOUR, drug: 'norepinephrine', dose: 0.05 },
  ],
  extraLabsAtS: [1 * MIN, 90 * MIN, 130 * MIN, FLOW_START_S + 5 * MIN, TARGET_FLOW_REACHED_S + 20 * MIN],
};
