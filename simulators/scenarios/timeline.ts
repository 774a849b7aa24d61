// What a scenario is: a declarative timeline over scenario time (seconds from the scenario's T0).
// Physiology keyframes ramp drivers, drug steps titrate pumps, events are the clinical timeline
// (docs/clinical.md section 5), sensor faults and scheduled device faults disturb the feeds.
import type { EcmoMode, EventType, StudyGroup } from '../../shared/schemas.js';
import type { Device } from '../../shared/topics.js';
import type { FaultName } from '../faultNames.js';
import { DEFAULT_DRIVERS, DRIVER_KEYS, type DriverKey, type Drivers } from '../model/drivers.js';
import type { SimDrug } from '../model/drugs.js';
import type { PatientProfile } from '../model/patient.js';
import type { AlarmLabel, AlarmWindow } from './alarmLabels.js';

export const MIN = 60;
export const HOUR = 3600;

/** From atS, the listed drivers move linearly from their current values to these over rampS (0 = a step). */
export interface Keyframe {
  atS: number;
  rampS?: number;
  set: Partial<Drivers>;
}

/** From atS the drug runs at this dose (its unit: drugs.ts); 0 stops the pump (running: false). */
export interface DrugStep {
  atS: number;
  drug: SimDrug;
  dose: number;
}

interface TimelineEvent {
  type: EventType;
  atS: number;
  note?: string;
}

/** Artefacts of a sensor, as a monitor or console shows them. */
export type SensorFaultKind =
  | 'abp-flush' // arterial line flushed: pressure at the flush bag's ~300 mmHg
  | 'abp-damped' // air or clot in the line: pulse pressure collapses, mean kept
  | 'spo2-probe-off' // spo2 null, no pleth
  | 'ecg-leads-off' // hr null
  | 'cvp-off' // cvp transducer off: null
  | 'svo2-drift'; // inline venous saturation sensor reads 10 points high

export interface SensorFaultWindow {
  fromS: number;
  toS: number;
  kind: SensorFaultKind;
}

export interface ScheduledFault {
  atS: number;
  fault: FaultName;
  device: Device;
  /** For dropout, disconnect and clock-skew. */
  durationS?: number;
}

export interface Scenario {
  name: string;
  title: string;
  description: string;
  patient: PatientProfile;
  studyGroup?: StudyGroup;
  ecmoMode: EcmoMode | null;
  /** When the ECMO console is at the bedside and online (cannulation start); absent: no ECMO. */
  ecmoConsoleFromS?: number;
  /** A central venous line (cvp on the monitor, central-venous blood gases). */
  cvpLine: boolean;
  /** Lactate before T0, mmol/L (shock is recognised late). */
  initialLactate?: number;
  /** Where a run starts by default, in scenario seconds (a run may start mid-story). */
  demoStartS: number;
  /** Length of the story; afterwards the last state holds. */
  durationS: number;
  events: TimelineEvent[];
  physiology: Keyframe[];
  drugs: DrugStep[];
  sensorFaults?: SensorFaultWindow[];
  faults?: ScheduledFault[];
  /** Extra blood gases besides the routine ones and those after key events. */
  extraLabsAtS?: number[];
  /** Ground truth for alarm yield (alarmLabels.ts): the alarms a specialist wants, and when. */
  alarms?: AlarmLabel[];
  /** The stretch `npm run alarm-yield` runs by default; labels are complete in it. */
  alarmWindow?: AlarmWindow;
}

interface Segment {
  atS: number;
  rampS: number;
  from: number;
  to: number;
}

function valueOn(segments: readonly Segment[], fallback: number, tS: number): number {
  let current: Segment | undefined;
  for (const s of segments) {
    if (s.atS > tS) break;
    current = s;
  }
  if (!current) return fallback;
  if (current.rampS <= 0 || tS >= current.atS + current.rampS) return current.to;
  return current.from + ((current.to - current.from) * (tS - current.atS)) / current.rampS;
}

/** Drivers at any scenario time, from the keyframes (precomputed segments per driver). */
export class DriverTimeline {
  private readonly segments = new Map<DriverKey, Segment[]>();

  constructor(keyframes: readonly Keyframe[]) {
    const sorted = [...keyframes].sort((a, b) => a.atS - b.atS);
    for (const key of DRIVER_KEYS) {
      const list: Segment[] = [];
      for (const k of sorted) {
        const to = k.set[key];
        if (to === undefined) continue;
        const from = valueOn(list, DEFAULT_DRIVERS[key], k.atS);
        list.push({ atS: k.atS, rampS: k.rampS ?? 0, from, to });
      }
      this.segments.set(key, list);
    }
  }

  at(tS: number): Drivers {
    const drivers = { ...DEFAULT_DRIVERS };
    for (const key of DRIVER_KEYS) drivers[key] = valueOn(this.segments.get(key)!, DEFAULT_DRIVERS[key], tS);
    return drivers;
  }
}

/** Dose of each drug the scenario has started by tS (0 once stopped). */
export function dosesAt(steps: readonly DrugStep[], tS: number): Map<SimDrug, number> {
  const doses = new Map<SimDrug, number>();
  const since = new Map<SimDrug, number>();
  for (const s of steps) {
    if (s.atS > tS || (since.get(s.drug) ?? -Infinity) > s.atS) continue;
    doses.set(s.drug, s.dose);
    since.set(s.drug, s.atS);
  }
  return doses;
}

export function sensorFaultsAt(windows: readonly SensorFaultWindow[] | undefined, tS: number): Set<SensorFaultKind> {
  const active = new Set<SensorFaultKind>();
  for (const w of windows ?? []) if (tS >= w.fromS && tS < w.toS) active.add(w.kind);
  return active;
}

export function eventTime(s: Scenario, type: EventType): number | undefined {
  return s.events.find((e) => e.type === type)?.atS;
}

/** Repeats a cycle of items every periodS from firstS until untilS (sensor-fault and dropout scenarios). */
export function repeatEvery<T extends { atS?: number; fromS?: number; toS?: number }>(
  cycle: readonly T[],
  firstS: number,
  periodS: number,
  untilS: number,
): T[] {
  const out: T[] = [];
  for (let base = firstS; base < untilS; base += periodS) {
    for (const item of cycle) {
      const copy = { ...item };
      if (copy.atS !== undefined) copy.atS += base;
      if (copy.fromS !== undefined) copy.fromS += base;
      if (copy.toS !== undefined) copy.toS += base;
      out.push(copy);
    }
  }
  return out;
}
