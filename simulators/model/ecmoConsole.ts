// The ECMO console's view of the circuit: pump speed and flow, sweep and FdO2 settings, circuit
// pressures, inline saturations, Hb and blood temperature. Before flow ever started (primed,
// clamped) and while clamped, the inline blood sensors show nothing (null). With suction the
// flow and drainage pressure swing from second to second (chatter).
import { PARAMS, type EcmoKey } from '../../shared/catalogue.js';
import type { Random } from '../random.js';
import type { SensorFaultKind } from '../scenarios/timeline.js';
import type { Physiology } from './circulation.js';
import { Drift, roundTo } from './noise.js';
import { clamp } from './oxygen.js';

/** Inline Hb sensors agree with the lab within ~1 g/dL (docs/clinical.md sources, Reagor 2021). */
const INLINE_HB_BIAS_SD = 0.4;
/** A drifting inline SvO2 sensor reads this many points high. */
const SVO2_DRIFT = 10;
/** Transducers of this kind read down to about −300 mmHg; the catalogue's floor is −400. */
const DEEPEST_DRAINAGE_PRESSURE = -300;
/** Blender setting while no sweep runs. */
const ROOM_AIR_FDO2 = 21;

export type EcmoValues = Record<EcmoKey, number | null>;

export class EcmoConsole {
  private readonly hbBias: number;
  private readonly flowDrift: Drift;
  private hasFlowed = false;

  constructor(
    private readonly random: Random,
    private readonly targetFlowLMin: number,
  ) {
    this.hbBias = INLINE_HB_BIAS_SD * random.normal();
    this.flowDrift = new Drift(random, 0.01, 120);
  }

  read(p: Physiology, faults: ReadonlySet<SensorFaultKind>, dtS: number): EcmoValues | null {
    const e = p.ecmo;
    if (!e) return null;
    const r = this.random;
    if (e.flowLMin > 0) this.hasFlowed = true;
    // Chatter: the collapsing vein lets flow and inlet pressure swing with each heartbeat.
    const chatter = Math.min(1, 3 * e.suction);
    const flow = e.clamped
      ? 0
      : e.flowLMin * (1 + this.flowDrift.step(dtS)) + this.targetFlowLMin * (0.005 * r.normal() + 0.12 * chatter * r.normal());
    const bloodSensors = this.hasFlowed && !e.clamped;
    const hb = p.hb + this.hbBias + 0.1 * r.normal();
    return {
      rpm: keep('rpm', e.rpm + (e.rpm > 0 ? 3 * r.normal() : 0)),
      flow: keep('flow', Math.max(0, flow)),
      sweep: keep('sweep', e.sweepLMin),
      fdo2: keep('fdo2', e.sweepLMin > 0 ? e.fdo2 : ROOM_AIR_FDO2),
      pVen: keep('pVen', Math.max(DEEPEST_DRAINAGE_PRESSURE, e.drainagePressure + 1.5 * r.normal() + 25 * chatter * r.normal())),
      pPre: keep('pPre', e.preOxygenatorPressure + 1.5 * r.normal()),
      pPost: keep('pPost', e.postOxygenatorPressure + 1.5 * r.normal()),
      svo2: bloodSensors
        ? keep('svo2', Math.min(99, p.venous.saturation + 0.4 * r.normal() + (faults.has('svo2-drift') ? SVO2_DRIFT : 0)))
        : null,
      postOxySat: bloodSensors ? keep('postOxySat', Math.min(100, e.postOxygenatorSaturation + 0.2 * r.normal())) : null,
      postOxyPo2: bloodSensors ? keep('postOxyPo2', e.postOxygenatorPo2 * (1 + 0.015 * r.normal())) : null,
      hb: this.hasFlowed ? keep('hb', hb) : null,
      hct: this.hasFlowed ? keep('hct', hb * 2.94) : null,
      tBlood: this.hasFlowed ? keep('tBlood', p.temperature - 0.2 + 0.03 * r.normal()) : null,
    };
  }
}

function keep(key: EcmoKey, value: number): number {
  const def = PARAMS[key];
  // Inside the plausible range: only fault injection leaves it.
  return roundTo(clamp(value, def.min, def.max), def.precision);
}
