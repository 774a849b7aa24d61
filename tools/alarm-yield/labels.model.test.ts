// The labels agree with the model: on the simulator's own values (no server), an engine that follows
// docs/clinical.md section 4 literally meets every required label of every scenario, for the seeds the
// tool runs by default. `tsx tools/alarm-yield/verify.ts --seeds 12` shows the margins.
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../simulators/scenarios/index.js';
import { checkLabels } from './verify.js';

describe('labels against the model', () => {
  for (const name of SCENARIO_NAMES) {
    it(`${name}: every required label is met by the reference for seeds 1–3`, () => {
      for (const seed of [1, 2, 3]) {
        const { result } = checkLabels(name, seed);
        const missed = result.outcomes.filter((o) => !o.detected).map((o) => `${o.label.key}@${o.label.fromS}`);
        expect(missed, `${name} seed ${seed}`).toEqual([]);
      }
    });
  }
});
