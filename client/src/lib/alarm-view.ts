// How alarms are ranked, ordered and written on screen (docs/clinical.md section 4, IEC 60601-1-8
// priorities). Pure: the store and the components call these, the unit tests pin them down.
import { alarmDef } from '../../../shared/alarms.js';
import { DERIVED, paramOfSignal, type DerivedDef } from '../../../shared/catalogue.js';
import { formatHonest } from '../../../shared/format.js';
import type { Alarm, AlarmPriority } from '../../../shared/protocol.js';

/** What a bed (or the screen) shows: its highest alarm's priority, or none. */
export type AlarmLevel = AlarmPriority | 'none';

const RANK: Record<AlarmLevel, number> = { none: 0, low: 1, medium: 2, high: 3 };

/** On screen until it is over: active, or cleared but latched until acknowledged (section 4). */
export function isShown(a: Alarm): boolean {
  return a.state === 'active' || a.latched;
}

/** Newest first (the contract's order), ties by id so the order never flickers. */
export function newestFirst(a: Alarm, b: Alarm): number {
  return b.raisedAt - a.raisedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The alarm a bed shows first: highest priority, then active before latched, then newest. */
export function topAlarm(alarms: readonly Alarm[]): Alarm | undefined {
  let top: Alarm | undefined;
  for (const a of alarms) {
    if (!isShown(a)) continue;
    if (!top) top = a;
    else {
      const byRank = RANK[a.priority] - RANK[top.priority];
      const byState = Number(a.state === 'active') - Number(top.state === 'active');
      if (byRank > 0 || (byRank === 0 && (byState > 0 || (byState === 0 && newestFirst(a, top) < 0)))) top = a;
    }
  }
  return top;
}

export function levelOf(alarms: readonly Alarm[]): AlarmLevel {
  return topAlarm(alarms)?.priority ?? 'none';
}

/** The higher of two levels. */
export function higher(a: AlarmLevel, b: AlarmLevel): AlarmLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Sounding (section 4, IEC 60601-1-8): active and not yet acknowledged; latched ones are seen, not heard. */
export function sounds(a: Alarm): boolean {
  return a.state === 'active' && a.ackedAt == null;
}

const byBedId = new Intl.Collator('en', { numeric: true });

/** Bed ids in reading order, numeric-aware: bed2 before bed10. */
export function compareBedIds(a: string, b: string): number {
  return byBedId.compare(a, b);
}

/**
 * Overview order: beds alarming high, then medium, then low, then the rest, each group by bed id
 * (numeric-aware: bed2 before bed10). It reads only priorities and ids, so values never reorder it.
 */
export function compareBeds(a: { bedId: string; level: AlarmLevel }, b: { bedId: string; level: AlarmLevel }): number {
  return RANK[b.level] - RANK[a.level] || compareBedIds(a.bedId, b.bedId);
}

/** "brokerDisconnected" → "Broker disconnected": a title for an alarm the catalogue does not list. */
function humanise(key: string): string {
  const words = key
    .replace(/[._]/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function alarmTitle(a: Alarm): string {
  return alarmDef(a.key)?.title ?? humanise(a.key);
}

interface Measure {
  unit: string;
  precision: number;
}

/** A signal's or derived key's unit and precision from the catalogue; `lab.*.lactate` reads as lactate. */
function measureOf(key: string): Measure | undefined {
  const p = paramOfSignal(key);
  if (p) return { unit: p.unit, precision: p.precision };
  const d = (DERIVED as Record<string, DerivedDef>)[key];
  return d && { unit: d.unit, precision: d.precision };
}

/** Units that are words, not units: a ratio or a score needs none after its number. */
const UNITLESS = new Set(['ratio', 'points', '']);

/**
 * The unit of an alarm's value and limit. An alarm reads one quantity (drainage: pVen) or
 * alternatives in one unit (venous saturation: SvO2 or a lab SO2); then that unit. Where it reads
 * quantities in different units (pump stopped: flow or speed), the value is in whichever unit its
 * message names; if the message names none of them the number goes without a unit rather than
 * with a wrong one.
 */
function measureOfAlarm(a: Alarm): Measure | undefined {
  const reads = alarmDef(a.key)?.reads ?? [];
  const measures = reads.map(measureOf).filter((m): m is Measure => m !== undefined);
  if (!measures.length) return undefined;
  if (measures.every((m) => m.unit === measures[0].unit)) return measures[0];
  return measures.find((m) => !UNITLESS.has(m.unit) && a.message.includes(` ${m.unit}`));
}

/**
 * "−150 mmHg, limit −100 mmHg"; empty when the alarm carries neither (a device offline). The value
 * is never rounded onto or across its limit (shared/format.ts): DO2/VO2 2.979 against 3 reads "2.98".
 */
export function valueAndLimit(a: Alarm): string {
  const m = measureOfAlarm(a);
  const unit = m && !UNITLESS.has(m.unit) ? ` ${m.unit}` : '';
  const limits = a.limit != null ? [a.limit] : [];
  const fmt = (v: number) => formatHonest(v, m?.precision ?? (Number.isInteger(v) ? 0 : 1), limits).replace('-', '−') + unit;
  const parts: string[] = [];
  if (a.value != null) parts.push(fmt(a.value));
  if (a.limit != null) parts.push(`limit ${fmt(a.limit)}`);
  return parts.join(', ');
}
