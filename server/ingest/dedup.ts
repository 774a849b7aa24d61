// Duplicate detection per device stream (docs/interface.md: same device stream and ts, or same seq).
// A small ring of the most recent (ts, seq) pairs per stream: in-order traffic is an O(1) check
// against the newest pair; only a message that is not newer scans the ring.

const RECENT = 64;
/** A repeated seq counts as a duplicate only near its first use: devices restart their seq at 0. */
const SEQ_REUSE_WINDOW_MS = 10 * 60_000;

class StreamHistory {
  readonly ts = new Float64Array(RECENT).fill(NaN);
  readonly seq = new Float64Array(RECENT).fill(NaN);
  next = 0;
  newestTs = -Infinity;
  newestSeq = -Infinity;

  seen(tsMs: number, seq: number | undefined): boolean {
    if (tsMs > this.newestTs && (seq === undefined || seq > this.newestSeq)) return false;
    for (let i = 0; i < RECENT; i++) {
      if (this.ts[i] === tsMs) return true;
      if (seq !== undefined && this.seq[i] === seq && Math.abs(this.ts[i] - tsMs) <= SEQ_REUSE_WINDOW_MS) return true;
    }
    return false;
  }

  remember(tsMs: number, seq: number | undefined): void {
    this.ts[this.next] = tsMs;
    this.seq[this.next] = seq ?? NaN;
    this.next = (this.next + 1) % RECENT;
    if (tsMs > this.newestTs) this.newestTs = tsMs;
    if (seq !== undefined && seq > this.newestSeq) this.newestSeq = seq;
  }
}

export class DuplicateFilter {
  private readonly streams = new Map<string, StreamHistory>();

  /** True when the message was already seen; otherwise remembers it. */
  check(streamKey: string, tsMs: number, seq: number | undefined): boolean {
    let h = this.streams.get(streamKey);
    if (!h) {
      h = new StreamHistory();
      this.streams.set(streamKey, h);
    }
    if (h.seen(tsMs, seq)) return true;
    h.remember(tsMs, seq);
    return false;
  }

  /** A device that comes back online starts a new seq run. */
  resetDevice(prefix: string): void {
    for (const key of this.streams.keys()) if (key.startsWith(prefix)) this.streams.delete(key);
  }
}
