// Debian's PostgreSQL for the tests: a throwaway cluster in a temporary directory, on a free port on
// loopback with trust authentication, started once per test file and stopped after it. PostgreSQL
// refuses to run as root, so under root (CI) initdb and pg_ctl run as the `postgres` user.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from './proc.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface Postgres {
  port: number;
  /** URL of a database of this cluster (`postgres` unless named). */
  url(database?: string): string;
  /** A new, empty database; answers its URL. */
  createDatabase(): Promise<string>;
  /** Drops a database made by createDatabase (its connections ended first). */
  dropDatabase(url: string): Promise<void>;
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL's bin directory (PG_BINDIR overrides), or null. */
function findBinDir(): string | null {
  if (process.env.PG_BINDIR) return existsSync(join(process.env.PG_BINDIR, 'initdb')) ? process.env.PG_BINDIR : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : null;
}

let databases = 0;

export async function startPostgres(): Promise<Postgres> {
  const bin = findBinDir();
  if (!bin) {
    throw new Error(
      'PostgreSQL is not installed: these tests need a real PostgreSQL server (apt-get install -y postgresql; .ci/run installs it). ' +
        'Looked in /usr/lib/postgresql/*/bin (set PG_BINDIR to use another installation).',
    );
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'pg-'));
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  const log = join(dir, 'log');
  /** Runs a PostgreSQL program, as `postgres` when we are root (it refuses to run as root). */
  const pgRun = async (prog: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, prog), ...args]] : [join(bin, prog), args];
    try {
      await run(file, argv, { cwd: dir });
    } catch (e) {
      const err = e as Error & { stderr?: string };
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${prog} failed: ${err.stderr || err.message}${tail ? `\n${tail}` : ''}`, { cause: e });
    }
  };
  mkdirSync(sock, { mode: 0o700 });
  if (asRoot) {
    const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
    const [uid, gid] = [await id('-u'), await id('-g')];
    for (const d of [dir, sock]) chownSync(d, uid, gid);
  }
  await pgRun('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
  const port = await freePort();
  // A test cluster: nothing of it outlives the run, so it need not survive a power cut (fsync off).
  const opts = `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
  await pgRun('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', opts, 'start']);
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const admin = async <T>(f: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: url() });
    await c.connect();
    try {
      return await f(c);
    } finally {
      await c.end();
    }
  };
  return {
    port,
    url,
    async createDatabase() {
      const name = `t${process.pid}_${++databases}`;
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      return url(name);
    },
    async dropDatabase(u) {
      const name = new URL(u).pathname.slice(1);
      if (!/^t\d+_\d+$/.test(name)) throw new Error(`not a test database: ${name}`);
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
    async stop() {
      try {
        await pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
