// A stable child on VV ECMO whose devices drop out on a 30-minute cycle: silent gaps (status stays
// online) and broken connections (the broker publishes the last will, status offline).
import { HOUR, MIN, repeatEvery, type Scenario, type ScheduledFault } from './timeline.js';

const CYCLE_S = 30 * MIN;
const DURATION_S = 6 * HOUR;

const dropoutCycle: ScheduledFault[] = [
  { atS: 2 * MIN, fault: 'dropout', device: 'monitor', durationS: 45 },
  { atS: 7 * MIN, fault: 'disconnect', device: 'ecmo', durationS: 90 },
  // Longer than the 90 s a pump message stays fresh (docs/clinical.md section 2).
  { atS: 13 * MIN, fault: 'dropout', device: 'pump', durationS: 120 },
  { atS: 19 * MIN, fault: 'disconnect', device: 'lab', durationS: 60 },
  { atS: 24 * MIN, fault: 'disconnect', device: 'monitor', durationS: 40 },
];

export const deviceDropout: Scenario = {
  name: 'device-dropout',
  title: 'Device dropouts and disconnects',
  description: '9 y, 30 kg, stable on VV ECMO; every 30 minutes devices go silent or lose their connection.',
  patient: { ageMonths: 108, weightKg: 30, heightCm: 133 },
  ecmoMode: 'VV',
  ecmoConsoleFromS: -30 * HOUR,
  cvpLine: true,
  initialLactate: 1.4,
  demoStartS: 0,
  durationS: DURATION_S,
  events: [],
  physiology: [
    {
      atS: 0,
      set: {
        vasoplegia: 0.2,
        myocardialDepression: 0.1,
        volumeStatus: 1,
        metabolicDemand: 1.1,
        lungFunction: 0.25,
        catecholamineResponsiveness: 0.9,
        hb: 11,
        temperature: 37.2,
        ecmoFlowFraction: 1,
        sweepFlowRatio: 1.1,
      },
    },
  ],
  drugs: [
    { atS: 0, drug: 'norepinephrine', dose: 0.04 },
    { atS: 0, drug: 'heparin', dose: 20 },
  ],
  faults: repeatEvery(dropoutCycle, 0, CYCLE_S, DURATION_S),
};
