// `npm run alarm-yield -- [--seeds N|a,b] [--scenarios a,b] [--hours H] [--step S] [--verbose]`
//
// Runs every scenario (× seeds) through the real server on a virtual clock (runner.ts), reads the
// alarms it raised, matches them to the scenarios' ground-truth labels (match.ts) and prints a table
// per scenario, with one JSON object as the last line of stdout. Progress goes to stderr.
// Exit code 1 when a required label is missed, or when the stable and sensor-fault scenarios see
// more than one non-actionable alarm per bed-hour; 2 on bad options.
import { SCENARIOS, SCENARIO_NAMES } from '../../simulators/scenarios/index.js';
import { matchAlarms, type LabelOutcome, type MatchResult } from './match.js';
import { runBatch, type RunOutcome, type RunSpec } from './runner.js';
import { bedIdOf } from './runs.js';

/** Where non-actionable alarms are held to at most one per bed-hour: patients with nothing to alarm about. */
export const GATE_SCENARIOS = ['stable-va', 'stable-vv', 'sensor-faults'] as const;
const GATE_LIMIT_PER_BED_HOUR = 1;

interface Options {
  seeds: number[];
  scenarios: string[];
  hours: number | null;
  stepS: number;
  verbose: boolean;
}

const USAGE = `usage: npm run alarm-yield -- [--seeds N | --seeds 1,4,9] [--scenarios a,b] [--hours H] [--step S] [--verbose]
  --seeds      number of seeds (1..N) or a list; default 3
  --scenarios  comma-separated names; default all: ${SCENARIO_NAMES.join(', ')}
  --hours      length of every run from the scenario's window start (default: each scenario's labelled window)
  --step       simulated seconds per synchronised step; default 1
  --verbose    list every non-actionable alarm and every missed label`;

class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): Options {
  const o: Options = { seeds: [1, 2, 3], scenarios: [...SCENARIO_NAMES], hours: null, stepS: 1, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--seeds': {
        const v = value();
        const list = v.includes(',') ? v.split(',').map(Number) : Array.from({ length: Number(v) }, (_, k) => k + 1);
        if (!list.length || list.some((s) => !Number.isInteger(s) || s < 0))
          throw new UsageError(`--seeds: a count or a list of integers, not ${v}`);
        o.seeds = list;
        break;
      }
      case '--scenarios': {
        const names = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const unknown = names.filter((n) => !SCENARIOS[n]);
        if (unknown.length || !names.length)
          throw new UsageError(`--scenarios: unknown ${unknown.join(', ')}; known: ${SCENARIO_NAMES.join(', ')}`);
        o.scenarios = names;
        break;
      }
      case '--hours': {
        const h = Number(value());
        if (!(h > 0)) throw new UsageError('--hours: a positive number');
        o.hours = h;
        break;
      }
      case '--step': {
        const s = Number(value());
        if (!Number.isInteger(s) || s < 1 || s > 10)
          throw new UsageError('--step: whole seconds from 1 to 10 (device data is fresh for 10 s)');
        o.stepS = s;
        break;
      }
      case '--verbose':
        o.verbose = true;
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  return o;
}

export function specsOf(o: Options): RunSpec[] {
  const specs: RunSpec[] = [];
  for (const name of o.scenarios) {
    const scenario = SCENARIOS[name];
    const window = scenario.alarmWindow ?? {
      fromS: scenario.demoStartS,
      toS: Math.min(scenario.durationS, scenario.demoStartS + 2 * 3600),
    };
    const toS = o.hours === null ? window.toS : Math.min(scenario.durationS, window.fromS + Math.round(o.hours * 3600));
    for (const seed of o.seeds) specs.push({ scenario, seed, bedId: bedIdOf(name, seed), fromS: window.fromS, toS });
  }
  return specs;
}

interface ScenarioSummary {
  name: string;
  runs: number;
  expected: number;
  detected: number;
  /** Delay of each detection, s (per label in order, per seed). */
  delaysS: number[];
  nonActionable: number;
  bedHours: number;
  nonActionablePerBedHour: number;
  acceptable: number;
  actionable: number;
  missed: { key: string; fromS: number; seed: number }[];
  labels: { key: string; fromS: number; maxDelayS: number; delaysS: (number | null)[] }[];
  nonActionableByKey: Record<string, number>;
}

