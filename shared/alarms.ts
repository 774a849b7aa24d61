// The alarm catalogue (docs/clinical.md section 4, "Default alarms"): one row per default alarm, the
// default limits a specialist may override per bed, and the clearing hysteresis. Server (which
// raises alarms) and client (which shows titles and limits) read this one table.
import { z } from 'zod';
import { PARAMS } from './catalogue.js';
import type { AlarmPriority } from './protocol.js';
import type { Patient } from './schemas.js';
import { phoenixMapPoints } from './calc/scores.js';

type AlarmKind = 'physiological' | 'technical';

/** Devices whose silence is an alarm (section 4, device offline); the lab reports hours apart by nature. */
export type WatchedDevice = 'ecmo' | 'monitor' | 'pump';

export type AlarmKey =
  | 'pumpStopped'
  | 'lowFlow'
  | 'drainagePressure'
  | 'drainagePressureWarning'
  | 'postOxyPressure'
  | 'oxyPressureDrop'
  | 'venousSaturation'
  | 'postOxyPo2'
  | 'deliveryRatio'
  | 'hypotension'
  | 'lactate'
  | 'lactateClearance'
  | 'bloodTemperature'
  | `deviceOffline.${WatchedDevice}`
  | 'valueRejected';

/** When an alarm applies: always, while on ECMO (either mode), or on VA ECMO only. */
export type AlarmScope = 'always' | 'ecmo' | 'va';

export interface AlarmDef {
  key: AlarmKey;
  title: string;
  kind: AlarmKind;
  /** Priorities the alarm can take, lowest first; with two, the priority escalates within one episode. */
  priorities: readonly AlarmPriority[];
  /** Onset delay: the condition must hold this long before the alarm is raised; 0 raises at once. */
  delayS: number;
  /** Raised by a new result that satisfies the condition ("on result" in section 4), not by time held. */
  onResult: boolean;
  scope: AlarmScope;
  /** `latest` signals and derived keys the condition reads. */
  reads: readonly string[];
  /** The condition in words, as section 4 states it with the default limits. */
  condition: string;
}

function row(
  key: AlarmKey,
  title: string,
  kind: AlarmKind,
  priorities: readonly AlarmPriority[],
  delayS: number,
  scope: AlarmScope,
  reads: readonly string[],
  condition: string,
  onResult = false,
): AlarmDef {
  return { key, title, kind, priorities, delayS, onResult, scope, reads, condition };
}

const HIGH = ['high'] as const;
const MEDIUM = ['medium'] as const;
const LOW = ['low'] as const;
const MEDIUM_HIGH = ['medium', 'high'] as const;
const MIN_S = 60;

/** Who speaks for a device in titles and messages. */
export const DEVICE_NAMES: Record<WatchedDevice, string> = { ecmo: 'ECMO console', monitor: 'Bedside monitor', pump: 'Infusion pumps' };

/**
 * Every default alarm of docs/clinical.md section 4, in the table's order. The ECMO console's
 * silence is high (the circuit is unwatched), the monitor's and the pumps' medium (section 4).
 */
