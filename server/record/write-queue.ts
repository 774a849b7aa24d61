// Device data on its way to the recording, the same for both engines: rows wait in PendingRows
// and go in batches that never overlap, at least every FLUSH_MS and at once past FLUSH_ROWS. A
// batch that cannot be written waits again in front (memory bounded, what is not kept counted);
// callers of whenWritten go on once the rows queued before them are written, or kept in memory
// because writing fails. Each engine gives the function that writes one batch: SQLite hands it to
// its writer thread, PostgreSQL writes it in one transaction.
import { FLUSH_MS, FLUSH_ROWS, PendingRows, type PendingBatch } from './pending.js';

export interface WriteHealth {
  failing: boolean;
  pendingRows: number;
  droppedRows: number;
  lastError: string | null;
}

export interface WriteQueueOptions<M, D> {
  /** Writes one batch whole, or rejects and writes nothing. */
  write: (batch: PendingBatch<M, D>) => Promise<void>;
  /** Told of each failed write (the rows are kept for the next one). */
  onError: (e: unknown) => void;
  /** Rows kept in memory while writing fails; beyond, rows are counted and not kept. */
  maxPendingRows: number;
  /** What a failure says, in the health. */
  reason: (e: unknown) => string;
}

export class WriteQueue<M, D> {
  private readonly rows: PendingRows<M, D>;
  /** Callers of whenWritten waiting for the next batch. */
  private writtenWaiters: (() => void)[] = [];
  /** Rows taken from the queue by the batch being written (still not written). */
  private inFlight = 0;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The batch being written, and the one queued behind it. */
  private current: Promise<void> = Promise.resolve();
  private next: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly o: WriteQueueOptions<M, D>) {
    // The batch being written counts against the bound too: it is still in memory.
    this.rows = new PendingRows(o.maxPendingRows, () => this.inFlight);
  }

  /** Whether one more row may wait (past the bound, it is counted as not kept). */
  admit(): boolean {
    return this.rows.admit();
  }

  addRow(row: M): void {
    this.rows.addRow(row);
    this.schedule();
  }

  addWave(row: PendingBatch<M, D>['waves'][number]): void {
    this.rows.addWave(row);
    this.schedule();
  }

  addInfusion(row: PendingBatch<M, D>['infusions'][number]): void {
    this.rows.addInfusion(row);
    this.schedule();
  }

  addDerived(row: D): void {
    this.rows.addDerived(row);
    this.schedule();
  }

  /** A new bed the engine could not write at once: it goes with the next batch that is written. */
  bedNotWritten(bedId: string, atMs: number, e: unknown): void {
    this.rows.addBed(bedId, atMs);
    this.lastError = this.o.reason(e);
    this.schedule();
  }

  /** Rows not written yet: waiting, and in the batch being written. */
  pending(): number {
    return this.rows.size + this.inFlight;
  }

  health(): WriteHealth {
    return { failing: this.lastError !== null, pendingRows: this.pending(), droppedRows: this.rows.dropped, lastError: this.lastError };
  }

  whenWritten(written: () => void): void {
    if (!this.pending() || this.lastError !== null) {
      queueMicrotask(written);
      return;
    }
    this.writtenWaiters.push(written);
    this.schedule();
  }

  /** Writes what is queued now (after the batch being written, if any). Never rejects: a failure keeps the rows. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.next) return this.next;
    const p = this.current.then(() => {
      this.next = null;
      return this.writeBatch();
    });
    this.next = p;
    this.current = p;
    return p;
  }

  /** Writes what is queued, then stops scheduling writes. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.closed) return;
    // While writing fails, the next try waits for the timer: a full disk is not hammered.
    if (this.rows.size >= FLUSH_ROWS && this.lastError === null) {
      void this.flush();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, FLUSH_MS);
      this.timer.unref?.();
    }
  }

  /** One batch: everything queued; whenWritten's callers go on once it is written (or kept). */
  private async writeBatch(): Promise<void> {
    const waiters = this.writtenWaiters;
    this.writtenWaiters = [];
    this.inFlight = this.rows.size;
    const batch = this.rows.take();
    if (this.inFlight > 0) {
      try {
        await this.o.write(batch);
        this.lastError = null;
      } catch (e) {
        // Keep the rows for the next attempt rather than lose them (disk full, database away).
        this.rows.putBack(batch);
        this.lastError = this.o.reason(e);
        this.o.onError(e);
        this.inFlight = 0;
        this.schedule();
      }
      this.inFlight = 0;
    }
    // Written, or kept in memory while writing fails: either way the waiters go on.
    for (const w of waiters) {
      try {
        w();
      } catch (err) {
        this.o.onError(err);
      }
    }
  }
}
