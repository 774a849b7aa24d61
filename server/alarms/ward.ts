// The alarms of every bed, and of the ward itself (the broker link, the recording). Assembles each bed's alarm
// inputs from state (newest values, devices, limits) and calc (derived values, window means), so
// the pipeline's one step can call `evaluate` after every change. Knows no transport.
import type { EffectiveLimits } from '../../shared/alarms.js';
import { maxAgeOfSignal } from '../../shared/catalogue.js';
import type { Alarm, AlarmCounts } from '../../shared/protocol.js';
import type { CalcEngine } from '../calc/engine.js';
import type { BedState } from '../state/bed.js';
import { BedAlarms } from './engine.js';
import { bedOfAlarmId } from './machine.js';
import type { AlarmInputs } from './types.js';

/** The bedId of ward-wide alarms: not a valid bed name, so it never meets a real bed. */
export const WARD = '*';

/**
 * Ward-wide technical alarms: conditions of the system, not of a patient. The broker link is high
 * (no device data can arrive, every bed is blind); a failing recording medium (live monitoring goes
 * on from memory, but the research record is at risk until the disk accepts writes again); another
 * instance of a sharded ward not heard is high (its beds are blind).
 */
const WARD_ALARMS = {
  brokerDisconnected: { priority: 'high', message: 'Connection to the MQTT broker lost: no device data can arrive' },
  recordingFailing: {
    priority: 'medium',
    message: 'Recording failing: values are kept in memory until the disk accepts them again',
  },
  // Instances that split the beds: the beds of an instance not heard are monitored by nobody.
  instanceLost: {
    priority: 'high',
    message: 'Monitoring instance not heard: its beds get no new values and no alarms',
  },
} as const satisfies Record<string, { priority: Alarm['priority']; message: string }>;
type WardKey = keyof typeof WARD_ALARMS;
const isWardKey = (k: string): k is WardKey => Object.hasOwn(WARD_ALARMS, k);

export class WardAlarms {
  private readonly beds = new Map<string, BedAlarms>();
  private readonly wardAlarms = new Map<WardKey, Alarm>();
  private readonly inputs = new Map<string, BedInputs>();

  constructor(private readonly calc: CalcEngine) {}

  /**
   * Evaluates a bed's alarms after a change; returns those whose state changed. `listeningS`: how
   * long the server has heard the broker; shorter than a device's silence limit, that device's
   * silence is unknown (it neither raises nor clears a technical alarm). `derivedOnly`: the change
   * was a recompute of derived values alone (engine.ts).
   */
  evaluate(bed: BedState, nowMs: number, listeningS: number, derivedOnly = false): Alarm[] {
    return this.of(bed.bedId).evaluate(this.inputsOf(bed, nowMs, listeningS), derivedOnly);
  }

  acknowledge(id: string, by: string, atMs: number): Alarm | null {
    for (const [key, a] of this.wardAlarms) {
      if (a.id !== id) continue;
      if (a.state === 'cleared') {
        this.wardAlarms.delete(key);
        return { ...a, latched: false, ackedBy: by, ackedAt: atMs };
      }
      const acked = { ...a, ackedBy: by, ackedAt: atMs };
      this.wardAlarms.set(key, acked);
      return acked;
    }
    const bedId = bedOfAlarmId(id);
    return (bedId === null ? undefined : this.beds.get(bedId))?.acknowledge(id, by, atMs) ?? null;
  }

  /** Active and latched alarms of one bed, newest first. */
  current(bedId: string): Alarm[] {
    return this.beds.get(bedId)?.current() ?? [];
  }

  counts(bedId: string): AlarmCounts {
    return this.beds.get(bedId)?.counts() ?? { high: 0, medium: 0, low: 0 };
  }

  /** Ward-wide alarms now shown (the broker link, the recording), newest first. */
  ward(): Alarm[] {
    return [...this.wardAlarms.values()].sort((a, b) => b.raisedAt - a.raisedAt);
  }

  /** Reinstates recorded open alarms after a restart. */
  restore(alarms: readonly Alarm[]): void {
    for (const a of alarms) {
      if (a.bedId === WARD) {
        if (isWardKey(a.key)) this.wardAlarms.set(a.key, a);
      } else this.of(a.bedId).restore([a]);
    }
  }

