// Debian's Redis for the tests: redis-server on a free loopback port with nothing saved to disk,
// started per test file and stopped after it; `stop` and `start` again on the same port stand for
// Redis going away and coming back.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './proc.js';

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface Redis {
  url: string;
  port: number;
  /** Stops the server (its data is gone: nothing is saved). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
}

async function listening(port: number, proc: ChildProcess, stderr: () => string): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited: ${stderr()}`);
    const ok = await new Promise<boolean>((r) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => (sock.end(), r(true)));
      sock.once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() - start > 5000) throw new Error(`redis-server did not listen on ${port}: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRedis(): Promise<Redis> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(`Redis is not installed: these tests need a real redis-server (apt-get install -y redis-server; .ci/run installs it)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'redis-'));
  const port = await freePort();
  let proc: ChildProcess | null = null;
  const start = async () => {
    let err = '';
    const p = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc = p;
    await listening(port, p, () => err);
  };
  const stop = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGKILL');
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
