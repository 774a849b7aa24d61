// Physiological device simulators: scenarios of paediatric septic shock and ECMO, published over
// MQTT as the bedside devices would (docs/interface.md). This is all the server sees of them: the
// in-process demo starts them here and they reach it over MQTT like any device. Tools and tests
// that need the pure core (Simulation, scenarios) import it from its own files.
export { startSimulators } from './run.js';
