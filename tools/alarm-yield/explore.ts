// Development aid for the labels, without a server: runs the pure Simulation of a scenario and reads
// its messages with the reference conditions (reference.ts).
//
//   tsx tools/alarm-yield/explore.ts <scenario> [fromS] [toS] [seeds] [gapS]
//
// prints, per seed, where each raw condition holds in scenario time: first and last second, the
// longest unbroken stretch, when its rolling 30 s median crossed the limit, and when a literal engine
// (condition held without a break for the catalogue's onset delay) would raise it.
// A run that starts at another scenario time draws other noise (the physiology before the start is
// fast-forwarded): compare with alarm-yield runs from the same start (the scenario's alarmWindow).
import { alarmDef } from '../../shared/alarms.js';
import { SCENARIOS } from '../../simulators/scenarios/index.js';
import { Simulation } from '../../simulators/simulation.js';
import type { RaisedAlarm } from './match.js';
import { ReferenceConditions, type Conditions } from './reference.js';
import { bedIdOf } from './runs.js';

const MEDIAN_WINDOW_S = 30;
/** Clearing needs the condition gone this long (docs/clinical.md section 4; no hysteresis margin here). */
const CLEAR_HOLD_S = 5;

export function onsetDelayS(key: string): number {
  return alarmDef(key)?.delayS ?? 0;
}

/** Steps the pure Simulation second by second from fromS (its run start) to toS, handing each second's conditions. */
export function simulateConditions(
  scenarioName: string,
  seed: number,
  fromS: number,
  toS: number,
  onSecond: (sceneS: number, c: Conditions) => void,
): void {
  const scenario = SCENARIOS[scenarioName];
  if (!scenario) throw new Error(`unknown scenario ${scenarioName}`);
  const startMs = 1_700_000_000_000;
  const sim = new Simulation({ beds: [{ bedId: bedIdOf(scenarioName, seed), scenario, offsetS: fromS }], seed, startMs, waveforms: false });
  const ref = new ReferenceConditions(sim.beds[0].patient);
  for (let t = 0; fromS + t < toS; t++) {
    const sceneS = fromS + t;
    for (const o of sim.advanceTo(t * 1000)) ref.observe(o);
    const ecmo = scenario.ecmoMode !== null && scenario.ecmoConsoleFromS !== undefined && sceneS >= scenario.ecmoConsoleFromS;
    onSecond(sceneS, ref.evaluate(startMs + t * 1000, ecmo));
  }
}

export interface Interval {
  key: string;
  priority: string;
  fromS: number;
  toS: number;
  /** Longest stretch without a gap. */
  longestS: number;
  /** First time the condition had held without a break for its onset delay (a literal engine raises then); null: never. */
  raiseS: number | null;
  /** First time the condition held in at least half of the trailing 30 s (its rolling median crossed the limit). */
  medianS: number | null;
}

/** Where each condition (key and priority) holds; stretches closer than gapS are one interval. */
export function conditionIntervals(scenarioName: string, seed: number, fromS: number, toS: number, gapS = 20): Interval[] {
  type Open = Interval & { lastS: number; runFromS: number; recent: number[] };
  const open = new Map<string, Open>();
  const done: Interval[] = [];
  const close = (id: string) => {
    const i = open.get(id)!;
    open.delete(id);
    done.push({
      key: i.key,
      priority: i.priority,
      fromS: i.fromS,
      toS: i.lastS,
      longestS: i.longestS,
      raiseS: i.raiseS,
      medianS: i.medianS,
    });
  };
  simulateConditions(scenarioName, seed, fromS, toS, (sceneS, c) => {
    for (const [key, priority] of Object.entries(c)) {
      const id = `${key}/${priority}`;
      let i = open.get(id);
      if (i && sceneS - i.lastS <= gapS) {
        if (sceneS - i.lastS > 1) i.runFromS = sceneS;
        i.lastS = sceneS;
        i.longestS = Math.max(i.longestS, sceneS - i.runFromS + 1);
      } else {
        if (i) close(id);
        i = {
          key,
          priority: priority!,
          fromS: sceneS,
          toS: sceneS,
          lastS: sceneS,
          runFromS: sceneS,
          longestS: 1,
          raiseS: null,
          medianS: null,
          recent: [],
        };
        open.set(id, i);
      }
      if (i.raiseS === null && sceneS - i.runFromS >= onsetDelayS(key)) i.raiseS = sceneS;
      i.recent = i.recent.filter((x) => x > sceneS - MEDIAN_WINDOW_S);
      i.recent.push(sceneS);
      if (i.medianS === null && i.recent.length * 2 >= MEDIAN_WINDOW_S) i.medianS = sceneS;
    }
    for (const [id, i] of open) if (sceneS - i.lastS > gapS) close(id);
  });
  for (const id of [...open.keys()]) close(id);
  return done.sort((a, b) => a.fromS - b.fromS);
}

