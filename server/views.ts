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
import type { CalcEngine } from './calc/engine.js';
import type { BedState } from './state/bed.js';

/** Default depth of the history a `watch` snapshot carries. */
const SNAPSHOT_HISTORY_S = 5 * 60;
export class Views {
  constructor(private readonly calc: CalcEngine) {}

  alarms(_bed: BedState): Alarm[] {
    return [];
  }

  alarmCounts(bed: BedState): AlarmCounts {
    const counts: AlarmCounts = { high: 0, medium: 0, low: 0 };
    for (const a of this.alarms(bed)) if (a.state === 'active' || a.latched) counts[a.priority]++;
    return counts;
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
      derived: this.calc.derivedOf(bed, nowMs),
      alarms: this.alarms(bed),
      devices: bed.deviceStates(nowMs),
      infusions: this.infusions(bed),
      stats: this.calc.statsOf(bed, nowMs),
      serverNow: nowMs,
    };
  }

  snapshot(bed: BedState, nowMs: number, historyS = SNAPSHOT_HISTORY_S, signals?: readonly string[]): BedSnapshot {
    const history: Record<string, SeriesColumns> = {};
    const from = nowMs - Math.min(historyS, MAX_SNAPSHOT_HISTORY_S) * 1000;
    for (const [signal, ring] of bed.rings) {
      if (signals && !signals.includes(signal)) continue;
      history[signal] = ring.slice(from);
    }
    return { ...this.detail(bed, nowMs), history, seq: bed.updateSeq };
  }

  /** The delta of one `bed:update`; bumps the bed's update sequence. */
  update(
    bed: BedState,
    change: { signals: Set<string>; derived: boolean; devices: boolean; infusions: boolean; patient: boolean },
    nowMs: number,
  ): BedUpdate {
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
    if (change.derived) {
      const keys = this.calc.takeChanged(bed, nowMs);
      const all = this.calc.derivedOf(bed, nowMs);
      for (const k of keys) derived[k] = all[k];
    }
    const u: BedUpdate = { bedId: bed.bedId, ts: ts || nowMs, seq: ++bed.updateSeq, serverNow: nowMs, latest, derived };
    if (change.devices) u.devices = bed.deviceStates(nowMs);
    if (change.infusions) u.infusions = this.infusions(bed);
    if (change.patient) u.patient = bed.patient;
    return u;
  }
}
