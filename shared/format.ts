// Numbers on screen that do not lie: a value is shown with its catalogue precision, and with more
// decimals where rounding would move it across one of its alarm limits or score band edges
// (docs/clinical.md sections 3.1, 3.3 and 4). A DO2/VO2 of 2.979 is below its limit of 3: it shows
// "2.98", never "3.0". Doses, spanning five orders of magnitude, show significant digits instead.
// Pure: the dashboard calls these with the bed's limits and patient.
import {
  LACTATE_CLEARANCE_LIMIT_PCT,
  LACTATE_CLEARANCE_MIN_MMOL_L,
  PUMP_RUNNING_FLOW_LMIN,
  PUMP_STOPPED_FLOW_LMIN,
  hypotensionLimits,
  resolveLimits,
  type BedLimitsOverrides,
  type EffectiveLimits,
} from './alarms.js';
import { DERIVED, paramOfSignal, type DerivedDef } from './catalogue.js';
import type { Patient } from './schemas.js';

/** Decimals that may be added to a catalogue precision to keep a value on its side of a threshold. */
export const MAX_EXTRA_DECIMALS = 3;

/** "A VIS of 20 or more is the usual 'high' mark" (docs/clinical.md section 3.3, validity; Gaies 2014). */
export const VIS_HIGH_MARK = 20;

/**
 * Phoenix lactate part (section 3.3): 1 point from 5 mmol/L, 2 points from 11. `phoenixLactatePoints`
 * compares with these; format.test.ts checks that the two agree.
 */
export const PHOENIX_LACTATE_EDGES = [5, 11] as const;

/** Significant digits of a drug dose on screen (0.0003 units/kg/min, 0.05 or 12.5 mcg/kg/min). */
const DOSE_SIGNIFICANT_DIGITS = 3;
/** Below a millionth per kg and minute a dose shows as "<0.000001" rather than as zero. */
const DOSE_MAX_DECIMALS = 6;

const DASH = '—';

/** The catalogue's display precision of a raw signal (`lab.arterial.lactate` reads as lactate) or derived key. */
function precisionOf(key: string): number {
  const derived = (DERIVED as Record<string, DerivedDef>)[key];
  if (derived) return derived.precision;
  return paramOfSignal(key)?.precision ?? 1;
}

/** -1, 0 or 1: where `x` lies against `threshold` (−0 counts as 0). */
const side = (x: number, threshold: number) => (x < threshold ? -1 : x > threshold ? 1 : 0);

function keepsSides(shown: number, value: number, thresholds: readonly number[]): boolean {
  return thresholds.every((t) => side(shown, t) === side(value, t));
}

/**
 * `value` to `precision` decimals, or more (at most `maxExtra` more) where rounding would put it on
 * the other side of a threshold or onto one it is not equal to: strictly below stays strictly below,
 * a value exactly at a threshold shows the threshold. Past the cap the last decimal is rounded
 * towards the value's side instead of to the nearest (2.99999 with limit 3 shows "2.9999"). Only
 * thresholds closer together than one step of the last decimal could defeat this; limits are set in
 * far coarser steps.
 */
export function formatHonest(
  value: number | null | undefined,
  precision: number,
  thresholds: readonly number[] = [],
  maxExtra = MAX_EXTRA_DECIMALS,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const edges = thresholds.filter((t) => Number.isFinite(t));
  const last = precision + maxExtra;
  for (let d = precision; d <= last; d++) {
    const text = value.toFixed(d);
    if (keepsSides(Number(text), value, edges)) return text;
  }
  return roundedTowardsValue(value, last, edges);
}

/** The cap reached: one step of the last decimal back towards the value from the threshold it crossed. */
function roundedTowardsValue(value: number, decimals: number, edges: readonly number[]): string {
  const text = value.toFixed(decimals);
  const shown = Number(text);
  const crossed = edges.find((t) => side(shown, t) !== side(value, t) && side(value, t) !== 0);
  if (crossed === undefined) return text;
  const step = 10 ** -decimals;
  return (value < crossed ? shown - step : shown + step).toFixed(decimals);
}

/** A raw signal or derived value with its catalogue precision, kept honest against `thresholds`. */
export function formatForDisplay(key: string, value: number | null | undefined, thresholds: readonly number[] = []): string {
  return formatHonest(value, precisionOf(key), thresholds);
}

/**
 * A drug dose to DOSE_SIGNIFICANT_DIGITS significant digits, trailing zeros dropped: 0.0003 units/kg/min
 * shows "0.0003" (not "0.000", which reads as nothing running), 0.05 "0.05", 12.5 "12.5", 150 "150".
 */
export function formatDose(dose: number | null | undefined): string {
  if (dose === null || dose === undefined || !Number.isFinite(dose)) return DASH;
  if (dose === 0) return '0';
  const smallest = 10 ** -DOSE_MAX_DECIMALS;
  if (Math.abs(dose) < smallest) return `${dose > 0 ? '<' : '>-'}${smallest.toFixed(DOSE_MAX_DECIMALS)}`;
  const magnitude = Math.floor(Math.log10(Math.abs(dose)));
  const decimals = Math.min(DOSE_MAX_DECIMALS, Math.max(0, DOSE_SIGNIFICANT_DIGITS - 1 - magnitude));
  const text = dose.toFixed(decimals);
  return decimals > 0 ? text.replace(/\.?0+$/, '') : text;
}

const MIN_PER_HOUR = 60;