/**
 * The alarms a literal engine would raise on these values: raised once the condition (any priority)
 * has held without a break for the onset delay, cleared once it has been gone for 5 s. No hysteresis
 * margin, no stale inputs, no technical alarms: a prediction to check labels against, not the engine.
 */
export function referenceAlarms(scenarioName: string, seed: number, fromS: number, toS: number): RaisedAlarm[] {
  const state = new Map<string, { since: number | null; alarm: RaisedAlarm | null; falseSince: number | null }>();
  const alarms: RaisedAlarm[] = [];
  simulateConditions(scenarioName, seed, fromS, toS, (sceneS, c) => {
    const keys = new Set([...state.keys(), ...Object.keys(c)]);
    for (const key of keys) {
      const s = state.get(key) ?? { since: null, alarm: null, falseSince: null };
      state.set(key, s);
      if (c[key]) {
        s.falseSince = null;
        s.since ??= sceneS;
        if (!s.alarm && sceneS - s.since >= onsetDelayS(key)) {
          s.alarm = { id: `${key}:${sceneS}`, key, raisedS: sceneS, clearedS: null, priority: c[key] };
          alarms.push(s.alarm);
        }
      } else {
        s.since = null;
        s.falseSince ??= sceneS;
        if (s.alarm && sceneS - s.falseSince >= CLEAR_HOLD_S) {
          s.alarm.clearedS = sceneS;
          s.alarm = null;
        }
      }
    }
  });
  return alarms;
}

export function hms(s: number): string {
  const sign = s < 0 ? '-' : '';
  const a = Math.abs(Math.round(s));
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const sec = a % 60;
  return `${sign}${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

if (process.argv[1]?.endsWith('explore.ts')) {
  const [name, from, to, seeds, gap] = process.argv.slice(2);
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`usage: explore.ts <scenario> [fromS] [toS] [seeds 1,2,3] [gapS]`);
  const fromS = from ? Number(from) : (scenario.alarmWindow?.fromS ?? scenario.demoStartS);
  const toS = to ? Number(to) : (scenario.alarmWindow?.toS ?? scenario.durationS);
  for (const seed of (seeds ?? '1,2,3').split(',').map(Number)) {
    console.log(`# ${name} seed ${seed} ${hms(fromS)}–${hms(toS)}`);
    for (const i of conditionIntervals(name, seed, fromS, toS, gap ? Number(gap) : 20)) {
      const raise = i.raiseS === null ? '-' : `${hms(i.raiseS)} (+${i.raiseS - i.fromS})`;
      console.log(
        `${i.key.padEnd(24)} ${i.priority.padEnd(6)} ${hms(i.fromS)} – ${hms(i.toS)} (${i.fromS}–${i.toS}) longest ${i.longestS}s median ${i.medianS === null ? '-' : hms(i.medianS)} raise ${raise}`,
      );
    }
  }
}
