// Matching the alarms a server raised to a scenario's ground-truth labels (simulators/scenarios/
// alarmLabels.ts). Pure: labels, alarms (times already in scenario seconds) and the stretch that was
// run in; counts out.
//
// - A required label is evaluated when its detection window [fromS, fromS + maxDelayS] lies inside the
//   run (a condition already present when the run starts counts from the run's start). It is detected
//   by an alarm of its key raised in [earliestS, fromS + maxDelayS], or by one raised before that and
//   still active at earliestS (the condition carried on). The delay is raisedAt − fromS (negative:
//   raised before the median of the value crossed the limit).
// - An alarm raised inside the run is actionable when a required label of its key covers its raise
//   time ([earliestS, toS + maxDelayS]), acceptable when only an acceptable label does, and
//   non-actionable otherwise. Alarms raised outside the run are ignored.

export type Expectation = 'required' | 'acceptable';

export interface Label {
  key: string;
  expect: Expectation;
  fromS: number;
  toS?: number;
  earliestS?: number;
  maxDelayS: number;
  note?: string;
}

export interface RaisedAlarm {
  id: string;
  key: string;
  /** Scenario time of raisedAt, s. */
  raisedS: number;
  /** Scenario time of clearedAt, s; null or absent while active. */
  clearedS?: number | null;
  priority?: string;
}

export interface Span {
  fromS: number;
  toS: number;
}

export interface LabelOutcome {
  label: Label;
  detected: boolean;
  /** raisedAt − fromS of the alarm that detected it (0 for one carried over); null when missed. */
  delayS: number | null;
  alarmId?: string;
  /** Detected by an alarm raised earlier and still active. */
  carried?: boolean;
}

export interface MatchResult {
  /** Required labels evaluated in this run. */
  expected: number;
  detected: number;
  outcomes: LabelOutcome[];
  /** Labels not evaluated: their detection window is not inside the run, or they are acceptable only. */
  skipped: Label[];
  actionable: RaisedAlarm[];
  acceptable: RaisedAlarm[];
  nonActionable: RaisedAlarm[];
  /** Raised outside the run (before its start, or after its end: devices leaving at the end). */
  outside: RaisedAlarm[];
}

const EPS_S = 1e-6;

function covers(l: Label, a: RaisedAlarm): boolean {
  const from = l.earliestS ?? l.fromS;
  const to = (l.toS ?? Infinity) + l.maxDelayS;
  return a.key === l.key && a.raisedS >= from - EPS_S && a.raisedS <= to + EPS_S;
}

export function matchAlarms(labels: readonly Label[], alarms: readonly RaisedAlarm[], run: Span): MatchResult {
  const byRaise = [...alarms].sort((a, b) => a.raisedS - b.raisedS);
  const outcomes: LabelOutcome[] = [];
  const skipped: Label[] = [];

  for (const label of labels) {
    if (label.expect !== 'required') {
      skipped.push(label);
      continue;
    }
    const fromS = Math.max(label.fromS, run.fromS);
    const earliestS = Math.max(Math.min(label.earliestS ?? label.fromS, fromS), run.fromS);
    const deadlineS = fromS + label.maxDelayS;
    const over = label.toS !== undefined && label.toS <= run.fromS;
    if (over || deadlineS > run.toS + EPS_S) {
      skipped.push(label);
      continue;
    }
    const same = byRaise.filter((a) => a.key === label.key);
    const hit = same.find((a) => a.raisedS >= earliestS - EPS_S && a.raisedS <= deadlineS + EPS_S);
    if (hit) {
      outcomes.push({ label, detected: true, delayS: round1(hit.raisedS - fromS), alarmId: hit.id });
      continue;
    }
    const carried = same.find((a) => a.raisedS < earliestS && (a.clearedS === null || a.clearedS === undefined || a.clearedS >= earliestS));
    if (carried) outcomes.push({ label, detected: true, delayS: 0, alarmId: carried.id, carried: true });
    else outcomes.push({ label, detected: false, delayS: null });
  }

  const actionable: RaisedAlarm[] = [];
  const acceptable: RaisedAlarm[] = [];
  const nonActionable: RaisedAlarm[] = [];
  const outside: RaisedAlarm[] = [];
  for (const a of byRaise) {
    if (a.raisedS < run.fromS - EPS_S || a.raisedS > run.toS + EPS_S) outside.push(a);
    else if (labels.some((l) => l.expect === 'required' && covers(l, a))) actionable.push(a);
    else if (labels.some((l) => covers(l, a))) acceptable.push(a);
    else nonActionable.push(a);
  }

  return {
    expected: outcomes.length,
    detected: outcomes.filter((o) => o.detected).length,
    outcomes,
    skipped,
    actionable,
    acceptable,
    nonActionable,
    outside,
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** An alarm as GET /api/alarms answers it; raisedAt and clearedAt as epoch ms or ISO-8601. */
export interface ApiAlarm {
  id?: string;
  key?: string;
  priority?: string;
  raisedAt?: number | string;
  clearedAt?: number | string | null;
}

function msOf(t: number | string | null | undefined): number | null {
  if (t === null || t === undefined) return null;
  if (typeof t === 'number') return Number.isFinite(t) ? t : null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Alarms of the API in scenario time: sceneS = offsetS + (t − startMs) / 1000. Rows without a key or
 * a raise time are dropped; duplicates by id (several queries) are kept once.
 */
export function toScenarioTime(rows: readonly ApiAlarm[], startMs: number, offsetS: number): RaisedAlarm[] {
  const seen = new Set<string>();
  const out: RaisedAlarm[] = [];
  const scene = (ms: number) => offsetS + (ms - startMs) / 1000;
  for (const r of rows) {
    const raised = msOf(r.raisedAt);
    if (!r.key || raised === null) continue;
    const id = r.id ?? `${r.key}:${raised}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const cleared = msOf(r.clearedAt);
    out.push({ id, key: r.key, raisedS: scene(raised), clearedS: cleared === null ? null : scene(cleared), priority: r.priority });
  }
  return out;
}
