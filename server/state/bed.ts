// The live state of one bed: newest value per signal, recent samples per signal in bounded ring
// buffers, device presence, pump channels and the patient configuration.
import type { DeviceState, LatestValue } from '../../shared/protocol.js';
import { DEVICE_SILENCE_S } from '../../shared/catalogue.js';
import { resolveLimits, type BedLimitsOverrides, type EffectiveLimits } from '../../shared/alarms.js';
import type { Patient, PumpMessage } from '../../shared/schemas.js';
import { TimeRing } from './ring.js';

/** Samples kept per signal: over an hour at 1 Hz, enough for the 60 min windows with jitter. */
export const RING_CAPACITY = 4096;
/** Lactate results kept per bed for clearance (hours of results, not seconds). */
const LACTATE_KEEP = 256;
/** A device with no numerics for this long is `stale` (the catalogue's DEVICE_SILENCE_S). */
export const DEVICE_SILENCE_MS = DEVICE_SILENCE_S.monitor * 1000;
export const PUMP_SILENCE_MS = DEVICE_SILENCE_S.pump * 1000;

export interface DevicePresence {
  /** Last retained status the device set (its MQTT last will says offline). */
  status: 'online' | 'offline' | null;
  /** Server time of the last data message (or of saying online), epoch ms (0 = never). */
  lastDataAtMs: number;
  /** The device has sent data, not only its status. */
  sentData: boolean;
}

export interface PumpChannel extends PumpMessage {
  channel: string;
  tsMs: number;
}

export interface LactateResult {
  ts: number;
  value: number;
  site: string;
}

/** Rejected messages remembered per bed: enough to count "5 in a minute" (the value-rejected alarm). */
const REJECTS_KEPT = 16;

export class BedState {
  patient: Patient | null = null;
  /** A specialist's alarm limits for this bed (the rest are the catalogue's defaults). */
  limitOverrides: BedLimitsOverrides = {};
  /** For a newest value stamped ahead of its arrival: when it arrived (server clock). */
  private readonly aheadArrivals = new Map<string, number>();
  /** Arrival times of the bed's newest rejected messages, oldest first. */
  private readonly rejects: number[] = [];
  readonly latest = new Map<string, LatestValue>();
  /** A signal's newest value: `latest` as the function calc and alarms read it through (made once). */
  readonly latestOf = (signal: string): LatestValue | undefined => this.latest.get(signal);
  readonly rings = new Map<string, TimeRing>();
  readonly devices = new Map<string, DevicePresence>();
  readonly pumps = new Map<string, PumpChannel>();
  readonly lactates: LactateResult[] = [];
  private readonly shownDevices = new Map<string, DeviceState>();
  /** The limits in force as last resolved, and from which overrides and patient. */
  private resolved: { overrides: BedLimitsOverrides; patient: Patient | null; limits: EffectiveLimits } | null = null;

  constructor(readonly bedId: string) {}

  /**
   * The alarm limits in force: the specialist's overrides over the defaults for this patient.
   * Resolved again only when either changed (alarms and the flow-event detector ask on every message).
   */
  limits(): EffectiveLimits {
    const r = this.resolved;
    if (r && r.overrides === this.limitOverrides && r.patient === this.patient) return r.limits;
    const limits = resolveLimits(this.limitOverrides, this.patient);
    this.resolved = { overrides: this.limitOverrides, patient: this.patient, limits };
    return limits;
  }

  /**
   * Places one sample at its time. Returns true when it became the signal's newest value (a late
   * sample is kept in history but does not replace a newer `latest`).
   */
  addSample(signal: string, tsMs: number, value: number | null, source: string, skew: boolean, arrivedAtMs = tsMs): boolean {
    let ring = this.rings.get(signal);
    if (!ring) {
      ring = new TimeRing(RING_CAPACITY);
      this.rings.set(signal, ring);
    }
    ring.insert(tsMs, value ?? NaN);
    if (value !== null && source === 'lab' && signal.endsWith('.lactate')) this.addLactate(tsMs, value, signal);
    const current = this.latest.get(signal);
    if (current && current.ts >= tsMs) {
      // The newest value was stamped ahead of its arrival (a device clock running fast, within the
      // skew bound): a correctly timed value that arrives after it still takes its place.
      const arrived = this.aheadArrivals.get(signal);
      if (arrived === undefined || tsMs < arrived) return false;
    }
    const lv: LatestValue = { value, ts: tsMs, source };
    if (skew) lv.skew = true;
    this.latest.set(signal, lv);
    if (tsMs > arrivedAtMs) this.aheadArrivals.set(signal, arrivedAtMs);
    else if (this.aheadArrivals.size) this.aheadArrivals.delete(signal);
    return true;
  }

