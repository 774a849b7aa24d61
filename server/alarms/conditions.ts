// Each default alarm's condition (docs/clinical.md section 4) from one bed's inputs. Pure and
// allocation-light: it runs on every input change of a bed, writes into condition objects the
// caller keeps, and builds a message only for a condition that holds. Hysteresis is not applied
// here: each condition states its threshold (limit, direction, margin) and the machine applies it.
import {
  ALARMS,
  DEVICE_NAMES,
  LACTATE_CLEARANCE_LIMIT_PCT,
  LACTATE_CLEARANCE_MIN_MMOL_L,
  MARGINS,
  PUMP_RUNNING_FLOW_LMIN,
  PUMP_STOPPED_FLOW_LMIN,
  REJECTS_PER_MINUTE_LIMIT,
  hypotensionLimits,
  type AlarmDef,
  type AlarmKey,
  type AlarmScope,
  type WatchedDevice,
} from '../../shared/alarms.js';
import { DERIVED, DEVICE_SILENCE_S, LAB_SITES, PARAMS } from '../../shared/catalogue.js';
import { formatHonest } from '../../shared/format.js';
import type { AlarmPriority, DerivedValue, LatestValue } from '../../shared/protocol.js';
import type { AlarmInputs, Condition, LimitDirection } from './types.js';

export type ConditionSet = Record<AlarmKey, Condition>;

/** Each set's conditions in catalogue order (ALARMS): the loops run by position, not by key. */
const IN_ORDER = new WeakMap<ConditionSet, readonly Condition[]>();

/** One condition object per alarm, to be reused across evaluations. */
export function createConditionSet(): ConditionSet {
  const set = {} as ConditionSet;
  for (const def of ALARMS) {
    set[def.key] = {
      state: 'unknown',
      priority: def.priorities[0],
      value: null,
      limit: null,
      message: '',
      clearsAt: undefined,
      direction: undefined,
      margin: undefined,
      resultTs: undefined,
    };
  }
  IN_ORDER.set(
    set,
    ALARMS.map((def) => set[def.key]),
  );
  return set;
}

/** A set's conditions in the order of ALARMS. */
export function conditionsInOrder(set: ConditionSet): readonly Condition[] {
  return IN_ORDER.get(set) ?? ALARMS.map((def) => set[def.key]);
}

/**
 * Evaluates every default alarm's condition; writes into `out` and returns it. `derivedOnly`: only
 * the derived values changed since the last evaluation (a recompute of its own, decision 12), so
 * only conditions that read one are evaluated again; the others keep what they last said.
 */
export function evaluateConditions(inp: AlarmInputs, out: ConditionSet = createConditionSet(), derivedOnly = false): ConditionSet {
  const mode = inp.patient?.ecmoMode ?? null;
  const list = conditionsInOrder(out);
  for (let i = 0; i < PLAN.length; i++) {
    const step = PLAN[i];
    if (derivedOnly && !step.readsDerived) continue;
    const c = list[i];
    const def = step.def;
    reset(c, def);
    // Circuit alarms apply only while on ECMO, the delivery ratio only on VA (section 4): off
    // support the condition is false, so an alarm of a finished run clears.
    if (!applies(def.scope, mode)) {
      c.state = 'false';
      continue;
    }
    step.evaluate(c, inp, def);
  }
  return out;
}

function applies(scope: AlarmScope, mode: 'VA' | 'VV' | null): boolean {
  if (scope === 'always') return true;
  if (scope === 'va') return mode === 'VA';
  return mode !== null;
}

function reset(c: Condition, def: AlarmDef): void {
  c.state = 'unknown';
  c.priority = def.priorities[0];
  c.value = null;
  c.limit = null;
  c.message = '';
  c.clearsAt = undefined;
  c.direction = undefined;
  c.margin = undefined;
  c.resultTs = undefined;
}

// ---- Inputs ------------------------------------------------------------------------------------

/** A signal's newest value when it is a number no older than its maximum age (section 2), else undefined. */
function fresh(inp: AlarmInputs, signal: string): LatestValue | undefined {
  const lv = inp.latest(signal);
  if (!lv || lv.value === null || !Number.isFinite(lv.value)) return undefined;
  return inp.nowMs - lv.ts <= inp.maxAgeS(signal) * 1000 ? lv : undefined;
}

