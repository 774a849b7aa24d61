// Oxygen-debt burden (beyond what commercial monitors show, whose indices are closed models): how
// long, and how deep, a patient spent below plain thresholds, integrated exactly over time. A value
// holds from its time until the next value or until its maximum age, whichever comes first; beyond
// that the time is unknown, never counted as normal. Pure.

export interface TimedValue {
  ts: number;
  value: number | null;
}

export interface ThresholdBurden {
  /** Minutes in which the value was past the threshold. */
  minutes: number;
  /** Area past the threshold (threshold − value, or value − threshold), in unit·min. */
  area: number;
  /** Minutes with a known value. */
  knownMinutes: number;
  /** Minutes of the range without a known value (gaps, missing, before the first value). */
  unknownMinutes: number;
}

const MS_PER_MIN = 60_000;

/** The thresholds of the burden (docs/clinical.md section 5). */
export const BURDEN_THRESHOLDS = { svo2BelowPct: 50, do2Vo2Below: 3, lactateAtLeastMmolL: 4 } as const;

/** One summary of `GET /api/beds/{bed}/burden` (since T0, or one study interval). */
export interface BurdenSummary {
  fromTs: number;
  toTs: number;
  svo2Below50: ThresholdBurden;
  do2Vo2Below3: ThresholdBurden;
  lactateAtLeast4: ThresholdBurden;
  phoenixCvMinutes: { byValue: Record<string, number>; unknownMinutes: number };
}

/** `GET /api/beds/{bed}/burden`. */
export interface BurdenAnswer {
  bedId: string;
  studyId: string | null;
  thresholds: typeof BURDEN_THRESHOLDS;
  t0: number | null;
  sinceT0: BurdenSummary;
  intervals: (BurdenSummary & { key: string; label: string })[];
}

/**
 * Time and area past `threshold` (`below`: value < threshold; else value ≥ threshold) over
 * [fromMs, toMs), from `series` sorted by ts. Each value holds until the next one or `holdMs` after
 * its own time; a null value is unknown.
 */
export function thresholdBurden(
  series: readonly TimedValue[],
  threshold: number,
  below: boolean,
  holdMs: number,
  fromMs: number,
  toMs: number,
): ThresholdBurden {
  let inMs = 0;
  let area = 0;
  let knownMs = 0;
  forEachHeld(series, holdMs, fromMs, toMs, (value, ms) => {
    knownMs += ms;
    const past = below ? value < threshold : value >= threshold;
    if (!past) return;
    inMs += ms;
    area += Math.abs(threshold - value) * ms;
  });
  const total = Math.max(0, toMs - fromMs);
  return {
    minutes: inMs / MS_PER_MIN,
    area: area / MS_PER_MIN,
    knownMinutes: knownMs / MS_PER_MIN,
    unknownMinutes: (total - knownMs) / MS_PER_MIN,
  };
}

/** Minutes spent at each (rounded) value of a score, e.g. the Phoenix cardiovascular points. */
export function minutesPerValue(
  series: readonly TimedValue[],
  holdMs: number,
  fromMs: number,
  toMs: number,
): { byValue: Record<string, number>; unknownMinutes: number } {
  const byValue: Record<string, number> = {};
  let knownMs = 0;
  forEachHeld(series, holdMs, fromMs, toMs, (value, ms) => {
    const k = String(Math.round(value));
    byValue[k] = (byValue[k] ?? 0) + ms / MS_PER_MIN;
    knownMs += ms;
  });
  return { byValue, unknownMinutes: (Math.max(0, toMs - fromMs) - knownMs) / MS_PER_MIN };
}

/** Calls `f(value, ms)` for each stretch of [fromMs, toMs) during which a known value holds. */
function forEachHeld(
  series: readonly TimedValue[],
  holdMs: number,
  fromMs: number,
  toMs: number,
  f: (value: number, ms: number) => void,
): void {
  for (let i = 0; i < series.length; i++) {
    const s = series[i];
    if (s.value === null || !Number.isFinite(s.value)) continue;
    const nextTs = i + 1 < series.length ? series[i + 1].ts : Infinity;
    const start = Math.max(s.ts, fromMs);
    const end = Math.min(nextTs, s.ts + holdMs, toMs);
    if (end > start) f(s.value, end - start);
  }
}
