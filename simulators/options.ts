// Options of a simulator run, checked once and defaulted here (shared by the CLI and the
// in-process API). Bad options fail with SimOptionsError and a message that names the option.
import { ID_PATTERN } from '../shared/schemas.js';
import { FAULT_NAMES, isFaultName, type FaultName } from './faultNames.js';
import { MIXED, SCENARIOS, SCENARIO_NAMES } from './scenarios/index.js';

export const MAX_SPEED = 100;
const DEFAULT_PROGRESS_INTERVAL_MS = 5000;
export type ConnectionMode = 'per-device' | 'shared';

export interface SimProgress {
  beds: number;
  messages: number;
  simulatedS: number;
  speed: number;
  /** Wall-clock seconds since start. */
  wallS: number;
}

export interface SimOptions {
  url: string;
  username?: string;
  password?: string;
  /** First topic level; default 'icu'. */
  prefix?: string;
  /** A count (bed ids bed-01, bed-02, …) or the bed ids. */
  beds: number | string[];
  /** A scenario name or 'mixed' (default). */
  scenario?: string;
  /** Simulated seconds per wall-clock second, up to 100; default 1. */
  speed?: number;
  /** Same seed, same messages; default 1. */
  seed?: number;
  /** Simulated seconds to run; default unlimited. */
  durationS?: number;
  faults?: string[];
  /** Epoch ms of the run's first message; ts = startMs + simulated elapsed. Default: see resolveStartMs. */
  startMs?: number;
  /** Scenario time at which the run starts; default each scenario's demo start. */
  offsetS?: number;
  /** Publish monitor waveforms (abp, pleth); default true. */
  waveforms?: boolean;
  /**
   * Seconds of history before now, published first and as fast as the broker takes them: numerics
   * every HISTORY_EVERY_S, labs and pumps as they fall, no waveforms. Each bed's scenario stands
   * where it would without history; its earlier course fills the trends. Speed 1, no start; default 0.
   */
  historyS?: number;
  /** One MQTT connection per device (own last will; default) or one for the whole run (many beds). */
  connection?: ConnectionMode;
  /** Mean simulated seconds between two requested faults of one kind on one bed; default 600. */
  faultMeanIntervalS?: number;
  onProgress?: (p: SimProgress) => void;
  progressIntervalMs?: number;
  /** Warnings from the shell (reconnects, publish errors); default: ignored. */
  onWarn?: (message: string) => void;
}

export interface SimConfig {
  url: string;
  username?: string;
  password?: string;
  prefix: string;
  bedIds: string[];
  scenario: string;
  speed: number;
  seed: number;
  durationS: number | null;
  faults: FaultName[];
  startMs: number;
  offsetS?: number;
  waveforms: boolean;
  historyS: number;
  connection: ConnectionMode;
  faultMeanIntervalS?: number;
  progressIntervalMs: number;
}

export class SimOptionsError extends Error {}

function fail(message: string): never {
  throw new SimOptionsError(message);
}

/** bed-01 … bed-99, three digits from 100 beds. */
export function bedIdsOf(beds: number | string[]): string[] {
  if (typeof beds !== 'number') return beds;
  if (!Number.isInteger(beds) || beds < 1 || beds > 10_000) fail(`beds: expected a whole number from 1 to 10000, got ${beds}`);
  const width = Math.max(2, String(beds).length);
  return Array.from({ length: beds }, (_, i) => `bed-${String(i + 1).padStart(width, '0')}`);
}

/**
 * When the run starts in message time. Given: as given. Otherwise wall-clock now, except for a
 * faster-than-real-time run of known length: then the run is placed so that it ENDS near now,
 * so no ts ever lies in the future (the server flags ts > 5 s ahead as clock skew). An unlimited
 * run faster than real time runs ahead of the wall clock by (speed − 1) × elapsed.
 */
