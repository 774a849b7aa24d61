// Runs scenarios against the REAL server on a virtual clock: `startServer` in-process (embedded
// broker, temporary DATA_DIR, no simulated beds, `manualTick`), its `now` a variable this loop
// advances. Every run is one bed (scenario × seed) with its own pure Simulation; all beds share the
// clock and one MQTT.js connection (the simulators' publisher in shared mode: one ordered stream, a
// broken connection's last will published in its place). Shorter runs start later so that every run
// ends on the batch's last step: a bed exists in the server only while its run lasts (the server's
// tick works on every bed it knows).
//
// One step = `stepS` simulated seconds: the clock is set to the step's last second, the simulations
// produce the step's messages, they are published through the broker, the loop waits until the
// server's ingest counters (GET /api/health: accepted + rejected) have counted every one of them,
// then calls `tick()` (device silence, ageing inputs) and moves on. Nothing depends on the wall
// clock, so the same seeds give the same alarms however fast the machine is.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Patient } from '../../shared/schemas.js';
import { startServer } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { BedInfo } from '../../simulators/bed.js';
import type { SimOutput } from '../../simulators/messages.js';
import { MqttPublisher } from '../../simulators/publisher.js';
import type { Scenario } from '../../simulators/scenarios/index.js';
import { Simulation } from '../../simulators/simulation.js';
import { toScenarioTime, type ApiAlarm, type RaisedAlarm } from './match.js';

export const ADMIN_PASSWORD = 'alarm-yield-admin';
/** How long one step may wait for the server to count its messages before the run goes on regardless. */
const SYNC_TIMEOUT_MS = 5000;
const ALARM_LIST_LIMIT = 5000;

export interface RunSpec {
  scenario: Scenario;
  seed: number;
  bedId: string;
  /** Scenario time of the run's first second. */
  fromS: number;
  /** Scenario time just after its last second (the run lasts toS − fromS seconds). */
  toS: number;
}

export interface RunOutcome {
  spec: RunSpec;
  alarms: RaisedAlarm[];
  messages: number;
  /** Wall time from start of the batch until this run's last step. */
  wallS: number;
}

export interface BatchResult {
  runs: RunOutcome[];
  /** `ok`, or why no alarms could be read (the engine not wired yet: 404). */
  alarmsApi: string;
  steps: number;
  syncTimeouts: number;
  wallS: number;
}

export interface BatchOptions {
  stepS: number;
  log: (line: string) => void;
  /** Where the alarms are read; default GET /api/alarms (tests point it elsewhere to see a 404 handled). */
  alarmsPath?: string;
}

interface Active {
  spec: RunSpec;
  sim: Simulation;
  info: BedInfo;
  lengthS: number;
  /** Batch second at which this run starts: runs end together, so no finished bed lingers in the server's tick. */
  beginS: number;
  startMs: number;
  started: boolean;
  ecmoAtS: number | null;
  ecmoOn: boolean;
  messages: number;
  done: boolean;
  wallS: number;
}

/** The patient as the unit would configure it: ECMO mode only once the console is at the bedside. */
function patientAt(a: Pick<Active, 'info'>, ecmoOn: boolean): Patient {
  const p = a.info.patient;
  return {
    weightKg: p.weightKg,
    heightCm: p.heightCm,
    ageMonths: p.ageMonths,
    ecmoMode: ecmoOn ? p.ecmoMode : null,
    targetFlowLMin: p.targetFlowLMin,
    ...(p.studyId ? { studyId: p.studyId } : {}),
    ...(p.studyGroup ? { studyGroup: p.studyGroup } : {}),
  };
}

/** Messages the server will count for these outputs (shared connection: an abrupt disconnect is one offline status). */
function countOf(outputs: readonly SimOutput[]): number {
  let n = 0;
  for (const o of outputs) if (o.kind === 'publish' || (o.kind === 'disconnect' && o.abrupt)) n++;
  return n;
}

