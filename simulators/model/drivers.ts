// The knobs a scenario turns over time. Each is a clinical idea, not a device value: the model
// turns them into pressures, flows and saturations (circulation.ts, circuit.ts, oxygenator.ts).

export interface Drivers {
  /** 0 healthy … 1 maximal septic vasodilation (systemic resistance falls). */
  vasoplegia: number;
  /** 0 … 1 septic cardiomyopathy (contractility falls). */
  myocardialDepression: number;
  /** Effective circulating volume, 1 = full; 0.6 is severe hypovolaemia. Fluids and blood raise it. */
  volumeStatus: number;
  /** Oxygen demand multiplier (sepsis, fever): 1 at rest. */
  metabolicDemand: number;
  /** 1 healthy lungs … 0 no native gas exchange (shunt). */
  lungFunction: number;
  /** 1 normal … 0 catecholamines have no effect (refractory shock). */
  catecholamineResponsiveness: number;
  /** Haemoglobin, g/dL. */
  hb: number;
  /** Core temperature, °C. */
  temperature: number;
  /** Set pump flow as a fraction of the target flow; 0 = pump stopped and clamped. */
  ecmoFlowFraction: number;
  /** Sweep gas flow per blood flow (1 = 1:1). */
  sweepFlowRatio: number;
  /** Oxygen fraction of the sweep gas, %. */
  fdo2: number;
  /** 0 … 1 clot in the oxygenator. */
  oxygenatorClot: number;
  /** 0 … 1 drainage cannula obstruction or malposition. */
  drainageObstruction: number;
}

export type DriverKey = keyof Drivers;

/** A healthy, ventilated child; scenarios override what differs. */
export const DEFAULT_DRIVERS: Drivers = {
  vasoplegia: 0,
  myocardialDepression: 0,
  volumeStatus: 1,
  metabolicDemand: 1,
  lungFunction: 1,
  catecholamineResponsiveness: 1,
  hb: 11,
  temperature: 37,
  ecmoFlowFraction: 0,
  sweepFlowRatio: 1,
  fdo2: 100,
  oxygenatorClot: 0,
  drainageObstruction: 0,
};

export const DRIVER_KEYS = Object.keys(DEFAULT_DRIVERS) as DriverKey[];
