// Which input a calculation uses (docs/clinical.md, section 2): sources tried in order, the first
// whose newest value is fresh wins; with none fresh the newest is used and marked stale; with none
// at all the input is missing. Pure: `now` comes in.
import { LAB_SITES, maxAgeOfSignal, type Quality } from '../catalogue.js';
import type { LatestValue } from '../protocol.js';

export type Latest = (signal: string) => LatestValue | undefined;

export interface Picked {
  name: string;
  value: number | null;
  signal: string | null;
  ts: number;
  ageS: number | null;
  quality: Quality;
  /** For an input computed from others (an O2 content): which of its own inputs made it stale. */
  because?: string;
}

/**
 * Sources per input, in order (section 2): a signal, or `lab.*.key` (the newest of that key over
 * every lab site). How old each may be comes from the catalogue (maxAgeOfSignal), nowhere else.
 */
const INPUTS = {
  flow: ['flow'],
  pPre: ['pPre'],
  pPost: ['pPost'],
  hb: ['hb', 'lab.*.hb'],
  preOxySat: ['svo2', 'lab.pre-oxygenator.so2', 'lab.central-venous.so2'],
  preOxyPo2: ['lab.pre-oxygenator.po2', 'lab.central-venous.po2'],
  postOxySat: ['postOxySat', 'lab.post-oxygenator.so2'],
  postOxyPo2: ['postOxyPo2', 'lab.post-oxygenator.po2'],
  hr: ['hr'],
  map: ['map'],
  sbp: ['sbp'],
  dbp: ['dbp'],
  cvp: ['cvp'],
  lactate: ['lab.arterial.lactate', 'lab.*.lactate'],
} as const satisfies Record<string, readonly string[]>;

export type InputName = keyof typeof INPUTS;

const CALC_SIGNALS = new Set<string>(Object.values(INPUTS).flat());

/** True when a signal feeds some derived value (a change of any other needs no recompute). */
export function isCalcSignal(signal: string): boolean {
  if (CALC_SIGNALS.has(signal)) return true;
  if (!signal.startsWith('lab.')) return false;
  return CALC_SIGNALS.has(`lab.*.${signal.slice(signal.lastIndexOf('.') + 1)}`);
}

/** The signals a `lab.*.key` source stands for, one per site (named once, not on every recompute). */
const SITE_SIGNALS = new Map<string, readonly string[]>(
  [...CALC_SIGNALS]
    .filter((s) => s.startsWith('lab.*.'))
    .map((s) => [s, LAB_SITES.map((site) => `lab.${site}.${s.slice('lab.*.'.length)}`)]),
);

/** What `resolve` found: the signal and its newest value (module scratch, read at once: no object per lookup). */
let foundSignal = '';
let foundLv: LatestValue | undefined;

/** The newest non-null value of a source (`lab.*.key` looks at every site); false when there is none. */
function resolve(latest: Latest, source: string): boolean {
  const sites = SITE_SIGNALS.get(source);
  if (!sites) {
    const lv = latest(source);
    if (!lv || lv.value === null || !Number.isFinite(lv.value)) return false;
    foundSignal = source;
    foundLv = lv;
    return true;
  }
  let best: LatestValue | undefined;
  let bestSignal = '';
  for (const signal of sites) {
    const lv = latest(signal);
    if (lv && lv.value !== null && Number.isFinite(lv.value) && (!best || lv.ts > best.ts)) {
      best = lv;
      bestSignal = signal;
    }
  }
  if (!best) return false;
  foundSignal = bestSignal;
  foundLv = best;
  return true;
}

export function pick(latest: Latest, name: InputName, nowMs: number): Picked {
  let newest: LatestValue | undefined;
  let newestSignal = '';
  for (const source of INPUTS[name]) {
    if (!resolve(latest, source)) continue;
    const lv = foundLv!;
    const ageS = Math.max(0, (nowMs - lv.ts) / 1000);
    if (ageS <= maxAgeOfSignal(foundSignal)) return { name, value: lv.value, signal: foundSignal, ts: lv.ts, ageS, quality: 'ok' };
    if (!newest || lv.ts > newest.ts) {
      newest = lv;
      newestSignal = foundSignal;
    }
  }
  if (!newest) return { name, value: null, signal: null, ts: 0, ageS: null, quality: 'missing' };
  return {
    name,
    value: newest.value,
    signal: newestSignal,
    ts: newest.ts,
    ageS: Math.max(0, (nowMs - newest.ts) / 1000),
    quality: 'stale',
  };
}

const ORDER: Record<Quality, number> = { ok: 0, assumed: 1, stale: 2, missing: 3 };

/** The worst quality (section 2: missing > stale > assumed > ok). */
export function worst(...qs: Quality[]): Quality {
  let w: Quality = 'ok';
  for (const q of qs) if (ORDER[q] > ORDER[w]) w = q;
  return w;
}

/** "2 min", "14 h": how a reason states an age. */
export function ageText(s: number): string {
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/**
 * A derived value's reason from the words of its inputs, each named once: two O2 contents stale
 * because of the same haemoglobin say so once.
 */
export function joinReasons(parts: readonly string[]): string {
  // On the hot path (every recompute of every stale value): reasons that are each single and
  // distinct (nearly always) are joined as they are, without the sets and arrays of the general case.
  if (distinctSingles(parts)) return parts.join('; ');
  const seen: string[] = [];
  for (const part of parts) for (const r of part.split('; ')) if (!seen.includes(r)) seen.push(r);
  return seen.join('; ');
}

/** True when no part holds several reasons and no two parts are the same: a plain join then says each once. */
function distinctSingles(parts: readonly string[]): boolean {
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].includes('; ')) return false;
    for (let j = 0; j < i; j++) if (parts[j] === parts[i]) return false;
  }
  return true;
}

/** The words of a stale or missing input, for a derived value's reason. */
export function describe(p: Picked): string {
  if (p.quality === 'missing') return MISSING[p.name as InputName] ?? `no ${p.name}`;
  if (p.because !== undefined) return p.because;
  const max = p.signal ? maxAgeOfSignal(p.signal) : 0;
  return `${LABELS[p.name as InputName] ?? p.name} ${ageText(p.ageS ?? 0)} old (max ${ageText(max)})`;
}

const LABELS: Record<InputName, string> = {
  flow: 'pump flow',
  pPre: 'pre-oxygenator pressure',
  pPost: 'post-oxygenator pressure',
  hb: 'haemoglobin',
  preOxySat: 'pre-oxygenator saturation',
  preOxyPo2: 'pre-oxygenator PO2',
  postOxySat: 'post-oxygenator saturation',
  postOxyPo2: 'post-oxygenator PO2',
  hr: 'heart rate',
  map: 'MAP',
  sbp: 'systolic pressure',
  dbp: 'diastolic pressure',
  cvp: 'CVP',
  lactate: 'lactate',
};

/** "no pump flow", …: a missing input's words, made once (every recompute of a bed without them asks). */
const MISSING = Object.fromEntries(Object.entries(LABELS).map(([k, label]) => [k, `no ${label}`])) as Record<InputName, string>;
