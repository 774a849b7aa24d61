// The bedside rack of syringe drivers: one channel per drug, in the order the scenario first uses
// them. A channel publishes when its rate or running state changes and at least every 30 s
// (docs/clinical.md section 2: pump messages stay fresh for 90 s). Doses reach their effect with a
// few minutes' delay (effect-site equilibration).
import type { DrugStep } from '../scenarios/timeline.js';
import { dosesAt } from '../scenarios/timeline.js';
import { concentrationOf, rateForDose, type ConcentrationUnit, type SimDrug } from './drugs.js';

const HEARTBEAT_S = 30;
/** Time constant of onset and offset of a vasoactive infusion. */
const EFFECT_TAU_S = 120;

export interface PumpReading {
  channel: string;
  drug: SimDrug;
  rateMlH: number;
  concentration: number;
  concentrationUnit: ConcentrationUnit;
  running: boolean;
}

interface Channel {
  name: string;
  drug: SimDrug;
  last?: { rateMlH: number; running: boolean; sentS: number };
}

export class InfusionPumps {
  private readonly channels: Channel[] = [];
  private readonly effectDoses = new Map<SimDrug, number>();

  constructor(
    private readonly steps: readonly DrugStep[],
    private readonly weightKg: number,
  ) {
    const order = [...steps].sort((a, b) => a.atS - b.atS);
    for (const s of order) {
      if (!this.channels.some((c) => c.drug === s.drug)) this.channels.push({ name: `ch${this.channels.length + 1}`, drug: s.drug });
    }
  }

  /** Infused doses at tS and the effect-site doses after dtS; the latter drive the circulation. */
  effects(tS: number, dtS: number): Map<SimDrug, number> {
    const infused = dosesAt(this.steps, tS);
    const keep = Math.exp(-dtS / EFFECT_TAU_S);
    for (const [drug, dose] of infused) {
      const current = this.effectDoses.get(drug) ?? 0;
      this.effectDoses.set(drug, dose + (current - dose) * keep);
    }
    return this.effectDoses;
  }

  /** Starts effect-site doses at the infused doses (a run that begins mid-infusion). */
  settle(tS: number): void {
    for (const [drug, dose] of dosesAt(this.steps, tS)) this.effectDoses.set(drug, dose);
  }

  /** Channel messages due at tS. */
  due(tS: number): PumpReading[] {
    const infused = dosesAt(this.steps, tS);
    const out: PumpReading[] = [];
    for (const c of this.channels) {
      const dose = infused.get(c.drug);
      if (dose === undefined) continue; // not yet loaded on the rack
      const rateMlH = rateForDose(c.drug, dose, this.weightKg);
      const running = rateMlH > 0;
      const changed = !c.last || c.last.rateMlH !== rateMlH || c.last.running !== running;
      if (!changed && tS - c.last!.sentS < HEARTBEAT_S) continue;
      c.last = { rateMlH, running, sentS: tS };
      const { concentration, unit } = concentrationOf(c.drug, this.weightKg);
      out.push({ channel: c.name, drug: c.drug, rateMlH, concentration, concentrationUnit: unit, running });
    }
    return out;
  }
}
