// An adolescent on VV ECMO for severe ARDS with sepsis: the native lungs do little, arterial
// saturation runs in the high 80s to low 90s as is usual on VV support.
import { HOUR, type Scenario } from './timeline.js';

export const stableVv: Scenario = {
  name: 'stable-vv',
  title: 'Adolescent on VV ECMO, stable',
  description: '12 y, 40 kg: VV ECMO for ARDS with sepsis; SpO2 ~90 %, low-dose norepinephrine.',
  patient: { ageMonths: 150, weightKg: 40, heightCm: 152 },
  ecmoMode: 'VV',
  ecmoConsoleFromS: -20 * HOUR,
  cvpLine: true,
  initialLactate: 1.6,
  demoStartS: 2 * HOUR,
  durationS: 24 * HOUR,
  events: [
    { type: 'cannulation_start', atS: -20 * HOUR, note: 'VV for ARDS' },
    { type: 'ecmo_flow_start', atS: -19.5 * HOUR },
  ],
  physiology: [
    {
      atS: 0,
      set: {
        vasoplegia: 0.25,
        myocardialDepression: 0.1,
        volumeStatus: 1,
        metabolicDemand: 1.3,
        lungFunction: 0.1,
        catecholamineResponsiveness: 0.9,
        hb: 11,
        temperature: 37.4,
        ecmoFlowFraction: 1,
        sweepFlowRatio: 1.2,
        fdo2: 100,
      },
    },
    // Lungs begin to recover over the day.
    { atS: 6 * HOUR, rampS: 18 * HOUR, set: { lungFunction: 0.25 } },
  ],
  drugs: [
    { atS: 0, drug: 'norepinephrine', dose: 0.05 },
    { atS: 0, drug: 'heparin', dose: 18 },
  ],
  // Nothing should alarm: SpO2 ~90 % is the VV norm and has no alarm; pre-oxygenator saturation stays above 60 %.
  alarmWindow: { fromS: 2 * HOUR, toS: 4 * HOUR },
  alarms: [],
};
