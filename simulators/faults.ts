// Fault injection on one bed's message stream, on request (random, seeded) or on a scenario's
// schedule. Pure: the clean outputs of a second in, the disturbed ones out. Each injected message
// carries `fault` so tests (and logs) can tell what was done.
import { PARAMS } from '../shared/catalogue.js';
import type { Device } from '../shared/topics.js';
import type { FaultName } from './faultNames.js';
import { statusOutput, type PublishOutput, type SimOutput } from './messages.js';
import type { Random } from './random.js';
import type { ScheduledFault } from './scenarios/index.js';

/** Mean time between two faults of one kind on one bed when requested (simulated seconds). */
const DEFAULT_FAULT_MEAN_INTERVAL_S = 600;
const FIRST_FAULT_WITHIN_S: [number, number] = [10, 90];
const MIN_FAULT_GAP_S = 30;

interface PendingFault {
  fault: FaultName;
  device?: Device;
  durationS?: number;
}

interface Silence {
  untilS: number;
  reconnect: boolean;
}

export interface FaultInjectorOptions {
  bedId: string;
  random: Random;
  requested: readonly FaultName[];
  scheduled: readonly ScheduledFault[];
  /** Scenario time at run time 0. */
  offsetS: number;
  startMs: number;
  meanIntervalS?: number;
}

const isData = (o: SimOutput): o is PublishOutput => o.kind === 'publish' && o.stream !== 'status';
/** Untouched numerics: a message carries at most one injected fault. */
const isNumerics = (o: SimOutput): o is PublishOutput => isData(o) && o.stream === 'numerics' && !o.fault && typeof o.payload !== 'string';

export class FaultInjector {
  private readonly random: Random;
  private readonly meanIntervalS: number;
  private readonly nextRandomAt = new Map<FaultName, number>();
  private readonly scheduled: ScheduledFault[];
  private pending: PendingFault[] = [];
  private readonly silenced = new Map<Device, Silence>();
  private readonly skewed = new Map<Device, { untilS: number; offsetMs: number }>();
  /** Lab results wait out a lab outage and are delivered after it (store and forward). */
  private heldLab: PublishOutput[] = [];
  private heldOutOfOrder: PublishOutput | null = null;
  private readonly online = new Set<Device>();

  constructor(private readonly o: FaultInjectorOptions) {
    this.random = o.random;
    this.meanIntervalS = o.meanIntervalS ?? DEFAULT_FAULT_MEAN_INTERVAL_S;
    for (const f of o.requested) this.nextRandomAt.set(f, this.random.uniform(...FIRST_FAULT_WITHIN_S));
    // Only what lies in the run's future; a schedule before the start already happened.
    this.scheduled = o.scheduled.filter((f) => f.atS >= o.offsetS).sort((a, b) => a.atS - b.atS);
  }

  apply(tS: number, outputs: SimOutput[]): SimOutput[] {
    const atMs = this.o.startMs + tS * 1000;
    for (const [fault, at] of this.nextRandomAt) {
      if (at > tS) continue;
      this.pending.push({ fault });
      this.nextRandomAt.set(fault, tS + Math.max(MIN_FAULT_GAP_S, this.random.exponential(this.meanIntervalS)));
    }
    while (this.scheduled.length > 0 && this.scheduled[0].atS <= this.o.offsetS + tS) {
      const f = this.scheduled.shift()!;
      this.pending.push({ fault: f.fault, device: f.device, durationS: f.durationS });
    }

    let out: SimOutput[] = [];
    // Ends of outages first: the device reconnects before its data of this second.
    for (const [device, s] of this.silenced) {
      if (s.untilS > tS) continue;
      this.silenced.delete(device);
      if (s.reconnect) out.push({ kind: 'connect', atMs, bedId: this.o.bedId, device }, statusOutput(atMs, this.o.bedId, device, 'online'));
      if (device === 'lab') out.push(...this.heldLab.splice(0));
    }
    for (const [device, s] of this.skewed) if (s.untilS <= tS) this.skewed.delete(device);
    out.push(...outputs);
    for (const o of outputs) {
      if (o.kind === 'connect') this.online.add(o.device);
      else if (o.kind === 'disconnect') this.online.delete(o.device);
    }

    this.pending = this.pending.filter((p) => {
      const applied = this.inject(p, tS, atMs, out);
      if (applied) out = applied;
      return !applied;
    });
    return this.filterAndDisturb(out);
  }

