// The study clock of an overview tile (docs/clinical.md section 5): how long since T0 (the earliest
// confirmed `shock_recognized`), and the time to ECMO (T0 → the earliest confirmed `ecmo_flow_start`),
// or, while there is none, that refractory shock is still without ECMO and for how long. Durations
// in hours and minutes, times on a 24-hour clock. Pure: given the bed's events and now, the texts.
import type { TimelineEvent } from '../../../shared/protocol.js';
import { t0Of } from '../../../shared/timeline.js';
import { dateTime24 } from './clock.js';

const MS_PER_MIN = 60_000;
const MIN_PER_H = 60;

/**
 * A duration in whole hours and minutes, cut (never rounded up) to the minute as a clock counts:
 * "12 min", "5 h 12 min", "5 h 0 min", "30 h 5 min"; a negative one with a minus sign, "−15 min".
 */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / MS_PER_MIN);
  const sign = ms < 0 && minutes > 0 ? '−' : '';
  const h = Math.floor(minutes / MIN_PER_H);
  const m = minutes % MIN_PER_H;
  return h ? `${sign}${h} h ${m} min` : `${sign}${m} min`;
}

export interface StudyClock {
  /** T0, epoch ms; null without a confirmed `shock_recognized`. */
  t0: number | null;
  /** The earliest confirmed flow start, epoch ms; null while there is none. */
  flowStart: number | null;
  /** "T0 +5 h 12 min" (running), "T0 in 4 min" for a T0 entered ahead of now, or "no T0". */
  sinceT0: string;
  /** "to ECMO 3 h 40 min" (fixed), "no ECMO yet" (running), or null without T0. */
  ecmo: string | null;
  /** The time to ECMO is still counting: T0 without a confirmed flow start. */
  running: boolean;
  /** The whole clock in words with its times, for a tooltip and a screen reader. */
  title: string;
}

/** Earliest confirmed event of a type, or null. */
function firstConfirmed(events: readonly TimelineEvent[], type: TimelineEvent['type']): number | null {
  let ts: number | null = null;
  for (const e of events) if (e.status === 'confirmed' && e.type === type && (ts === null || e.ts < ts)) ts = e.ts;
  return ts;
}

/** The study clock of a bed from its timeline at `nowMs`. */
export function studyClock(events: readonly TimelineEvent[], nowMs: number): StudyClock {
  const t0 = t0Of(events);
  if (t0 === null) {
    return { t0, flowStart: null, sinceT0: 'no T0', ecmo: null, running: false, title: 'No T0: shock recognition not entered yet' };
  }
  const sinceT0 = nowMs >= t0 ? `T0 +${formatDuration(nowMs - t0)}` : `T0 in ${formatDuration(t0 - nowMs)}`;
  const t0Words = `T0 (shock recognised) ${dateTime24(t0, nowMs)}, ${nowMs >= t0 ? `${formatDuration(nowMs - t0)} ago` : `in ${formatDuration(t0 - nowMs)}`}`;
  const flowStart = firstConfirmed(events, 'ecmo_flow_start');
  if (flowStart !== null) {
    const toEcmo = formatDuration(flowStart - t0);
    return {
      t0,
      flowStart,
      sinceT0,
      ecmo: `to ECMO ${toEcmo}`,
      running: false,
      title: `${t0Words}; ECMO flow started ${dateTime24(flowStart, nowMs)}: time to ECMO ${toEcmo}`,
    };
  }
  const candidate = events.some((e) => e.type === 'ecmo_flow_start' && e.status === 'candidate');
  return {
    t0,
    flowStart: null,
    sinceT0,
    ecmo: 'no ECMO yet',
    running: true,
    title: `${t0Words}; no ECMO yet, ${sinceT0} and counting${candidate ? ' (a flow start detected in device data awaits confirmation)' : ''}`,
  };
}

/**
 * The list with `e` in place of its earlier version (or added), oldest first. The newer of two
 * versions wins: a late answer never undoes a later review.
 */
export function withEvent(list: readonly TimelineEvent[], e: TimelineEvent): readonly TimelineEvent[] {
  const had = list.find((x) => x.id === e.id);
  if (had && (had.reviewedAt ?? 0) > (e.reviewedAt ?? 0)) return list;
  return [...list.filter((x) => x.id !== e.id), e].sort((a, b) => a.ts - b.ts || a.id - b.id);
}
