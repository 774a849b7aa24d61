// Against a real broker (Debian's mosquitto on a free port): the CLI publishes all four feeds of
// every bed, the same seed publishes the same values, a broken connection leaves its last will,
// a refusing broker ends the CLI with a clear error.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators } from './index.js';
import { judgeRaw } from './testSupport.js';

const MOSQUITTO = '/usr/sbin/mosquitto';
const ROOT = new URL('..', import.meta.url).pathname;
const START = '2026-01-15T08:00:00Z';

interface Broker {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts mosquitto with a temporary config; resolves once it logs that it is running. */
async function startMosquitto(extra = 'allow_anonymous true'): Promise<Broker> {
  const dir = await mkdtemp(join(tmpdir(), 'sim-mosquitto-'));
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  await writeFile(config, `listener ${port} 127.0.0.1\n${extra}\npersistence false\nlog_dest stderr\nmax_queued_messages 0\n`);
  const child = spawn(MOSQUITTO, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (/mosquitto version .* running/.test(log)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`mosquitto exited with ${code}: ${log}`)));
  });
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface Received {
  topic: string;
  text: string;
}

/** A subscriber to icu/#; live messages only (retained ones from earlier runs are left out). */
async function subscribe(url: string) {
  const client: MqttClient = await mqtt.connectAsync(url, { clientId: `test-sub-${process.pid}-${Math.random().toString(36).slice(2)}` });
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  client.on('message', (topic, payload, packet) => {
    if (packet.retain) return;
    received.push({ topic, text: payload.toString('utf8') });
    for (const w of waiters.splice(0)) w();
  });
  await client.subscribeAsync('icu/#', { qos: 1 });
  return {
    received,
    /** Resolves when the predicate holds over what arrived (checked on every message). */
    until(predicate: (r: Received[]) => boolean): Promise<void> {
      return new Promise((resolve) => {
        const check = () => (predicate(received) ? resolve() : waiters.push(check));
        check();
      });
    },
    close: () => client.endAsync(),
  };
}

function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'simulators/cli.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

const BEDS = ['bed-01', 'bed-02', 'bed-03'];
const DEVICES = ['monitor', 'ecmo', 'pump', 'lab'];
/** Every device of every bed has said goodbye: all its earlier messages have arrived. */
const allOffline = (r: Received[]) =>
  BEDS.every((b) => DEVICES.every((d) => r.some((m) => m.topic === `icu/${b}/${d}/status` && m.text.includes('"offline"'))));

function byTopic(received: Received[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of received) (out[m.topic] ??= []).push(m.text);
  return out;
}

