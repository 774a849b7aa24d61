// How the study timeline reads on screen (docs/clinical.md section 5): event types in words, the
// one-click study events, times as a 24-hour clock with an ISO date, interval minutes, markers with
// their units and ages, and the oxygen-debt burden. Pure: no state, no I/O.
import { DERIVED, PARAMS, formatValue } from '../../../shared/catalogue.js';
import type { EventMarkerValue } from '../../../shared/protocol.js';
import type { EventType } from '../../../shared/schemas.js';
import type { EventMarker } from '../../../shared/timeline.js';
import { clock24 } from './clock.js';
import { formatAge } from './freshness.js';

/** Each event type in words. */
export const EVENT_LABELS: Readonly<Record<EventType, string>> = {
  shock_recognized: 'Shock recognised (T0)',
  refractory_shock: 'Refractory shock',
  ecmo_consult: 'ECMO consultation',
  ecmo_decision: 'ECMO decision',
  cannulation_start: 'Cannulation started',
  ecmo_flow_start: 'ECMO flow started',
  target_flow_reached: 'Target flow reached',
  wean_trial: 'Weaning trial',
  decannulation: 'Decannulation',
  picu_discharge: 'PICU discharge',
  hospital_discharge: 'Hospital discharge',
  death: 'Death',
  note: 'Note',
};

/** The study's events, each one click at the bedside, in the order they happen. */
export const STUDY_BUTTONS: readonly { type: EventType; text: string }[] = [
  { type: 'shock_recognized', text: 'Shock recognised now' },
  { type: 'refractory_shock', text: 'Refractory now' },
  { type: 'ecmo_decision', text: 'ECMO decision now' },
  { type: 'cannulation_start', text: 'Cannulation started now' },
  { type: 'ecmo_flow_start', text: 'Flow started now' },
  { type: 'decannulation', text: 'Decannulation now' },
];

/** Every other event type, offered in a select. */
export const OTHER_EVENT_TYPES: readonly EventType[] = (Object.keys(EVENT_LABELS) as EventType[]).filter(
  (t) => !STUDY_BUTTONS.some((b) => b.type === t),
);

/** Short marker names, in the order of EVENT_MARKERS. */
export const MARKER_LABELS: Readonly<Record<EventMarker, string>> = {
  map: 'MAP',
  lactate: 'Lactate',
  vis: 'VIS',
  phoenixCv: 'Phoenix',
  flow: 'Flow',
  do2i: 'DO2i',
  svo2: 'SvO2',
};

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The calendar date in the browser's time zone, ISO order: "2030-01-02". */
export function isoDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** "07:05 2030-01-02": how an event's time reads in the timeline. */
export function timeAndDate(ms: number): string {
  return `${clock24(ms)} ${isoDate(ms)}`;
}

/** The value of an `<input type="datetime-local" step="1">` for a time: "2030-01-02T07:05:09". */
export function toDatetimeLocal(ms: number): string {
  return `${isoDate(ms)}T${clock24(ms, true)}`;
}

/** Epoch ms of a datetime-local value (local time), or null for an empty or unreadable one. */
export function fromDatetimeLocal(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** Minutes with at most one decimal, "95", "171.5", "-3"; "< 0.1" for a few seconds (never "0"); a dash for none. */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  const rounded = Math.round(minutes * 10) / 10;
  if (rounded === 0 && minutes > 0) return '< 0.1';
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** An interval's length: "95 min", the ECMO duration also "(20.5 h)"; a dash when an end is missing. */
export function intervalText(i: { minutes: number | null; hours?: number | null }): string {
  if (i.minutes === null) return '—';
  const hours = i.hours === undefined || i.hours === null ? '' : ` (${formatValue(i.hours, 1)} h)`;
  return `${formatMinutes(i.minutes)} min${hours}`;
}

/** "missing: refractory shock, ECMO decision": the events an interval still lacks, in words. */
export function missingText(missing: readonly EventType[]): string {
  return missing.length ? `missing: ${missing.map((t) => EVENT_LABELS[t]).join(', ')}` : '';
}

/** An event's time from T0, "T0 + 95 min" ("T0" for T0 itself); empty without a T0. */
export function fromT0(ts: number, t0: number | null): string {
  if (t0 === null) return '';
  const minutes = (ts - t0) / 60_000;
  if (minutes === 0) return 'T0';
  return `T0 ${minutes < 0 ? '−' : '+'} ${formatMinutes(Math.abs(minutes))} min`;
}

type CatalogueRow = { precision: number; unit: string };
const catalogueRow = (marker: EventMarker): CatalogueRow | undefined =>
  (PARAMS as Record<string, CatalogueRow>)[marker] ?? (DERIVED as Record<string, CatalogueRow>)[marker];

/** A marker's unit as the catalogue gives it, for the column head. */
export function markerUnit(marker: EventMarker): string {
  return catalogueRow(marker)?.unit ?? '';
}

/**
 * One marker as it reads in a timeline cell: the number (its unit is the column's, and is added
 * where the server sent another), "age 20 min", and the whole in words for a tooltip; a dash for none.
 */
export function markerText(marker: EventMarker, m: EventMarkerValue | null | undefined): { value: string; age: string; title: string } {
  if (!m) return { value: '—', age: '', title: `${MARKER_LABELS[marker]}: no value at that moment` };
  const number = formatValue(m.value, catalogueRow(marker)?.precision ?? 1);
  const value = m.unit === markerUnit(marker) ? number : `${number} ${m.unit}`;
  const age = m.ageS === null ? 'age unknown' : `age ${formatAge(m.ageS)}`;
  return { value, age, title: `${MARKER_LABELS[marker]} ${number} ${m.unit}, ${age} at the event (${m.quality})` };
}

/** Minutes at each Phoenix cardiovascular score, lowest score first. */
export function phoenixRows(byValue: Readonly<Record<string, number>>): { score: string; minutes: string }[] {
  return Object.keys(byValue)
    .sort((a, b) => Number(a) - Number(b))
    .map((score) => ({ score, minutes: formatMinutes(byValue[score]) }));
}

/** An export's progress: "3.4 kB", "12.0 MB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}
