// Naming of the alarm-yield runs: one bed per (scenario, seed).
export function bedIdOf(scenario: string, seed: number): string {
  return `ay-${scenario}-s${seed}`.slice(0, 32);
}
