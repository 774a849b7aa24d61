// `server/main.ts` as a real process (a test that kills it with SIGKILL needs one): loopback, free
// ports, no simulated beds, plus the caller's environment. Resolves once it prints that it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface ServerProcess {
  proc: ChildProcess;
  http: string;
}

export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', SIM_BEDS: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((done, fail) => {
    proc.once('exit', (code) => fail(new Error(`server exited with ${code} before it listened`)));
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const m = /^listening (http:\/\/\S+)/.exec(line);
      if (m) done({ proc, http: m[1] });
    });
  });
}

/** Stops it as an operator does (SIGTERM: what is queued is written first); nothing if already gone. */
export async function stopServerProcess(c: ServerProcess): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  const exited = new Promise((r) => c.proc.once('exit', r));
  c.proc.kill('SIGTERM');
  await exited;
}
