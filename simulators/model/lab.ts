// The blood gas lab: samples drawn every 30–60 min and at a scenario's extra times, analysed and
// published 5–15 min later with the sample time as ts (late data, docs/interface.md). On ECMO every
// other routine draw adds pre- and post-oxygenator gases; without ECMO, a central venous gas.
import type { LabKey, LabSite } from '../../shared/catalogue.js';
import { PARAMS } from '../../shared/catalogue.js';
import type { Random } from '../random.js';
import type { Physiology } from './circulation.js';
import { clamp } from './oxygen.js';
import { roundTo } from './noise.js';

const ROUTINE_MIN_S = 30 * 60;
const ROUTINE_MAX_S = 60 * 60;
const DELAY_MIN_S = 5 * 60;
const DELAY_MAX_S = 15 * 60;
const SITE_SPACING_S = 60;

export interface LabResultDraft {
  site: LabSite;
  /** Scenario time the sample was drawn. */
  sampleS: number;
  /** Scenario time the result is released. */
  releaseS: number;
  values: Partial<Record<LabKey, number>>;
}

export class Lab {
  private nextRoutineS: number;
  private routineCount = 0;
  private readonly extras: number[];
  private pending: LabResultDraft[] = [];

  constructor(
    private readonly random: Random,
    startS: number,
    extraAtS: readonly number[],
    private readonly cvpLine: boolean,
  ) {
    this.nextRoutineS = startS + random.uniform(0, 20 * 60);
    this.extras = [...extraAtS].sort((a, b) => a - b).filter((s) => s >= startS);
  }

  /** Draws the samples due at scenario time tS (physiology of that moment). */
  sample(tS: number, p: Physiology, onEcmoFlow: boolean): void {
    let draws = 0;
    let full = false;
    if (tS >= this.nextRoutineS) {
      draws++;
      this.routineCount++;
      full = this.routineCount % 2 === 0;
      this.nextRoutineS = tS + this.random.uniform(ROUTINE_MIN_S, ROUTINE_MAX_S);
    }
    while (this.extras.length > 0 && this.extras[0] <= tS) {
      this.extras.shift();
      draws++;
      full = true;
    }
    if (draws === 0) return;
    const sites: LabSite[] = ['arterial'];
    if (full && onEcmoFlow && p.ecmo) sites.push('pre-oxygenator', 'post-oxygenator');
    else if (full && this.cvpLine) sites.push('central-venous');
    // Analysed together once the last is drawn; every result 5–15 min after its own sample.
    const drawingS = (sites.length - 1) * SITE_SPACING_S;
    const releaseS = tS + drawingS + Math.round(this.random.uniform(DELAY_MIN_S, DELAY_MAX_S - drawingS));
    // The arterial gas first, then the circuit or central line a minute apart (distinct sample times).
    sites.forEach((site, i) => this.pending.push({ site, sampleS: tS + i * SITE_SPACING_S, releaseS, values: this.analyse(site, p) }));
    this.pending.sort((a, b) => a.releaseS - b.releaseS || a.sampleS - b.sampleS);
  }

  /** Results released by tS, oldest first. */
  release(tS: number): LabResultDraft[] {
    let n = 0;
    while (n < this.pending.length && this.pending[n].releaseS <= tS) n++;
    return this.pending.splice(0, n);
  }

  /** A blood gas analyser's reading of one site, with its own small measurement error. */
  private analyse(site: LabSite, p: Physiology): Partial<Record<LabKey, number>> {
    const r = this.random;
    const lactate = p.lactate * (1 + 0.03 * r.normal());
    const hb = p.hb + 0.15 * r.normal();
    const blood = {
      arterial: { so2: p.arterial.saturation, po2: p.arterial.po2, pco2: p.arterialPco2, ph: p.arterialPh },
      'pre-oxygenator': { so2: p.venous.saturation, po2: p.venous.po2, pco2: p.venousPco2, ph: p.arterialPh - 0.03 },
      'post-oxygenator': {
        so2: p.ecmo?.postOxygenatorSaturation ?? p.arterial.saturation,
        po2: p.ecmo?.postOxygenatorPo2 ?? p.arterial.po2,
        pco2: p.ecmo?.postOxygenatorPco2 ?? p.arterialPco2,
        ph: p.arterialPh + 0.008 * (p.arterialPco2 - (p.ecmo?.postOxygenatorPco2 ?? p.arterialPco2)),
      },
      // Central venous blood in septic shock reads a few points above mixed venous.
      'central-venous': { so2: p.mixedVenousSaturation + 3, po2: p.venous.po2 + 2, pco2: p.venousPco2, ph: p.arterialPh - 0.03 },
      venous: { so2: p.mixedVenousSaturation, po2: p.venous.po2, pco2: p.venousPco2, ph: p.arterialPh - 0.03 },
    }[site];
    const values: Partial<Record<LabKey, number>> = {
      hb: keep('hb', hb),
      po2: keep('po2', blood.po2 * (1 + 0.02 * r.normal())),
      pco2: keep('pco2', blood.pco2 + r.normal()),
      so2: keep('so2', Math.min(100, blood.so2 + 0.5 * r.normal())),
      ph: keep('ph', blood.ph + 0.01 * r.normal()),
    };
    if (site !== 'post-oxygenator') values.lactate = keep('lactate', lactate);
    return values;
  }
}

/** Rounded to the catalogue's precision and kept inside its plausible range. */
function keep(key: LabKey, value: number): number {
  const def = PARAMS[key];
  return roundTo(clamp(value, def.min, def.max), def.precision);
}
