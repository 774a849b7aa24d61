// Every derived value of a bed from its newest inputs, with honest quality (docs/clinical.md,
// sections 2 and 3). Pure: the bed's newest values, its lactate results, its pump channels, its
// patient and `now` in; a DerivedValue per key out.
import { DERIVED, PARAMS, PUMP_MAX_AGE_S, type DerivedKey, type Quality } from '../catalogue.js';
import type { DerivedInput, DerivedValue } from '../protocol.js';
import type { Patient } from '../schemas.js';
import * as f from './formulas.js';
import { ageText, describe, joinReasons, pick, worst, type Latest, type Picked } from './inputs.js';
import {
  CLEARANCE_WINDOWS,
  doseUnitOf,
  isVisDrug,
  lactateClearance,
  phoenixLactatePoints,
  phoenixMapPoints,
  phoenixVasoactivePoints,
  pumpDose,
  vis,
  type PumpInput,
} from './scores.js';

/** Lactate results count as current for this long (the catalogue's lactate row, section 2). */
const LACTATE_MAX_AGE_S = PARAMS.lactate.maxAgeS;

export interface PumpChannelInput extends PumpInput {
  channel: string;
  ts: number;
}

export interface CalcInputs {
  patient: Patient | null;
  latest: Latest;
  /** Every lactate result known for the bed, any site, sorted by ts ascending. */
  lactates: readonly { ts: number; value: number; site: string }[];
  /** The newest message of each pump channel. */
  pumps: readonly PumpChannelInput[];
}

export type DerivedSet = Record<DerivedKey, DerivedValue>;

const VV_REASON = 'not meaningful in VV: circuit blood partly recirculates';
/** Section 2: ECMO mode is a patient-configuration input; absent, what depends on it is missing. */
const NO_MODE_REASON = 'no ECMO mode configured (VA or VV)';

/** A patient-configuration input: no age limit, missing when absent (section 2). */
function patientInput(name: string, value: number | null | undefined): Picked {
  const known = value !== null && value !== undefined && Number.isFinite(value);
  return { name, value: known ? value : null, signal: known ? 'patient' : null, ts: 0, ageS: null, quality: known ? 'ok' : 'missing' };
}

/**
 * Assembles a derived value from its inputs: missing inputs make it missing, stale ones stale.
 * `value` is the formula's answer, computed by the caller (a formula given a missing input answers
 * null, and is then not used); `assumed`: why the value rests on an assumption, if it does.
 */
function make(key: DerivedKey, value: number | null, inputs: Picked[], assumed?: string): DerivedValue {
  const unit = DERIVED[key].unit;
  const used: DerivedInput[] = inputs;
  // One pass over the inputs (this runs for every value of every recompute): the newest ts, and
  // whether any input is missing or stale; the words are made only when needed.
  let ts = 0;
  let missing = 0;
  let stale = false;
  for (let i = 0; i < inputs.length; i++) {
    const p = inputs[i];
    ts = Math.max(ts, p.ts);
    if (p.quality === 'missing') missing |= 1 << i;
    else if (p.quality === 'stale') stale = true;
  }
  if (missing) return { value: null, unit, ts, quality: 'missing', reason: missingReason(key, inputs, missing), inputs: used };
  if (value === null)
    return {
      value: null,
      unit,
      ts,
      quality: 'missing',
      reason: 'cannot be computed from these inputs (zero or negative divisor)',
      inputs: used,
    };
  let quality: Quality = 'ok';
  for (const p of inputs) quality = worst(quality, p.quality);
  const reasons = stale ? inputs.filter((p) => p.quality === 'stale').map(describe) : [];
  if (assumed) {
    quality = worst(quality, 'assumed');
    reasons.push(assumed);
  }
  const dv: DerivedValue = { value, unit, ts, quality, inputs: used };
  if (reasons.length) dv.reason = joinReasons(reasons);
  return dv;
}

/**
 * The words of a value's missing inputs (`mask`: which of them, by position). They name only which
 * inputs are absent, so a key's words are made once per combination, not on every recompute.
 */
