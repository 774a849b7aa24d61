// Checks the labels against the model without a server: for each scenario and seed, the alarms a
// literal engine would raise on the simulator's values (explore.ts `referenceAlarms`) are matched to
// the labels exactly as `npm run alarm-yield` matches the server's. Prints each required label's
// delays and its margin to the deadline, and what the reference raises without a label.
//
//   tsx tools/alarm-yield/verify.ts [--seeds N] [--scenarios a,b]
//
// Technical alarms (device offline, values rejected) are not modelled: their labels are skipped here.
import { SCENARIOS, SCENARIO_NAMES } from '../../simulators/scenarios/index.js';
import { hms, referenceAlarms } from './explore.js';
import { matchAlarms, type Label, type MatchResult } from './match.js';

const MODELLED = (key: string) => !key.startsWith('deviceOffline.') && key !== 'valueRejected';

export interface ReferenceCheck {
  scenario: string;
  seed: number;
  result: MatchResult;
}

/** The reference's match for one scenario and seed over the scenario's alarm window (or fromS..toS). */
export function checkLabels(name: string, seed: number, span?: { fromS: number; toS: number }): ReferenceCheck {
  const s = SCENARIOS[name];
  const w = span ?? s.alarmWindow ?? { fromS: s.demoStartS, toS: s.durationS };
  const labels: Label[] = (s.alarms ?? []).filter((l) => MODELLED(l.key));
  const alarms = referenceAlarms(name, seed, w.fromS, w.toS);
  return { scenario: name, seed, result: matchAlarms(labels, alarms, { fromS: w.fromS, toS: w.toS - 1 }) };
}

if (process.argv[1]?.endsWith('verify.ts')) {
  const args = process.argv.slice(2);
  const arg = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seeds = Array.from({ length: Number(arg('--seeds') ?? 8) }, (_, i) => i + 1);
  const names = arg('--scenarios')?.split(',') ?? SCENARIO_NAMES;
  let missed = 0;
  for (const name of names) {
    const checks = seeds.map((seed) => checkLabels(name, seed));
    console.log(`${name}:`);
    const first = checks[0].result.outcomes;
    first.forEach((o, i) => {
      const delays = checks.map((c) => c.result.outcomes[i].delayS);
      const worst = Math.max(...delays.map((d) => (d === null ? Infinity : d)));
      missed += delays.filter((d) => d === null).length;
      console.log(
        `  ${o.label.key.padEnd(24)} from ${hms(o.label.fromS)} deadline +${o.label.maxDelayS} s: ${delays.map((d) => (d === null ? 'MISSED' : d)).join(', ')}  (margin ${worst === Infinity ? '-' : `${o.label.maxDelayS - worst} s`})`,
      );
    });
    const stray = checks.flatMap((c) => c.result.nonActionable.map((a) => `s${c.seed} ${a.key} ${hms(a.raisedS)}`));
    if (stray.length) console.log(`  unlabelled: ${stray.join('; ')}`);
  }
  console.log(missed ? `${missed} label detections missed by the reference` : 'every required label is met by the reference');
  process.exit(missed ? 1 : 0);
}
