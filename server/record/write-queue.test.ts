import { afterEach, describe, expect, it, vi } from 'vitest';
import { FLUSH_MS, FLUSH_ROWS, type PendingBatch } from './pending.js';
import { WriteQueue } from './write-queue.js';

type Batch = PendingBatch<number, number>;

/** A queue over a fake engine: every batch it was given, and whether the next write fails. */
function queue(o: { maxPendingRows?: number } = {}) {
  const written: Batch[] = [];
  const errors: unknown[] = [];
  const engine = { failing: false, calls: 0 };
  const q = new WriteQueue<number, number>({
    write: async (batch) => {
      engine.calls++;
      if (engine.failing) throw new Error('disk full');
      written.push(batch);
    },
    onError: (e) => errors.push(e),
    maxPendingRows: o.maxPendingRows ?? 1000,
    reason: (e) => (e instanceof Error ? e.message : String(e)),
  });
  return { q, written, errors, engine };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the write queue', () => {
  it('writes what waits in one batch at the timer, and lets whenWritten callers go on after it', async () => {
    vi.useFakeTimers();
    const { q, written } = queue();
    const told: string[] = [];
    q.addRow(1);
    q.addDerived(2);
    q.whenWritten(() => told.push('written'));
    expect(q.pending()).toBe(2);
    await vi.advanceTimersByTimeAsync(FLUSH_MS - 1);
    expect(written).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toMatchObject([{ rows: [1], derived: [2] }]);
    expect(told).toEqual(['written']);
    expect(q.health()).toEqual({ failing: false, pendingRows: 0, droppedRows: 0, lastError: null });
  });

  it('writes at once past FLUSH_ROWS, and never two batches at the same time', async () => {
    const { q, written } = queue({ maxPendingRows: FLUSH_ROWS * 3 });
    for (let i = 0; i < FLUSH_ROWS; i++) q.addRow(i);
    for (let i = 0; i < 10; i++) q.addRow(i); // past the size again while the first batch waits
    await q.flush();
    expect(written.map((b) => b.rows.length)).toEqual([FLUSH_ROWS + 10]);
  });

  it('keeps a batch that failed, in front of newer rows, and tries again only at the timer', async () => {
    vi.useFakeTimers();
    const { q, written, errors, engine } = queue({ maxPendingRows: FLUSH_ROWS * 3 });
    engine.failing = true;
    q.addRow(1);
    await q.flush();
    expect(errors).toHaveLength(1);
    expect(q.health()).toMatchObject({ failing: true, pendingRows: 1, lastError: 'disk full' });
    // Past the flush size while failing: no write at once (a full disk is not hammered).
    for (let i = 0; i < FLUSH_ROWS; i++) q.addRow(100 + i);
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.calls).toBe(1);
    engine.failing = false;
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    expect(engine.calls).toBe(2);
    expect(written[0].rows.slice(0, 2)).toEqual([1, 100]);
    expect(q.health()).toEqual({ failing: false, pendingRows: 0, droppedRows: 0, lastError: null });
  });

  it('holds at most its bound, the batch being written included, and counts what it could not keep', async () => {
    let release!: () => void;
    const q = new WriteQueue<number, number>({
      write: () => new Promise<void>((r) => (release = r)),
      onError: () => undefined,
      maxPendingRows: 3,
      reason: String,
    });
    for (let i = 0; i < 5; i++) if (q.admit()) q.addRow(i);
    expect(q.health()).toMatchObject({ pendingRows: 3, droppedRows: 2 });
    const writing = q.flush();
    await Promise.resolve(); // the batch is taken and being written: still in memory, still counted
    expect(q.pending()).toBe(3);
    expect(q.admit()).toBe(false);
    release();
    await writing;
    expect(q.admit()).toBe(true);
    expect(q.health()).toMatchObject({ failing: false, pendingRows: 0, droppedRows: 3 });
  });

  it('writes a bed the engine could not write with the next batch, and says why meanwhile', async () => {
    const { q, written } = queue();
    q.bedNotWritten('b1', 5, new Error('database is locked'));
    expect(q.health()).toMatchObject({ failing: true, pendingRows: 1, lastError: 'database is locked' });
    await q.flush();
    expect([...written[0].beds]).toEqual([['b1', 5]]);
    expect(q.health().failing).toBe(false);
  });

  it('answers whenWritten at once when nothing waits, and writes what waits when closed', async () => {
    const { q, written } = queue();
    const told: string[] = [];
    q.whenWritten(() => told.push('nothing waited'));
    await Promise.resolve();
    expect(told).toEqual(['nothing waited']);
    q.addRow(7);
    await q.close();
    expect(written).toMatchObject([{ rows: [7] }]);
    q.addRow(8); // after closing, nothing is scheduled
    expect(q.pending()).toBe(1);
  });
});
