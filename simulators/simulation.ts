// The pure simulation of a unit: beds stepped second by second in simulated time, each followed by
// its fault injector. No I/O, no wall clock: `advanceTo` is told how far simulated time has come.
import { BedSimulator, type BedInfo } from './bed.js';
import type { FaultName } from './faultNames.js';
import { FaultInjector } from './faults.js';
import type { SimOutput } from './messages.js';
import { Random } from './random.js';
import { assignScenarios, type BedAssignment } from './scenarios/index.js';

export interface SimulationOptions {
  /** Bed ids (scenarios assigned from `scenario`), or explicit assignments. */
  beds: readonly string[] | readonly BedAssignment[];
  /** A scenario name or `mixed`; default `mixed`. */
  scenario?: string;
  /** Scenario time at the start of the run; default per scenario (its demo start). */
  offsetS?: number;
  seed: number;
  /** Epoch ms of simulated time 0: ts = startMs + simulated elapsed. */
  startMs: number;
  waveforms?: boolean;
  /** Run time that is history: each bed's scenario starts this much earlier (default 0). */
  historyS?: number;
  faults?: readonly FaultName[];
  faultMeanIntervalS?: number;
}

export class Simulation {
  readonly beds: readonly BedInfo[];
  private readonly simulators: { bed: BedSimulator; faults: FaultInjector }[];
  private nextTickS = 0;
  private finished = false;
  private published = 0;

  constructor(o: SimulationOptions) {
    const assignments = (
      typeof o.beds[0] === 'string' || o.beds.length === 0
        ? assignScenarios(o.beds as readonly string[], o.scenario ?? 'mixed', o.offsetS)
        : (o.beds as readonly BedAssignment[])
    ).map((a) => (o.historyS ? { ...a, offsetS: a.offsetS - o.historyS } : a));
    this.simulators = assignments.map((a) => ({
      bed: new BedSimulator(a, { seed: o.seed, startMs: o.startMs, waveforms: o.waveforms ?? true }),
      faults: new FaultInjector({
        bedId: a.bedId,
        random: Random.of(o.seed, `${a.bedId}/faults`),
        requested: o.faults ?? [],
        scheduled: a.scenario.faults ?? [],
        offsetS: a.offsetS,
        startMs: o.startMs,
        meanIntervalS: o.faultMeanIntervalS,
      }),
    }));
    this.beds = this.simulators.map((s) => s.bed.info);
  }

  /** Simulated seconds stepped so far. */
  get elapsedS(): number {
    return this.nextTickS;
  }

  /** Monitor waveforms on or off from now on (off while history is published). */
  setWaveforms(on: boolean): void {
    for (const s of this.simulators) s.bed.setWaveforms(on);
  }

  /** Publish outputs produced so far. */
  get messages(): number {
    return this.published;
  }

  /** Steps every whole simulated second up to and including elapsedMs; outputs in send order. */
  advanceTo(elapsedMs: number): SimOutput[] {
    const out: SimOutput[] = [];
    if (this.finished) return out;
    while (this.nextTickS * 1000 <= elapsedMs) {
      const t = this.nextTickS++;
      for (const s of this.simulators) out.push(...s.faults.apply(t, s.bed.tick(t)));
    }
    this.count(out);
    return out;
  }

  /** Ends the run: last chunks, then every device publishes offline and disconnects. */
  finish(): SimOutput[] {
    if (this.finished) return [];
    this.finished = true;
    const out: SimOutput[] = [];
    for (const s of this.simulators) out.push(...s.faults.finish(s.bed.finish(this.nextTickS)));
    this.count(out);
    return out;
  }

  private count(out: readonly SimOutput[]): void {
    for (const o of out) if (o.kind === 'publish') this.published++;
  }
}
