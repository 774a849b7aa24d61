// Physiological device simulators: scenarios of paediatric septic shock and ECMO, published over
// MQTT as the bedside devices would (docs/interface.md). The pure core (Simulation, scenarios, model)
// is exported for tests and tools; startSimulators runs it against a broker.
export { startSimulators, type SimStats, type SimulatorHandle } from './run.js';
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
export type { SimOutput, PublishOutput, ConnectOutput, DisconnectOutput } from './messages.js';
export { FAULT_NAMES, type FaultName } from './faultNames.js';
export {
  SCENARIOS,
  SCENARIO_NAMES,
  MIXED,
  MIXED_ORDER,
  assignScenarios,
  eventTime,
  type Scenario,
  type TimelineEvent,
} from './scenarios/index.js';