function missingReason(key: DerivedKey, inputs: readonly Picked[], mask: number): string {
  let byMask = MISSING_REASONS.get(key);
  if (!byMask) MISSING_REASONS.set(key, (byMask = new Map<number, string>()));
  let reason = byMask.get(mask);
  if (reason === undefined) {
    reason = inputs
      .filter((p) => p.quality === 'missing')
      .map(describe)
      .join('; ');
    byMask.set(mask, reason);
  }
  return reason;
}
const MISSING_REASONS = new Map<DerivedKey, Map<number, string>>();

function missingValue(key: DerivedKey, reason: string, inputs: Picked[] = []): DerivedValue {
  return {
    value: null,
    unit: DERIVED[key].unit,
    ts: inputs.reduce((m, p) => Math.max(m, p.ts), 0),
    quality: 'missing',
    reason,
    inputs,
  };
}

/** Why an O2 content rests on an assumption: its PO2 is unknown, so dissolved O2 is left out. */
function noPo2(c: { assumed: boolean }, which: 'post-oxygenator' | 'pre-oxygenator'): string | undefined {
  return c.assumed ? (which === 'post-oxygenator' ? NO_POST_PO2 : NO_PRE_PO2) : undefined;
}
const NO_POST_PO2 = 'post-oxygenator PO2 unknown: dissolved O2 left out';
const NO_PRE_PO2 = 'pre-oxygenator PO2 unknown: dissolved O2 left out';

/** Which O2 contents a value uses are assumed (their PO2 unknown), in words; undefined when none is. */
function assumedIn(a: Picked, b?: Picked): string | undefined {
  const first = a.quality === 'assumed' ? `${a.name} assumed (PO2 unknown)` : undefined;
  const second = b?.quality === 'assumed' ? `${b.name} assumed (PO2 unknown)` : undefined;
  return first && second ? `${first}; ${second}` : (first ?? second);
}

/** Oxygen content with its quality: `assumed` when the PO2 is unknown (section 2). */
function content(hb: Picked, sat: Picked, po2: Picked, name: string): Picked & { assumed: boolean } {
  const q = worst(hb.quality, sat.quality, po2.quality === 'missing' ? 'ok' : po2.quality);
  const value =
    hb.quality === 'missing' || sat.quality === 'missing'
      ? null
      : f.o2Content(hb.value, sat.value, po2.quality === 'missing' ? null : po2.value);
  const ts = Math.max(hb.ts, sat.ts, po2.ts);
  const c: Picked & { assumed: boolean } = {
    name,
    value,
    signal: null,
    ts,
    ageS: null,
    quality: value === null ? 'missing' : q,
    assumed: po2.quality === 'missing',
  };
  // A computed content has no age of its own: it is stale because of the inputs named here.
  const stale = [hb, sat, po2].filter((p) => p.quality === 'stale');
  if (c.quality === 'stale') c.because = joinReasons(stale.map(describe));
  return c;
}