  setPump(channel: string, message: PumpMessage, tsMs: number): boolean {
    const current = this.pumps.get(channel);
    if (current && current.tsMs >= tsMs) return false;
    this.pumps.set(channel, { ...message, channel, tsMs });
    return true;
  }

  /** When any streaming device of the bed last sent data, server clock (0: never). */
  lastDataAtMs(): number {
    let last = 0;
    for (const d of this.devices.values()) if (d.lastDataAtMs > last) last = d.lastDataAtMs;
    return last;
  }

  /** Notes a data message from a streaming device. */
  touchDevice(device: string, nowMs: number): void {
    const d = this.presence(device);
    d.lastDataAtMs = nowMs;
    d.sentData = true;
    if (d.status === null) d.status = 'online';
  }

  /** Notes a device that reports rarely (the lab): present and online until it says otherwise. */
  noteDevice(device: string): void {
    const d = this.presence(device);
    if (d.status === null) d.status = 'online';
  }

  /**
   * A device's status (its retained status or last will). Saying `online` is a sign of life: the
   * device counts as heard then, and turns stale only if no data follows within its silence limit.
   */
  setDeviceStatus(device: string, status: 'online' | 'offline', nowMs: number): void {
    const d = this.presence(device);
    d.status = status;
    if (status === 'online') d.lastDataAtMs = Math.max(d.lastDataAtMs, nowMs);
  }

  /** Re-evaluates what each device shows (online, offline, stale); true when anything changed. */
  refreshDeviceStates(nowMs: number): boolean {
    let changed = false;
    for (const name of this.devices.keys()) {
      const state = this.deviceState(name, nowMs) as DeviceState;
      if (this.shownDevices.get(name) !== state) {
        this.shownDevices.set(name, state);
        changed = true;
      }
    }
    return changed;
  }

  deviceState(device: string, nowMs: number): DeviceState | undefined {
    const d = this.devices.get(device);
    if (!d) return undefined;
    if (d.status === 'offline') return 'offline';
    // The lab publishes hours apart, and its silence is normal: it is online until it says otherwise.
    if (device === 'lab') return 'online';
    // Pump channels report while they exist: a pump module that is online with no channel yet has
    // nothing to say, and its silence means nothing until its first channel has spoken.
    if (device === 'pump' && !d.sentData) return 'online';
    const silence = (DEVICE_SILENCE_S[device] ?? DEVICE_SILENCE_S.monitor) * 1000;
    if (d.lastDataAtMs === 0 || nowMs - d.lastDataAtMs > silence) return 'stale';
    return 'online';
  }

  deviceStates(nowMs: number): Record<string, DeviceState> {
    const out: Record<string, DeviceState> = {};
    for (const name of this.devices.keys()) out[name] = this.deviceState(name, nowMs) as DeviceState;
    return out;
  }

  /** Notes a rejected message of this bed (its topic named the bed). */
  noteRejection(nowMs: number): void {
    this.rejects.push(nowMs);
    if (this.rejects.length > REJECTS_KEPT) this.rejects.shift();
  }

  /** Rejected messages that arrived at or after `sinceMs`. */
  rejectsSince(sinceMs: number): number {
    let n = 0;
    for (let i = this.rejects.length - 1; i >= 0 && this.rejects[i] >= sinceMs; i--) n++;
    return n;
  }

  latestObject(): Record<string, LatestValue> {
    return Object.fromEntries(this.latest);
  }

  private presence(device: string): DevicePresence {
    let d = this.devices.get(device);
    if (!d) {
      d = { status: null, lastDataAtMs: 0, sentData: false };
      this.devices.set(device, d);
    }
    return d;
  }

  private addLactate(ts: number, value: number, signal: string): void {
    const site = signal.split('.')[1] ?? 'unknown';
    const list = this.lactates;
    let i = list.length;
    while (i > 0 && list[i - 1].ts > ts) i--;
    if (i > 0 && list[i - 1].ts === ts && list[i - 1].site === site) return;
    list.splice(i, 0, { ts, value, site });
    if (list.length > LACTATE_KEEP) list.shift();
  }
}
