// `npm run bench`: measures, in one run on this machine,
//  1. the bare pipe: MQTT.js publisher → aedes broker → a subscriber that only parses JSON;
//  2. the full system under flood: the same publisher → the server (embedded broker, validate,
//     state, calc, record) until every message is accepted and recorded. Both floods run
//     BENCH_TRIALS times (3), alternating, each pipe's best trial counting: on a shared machine a
//     neighbour's load only ever slows a trial down. Every trial is in the figures;
//  3. latency under the realistic load of BENCH_BEDS beds, devices unsynchronised as on a ward: each
//     bed's monitor and console at 1 Hz at its own seeded random phase, two pump channels every 30 s,
//     lab results at random, and ABP and pleth at 125 Hz (1 s chunks) for BENCH_WAVE_BEDS beds:
//     device ts → bed:update received by a Socket.IO client; and the alarm delay: device ts of a
//     message that stops a bed's pump → the `alarm` event at that client;
//  4. one bed's 24 h and 7-day trends read from the recording;
//  5. the dashboard in Chromium with 16 simulated beds, on its own server (bench/dashboard.ts).
// Both far ends run as child processes, the publisher here, so the two measurements have one shape;
// each one's CPU time (from /proc) gives microseconds per message, steadier than throughput on a
// shared machine. The figures also go to bench/results/<time>.json so runs can be compared.
// The last line printed is one JSON object (docs/interface.md, "Benchmark output").
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { io } from 'socket.io-client';
import type { Alarm, BedUpdate } from '../shared/protocol.js';
import { SqliteRecorder } from '../server/record/sqlite.js';
import { cpuMsOf, rssMbOf } from '../test/helpers/proc.js';
import { benchDashboard } from './dashboard.js';
import { benchServerEnv } from './server-env.js';
import { loginToken } from '../test/helpers/login.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const BEDS = Number(process.env.BENCH_BEDS ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const FLOOD = Number(process.env.BENCH_FLOOD ?? 100_000);
/** Floods of each pipe, alternating; each pipe's best counts (every trial is in the figures). */
const TRIALS = Math.max(1, Number(process.env.BENCH_TRIALS ?? 3));
const DEVICE_PASSWORD = 'bench-device-pw';
const ADMIN_PASSWORD = 'bench-admin-pw';
const HISTORY_BED = 'bench-history';
/** Beds whose pump stops during the latency run, for the alarm delay. */
const ALARM_BEDS = 20;
/** Beds whose monitor also sends ABP and pleth at 125 Hz during the latency run. */
const WAVE_BEDS = Number(process.env.BENCH_WAVE_BEDS ?? 50);
const WAVE_HZ = 125;
const PUMP_EVERY_MS = 30_000;
/** A lab result per bed about every 30 min, at random. */
const LAB_EVERY_MS = 1800_000;

const log = (msg: string) => process.stderr.write(`${msg}\n`);

function ecmoPayload(ts: number, seq: number): string {
  return JSON.stringify({
    ts,
    seq,
    values: {
      rpm: 3100,
      flow: 1.23 + (seq % 7) / 100,
      sweep: 1.5,
      fdo2: 80,
      pVen: -35.2,
      pPre: 182.1,
      pPost: 151.4,
      svo2: 71.2,
      postOxySat: 99.6,
      postOxyPo2: 312,
      hb: 11.2,
      tBlood: 36.8,
    },
  });
}

/** A console message that crosses the pump-stopped limit (a high alarm with no onset delay). */
function stoppedPayload(ts: number, seq: number): string {
  return JSON.stringify({ ts, seq, values: { rpm: 0, flow: 0, pVen: -5, pPre: 20, pPost: 18 } });
}

function monitorPayload(ts: number, seq: number): string {
  return JSON.stringify({ ts, seq, values: { hr: 120 + (seq % 5), sbp: 80, dbp: 45, map: 57, cvp: 9, spo2: 96, rr: 24, temp: 37.2 } });
}

/** Spawns a child, resolves with the first stdout line matching `ready`. */
function spawnUntil(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ proc: ChildProcess; match: RegExpMatchArray; lines: AsyncIterator<string, undefined> }> {
  const proc = spawn(cmd, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'inherit'] });
  const rl = createInterface({ input: proc.stdout });
  const lines: AsyncIterator<string, undefined> = rl[Symbol.asyncIterator]();
  return new Promise((resolveReady, reject) => {
    proc.once('exit', (code) => reject(new Error(`${cmd} exited with ${code} before it was ready`)));
    void (async () => {
      for (;;) {
        const { value, done } = await lines.next();
        if (done) return;
        const m = ready.exec(value);
        if (m) return resolveReady({ proc, match: m, lines });
      }
    })();
  });
}