export function computeDerived(inp: CalcInputs, nowMs: number): DerivedSet {
  const L = inp.latest;
  const p = inp.patient;
  const vv = p?.ecmoMode === 'VV';
  const flow = pick(L, 'flow', nowMs);
  const hb = pick(L, 'hb', nowMs);
  const preSat = pick(L, 'preOxySat', nowMs);
  const prePo2 = pick(L, 'preOxyPo2', nowMs);
  const postSat = pick(L, 'postOxySat', nowMs);
  const postPo2 = pick(L, 'postOxyPo2', nowMs);
  const pPre = pick(L, 'pPre', nowMs);
  const pPost = pick(L, 'pPost', nowMs);
  const hr = pick(L, 'hr', nowMs);
  const map = pick(L, 'map', nowMs);
  const sbp = pick(L, 'sbp', nowMs);
  const dbp = pick(L, 'dbp', nowMs);
  const cvp = pick(L, 'cvp', nowMs);
  const weight = patientInput('weight', p?.weightKg);
  const height = patientInput('height', p?.heightCm);
  const age = patientInput('age', p?.ageMonths);

  const bsaV = f.bsaMosteller(height.value, weight.value);
  const bsa: Picked = { name: 'bsa', value: bsaV, signal: 'patient', ts: 0, ageS: null, quality: bsaV === null ? 'missing' : 'ok' };

  const cao2 = content(hb, postSat, postPo2, 'cao2Post');
  const cvo2 = content(hb, preSat, prePo2, 'cvo2');

  const out = {} as DerivedSet;
  out.bsa = make('bsa', bsaV, [weight, height]);
  out.flowIndex = make('flowIndex', f.flowIndex(flow.value, bsaV), [flow, weight, height]);
  out.flowPerKg = make('flowPerKg', f.flowPerKg(flow.value, weight.value), [flow, weight]);
  out.cao2Post = make('cao2Post', cao2.value, cao2.assumed ? [hb, postSat] : [hb, postSat, postPo2], noPo2(cao2, 'post-oxygenator'));
  out.cvo2 = make('cvo2', cvo2.value, cvo2.assumed ? [hb, preSat] : [hb, preSat, prePo2], noPo2(cvo2, 'pre-oxygenator'));

  const cao2In: Picked = { ...cao2, quality: cao2.value === null ? 'missing' : worst(cao2.quality, cao2.assumed ? 'assumed' : 'ok') };
  const cvo2In: Picked = { ...cvo2, quality: cvo2.value === null ? 'missing' : worst(cvo2.quality, cvo2.assumed ? 'assumed' : 'ok') };
  const do2 = f.do2Ecmo(flow.value, cao2.value);
  const vo2 = f.vo2Oxy(flow.value, cao2.value, cvo2.value);
  const noMode = p?.ecmoMode !== 'VA' && p?.ecmoMode !== 'VV';
  if (vv || noMode) {
    const reason = vv ? VV_REASON : NO_MODE_REASON;
    out.do2Ecmo = missingValue('do2Ecmo', reason, [flow, cao2In]);
    out.do2i = missingValue('do2i', reason, [flow, cao2In, bsa]);
    out.do2Vo2 = missingValue('do2Vo2', reason, [flow, cao2In, cvo2In]);
  } else {
    out.do2Ecmo = make('do2Ecmo', do2, [flow, cao2In], assumedIn(cao2In));
    out.do2i = make('do2i', f.indexed(do2, bsaV), [flow, cao2In, weight, height], assumedIn(cao2In));
    out.do2Vo2 = make('do2Vo2', f.do2Vo2(do2, vo2), [flow, cao2In, cvo2In], assumedIn(cao2In, cvo2In));
  }
  out.vo2Oxy = make('vo2Oxy', vo2, [flow, cao2In, cvo2In], assumedIn(cao2In, cvo2In));
  out.vo2i = make('vo2i', f.indexed(vo2, bsaV), [flow, cao2In, cvo2In, weight, height], assumedIn(cao2In, cvo2In));
  out.o2er = make('o2er', f.o2er(cao2.value, cvo2.value), [cao2In, cvo2In], assumedIn(cao2In, cvo2In));
  const dp = f.dpOxy(pPre.value, pPost.value);
  out.dpOxy = make('dpOxy', dp, [pPre, pPost]);
  out.rOxy = make('rOxy', f.rOxy(dp, flow.value), [pPre, pPost, flow]);
  out.perfusionPressure = make('perfusionPressure', f.perfusionPressure(map.value, cvp.value), [map, cvp]);
  out.pulsePressure = make('pulsePressure', f.pulsePressure(sbp.value, dbp.value), [sbp, dbp]);
  out.shockIndex = make('shockIndex', f.shockIndex(hr.value, sbp.value), [hr, sbp]);

  out.vis = visValue(inp.pumps, weight, nowMs);
  const clearance = lactateInputs(inp, nowMs);
  out.lactateClearance2h = clearanceValue('lactateClearance2h', clearance, nowMs);
  out.lactateClearance6h = clearanceValue('lactateClearance6h', clearance, nowMs);
  out.phoenixCv = phoenixValue(inp, map, age, nowMs);
  return out;
}