  /**
   * The link to the broker changed: one ward-wide technical alarm (high: no device data can arrive)
   * instead of every bed's devices falling silent one by one. Latches until acknowledged.
   */
  brokerChanged(connected: boolean, nowMs: number): Alarm | null {
    return this.condition('brokerDisconnected', !connected, nowMs);
  }

  /** Writing to the recording started or stopped failing (disk full, read-only, I/O error). */
  recordingChanged(failing: boolean, nowMs: number, why?: string | null): Alarm | null {
    return this.condition('recordingFailing', failing, nowMs, why ?? undefined);
  }

  /** Another instance that splits the beds with this one stopped being heard, or is heard again. */
  instanceLostChanged(lost: boolean, nowMs: number, which?: string | null): Alarm | null {
    return this.condition('instanceLost', lost, nowMs, which ?? undefined);
  }

  /** A ward condition on or off: raises its alarm, or clears it (latched until acknowledged). */
  private condition(key: WardKey, on: boolean, nowMs: number, detail?: string): Alarm | null {
    const current = this.wardAlarms.get(key);
    if (on) {
      if (current?.state === 'active') return null;
      const def = WARD_ALARMS[key];
      const raised: Alarm = {
        id: `${WARD}:${key}:${nowMs}`,
        bedId: WARD,
        key,
        kind: 'technical',
        priority: def.priority,
        message: detail ? `${def.message} (${detail})` : def.message,
        value: null,
        limit: null,
        state: 'active',
        latched: false,
        raisedAt: nowMs,
        clearedAt: null,
        ackedBy: null,
        ackedAt: null,
      };
      this.wardAlarms.set(key, raised);
      return raised;
    }
    if (current?.state !== 'active') return null;
    const acked = current.ackedBy !== null && current.ackedBy !== undefined;
    const cleared: Alarm = { ...current, state: 'cleared', clearedAt: nowMs, latched: !acked };
    if (acked) this.wardAlarms.delete(key);
    else this.wardAlarms.set(key, cleared);
    return cleared;
  }

  forget(bedId: string): void {
    this.beds.delete(bedId);
    this.inputs.delete(bedId);
  }

  private of(bedId: string): BedAlarms {
    let a = this.beds.get(bedId);
    if (!a) {
      a = new BedAlarms(bedId);
      this.beds.set(bedId, a);
    }
    return a;
  }

  private inputsOf(bed: BedState, nowMs: number, listeningS: number): AlarmInputs {
    // One inputs object per bed, brought up to date for each evaluation (it runs on every message).
    let inp = this.inputs.get(bed.bedId);
    if (!inp || inp.bed !== bed) {
      inp = new BedInputs(bed, this.calc);
      this.inputs.set(bed.bedId, inp);
    }
    inp.nowMs = nowMs;
    inp.patient = bed.patient;
    inp.derived = this.calc.derivedOf(bed);
    inp.devices = bed.deviceStates(nowMs);
    inp.listeningS = listeningS;
    inp.rejectsLastMinute = bed.rejectsSince(nowMs - 60_000);
    inp.limits = bed.limits();
    return inp;
  }
}

/** A bed's alarm inputs, read from its state and calc: made once per bed, its fields set per evaluation. */
class BedInputs implements AlarmInputs {
  nowMs = 0;
  readonly bedId: string;
  patient: BedState['patient'] = null;
  readonly latest: AlarmInputs['latest'];
  readonly maxAgeS = maxAgeOfSignal;
  derived: AlarmInputs['derived'] = {};
  devices: AlarmInputs['devices'] = {};
  listeningS = 0;
  rejectsLastMinute = 0;
  limits!: EffectiveLimits;

  constructor(
    readonly bed: BedState,
    private readonly calc: CalcEngine,
  ) {
    this.bedId = bed.bedId;
    this.latest = bed.latestOf;
  }

  /**
   * Read only by the oxygenator alarm, and only on ECMO with the pressures known: the hour's windows
   * are then brought up to date, not on every message of every bed.
   */
  get rOxyMean1h(): number | null {
    return this.calc.rOxyMean1h(this.bed, this.nowMs);
  }
}