/** A derived value that counts as known: quality `ok` or `assumed` with a number. */
function known(inp: AlarmInputs, key: string): DerivedValue | undefined {
  const dv = inp.derived[key];
  if (!dv || (dv.quality !== 'ok' && dv.quality !== 'assumed') || dv.value === null || !Number.isFinite(dv.value)) return undefined;
  return dv;
}

/** The value of the first fresh source in order (section 2), else undefined. */
function firstFresh(inp: AlarmInputs, signals: readonly string[]): LatestValue | undefined {
  for (const signal of signals) {
    const lv = fresh(inp, signal);
    if (lv) return lv;
  }
  return undefined;
}

// ---- Comparisons -------------------------------------------------------------------------------

/** Where clearing may start: the limit moved inside by the margin (section 4, hysteresis). */
function threshold(limit: number, direction: LimitDirection, margin: number): number {
  return direction === 'low' ? limit + margin : limit - margin;
}

/** How far past its clearing threshold a value is, in margins; ≥ 0 means clear of the hysteresis band. */
function marginsClear(value: number, limit: number, direction: LimitDirection, margin: number): number {
  const t = threshold(limit, direction, margin);
  return (direction === 'low' ? value - t : t - value) / margin;
}

/** States one limit comparison on `c`; true when the value is past the limit (`inclusive`: at it counts). */
function compare(c: Condition, value: number, limit: number, direction: LimitDirection, margin: number, inclusive = false): boolean {
  const past = direction === 'low' ? (inclusive ? value <= limit : value < limit) : inclusive ? value >= limit : value > limit;
  c.state = past ? 'true' : 'false';
  c.value = value;
  c.limit = limit;
  c.direction = direction;
  c.margin = margin;
  c.clearsAt = threshold(limit, direction, margin);
  return past;
}

function holds(c: Condition, priority: AlarmPriority, message: string): void {
  c.state = 'true';
  c.priority = priority;
  c.message = message;
}

/**
 * A value in an alarm's words, with its catalogue precision, never rounded across the limit it is
 * compared with (DO2/VO2 2.979 against 3 reads "2.98", not "3.0"): shared/format.ts.
 */
const fmt = (value: number, key: keyof typeof PARAMS, ...limits: number[]): string => formatHonest(value, PARAMS[key].precision, limits);
const round = (value: number, decimals: number, ...limits: number[]): string => formatHonest(value, decimals, limits);

// ---- The alarms --------------------------------------------------------------------------------

type Evaluator = (c: Condition, inp: AlarmInputs, def: AlarmDef) => void;

/** Pump stopped (section 4): flow < 0.05 L/min or 0 rpm; clears once flow is above 0.1 L/min. */
function pumpStopped(c: Condition, inp: AlarmInputs, def: AlarmDef): void {
  const flow = fresh(inp, 'flow');
  const rpm = fresh(inp, 'rpm');
  const margin = PUMP_RUNNING_FLOW_LMIN - PUMP_STOPPED_FLOW_LMIN;
  if (flow && compare(c, flow.value!, PUMP_STOPPED_FLOW_LMIN, 'low', margin)) {
    holds(c, def.priorities[0], `Pump stopped: flow ${fmt(flow.value!, 'flow', PUMP_STOPPED_FLOW_LMIN)} L/min`);
    return;
  }
  if (rpm && rpm.value! <= 0) {
    c.value = rpm.value;
    c.limit = 0;
    holds(c, def.priorities[0], 'Pump stopped: 0 rpm');
    return;
  }
  // Without a fresh flow a turning pump is not known to pump: unknown, not false.
  if (!flow) c.state = 'unknown';
}

/** Low flow (section 4): flow below a percentage of the bed's target flow. */
function lowFlow(c: Condition, inp: AlarmInputs, def: AlarmDef): void {
  const target = inp.limits.targetFlowLMin;
  const flow = fresh(inp, 'flow');
  if (target === null || !flow) return;
  const pct = inp.limits.lowFlowPctOfTarget;
  const limit = (target * pct) / 100;
  // The margin is 2 points of the target (the limit is a percentage), not 2 % of flow's range.
  const margin = (target * MARGINS.lowFlowPctOfTarget) / 100;
  if (compare(c, flow.value!, limit, 'low', margin))
    holds(
      c,
      def.priorities[0],
      `Low flow: ${fmt(flow.value!, 'flow', limit)} L/min, below ${round(pct, 0)} % of the target ${fmt(target, 'flow')} L/min`,
    );
}