/** A small seeded generator (mulberry32): the same phases run after run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pumpPayload(ts: number, seq: number, channel: number): string {
  return JSON.stringify(
    channel === 0
      ? { ts, seq, drug: 'norepinephrine', rateMlH: 3, concentration: 40, concentrationUnit: 'mcg/mL', running: true }
      : { ts, seq, drug: 'heparin', rateMlH: 2, concentration: 50, concentrationUnit: 'units/mL', running: true },
  );
}

function labPayload(ts: number, seq: number): string {
  return JSON.stringify({ ts, seq, site: 'arterial', values: { lactate: 1.8, po2: 95, pco2: 40, ph: 7.38, so2: 97 } });
}

function wavePayload(ts: number, signal: 'abp' | 'pleth'): string {
  const samples = new Array<number>(WAVE_HZ);
  for (let i = 0; i < WAVE_HZ; i++)
    samples[i] = Math.round((signal === 'abp' ? 60 + 15 * Math.sin(i / 8) : 50 + 40 * Math.sin(i / 8)) * 10) / 10;
  return JSON.stringify({ ts, signal, rateHz: WAVE_HZ, samples });
}

/** `n` console messages round-robin over `beds` beds, each bed's 10 ms apart from `baseTs`, seq from `seq0`. */
async function flood(client: MqttClient, n: number, beds: number, baseTs: number, seq0 = 0): Promise<void> {
  for (let i = 0; i < n; i++) {
    const bed = i % beds;
    const k = Math.floor(i / beds);
    client.publish(`icu/b${bed}/ecmo/numerics`, ecmoPayload(baseTs + k * 10, seq0 + k));
    if (i % 2000 === 0) await new Promise((r) => setImmediate(r));
  }
}

interface FloodTrial {
  msgsPerS: number;
  cpuUsPerMsg: number;
}

