// The alarms of every bed, and of the ward itself (the broker link). Assembles each bed's alarm
// inputs from state (newest values, devices, limits) and calc (derived values, window means), so
// the pipeline's one step can call `evaluate` after every change. Knows no transport.
import { resolveLimits, type EffectiveLimits } from '../../shared/alarms.js';
import { maxAgeOfSignal } from '../../shared/catalogue.js';
import type { Alarm, AlarmCounts } from '../../shared/protocol.js';
import type { CalcEngine } from '../calc/engine.js';
import type { BedState } from '../state/bed.js';
import { BedAlarms } from './engine.js';
import type { AlarmInputs } from './types.js';

/** The bedId of ward-wide alarms: not a valid bed name, so it never meets a real bed. */
export const WARD = '*';
const BROKER_KEY = 'brokerDisconnected';

export class WardAlarms {
  private readonly beds = new Map<string, BedAlarms>();
  private readonly limits = new Map<
    string,
    { limits: EffectiveLimits; overrides: BedState['limitOverrides']; patient: BedState['patient'] }
  >();
  private broker: Alarm | null = null;

  constructor(private readonly calc: CalcEngine) {}

  /**
   * Evaluates a bed's alarms after a change; returns those whose state changed. `listeningS`: how
   * long the server has heard the broker; shorter than a device's silence limit, that device's
   * silence is unknown (it neither raises nor clears a technical alarm).
   */
  evaluate(bed: BedState, nowMs: number, listeningS: number): Alarm[] {
    return this.of(bed.bedId).evaluate(this.inputsOf(bed, nowMs, listeningS));
  }

  acknowledge(id: string, by: string, atMs: number): Alarm | null {
    if (this.broker?.id === id) {
      if (this.broker.state === 'cleared') {
        const acked = { ...this.broker, latched: false, ackedBy: by, ackedAt: atMs };
        this.broker = null;
        return acked;
      }
      this.broker = { ...this.broker, ackedBy: by, ackedAt: atMs };
      return this.broker;
    }
    const bedId = id.slice(0, id.indexOf(':'));
    return this.beds.get(bedId)?.acknowledge(id, by, atMs) ?? null;
  }

  /** Active and latched alarms of one bed, newest first. */
  current(bedId: string): Alarm[] {
    return this.beds.get(bedId)?.current() ?? [];
  }

  counts(bedId: string): AlarmCounts {
    return this.beds.get(bedId)?.counts() ?? { high: 0, medium: 0, low: 0 };
  }

  /** Ward-wide alarms now shown (the broker link). */
  ward(): Alarm[] {
    return this.broker ? [this.broker] : [];
  }

  /** Reinstates recorded open alarms after a restart. */
  restore(alarms: readonly Alarm[]): void {
    for (const a of alarms) {
      if (a.bedId === WARD) {
        if (a.key === BROKER_KEY) this.broker = a;
      } else this.of(a.bedId).restore([a]);
    }
  }

  /**
   * The link to the broker changed: one ward-wide technical alarm (high: no device data can arrive)
   * instead of every bed's devices falling silent one by one. Latches until acknowledged.
   */
  brokerChanged(connected: boolean, nowMs: number): Alarm | null {
    if (!connected) {
      if (this.broker?.state === 'active') return null;
      this.broker = {
        id: `${WARD}:${BROKER_KEY}:${nowMs}`,
        bedId: WARD,
        key: BROKER_KEY,
        kind: 'technical',
        priority: 'high',
        message: 'Connection to the MQTT broker lost: no device data can arrive',
        value: null,
        limit: null,
        state: 'active',
        latched: false,
        raisedAt: nowMs,
        clearedAt: null,
        ackedBy: null,
        ackedAt: null,
      };
      return this.broker;
    }
    if (this.broker?.state !== 'active') return null;
    const acked = this.broker.ackedBy !== null && this.broker.ackedBy !== undefined;
    const cleared: Alarm = { ...this.broker, state: 'cleared', clearedAt: nowMs, latched: !acked };
    this.broker = acked ? null : cleared;
    return cleared;
  }

  forget(bedId: string): void {
    this.beds.delete(bedId);
    this.limits.delete(bedId);
  }

  private of(bedId: string): BedAlarms {
    let a = this.beds.get(bedId);
    if (!a) {
      a = new BedAlarms(bedId);
      this.beds.set(bedId, a);
    }
    return a;
  }

  /** Effective limits, resolved again only when the bed's overrides or patient changed. */
  private limitsOf(bed: BedState): EffectiveLimits {
    const cached = this.limits.get(bed.bedId);
    if (cached && cached.overrides === bed.limitOverrides && cached.patient === bed.patient) return cached.limits;
    const limits = resolveLimits(bed.limitOverrides, bed.patient);
    this.limits.set(bed.bedId, { limits, overrides: bed.limitOverrides, patient: bed.patient });
    return limits;
  }

  private inputsOf(bed: BedState, nowMs: number, listeningS: number): AlarmInputs {
    return {
      nowMs,
      bedId: bed.bedId,
      patient: bed.patient,
      latest: (s) => bed.latest.get(s),
      maxAgeS: maxAgeOfSignal,
      derived: this.calc.derivedOf(bed),
      rOxyMean1h: this.calc.rOxyMean1h(bed, nowMs),
      devices: bed.deviceStates(nowMs),
      listeningS,
      rejectsLastMinute: bed.rejectsSince(nowMs - 60_000),
      limits: this.limitsOf(bed),
    };
  }
}
