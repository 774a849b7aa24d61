// One simulated bed: a patient following a scenario, seen through its devices (monitor, ECMO
// console, infusion pumps, lab). Pure: scenario time in, messages out; time is simulated.
import type { EventType, StudyGroup, EcmoMode } from '../shared/schemas.js';
import type { Device } from '../shared/topics.js';
import { statusOutput, type PublishOutput, type SimOutput } from './messages.js';
import { designCircuit } from './model/circuit.js';
import { initialCirculation, stepCirculation, type CirculationState, type EcmoSetup, type Physiology } from './model/circulation.js';
import { drugEffects } from './model/drugs.js';
import { EcmoConsole } from './model/ecmoConsole.js';
import { Lab, type LabResultDraft } from './model/lab.js';
import { BedsideMonitor } from './model/monitor.js';
import { normalsOf, targetFlowLMin, type PatientNormals } from './model/patient.js';
import { InfusionPumps } from './model/pumps.js';
import { WAVEFORM_RATE_HZ, WaveformGenerator } from './model/waveforms.js';
import { Random } from './random.js';
import { DriverTimeline, sensorFaultsAt, type BedAssignment, type Scenario } from './scenarios/index.js';

/** Physiology before the run starts is stepped coarsely: only its end state and lab history matter. */
const FAST_FORWARD_STEP_S = 10;
/** Results drawn this long before the run starts are published at its start (late data). */
const LAB_HISTORY_S = 12 * 3600;
const SETTLE_STEPS = 60;
const SETTLE_STEP_S = 2;

export interface BedInfo {
  bedId: string;
  scenario: string;
  title: string;
  /** Scenario time at the start of the run, s. */
  offsetS: number;
  patient: {
    weightKg: number;
    heightCm: number;
    ageMonths: number;
    ecmoMode: EcmoMode | null;
    targetFlowLMin: number;
    studyId?: string;
    studyGroup?: StudyGroup;
  };
  /** The scenario's clinical timeline in run time (ts = startMs + (atS − offsetS) s). */
  events: { type: EventType; ts: number; atS: number; note?: string }[];
}

export interface BedOptions {
  seed: number;
  startMs: number;
  waveforms: boolean;
}

export class BedSimulator {
  readonly info: BedInfo;
  private readonly scenario: Scenario;
  private readonly offsetS: number;
  private readonly normals: PatientNormals;
  private readonly timeline: DriverTimeline;
  private readonly pumps: InfusionPumps;
  private readonly lab: Lab;
  private readonly monitor: BedsideMonitor;
  private readonly console: EcmoConsole;
  private readonly waves = new WaveformGenerator();
  private readonly ecmoSetup: EcmoSetup | null;
  private state: CirculationState;
  private readonly seqs = new Map<string, number>();
  private readonly online = new Set<Device>();
  private pendingWave: { atMs: number; abp: number[]; pleth: number[] | null } | null = null;
  private historyLabs: LabResultDraft[];

  constructor(
    a: BedAssignment,
    private readonly o: BedOptions,
  ) {
    const s = (this.scenario = a.scenario);
    this.offsetS = a.offsetS;
    this.normals = normalsOf(s.patient);
    this.timeline = new DriverTimeline(s.physiology);
    this.pumps = new InfusionPumps(s.drugs, s.patient.weightKg);
    const flow = targetFlowLMin(s.patient, s.ecmoMode);
    this.ecmoSetup = s.ecmoMode
      ? { mode: s.ecmoMode, design: designCircuit(s.ecmoMode, flow, this.normals.meanArterialPressure, 6) }
      : null;
    const stream = (purpose: string) => Random.of(o.seed, `${a.bedId}/${purpose}`);
    this.monitor = new BedsideMonitor(stream('monitor'), this.normals, s.cvpLine);
    this.console = new EcmoConsole(stream('ecmo'), flow);
    const firstS = Math.min(0, this.offsetS);
    this.lab = new Lab(stream('lab'), firstS, s.extraLabsAtS ?? [], s.cvpLine);
    this.state = { ...initialCirculation(this.normals), lactate: s.initialLactate ?? 1 };
    this.info = {
      bedId: a.bedId,
      scenario: s.name,
      title: s.title,
      offsetS: this.offsetS,
      patient: {
        ...s.patient,
        ecmoMode: s.ecmoMode,
        targetFlowLMin: flow,
        ...(s.studyGroup ? { studyId: `SIM-${a.bedId}`, studyGroup: s.studyGroup } : {}),
      },
      events: s.events.map((e) => ({ ...e, ts: this.tsOf(e.atS) })),
    };
    this.historyLabs = this.fastForward(firstS);
  }

  /** Waveforms on or off from the next second (the chunk in hand is dropped when turned off). */
  setWaveforms(on: boolean): void {
    this.o.waveforms = on;
    if (!on) this.pendingWave = null;
  }

  /** Message time of a scenario time. */
  tsOf(scenarioS: number): number {
    return this.o.startMs + Math.round((scenarioS - this.offsetS) * 1000);
  }

  get bedId(): string {
    return this.info.bedId;
  }

  get onlineDevices(): readonly Device[] {
    return [...this.online];
  }

