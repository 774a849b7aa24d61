// A stable child on VA ECMO whose sensors misbehave, on a 40-minute cycle: arterial line flush and
// damping, SpO2 probe off, ECG leads off, CVP transducer off, inline SvO2 drifting from the lab;
// and messages a receiver must reject or flag: out-of-range, malformed, clock skew, duplicates,
// out of order.
import { HOUR, MIN, repeatEvery, type Scenario, type ScheduledFault, type SensorFaultWindow } from './timeline.js';

const CYCLE_S = 40 * MIN;
const DURATION_S = 6 * HOUR;

const sensorCycle: SensorFaultWindow[] = [
  { fromS: 3 * MIN, toS: 3 * MIN + 12, kind: 'abp-flush' },
  { fromS: 8 * MIN, toS: 9 * MIN, kind: 'spo2-probe-off' },
  { fromS: 13 * MIN, toS: 13 * MIN + 40, kind: 'ecg-leads-off' },
  { fromS: 18 * MIN, toS: 22 * MIN, kind: 'abp-damped' },
  { fromS: 25 * MIN, toS: 28 * MIN, kind: 'cvp-off' },
  { fromS: 30 * MIN, toS: 40 * MIN, kind: 'svo2-drift' },
];

const messageCycle: ScheduledFault[] = [
  { atS: 6 * MIN, fault: 'out-of-range', device: 'monitor' },
  { atS: 11 * MIN, fault: 'malformed', device: 'ecmo' },
  { atS: 16 * MIN, fault: 'clock-skew', device: 'monitor', durationS: 2 * MIN },
  { atS: 21 * MIN, fault: 'duplicate', device: 'pump' },
  { atS: 27 * MIN, fault: 'out-of-order', device: 'monitor' },
  { atS: 33 * MIN, fault: 'out-of-range', device: 'ecmo' },
];

export const sensorFaults: Scenario = {
  name: 'sensor-faults',
  title: 'Sensor faults and bad messages',
  description: '7 y, 23 kg, stable on VA ECMO; a 40-minute cycle of sensor artefacts and invalid messages.',
  patient: { ageMonths: 84, weightKg: 23, heightCm: 122 },
  studyGroup: 'RSS-ECMO',
  ecmoMode: 'VA',
  ecmoConsoleFromS: -50 * HOUR,
  cvpLine: true,
  initialLactate: 1.3,
  demoStartS: 0,
  durationS: DURATION_S,
  events: [],
  physiology: [
    {
      atS: 0,
      set: {
        vasoplegia: 0.2,
        myocardialDepression: 0.4,
        volumeStatus: 1,
        metabolicDemand: 1.05,
        lungFunction: 0.75,
        catecholamineResponsiveness: 0.9,
        hb: 11.5,
        temperature: 37,
        ecmoFlowFraction: 1,
      },
    },
  ],
  drugs: [
    { atS: 0, drug: 'milrinone', dose: 0.4 },
    { atS: 0, drug: 'heparin', dose: 25 },
  ],
  sensorFaults: repeatEvery(sensorCycle, 0, CYCLE_S, DURATION_S),
  faults: repeatEvery(messageCycle, 0, CYCLE_S, DURATION_S),
  // A stable patient: no alarm is wanted. The artefacts are not events (an alarm they cause is
  // non-actionable), and one invalid message every few minutes stays below the value-rejected limit
  // (5 in 1 min).
  alarmWindow: { fromS: 0, toS: 2 * HOUR },
  alarms: [],
};
