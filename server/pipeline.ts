// The one-way data flow of a message: ingest → state → calc → record → stream. Each stage is called
// in turn from here; a later stage never calls back into an earlier one.
import type { Logger } from 'pino';
import { isCalcSignal } from '../shared/calc/inputs.js';
import type { BedWaveform } from '../shared/protocol.js';
import type { CalcEngine } from './calc/engine.js';
import { isRejected, type Accepted, type Ingest } from './ingest/ingest.js';
import type { Recorder } from './record/recorder.js';
import type { BedState } from './state/bed.js';
import type { Beds } from './state/beds.js';

export interface BedChange {
  signals?: readonly string[];
  /** Derived values may have changed (the stream asks calc which). */
  derived?: boolean;
  devices?: boolean;
  infusions?: boolean;
  patient?: boolean;
}

/** What the streaming stage offers the pipeline. */
export interface StreamSink {
  bedChanged(bedId: string, change: BedChange): void;
  waveform(w: BedWaveform): void;
  overviewChanged(): void;
}

export interface PipelineDeps {
  ingest: Ingest;
  beds: Beds;
  calc: CalcEngine;
  recorder: Recorder;
  stream: StreamSink;
  log: Logger;
  now: () => number;
}

/** Rejections are logged at most this often per reason (they are always counted). */
const REJECT_LOG_INTERVAL_MS = 10_000;

export class Pipeline {
  private readonly lastRejectLog = new Map<string, number>();

  constructor(private readonly d: PipelineDeps) {}

  /** Handles one MQTT message. Never throws: an unexpected error is logged with its topic. */
  process(topic: string, payload: Uint8Array): void {
    const nowMs = this.d.now();
    try {
      const out = this.d.ingest.handle(topic, payload, nowMs);
      if (out === null) return;
      if (isRejected(out)) {
        this.logRejection(out.reject, topic, out.detail, nowMs);
        return;
      }
      this.apply(out, nowMs);
    } catch (err) {
      this.d.log.error({ err, topic }, 'message handling failed');
    }
  }

  /** Periodic work: device silence and ageing inputs change what is shown without any message. */
  tick(): void {
    const nowMs = this.d.now();
    for (const bed of this.d.beds.all()) {
      const devicesChanged = bed.refreshDeviceStates(nowMs);
      const derived = this.d.calc.recompute(bed, nowMs).length > 0;
      if (devicesChanged || derived) {
        this.d.stream.bedChanged(bed.bedId, { derived, devices: devicesChanged });
        if (devicesChanged) this.d.stream.overviewChanged();
      }
    }
  }

  private apply(m: Accepted, nowMs: number): void {
    const bed = this.d.beds.getOrCreate(m.topic.bedId);
    switch (m.kind) {
      case 'numerics':
        return this.numerics(bed, m, nowMs);
      case 'pump': {
        bed.touchDevice('pump', nowMs);
        const devices = bed.refreshDeviceStates(nowMs);
        const changed = bed.setPump(m.topic.channel!, m.message, m.tsMs);
        const msg = m.message;
        this.d.recorder.addInfusion({
          bedId: bed.bedId,
          channel: m.topic.channel!,
          ts: m.tsMs,
          drug: msg.drug,
          rateMlH: msg.rateMlH,
          concentration: msg.concentration,
          concentrationUnit: msg.concentrationUnit,
          running: msg.running,
        });
        if (changed) this.d.calc.invalidate(bed);
        this.d.stream.bedChanged(bed.bedId, { infusions: changed, derived: changed, devices });
        if (devices) this.d.stream.overviewChanged();
        return;
      }
      case 'waveform': {
        const w = m.waveform;
        bed.touchDevice(m.topic.device, nowMs);
        const devices = bed.refreshDeviceStates(nowMs);
        this.d.recorder.addWaveform({ bedId: bed.bedId, signal: w.signal, ts: m.tsMs, rateHz: w.rateHz, samples: w.samples });
        this.d.stream.waveform({ bedId: bed.bedId, signal: w.signal, ts: m.tsMs, rateHz: w.rateHz, samples: w.samples });
        if (devices) {
          this.d.stream.bedChanged(bed.bedId, { devices });
          this.d.stream.overviewChanged();
        }
        return;
      }
      case 'status': {
        bed.setDeviceStatus(m.topic.device, m.state);
        if (bed.refreshDeviceStates(nowMs)) {
          this.d.calc.invalidate(bed);
          this.d.stream.bedChanged(bed.bedId, { devices: true, derived: true });
          this.d.stream.overviewChanged();
        }
        return;
      }
    }
  }

  private numerics(bed: BedState, m: Extract<Accepted, { kind: 'numerics' }>, nowMs: number): void {
    // The lab does not stream: a result says nothing about whether the lab is "live".
    if (m.source === 'lab') bed.noteDevice('lab');
    else bed.touchDevice(m.topic.device, nowMs);
    const devices = bed.refreshDeviceStates(nowMs);
    const changed: string[] = [];
    for (const { signal, value } of m.values) {
      if (bed.addSample(signal, m.tsMs, value, m.source, m.skew)) changed.push(signal);
      else this.d.ingest.counters.late++;
      this.d.calc.addSample(bed, signal, m.tsMs, value);
    }
    this.d.recorder.addMeasurement({ bedId: bed.bedId, feed: m.source, ts: m.tsMs, values: m.values });
    // Lab results always count (a late lactate changes clearance); device values only if a formula uses them.
    const derived = m.source === 'lab' || changed.some(isCalcSignal);
    if (derived) this.d.calc.invalidate(bed);
    if (changed.length || derived || devices) {
      this.d.stream.bedChanged(bed.bedId, { signals: changed, derived, devices });
    }
    if (devices) this.d.stream.overviewChanged();
  }

  private logRejection(reason: string, topic: string, detail: string, nowMs: number): void {
    const last = this.lastRejectLog.get(reason) ?? -Infinity;
    if (nowMs - last < REJECT_LOG_INTERVAL_MS) return;
    this.lastRejectLog.set(reason, nowMs);
    this.d.log.warn({ reason, topic, detail, counted: this.d.ingest.counters.byReason }, 'message rejected');
  }
}
