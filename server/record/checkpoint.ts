// Checkpoints of the SQLite recording off the event loop. A checkpoint copies the write-ahead log
// into the database file and waits for the disk (fsync); by default SQLite runs one inside the
// commit that fills the log past 1000 pages, on whichever connection commits, which for the
// recording is the event loop that ingests, alarms and streams. Once a thread of its own has opened
// its connection and checkpoints every CHECKPOINT_MS, this connection stops checkpointing; should
// that thread fail or end, this connection takes checkpointing back, so the log never grows unchecked.
import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';

/** How often the checkpoint thread copies the log into the database. */
export const CHECKPOINT_MS = 1000;
/** SQLite's own default: a commit that leaves more pages than this in the log checkpoints. */
const AUTOCHECKPOINT_PAGES = 1000;

export class CheckpointThread {
  private worker: Worker | null = null;
  private stopped = false;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Starts the thread (once); this connection stops checkpointing when it says it is ready. */
  start(): void {
    if (this.worker || this.stopped) return;
    const w = new Worker(new URL('./checkpoint.worker.mjs', import.meta.url), { workerData: { file: this.file, everyMs: CHECKPOINT_MS } });
    this.worker = w;
    // An idle thread does not keep the process alive: the recorder's close ends it.
    w.unref();
    w.once('message', () => {
      if (this.worker === w) this.db.pragma('wal_autocheckpoint = 0');
    });
    const ended = (e?: unknown) => {
      if (this.worker !== w) return;
      this.worker = null;
      this.takeBack();
      if (e !== undefined && !this.stopped) this.onError(e);
    };
    w.once('error', ended);
    w.once('exit', (code) =>
      ended(code === 0 || this.stopped ? undefined : new Error(`the checkpoint thread stopped (exit code ${code})`)),
    );
  }

  /** Ends the thread; this connection checkpoints on its own again (and at its close). */
  async stop(): Promise<void> {
    this.stopped = true;
    const w = this.worker;
    this.worker = null;
    this.takeBack();
    if (w) await w.terminate();
  }

  private takeBack(): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  }
}
