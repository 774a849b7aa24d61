// The study timeline (docs/clinical.md section 5): which events bound which interval, and the
// intervals of one bed from its confirmed events. Pure.
import type { EventType } from './schemas.js';

/** Markers recorded with each event: the patient at that moment (section 5). */
export const EVENT_MARKERS = ['map', 'lactate', 'vis', 'phoenixCv', 'flow', 'do2i', 'svo2'] as const;
export type EventMarker = (typeof EVENT_MARKERS)[number];

export type EventStatus = 'confirmed' | 'candidate' | 'dismissed';

interface StudyIntervalDef {
  key: string;
  label: string;
  from: EventType;
  to: EventType;
}

/** The study's intervals, in the order the protocol reports them (section 5). */
const STUDY_INTERVALS: readonly StudyIntervalDef[] = [
  { key: 'shockToRefractory', label: 'T0 → refractory shock', from: 'shock_recognized', to: 'refractory_shock' },
  { key: 'refractoryToDecision', label: 'refractory shock → ECMO decision', from: 'refractory_shock', to: 'ecmo_decision' },
  { key: 'decisionToCannulation', label: 'ECMO decision → cannulation start', from: 'ecmo_decision', to: 'cannulation_start' },
  { key: 'cannulationToFlow', label: 'cannulation start → flow start', from: 'cannulation_start', to: 'ecmo_flow_start' },
  { key: 'timeToEcmo', label: 'T0 → flow start (time to ECMO)', from: 'shock_recognized', to: 'ecmo_flow_start' },
  { key: 'ecmoDuration', label: 'flow start → decannulation (ECMO duration)', from: 'ecmo_flow_start', to: 'decannulation' },
];

export interface StudyInterval {
  key: string;
  label: string;
  from: EventType;
  to: EventType;
  fromTs: number | null;
  toTs: number | null;
  /** Minutes between the two confirmed events; null when either is missing. */
  minutes: number | null;
  /** The ECMO duration is reported in hours as well (section 5). */
  hours?: number | null;
  /** The event types this interval still lacks. */
  missing: EventType[];
}

interface TimedEvent {
  type: EventType;
  ts: number;
  status: EventStatus;
}

const MS_PER_MIN = 60_000;

/**
 * The bed's study intervals from its confirmed events. Each bound is the earliest confirmed event
 * of its type (a device-detected candidate counts once a researcher confirms it); an end before its
 * start is reported as it is (negative), since moving an event is the researcher's call.
 */
export function studyIntervals(events: readonly TimedEvent[]): StudyInterval[] {
  const first = new Map<EventType, number>();
  for (const e of events) {
    if (e.status !== 'confirmed') continue;
    const seen = first.get(e.type);
    if (seen === undefined || e.ts < seen) first.set(e.type, e.ts);
  }
  return STUDY_INTERVALS.map((d) => {
    const fromTs = first.get(d.from) ?? null;
    const toTs = first.get(d.to) ?? null;
    const missing = [...(fromTs === null ? [d.from] : []), ...(toTs === null ? [d.to] : [])];
    const minutes = fromTs !== null && toTs !== null ? (toTs - fromTs) / MS_PER_MIN : null;
    const out: StudyInterval = { key: d.key, label: d.label, from: d.from, to: d.to, fromTs, toTs, minutes, missing };
    if (d.key === 'ecmoDuration') out.hours = minutes === null ? null : minutes / 60;
    return out;
  });
}

/** T0 of a bed: its earliest confirmed `shock_recognized`, or null. */
export function t0Of(events: readonly TimedEvent[]): number | null {
  let t0: number | null = null;
  for (const e of events) if (e.status === 'confirmed' && e.type === 'shock_recognized' && (t0 === null || e.ts < t0)) t0 = e.ts;
  return t0;
}