function drainage(limitOf: (inp: AlarmInputs) => number, words: string): Evaluator {
  return (c, inp, def) => {
    const pVen = fresh(inp, 'pVen');
    if (!pVen) return;
    const limit = limitOf(inp);
    if (compare(c, pVen.value!, limit, 'low', MARGINS.pVen))
      holds(c, def.priorities[0], `${words} ${fmt(pVen.value!, 'pVen', limit)} mmHg, below ${round(limit, 0)} mmHg`);
  };
}

function postOxyPressure(c: Condition, inp: AlarmInputs, def: AlarmDef): void {
  const pPost = fresh(inp, 'pPost');
  if (!pPost) return;
  const limit = inp.limits.postOxyPressureMmHg;
  if (compare(c, pPost.value!, limit, 'high', MARGINS.pPost))
    holds(c, def.priorities[0], `Post-oxygenator pressure ${fmt(pPost.value!, 'pPost', limit)} mmHg, above ${round(limit, 0)} mmHg`);
}

/**
 * Oxygenator pressure drop (section 4): dpOxy above its limit, or rOxy up by more than a percentage
 * on its 1 h mean. Without a 1 h mean (the first hour of a run) only the pressure drop is judged.
 */
function oxyPressureDrop(c: Condition, inp: AlarmInputs, def: AlarmDef): void {
  const L = inp.limits;
  const dp = known(inp, 'dpOxy');
  const rOxy = known(inp, 'rOxy');
  const mean = inp.rOxyMean1h;
  const withRise = mean !== null && Number.isFinite(mean) && mean > 0;
  const rise = withRise && rOxy ? (rOxy.value! / mean - 1) * 100 : null;
  if (dp && dp.value! > L.dpOxyMmHg) {
    compare(c, dp.value!, L.dpOxyMmHg, 'high', MARGINS.dpOxy);
    holds(c, def.priorities[0], `Oxygenator pressure drop ${round(dp.value!, 0, L.dpOxyMmHg)} mmHg, above ${round(L.dpOxyMmHg, 0)} mmHg`);
    return;
  }
  if (rise !== null && rise > L.rOxyRisePct) {
    compare(c, rise, L.rOxyRisePct, 'high', MARGINS.rOxyRisePct);
    holds(
      c,
      def.priorities[0],
      `Oxygenator resistance up ${round(rise, 0, L.rOxyRisePct)} % on its 1 h mean (limit ${round(L.rOxyRisePct, 0)} %)`,
    );
    return;
  }
  if (!dp || (withRise && rise === null)) return;
  // Both parts false: report the one nearest its clearing threshold, so clearing waits for both.
  if (
    rise === null ||
    marginsClear(dp.value!, L.dpOxyMmHg, 'high', MARGINS.dpOxy) <= marginsClear(rise, L.rOxyRisePct, 'high', MARGINS.rOxyRisePct)
  )
    compare(c, dp.value!, L.dpOxyMmHg, 'high', MARGINS.dpOxy);
  else compare(c, rise, L.rOxyRisePct, 'high', MARGINS.rOxyRisePct);
}

/** Pre-oxygenator saturation sources in order (section 2). */
const VENOUS_SAT_ON_ECMO = ['svo2', 'lab.pre-oxygenator.so2', 'lab.central-venous.so2'] as const;
/** Off ECMO the circuit's sensor and samples describe a primed circuit, not the patient: ScvO2 only. */
const VENOUS_SAT_OFF_ECMO = ['lab.central-venous.so2'] as const;

/** Venous saturation (section 4): below the medium limit medium, below the high limit high. */
function venousSaturation(c: Condition, inp: AlarmInputs, def: AlarmDef): void {
  const src = firstFresh(inp, inp.patient?.ecmoMode ? VENOUS_SAT_ON_ECMO : VENOUS_SAT_OFF_ECMO);
  if (!src) return;
  const v = src.value!;
  const { venousSatMediumPct: medium, venousSatHighPct: high } = inp.limits;
  // Clearing is judged against the outer (medium) limit: the episode ends only when both bands are left.
  compare(c, v, medium, 'low', MARGINS.venousSat);
  if (v < high) {
    c.limit = high;
    holds(c, 'high', `Venous saturation ${fmt(v, 'svo2', high, medium)} %, below ${round(high, 0)} %`);
  } else if (v < medium) holds(c, def.priorities[0], `Venous saturation ${fmt(v, 'svo2', high, medium)} %, below ${round(medium, 0)} %`);
}