const hms = (s: number) => {
  const a = Math.round(Math.abs(s));
  return `${s < 0 ? '-' : ''}${Math.floor(a / 3600)}:${String(Math.floor((a % 3600) / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
};

function summarise(name: string, runs: { run: RunOutcome; m: MatchResult }[]): ScenarioSummary {
  const labels = new Map<string, ScenarioSummary['labels'][number]>();
  const missed: ScenarioSummary['missed'] = [];
  const byKey: Record<string, number> = {};
  const outcomeId = (x: LabelOutcome) => `${x.label.key}@${x.label.fromS}`;
  for (const { run, m } of runs) {
    for (const x of m.outcomes) {
      const id = outcomeId(x);
      if (!labels.has(id)) labels.set(id, { key: x.label.key, fromS: x.label.fromS, maxDelayS: x.label.maxDelayS, delaysS: [] });
      labels.get(id)!.delaysS.push(x.delayS);
      if (!x.detected) missed.push({ key: x.label.key, fromS: x.label.fromS, seed: run.spec.seed });
    }
    for (const a of m.nonActionable) byKey[a.key] = (byKey[a.key] ?? 0) + 1;
  }
  const sum = (f: (m: MatchResult) => number) => runs.reduce((acc, r) => acc + f(r.m), 0);
  const bedHours = runs.reduce((acc, r) => acc + (r.run.spec.toS - r.run.spec.fromS) / 3600, 0);
  const nonActionable = sum((m) => m.nonActionable.length);
  return {
    name,
    runs: runs.length,
    expected: sum((m) => m.expected),
    detected: sum((m) => m.detected),
    delaysS: runs.flatMap((r) => r.m.outcomes.filter((x) => x.delayS !== null).map((x) => x.delayS!)),
    nonActionable,
    bedHours: round2(bedHours),
    nonActionablePerBedHour: round2(bedHours > 0 ? nonActionable / bedHours : 0),
    acceptable: sum((m) => m.acceptable.length),
    actionable: sum((m) => m.actionable.length),
    missed,
    labels: [...labels.values()],
    nonActionableByKey: byKey,
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function pad(s: string | number, n: number, right = false): string {
  const t = String(s);
  return right ? t.padStart(n) : t.padEnd(n);
}

function printTables(summaries: ScenarioSummary[], runs: { run: RunOutcome; m: MatchResult }[], verbose: boolean): void {
  const out = (l = '') => process.stdout.write(`${l}\n`);
  out(
    `${pad('scenario', 18)} ${pad('runs', 4, true)} ${pad('bed-h', 6, true)} ${pad('detected', 9, true)} ${pad('median delay', 13, true)} ${pad('max delay', 10, true)} ${pad('non-act.', 8, true)} ${pad('/bed-h', 7, true)} ${pad('accept.', 7, true)} ${pad('action.', 7, true)}`,
  );
  for (const s of summaries) {
    const d = [...s.delaysS].sort((a, b) => a - b);
    const median = d.length ? d[Math.floor((d.length - 1) / 2)] : null;
    out(
      `${pad(s.name, 18)} ${pad(s.runs, 4, true)} ${pad(s.bedHours.toFixed(2), 6, true)} ${pad(`${s.detected}/${s.expected}`, 9, true)} ${pad(median === null ? '-' : `${median} s`, 13, true)} ${pad(d.length ? `${d[d.length - 1]} s` : '-', 10, true)} ${pad(s.nonActionable, 8, true)} ${pad(s.nonActionablePerBedHour.toFixed(2), 7, true)} ${pad(s.acceptable, 7, true)} ${pad(s.actionable, 7, true)}`,
    );
  }
  out();
  for (const s of summaries) {
    if (!s.labels.length && !s.nonActionable) continue;
    out(`${s.name}:`);
    for (const l of s.labels) {
      const delays = l.delaysS.map((x) => (x === null ? 'MISSED' : `${x}`)).join(', ');
      out(`  ${pad(l.key, 24)} from ${hms(l.fromS)} deadline +${l.maxDelayS} s   delays per seed: ${delays}`);
    }
    const na = Object.entries(s.nonActionableByKey);
    if (na.length) out(`  non-actionable: ${na.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  }
  if (!verbose) return;
  out();
  for (const { run, m } of runs) {
    for (const a of m.nonActionable)
      out(
        `  non-actionable ${run.spec.scenario.name} seed ${run.spec.seed}: ${a.key} (${a.priority ?? '?'}) raised ${hms(a.raisedS)}${a.clearedS != null ? `, cleared ${hms(a.clearedS)}` : ''}`,
      );
    for (const x of m.outcomes.filter((o) => !o.detected))
      out(
        `  missed ${run.spec.scenario.name} seed ${run.spec.seed}: ${x.label.key} from ${hms(x.label.fromS)} within ${x.label.maxDelayS} s`,
      );
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) process.stderr.write(`alarm-yield: ${err.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    return err.message ? 2 : 0;
  }
  const log = (l: string) => process.stderr.write(`[alarm-yield] ${l}\n`);
  const specs = specsOf(o);
  log(
    `${specs.length} runs (${o.scenarios.length} scenarios × seeds ${o.seeds.join(',')}), ${round2(specs.reduce((a, s) => a + (s.toS - s.fromS), 0) / 3600)} bed-hours, ${o.stepS} s steps, waveforms off`,
  );
  const batch = await runBatch(specs, { stepS: o.stepS, log });
  if (batch.alarmsApi !== 'ok') log(`no alarms read: ${batch.alarmsApi}; every label counts as missed`);

  const matched = batch.runs.map((run) => {
    const labels = run.spec.scenario.alarms ?? [];
    // The run's last data second is toS − 1; devices leave (offline) at toS.
    const m = matchAlarms(labels, run.alarms, { fromS: run.spec.fromS, toS: run.spec.toS - 1 });
    log(
      `result ${run.spec.scenario.name} seed ${run.spec.seed}: detected ${m.detected}/${m.expected}, ${run.alarms.length} alarms (${m.actionable.length} actionable, ${m.acceptable.length} acceptable, ${m.nonActionable.length} non-actionable)`,
    );
    return { run, m };
  });
  const summaries = o.scenarios.map((name) =>
    summarise(
      name,
      matched.filter((x) => x.run.spec.scenario.name === name),
    ),
  );
  printTables(summaries, matched, o.verbose);

  const expected = summaries.reduce((a, s) => a + s.expected, 0);
  const detected = summaries.reduce((a, s) => a + s.detected, 0);
  const bedHours = summaries.reduce((a, s) => a + s.bedHours, 0);
  const nonActionable = summaries.reduce((a, s) => a + s.nonActionable, 0);
  const gate = summaries.filter((s) => (GATE_SCENARIOS as readonly string[]).includes(s.name));
  const gateHours = gate.reduce((a, s) => a + s.bedHours, 0);
  const gateNa = gate.reduce((a, s) => a + s.nonActionable, 0);
  const gatePerHour = gateHours > 0 ? gateNa / gateHours : 0;
  const missed = expected - detected;
  const passed = missed === 0 && gatePerHour <= GATE_LIMIT_PER_BED_HOUR;
  const result = {
    expected,
    detected,
    nonActionablePerBedHour: round2(bedHours > 0 ? nonActionable / bedHours : 0),
    bedHours: round2(bedHours),
    nonActionable,
    gate: {
      scenarios: gate.map((s) => s.name),
      nonActionable: gateNa,
      bedHours: round2(gateHours),
      nonActionablePerBedHour: round2(gatePerHour),
      limit: GATE_LIMIT_PER_BED_HOUR,
    },
    passed,
    alarmsApi: batch.alarmsApi,
    seeds: o.seeds,
    stepS: o.stepS,
    wallS: Math.round(batch.wallS),
    syncTimeouts: batch.syncTimeouts,
    scenarios: summaries.map((s) => ({
      name: s.name,
      expected: s.expected,
      detected: s.detected,
      delaysS: s.delaysS,
      nonActionable: s.nonActionable,
      bedHours: s.bedHours,
      nonActionablePerBedHour: s.nonActionablePerBedHour,
      acceptable: s.acceptable,
      actionable: s.actionable,
      missed: s.missed,
      nonActionableByKey: s.nonActionableByKey,
    })),
  };
  log(
    `${detected}/${expected} detected, ${nonActionable} non-actionable in ${round2(bedHours)} bed-hours; gate ${round2(gatePerHour)}/bed-h (limit ${GATE_LIMIT_PER_BED_HOUR}); ${Math.round(batch.wallS)} s wall`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return passed ? 0 : 1;
}

if (process.argv[1]?.endsWith('main.ts')) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`alarm-yield failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(3);
    },
  );
}