/** The best of several trials: the highest throughput and the least CPU per message. */
function best(trials: readonly FloodTrial[]): FloodTrial {
  return { msgsPerS: Math.max(...trials.map((t) => t.msgsPerS)), cpuUsPerMsg: Math.min(...trials.map((t) => t.cpuUsPerMsg)) };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

/** The bare pipe's far end, started once; each `trial` floods it and waits until all is parsed. */
async function barePipe(): Promise<{ trial(): Promise<FloodTrial>; stop(): void }> {
  const { proc, match, lines } = await spawnUntil(
    process.execPath,
    ['--import', 'tsx', 'bench/bare-broker.ts'],
    process.env,
    /^ready (\d+)/,
  );
  const ask = async (): Promise<number> => {
    proc.stdin!.write('count\n');
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error('the bare broker exited');
      const m = /^count (\d+)/.exec(value);
      if (m) return Number(m[1]);
    }
  };
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${match[1]}`);
  return {
    async trial() {
      const before = await ask();
      const cpu0 = cpuMsOf(proc.pid!);
      const t0 = performance.now();
      await flood(pub, FLOOD, BEDS, Date.now() - 3600_000);
      await waitFor(async () => (await ask()) - before >= FLOOD, 120_000);
      const s = (performance.now() - t0) / 1000;
      const cpuMs = cpuMsOf(proc.pid!) - cpu0;
      const got = (await ask()) - before;
      return { msgsPerS: Math.round(got / s), cpuUsPerMsg: Math.round((cpuMs * 1000) / Math.max(1, got)) };
    },
    stop() {
      if (proc.exitCode !== null || proc.killed) return;
      void pub.endAsync();
      proc.kill('SIGTERM');
    },
  };
}

async function main(): Promise<void> {
  log(`bench: ${BEDS} beds, flood ${FLOOD} messages × ${TRIALS} trials, latency ${SECONDS} s`);
  const bare = await barePipe();

  // A recording with 24 h of one bed, for the history read.
  const dataDir = mkdtempSync(join(tmpdir(), 'ecmo-bench-'));
  const now = Date.now();
  const rec = new SqliteRecorder(dataDir);
  await rec.ensureBed(HISTORY_BED, now);
  const DAY_S = 86_400;
  const WEEK_S = 7 * DAY_S;
  // A week of one bed at 1 Hz (flow and MAP): the 24 h and 7-day trends are read from it.
  for (let i = 0; i < WEEK_S; i++) {
    if (i % 10_000 === 0) await rec.flush(); // the writer thread keeps up; the queue stays within its bound
    const ts = now - (WEEK_S - i) * 1000;
    rec.addMeasurement({ bedId: HISTORY_BED, feed: 'ecmo', ts, values: [{ signal: 'flow', value: 2 + Math.sin(i / 600) / 5 }] });
    rec.addMeasurement({ bedId: HISTORY_BED, feed: 'monitor', ts, values: [{ signal: 'map', value: 55 + Math.sin(i / 900) * 5 }] });
  }
  await rec.close();

  const env = benchServerEnv({ dataDir, beds: BEDS, adminPassword: ADMIN_PASSWORD, devicePassword: DEVICE_PASSWORD });
  // BENCH_NODE_ARGS: extra node flags for the server (e.g. --cpu-prof to profile it).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const { proc, match } = await spawnUntil(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', 'server/main.ts'],
    env,
    /^listening (http:\/\/\S+) mqtt:\/\/\S+:(\d+)/,
  );
  const httpUrl = match[1];
  const mqttUrl = `mqtt://127.0.0.1:${match[2]}`;
  let summary: object;
  try {
    const token = await loginToken(httpUrl, 'admin', ADMIN_PASSWORD);
    const health = async () =>
      (await (await fetch(`${httpUrl}/api/health`)).json()) as { ingest: { accepted: number; rejected: { total: number } } };
    const pendingRows = async () =>
      Number(/^ecmo_record_pending_rows (\d+)/m.exec(await (await fetch(`${httpUrl}/metrics`)).text())?.[1] ?? 0);

    // 1 and 2. Floods, alternating: the bare pipe, then the server, TRIALS times.
    const pub = await mqtt.connectAsync(mqttUrl, { username: 'bench', password: DEVICE_PASSWORD });
    const perBed = Math.ceil(FLOOD / BEDS);
    let lastTs = 0;
    const systemTrial = async (trial: number): Promise<FloodTrial & { accepted: number }> => {
      const before = (await health()).ingest;
      const cpu0 = cpuMsOf(proc.pid!);
      const t0 = performance.now();
      // Live data, as a ward sends it: each bed's messages 10 ms apart ending about now, so values are
      // current (an old flood would make every derived value stale and cost the words saying why);
      // a later trial carries on after the last one's times and sequence numbers.
      const baseTs = Math.max(Date.now() - perBed * 10 - 1000, lastTs + 10);
      lastTs = baseTs + (perBed - 1) * 10;
      await flood(pub, FLOOD, BEDS, baseTs, trial * perBed);
      await waitFor(async () => {
        const h = (await health()).ingest;
        return h.accepted + h.rejected.total - before.accepted - before.rejected.total >= FLOOD && (await pendingRows()) === 0;
      }, 300_000);
      const floodS = (performance.now() - t0) / 1000;
      const floodCpuMs = cpuMsOf(proc.pid!) - cpu0;
      const accepted = (await health()).ingest.accepted - before.accepted;
      return {
        msgsPerS: Math.round(accepted / floodS),
        cpuUsPerMsg: Math.round((floodCpuMs * 1000) / Math.max(1, accepted)),
        accepted,
      };
    };
    const bareTrials: FloodTrial[] = [];
    const systemTrials: FloodTrial[] = [];
    let accepted = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      log(`bench: 1/5 trial ${trial + 1}/${TRIALS}: the bare pipe (publisher → aedes → a subscriber that parses JSON)`);
      const b = await bare.trial();
      bareTrials.push(b);
      log(`bare pipe: ${b.msgsPerS} msg/s, ${b.cpuUsPerMsg} µs CPU per message`);
      log(`bench: 2/5 trial ${trial + 1}/${TRIALS}: the server under a flood of ${FLOOD} messages`);
      const t = await systemTrial(trial);
      systemTrials.push(t);
      accepted += t.accepted;
      log(`system: ${t.msgsPerS} msg/s (${t.accepted} accepted, ${FLOOD - t.accepted} not), ${t.cpuUsPerMsg} µs CPU per message`);
    }
    bare.stop();
    const bareBest = best(bareTrials);
    const systemBest = best(systemTrials);
    const bareMsgsPerS = bareBest.msgsPerS;
    const msgsPerS = systemBest.msgsPerS;
    const cpuUsPerMsg = systemBest.cpuUsPerMsg;
    const dropped = FLOOD * TRIALS - accepted;
    log(
      `flood, best of ${TRIALS}: bare pipe ${bareMsgsPerS} msg/s, system ${msgsPerS} msg/s (ratio ${(msgsPerS / bareMsgsPerS).toFixed(3)})`,
    );

    // 3. Latency under realistic load. One connection carries every device of 500 beds here, about
    // a thousand small messages a second, where Nagle's algorithm would hold each one back until the
    // broker acknowledges the last (tens of milliseconds with delayed acknowledgements); a device on
    // its own connection, sending once a second, never meets it. The publisher sends at once, as such
    // a device does.
    (pub.stream as unknown as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    const socket = io(httpUrl, { auth: { token }, transports: ['websocket'] });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const bedIds = Array.from({ length: BEDS }, (_, i) => `b${i}`);
    for (let i = 0; i < bedIds.length; i += 64) await socket.emitWithAck('watch', { beds: bedIds.slice(i, i + 64), historyS: 0 });
    const latencies: number[] = [];
    // Alarm delay: a few beds on VA ECMO stop their pump halfway through; from the device ts of the
    // crossing message to the `alarm` event at this client (pump stopped has no onset delay).
    const alarmBeds = new Set(bedIds.filter((_, i) => i % Math.max(1, Math.floor(BEDS / ALARM_BEDS)) === 0).slice(0, ALARM_BEDS));
    for (const b of alarmBeds) {
      await fetch(`${httpUrl}/api/beds/${b}/patient`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' }),
      });
    }
    const crossedAt = new Map<string, number>();
    const alarmDelays: number[] = [];
    socket.on('alarm', (a: Alarm) => {
      const ts = crossedAt.get(a.bedId);
      if (ts === undefined || a.key !== 'pumpStopped' || a.state !== 'active') return;
      alarmDelays.push(Date.now() - ts);
      crossedAt.delete(a.bedId);
    });
    let measuring = false;
    socket.on('bed:update', (u: BedUpdate) => {
      if (!measuring) return;
      const t = Date.now();
      for (const lv of Object.values(u.latest)) latencies.push(t - lv.ts);
    });
    // Every device at its own phase (seeded): monitors and consoles each second, pumps every 30 s,
    // labs at random, waves each second for the first WAVE_BEDS beds.
    log(
      `bench: 3/5 latency, ${BEDS} unsynchronised beds for ${SECONDS} s (${Math.min(WAVE_BEDS, BEDS)} with ABP and pleth at ${WAVE_HZ} Hz)`,
    );
    const rand = seeded(7);
    interface Source {
      bed: string;
      kind: 'ecmo' | 'monitor' | 'pump0' | 'pump1' | 'lab';
      everyMs: number;
      nextMs: number;
    }
    const sources: Source[] = [];
    for (let i = 0; i < BEDS; i++) {
      const bed = `b${i}`;
      sources.push({ bed, kind: 'ecmo', everyMs: 1000, nextMs: rand() * 1000 });
      sources.push({ bed, kind: 'monitor', everyMs: 1000, nextMs: rand() * 1000 });
      sources.push({ bed, kind: 'pump0', everyMs: PUMP_EVERY_MS, nextMs: rand() * PUMP_EVERY_MS });
      sources.push({ bed, kind: 'pump1', everyMs: PUMP_EVERY_MS, nextMs: rand() * PUMP_EVERY_MS });
      sources.push({ bed, kind: 'lab', everyMs: LAB_EVERY_MS, nextMs: rand() * LAB_EVERY_MS });
    }
    const waveBeds = new Set(bedIds.slice(0, WAVE_BEDS));
    const seq = new Map<string, number>();
    const nextSeq = (key: string) => {
      const s = (seq.get(key) ?? 1_000_000) + 1;
      seq.set(key, s);
      return s;
    };
    const stepMs = 5;
    const start = Date.now();
    let published = 0;
    measuring = true;
    const latencyCpu0 = cpuMsOf(proc.pid!);
    while (Date.now() - start < SECONDS * 1000) {
      const at = Date.now() - start;
      for (const src of sources) {
        if (src.nextMs > at) continue;
        src.nextMs += src.everyMs;
        const { bed, kind } = src;
        const ts = Date.now();
        if (kind === 'ecmo') {
          const s = nextSeq(`${bed}/ecmo`);
          const cross = alarmBeds.has(bed) && at > (SECONDS * 1000) / 2 && !crossedAt.has(bed);
          if (cross) {
            crossedAt.set(bed, ts);
            alarmBeds.delete(bed);
          }
          pub.publish(`icu/${bed}/ecmo/numerics`, cross ? stoppedPayload(ts, s) : ecmoPayload(ts, s));
        } else if (kind === 'monitor') {
          pub.publish(`icu/${bed}/monitor/numerics`, monitorPayload(ts, nextSeq(`${bed}/monitor`)));
          if (waveBeds.has(bed)) {
            // The chunk of the second just ended, as monitors send it.
            pub.publish(`icu/${bed}/monitor/waveform`, wavePayload(ts - 1000, 'abp'));
            pub.publish(`icu/${bed}/monitor/waveform`, wavePayload(ts - 1000, 'pleth'));
            published += 2;
          }
        } else if (kind === 'lab') {
          pub.publish(`icu/${bed}/lab/result`, labPayload(ts, nextSeq(`${bed}/lab`)), { qos: 1 });
        } else {
          const ch = kind === 'pump0' ? 0 : 1;
          pub.publish(`icu/${bed}/pump/ch${ch}`, pumpPayload(ts, nextSeq(`${bed}/pump${ch}`), ch), { qos: 1 });
        }
        published++;
      }
      await new Promise((r) => setTimeout(r, stepMs));
    }
    const latencyS = (Date.now() - start) / 1000;
    const cpuMsPerBedPerS = Math.round(((cpuMsOf(proc.pid!) - latencyCpu0) / latencyS / BEDS) * 1000) / 1000;
    await new Promise((r) => setTimeout(r, 500));
    measuring = false;
    socket.disconnect();
    await pub.endAsync();
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : null);
    const lagP99 = ((await (await fetch(`${httpUrl}/api/health`)).json()) as { eventLoopLagP99Ms: number }).eventLoopLagP99Ms;
    log(
      `latency: ${published} messages, ${latencies.length} values, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms; event loop lag p99 ${lagP99} ms; ${cpuMsPerBedPerS} ms CPU per bed-second`,
    );
    alarmDelays.sort((a, b) => a - b);
    const alarmDelayP99Ms = alarmDelays.length
      ? alarmDelays[Math.min(alarmDelays.length - 1, Math.floor(0.99 * alarmDelays.length))]
      : null;
    log(`alarm delay: ${alarmDelays.length} alarms (${crossedAt.size} never arrived), p99 ${alarmDelayP99Ms} ms`);

    // 4. One bed's 24 h trend from the recording.
    log('bench: 4/5 history reads');
    const h0 = performance.now();
    const hist = await fetch(`${httpUrl}/api/beds/${HISTORY_BED}/history?keys=flow,map&from=${now - DAY_S * 1000}&to=${now}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const histBody = (await hist.json()) as { t: number[] };
    const history24hMs = Math.round(performance.now() - h0);
    log(`history 24 h: ${history24hMs} ms, ${histBody.t?.length} points`);
    const w0 = performance.now();
    const week = await fetch(`${httpUrl}/api/beds/${HISTORY_BED}/history?keys=flow,map&from=${now - WEEK_S * 1000}&to=${now}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const weekBody = (await week.json()) as { t: number[] };
    const history7dMs = Math.round(performance.now() - w0);
    log(`history 7 days: ${history7dMs} ms, ${weekBody.t?.length} points`);

    const result = {
      beds: BEDS,
      bareMsgsPerS,
      msgsPerS,
      ratio: Math.round((msgsPerS / bareMsgsPerS) * 1000) / 1000,
      bareCpuUsPerMsg: bareBest.cpuUsPerMsg,
      cpuUsPerMsg,
      cpuRatio: Math.round((bareBest.cpuUsPerMsg / Math.max(1, cpuUsPerMsg)) * 1000) / 1000,
      latencyP50Ms: pct(0.5),
      latencyP99Ms: pct(0.99),
      alarmDelayP99Ms,
      alarmsMissed: crossedAt.size,
      dropped,
      rssMb: Math.round(rssMbOf(proc.pid!)),
      history24hMs,
      history7dMs,
      floodMessages: FLOOD,
      floodTrials: { bare: bareTrials, system: systemTrials },
      latencySamples: latencies.length,
      latencyMessages: published,
      waveBeds: Math.min(WAVE_BEDS, BEDS),
      eventLoopLagP99Ms: lagP99,
      cpuMsPerBedPerS,
    };
    summary = result;
  } finally {
    bare.stop();
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
  // 5. The dashboard, once this server is gone: it would compete with the browser for the CPU.
  log('bench: 5/5 the dashboard in Chromium');
  const dashboard = await benchDashboard(log);
  log(`dashboard: ${dashboard.dashboardFps} fps (the lower page), ${dashboard.longTasksOver50Ms} long tasks`);
  const figures = { ...summary, ...dashboard };
  const results = join(ROOT, 'bench', 'results');
  mkdirSync(results, { recursive: true });
  const file = join(results, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...figures }, null, 2)}\n`);
  log(`bench: figures in ${file}`);
  console.log(JSON.stringify(figures));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
