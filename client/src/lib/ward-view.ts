// Which beds the overview shows, and in which order. A central station may show one unit of a larger
// ward (a bed id prefix) and may be read by bed number instead of by alarm; the default stays
// alarm-first. Pure: the overview and the unit tests call it.
import type { BedSummary, OverviewChanges } from '../../../shared/protocol.js';
import { compareBedIds, compareBeds, type AlarmLevel } from './alarm-view.js';

const WARD_ORDERS = ['severity', 'bed'] as const;
/** `severity`: beds alarming high, then medium, then low, then the rest, each by bed id; `bed`: by bed id only. */
export type WardOrder = (typeof WARD_ORDERS)[number];

export function isWardOrder(x: unknown): x is WardOrder {
  return (WARD_ORDERS as readonly unknown[]).includes(x);
}

/** "picu, nicu-1" → ["picu", "nicu-1"]: prefixes separated by commas or spaces, case-insensitive. */
export function filterPrefixes(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[\s,;]+/)
    .filter(Boolean);
}

/** A bed passes when no prefix is given or its id starts with one of them. */
export function matchesFilter(bedId: string, prefixes: readonly string[]): boolean {
  if (!prefixes.length) return true;
  const id = bedId.toLowerCase();
  return prefixes.some((p) => id.startsWith(p));
}

interface Ranked {
  bedId: string;
  level: AlarmLevel;
}

/**
 * The beds to show, in order, and the ones the filter hides (in the same order): a hidden bed that
 * alarms is still named on screen, so a filter never hides an alarm without saying so.
 */
export function arrangeBeds<T extends Ranked>(beds: readonly T[], order: WardOrder, filterText: string): { shown: T[]; hidden: T[] } {
  const prefixes = filterPrefixes(filterText);
  const sorted = [...beds].sort(order === 'bed' ? (a, b) => compareBedIds(a.bedId, b.bedId) : compareBeds);
  const shown: T[] = [];
  const hidden: T[] = [];
  for (const b of sorted) (matchesFilter(b.bedId, prefixes) ? shown : hidden).push(b);
  return { shown, hidden };
}

/** The overview list with changes applied: changed beds in place, new ones at the end, gone ones out. */
export function applyOverviewChanges(list: readonly BedSummary[], c: OverviewChanges): BedSummary[] {
  const gone = new Set(c.remove);
  const changed = new Map(c.upsert.map((s) => [s.bedId, s]));
  const out: BedSummary[] = [];
  for (const s of list) {
    if (gone.has(s.bedId)) continue;
    const next = changed.get(s.bedId);
    out.push(next ?? s);
    changed.delete(s.bedId);
  }
  for (const s of changed.values()) out.push(s);
  return out;
}
