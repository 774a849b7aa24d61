// `npm run bench:memory`: the server's memory at MEMORY_BEDS beds (500) after MEMORY_SIM_HOURS (1) of
// simulated time. The server runs as a child process with its embedded broker; the device
// simulators (`simulators/cli.ts`, every bed's monitor, ECMO console, pumps, lab, and ABP and pleth
// at 125 Hz unless MEMORY_WAVEFORMS=0) publish the hour at MEMORY_SPEED (6) simulated seconds per
// second, with message times ending now. Every 10 s the server's RSS (from /proc) and its JS heap
// (from /metrics) are sampled; the figures say whether memory is bounded: the RSS at the end, its
// maximum, and its growth over the second half of the run per simulated hour (flat: rings, windows
// and caches full, nothing left behind per message). The last line printed is one JSON object; it
// is also written to bench/results/memory-<time>.json. Not part of `npm run bench` (about 10
// minutes at the defaults on 2 cores).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { rssMbOf } from '../test/helpers/proc.js';
import { benchServerEnv } from './server-env.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const BEDS = Number(process.env.MEMORY_BEDS ?? 500);
const SIM_HOURS = Number(process.env.MEMORY_SIM_HOURS ?? 1);
const SPEED = Number(process.env.MEMORY_SPEED ?? 6);
const WAVEFORMS = process.env.MEMORY_WAVEFORMS !== '0';
const SAMPLE_EVERY_MS = 10_000;
const DEVICE_PASSWORD = 'memory-device-pw';

const log = (msg: string) => process.stderr.write(`${msg}\n`);

interface Sample {
  /** Seconds since the simulators started. */
  atS: number;
  rssMb: number;
  heapMb: number | null;
}

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function heapMb(httpUrl: string): Promise<number | null> {
  try {
    const text = await (await fetch(`${httpUrl}/metrics`)).text();
    const m = /^nodejs_heap_size_used_bytes (\S+)/m.exec(text);
    return m ? Math.round(Number(m[1]) / 1024 / 1024) : null;
  } catch {
    return null;
  }
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den ? num / den : 0;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecmo-memory-'));
  const env = benchServerEnv({ dataDir, beds: BEDS, adminPassword: 'memory-admin-pw', devicePassword: DEVICE_PASSWORD });
  log(`memory: ${BEDS} beds, ${SIM_HOURS} h simulated at ${SPEED}x${WAVEFORMS ? ', with waveforms' : ''}`);
  const server = start(['server/main.ts'], env);
  server.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
  const ready = await new Promise<RegExpExecArray>((res, rej) => {
    createInterface({ input: server.stdout! }).on('line', (line) => {
      const m = /^listening (http:\/\/\S+) mqtt:\/\/\S+:(\d+)/.exec(line);
      if (m) res(m);
    });
    server.once('exit', (code) => rej(new Error(`the server exited with ${code} before it listened`)));
  });
  const [, httpUrl, mqttPort] = ready;
  const samples: Sample[] = [];
  let summary: object | undefined;
  try {
    const t0 = performance.now();
    const sim = start(
      [
        'simulators/cli.ts',
        '--url',
        `mqtt://127.0.0.1:${mqttPort}`,
        '--password',
        DEVICE_PASSWORD,
        '--beds',
        String(BEDS),
        '--speed',
        String(SPEED),
        '--duration',
        `${Math.round(SIM_HOURS * 60)}m`,
        '--connection',
        'shared',
        ...(WAVEFORMS ? [] : ['--no-waveforms']),
      ],
      env,
    );
    let simErr = '';
    sim.stderr!.on('data', (d: Buffer) => (simErr = (simErr + d.toString()).slice(-2000)));
    const simDone = new Promise<number>((r) => sim.once('exit', (code) => r(code ?? 1)));
    const sample = async () => {
      const s: Sample = {
        atS: Math.round((performance.now() - t0) / 1000),
        rssMb: Math.round(rssMbOf(server.pid!)),
        heapMb: await heapMb(httpUrl),
      };
      samples.push(s);
      log(`memory: ${s.atS} s: RSS ${s.rssMb} MB, heap ${s.heapMb ?? '?'} MB`);
    };
    const timer = setInterval(() => void sample(), SAMPLE_EVERY_MS);
    const code = await simDone;
    clearInterval(timer);
    await sample();
    if (code !== 0) throw new Error(`the simulators exited with ${code}: ${simErr}`);
    const runS = (performance.now() - t0) / 1000;
    const half = samples.filter((s) => s.atS >= runS / 2);
    // Growth per simulated hour over the second half: the run's real seconds times its speed.
    const perSimHour = (ys: number[]) =>
      Math.round(
        slope(
          half.map((s) => (s.atS * SPEED) / 3600),
          ys,
        ) * 10,
      ) / 10;
    summary = {
      at: new Date().toISOString(),
      beds: BEDS,
      simHours: SIM_HOURS,
      speed: SPEED,
      waveforms: WAVEFORMS,
      realS: Math.round(runS),
      rssEndMb: samples[samples.length - 1].rssMb,
      rssMaxMb: Math.max(...samples.map((s) => s.rssMb)),
      rssGrowthMbPerSimHourSecondHalf: perSimHour(half.map((s) => s.rssMb)),
      heapEndMb: samples[samples.length - 1].heapMb,
      heapGrowthMbPerSimHourSecondHalf: half.every((s) => s.heapMb !== null) ? perSimHour(half.map((s) => s.heapMb!)) : null,
      samples: samples.map((s) => [s.atS, s.rssMb, s.heapMb]),
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const file = join(ROOT, 'bench', 'results', `memory-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  log(`memory: written to ${file}`);
  console.log(JSON.stringify(summary));
}

main().catch((err: unknown) => {
  log(`memory: ${(err as Error).message}`);
  process.exit(1);
});
