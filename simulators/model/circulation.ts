// The patient's circulation, stepped in time: heart rate, stroke volume and cardiac output,
// systemic resistance and pressures, oxygen delivery against demand, venous saturation, and
// lactate that accumulates while delivery falls short and is cleared when it recovers.
// A lumped, hand-tuned model: directions and magnitudes are plausible for paediatric septic shock
// on and off ECMO; it is not a validated physiological simulator.
import type { EcmoMode } from '../../shared/schemas.js';
import { drainageAvailability, rpmForFlow, solveCircuit, type CircuitDesign, type CircuitState } from './circuit.js';
import type { Drivers } from './drivers.js';
import type { DrugEffects } from './drugs.js';
import { clamp, oxygenContent } from './oxygen.js';
import { oxygenatorTransfer } from './oxygenator.js';
import type { PatientNormals } from './patient.js';
import { bloodFromSaturation, mixBlood, type Blood } from './blood.js';

const NORMAL_CVP = 6;
/** Lactate half-life of clearance with a normal circulation (~1 h); production at rest keeps it ~1 mmol/L. */
const LACTATE_CLEARANCE_PER_MIN = Math.LN2 / 60;
/** Lactate made per minute per unit of oxygen deficit (share of demand not met), mmol/L/min. */
const LACTATE_PER_DEFICIT = 0.25;
/** In VV ECMO part of the returned blood is drained again before reaching the heart. */
const VV_RECIRCULATION = 0.25;
/** End-capillary blood leaving ventilated alveoli. */
const ALVEOLAR_BLOOD: Blood = { saturation: 99, po2: 120 };

export interface EcmoSetup {
  mode: EcmoMode;
  design: CircuitDesign;
}

export interface CirculationState {
  meanArterialPressure: number;
  centralVenousPressure: number;
  heartRate: number;
  /** Mixed venous saturation of the blood returning to the heart, %. */
  venousSaturation: number;
  arterialPco2: number;
  lactate: number;
}

interface EcmoPhysiology extends CircuitState {
  rpm: number;
  sweepLMin: number;
  fdo2: number;
  clamped: boolean;
  postOxygenatorPo2: number;
  postOxygenatorSaturation: number;
  postOxygenatorPco2: number;
}

export interface Physiology {
  heartRate: number;
  meanArterialPressure: number;
  centralVenousPressure: number;
  pulsePressure: number;
  /** Fractional swing of pulse pressure with ventilation (larger when under-filled). */
  pulsePressureVariation: number;
  nativeCardiacOutput: number;
  systemicFlow: number;
  arterial: Blood;
  arterialPco2: number;
  arterialPh: number;
  /** Blood entering the drainage cannula (pre-oxygenator), or central venous blood without ECMO. */
  venous: Blood;
  venousPco2: number;
  mixedVenousSaturation: number;
  oxygenDelivery: number;
  oxygenConsumption: number;
  oxygenDemand: number;
  lactate: number;
  endTidalCo2: number;
  temperature: number;
  hb: number;
  ecmo: EcmoPhysiology | null;
}

export function initialCirculation(n: PatientNormals): CirculationState {
  return {
    meanArterialPressure: n.meanArterialPressure,
    centralVenousPressure: NORMAL_CVP,
    heartRate: n.heartRate,
    venousSaturation: 72,
    arterialPco2: 40,
    lactate: 1,
  };
}

/** First-order approach towards a target with time constant tauS; exact for any step length. */
function approach(current: number, target: number, dtS: number, tauS: number): number {
  return target + (current - target) * Math.exp(-dtS / tauS);
}

