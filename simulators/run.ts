// startSimulators: the in-process runner (used by `npm start` with SIM_BEDS, the CLI and tests).
// Paces the pure Simulation against the wall clock (speed × real time) and hands its outputs to
// the MQTT publisher. The only place with wall-clock time.
import type { BedInfo } from './bed.js';
import type { SimOutput } from './messages.js';
import { HISTORY_EVERY_S, resolveOptions, type SimOptions } from './options.js';
import { MqttPublisher } from './publisher.js';
import { Simulation } from './simulation.js';

/** At most this much simulated time per batch when the publisher falls behind. */
const MAX_BATCH_SIM_MS = 10_000;

interface SimStats {
  messages: number;
  simulatedS: number;
  beds: number;
}

export interface SimulatorHandle {
  /** Ends the run early: last messages, devices offline, connections closed. */
  stop(): Promise<void>;
  stats(): SimStats;
  /** Resolves when the run has ended (duration reached, or stop) and everything is flushed. */
  done: Promise<void>;
  /** Beds with their patient and clinical timeline (ts in message time). */
  beds: readonly BedInfo[];
  /** Message time of simulated second 0, epoch ms. */
  startMs: number;
}

/** History per batch: this much simulated time is stepped, thinned and handed over at once. */
const HISTORY_BATCH_S = 300;

/** Numerics of the monitor and console only every HISTORY_EVERY_S; everything else as it falls. */
function thinned(out: readonly SimOutput[], startMs: number): SimOutput[] {
  return out.filter(
    (o) => o.kind !== 'publish' || o.stream !== 'numerics' || Math.round((o.atMs - startMs) / 1000) % HISTORY_EVERY_S === 0,
  );
}

/**
 * Steps the simulation through its history (run time 0 to historyS, which ends now) as fast as the
 * broker takes it, without waveforms and with thinned numerics: a demo opens with trends of the
 * patients' last hours instead of empty charts.
 */
async function publishHistory(sim: Simulation, publisher: MqttPublisher, historyS: number, startMs: number): Promise<void> {
  for (let t = HISTORY_BATCH_S; ; t += HISTORY_BATCH_S) {
    const endS = Math.min(t, historyS - 1);
    await publisher.handle(thinned(sim.advanceTo(endS * 1000), startMs));
    if (endS >= historyS - 1) return;
  }
}

export async function startSimulators(opts: SimOptions): Promise<SimulatorHandle> {
  const config = resolveOptions(opts, Date.now());
  const sim = new Simulation({
    beds: config.bedIds,
    scenario: config.scenario,
    offsetS: config.offsetS,
    seed: config.seed,
    startMs: config.startMs,
    waveforms: config.waveforms && config.historyS === 0,
    historyS: config.historyS,
    faults: config.faults,
    faultMeanIntervalS: config.faultMeanIntervalS,
  });
  const publisher = new MqttPublisher({
    url: config.url,
    username: config.username,
    password: config.password,
    prefix: config.prefix,
    connection: config.connection,
    simNowMs: () => config.startMs + sim.elapsedS * 1000,
    onWarn: opts.onWarn,
  });
  const opened = performance.now();
  try {
    await publisher.open();
    await publisher.handle(sim.advanceTo(0));
    if (config.historyS > 0) {
      await publishHistory(sim, publisher, config.historyS, config.startMs);
      sim.setWaveforms(config.waveforms);
    }
  } catch (err) {
    await publisher.close();
    throw err;
  }
  // With history, run time 0 was historyS ago (at speed 1): from here the run is paced by the wall clock, live.
  const wallStart = config.historyS > 0 ? performance.now() - (Date.now() - config.startMs) : opened;

  const stats = (): SimStats => ({ messages: publisher.sent, simulatedS: sim.elapsedS, beds: config.bedIds.length });
  const progress = () => opts.onProgress?.({ ...stats(), speed: config.speed, wallS: (performance.now() - wallStart) / 1000 });
  const progressTimer = opts.onProgress ? setInterval(progress, config.progressIntervalMs) : null;
  progressTimer?.unref();

  let stopping = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const endMs = config.durationS === null ? Infinity : config.durationS * 1000;
  const run = async () => {
    try {
      while (!stopping && sim.elapsedS * 1000 < endMs) {
        const nextTickMs = sim.elapsedS * 1000;
        const waitMs = wallStart + nextTickMs / config.speed - performance.now();
        if (waitMs > 0) await sleep(waitMs);
        if (stopping) break;
        const dueMs = Math.max(nextTickMs, (performance.now() - wallStart) * config.speed);
        await publisher.handle(sim.advanceTo(Math.min(endMs - 1, dueMs, nextTickMs + MAX_BATCH_SIM_MS)));
      }
      await publisher.handle(sim.finish());
    } finally {
      if (progressTimer) clearInterval(progressTimer);
      await publisher.close();
      progress();
    }
  };
  const done = run();

  return {
    async stop() {
      stopping = true;
      wake?.();
      await done.catch(() => undefined);
    },
    stats,
    done,
    beds: sim.beds,
    startMs: config.startMs,
  };
}
