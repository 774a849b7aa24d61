// The ECMO circuit: a centrifugal pump between a drainage cannula and a return cannula, with the
// oxygenator after the pump. Flow is where the pump's pressure head meets the circuit's
// resistance; drainage (preload) caps it. Numbers are sized per patient so that at the target
// flow a healthy circuit shows typical paediatric pressures (ELSO circuit monitoring):
// drainage −30 to −45 mmHg, oxygenator drop ~25 mmHg, post-oxygenator ~MAP + 90 mmHg.
import type { EcmoMode } from '../../shared/schemas.js';
import { clamp } from './oxygen.js';

/** Pressure lost in the drainage cannula at target flow, mmHg. */
const DRAINAGE_DROP_AT_TARGET = 40;
/** Pressure lost in the return cannula at target flow (small arterial cannulas are resistive). */
const RETURN_DROP_AT_TARGET = { VA: 90, VV: 60 } as const;
/** New oxygenator's pressure drop at target flow. */
const OXYGENATOR_DROP_AT_TARGET = 25;
/** Share of the pump head lost to the curve's own droop at design flow (head falls with flow). */
const PUMP_DROOP = 0.15;
/** With a full patient, drainage could deliver this many times the target flow. */
const DRAINAGE_RESERVE = 1.6;
/** The soft cap starts bending at this fraction of drainage capacity. */
const CAP_KNEE = 0.85;

export interface CircuitDesign {
  mode: EcmoMode;
  targetFlowLMin: number;
  designRpm: number;
  drainageResistance: number;
  returnResistance: number;
  oxygenatorResistance: number;
  /** head(rpm, Q) = headPerRpm2 × rpm² − droop × Q² (mmHg). */
  headPerRpm2: number;
  droop: number;
  designMap: number;
  designCvp: number;
}

export interface CircuitInputs {
  rpm: number;
  meanArterialPressure: number;
  centralVenousPressure: number;
  /** 1 = full; falls with hypovolaemia. */
  drainageAvailability: number;
  /** 0..1: kinked, malpositioned or sucked-down cannula. */
  drainageObstruction: number;
  /** 0..1: clot in the oxygenator. */
  oxygenatorClot: number;
  clamped: boolean;
}

export interface CircuitState {
  flowLMin: number;
  drainagePressure: number;
  preOxygenatorPressure: number;
  postOxygenatorPressure: number;
  /** 0 = no suction; > 0 the pump asks for more than drainage gives (chatter). */
  suction: number;
}

export function designCircuit(mode: EcmoMode, targetFlowLMin: number, designMap: number, designCvp: number): CircuitDesign {
  const q = targetFlowLMin;
  // Smaller pumps for infants spin faster for their flows.
  const designRpm = q < 1 ? 3600 : 3000;
  const drainageResistance = DRAINAGE_DROP_AT_TARGET / q;
  const returnResistance = RETURN_DROP_AT_TARGET[mode] / q;
  const oxygenatorResistance = OXYGENATOR_DROP_AT_TARGET / q;
  const returnPressure = mode === 'VA' ? designMap : designCvp + 2;
  const headAtDesign = returnPressure - designCvp + (drainageResistance + returnResistance + oxygenatorResistance) * q;
  const droop = (PUMP_DROOP * headAtDesign) / (q * q);
  const headPerRpm2 = (headAtDesign + droop * q * q) / (designRpm * designRpm);
  return {
    mode,
    targetFlowLMin: q,
    designRpm,
    drainageResistance,
    returnResistance,
    oxygenatorResistance,
    headPerRpm2,
    droop,
    designMap,
    designCvp,
  };
}

function pumpHead(d: CircuitDesign, rpm: number, flowLMin: number): number {
  return d.headPerRpm2 * rpm * rpm - d.droop * flowLMin * flowLMin;
}

/** Oxygenator resistance rises steeply as clot fills the fibre bundle. */
function oxygenatorResistance(d: CircuitDesign, clot: number): number {
  return d.oxygenatorResistance * (1 + 4 * clot * clot);
}

/** The speed a perfusionist sets for a wanted flow, from the circuit at its design conditions. */
export function rpmForFlow(d: CircuitDesign, flowLMin: number): number {
  if (flowLMin <= 0) return 0;
  const returnPressure = d.mode === 'VA' ? d.designMap : d.designCvp + 2;
  const resistance = d.drainageResistance + d.returnResistance + d.oxygenatorResistance;
  const head = returnPressure - d.designCvp + resistance * flowLMin + d.droop * flowLMin * flowLMin;
  return Math.round(Math.sqrt(head / d.headPerRpm2) / 10) * 10;
}

/** Steady state of the circuit for one set of conditions. */
export function solveCircuit(d: CircuitDesign, x: CircuitInputs): CircuitState {
  const returnPressure = d.mode === 'VA' ? x.meanArterialPressure : x.centralVenousPressure + 2;
  const rOxy = oxygenatorResistance(d, x.oxygenatorClot);
  if (x.clamped || x.rpm <= 0) {
    // Lines clamped: no flow, transducers read the static pressure of their side.
    return {
      flowLMin: 0,
      drainagePressure: x.centralVenousPressure,
      preOxygenatorPressure: x.centralVenousPressure + 2,
      postOxygenatorPressure: x.centralVenousPressure + 2,
      suction: 0,
    };
  }
  // head(rpm, Q) = (returnPressure − cvp) + R·Q  →  droop·Q² + R·Q + (ΔP0 − a·rpm²) = 0
  const resistance = d.drainageResistance + d.returnResistance + rOxy;
  const c = returnPressure - x.centralVenousPressure - d.headPerRpm2 * x.rpm * x.rpm;
  const unconstrained = c >= 0 ? 0 : (-resistance + Math.sqrt(resistance * resistance - 4 * d.droop * c)) / (2 * d.droop);
  const capacity = d.targetFlowLMin * DRAINAGE_RESERVE * clamp(x.drainageAvailability, 0, 1.3) * (1 - clamp(x.drainageObstruction, 0, 1));
  const flow = softCap(unconstrained, capacity);
  const postOxygenatorPressure = returnPressure + d.returnResistance * flow;
  const preOxygenatorPressure = postOxygenatorPressure + rOxy * flow;
  // Whatever head the pump makes beyond what the outflow needs shows as suction at the inlet:
  // unlimited, this equals cvp − R_drain·Q; capped by drainage, it goes far more negative.
  const drainagePressure = preOxygenatorPressure - pumpHead(d, x.rpm, flow);
  const suction = capacity > 0 ? Math.max(0, (unconstrained - flow) / capacity) : unconstrained > 0 ? 1 : 0;
  return { flowLMin: flow, drainagePressure, preOxygenatorPressure, postOxygenatorPressure, suction };
}

/** Flow limited by drainage capacity: unchanged well below it, bending smoothly to it above. */
function softCap(flow: number, capacity: number): number {
  if (capacity <= 0) return 0;
  const knee = CAP_KNEE * capacity;
  if (flow <= knee) return flow;
  const span = capacity - knee;
  return knee + span * Math.tanh((flow - knee) / span);
}

/** 1 with a full patient; falls steeply as the circulating volume falls (veins collapse on the cannula). */
export function drainageAvailability(volumeStatus: number): number {
  return clamp((volumeStatus - 0.45) / 0.55, 0, 1.3);
}