export const ALARMS: readonly AlarmDef[] = [
  row('pumpStopped', 'Pump stopped', 'physiological', HIGH, 0, 'ecmo', ['flow', 'rpm'], 'flow < 0.05 L/min or rpm = 0'),
  row('lowFlow', 'Low flow', 'physiological', HIGH, 10, 'ecmo', ['flow'], 'flow below 80 % of the target flow'),
  row('drainagePressure', 'Drainage pressure', 'physiological', HIGH, 5, 'ecmo', ['pVen'], 'pVen < −100 mmHg'),
  row('drainagePressureWarning', 'Drainage pressure warning', 'physiological', MEDIUM, 10, 'ecmo', ['pVen'], 'pVen < −70 mmHg'),
  row('postOxyPressure', 'Post-oxygenator pressure', 'physiological', HIGH, 5, 'ecmo', ['pPost'], 'pPost > 300 mmHg'),
  row(
    'oxyPressureDrop',
    'Oxygenator pressure drop',
    'physiological',
    MEDIUM,
    MIN_S,
    'ecmo',
    ['dpOxy', 'rOxy'],
    'dpOxy > 50 mmHg, or rOxy up by > 30 % on its 1 h mean',
  ),
  row(
    'venousSaturation',
    'Venous saturation',
    'physiological',
    MEDIUM_HIGH,
    30,
    'always',
    ['svo2', 'lab.pre-oxygenator.so2', 'lab.central-venous.so2'],
    'pre-oxygenator saturation < 60 % (medium), < 50 % (high)',
  ),
  row(
    'postOxyPo2',
    'Post-oxygenator PO2',
    'physiological',
    MEDIUM,
    0,
    'ecmo',
    ['postOxyPo2', 'lab.post-oxygenator.po2', 'fdo2'],
    'post-oxygenator PO2 < 150 mmHg with FdO2 ≥ 60 %',
    true,
  ),
  row('deliveryRatio', 'Delivery ratio', 'physiological', MEDIUM, 5 * MIN_S, 'va', ['do2Vo2'], 'DO2/VO2 < 3 (VA)'),
  row(
    'hypotension',
    'Hypotension',
    'physiological',
    MEDIUM_HIGH,
    30,
    'always',
    ['map'],
    'MAP in the Phoenix 1-point band for age (medium), 2-point band (high)',
  ),
  row('lactate', 'Lactate', 'physiological', MEDIUM, 0, 'always', ['lab.*.lactate'], 'lactate ≥ 4 mmol/L', true),
  row('lactateClearance', 'Lactate rising', 'physiological', LOW, 0, 'always', ['lactateClearance2h'], '2 h lactate clearance < 0', true),
  row('bloodTemperature', 'Blood temperature', 'physiological', LOW, MIN_S, 'ecmo', ['tBlood'], 'tBlood < 35 °C or > 38.5 °C'),
  row('deviceOffline.ecmo', 'ECMO console offline', 'technical', HIGH, 0, 'ecmo', [], 'status offline, or no numerics for 10 s'),
  row('deviceOffline.monitor', 'Bedside monitor offline', 'technical', MEDIUM, 0, 'always', [], 'status offline, or no numerics for 10 s'),
  row('deviceOffline.pump', 'Infusion pumps offline', 'technical', MEDIUM, 0, 'always', [], 'status offline, or silent for 90 s'),
  row('valueRejected', 'Values rejected', 'technical', LOW, 0, 'always', [], '≥ 5 rejected messages in 1 min'),
];

export const ALARM_KEYS: readonly AlarmKey[] = ALARMS.map((a) => a.key);

const BY_KEY = new Map<string, AlarmDef>(ALARMS.map((a) => [a.key, a]));

/** The catalogue row of an alarm key, or undefined for a key the catalogue does not know. */
export function alarmDef(key: string): AlarmDef | undefined {
  return BY_KEY.get(key);
}

// ---- Limits ------------------------------------------------------------------------------------

/** Pump stopped (section 4): flow below 0.05 L/min or the pump at 0 rpm. Not a bed limit: it defines "stopped". */
export const PUMP_STOPPED_FLOW_LMIN = 0.05;
/**
 * Pump stopped clears once flow is above 0.1 L/min: the threshold docs/clinical.md section 5 uses for
 * "pump flow started". The generic margin (2 % of flow's range, at least 1 L/min) would exceed a
 * neonate's whole flow.
 */
export const PUMP_RUNNING_FLOW_LMIN = 0.1;
/** Lactate rising: a negative 2 h clearance (section 4). */
export const LACTATE_CLEARANCE_LIMIT_PCT = 0;
/**
 * A negative clearance alarms only while the newest lactate is above this: below it a "rise" is
 * within the normal range and the assay's noise (hyperlactataemia > 2 mmol/L, Sepsis-3, Singer et
 * al., JAMA 2016; not in the clinical table, which leaves the lower bound open).
 */
export const LACTATE_CLEARANCE_MIN_MMOL_L = 2;
/** Value rejected: 5 or more rejected messages of a bed within 60 s (section 4). */
export const REJECTS_PER_MINUTE_LIMIT = 5;

/**
 * Default target flow when the patient configuration sets none (section 4, low flow):
 * 100 mL/kg/min under 10 kg, 80 mL/kg/min from 10 kg.
 */
export const TARGET_FLOW = { smallChildMlKgMin: 100, largerChildMlKgMin: 80, splitKg: 10 } as const;
const ML_PER_L = 1000;

