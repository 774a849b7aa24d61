// What a trend draws besides its line: the bed's timeline events as labelled vertical lines and its
// alarms as bars along the bottom, coloured by priority, from raised to cleared (or now). Pure.
import type { Alarm, TimelineEvent } from '../../../shared/protocol.js';
import type { EventType } from '../../../shared/schemas.js';

/** Short labels that fit above a trend line. */
export const EVENT_SHORT: Readonly<Record<EventType, string>> = {
  shock_recognized: 'T0 shock',
  refractory_shock: 'Refractory',
  ecmo_consult: 'Consult',
  ecmo_decision: 'Decision',
  cannulation_start: 'Cannulation',
  ecmo_flow_start: 'ECMO flow',
  target_flow_reached: 'Target flow',
  wean_trial: 'Wean trial',
  decannulation: 'Decannulation',
  picu_discharge: 'PICU disch.',
  hospital_discharge: 'Discharge',
  death: 'Death',
  note: 'Note',
};

export interface EventMark {
  id: number;
  ts: number;
  label: string;
  /** A device-detected event not yet confirmed: drawn dotted, with a question mark. */
  candidate: boolean;
}

export interface AlarmMark {
  id: string;
  fromMs: number;
  toMs: number;
  priority: Alarm['priority'];
  message: string;
}

/** A note's label on a trend: its first words. */
const NOTE_CHARS = 24;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Events in [fromMs, toMs], dismissed ones left out, oldest first. */
export function eventMarks(events: Iterable<TimelineEvent>, fromMs: number, toMs: number): EventMark[] {
  const out: EventMark[] = [];
  for (const e of events) {
    if (e.status === 'dismissed' || e.ts < fromMs || e.ts > toMs) continue;
    const base = e.type === 'note' && e.note ? clip(e.note, NOTE_CHARS) : EVENT_SHORT[e.type];
    out.push({ id: e.id, ts: e.ts, label: e.status === 'candidate' ? `${base}?` : base, candidate: e.status === 'candidate' });
  }
  return out.sort((a, b) => a.ts - b.ts || a.id - b.id);
}

/** Alarms whose life overlaps [fromMs, toMs]; one still on runs to nowMs. */
export function alarmMarks(alarms: Iterable<Alarm>, fromMs: number, toMs: number, nowMs: number): AlarmMark[] {
  const out: AlarmMark[] = [];
  for (const a of alarms) {
    const end = a.state === 'cleared' && typeof a.clearedAt === 'number' ? a.clearedAt : nowMs;
    if (a.raisedAt > toMs || end < fromMs) continue;
    out.push({ id: a.id, fromMs: a.raisedAt, toMs: end, priority: a.priority, message: a.message });
  }
  return out.sort((a, b) => a.fromMs - b.fromMs);
}

/** The newest version of each alarm and event by id (a live change replaces what was read). */
export function mergeById<T extends { id: string | number }>(
  into: Map<T['id'], T>,
  items: Iterable<T>,
  newer: (a: T, b: T) => boolean,
): void {
  for (const it of items) {
    const had = into.get(it.id);
    if (!had || newer(it, had)) into.set(it.id, it);
  }
}

/** An alarm's newest version: the later of its last change times. */
export function alarmNewer(a: Alarm, b: Alarm): boolean {
  const at = (x: Alarm) => Math.max(x.raisedAt, x.clearedAt ?? 0, x.ackedAt ?? 0);
  return at(a) >= at(b);
}

export function eventNewer(a: TimelineEvent, b: TimelineEvent): boolean {
  return (a.reviewedAt ?? 0) >= (b.reviewedAt ?? 0);
}

/** What the crosshair reads at time tMs: the alarms on and the events within `toleranceMs`. */
export function marksAt(events: readonly EventMark[], alarms: readonly AlarmMark[], tMs: number, toleranceMs: number): string[] {
  const out: string[] = [];
  for (const e of events) if (Math.abs(e.ts - tMs) <= toleranceMs) out.push(e.label);
  for (const a of alarms) if (a.fromMs <= tMs && tMs <= a.toMs) out.push(`⚠ ${a.message}`);
  return out;
}
