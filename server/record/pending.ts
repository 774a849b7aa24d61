// Device data waiting for the recording, the same for both engines: four queues and the beds first
// seen while writing failed, bounded (past `max` rows, further ones are counted and not kept, so
// memory stays bounded while writing fails for long), taken whole for one batch, and put back in
// front of what came meanwhile when that batch cannot be written.
import type { InfusionRow, WaveformRow } from './recorder.js';

/** Waiting rows are written at least this often (one batch, one transaction). */
export const FLUSH_MS = 250;
/** Past this many queued rows a flush runs at once instead of waiting for the timer. */
export const FLUSH_ROWS = 20_000;
/** Rows kept in memory while writing fails (about 100 MB at most); beyond, rows are counted and not kept. */
export const MAX_PENDING_ROWS = 500_000;

/** One batch: measurements and derived values in the engine's own queued form. */
export interface PendingBatch<M, D> {
  /** Beds first seen while writing failed: bed id → first seen at. */
  beds: Map<string, number>;
  rows: M[];
  waves: WaveformRow[];
  infusions: InfusionRow[];
  derived: D[];
}

function empty<M, D>(): PendingBatch<M, D> {
  return { beds: new Map(), rows: [], waves: [], infusions: [], derived: [] };
}

export class PendingRows<M, D> {
  private b: PendingBatch<M, D> = empty();
  /** Rows not kept because the queue was full while writing failed. */
  dropped = 0;

  /** `alsoHeld`: rows held elsewhere that count against the bound (a batch being written). */
  constructor(
    private readonly max: number,
    private readonly alsoHeld: () => number = () => 0,
  ) {}

  /** Rows waiting (beds count as one each). */
  get size(): number {
    const b = this.b;
    return b.rows.length + b.waves.length + b.infusions.length + b.derived.length + b.beds.size;
  }

  /** Whether one more row may wait; past the bound it is counted as dropped instead. */
  admit(): boolean {
    if (this.size + this.alsoHeld() < this.max) return true;
    this.dropped++;
    return false;
  }

  addRow(row: M): void {
    this.b.rows.push(row);
  }

  addWave(row: WaveformRow): void {
    this.b.waves.push(row);
  }

  addInfusion(row: InfusionRow): void {
    this.b.infusions.push(row);
  }

  addDerived(row: D): void {
    this.b.derived.push(row);
  }

  addBed(bedId: string, atMs: number): void {
    this.b.beds.set(bedId, atMs);
  }

  /** Everything waiting, for one batch; the queues start empty again. */
  take(): PendingBatch<M, D> {
    const batch = this.b;
    this.b = empty();
    return batch;
  }

  /** A batch that could not be written waits again, ahead of what came meanwhile. */
  putBack(batch: PendingBatch<M, D>): void {
    const b = this.b;
    this.b = {
      beds: b.beds,
      rows: batch.rows.concat(b.rows),
      waves: batch.waves.concat(b.waves),
      infusions: batch.infusions.concat(b.infusions),
      derived: batch.derived.concat(b.derived),
    };
    for (const [bedId, atMs] of batch.beds) if (!b.beds.has(bedId)) b.beds.set(bedId, atMs);
  }
}
