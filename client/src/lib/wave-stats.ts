// What a waveform strip reads from its own samples: the numeric beside the wave (an arterial line's
// systolic, diastolic and mean; the pulse rate of a plethysmogram) and a steady vertical scale.
// Pure functions over sorted columns (times in seconds, gap markers NaN), as the chart holds them.

/** A beat starts where the wave rises through this share of its range, after falling below LOW. */
const BEAT_HIGH = 0.6;
const BEAT_LOW = 0.3;
/** Less swing than this share of the scale's step is no pulse (a flat line, a flush, a sensor off). */
const MIN_SWING_STEPS = 0.2;
/** Fastest and slowest pulse believed, per minute (paediatric range with margin). */
const MAX_RATE_MIN = 300;
const MIN_RATE_MIN = 20;

export interface WaveNumbers {
  /** Highest and lowest sample: systolic and diastolic on an arterial line. */
  max: number;
  min: number;
  /** Mean over whole beats when there are any, else over all samples. */
  mean: number;
  /** Beats per minute, null when no regular pulse is seen. */
  ratePerMin: number | null;
}

/** Index of the first time at or after `t` in sorted `xs` (xs.length when none). */
export function lowerBound(xs: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The numbers of the samples from `fromS` on; null without samples. `step` is the signal's scale
 * step (10 mmHg): a swing below a fifth of it has no beats.
 */
export function waveNumbers(xs: ArrayLike<number>, ys: ArrayLike<number>, fromS: number, step: number): WaveNumbers | null {
  const start = lowerBound(xs, fromS);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (let i = start; i < ys.length; i++) {
    const v = ys[i];
    if (Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    n++;
  }
  if (n === 0) return null;
  const swing = max - min;
  if (swing < MIN_SWING_STEPS * step) return { max, min, mean: sum / n, ratePerMin: null };

  // Beat onsets: rising through the upper threshold after having been below the lower one (the
  // hysteresis keeps a dicrotic notch from counting twice). Only whole beats count, from one onset
  // to the next with no gap between them: a gap disarms the detector and forgets the last onset.
  const high = min + BEAT_HIGH * swing;
  const low = min + BEAT_LOW * swing;
  let armed = false;
  let lastOnset = -1;
  let beats = 0;
  let beatsS = 0;
  let beatSum = 0;
  let beatN = 0;
  let runSum = 0;
  let runN = 0;
  for (let i = start; i < ys.length; i++) {
    const v = ys[i];
    if (Number.isNaN(v)) {
      armed = false;
      lastOnset = -1;
      continue;
    }
    if (v < low) armed = true;
    else if (armed && v >= high) {
      armed = false;
      if (lastOnset >= 0) {
        beats++;
        beatsS += xs[i] - xs[lastOnset];
        beatSum += runSum;
        beatN += runN;
      }
      lastOnset = i;
      runSum = 0;
      runN = 0;
    }
    runSum += v;
    runN++;
  }
  const mean = beatN > 0 ? beatSum / beatN : sum / n;
  if (beats < 2) return { max, min, mean, ratePerMin: null };
  const rate = (beats / beatsS) * 60;
  return { max, min, mean, ratePerMin: rate >= MIN_RATE_MIN && rate <= MAX_RATE_MIN ? rate : null };
}

/**
 * The vertical scale in whole steps around [lo, hi] with a quarter step to spare, at least two steps
 * tall. `current` (updated in place, and returned: nothing is allocated per frame) is kept while it
 * holds the wave with that margin and is not more than two steps taller than needed, so the scale
 * moves only when the wave leaves it, never with each beat.
 */
export function waveRange(lo: number, hi: number, step: number, current: [number, number] = [NaN, NaN]): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    if (!Number.isFinite(current[0]) || !Number.isFinite(current[1])) {
      current[0] = 0;
      current[1] = 2 * step;
    }
    return current;
  }
  const padLo = lo - step / 4;
  const padHi = hi + step / 4;
  let min = Math.floor(padLo / step) * step;
  let max = Math.ceil(padHi / step) * step;
  if (max - min < 2 * step) {
    const mid = Math.round((lo + hi) / 2 / step) * step;
    min = Math.min(min, mid - step);
    max = Math.max(max, mid + step);
  }
  const keep = current[0] <= padLo && current[1] >= padHi && current[1] - current[0] <= max - min + 2 * step;
  if (!keep) {
    current[0] = min;
    current[1] = max;
  }
  return current;
}
