// GET /api/beds/{bed}/burden: the oxygen-debt burden of a bed (shared/burden.ts) from the
// recording, since T0 and per study interval. Thresholds: SvO2 below 50 %, DO2/VO2 below 3,
// lactate 4 mmol/L or more (results carried until the next, at most their maximum age), and the
// minutes at each Phoenix cardiovascular score.
import {
  BURDEN_THRESHOLDS,
  minutesPerValue,
  thresholdBurden,
  type BurdenAnswer,
  type BurdenSummary,
  type TimedValue,
} from '../../shared/burden.js';
import { LAB_SITES, PARAMS, labSignal } from '../../shared/catalogue.js';
import type { TimelineEvent } from '../../shared/protocol.js';
import { studyIntervals, t0Of } from '../../shared/timeline.js';
import type { SampleRow } from '../record/recorder.js';

/** Derived values are recorded once a second; a gap longer than a device value's maximum age is unknown. */
const DERIVED_HOLD_MS = PARAMS.svo2.maxAgeS * 1000;
/** Without a T0, the burden covers at most this far back. */
const DEFAULT_SPAN_MS = 7 * 24 * 3600_000;

const LACTATE_SIGNALS = LAB_SITES.map((s) => labSignal(s, 'lactate'));

export async function burdenOf(
  bed: { bedId: string; studyId: string | null },
  events: readonly TimelineEvent[],
  nowMs: number,
  read: (signals: readonly string[], fromMs: number, toMs: number) => Promise<SampleRow[]>,
): Promise<BurdenAnswer> {
  const t0 = t0Of(events);
  const from = t0 ?? nowMs - DEFAULT_SPAN_MS;
  const rows = await read(['svo2', 'do2Vo2', 'phoenixCv', ...LACTATE_SIGNALS], from, nowMs);
  const series = (pred: (s: string) => boolean): TimedValue[] =>
    rows
      .filter((r) => pred(r.signal))
      .map((r) => ({ ts: r.ts, value: r.value }))
      .sort((a, b) => a.ts - b.ts);
  const svo2 = series((s) => s === 'svo2');
  const ratio = series((s) => s === 'do2Vo2');
  const phoenix = series((s) => s === 'phoenixCv');
  const lactate = series((s) => s.endsWith('.lactate'));
  const summary = (a: number, b: number): BurdenSummary => ({
    fromTs: a,
    toTs: b,
    svo2Below50: thresholdBurden(svo2, BURDEN_THRESHOLDS.svo2BelowPct, true, PARAMS.svo2.maxAgeS * 1000, a, b),
    do2Vo2Below3: thresholdBurden(ratio, BURDEN_THRESHOLDS.do2Vo2Below, true, DERIVED_HOLD_MS, a, b),
    lactateAtLeast4: thresholdBurden(lactate, BURDEN_THRESHOLDS.lactateAtLeastMmolL, false, PARAMS.lactate.maxAgeS * 1000, a, b),
    phoenixCvMinutes: minutesPerValue(phoenix, DERIVED_HOLD_MS, a, b),
  });
  const intervals = studyIntervals(events)
    .filter((i) => i.fromTs !== null && i.toTs !== null && i.toTs > i.fromTs)
    .map((i) => ({ key: i.key, label: i.label, ...summary(i.fromTs!, Math.min(i.toTs!, nowMs)) }));
  return { bedId: bed.bedId, studyId: bed.studyId, thresholds: BURDEN_THRESHOLDS, t0, sinceT0: summary(from, nowMs), intervals };
}