export function stepCirculation(
  prev: CirculationState,
  d: Drivers,
  fx: DrugEffects,
  n: PatientNormals,
  ecmo: EcmoSetup | null,
  dtS: number,
): { state: CirculationState; physiology: Physiology } {
  let circuit: CircuitState | null = null;
  let rpm = 0;
  const clamped = d.ecmoFlowFraction <= 0;
  if (ecmo) {
    rpm = rpmForFlow(ecmo.design, d.ecmoFlowFraction * ecmo.design.targetFlowLMin);
    circuit = solveCircuit(ecmo.design, {
      rpm,
      meanArterialPressure: prev.meanArterialPressure,
      centralVenousPressure: prev.centralVenousPressure,
      drainageAvailability: drainageAvailability(d.volumeStatus),
      drainageObstruction: d.drainageObstruction,
      oxygenatorClot: d.oxygenatorClot,
      clamped,
    });
  }
  const ecmoFlow = circuit?.flowLMin ?? 0;
  const vaFlow = ecmo?.mode === 'VA' ? ecmoFlow : 0;

  // Heart rate: baroreflex on the pressure deficit, fever, sepsis and chronotropes.
  const pressureDeficit = clamp((n.meanArterialPressure - prev.meanArterialPressure) / n.meanArterialPressure, -0.3, 0.6);
  const heartRateTarget =
    n.heartRate *
    (1 +
      0.9 * Math.max(0, pressureDeficit) +
      0.25 * Math.min(0, pressureDeficit) +
      0.08 * Math.max(0, d.temperature - 37) +
      0.15 * d.vasoplegia +
      fx.chronotropy);
  const heartRate = approach(prev.heartRate, clamp(heartRateTarget, 0.5 * n.heartRate, 1.9 * n.heartRate), dtS, 20);

  // Stroke volume: contractility × Frank–Starling preload × unloading by VA drainage × filling time × afterload.
  const normalStrokeVolume = (n.cardiacOutputLMin * 1000) / n.heartRate;
  const contractility = (1 - 0.7 * d.myocardialDepression) * (1 + fx.inotropy);
  const v = d.volumeStatus;
  const preload = v < 1 ? Math.pow(Math.max(v, 0.2), 1.8) : 1 + 0.25 * (1 - Math.exp(-4 * (v - 1)));
  const unloading = Math.max(0.12, 1 - (0.8 * vaFlow) / n.cardiacOutputLMin);
  const filling = 1 - 0.35 * Math.max(0, heartRate / n.heartRate - 1.3);
  const afterload =
    1 /
    (1 + (0.3 + 1.5 * d.myocardialDepression) * Math.max(0, (prev.meanArterialPressure - n.meanArterialPressure) / n.meanArterialPressure));
  const strokeVolume = normalStrokeVolume * contractility * preload * unloading * filling * afterload;
  const nativeCardiacOutput = (strokeVolume * heartRate) / 1000;
  const systemicFlow = nativeCardiacOutput + vaFlow;

  // Resistance: sepsis dilates, vasopressors constrict, the baroreflex helps only where vessels still respond.
  const normalResistance = (n.meanArterialPressure - NORMAL_CVP) / n.cardiacOutputLMin;
  const resistance =
    normalResistance *
    (1 - 0.6 * d.vasoplegia) *
    Math.max(0.3, 1 + fx.vasoconstriction) *
    (1 + 0.3 * Math.max(0, pressureDeficit) * (1 - d.vasoplegia));
  const cvpTarget = clamp(NORMAL_CVP + 10 * (v - 1) + 7 * d.myocardialDepression - (3 * vaFlow) / n.cardiacOutputLMin, -3, 25);
  const centralVenousPressure = approach(prev.centralVenousPressure, cvpTarget, dtS, 10);
  const mapTarget = Math.max(centralVenousPressure + 5, centralVenousPressure + systemicFlow * resistance);
  const meanArterialPressure = approach(prev.meanArterialPressure, mapTarget, dtS, 4);
  // A non-pulsatile VA pump narrows the pulse pressure as it unloads the heart.
  const pulsePressure = Math.max(2, n.pulsePressure * (strokeVolume / normalStrokeVolume) * (1 + 0.25 * Math.max(0, fx.vasoconstriction)));
  const pulsePressureVariation = 0.06 + 0.25 * Math.max(0, 1 - v);

  // Gas exchange in the oxygenator, fed with the venous blood of the previous step.
  const hb = d.hb;
  const mixedVenous = bloodFromSaturation(prev.venousSaturation);
  const venousPco2 = prev.arterialPco2 + 6;
  let ecmoPhysiology: EcmoPhysiology | null = null;
  let oxygenated: Blood = mixedVenous;
  let oxygenatedPco2 = venousPco2;
  if (ecmo && circuit) {
    const sweepLMin = clamped ? 0 : Math.round(d.sweepFlowRatio * d.ecmoFlowFraction * ecmo.design.targetFlowLMin * 10) / 10;
    const gas = oxygenatorTransfer({
      bloodFlowLMin: ecmoFlow,
      sweepLMin,
      fdo2Pct: d.fdo2,
      clot: d.oxygenatorClot,
      preOxygenatorPo2: mixedVenous.po2,
      preOxygenatorPco2: venousPco2,
    });
    oxygenated = { saturation: gas.postOxygenatorSaturation, po2: gas.postOxygenatorPo2 };
    oxygenatedPco2 = gas.postOxygenatorPco2;
    ecmoPhysiology = { ...circuit, rpm, sweepLMin, fdo2: d.fdo2, clamped, ...gas };
  }

  // Native lungs: a shunt fraction of the pulmonary blood passes unventilated alveoli.
  const shunt = 0.04 + 0.6 * (1 - d.lungFunction);
  let pulmonaryArterial = mixedVenous;
  let effectiveVvShare = 0;
  if (ecmo?.mode === 'VV' && ecmoFlow > 0) {
    effectiveVvShare = clamp((ecmoFlow * (1 - VV_RECIRCULATION)) / Math.max(nativeCardiacOutput, 0.1), 0, 1);
    pulmonaryArterial = mixBlood(hb, [
      [1 - effectiveVvShare, mixedVenous],
      [effectiveVvShare, oxygenated],
    ]);
  }
  const pulmonaryVenous = mixBlood(hb, [
    [shunt, pulmonaryArterial],
    [1 - shunt, ALVEOLAR_BLOOD],
  ]);
  const arterial =
    vaFlow > 0
      ? mixBlood(hb, [
          [nativeCardiacOutput, pulmonaryVenous],
          [vaFlow, oxygenated],
        ])
      : pulmonaryVenous;

  // Delivery against demand; sepsis lowers the extraction the tissues can achieve.
  const arterialContent = oxygenContent(hb, arterial.saturation, arterial.po2);
  const oxygenDelivery = systemicFlow * arterialContent * 10;
  const oxygenDemand = n.oxygenConsumption * d.metabolicDemand * (1 + 0.07 * (d.temperature - 37));
  const maxExtraction = 0.6 * (1 - 0.35 * d.vasoplegia);
  const supplyRatio = (oxygenDelivery * maxExtraction) / oxygenDemand;
  const supplied = Math.min(1, supplyRatio < 0.8 ? supplyRatio : 0.8 + 0.2 * (1 - Math.exp(-(supplyRatio - 0.8) / 0.2)));
  const oxygenConsumption = oxygenDemand * supplied;
  const venousContent = arterialContent - oxygenConsumption / Math.max(systemicFlow * 10, 0.01);
  const venousTarget = clamp((venousContent / (1.34 * hb)) * 100, 10, 95);
  const venousSaturation = approach(prev.venousSaturation, venousTarget, dtS, 20);

  // Lactate: made at rest, by oxygen deficit, by sepsis and by epinephrine; cleared by a perfused liver.
  const clearance = LACTATE_CLEARANCE_PER_MIN * clamp(systemicFlow / n.cardiacOutputLMin, 0.4, 1) * (1 - 0.3 * d.vasoplegia);
  const production = LACTATE_CLEARANCE_PER_MIN + LACTATE_PER_DEFICIT * (1 - supplied) + 0.008 * d.vasoplegia + fx.lactateProduction;
  const lactate = clamp(prev.lactate + (dtS / 60) * (production - clearance * prev.lactate), 0.4, 25);

  // CO2: ventilated lungs, worse with lung disease and demand; the circuit's sweep removes some.
  const lungPco2 = 40 + 15 * (1 - d.lungFunction) + 6 * (d.metabolicDemand - 1);
  const circuitShare = vaFlow > 0 ? vaFlow / Math.max(systemicFlow, 0.01) : effectiveVvShare;
  const arterialPco2 = approach(prev.arterialPco2, clamp(lungPco2 - (lungPco2 - oxygenatedPco2) * circuitShare, 25, 85), dtS, 30);
  const arterialPh = clamp(7.4 - 0.045 * (lactate - 1) - 0.008 * (arterialPco2 - 40), 6.8, 7.6);
  // End-tidal CO2 falls with pulmonary blood flow (dead space), e.g. on full VA support.
  const pulmonaryFlowShare = Math.min(1, nativeCardiacOutput / n.cardiacOutputLMin);
  const endTidalCo2 = clamp(arterialPco2 * Math.sqrt(pulmonaryFlowShare) * (0.55 + 0.35 * d.lungFunction), 3, 80);

  const venousAtCannula =
    ecmo?.mode === 'VV' && ecmoFlow > 0
      ? mixBlood(hb, [
          [1 - VV_RECIRCULATION, mixedVenous],
          [VV_RECIRCULATION, oxygenated],
        ])
      : mixedVenous;

  return {
    state: { meanArterialPressure, centralVenousPressure, heartRate, venousSaturation, arterialPco2, lactate },
    physiology: {
      heartRate,
      meanArterialPressure,
      centralVenousPressure,
      pulsePressure,
      pulsePressureVariation,
      nativeCardiacOutput,
      systemicFlow,
      arterial,
      arterialPco2,
      arterialPh,
      venous: venousAtCannula,
      venousPco2,
      mixedVenousSaturation: venousSaturation,
      oxygenDelivery,
      oxygenConsumption,
      oxygenDemand,
      lactate,
      endTidalCo2,
      temperature: d.temperature,
      hb,
      ecmo: ecmoPhysiology,
    },
  };
}
