// Calculation stage: a bed's derived values (shared/calc) and the windowed statistics of its
// monitor and console signals, recomputed when an input changes; the periodic tick recomputes too,
// because inputs age into staleness without any new message.
import { DEFAULT_RANGES, ECMO_KEYS, MONITOR_KEYS } from '../../shared/catalogue.js';
import { computeDerived, infusionDoses, type DerivedSet, type PumpChannelInput } from '../../shared/calc/derive.js';
import type { DerivedValue, Infusion, WindowStats } from '../../shared/protocol.js';
import type { BedState } from '../state/bed.js';
import { SignalWindows } from './window-stats.js';

/** Signals with windowed statistics: the streamed device values (lab results are hours apart). */
const WINDOWED = new Set<string>([...MONITOR_KEYS, ...ECMO_KEYS]);

function sameShown(a: DerivedValue | undefined, b: DerivedValue): boolean {
  return !!a && a.value === b.value && a.quality === b.quality && a.reason === b.reason;
}

export class CalcEngine {
  private readonly derived = new Map<string, DerivedSet>();
  private readonly windows = new Map<string, Map<string, SignalWindows>>();
  /** Beds whose inputs changed since their last computation (computed when next read). */
  private readonly dirty = new Set<string>();
  /** Keys changed since the stream last took them, per bed. */
  private readonly unsent = new Map<string, Set<string>>();

  /**
   * An input of the bed changed. Like a chart's dirty flag: the values are recomputed by the next
   * reader (the stream's next update, which for a calm bed goes out at once; a REST read; the
   * 1-second tick), so a burst of messages costs one computation, and no reader ever sees values
   * older than their inputs.
   */
  invalidate(bed: BedState): void {
    this.dirty.add(bed.bedId);
  }

  /** The bed's derived values, computed now if an input changed since. */
  derivedOf(bed: BedState, nowMs: number): Record<string, DerivedValue> {
    if (this.dirty.has(bed.bedId) || !this.derived.has(bed.bedId)) this.recompute(bed, nowMs);
    return this.derived.get(bed.bedId)!;
  }

  /** Keys whose value, quality or reason changed since the last call (for `bed:update`). */
  takeChanged(bed: BedState, nowMs: number): string[] {
    if (this.dirty.has(bed.bedId)) this.recompute(bed, nowMs);
    const keys = this.unsent.get(bed.bedId);
    if (!keys?.size) return [];
    this.unsent.delete(bed.bedId);
    return [...keys];
  }

  /** Recomputes a bed's derived values now; returns the keys whose value, quality or reason changed. */
  recompute(bed: BedState, nowMs: number): string[] {
    this.dirty.delete(bed.bedId);
    const next = computeDerived(
      { patient: bed.patient, latest: (s) => bed.latest.get(s), lactates: bed.lactates, pumps: this.pumpInputs(bed) },
      nowMs,
    );
    const prev = this.derived.get(bed.bedId);
    this.derived.set(bed.bedId, next);
    const changed: string[] = [];
    for (const k of Object.keys(next) as (keyof DerivedSet)[]) if (!sameShown(prev?.[k], next[k])) changed.push(k);
    if (changed.length) {
      let keys = this.unsent.get(bed.bedId);
      if (!keys) this.unsent.set(bed.bedId, (keys = new Set()));
      for (const k of changed) keys.add(k);
    }
    return changed;
  }

  /** Called after a sample entered the bed's ring buffer. */
  addSample(bed: BedState, signal: string, _tsMs: number, _value: number | null): void {
    if (!WINDOWED.has(signal)) return;
    let perBed = this.windows.get(bed.bedId);
    if (!perBed) {
      perBed = new Map();
      this.windows.set(bed.bedId, perBed);
    }
    const existing = perBed.get(signal);
    if (existing) existing.catchUp();
    else perBed.set(signal, new SignalWindows(bed.rings.get(signal)!, DEFAULT_RANGES[signal]));
  }

  statsOf(bed: BedState, nowMs: number): Record<string, Record<string, WindowStats>> {
    const out: Record<string, Record<string, WindowStats>> = {};
    for (const [signal, w] of this.windows.get(bed.bedId) ?? []) out[signal] = w.stats(nowMs);
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