interface Bound {
  min: number;
  max: number;
  /** The bound is open at `min`: a limit of exactly `min` means nothing (a 0 % target). */
  aboveMin?: boolean;
}

const range = (key: keyof typeof PARAMS): Bound => ({ min: PARAMS[key].min, max: PARAMS[key].max });
const PERCENT_ABOVE_0: Bound = { min: 0, max: 100, aboveMin: true };

/**
 * Where each limit may be set: the catalogue's plausible range of what it is compared with. Derived
 * quantities have no catalogue row: dpOxy spans what pPre − pPost can measure; DO2/VO2 cannot fall
 * below 1 (circuit delivery includes what the oxygenator adds) and 10 is a generous ceiling.
 */
export const LIMIT_BOUNDS = {
  drainageHighMmHg: range('pVen'),
  drainageWarningMmHg: range('pVen'),
  postOxyPressureMmHg: range('pPost'),
  dpOxyMmHg: { min: 0, max: PARAMS.pPre.max - PARAMS.pPost.min, aboveMin: true },
  rOxyRisePct: PERCENT_ABOVE_0,
  venousSatMediumPct: range('svo2'),
  venousSatHighPct: range('svo2'),
  postOxyPo2MmHg: range('postOxyPo2'),
  postOxyPo2MinFdo2Pct: range('fdo2'),
  do2Vo2Min: { min: 1, max: 10 },
  lactateMmolL: { ...range('lactate'), aboveMin: true },
  bloodTempLowC: range('tBlood'),
  bloodTempHighC: range('tBlood'),
  lowFlowPctOfTarget: PERCENT_ABOVE_0,
  targetFlowLMin: { min: 0, max: PARAMS.flow.max, aboveMin: true },
} as const satisfies Record<string, Bound>;

function bounded(b: Bound) {
  const n = z.number().finite().max(b.max);
  return b.aboveMin ? n.gt(b.min) : n.min(b.min);
}

/** Each limit as a bounded number; the full and the partial schema are both built from these. */
const limitNumbers = {
  drainageHighMmHg: bounded(LIMIT_BOUNDS.drainageHighMmHg),
  drainageWarningMmHg: bounded(LIMIT_BOUNDS.drainageWarningMmHg),
  postOxyPressureMmHg: bounded(LIMIT_BOUNDS.postOxyPressureMmHg),
  dpOxyMmHg: bounded(LIMIT_BOUNDS.dpOxyMmHg),
  rOxyRisePct: bounded(LIMIT_BOUNDS.rOxyRisePct),
  venousSatMediumPct: bounded(LIMIT_BOUNDS.venousSatMediumPct),
  venousSatHighPct: bounded(LIMIT_BOUNDS.venousSatHighPct),
  postOxyPo2MmHg: bounded(LIMIT_BOUNDS.postOxyPo2MmHg),
  postOxyPo2MinFdo2Pct: bounded(LIMIT_BOUNDS.postOxyPo2MinFdo2Pct),
  do2Vo2Min: bounded(LIMIT_BOUNDS.do2Vo2Min),
  lactateMmolL: bounded(LIMIT_BOUNDS.lactateMmolL),
  bloodTempLowC: bounded(LIMIT_BOUNDS.bloodTempLowC),
  bloodTempHighC: bounded(LIMIT_BOUNDS.bloodTempHighC),
  lowFlowPctOfTarget: bounded(LIMIT_BOUNDS.lowFlowPctOfTarget),
  targetFlowLMin: bounded(LIMIT_BOUNDS.targetFlowLMin),
};
export type LimitKey = keyof typeof limitNumbers;
const LIMIT_KEYS = Object.keys(limitNumbers) as LimitKey[];

/**
 * One bed's alarm limits, all of them. Cross-checks: the drainage warning sits above (less negative
 * than) the high limit, the high-priority venous saturation limit below the medium one, and the
 * blood temperature band is not empty.
 */
