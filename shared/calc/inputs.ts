// Which input a calculation uses (docs/clinical.md, section 2): sources tried in order, the first
// whose newest value is fresh wins; with none fresh the newest is used and marked stale; with none
// at all the input is missing. Pure: `now` comes in.
import { LAB_SITES, type Quality } from '../catalogue.js';
import type { DerivedInput, LatestValue } from '../protocol.js';

export type Latest = (signal: string) => LatestValue | undefined;

/** A source: one signal, or `lab.*.key` (the newest of that key over every lab site). */
interface Source {
  signal: string;
  maxAgeS: number;
}

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

const DEVICE_S = 10;
const LAB_GAS_S = 60 * 60;

/** Sources per input, in order (section 2). */
const INPUTS = {
  flow: [{ signal: 'flow', maxAgeS: DEVICE_S }],
  pPre: [{ signal: 'pPre', maxAgeS: DEVICE_S }],
  pPost: [{ signal: 'pPost', maxAgeS: DEVICE_S }],
  hb: [
    { signal: 'hb', maxAgeS: DEVICE_S },
    { signal: 'lab.*.hb', maxAgeS: 12 * 3600 },
  ],
  preOxySat: [
    { signal: 'svo2', maxAgeS: DEVICE_S },
    { signal: 'lab.pre-oxygenator.so2', maxAgeS: LAB_GAS_S },
    { signal: 'lab.central-venous.so2', maxAgeS: LAB_GAS_S },
  ],
  preOxyPo2: [
    { signal: 'lab.pre-oxygenator.po2', maxAgeS: LAB_GAS_S },
    { signal: 'lab.central-venous.po2', maxAgeS: LAB_GAS_S },
  ],
  postOxySat: [
    { signal: 'postOxySat', maxAgeS: DEVICE_S },
    { signal: 'lab.post-oxygenator.so2', maxAgeS: LAB_GAS_S },
  ],
  postOxyPo2: [
    { signal: 'postOxyPo2', maxAgeS: DEVICE_S },
    { signal: 'lab.post-oxygenator.po2', maxAgeS: LAB_GAS_S },
  ],
  hr: [{ signal: 'hr', maxAgeS: DEVICE_S }],
  map: [{ signal: 'map', maxAgeS: DEVICE_S }],
  sbp: [{ signal: 'sbp', maxAgeS: DEVICE_S }],
  dbp: [{ signal: 'dbp', maxAgeS: DEVICE_S }],
  cvp: [{ signal: 'cvp', maxAgeS: DEVICE_S }],
  lactate: [
    { signal: 'lab.arterial.lactate', maxAgeS: 6 * 3600 },
    { signal: 'lab.*.lactate', maxAgeS: 6 * 3600 },
  ],
} as const satisfies Record<string, readonly Source[]>;

export type InputName = keyof typeof INPUTS;

const CALC_SIGNALS = new Set<string>(Object.values(INPUTS).flatMap((sources) => sources.map((s) => s.signal)));

/** True when a signal feeds some derived value (a change of any other needs no recompute). */
export function isCalcSignal(signal: string): boolean {
  if (CALC_SIGNALS.has(signal)) return true;
  if (!signal.startsWith('lab.')) return false;
  return CALC_SIGNALS.has(`lab.*.${signal.slice(signal.lastIndexOf('.') + 1)}`);
}

/** The newest non-null value of a source (`lab.*.key` looks at every site). */
function resolve(latest: Latest, source: Source): { signal: string; lv: LatestValue } | null {
  if (!source.signal.startsWith('lab.*.')) {
    const lv = latest(source.signal);
    return lv && lv.value !== null && Number.isFinite(lv.value) ? { signal: source.signal, lv } : null;
  }
  const key = source.signal.slice('lab.*.'.length);
  let best: { signal: string; lv: LatestValue } | null = null;
  for (const site of LAB_SITES) {
    const signal = `lab.${site}.${key}`;
    const lv = latest(signal);
    if (lv && lv.value !== null && Number.isFinite(lv.value) && (!best || lv.ts > best.lv.ts)) best = { signal, lv };
  }
  return best;
}

export function pick(latest: Latest, name: InputName, nowMs: number): Picked {
  let newest: { signal: string; lv: LatestValue } | null = null;
  for (const source of INPUTS[name]) {
    const r = resolve(latest, source);
    if (!r) continue;
    const ageS = Math.max(0, (nowMs - r.lv.ts) / 1000);
    if (ageS <= source.maxAgeS) return { name, value: r.lv.value, signal: r.signal, ts: r.lv.ts, ageS, quality: 'ok' };
    if (!newest || r.lv.ts > newest.lv.ts) newest = r;
  }
  if (!newest) return { name, value: null, signal: null, ts: 0, ageS: null, quality: 'missing' };
  return {
    name,
    value: newest.lv.value,
    signal: newest.signal,
    ts: newest.lv.ts,
    ageS: Math.max(0, (nowMs - newest.lv.ts) / 1000),
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
  return [...new Set(parts.flatMap((r) => r.split('; ')))].join('; ');
}

/** The words of a stale or missing input, for a derived value's reason. */
export function describe(p: Picked): string {
  if (p.quality === 'missing') return `no ${LABELS[p.name as InputName] ?? p.name}`;
  if (p.because !== undefined) return p.because;
  const max = maxAgeOf(p);
  return `${LABELS[p.name as InputName] ?? p.name} ${ageText(p.ageS ?? 0)} old (max ${ageText(max)})`;
}

function maxAgeOf(p: Picked): number {
  const sources = (INPUTS as Record<string, readonly Source[]>)[p.name] ?? [];
  const match = sources.find(
    (s) => s.signal === p.signal || (s.signal.startsWith('lab.*.') && p.signal?.startsWith('lab.') && p.signal.endsWith(s.signal.slice(5))),
  );
  return match?.maxAgeS ?? DEVICE_S;
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
