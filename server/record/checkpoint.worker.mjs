// The recording's checkpoints, on a thread of their own (checkpoint.ts): every CHECKPOINT_MS a
// PASSIVE checkpoint copies what the write-ahead log holds into the database file, with its fsync,
// without blocking the event loop's writers or readers. Plain JavaScript: it needs nothing but
// better-sqlite3. Says "ready" once its connection is open; should it end, the main thread
// checkpoints itself again.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { file, everyMs } = workerData;
const db = new Database(file);
db.pragma('busy_timeout = 5000');
// This connection never writes rows; it must not checkpoint on its own commits either.
db.pragma('wal_autocheckpoint = 0');
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A full or failing disk: the log stays as it is until the disk takes the copy (the recording's
    // own writes fail too, and its health and alarm say so).
  }
}, everyMs);
parentPort.postMessage('ready');