/**
 * A pump's dose as clinicians prescribe it. Anticoagulants and other drugs made up in units (heparin,
 * insulin) are prescribed per hour: units/kg/min becomes units/kg/h (0.417 → "25"). Vasopressin and
 * the catecholamines stay per minute, as their doses and the VIS are written.
 */
export function prescribedDose(drug: string, dose: number | null | undefined, doseUnit: string): { value: string; unit: string } {
  if (doseUnit === 'units/kg/min' && drug !== 'vasopressin') {
    return { value: formatDose(dose === null || dose === undefined ? dose : dose * MIN_PER_HOUR), unit: 'units/kg/h' };
  }
  return { value: formatDose(dose), unit: doseUnit };
}

// ---- Thresholds --------------------------------------------------------------------------------

/** What a bed's thresholds depend on: its effective alarm limits, and the patient's age and weight. */
export interface DisplayContext {
  limits: EffectiveLimits;
  ageMonths: number | null;
  weightKg: number | null;
}

/** A bed's display context from its limit overrides (GET /api/beds/{bed}/limits) and patient; defaults without either. */
export function displayContext(overrides: BedLimitsOverrides | null | undefined, patient: Patient | null | undefined): DisplayContext {
  return {
    limits: resolveLimits(overrides, patient ?? null),
    ageMonths: patient?.ageMonths ?? null,
    weightKg: patient?.weightKg ?? null,
  };
}

const DEFAULT_CONTEXT = displayContext(null, null);
const ML_PER_L = 1000;
const PERCENT = 100;

/** Low flow's limit in L/min (section 4: below lowFlowPctOfTarget % of the target), null without a target. */
export function lowFlowLimitLMin(limits: EffectiveLimits): number | null {
  return limits.targetFlowLMin === null ? null : (limits.targetFlowLMin * limits.lowFlowPctOfTarget) / PERCENT;
}

const perKg = (lMin: number | null, weightKg: number | null) =>
  lMin === null || weightKg === null || weightKg <= 0 ? null : (lMin * ML_PER_L) / weightKg;

const present = (xs: readonly (number | null)[]): number[] => xs.filter((x): x is number => x !== null && Number.isFinite(x));

/** `lab.<site>.<key>` → [site, key]; a device signal has no site. */
function splitSignal(key: string): [site: string | null, name: string] {
  const parts = key.split('.');
  return parts.length === 3 && parts[0] === 'lab' ? [parts[1], parts[2]] : [null, key];
}

const VENOUS_SAT_SITES = new Set(['pre-oxygenator', 'central-venous']);

/**
 * The alarm limits and score band edges a displayed key is compared with (sections 3.1, 3.3, 4), so
 * that its rounding can respect them. Without a context: the default limits, and neither the
 * age-dependent MAP bands nor weight-based flow targets.
 */
export function thresholdsFor(key: string, ctx: DisplayContext = DEFAULT_CONTEXT): number[] {
  const l = ctx.limits;
  const [site, name] = splitSignal(key);
  const lowFlow = lowFlowLimitLMin(l);
  const mapBands = hypotensionLimits(ctx.ageMonths);
  if (site !== null) {
    if (name === 'lactate') return present([l.lactateMmolL, LACTATE_CLEARANCE_MIN_MMOL_L, ...PHOENIX_LACTATE_EDGES]);
    if (name === 'so2' && VENOUS_SAT_SITES.has(site)) return [l.venousSatHighPct, l.venousSatMediumPct];
    if (name === 'po2' && site === 'post-oxygenator') return [l.postOxyPo2MmHg];
    return [];
  }
  switch (name) {
    case 'flow':
      return present([PUMP_STOPPED_FLOW_LMIN, PUMP_RUNNING_FLOW_LMIN, lowFlow, l.targetFlowLMin]);
    case 'flowPerKg':
      return present([perKg(lowFlow, ctx.weightKg), perKg(l.targetFlowLMin, ctx.weightKg)]);
    case 'rpm':
      return [0];
    case 'pVen':
      return [l.drainageHighMmHg, l.drainageWarningMmHg];
    case 'pPost':
      return [l.postOxyPressureMmHg];
    case 'dpOxy':
      return [l.dpOxyMmHg];
    case 'svo2':
      return [l.venousSatHighPct, l.venousSatMediumPct];
    case 'postOxyPo2':
      return [l.postOxyPo2MmHg];
    case 'fdo2':
      return [l.postOxyPo2MinFdo2Pct];
    case 'do2Vo2':
      return [l.do2Vo2Min];
    case 'map':
      return mapBands ? [mapBands.highBelow, mapBands.mediumBelow] : [];
    case 'lactate':
      return present([l.lactateMmolL, LACTATE_CLEARANCE_MIN_MMOL_L, ...PHOENIX_LACTATE_EDGES]);
    case 'lactateClearance2h':
    case 'lactateClearance6h':
      return [LACTATE_CLEARANCE_LIMIT_PCT];
    case 'tBlood':
      return [l.bloodTempLowC, l.bloodTempHighC];
    case 'vis':
      return [VIS_HIGH_MARK];
    default:
      return [];
  }
}

/** A raw or derived value as the screen shows it for a bed: catalogue precision, honest against the bed's thresholds. */
export function formatFor(key: string, value: number | null | undefined, ctx?: DisplayContext): string {
  return formatForDisplay(key, value, thresholdsFor(key, ctx));
}
