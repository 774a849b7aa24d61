// The scenario catalogue, and how beds get scenarios: one scenario for all beds, or `mixed`.
import { deviceDropout } from './deviceDropout.js';
import { drainageProblem } from './drainageProblem.js';
import { hypovolemia } from './hypovolemia.js';
import { oxygenatorClot } from './oxygenatorClot.js';
import { refractoryShock } from './refractoryShock.js';
import { sensorFaults } from './sensorFaults.js';
import { septicShock } from './septicShock.js';
import { stableVa } from './stableVa.js';
import { stableVv } from './stableVv.js';
import { MIN, type Scenario } from './timeline.js';

export * from './timeline.js';

export const SCENARIOS: Readonly<Record<string, Scenario>> = Object.fromEntries(
  [stableVa, stableVv, septicShock, refractoryShock, oxygenatorClot, drainageProblem, hypovolemia, sensorFaults, deviceDropout].map((s) => [
    s.name,
    s,
  ]),
);

export const SCENARIO_NAMES = Object.keys(SCENARIOS);
export const MIXED = 'mixed';

/** The demo unit's order: the interesting stories first, so SIM_BEDS=6 already shows them. */
const MIXED_ORDER = [
  'refractory-shock',
  'stable-va',
  'septic-shock',
  'oxygenator-clot',
  'stable-vv',
  'drainage-problem',
  'hypovolemia',
  'sensor-faults',
  'device-dropout',
] as const;

/** Beds that share a scenario start a few minutes apart, so a unit is not in lockstep. */
const STAGGER_S = 4 * MIN;
const STAGGER_STEPS = 4;

export interface BedAssignment {
  bedId: string;
  scenario: Scenario;
  /** Scenario time at the start of the run. */
  offsetS: number;
}

export function assignScenarios(bedIds: readonly string[], scenarioName: string, offsetS?: number): BedAssignment[] {
  const seen = new Map<string, number>();
  return bedIds.map((bedId, i) => {
    const name = scenarioName === MIXED ? MIXED_ORDER[i % MIXED_ORDER.length] : scenarioName;
    const scenario = SCENARIOS[name];
    if (!scenario) throw new Error(`unknown scenario "${name}"`);
    const nth = seen.get(name) ?? 0;
    seen.set(name, nth + 1);
    return { bedId, scenario, offsetS: offsetS ?? scenario.demoStartS + (nth % STAGGER_STEPS) * STAGGER_S };
  });
}