class Http {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });
  token = '';
  constructor(private readonly base: string) {}

  call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T | null }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        this.base + path,
        {
          method,
          agent: this.agent,
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
            ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            let parsed: T | null;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
            } catch {
              parsed = null; // not JSON (an HTML 404, an empty body)
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

interface HealthBody {
  ingest?: { accepted?: number; rejected?: { total?: number } | number };
}

function ingested(h: HealthBody | null): number {
  const i = h?.ingest;
  if (!i) return 0;
  const rejected = typeof i.rejected === 'number' ? i.rejected : (i.rejected?.total ?? 0);
  return (i.accepted ?? 0) + rejected;
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runBatch(specs: readonly RunSpec[], o: BatchOptions): Promise<BatchResult> {
  const wallStart = performance.now();
  const wall = () => (performance.now() - wallStart) / 1000;
  const longestS = Math.max(...specs.map((s) => s.toS - s.fromS));
  // The virtual clock ends before the wall clock: no device time is ever in the real future.
  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - (longestS + 600) * 1000;
  let clock = t0;

  const dataDir = mkdtempSync(join(tmpdir(), 'alarm-yield-'));
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    MQTT_PORT: '0',
    DATA_DIR: dataDir,
    SIM_BEDS: '0',
    ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
  });
  const server = await startServer(config, {
    now: () => clock,
    manualTick: true,
    log: pino({ level: 'error', base: { svc: 'alarm-yield-server' } }, pino.destination(2)),
  });
  const http = new Http(server.httpUrl);
  const publisher = new MqttPublisher({
    url: server.mqttUrl!,
    username: 'alarm-yield',
    password: server.devicePassword,
    prefix: config.MQTT_PREFIX,
    connection: 'shared',
    simNowMs: () => clock,
    onWarn: (m) => o.log(`publisher: ${m}`),
  });

  let syncTimeouts = 0;
  let steps = 0;
  try {
    await publisher.open();
    const active: Active[] = specs.map((spec) => {
      const beginS = longestS - (spec.toS - spec.fromS);
      const startMs = t0 + beginS * 1000;
      const sim = new Simulation({
        beds: [{ bedId: spec.bedId, scenario: spec.scenario, offsetS: spec.fromS }],
        seed: spec.seed,
        startMs,
        waveforms: false,
      });
      const s = spec.scenario;
      const consoleFrom = s.ecmoMode !== null && s.ecmoConsoleFromS !== undefined ? s.ecmoConsoleFromS : null;
      const ecmoOn = consoleFrom !== null && consoleFrom <= spec.fromS;
      return {
        spec,
        sim,
        info: sim.beds[0],
        lengthS: spec.toS - spec.fromS,
        beginS,
        startMs,
        started: false,
        ecmoAtS: consoleFrom !== null && !ecmoOn ? consoleFrom - spec.fromS : null,
        ecmoOn,
        messages: 0,
        done: false,
        wallS: 0,
      };
    });

    let expected = 0;
    let seen = 0;
    const waitIngest = async () => {
      const start = performance.now();
      for (let i = 0; ; i++) {
        seen = ingested((await http.call<HealthBody>('GET', '/api/health')).body);
        if (seen >= expected) return;
        if (performance.now() - start > SYNC_TIMEOUT_MS) {
          if (syncTimeouts++ < 5) o.log(`warning: server counted ${seen} of ${expected} messages after ${SYNC_TIMEOUT_MS} ms; going on`);
          return;
        }
        if (i < 20) await yieldToLoop();
        else await sleep(1);
      }
    };

    let lastProgress = performance.now();
    for (let e = 0; active.some((a) => !a.done); e += o.stepS) {
      clock = t0 + e * 1000;
      const outputs: SimOutput[] = [];
      for (const a of active) {
        const r = e - a.beginS; // the run's own second
        if (a.done || r < 0) continue;
        if (!a.started) {
          // The unit sets the patient up as the devices arrive.
          a.started = true;
          await server.configurePatient(a.spec.bedId, patientAt(a, a.ecmoOn));
        }
        if (a.ecmoAtS !== null && !a.ecmoOn && r >= a.ecmoAtS) {
          a.ecmoOn = true;
          await server.configurePatient(a.spec.bedId, patientAt(a, true));
        }
        const out = a.sim.advanceTo(Math.min(r, a.lengthS - 1) * 1000);
        if (r >= a.lengthS) out.push(...a.sim.finish());
        a.messages += countOf(out);
        outputs.push(...out);
      }
      expected += countOf(outputs);
      await publisher.handle(outputs);
      if (seen < expected) await waitIngest();
      server.tick();
      steps++;
      for (const a of active) {
        if (a.done || e - a.beginS < a.lengthS) continue;
        a.done = true;
        a.wallS = wall();
        o.log(
          `run ${a.spec.scenario.name} seed ${a.spec.seed}: ${(a.lengthS / 3600).toFixed(2)} h simulated, ${a.messages} messages, ${a.wallS.toFixed(1)} s wall`,
        );
      }
      if (performance.now() - lastProgress > 15_000) {
        lastProgress = performance.now();
        o.log(`  … ${(e / 3600).toFixed(2)} h of ${(longestS / 3600).toFixed(2)} h, ${expected} messages, ${wall().toFixed(0)} s wall`);
      }
    }

    // Read the alarms each bed raised.
    const login = await http.call<{ token?: string }>('POST', '/api/login', { username: 'admin', password: ADMIN_PASSWORD });
    http.token = login.body?.token ?? '';
    let alarmsApi = login.status === 200 ? 'ok' : `login answered ${login.status}`;
    const alarmsPath = o.alarmsPath ?? '/api/alarms';
    const runs: RunOutcome[] = [];
    for (const a of active) {
      const rows: ApiAlarm[] = [];
      if (alarmsApi === 'ok') {
        for (const state of ['', '&state=active', '&state=cleared']) {
          const r = await http.call<unknown>(
            'GET',
            `${alarmsPath}?bed=${encodeURIComponent(a.spec.bedId)}&limit=${ALARM_LIST_LIMIT}${state}`,
          );
          if (r.status === 404) {
            alarmsApi = `GET ${alarmsPath} answered 404 (alarm engine not wired yet)`;
            break;
          }
          if (r.status !== 200 || !Array.isArray(r.body)) {
            alarmsApi = `GET ${alarmsPath} answered ${r.status}`;
            break;
          }
          rows.push(...(r.body as ApiAlarm[]));
        }
      }
      runs.push({ spec: a.spec, alarms: toScenarioTime(rows, a.startMs, a.spec.fromS), messages: a.messages, wallS: a.wallS });
    }
    return { runs, alarmsApi, steps, syncTimeouts, wallS: wall() };
  } finally {
    http.close();
    await publisher.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
