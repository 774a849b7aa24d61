// A stable child on VV ECMO whose devices drop out on a 30-minute cycle: silent gaps (status stays
// online) and broken connections (the broker publishes the last will, status offline).
import type { AlarmLabel } from './alarmLabels.js';
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

/**
 * What each outage of the cycle should raise (shared/alarms.ts: the console, the monitor and the pumps
 * are watched; the lab reports hours apart by nature and is not). Status `offline` (a broken
 * connection's last will) raises at once; silence raises after 10 s (monitor) or 90 s (pumps, which
 * send every 30 s: the last message before the gap is 0–30 s old when it starts).
 */
const dropoutAlarmCycle: AlarmLabel[] = [
  {
    key: 'deviceOffline.monitor',
    expect: 'required',
    fromS: 2 * MIN,
    toS: 2 * MIN + 45,
    maxDelayS: 15,
    priority: 'medium',
    note: 'monitor silent 45 s (status stays online): no numerics for 10 s',
  },
  {
    key: 'deviceOffline.ecmo',
    expect: 'required',
    fromS: 7 * MIN,
    toS: 7 * MIN + 90,
    maxDelayS: 5,
    priority: 'high',
    note: 'console connection lost 90 s: the last will says offline',
  },
  {
    key: 'deviceOffline.pump',
    expect: 'required',
    fromS: 13 * MIN,
    toS: 13 * MIN + 120,
    maxDelayS: 95,
    priority: 'medium',
    note: 'pumps silent 120 s: silent for 90 s counted from their last message, 0–30 s before the gap',
  },
  {
    key: 'deviceOffline.monitor',
    expect: 'required',
    fromS: 24 * MIN,
    toS: 24 * MIN + 40,
    maxDelayS: 5,
    priority: 'medium',
    note: 'monitor connection lost 40 s: the last will says offline',
  },
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
  // The patient is stable: the technical alarms of the outages are all that is wanted. Stale inputs
  // during an outage must not raise physiological alarms.
  alarmWindow: { fromS: 0, toS: 2 * HOUR },
  alarms: repeatEvery(dropoutAlarmCycle, 0, CYCLE_S, DURATION_S),
};