/** History reaches back at most this far: the server refuses data over 48 h late, and this leaves room. */
const MAX_HISTORY_S = 47 * 3600;
/** History publishes the monitor's and the console's numerics this often (trends at 1 min need no more). */
export const HISTORY_EVERY_S = 15;

export function resolveStartMs(nowMs: number, speed: number, durationS: number | null, startMs?: number): number {
  if (startMs !== undefined) return startMs;
  if (speed > 1 && durationS !== null) return Math.round(nowMs - durationS * 1000 + (durationS * 1000) / speed);
  return nowMs;
}

export function resolveOptions(o: SimOptions, nowMs: number): SimConfig {
  if (!/^(mqtts?|wss?):\/\/./.test(o.url ?? '')) fail(`url: expected mqtt://, mqtts://, ws:// or wss://, got "${o.url ?? ''}"`);
  const prefix = o.prefix ?? 'icu';
  if (!ID_PATTERN.test(prefix)) fail(`prefix: letters, digits, _ and - (1 to 32), got "${prefix}"`);
  const bedIds = bedIdsOf(o.beds);
  if (bedIds.length === 0) fail('beds: at least one bed');
  for (const id of bedIds) if (!ID_PATTERN.test(id)) fail(`beds: "${id}" is not a bed id ([A-Za-z0-9_-]{1,32})`);
  if (new Set(bedIds).size !== bedIds.length) fail('beds: bed ids must be unique');
  const scenario = o.scenario ?? MIXED;
  if (scenario !== MIXED && !SCENARIOS[scenario]) fail(`scenario: unknown "${scenario}"; one of ${[MIXED, ...SCENARIO_NAMES].join(', ')}`);
  const speed = o.speed ?? 1;
  if (!Number.isFinite(speed) || speed <= 0 || speed > MAX_SPEED)
    fail(`speed: expected more than 0 and at most ${MAX_SPEED}, got ${speed}`);
  const seed = o.seed ?? 1;
  if (!Number.isSafeInteger(seed)) fail(`seed: expected an integer, got ${seed}`);
  const durationS = o.durationS ?? null;
  if (durationS !== null && (!Number.isFinite(durationS) || durationS <= 0))
    fail(`duration: expected a positive number of seconds, got ${durationS}`);
  const requested = (o.faults ?? []).flatMap((f) => (f === 'all' ? [...FAULT_NAMES] : [f]));
  for (const f of requested) if (!isFaultName(f)) fail(`faults: unknown "${f}"; any of ${FAULT_NAMES.join(', ')} or all`);
  if (o.startMs !== undefined && (!Number.isFinite(o.startMs) || o.startMs < 0))
    fail(`start: expected epoch milliseconds, got ${o.startMs}`);
  if (o.offsetS !== undefined && !Number.isFinite(o.offsetS)) fail(`offset: expected seconds, got ${o.offsetS}`);
  const historyS = o.historyS ?? 0;
  if (!Number.isFinite(historyS) || historyS < 0 || historyS > MAX_HISTORY_S)
    fail(`history: expected 0 to ${MAX_HISTORY_S / 3600} hours in seconds (the server takes data up to 48 h late), got ${historyS}`);
  if (historyS > 0 && (speed !== 1 || o.startMs !== undefined)) fail('history: only at speed 1 and without --start (history ends now)');
  const connection = o.connection ?? 'per-device';
  if (connection !== 'per-device' && connection !== 'shared') fail(`connection: per-device or shared, got "${String(connection)}"`);
  return {
    url: o.url,
    username: o.username,
    password: o.password,
    prefix,
    bedIds,
    scenario,
    speed,
    seed,
    durationS,
    faults: [...new Set(requested)] as FaultName[],
    startMs: historyS > 0 ? nowMs - historyS * 1000 : resolveStartMs(nowMs, speed, durationS, o.startMs),
    offsetS: o.offsetS,
    waveforms: o.waveforms ?? true,
    historyS,
    connection,
    faultMeanIntervalS: o.faultMeanIntervalS,
    progressIntervalMs: o.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
  };
}