describe('simulators against mosquitto', () => {
  let broker: Broker;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('npm run sim --beds 3 --scenario refractory-shock --seed 7: all four feeds per bed, the same values twice', async () => {
    const args = [
      '--url',
      broker.url,
      '--beds',
      '3',
      '--scenario',
      'refractory-shock',
      '--seed',
      '7',
      '--speed',
      '100',
      '--duration',
      '120',
      '--start',
      START,
    ];
    const runs: Record<string, string[]>[] = [];
    for (let i = 0; i < 2; i++) {
      const sub = await subscribe(broker.url);
      const { code, stderr } = await runCli(args);
      expect(code, stderr).toBe(0);
      expect(stderr).toMatch(/3 beds, \d+ messages sent, simulated 00:02:00/);
      await sub.until(allOffline);
      await sub.close();
      for (const m of sub.received) expect(judgeRaw(m.topic, m.text).verdict, `${m.topic} ${m.text.slice(0, 120)}`).toBe('ok');
      const topics = new Set(sub.received.map((m) => m.topic));
      for (const bed of BEDS) {
        for (const feed of ['monitor/numerics', 'monitor/waveform', 'ecmo/numerics', 'lab/result'])
          expect(topics).toContain(`icu/${bed}/${feed}`);
        expect([...topics].some((t) => t.startsWith(`icu/${bed}/pump/ch`))).toBe(true);
      }
      runs.push(byTopic(sub.received));
    }
    expect(Object.keys(runs[1]).sort()).toEqual(Object.keys(runs[0]).sort());
    for (const topic of Object.keys(runs[0])) expect(runs[1][topic], topic).toEqual(runs[0][topic]);
  });

  it('a device whose connection breaks leaves its last will (offline) and comes back online', async () => {
    const sub = await subscribe(broker.url);
    const ecmoStatus = () =>
      sub.received.filter((m) => m.topic === 'icu/bed-01/ecmo/status').map((m) => JSON.parse(m.text) as { state: string; ts?: number });
    const sim = await startSimulators({
      url: broker.url,
      beds: ['bed-01'],
      scenario: 'device-dropout',
      offsetS: 6.5 * 60,
      speed: 100,
      durationS: 3 * 60,
      waveforms: false,
      startMs: Date.parse(START),
    });
    await sub.until(() => ecmoStatus().some((s) => s.state === 'offline' && s.ts === undefined));
    await sub.until(() => ecmoStatus().filter((s) => s.state === 'online').length >= 2);
    await sim.done;
    const states = ecmoStatus();
    // online at start, the will (no ts: the broker sent it), online after reconnect, offline at the end
    expect(states.map((s) => `${s.state}${s.ts === undefined ? ' (will)' : ''}`)).toEqual([
      'online',
      'offline (will)',
      'online',
      'offline',
    ]);
    expect(sim.stats()).toMatchObject({ beds: 1, simulatedS: 180 });
    await sub.close();
  });

  it('one shared connection serves many beds; counted messages are what the subscriber gets', async () => {
    const sub = await subscribe(broker.url);
    const beds = Array.from({ length: 12 }, (_, i) => `shared-${i}`);
    const sim = await startSimulators({
      url: broker.url,
      beds,
      scenario: 'mixed',
      speed: 100,
      durationS: 60,
      connection: 'shared',
      startMs: Date.parse(START),
    });
    await sim.done;
    await sub.until((r) => r.length >= sim.stats().messages);
    expect(sub.received.length).toBe(sim.stats().messages);
    expect(new Set(sub.received.map((m) => m.topic.split('/')[1]))).toEqual(new Set(beds));
    await sub.close();
  });

  it('history: an hour of the past first, numerics every 15 s and no waves, then live from now with waves', async () => {
    const sub = await subscribe(broker.url);
    const before = Date.now();
    const sim = await startSimulators({ url: broker.url, beds: ['hist-1'], scenario: 'stable-va', historyS: 3600, durationS: 3603 });
    await sim.done;
    await sub.until((r) => r.length >= sim.stats().messages);
    const tsOf = (m: Received) => (JSON.parse(m.text) as { ts?: number }).ts ?? 0;
    const past = (m: Received) => tsOf(m) < before;
    const numerics = (feed: string) => sub.received.filter((m) => m.topic === `icu/hist-1/${feed}/numerics`);
    for (const feed of ['monitor', 'ecmo']) {
      const old = numerics(feed).filter(past);
      expect(old.length, feed).toBe(240); // 3600 s at one message every 15 s
      expect(tsOf(old[0]) - sim.startMs).toBe(0);
      expect(tsOf(old[1]) - tsOf(old[0])).toBe(15_000);
      expect(before - tsOf(old[old.length - 1])).toBeLessThanOrEqual(16_000); // the history reaches now
      expect(numerics(feed).filter((m) => !past(m)).length, `${feed} live, once a second`).toBeGreaterThanOrEqual(2);
    }
    const waves = sub.received.filter((m) => m.topic === 'icu/hist-1/monitor/waveform');
    expect(waves.filter(past)).toEqual([]);
    expect(waves.length).toBeGreaterThanOrEqual(1);
    // The scenario stands where it would without history: the same scenario time now.
    const live = await startSimulators({ url: broker.url, beds: ['hist-2'], scenario: 'stable-va', durationS: 1 });
    await live.done;
    expect(sim.beds[0].offsetS).toBe(live.beds[0].offsetS - 3600);
    await sub.close();
  });

  it('a broker that refuses the credentials ends the CLI with exit code 1 and says why', async () => {
    const closed = await startMosquitto('allow_anonymous false');
    try {
      const { code, stderr } = await runCli(['--url', closed.url, '--beds', '1', '--duration', '10', '--password', 'wrong']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/MQTT connection to mqtt:\/\/127\.0\.0\.1:\d+ .* failed: .*(authori[sz]ed|refused)/i);
    } finally {
      await closed.stop();
    }
  });

  it('bad options end the CLI with exit code 2 before connecting', async () => {
    const { code, stderr } = await runCli(['--url', broker.url, '--scenario', 'flu']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/scenario: unknown "flu"/);
  });
});
