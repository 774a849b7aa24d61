// The faults the simulators can inject on request (CLI --faults, SimOptions.faults) or on a
// scenario's schedule. Each name says what a receiver sees.
export const FAULT_NAMES = [
  /** A device goes silent for a while; its status stays online. */
  'dropout',
  /** A device's connection breaks without DISCONNECT: the broker publishes its last will (offline). */
  'disconnect',
  /** A payload that is not valid JSON (truncated). */
  'malformed',
  /** A value outside the catalogue's plausible range. */
  'out-of-range',
  /** A device clock running minutes ahead. */
  'clock-skew',
  /** The same message twice. */
  'duplicate',
  /** A message sent after the next one of its stream. */
  'out-of-order',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export function isFaultName(name: string): name is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(name);
}
