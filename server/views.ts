// What the outside sees of a bed: the REST and Socket.IO shapes of shared/protocol.ts, assembled
// from state and calc. Read-only; nothing here changes a bed.
import type {
  Alarm,
  AlarmCounts,
  BedDetail,
  BedSnapshot,
  BedSummary,
  BedUpdate,
  Infusion,
  LatestValue,
  DerivedValue,
  SeriesColumns,
} from '../shared/protocol.js';
import { MAX_SNAPSHOT_HISTORY_S } from '../shared/schemas.js';
import type { WardAlarms } from './alarms/ward.js';
import type { CalcEngine } from './calc/engine.js';
import type { BedState } from './state/bed.js';

/** Default depth of the history a `watch` snapshot carries. */
const SNAPSHOT_HISTORY_S = 5 * 60;

export class Views {
  constructor(
    private readonly calc: CalcEngine,
    private readonly alarmsOf: Pick<WardAlarms, 'current' | 'counts'>,
  ) {}

  alarms(bed: BedState): Alarm[] {
    return this.alarmsOf.current(bed.bedId);
  }

  alarmCounts(bed: BedState): AlarmCounts {
    return this.alarmsOf.counts(bed.bedId);
  }

  summary(bed: BedState, nowMs: number): BedSummary {
    return { bedId: bed.bedId, patient: bed.patient, devices: bed.deviceStates(nowMs), alarms: this.alarmCounts(bed) };
  }

  infusions(bed: BedState): Infusion[] {
    return this.calc.infusionsOf(bed);
  }

  detail(bed: BedState, nowMs: number): BedDetail {
    return {
      bedId: bed.bedId,
      patient: bed.patient,
      latest: bed.latestObject(),
      derived: this.calc.derivedOf(bed),
      alarms: this.alarms(bed),
      devices: bed.deviceStates(nowMs),
      infusions: this.infusions(bed),
      stats: this.calc.statsOf(bed, nowMs),
      serverNow: nowMs,
    };
  }

  /** A watch's snapshot; `seq` is the stream's sequence number of the bed's last update. */
  snapshot(bed: BedState, nowMs: number, seq: number, historyS = SNAPSHOT_HISTORY_S, signals?: readonly string[]): BedSnapshot {
    const history: Record<string, SeriesColumns> = {};
    const from = nowMs - Math.min(historyS, MAX_SNAPSHOT_HISTORY_S) * 1000;
    for (const [signal, ring] of bed.rings) {
      if (signals && !signals.includes(signal)) continue;
      history[signal] = ring.slice(from);
    }
    return { ...this.detail(bed, nowMs), history, seq };
  }

  /** The delta of one `bed:update`: what changed since the last one, as the pipeline said. */
  update(bed: BedState, change: PendingChange, nowMs: number, seq: number): BedUpdate {
    const latest: Record<string, LatestValue> = {};
    let ts = 0;
    for (const s of change.signals) {
      const v = bed.latest.get(s);
      if (v) {
        latest[s] = v;
        if (v.ts > ts) ts = v.ts;
      }
    }
    const derived: Record<string, DerivedValue> = {};
    if (change.derived.size) {
      const all = this.calc.derivedOf(bed);
      for (const k of change.derived) if (all[k]) derived[k] = all[k];
    }
    const u: BedUpdate = { bedId: bed.bedId, ts: ts || nowMs, seq, serverNow: nowMs, latest, derived };
    if (change.devices) u.devices = bed.deviceStates(nowMs);
    if (change.infusions) u.infusions = this.infusions(bed);
    if (change.patient) u.patient = bed.patient;
    if (change.alarms) u.alarms = this.alarms(bed);
    return u;
  }
}

/** The changes of a bed gathered for its next `bed:update`. */
export interface PendingChange {
  signals: Set<string>;
  derived: Set<string>;
  devices: boolean;
  infusions: boolean;
  patient: boolean;
  alarms: boolean;
}