/**
 * Post-oxygenator PO2 (section 4): below its limit with FdO2 at or above its threshold, judged on
 * each new result, console or lab, whichever is newer and fresh. With a lower FdO2 the criterion
 * does not apply: false, with no PO2 threshold to wait for.
 */
function postOxyPo2(c: Condition, inp: AlarmInputs, def: AlarmDef): void {
  const fromConsole = fresh(inp, 'postOxyPo2');
  const fromLab = fresh(inp, 'lab.post-oxygenator.po2');
  const po2 = fromConsole && (!fromLab || fromConsole.ts >= fromLab.ts) ? fromConsole : fromLab;
  const fdo2 = fresh(inp, 'fdo2');
  if (!po2 || !fdo2) return;
  c.resultTs = po2.ts;
  const L = inp.limits;
  if (fdo2.value! < L.postOxyPo2MinFdo2Pct) {
    c.state = 'false';
    c.value = po2.value;
    c.limit = L.postOxyPo2MmHg;
    return;
  }
  if (compare(c, po2.value!, L.postOxyPo2MmHg, 'low', MARGINS.postOxyPo2))
    holds(
      c,
      def.priorities[0],
      `Post-oxygenator PO2 ${fmt(po2.value!, 'postOxyPo2', L.postOxyPo2MmHg)} mmHg at FdO2 ${fmt(fdo2.value!, 'fdo2', L.postOxyPo2MinFdo2Pct)} % (${po2 === fromLab ? 'lab' : 'console'}), below ${round(L.postOxyPo2MmHg, 0)} mmHg`,
    );
}

function deliveryRatio(c: Condition, inp: AlarmInputs, def: AlarmDef): void {
  const r = known(inp, 'do2Vo2');
  if (!r) return;
  if (compare(c, r.value!, inp.limits.do2Vo2Min, 'low', MARGINS.do2Vo2))
    holds(c, def.priorities[0], `DO2/VO2 ${round(r.value!, 1, inp.limits.do2Vo2Min)}, below ${round(inp.limits.do2Vo2Min, 1)}`);
}

/** Hypotension (section 4): MAP in the Phoenix 1-point band for age medium, 2-point band high. */
function hypotension(c: Condition, inp: AlarmInputs, def: AlarmDef): void {
  const bands = hypotensionLimits(inp.patient?.ageMonths);
  const map = fresh(inp, 'map');
  if (!bands || !map) return;
  const v = map.value!;
  compare(c, v, bands.mediumBelow, 'low', MARGINS.map);
  if (v < bands.highBelow) {
    c.limit = bands.highBelow;
    holds(
      c,
      'high',
      `MAP ${fmt(v, 'map', bands.highBelow, bands.mediumBelow)} mmHg, below ${bands.highBelow} mmHg for age (Phoenix 2 points)`,
    );
  } else if (v < bands.mediumBelow)
    holds(
      c,
      def.priorities[0],
      `MAP ${fmt(v, 'map', bands.highBelow, bands.mediumBelow)} mmHg, below ${bands.mediumBelow} mmHg for age (Phoenix 1 point)`,
    );
}

const LACTATE_SIGNALS = LAB_SITES.map((site) => `lab.${site}.lactate`);
const ARTERIAL_LACTATE = 'lab.arterial.lactate';

/** Lactate (section 4): the newest result, arterial first while fresh (section 2), at or above the limit. */
/** The newest fresh lactate result, arterial preferred (section 2). */
function newestLactate(inp: AlarmInputs): { lv: LatestValue; signal: string } | null {
  const arterial = fresh(inp, ARTERIAL_LACTATE);
  if (arterial) return { lv: arterial, signal: ARTERIAL_LACTATE };
  let best: { lv: LatestValue; signal: string } | null = null;
  for (const s of LACTATE_SIGNALS) {
    const candidate = fresh(inp, s);
    if (candidate && (!best || candidate.ts > best.lv.ts)) best = { lv: candidate, signal: s };
  }
  return best;
}

function lactate(c: Condition, inp: AlarmInputs, def: AlarmDef): void {
  const newest = newestLactate(inp);
  if (!newest) return;
  const { lv, signal } = newest;
  c.resultTs = lv.ts;
  const limit = inp.limits.lactateMmolL;
  if (compare(c, lv.value!, limit, 'high', MARGINS.lactate, true))
    holds(
      c,
      def.priorities[0],
      `Lactate ${fmt(lv.value!, 'lactate', limit)} mmol/L (${signal.split('.')[1]}), at or above ${round(limit, 1)} mmol/L`,
    );
}