/** Pump channels that count now: running, with their age (section 2: 90 s). */
function runningPumps(pumps: readonly PumpChannelInput[], nowMs: number) {
  return pumps.filter((c) => c.running && c.rateMlH > 0).map((c) => ({ c, ageS: ageOf(c, nowMs) }));
}

function ageOf(c: PumpChannelInput, nowMs: number): number {
  return Math.max(0, (nowMs - c.ts) / 1000);
}

/**
 * Channels of scored drugs silent for longer than their maximum age, running or not: a pump that
 * said "stopped" long ago may have been started since, so its silence is as unknown as any other's.
 */
function silentVisPumps(pumps: readonly PumpChannelInput[], nowMs: number) {
  return pumps.filter((c) => isVisDrug(c.drug) && ageOf(c, nowMs) > PUMP_MAX_AGE_S).map((c) => ({ c, ageS: ageOf(c, nowMs) }));
}

function visValue(pumps: readonly PumpChannelInput[], weight: Picked, nowMs: number): DerivedValue {
  const unit = DERIVED.vis.unit;
  if (!pumps.length) return missingValue('vis', 'no infusion pump data');
  const scored = runningPumps(pumps, nowMs).filter((r) => isVisDrug(r.c.drug));
  const silent = silentVisPumps(pumps, nowMs);
  const shown = [...scored, ...silent.filter((s) => !scored.some((r) => r.c === s.c))];
  const inputs: DerivedInput[] = [
    weight,
    ...shown.map((r): DerivedInput => ({
      name: r.c.drug,
      signal: `pump.${r.c.channel}`,
      ageS: Math.round(r.ageS),
      quality: r.ageS > PUMP_MAX_AGE_S ? 'stale' : 'ok',
    })),
  ];
  const ts = pumps.reduce((m, c) => Math.max(m, c.ts), 0);
  if (weight.quality === 'missing') return { value: null, unit, ts, quality: 'missing', reason: 'no patient weight', inputs };
  const doses = scored.map((r) => ({ drug: r.c.drug, dose: pumpDose(r.c, weight.value) }));
  const bad = doses.find((d) => d.dose === null);
  if (bad) return { value: null, unit, ts, quality: 'missing', reason: `${bad.drug}: concentration unit does not fit the drug`, inputs };
  const value = vis(doses);
  if (value === null) return { value: null, unit, ts, quality: 'missing', reason: 'the doses do not add up to a finite score', inputs };
  const dv: DerivedValue = { value, unit, ts, quality: silent.length ? 'stale' : 'ok', inputs };
  if (silent.length)
    dv.reason = silent.map((r) => `pump ${r.c.channel} silent ${ageText(r.ageS)} (max ${ageText(PUMP_MAX_AGE_S)})`).join('; ');
  return dv;
}

interface LactateSeries {
  series: { ts: number; value: number }[];
  site: string;
}

/**
 * The lactate series for clearance (section 2): arterial results while the newest arterial one is
 * within its maximum age, else every site — a fresh venous series beats a days-old arterial one.
 */
function lactateInputs(inp: CalcInputs, nowMs: number): LactateSeries | null {
  if (!inp.lactates.length) return null;
  const arterial = inp.lactates.filter((r) => r.site === 'arterial');
  const newestArterial = arterial[arterial.length - 1];
  const arterialFresh = newestArterial !== undefined && (nowMs - newestArterial.ts) / 1000 <= LACTATE_MAX_AGE_S;
  return arterialFresh ? { series: arterial, site: 'arterial' } : { series: inp.lactates.slice(), site: 'any site' };
}