  /** One simulated second at run time tS (0, 1, 2, ...). */
  tick(tS: number): SimOutput[] {
    const sceneS = this.offsetS + tS;
    const atMs = this.o.startMs + tS * 1000;
    const out: SimOutput[] = [];
    for (const device of this.presentDevices(sceneS)) {
      if (this.online.has(device)) continue;
      this.online.add(device);
      out.push({ kind: 'connect', atMs, bedId: this.bedId, device }, statusOutput(atMs, this.bedId, device, 'online'));
    }
    const p = this.advance(sceneS, 1);
    const faults = sensorFaultsAt(this.scenario.sensorFaults, sceneS);

    const monitor = this.monitor.read(p, faults, 1);
    out.push(this.publish(atMs, 'monitor', 'numerics', { ts: atMs, seq: this.nextSeq('monitor/numerics'), values: monitor.values }));
    if (this.o.waveforms) {
      out.push(...this.flushWave());
      const chunk = this.waves.second(monitor.waveform);
      this.pendingWave = { atMs, abp: chunk.abp, pleth: monitor.plethPresent ? chunk.pleth : null };
    }
    const ecmo = this.online.has('ecmo') ? this.console.read(p, faults, 1) : null;
    if (ecmo) out.push(this.publish(atMs, 'ecmo', 'numerics', { ts: atMs, seq: this.nextSeq('ecmo/numerics'), values: ecmo }));
    for (const r of this.pumps.due(sceneS)) {
      const { channel, ...message } = r;
      out.push(this.publish(atMs, 'pump', channel, { ts: atMs, seq: this.nextSeq(`pump/${channel}`), ...message }));
    }
    const results = tS === 0 ? [...this.historyLabs, ...this.lab.release(sceneS)] : this.lab.release(sceneS);
    this.historyLabs = [];
    for (const r of results) {
      out.push(
        this.publish(
          atMs,
          'lab',
          'result',
          { ts: this.tsOf(r.sampleS), seq: this.nextSeq('lab/result'), site: r.site, values: r.values },
          1,
        ),
      );
    }
    return out;
  }

  /** End of the run at run time tS: the last waveform chunk, then every device says offline and leaves. */
  finish(tS: number): SimOutput[] {
    const atMs = this.o.startMs + tS * 1000;
    const out: SimOutput[] = this.o.waveforms ? this.flushWave() : [];
    for (const device of this.online) {
      out.push(statusOutput(atMs, this.bedId, device, 'offline'), { kind: 'disconnect', atMs, bedId: this.bedId, device, abrupt: false });
    }
    this.online.clear();
    return out;
  }

  private presentDevices(sceneS: number): Device[] {
    const s = this.scenario;
    const ecmo = s.ecmoMode !== null && s.ecmoConsoleFromS !== undefined && sceneS >= s.ecmoConsoleFromS;
    return ecmo ? ['monitor', 'ecmo', 'pump', 'lab'] : ['monitor', 'pump', 'lab'];
  }

  private advance(sceneS: number, dtS: number, sampleLab = true): Physiology {
    const drivers = this.timeline.at(sceneS);
    const effects = drugEffects(this.pumps.effects(sceneS, dtS), drivers.catecholamineResponsiveness);
    const s = this.scenario;
    const ecmoPresent = this.ecmoSetup && s.ecmoConsoleFromS !== undefined && sceneS >= s.ecmoConsoleFromS;
    const { state, physiology } = stepCirculation(this.state, drivers, effects, this.normals, ecmoPresent ? this.ecmoSetup : null, dtS);
    this.state = state;
    if (sampleLab) this.lab.sample(sceneS, physiology, (physiology.ecmo?.flowLMin ?? 0) > 0.05);
    return physiology;
  }

  /** Settles the circulation at the first scenario time, then runs it up to the run's start. */
  private fastForward(firstS: number): LabResultDraft[] {
    this.pumps.settle(firstS);
    for (let i = 0; i < SETTLE_STEPS; i++) this.advance(firstS, SETTLE_STEP_S, false);
    for (let s = firstS; s < this.offsetS; s += FAST_FORWARD_STEP_S) this.advance(s, Math.min(FAST_FORWARD_STEP_S, this.offsetS - s));
    return this.lab.release(this.offsetS - 1).filter((r) => r.sampleS >= this.offsetS - LAB_HISTORY_S);
  }

  private flushWave(): PublishOutput[] {
    const w = this.pendingWave;
    if (!w) return [];
    this.pendingWave = null;
    const chunk = (signal: 'abp' | 'pleth', samples: number[]) =>
      this.publish(w.atMs + 1000, 'monitor', 'waveform', { ts: w.atMs, signal, rateHz: WAVEFORM_RATE_HZ, samples });
    return w.pleth ? [chunk('abp', w.abp), chunk('pleth', w.pleth)] : [chunk('abp', w.abp)];
  }

  private publish(atMs: number, device: Device, stream: string, payload: Record<string, unknown>, qos: 0 | 1 = 0): PublishOutput {
    return { kind: 'publish', atMs, bedId: this.bedId, device, stream, payload, retain: false, qos };
  }

  private nextSeq(stream: string): number {
    const n = this.seqs.get(stream) ?? 0;
    this.seqs.set(stream, n + 1);
    return n;
  }
}
