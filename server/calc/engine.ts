// Calculation stage: a bed's derived values (shared/calc) and the windowed statistics of its
// monitor and console signals. The pipeline's step recomputes after every change of an input, and
// the tick does too, because inputs age into staleness without any new message; readers only read.
import { DEFAULT_RANGES, DERIVED_KEYS, ECMO_KEYS, MONITOR_KEYS } from '../../shared/catalogue.js';
import { computeDerived, infusionDoses, type DerivedSet, type PumpChannelInput } from '../../shared/calc/derive.js';
import type { DerivedValue, Infusion, WindowStats } from '../../shared/protocol.js';
import type { BedState } from '../state/bed.js';
import { SignalWindows } from './window-stats.js';

/** Signals with windowed statistics: the streamed device values (lab results are hours apart). */
const WINDOWED = new Set<string>([...MONITOR_KEYS, ...ECMO_KEYS]);

const EMPTY: Record<string, DerivedValue> = Object.freeze({});
const HOUR_WINDOW = '60m';
/** A mean over the hour needs this many samples (10 min at 1 Hz) before it says anything. */
const MIN_SAMPLES_FOR_MEAN = 600;

function sameShown(a: DerivedValue | undefined, b: DerivedValue): boolean {
  return !!a && a.value === b.value && a.quality === b.quality && a.reason === b.reason;
}

export class CalcEngine {
  private readonly derived = new Map<string, DerivedSet>();
  private readonly windows = new Map<string, Map<string, SignalWindows>>();

  /**
   * Recomputes a bed's derived values now (the pipeline's step calls this after every change of an
   * input, and the tick as inputs age); returns the keys whose value, quality or reason changed.
   */
  recompute(bed: BedState, nowMs: number): string[] {
    const next = computeDerived({ patient: bed.patient, latest: bed.latestOf, lactates: bed.lactates, pumps: this.pumpInputs(bed) }, nowMs);
    const prev = this.derived.get(bed.bedId);
    this.derived.set(bed.bedId, next);
    const changed: string[] = [];
    for (const k of DERIVED_KEYS) if (!sameShown(prev?.[k], next[k])) changed.push(k);
    return changed;
  }

  /** The bed's derived values as last computed. Read-only. */
  derivedOf(bed: BedState): Record<string, DerivedValue> {
    return this.derived.get(bed.bedId) ?? EMPTY;
  }

  /**
   * Oxygenator resistance over the last hour, as (mean pPre − mean pPost) / mean flow of the 60 min
   * windows: the flow-weighted resistance of the hour (docs/clinical.md section 4, "rOxy up by
   * > 30 % against its 1 h mean"). Null until the hour holds enough of all three.
   */
  rOxyMean1h(bed: BedState, nowMs: number): number | null {
    const pre = this.windowsOf(bed, 'pPre')?.mean(HOUR_WINDOW, nowMs);
    const post = this.windowsOf(bed, 'pPost')?.mean(HOUR_WINDOW, nowMs);
    const flow = this.windowsOf(bed, 'flow')?.mean(HOUR_WINDOW, nowMs);
    if (!pre || !post || !flow || pre.n < MIN_SAMPLES_FOR_MEAN || post.n < MIN_SAMPLES_FOR_MEAN || flow.n < MIN_SAMPLES_FOR_MEAN)
      return null;
    if (pre.mean === null || post.mean === null || flow.mean === null || flow.mean <= 0) return null;
    return (pre.mean - post.mean) / flow.mean;
  }

  forget(bedId: string): void {
    this.derived.delete(bedId);
    this.windows.delete(bedId);
  }

  /**
   * A signal's windows, made at their first read (a snapshot, the oxygenator alarm) from what the
   * ring holds, and from then on fed by the ring as samples arrive. A bed or signal that nobody
   * reads costs nothing here: no buckets (about 25 KB a signal) and no work per sample. Made after
   * the ring wrapped (a signal faster than 1.1 Hz read for the first time after an hour), a window
   * starts with what the ring still holds.
   */
  private windowsOf(bed: BedState, signal: string): SignalWindows | undefined {
    let perBed = this.windows.get(bed.bedId);
    let w = perBed?.get(signal);
    if (w) return w;
    const ring = bed.rings.get(signal);
    if (!ring || !WINDOWED.has(signal)) return undefined;
    if (!perBed) {
      perBed = new Map();
      this.windows.set(bed.bedId, perBed);
    }
    w = new SignalWindows(ring, DEFAULT_RANGES[signal]);
    perBed.set(signal, w);
    return w;
  }

  statsOf(bed: BedState, nowMs: number): Record<string, Record<string, WindowStats>> {
    const out: Record<string, Record<string, WindowStats>> = {};
    for (const signal of bed.rings.keys()) {
      const w = this.windowsOf(bed, signal);
      if (w) out[signal] = w.stats(nowMs);
    }
    return out;
  }

  infusionsOf(bed: BedState): Infusion[] {
    const pumps = this.pumpInputs(bed);
    const doses = infusionDoses(pumps, bed.patient?.weightKg);
    return pumps.map((p, i) => ({
      channel: p.channel,
      drug: p.drug,
      rateMlH: p.rateMlH,
      concentration: p.concentration,
      concentrationUnit: p.concentrationUnit,
      running: p.running,
      ts: p.ts,
      dose: doses[i].dose,
      doseUnit: doses[i].doseUnit,
      scored: doses[i].scored,
    }));
  }

  private pumpInputs(bed: BedState): PumpChannelInput[] {
    const out: PumpChannelInput[] = [];
    for (const p of bed.pumps.values()) {
      out.push({
        channel: p.channel,
        drug: p.drug,
        rateMlH: p.rateMlH,
        concentration: p.concentration,
        concentrationUnit: p.concentrationUnit,
        running: p.running,
        ts: p.tsMs,
      });
    }
    return out;
  }
}
