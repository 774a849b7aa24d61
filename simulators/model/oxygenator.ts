// The membrane oxygenator's gas exchange. A new paediatric oxygenator at FdO2 100 % and a 1:1
// sweep-to-flow ratio gives a post-oxygenator PO2 around 400 mmHg and full saturation; clot in
// the fibres shunts blood past the membrane, so PO2 falls (below ~150 mmHg it is failing,
// docs/clinical.md section 4) while the pressure drop rises (circuit.ts).
import { DRY_GAS_PRESSURE_MMHG, clamp, saturationFromPo2 } from './oxygen.js';

/** Share of the gas-side PO2 gradient a new oxygenator closes. */
const NEW_TRANSFER_EFFICIENCY = 0.6;
/** Clot below this fraction does not yet impair transfer measurably. */
const CLOT_TRANSFER_THRESHOLD = 0.3;

export interface OxygenatorInputs {
  bloodFlowLMin: number;
  sweepLMin: number;
  fdo2Pct: number;
  clot: number;
  preOxygenatorPo2: number;
  preOxygenatorPco2: number;
}

export interface OxygenatorOutputs {
  postOxygenatorPo2: number;
  postOxygenatorSaturation: number;
  postOxygenatorPco2: number;
}

export function oxygenatorTransfer(x: OxygenatorInputs): OxygenatorOutputs {
  const clotLoss = clamp((x.clot - CLOT_TRANSFER_THRESHOLD) / (1 - CLOT_TRANSFER_THRESHOLD), 0, 1);
  const efficiency = NEW_TRANSFER_EFFICIENCY * (1 - 0.85 * clotLoss);
  // Too little sweep for the blood flow cannot keep the gas side at FdO2.
  const ratio = x.bloodFlowLMin > 0.01 ? x.sweepLMin / x.bloodFlowLMin : 0;
  const sweepFactor = 1 - Math.exp(-3 * ratio);
  const gasPo2 = (x.fdo2Pct / 100) * DRY_GAS_PRESSURE_MMHG;
  const po2 = x.preOxygenatorPo2 + (gasPo2 - x.preOxygenatorPo2) * efficiency * sweepFactor;
  // CO2 clearance depends mainly on sweep; clot reduces it too.
  const pco2 = x.preOxygenatorPco2 * Math.exp(-0.5 * ratio * (1 - 0.6 * clotLoss));
  return {
    postOxygenatorPo2: clamp(po2, 20, 600),
    postOxygenatorSaturation: saturationFromPo2(po2),
    postOxygenatorPco2: clamp(pco2, 12, 90),
  };
}