function clearanceValue(key: 'lactateClearance2h' | 'lactateClearance6h', s: LactateSeries | null, nowMs: number): DerivedValue {
  const unit = DERIVED[key].unit;
  if (!s) return missingValue(key, 'no lactate result');
  const { windowMs, toleranceMs } = CLEARANCE_WINDOWS[key];
  const r = lactateClearance(s.series, windowMs, toleranceMs);
  const newest = s.series[s.series.length - 1];
  const ageS = Math.max(0, (nowMs - newest.ts) / 1000);
  const inputs: DerivedInput[] = [
    { name: 'lactate', signal: `lab (${s.site})`, ageS: Math.round(ageS), quality: ageS > LACTATE_MAX_AGE_S ? 'stale' : 'ok' },
  ];
  if (!r)
    return {
      value: null,
      unit,
      ts: newest.ts,
      quality: 'missing',
      reason: `no lactate result ${windowMs / 3600_000} h (± ${toleranceMs / 60_000} min) before the newest one`,
      inputs,
    };
  inputs.push({ name: 'reference lactate', signal: `lab (${s.site})`, ageS: Math.round((nowMs - r.ref.ts) / 1000), quality: 'ok' });
  if (r.value === null) return { value: null, unit, ts: newest.ts, quality: 'missing', reason: 'reference lactate is 0', inputs };
  const stale = ageS > LACTATE_MAX_AGE_S;
  const dv: DerivedValue = { value: r.value, unit, ts: newest.ts, quality: stale ? 'stale' : 'ok', inputs };
  if (stale) dv.reason = `newest lactate ${ageText(ageS)} old (max ${ageText(LACTATE_MAX_AGE_S)})`;
  return dv;
}

function phoenixValue(inp: CalcInputs, map: Picked, age: Picked, nowMs: number): DerivedValue {
  const unit = DERIVED.phoenixCv.unit;
  const lactate = pick(inp.latest, 'lactate', nowMs);
  const reasons: string[] = [];
  const qualities: Quality[] = [];

  // Vasoactive part: no pump data at all scores 0 and is assumed (section 3.3).
  let vaso: number | null = null;
  if (inp.pumps.length) {
    const running = runningPumps(inp.pumps, nowMs).filter((r) => isVisDrug(r.c.drug));
    vaso = phoenixVasoactivePoints(new Set(running.map((r) => r.c.drug)).size);
    if (silentVisPumps(inp.pumps, nowMs).length) {
      qualities.push('stale');
      reasons.push(`a pump is silent for more than ${ageText(PUMP_MAX_AGE_S)}`);
    }
  } else {
    qualities.push('assumed');
    reasons.push('no pump data: vasoactive part scored 0');
  }

  let lac: number | null = null;
  if (lactate.quality !== 'missing') {
    lac = phoenixLactatePoints(lactate.value!);
    if (lactate.quality === 'stale') reasons.push(describe(lactate));
    qualities.push(lactate.quality);
  } else {
    qualities.push('assumed');
    reasons.push('no lactate: lactate part scored 0');
  }

  let mapPts: number | null = null;
  if (map.quality !== 'missing' && age.quality !== 'missing') {
    mapPts = phoenixMapPoints(map.value!, age.value!);
    if (map.quality === 'stale') reasons.push(describe(map));
    qualities.push(map.quality);
  } else {
    qualities.push('assumed');
    reasons.push(map.quality === 'missing' ? 'no MAP: MAP part scored 0' : 'no patient age: MAP part scored 0');
  }

  const value = (vaso ?? 0) + (lac ?? 0) + (mapPts ?? 0);
  const ts = Math.max(
    lactate.ts,
    map.ts,
    inp.pumps.reduce((m, c) => Math.max(m, c.ts), 0),
  );
  const dv: DerivedValue = {
    value,
    unit,
    ts,
    quality: worst(...qualities),
    inputs: [map, age, lactate],
    parts: { vasoactive: vaso, lactate: lac, map: mapPts },
  };
  if (reasons.length) dv.reason = joinReasons(reasons);
  return dv;
}

/** Doses of each pump channel for display (section 3.1). */
export function infusionDoses(pumps: readonly PumpChannelInput[], weightKg: number | null | undefined) {
  return pumps.map((c) => ({
    channel: c.channel,
    dose: pumpDose(c, weightKg),
    doseUnit: doseUnitOf(c.drug, c.concentrationUnit),
    scored: isVisDrug(c.drug),
  }));
}
