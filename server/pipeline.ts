// The one change path. Every change of a bed is a command here: a device message, a REST write
// (patient, limits, timeline event, acknowledgement), the replay of the recording after a restart,
// and the periodic tick. A command changes state and says what changed; then one step runs
// calc → alarms → record → stream for that bed (device-detected timeline events are recorded and
// sent as they are detected). No stage calls back into an earlier one, and views
// only read.
//
// One exception to "calc on every step", for bursts: a device message arriving within CALC_EVERY_MS
// of the bed's last recompute leaves its derived values for a step of their own, at most
// CALC_EVERY_MS later, that takes in every message of the burst at once (a flood of 500 beds spent
// a fifth of its time recomputing values that the stream merges over 25 ms anyway). That message's
// own step still runs alarms → record → stream at once: an alarm on a measured value is never
// delayed; an alarm on a derived value follows its recompute, as it always has
// (docs/decisions/0012).
import type { Logger } from 'pino';
import { applyLimitsPatch, type BedLimitsOverrides, type BedLimitsPatch } from '../shared/alarms.js';
import type { Alarm, BedWaveform, TimelineEvent } from '../shared/protocol.js';
import type { EventType, Patient, PumpMessage } from '../shared/schemas.js';
import type { EventStatus } from '../shared/timeline.js';
import { WARD, type WardAlarms } from './alarms/ward.js';
import { isCalcSignal } from '../shared/calc/inputs.js';
import type { CalcEngine } from './calc/engine.js';
import type { DetectedEvent } from './timeline/flow-events.js';
import type { Timeline } from './timeline/timeline.js';
import { isRejected, type Accepted, type Ingest } from './ingest/ingest.js';
import { inShard, type Shard } from './ingest/shard.js';
import type { Recorder } from './record/recorder.js';
import type { BedState } from './state/bed.js';
import type { Beds } from './state/beds.js';

/** What a command changed for a bed; the step turns it into what the stream sends. */
export interface BedChange {
  signals?: readonly string[];
  /** Derived keys whose value, quality or reason changed. */
  derived?: readonly string[];
  devices?: boolean;
  infusions?: boolean;
  patient?: boolean;
  /** Active or latched alarms changed (the bed's list and counts). */
  alarms?: boolean;
}

/** What the streaming stage offers the pipeline. */
export interface StreamSink {
  bedChanged(bedId: string, change: BedChange): void;
  waveform(w: BedWaveform): void;
  overviewChanged(): void;
  /** Sent at once, never merged or delayed. */
  alarm(a: Alarm): void;
  event(e: TimelineEvent): void;
}

export interface PipelineDeps {
  ingest: Ingest;
  beds: Beds;
  calc: CalcEngine;
  alarms: WardAlarms;
  timeline: Timeline;
  recorder: Recorder;
  stream: StreamSink;
  log: Logger;
  now: () => number;
}

/** Rejections are logged at most this often per reason (they are always counted). */
const REJECT_LOG_INTERVAL_MS = 10_000;
/** After a restart the live state is rebuilt from this much of the recording (the rings' hour). */
const RESTORE_RECENT_MS = 3600_000;
/** Lab values matter for up to 12 h (hb) and lactate clearance looks back 7 h. */
const RESTORE_LAB_MS = 12 * 3600_000;
/** A pump channel silent for longer than this is no longer part of the picture. */
const RESTORE_PUMP_MS = 2 * 3600_000;

/**
 * A bed's derived values are recomputed at most once in this long for device messages (a burst is
 * one recompute, within this long of its first message); the stream merges a bed's changes over
 * the same 25 ms, so a screen sees no difference.
 */
export const CALC_EVERY_MS = 25;