export const bedLimitsSchema = z
  .object({
    ...limitNumbers,
    /** null: from the patient configuration or the weight (section 4, low flow). */
    targetFlowLMin: limitNumbers.targetFlowLMin.nullable(),
  })
  .strict()
  .refine((l) => l.drainageWarningMmHg > l.drainageHighMmHg, {
    path: ['drainageWarningMmHg'],
    message: 'the drainage warning limit must be above (less negative than) the high limit',
  })
  .refine((l) => l.venousSatHighPct < l.venousSatMediumPct, {
    path: ['venousSatHighPct'],
    message: 'the high-priority venous saturation limit must be below the medium one',
  })
  .refine((l) => l.bloodTempLowC < l.bloodTempHighC, {
    path: ['bloodTempLowC'],
    message: 'the low blood temperature limit must be below the high one',
  });
export type BedLimits = z.infer<typeof bedLimitsSchema>;

/** The defaults of docs/clinical.md section 4. */
export const DEFAULT_LIMITS: BedLimits = Object.freeze({
  drainageHighMmHg: -100,
  drainageWarningMmHg: -70,
  postOxyPressureMmHg: 300,
  dpOxyMmHg: 50,
  rOxyRisePct: 30,
  venousSatMediumPct: 60,
  venousSatHighPct: 50,
  postOxyPo2MmHg: 150,
  postOxyPo2MinFdo2Pct: 60,
  do2Vo2Min: 3,
  lactateMmolL: 4,
  bloodTempLowC: 35,
  bloodTempHighC: 38.5,
  lowFlowPctOfTarget: 80,
  targetFlowLMin: null,
});

/**
 * `PUT /api/beds/{bed}/limits`: a specialist sends only what changes; `null` resets a limit to its
 * default. Unknown names are refused (a misspelt limit must not be silently ignored).
 */
export const bedLimitsOverrideSchema = z
  .object(
    Object.fromEntries(LIMIT_KEYS.map((k) => [k, limitNumbers[k].nullable().optional()])) as {
      [K in LimitKey]: z.ZodOptional<z.ZodNullable<(typeof limitNumbers)[K]>>;
    },
  )
  .strict();

/** The overrides a bed stores: each present field replaces the default. */
export type BedLimitsOverrides = Partial<Record<LimitKey, number>>;
/** A `PUT` body: a number sets a limit, `null` resets it. */
export type BedLimitsPatch = Partial<Record<LimitKey, number | null>>;

/** Where a bed's target flow came from. */
type TargetFlowSource = 'limits' | 'patient' | 'weight';

export interface EffectiveLimits extends Omit<BedLimits, 'targetFlowLMin'> {
  /** Target pump flow, L/min; null when neither set nor derivable (no weight). */
  targetFlowLMin: number | null;
  targetFlowFrom: TargetFlowSource | null;
}

/** Default target flow from weight, L/min (section 4): 100 mL/kg/min under 10 kg, 80 from 10 kg. */
export function targetFlowFromWeight(weightKg: number | null | undefined): number | null {
  if (weightKg === null || weightKg === undefined || !Number.isFinite(weightKg) || weightKg <= 0) return null;
  const perKg = weightKg < TARGET_FLOW.splitKg ? TARGET_FLOW.smallChildMlKgMin : TARGET_FLOW.largerChildMlKgMin;
  return (weightKg * perKg) / ML_PER_L;
}

/**
 * A bed's effective limits: the overrides over the defaults, and the target flow from, in order, the
 * bed's limits, the patient configuration's `targetFlowLMin`, the weight (section 4, low flow).
 */
export function resolveLimits(overrides: BedLimitsOverrides | null | undefined, patient: Patient | null): EffectiveLimits {
  const merged: BedLimits = { ...DEFAULT_LIMITS, ...(overrides ?? {}) };
  let target: number | null = merged.targetFlowLMin;
  let from: TargetFlowSource | null = target !== null ? 'limits' : null;
  if (target === null && patient?.targetFlowLMin !== undefined) {
    target = patient.targetFlowLMin;
    from = 'patient';
  }
  if (target === null) {
    target = targetFlowFromWeight(patient?.weightKg);
    from = target === null ? null : 'weight';
  }
  return { ...merged, targetFlowLMin: target, targetFlowFrom: from };
}

/**
 * Applies a `PUT` body to a bed's stored overrides: numbers replace, `null` removes. The result is
 * checked as a whole (cross-checks span fields), so an error is a value, never a throw.
 */
