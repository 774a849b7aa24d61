// Debian's Mosquitto as the real external broker: started on a free port with a password file and
// a temporary directory, stopped and cleaned up after the test.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from './proc.js';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface Mosquitto {
  url: string;
  port: number;
  users: Record<string, string>;
  /** Stops the broker (SIGTERM: a persistent one saves its sessions and queues) and starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function findMosquitto(): string | null {
  for (const p of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto']) {
    try {
      execFileSync(p, ['-h'], { stdio: 'ignore' });
      return p;
    } catch (e) {
      // `mosquitto -h` exits 3 after printing its help: it exists.
      if ((e as { status?: number }).status !== undefined && (e as { code?: string }).code !== 'ENOENT') return p;
    }
  }
  return null;
}

/** Waits until the port accepts connections (or the process died). */
async function listening(proc: ChildProcess, port: number, stderr: () => string): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`mosquitto exited: ${stderr()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => (sock.destroy(), resolve(true)));
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() - start > 5000) throw new Error(`mosquitto did not listen on ${port}: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * `persistence`: sessions and queued QoS 1 messages kept on disk across restarts (as docs/deployment.md
 * configures a deployment), with room for a long queue.
 */
export async function startMosquitto(users: Record<string, string>, opts: { persistence?: boolean } = {}): Promise<Mosquitto> {
  const bin = findMosquitto();
  if (!bin) throw new Error('mosquitto is not installed (apt-get install -y mosquitto)');
  const dir = mkdtempSync(join(tmpdir(), 'mosq-'));
  const pwfile = join(dir, 'passwd');
  writeFileSync(pwfile, '');
  for (const [u, p] of Object.entries(users)) execFileSync('mosquitto_passwd', ['-b', pwfile, u, p], { stdio: 'ignore' });
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous false',
      `password_file ${pwfile}`,
      ...(opts.persistence
        ? ['persistence true', `persistence_location ${dir}/`, 'max_queued_messages 100000', 'max_inflight_messages 100']
        : ['persistence false']),
      // As docs/deployment.md configures it: messages go out at once.
      'set_tcp_nodelay true',
      'log_type error',
      `user ${userInfo().username}`,
      '',
    ].join('\n'),
  );
  let stderr = '';
  const launch = async () => {
    const p: ChildProcess = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    p.stderr?.on('data', (d) => (stderr += d));
    await listening(p, port, () => stderr);
    return p;
  };
  const halt = async (p: ChildProcess) => {
    if (p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await exited;
  };
  let proc = await launch();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    users,
    async restart() {
      await halt(proc);
      proc = await launch();
    },
    async stop() {
      await halt(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