/** What a command did to a bed before the step; the step adds derived values and alarms. */
interface Touched {
  signals?: string[];
  /** An input of a formula changed (or may have: a lab result, a pump, the patient, time). */
  calc: boolean;
  /** The recompute may wait up to CALC_EVERY_MS (a device's numerics); else it runs in this step. */
  calcMayWait?: boolean;
  devices?: boolean;
  infusions?: boolean;
  patient?: boolean;
  /** Nothing but the derived values may have changed (a burst's recompute): alarms judge only what reads them. */
  derivedOnly?: boolean;
}

export class Pipeline {
  private readonly lastRejectLog = new Map<string, number>();
  /** Since when the server hears the broker without interruption (null while it does not). */
  private listeningSinceMs: number | null = null;
  /** Whole seconds ticked (each time slot 0 comes round). */
  private seconds = 0;
  /** When each bed's derived values were last recomputed (server clock). */
  private readonly calcAtMs = new Map<BedState, number>();
  /** Beds whose recompute waits for `calcTimer` (messages that came within CALC_EVERY_MS of the last). */
  private readonly calcWaiting = new Set<BedState>();
  private calcTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly d: PipelineDeps) {}

  // ---- commands -------------------------------------------------------------------------------

  /** A device message. Never throws: an unexpected error is logged with its topic. */
  process(topic: string, payload: Uint8Array): void {
    const nowMs = this.d.now();
    try {
      const out = this.d.ingest.handle(topic, payload, nowMs);
      if (out === null) return;
      if (isRejected(out)) {
        this.logRejection(out.reject, topic, out.detail, nowMs);
        const bed = out.bedId === undefined ? undefined : this.d.beds.get(out.bedId);
        if (bed) {
          bed.noteRejection(nowMs);
          this.step(bed, { calc: false }, nowMs);
        }
        return;
      }
      const bed = this.d.beds.getOrCreate(out.topic.bedId);
      this.step(bed, this.apply(bed, out, nowMs), nowMs);
    } catch (err) {
      this.d.log.error({ err, topic }, 'message handling failed');
    }
  }

  /** PUT /api/beds/{bed}/patient (and the demo's simulated patients): creates the bed if new. */
  async setPatient(bedId: string, patient: Patient, by: string): Promise<Patient> {
    const nowMs = this.d.now();
    await this.d.recorder.savePatient(bedId, patient, nowMs);
    await this.d.recorder.audit({ at: nowMs, username: by, action: 'patient.set', target: bedId, detail: patient });
    const bed = this.d.beds.getOrCreate(bedId);
    bed.patient = patient;
    this.step(bed, { calc: true, patient: true }, nowMs);
    return patient;
  }

  /** PUT /api/beds/{bed}/limits: a specialist's overrides, validated as a whole, audited. */
  async setLimits(
    bedId: string,
    patch: BedLimitsPatch,
    by: string,
  ): Promise<{ ok: true; overrides: BedLimitsOverrides } | { ok: false; message: string }> {
    const nowMs = this.d.now();
    const bed = this.d.beds.getOrCreate(bedId);
    const r = applyLimitsPatch(bed.limitOverrides, patch);
    if (!r.ok) return r;
    await this.d.recorder.saveLimits(bedId, r.overrides, by, nowMs);
    await this.d.recorder.audit({ at: nowMs, username: by, action: 'limits.set', target: bedId, detail: patch });
    bed.limitOverrides = r.overrides;
    this.step(bed, { calc: false }, nowMs);
    return r;
  }

  /** POST /api/beds/{bed}/events: a timeline event entered by a user, with the markers of its moment. */
  async addEvent(bedId: string, e: { type: EventType; ts?: number; note?: string }, by: string): Promise<TimelineEvent> {
    const nowMs = this.d.now();
    const bed = this.d.beds.getOrCreate(bedId);
    const ts = e.ts ?? nowMs;
    const markers = this.d.timeline.markersAt(bed, ts, nowMs);
    const ev = (await this.d.recorder.addEvent(
      { bedId, type: e.type, ts, note: e.note ?? null, by, source: 'manual', status: 'confirmed', markers },
      nowMs,
    ))!;
    await this.d.recorder.audit({ at: nowMs, username: by, action: 'event.add', target: bedId, detail: { id: ev.id, type: ev.type, ts } });
    this.d.stream.event(ev);
    return ev;
  }

  /**
   * PATCH /api/beds/{bed}/events/{id}: a researcher confirms, moves or dismisses an event (a device
   * candidate above all). Audited with the old and new state; the recording keeps the detected time.
   */
  async reviewEvent(bedId: string, id: number, review: { status: EventStatus; ts?: number }, by: string): Promise<TimelineEvent | null> {
    const nowMs = this.d.now();
    const before = await this.d.recorder.getEvent(id);
    if (!before || before.bedId !== bedId) return null;
    const ev = (await this.d.recorder.reviewEvent(id, { status: review.status, ts: review.ts ?? before.ts, by, atMs: nowMs }))!;
    await this.d.recorder.audit({
      at: nowMs,
      username: by,
      action: 'event.review',
      target: `${bedId}/${id}`,
      detail: { from: { status: before.status, ts: before.ts }, to: { status: ev.status, ts: ev.ts } },
    });
    this.d.stream.event(ev);
    return ev;
  }

  /**
   * POST /api/beds/{bed}/discharge: the bed leaves the live ward (memory, overview, alarms); its
   * recording stays, readable and exportable. A device publishing for it again admits it anew.
   */
  async discharge(bedId: string, by: string): Promise<boolean> {
    const nowMs = this.d.now();
    if (!this.d.beds.get(bedId)) return false;
    // Its alarms end with its care: recorded as cleared, so nothing stays open for a bed not there.
    for (const a of this.d.alarms.current(bedId)) {
      const ended: Alarm = { ...a, state: 'cleared', latched: false, clearedAt: a.clearedAt ?? nowMs };
      await this.d.recorder.saveAlarm(ended, nowMs);
      this.d.stream.alarm(ended);
    }
    await this.d.recorder.dischargeBed(bedId, nowMs);
    await this.d.recorder.audit({ at: nowMs, username: by, action: 'bed.discharge', target: bedId });
    const gone = this.d.beds.get(bedId);
    if (gone) {
      this.calcAtMs.delete(gone);
      this.calcWaiting.delete(gone);
    }
    this.d.beds.remove(bedId);
    this.d.calc.forget(bedId);
    this.d.alarms.forget(bedId);
    this.d.timeline.forget(bedId);
    this.d.stream.overviewChanged();
    return true;
  }

  /** POST /api/alarms/{id}/ack: records who and when; never hides a condition still present. */
  async acknowledge(alarmId: string, by: string): Promise<Alarm | null> {
    const nowMs = this.d.now();
    const a = this.d.alarms.acknowledge(alarmId, by, nowMs);
    if (!a) return null;
    await this.d.recorder.saveAlarm(a, nowMs);
    await this.d.recorder.audit({ at: nowMs, username: by, action: 'alarm.ack', target: alarmId });
    this.d.stream.alarm(a);
    if (this.d.beds.get(a.bedId)) this.d.stream.bedChanged(a.bedId, { alarms: true });
    this.d.stream.overviewChanged();
    return a;
  }

  /** The link to the broker came up or went down. */
  brokerChanged(connected: boolean): void {
    const nowMs = this.d.now();
    if (!connected) this.listeningSinceMs = null;
    else this.listeningSinceMs ??= nowMs;
    const a = this.d.alarms.brokerChanged(connected, nowMs);
    if (!a) return;
    this.keep(this.d.recorder.saveAlarm(a, nowMs), 'alarm');
    this.d.stream.alarm(a);
    this.d.stream.overviewChanged();
  }

  /**
   * Instances that split the beds: which others are not heard (null: all are), in words. Raises or
   * clears the ward-wide technical alarm: their beds get no values and no alarms meanwhile.
   */
  peersChanged(lost: string | null): void {
    const nowMs = this.d.now();
    const a = this.d.alarms.instanceLostChanged(lost !== null, nowMs, lost);
    if (!a) return;
    this.keep(this.d.recorder.saveAlarm(a, nowMs), 'alarm');
    this.d.stream.alarm(a);
    this.d.stream.overviewChanged();
  }

  /** A recording that starts or stops failing raises or clears its ward-wide technical alarm. */
  private recordingHealth(nowMs: number): void {
    const w = this.d.recorder.writeHealth();
    const a = this.d.alarms.recordingChanged(w.failing, nowMs, w.lastError);
    if (!a) return;
    // Kept when the disk takes it (a failing recording may refuse this one too); shown at once.
    this.keep(this.d.recorder.saveAlarm(a, nowMs), 'alarm');
    this.d.stream.alarm(a);
    this.d.stream.overviewChanged();
  }

  /**
   * Periodic work, once a second: device silence and ageing inputs change what is shown without any
   * message; and each bed's derived values are recorded with their quality (the research record).
   * `part` of `parts`: only the beds of that slot (a stable hash of the bed id), so the server's
   * timer can spread a second's work over the second instead of stalling every bed's messages
   * behind all beds at once; `tick()` alone does every bed (tools on a virtual clock).
   */
  tick(part = 0, parts = 1): void {
    const nowMs = this.d.now();
    if (part === 0) {
      this.recordingHealth(nowMs);
      this.seconds++;
    }
    // A quiet bed (no device data for QUIET_AFTER_MS: its device alarms long raised, its values
    // stale) changes only as its older values age: every QUIET_EVERY_S seconds is enough.
    const quietTurn = this.seconds % QUIET_EVERY_S === 0;
    for (const bed of this.d.beds.all()) {
      if (parts > 1 && tickSlot(bed.bedId, parts) !== part) continue;
      if (!quietTurn && nowMs - bed.lastDataAtMs() > QUIET_AFTER_MS) continue;
      this.step(bed, { calc: true, devices: bed.refreshDeviceStates(nowMs) }, nowMs);
      if (bed.patient || bed.latest.size) this.d.recorder.addDerived({ bedId: bed.bedId, ts: nowMs, values: this.d.calc.derivedOf(bed) });
    }
  }

  /**
   * After a restart: rebuilds each bed from the recording through the same apply and step as live
   * messages (without recording or streaming them again), then reinstates the recorded open alarms.
   * Values keep their own measurement times, so nothing old is shown as current.
   */
  async restore(shard: Shard | null): Promise<number> {
    const nowMs = this.d.now();
    const rec = this.d.recorder;
    const patients = await rec.loadPatients();
    const limits = await rec.loadLimits();
    const inCare = await rec.listBeds();
    const wanted = new Set(inCare);
    this.d.alarms.restore(
      (await rec.openAlarms()).filter((a) => (a.bedId === WARD || wanted.has(a.bedId)) && (!shard || inShard(a.bedId, shard))),
    );
    let restored = 0;
    for (const bedId of inCare) {
      if (shard && !inShard(bedId, shard)) continue;
      const bed = this.d.beds.restore(bedId, patients.get(bedId) ?? null);
      bed.limitOverrides = limits.get(bedId) ?? {};
      for (const feed of ['monitor', 'ecmo', 'lab'] as const) {
        const from = nowMs - (feed === 'lab' ? RESTORE_LAB_MS : RESTORE_RECENT_MS);
        for (const s of await rec.recentSamples(bedId, feed, from, nowMs)) {
          bed.addSample(s.signal, s.ts, s.value, s.source, false);
          restored++;
        }
      }
      for (const p of await rec.infusions(bedId, nowMs - RESTORE_PUMP_MS, nowMs)) {
        const message: PumpMessage = {
          ts: p.ts,
          drug: p.drug,
          rateMlH: p.rateMlH,
          concentration: p.concentration,
          concentrationUnit: p.concentrationUnit as PumpMessage['concentrationUnit'],
          running: p.running,
        };
        bed.setPump(p.channel, message, p.ts);
      }
      this.step(bed, { calc: true, patient: true }, nowMs, { stream: false });
    }
    return restored;
  }

  // ---- the step -------------------------------------------------------------------------------

  /** Stops the timer of waiting recomputes (the server's stop); what waits is left as it is. */
  stop(): void {
    if (this.calcTimer) clearTimeout(this.calcTimer);
    this.calcTimer = null;
    this.calcWaiting.clear();
  }

  /** calc → alarms → record → stream, after any command that changed this bed. */
  private step(bed: BedState, t: Touched, nowMs: number, o: { stream: boolean } = { stream: true }): void {
    const derived = t.calc ? this.recompute(bed, nowMs, t.calcMayWait === true) : [];
    const alarms = this.d.alarms.evaluate(bed, nowMs, this.listeningS(nowMs), t.derivedOnly === true);
    for (const a of alarms) this.keep(this.d.recorder.saveAlarm(a, nowMs), 'alarm');
    if (!o.stream) return;
    for (const a of alarms) this.d.stream.alarm(a);
    const signals = t.signals ?? [];
    if (signals.length || derived.length || t.devices || t.infusions || t.patient || alarms.length) {
      this.d.stream.bedChanged(bed.bedId, {
        signals,
        derived,
        devices: t.devices,
        infusions: t.infusions,
        patient: t.patient,
        alarms: alarms.length > 0,
      });
    }
    if (t.devices || t.patient || alarms.length) this.d.stream.overviewChanged();
  }

  /**
   * The bed's derived values now, or, for a message within CALC_EVERY_MS of the last recompute, in
   * a step of their own when the timer fires (no keys changed yet: the alarms of this step read
   * the derived values as last computed).
   */
  private recompute(bed: BedState, nowMs: number, mayWait: boolean): string[] {
    if (mayWait) {
      // A recompute already waits for the timer (at most CALC_EVERY_MS away): it takes this message in too.
      if (this.calcWaiting.has(bed)) return [];
      const last = this.calcAtMs.get(bed);
      // `nowMs >= last`: a clock set back never postpones a recompute.
      if (last !== undefined && nowMs >= last && nowMs - last < CALC_EVERY_MS) {
        this.calcWaiting.add(bed);
        if (!this.calcTimer) {
          this.calcTimer = setTimeout(() => this.recomputeWaiting(), CALC_EVERY_MS);
          this.calcTimer.unref?.();
        }
        return [];
      }
    }
    this.calcWaiting.delete(bed);
    this.calcAtMs.set(bed, nowMs);
    return this.d.calc.recompute(bed, nowMs);
  }

  /** The timer: every waiting bed's recompute, each in a step of its own (alarms, stream). */
  private recomputeWaiting(): void {
    this.calcTimer = null;
    const nowMs = this.d.now();
    const beds = [...this.calcWaiting];
    this.calcWaiting.clear();
    for (const bed of beds) {
      if (this.d.beds.get(bed.bedId) !== bed) continue; // discharged meanwhile
      try {
        this.step(bed, { calc: true, derivedOnly: true }, nowMs);
      } catch (err) {
        this.d.log.error({ err, bedId: bed.bedId }, 'recomputing derived values failed');
      }
    }
  }

  private listeningS(nowMs: number): number {
    return this.listeningSinceMs === null ? 0 : (nowMs - this.listeningSinceMs) / 1000;
  }

  // ---- applying a device message to state ------------------------------------------------------

  private apply(bed: BedState, m: Accepted, nowMs: number): Touched {
    switch (m.kind) {
      case 'numerics':
        return this.numerics(bed, m, nowMs);
      case 'pump': {
        bed.touchDevice('pump', nowMs);
        const devices = bed.refreshDeviceStates(nowMs);
        const channel = m.topic.channel!;
        const changed = bed.setPump(channel, m.message, m.tsMs);
        const msg = m.message;
        this.d.recorder.addInfusion({
          bedId: bed.bedId,
          channel,
          ts: m.tsMs,
          drug: msg.drug,
          rateMlH: msg.rateMlH,
          concentration: msg.concentration,
          concentrationUnit: msg.concentrationUnit,
          running: msg.running,
        });
        return { calc: changed, infusions: changed, devices };
      }
      case 'waveform': {
        const w = m.waveform;
        bed.touchDevice(m.topic.device, nowMs);
        const devices = bed.refreshDeviceStates(nowMs);
        const wave = { bedId: bed.bedId, signal: w.signal, ts: m.tsMs, rateHz: w.rateHz, samples: w.samples };
        this.d.recorder.addWaveform(wave);
        this.d.stream.waveform(wave);
        return { calc: false, devices };
      }
      case 'status': {
        bed.setDeviceStatus(m.topic.device, m.state, nowMs);
        const devices = bed.refreshDeviceStates(nowMs);
        return { calc: devices, devices };
      }
    }
  }

  private numerics(bed: BedState, m: Extract<Accepted, { kind: 'numerics' }>, nowMs: number): Touched {
    // The lab does not stream: a result says nothing about whether the lab is "live".
    if (m.source === 'lab') bed.noteDevice('lab');
    else bed.touchDevice(m.topic.device, nowMs);
    const devices = bed.refreshDeviceStates(nowMs);
    const signals: string[] = [];
    for (const { signal, value } of m.values) {
      if (bed.addSample(signal, m.tsMs, value, m.source, m.skew, nowMs)) signals.push(signal);
      else this.d.ingest.counters.late++;
      if (signal === 'flow') this.detected(bed, this.d.timeline.flowSample(bed, m.tsMs, value), nowMs);
    }
    this.d.recorder.addMeasurement({ bedId: bed.bedId, feed: m.source, ts: m.tsMs, values: m.values });
    // Lab results always count (a late lactate changes clearance); device values only if a formula uses them.
    // A device's values may wait for the bed's next recompute (a burst); a lab result, rare, does not.
    const calc = m.source === 'lab' || signals.some(isCalcSignal) || devices;
    return { calc, calcMayWait: m.source !== 'lab' && !devices, signals, devices };
  }

  /** Device-detected timeline candidates: recorded once (a replay detects them again), then sent. */
  private detected(bed: BedState, events: readonly DetectedEvent[], nowMs: number): void {
    for (const e of events) {
      const markers = this.d.timeline.markersAt(bed, e.ts, nowMs);
      const stored = this.d.recorder
        .addEvent(
          { bedId: bed.bedId, type: e.type, ts: e.ts, note: e.note, by: 'device', source: 'device', status: 'candidate', markers },
          nowMs,
        )
        .then((ev) => {
          if (ev) this.d.stream.event(ev);
        });
      this.keep(stored, 'detected event');
    }
  }

  /**
   * A write the pipeline does not wait for (the hot path stays synchronous): a failure is logged
   * with what it was, never lost silently and never thrown into the message loop.
   */
  private keep(write: Promise<unknown>, what: string): void {
    write.catch((err: unknown) => this.d.log.error({ err }, `recording the ${what} failed`));
  }

  private logRejection(reason: string, topic: string, detail: string, nowMs: number): void {
    const last = this.lastRejectLog.get(reason) ?? -Infinity;
    if (nowMs - last < REJECT_LOG_INTERVAL_MS) return;
    this.lastRejectLog.set(reason, nowMs);
    this.d.log.warn({ reason, topic, detail, counted: this.d.ingest.counters.byReason }, 'message rejected');
  }
}

/** A bed without device data for this long is quiet, and ticked every QUIET_EVERY_S seconds only. */
const QUIET_AFTER_MS = 120_000;
const QUIET_EVERY_S = 10;

/** A bed's tick slot of `parts`: a stable hash of its id (FNV-1a; a few operations per character). */
export function tickSlot(bedId: string, parts: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bedId.length; i++) h = Math.imul(h ^ bedId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % parts;
}