  /** The last outputs of a run: a held message is still delivered; devices already gone leave no second goodbye. */
  finish(outputs: SimOutput[]): SimOutput[] {
    const out: SimOutput[] = this.heldOutOfOrder ? [this.heldOutOfOrder] : [];
    this.heldOutOfOrder = null;
    for (const o of outputs) {
      const s = this.silenced.get(o.device);
      if (s?.reconnect) continue;
      out.push(o);
    }
    return out;
  }

  /** Tries one fault on this second's outputs; the new outputs, or null to try again next second. */
  private inject(p: PendingFault, tS: number, atMs: number, out: SimOutput[]): SimOutput[] | null {
    const r = this.random;
    const live = (o: SimOutput) => !this.silenced.has(o.device) && (p.device === undefined || o.device === p.device);
    switch (p.fault) {
      case 'malformed':
      case 'out-of-range': {
        const target = out.findIndex((o) => isNumerics(o) && live(o));
        if (target < 0) return null;
        const copy = [...out];
        copy[target] =
          p.fault === 'malformed' ? this.malformed(out[target] as PublishOutput) : this.outOfRange(out[target] as PublishOutput);
        return copy;
      }
      case 'duplicate': {
        const target = out.findIndex((o) => isData(o) && !o.fault && live(o));
        if (target < 0) return null;
        const copy = [...out];
        copy.splice(target + 1, 0, { ...(out[target] as PublishOutput), fault: 'duplicate' });
        return copy;
      }
      case 'out-of-order': {
        if (this.heldOutOfOrder) return null;
        const target = out.findIndex((o) => isNumerics(o) && live(o));
        if (target < 0) return null;
        this.heldOutOfOrder = { ...(out[target] as PublishOutput), fault: 'out-of-order' };
        return out.filter((_, i) => i !== target);
      }
      case 'dropout':
      case 'disconnect':
      case 'clock-skew': {
        const devices = [...new Set(out.filter((o) => isData(o) && live(o) && o.device !== 'lab').map((o) => o.device))];
        const device = p.device ?? (devices.length > 0 ? r.pick(devices) : undefined);
        if (!device || this.silenced.has(device) || !this.online.has(device)) return null;
        if (p.fault === 'clock-skew') {
          const offsetMs = Math.round(r.uniform(2, 10) * 60) * 1000;
          this.skewed.set(device, { untilS: tS + (p.durationS ?? Math.round(r.uniform(60, 180))), offsetMs });
          return out;
        }
        const durationS = p.durationS ?? Math.round(p.fault === 'dropout' ? r.uniform(15, 60) : r.uniform(20, 90));
        this.silenced.set(device, { untilS: tS + durationS, reconnect: p.fault === 'disconnect' });
        if (p.fault === 'dropout') return out;
        return [{ kind: 'disconnect', atMs, bedId: this.o.bedId, device, abrupt: true, fault: 'disconnect' }, ...out];
      }
    }
  }

  private filterAndDisturb(out: SimOutput[]): SimOutput[] {
    const result: SimOutput[] = [];
    for (const o of out) {
      const silence = this.silenced.get(o.device);
      if (silence && !(o.kind === 'disconnect' && o.abrupt)) {
        if (o.kind === 'publish' && o.device === 'lab' && o.stream === 'result') this.heldLab.push(o);
        continue;
      }
      const skew = this.skewed.get(o.device);
      const disturbed =
        skew && o.kind === 'publish' && typeof o.payload !== 'string'
          ? { ...o, payload: { ...o.payload, ts: (o.payload.ts as number) + skew.offsetMs }, fault: o.fault ?? ('clock-skew' as const) }
          : o;
      result.push(disturbed);
      const held = this.heldOutOfOrder;
      if (held && o !== held && o.kind === 'publish' && o.device === held.device && o.stream === held.stream && o.bedId === held.bedId) {
        result.push(held);
        this.heldOutOfOrder = null;
      }
    }
    return result;
  }

  private malformed(o: PublishOutput): PublishOutput {
    const text = JSON.stringify(o.payload);
    // A frame cut short: valid JSON up to a point, then nothing.
    return { ...o, payload: text.slice(0, Math.max(5, Math.floor(text.length * this.random.uniform(0.3, 0.8)))), fault: 'malformed' };
  }

  private outOfRange(o: PublishOutput): PublishOutput {
    const payload = o.payload as { values: Record<string, number | null> };
    const keys = Object.keys(payload.values).filter((k) => payload.values[k] !== null && k in PARAMS);
    const key = this.random.pick(keys) as keyof typeof PARAMS;
    const def = PARAMS[key];
    const value = Math.round(def.max + (def.max - def.min) * this.random.uniform(0.1, 0.5));
    return { ...o, payload: { ...payload, values: { ...payload.values, [key]: value } }, fault: 'out-of-range' };
  }
}