export function applyLimitsPatch(
  current: BedLimitsOverrides,
  patch: BedLimitsPatch,
): { ok: true; overrides: BedLimitsOverrides } | { ok: false; message: string } {
  const next: BedLimitsOverrides = { ...current };
  for (const k of LIMIT_KEYS) {
    if (!(k in patch)) continue;
    const v = patch[k];
    if (v === null || v === undefined) delete next[k];
    else next[k] = v;
  }
  const checked = bedLimitsSchema.safeParse({ ...DEFAULT_LIMITS, ...next });
  if (!checked.success) {
    const message = checked.error.issues.map((i) => `${i.path.join('.') || '(limits)'}: ${i.message}`).join('; ');
    return { ok: false, message };
  }
  return { ok: true, overrides: next };
}

// ---- Hysteresis --------------------------------------------------------------------------------

/**
 * Clearing (section 4): the value must be back inside the limit by 2 % of the parameter's range, at
 * least 1 unit, and stay there for 5 s.
 */
export const HYSTERESIS = { rangeFraction: 0.02, minUnits: 1, holdS: 5 } as const;

/** The hysteresis margin for a parameter whose range is `min`..`max`. */
export function hysteresisMargin(min: number, max: number): number {
  return Math.max(HYSTERESIS.rangeFraction * (max - min), HYSTERESIS.minUnits);
}

const marginOf = (b: Bound) => hysteresisMargin(b.min, b.max);

/**
 * Margins per compared quantity, in its unit. Raw values use the catalogue range; derived ones, with
 * no catalogue row, the range their limit may be set in ("the limit's range", section 4); a
 * percentage's range is 0–100 %; the rejection count has no range and takes the 1-unit floor.
 * Flow is special: low flow is compared as a percentage of target (margin 2 points of target), pump
 * stopped clears above PUMP_RUNNING_FLOW_LMIN.
 */
export const MARGINS = {
  pVen: marginOf(range('pVen')),
  pPost: marginOf(range('pPost')),
  dpOxy: marginOf(LIMIT_BOUNDS.dpOxyMmHg),
  rOxyRisePct: marginOf(PERCENT_ABOVE_0),
  venousSat: marginOf(range('svo2')),
  postOxyPo2: marginOf(range('postOxyPo2')),
  do2Vo2: marginOf(LIMIT_BOUNDS.do2Vo2Min),
  map: marginOf(range('map')),
  lactate: marginOf(range('lactate')),
  lactateClearancePct: marginOf(PERCENT_ABOVE_0),
  tBlood: marginOf(range('tBlood')),
  lowFlowPctOfTarget: marginOf(PERCENT_ABOVE_0),
  rejects: HYSTERESIS.minUnits,
} as const;

// ---- Hypotension -------------------------------------------------------------------------------

/** MAP limits of the Phoenix bands for an age: medium below `mediumBelow`, high below `highBelow`. */
export interface HypotensionLimits {
  mediumBelow: number;
  highBelow: number;
}

const hypotensionCache = new Map<number, HypotensionLimits>();
const HYPOTENSION_CACHE_SIZE = 512;

/** Smallest whole MAP (mmHg) that scores at most `points` at this age; the bands are whole numbers. */
function firstMapScoring(points: number, ageMonths: number): number {
  let lo = PARAMS.map.min;
  let hi = PARAMS.map.max;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((phoenixMapPoints(mid, ageMonths) ?? 0) <= points) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Hypotension limits for an age (section 4: the Phoenix MAP bands of section 3.3), read from
 * `phoenixMapPoints` so the alarm and the score can never disagree. Null without a usable age.
 */
export function hypotensionLimits(ageMonths: number | null | undefined): HypotensionLimits | null {
  if (ageMonths === null || ageMonths === undefined || !Number.isFinite(ageMonths) || ageMonths < 0) return null;
  let l = hypotensionCache.get(ageMonths);
  if (!l) {
    // Ages are whole months in practice; the bound only guards against a stream of fractional ones.
    if (hypotensionCache.size >= HYPOTENSION_CACHE_SIZE) hypotensionCache.clear();
    l = { mediumBelow: firstMapScoring(0, ageMonths), highBelow: firstMapScoring(1, ageMonths) };
    hypotensionCache.set(ageMonths, l);
  }
  return l;
}