/** Lactate rising (section 4): a negative 2 h clearance, judged on each new result. */
function lactateClearance(c: Condition, inp: AlarmInputs, def: AlarmDef): void {
  const cl = known(inp, 'lactateClearance2h');
  if (!cl) return;
  c.resultTs = cl.ts;
  // A rise within the normal range is assay noise, not an oxygen debt: only a raised lactate
  // (above 2 mmol/L, Sepsis-3: Singer et al., JAMA 2016) that is still rising is worth a look.
  const newest = newestLactate(inp);
  if (!newest) return;
  if (newest.lv.value! <= LACTATE_CLEARANCE_MIN_MMOL_L) {
    c.state = 'false';
    return;
  }
  if (compare(c, cl.value!, LACTATE_CLEARANCE_LIMIT_PCT, 'low', MARGINS.lactateClearancePct))
    holds(c, def.priorities[0], `Lactate rising: 2 h clearance ${round(cl.value!, 0, LACTATE_CLEARANCE_LIMIT_PCT)} %`);
}

/** Blood temperature (section 4): below the low or above the high limit. */
function bloodTemperature(c: Condition, inp: AlarmInputs, def: AlarmDef): void {
  const t = fresh(inp, 'tBlood');
  if (!t) return;
  const v = t.value!;
  const { bloodTempLowC: low, bloodTempHighC: high } = inp.limits;
  const m = MARGINS.tBlood;
  // Judge against the nearer side: that is the one an episode clears from.
  const nearLow = marginsClear(v, low, 'low', m) <= marginsClear(v, high, 'high', m);
  if (nearLow ? compare(c, v, low, 'low', m) : compare(c, v, high, 'high', m))
    holds(
      c,
      def.priorities[0],
      `Blood temperature ${fmt(v, 'tBlood', low, high)} °C, ${nearLow ? 'below' : 'above'} ${round(nearLow ? low : high, 1)} °C`,
    );
}

/** Device offline (section 4): status offline, or silent (`stale`). A device never seen is not expected. */
function deviceOffline(device: WatchedDevice): Evaluator {
  return (c, inp, def) => {
    const state = inp.devices[device];
    if (state === 'stale' && inp.listeningS < DEVICE_SILENCE_S[device]) return; // unknown: the silence may be ours
    if (state === 'offline' || state === 'stale') {
      holds(c, def.priorities[0], `${DEVICE_NAMES[device]} ${state === 'offline' ? 'offline' : 'silent: no data'}`);
    } else c.state = 'false';
  };
}

/** Value rejected (section 4): 5 or more rejected messages of the bed within a minute. */
function valueRejected(c: Condition, inp: AlarmInputs, def: AlarmDef): void {
  const n = inp.rejectsLastMinute;
  if (!Number.isFinite(n)) return;
  if (compare(c, n, REJECTS_PER_MINUTE_LIMIT, 'high', MARGINS.rejects, true))
    holds(c, def.priorities[0], `${n} messages rejected in the last minute: a device sends invalid data`);
}

const EVALUATORS: Record<AlarmKey, Evaluator> = {
  pumpStopped,
  lowFlow,
  drainagePressure: drainage((inp) => inp.limits.drainageHighMmHg, 'Drainage pressure'),
  drainagePressureWarning: drainage((inp) => inp.limits.drainageWarningMmHg, 'Drainage pressure warning:'),
  postOxyPressure,
  oxyPressureDrop,
  venousSaturation,
  postOxyPo2,
  deliveryRatio,
  hypotension,
  lactate,
  lactateClearance,
  bloodTemperature,
  'deviceOffline.ecmo': deviceOffline('ecmo'),
  'deviceOffline.monitor': deviceOffline('monitor'),
  'deviceOffline.pump': deviceOffline('pump'),
  valueRejected,
};

/**
 * Each alarm in catalogue order with its evaluator, and whether its condition reads a derived value
 * (its `reads`): those are all that a recompute alone can change.
 */
const PLAN: readonly { def: AlarmDef; evaluate: Evaluator; readsDerived: boolean }[] = ALARMS.map((def) => ({
  def,
  evaluate: EVALUATORS[def.key],
  readsDerived: def.reads.some((r) => Object.hasOwn(DERIVED, r)),
}));
