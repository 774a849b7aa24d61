// Retention: how long each kind of recorded data is kept, and the pruning that removes what is older
// (docs/deployment.md, "Retention and disk"). The study record (timeline events, alarms and their
// log, audit, patients, users) is never pruned. Pruning runs in small batches, yielding to the event
// loop between them, so devices and dashboards are never kept waiting for long.
import type { Recorder, RetentionKind } from './recorder.js';

export const RETENTION_KINDS: readonly RetentionKind[] = ['waveforms', 'samples', 'lab', 'derived', 'aggregates'];

/** Days each kind is kept; 0 keeps it forever. */
export type RetentionPolicy = Readonly<Record<RetentionKind, number>>;

const DAY_MS = 86_400_000;

/**
 * Whatever the configuration says, nothing measured within the last day is removed: a typo (or a
 * misread unit) cannot wipe the case running now.
 */
export const RETENTION_FLOOR_MS = DAY_MS;

/** The policy of the configuration: derived values go with the samples they are computed from. */
export function retentionPolicy(c: {
  RETENTION_WAVEFORM_DAYS: number;
  RETENTION_SAMPLES_DAYS: number;
  RETENTION_LAB_DAYS: number;
  RETENTION_AGGREGATES_DAYS: number;
}): RetentionPolicy {
  return {
    waveforms: c.RETENTION_WAVEFORM_DAYS,
    samples: c.RETENTION_SAMPLES_DAYS,
    lab: c.RETENTION_LAB_DAYS,
    derived: c.RETENTION_SAMPLES_DAYS,
    aggregates: c.RETENTION_AGGREGATES_DAYS,
  };
}

/**
 * Each kind's cut-off at `nowMs` (rows measured before it are removed); a kind kept forever has
 * none. A cut-off is never later than RETENTION_FLOOR_MS before now.
 */
export function retentionCutoffs(policy: RetentionPolicy, nowMs: number): Partial<Record<RetentionKind, number>> {
  const out: Partial<Record<RetentionKind, number>> = {};
  for (const kind of RETENTION_KINDS) {
    const days = policy[kind];
    if (!(days > 0)) continue; // 0, or anything that is not a positive number of days: forever
    out[kind] = nowMs - Math.max(days * DAY_MS, RETENTION_FLOOR_MS);
  }
  return out;
}

/** The policy in words for the start-up log: `waveforms 7 d, samples 90 d, lab forever, ...`. */
export function describePolicy(policy: RetentionPolicy): string {
  return RETENTION_KINDS.map((k) => `${k} ${policy[k] > 0 ? `${Math.max(policy[k], RETENTION_FLOOR_MS / DAY_MS)} d` : 'forever'}`).join(
    ', ',
  );
}

export type PruneCounts = Record<RetentionKind, number>;

export const zeroCounts = (): PruneCounts => ({ waveforms: 0, samples: 0, lab: 0, derived: 0, aggregates: 0 });

/**
 * Rows one batch removes at most: a few milliseconds of SQLite work, about 20 ms at worst, on a
 * 2-core machine (docs/deployment.md). A waveform row holds a second of samples (about 0.6 kB on
 * disk), so fewer of them.
 */
export const PRUNE_BATCH_ROWS: Readonly<Record<RetentionKind, number>> = {
  waveforms: 1000,
  samples: 5000,
  lab: 5000,
  derived: 5000,
  aggregates: 5000,
};
/** The first pass, once the start-up (restore, broker) has settled. */
export const PRUNE_FIRST_AFTER_MS = 60_000;
export const PRUNE_EVERY_MS = 10 * 60_000;

export interface PrunerOptions {
  recorder: Pick<Recorder, 'prune'>;
  policy: RetentionPolicy;
  /** Wall clock (epoch ms), for the cut-offs. */
  now: () => number;
  /** Rows per batch, for every kind (default PRUNE_BATCH_ROWS per kind). */
  batchRows?: number;
  /** After each pass: what it removed and how long it took. */
  onPass?: (rows: PruneCounts, durationMs: number) => void;
  onError?: (err: unknown) => void;
}

/** Runs retention passes on a timer and counts what they remove (for /metrics). */
export class Pruner {
  /** Rows removed since start, per kind. */
  readonly pruned: PruneCounts = zeroCounts();
  passes = 0;
  /** The longest single batch, ms: how long pruning held the event loop at most. */
  longestBatchMs = 0;
  lastPassMs: number | null = null;
  /** Why the last pass failed; null once one succeeds. */
  lastError: string | null = null;
  private readonly batchRows: Readonly<Record<RetentionKind, number>>;
  private running: Promise<PruneCounts> | null = null;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly o: PrunerOptions) {
    const n = o.batchRows;
    this.batchRows = n === undefined ? PRUNE_BATCH_ROWS : { waveforms: n, samples: n, lab: n, derived: n, aggregates: n };
  }

  /**
   * One pass: for each kind with a cut-off, batch after batch until nothing older is left, yielding
   * to the event loop between batches. A call during a pass answers that pass.
   */
  pass(): Promise<PruneCounts> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<PruneCounts> {
    const started = performance.now();
    const cutoffs = retentionCutoffs(this.o.policy, this.o.now());
    const rows = zeroCounts();
    try {
      for (const kind of RETENTION_KINDS) {
        const before = cutoffs[kind];
        if (before === undefined) continue;
        while (!this.stopped) {
          const t = performance.now();
          const batch = this.batchRows[kind];
          const n = await this.o.recorder.prune(kind, before, batch);
          this.longestBatchMs = Math.max(this.longestBatchMs, performance.now() - t);
          rows[kind] += n;
          this.pruned[kind] += n;
          if (n < batch) break;
          await new Promise<void>((r) => setImmediate(r)); // let devices and dashboards in
        }
      }
      this.lastError = null;
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      throw e;
    } finally {
      this.passes++;
      this.lastPassMs = performance.now() - started;
    }
    this.o.onPass?.(rows, this.lastPassMs);
    return rows;
  }

  /** A pass `firstAfterMs` after now, then one every `everyMs`. */
  start(firstAfterMs = PRUNE_FIRST_AFTER_MS, everyMs = PRUNE_EVERY_MS): void {
    const go = () => {
      this.pass().catch((e: unknown) => this.o.onError?.(e));
    };
    const first = setTimeout(() => {
      go();
      const every = setInterval(go, everyMs);
      every.unref();
      this.timers.push(every);
    }, firstAfterMs);
    first.unref();
    this.timers.push(first);
  }

  /** No further passes; a pass running stops after its current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await this.running?.catch(() => {});
  }
}
