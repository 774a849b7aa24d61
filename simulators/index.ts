// Physiological device simulators: scenarios of paediatric septic shock and ECMO, published over
// MQTT as the bedside devices would (docs/interface.md). The pure core (Simulation, scenarios, model)
// is exported for tests and tools; startSimulators runs it against a broker.
export { startSimulators, type SimulatorHandle } from './run.js';
export {
  resolveOptions,
  resolveStartMs,
  bedIdsOf,
  SimOptionsError,
  MAX_SPEED,
  type SimOptions,
  type SimProgress,
  type ConnectionMode,
} from './options.js';
export { Simulation, type SimulationOptions } from './simulation.js';
export type { BedInfo } from './bed.js';
export type { SimOutput, PublishOutput } from './messages.js';
export { FAULT_NAMES, type FaultName } from './faultNames.js';
export { SCENARIOS, SCENARIO_NAMES, MIXED, assignScenarios, eventTime, type Scenario } from './scenarios/index.js';
