// The SQLite recorder against the recorder contract, each recorder in its own temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recorderContract } from './recorder.contract.js';
import type { Recorder } from './recorder.js';
import { SqliteRecorder } from './sqlite.js';

const dirs = new WeakMap<Recorder, string>();

recorderContract('SQLite', {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'ecmo-contract-'));
    const r = new SqliteRecorder(dir);
    dirs.set(r, dir);
    return r;
  },
  async reopen(closed) {
    const dir = dirs.get(closed)!;
    await closed.close();
    const r = new SqliteRecorder(dir);
    dirs.set(r, dir);
    return r;
  },
  async dispose(r) {
    await r.close();
    rmSync(dirs.get(r)!, { recursive: true, force: true });
  },
});
