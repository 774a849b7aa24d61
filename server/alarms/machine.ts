// One alarm's life at one bed (docs/clinical.md section 4; IEC 60601-1-8 priorities and latching):
//
//   inactive → pending (condition true, onset delay running) → active
//   active → clearing (condition false and past the hysteresis margin) → cleared after 5 s
//
// High alarms latch: once cleared they stay `latched` until acknowledged. Acknowledging records who
// and when and never hides a condition still present. An `unknown` condition (a stale or missing
// input) neither raises nor clears. Pure: every step gets `nowMs`.
import { HYSTERESIS, type AlarmDef } from '../../shared/alarms.js';
import type { Alarm, AlarmPriority } from '../../shared/protocol.js';
import type { Condition } from './types.js';

export type Phase = 'inactive' | 'pending' | 'active' | 'clearing';

const RANK: Record<AlarmPriority, number> = { low: 0, medium: 1, high: 2 };
const BY_RANK: readonly AlarmPriority[] = ['low', 'medium', 'high'];
const MS_PER_S = 1000;
const HOLD_MS = HYSTERESIS.holdS * MS_PER_S;

/** Deterministic alarm id: a replay of the same inputs after a restart gives the same ids. */
export function alarmId(bedId: string, key: string, raisedAt: number): string {
  return `${bedId}:${key}:${raisedAt}`;
}

/** The bed an alarm id names (what comes before its first `:`), or null for a malformed id. */
export function bedOfAlarmId(id: string): string | null {
  const end = id.indexOf(':');
  return end > 0 ? id.slice(0, end) : null;
}

/** True when a false condition is clear of the hysteresis band (section 4). */
function pastHysteresis(c: Condition): boolean {
  if (c.clearsAt === undefined) return true;
  if (c.value === null) return false;
  return c.direction === 'high' ? c.value <= c.clearsAt : c.value >= c.clearsAt;
}

export class AlarmMachine {
  phase: Phase = 'inactive';
  /** The current episode's alarm (pending: none yet). */
  private alarm: Alarm | null = null;
  /** Cleared high alarms not yet acknowledged, oldest first. */
  private readonly latched: Alarm[] = [];
  /**
   * since[r]: start of the current run in which the condition has called for priority rank ≥ r
   * (NaN: not in such a run). Raising and escalating both need their rank held for the delay.
   */
  private readonly since = [NaN, NaN, NaN];
  private clearingSinceMs = NaN;
  /** "On result" alarms: measurement time of the newest result already judged. */
  private judgedResultTs = -Infinity;
  private readonly delayMs: number;
  private readonly minRank: number;

  constructor(
    readonly bedId: string,
    readonly def: AlarmDef,
  ) {
    this.delayMs = def.delayS * MS_PER_S;
    this.minRank = RANK[def.priorities[0]];
  }

  /**
   * Whether a step with a condition that is not true would change nothing: inactive, no run of a
   * true condition under way, and no result to note ("on result" alarms note every result judged).
   * The bed's evaluation skips such steps: most alarms of most beds rest.
   */
  resting(): boolean {
    return (
      this.phase === 'inactive' &&
      !this.def.onResult &&
      Number.isNaN(this.since[0]) &&
      Number.isNaN(this.since[1]) &&
      Number.isNaN(this.since[2])
    );
  }

  /**
   * Advances the machine by one evaluation. Returns a copy of the alarm when its state, priority or
   * latch changed (raised, escalated, cleared), else null.
   */
  step(c: Condition, nowMs: number): Alarm | null {
    let changed: Alarm | null = null;
    if (c.state === 'true') changed = this.whileTrue(c, nowMs);
    else if (c.state === 'false') changed = this.whileFalse(c, nowMs);
    else this.whileUnknown();
    if (this.def.onResult && c.state !== 'unknown' && c.resultTs !== undefined && c.resultTs > this.judgedResultTs)
      this.judgedResultTs = c.resultTs;
    return changed;
  }

  private whileTrue(c: Condition, nowMs: number): Alarm | null {
    const rank = RANK[c.priority];
    for (let r = 0; r < 3; r++) {
      if (r > rank) this.since[r] = NaN;
      else if (Number.isNaN(this.since[r])) this.since[r] = nowMs;
    }
    switch (this.phase) {
      case 'inactive':
        // "On result" (section 4): only a result not judged before can raise; an old result does
        // not raise because a limit or the FdO2 changed around it.
        if (this.def.onResult && !(c.resultTs !== undefined && c.resultTs > this.judgedResultTs)) return null;
        this.phase = 'pending';
        return this.raiseIfHeld(c, nowMs);
      case 'pending':
        return this.raiseIfHeld(c, nowMs);
      case 'clearing':
        this.phase = 'active';
        this.clearingSinceMs = NaN;
        return this.escalateIfHeld(c, nowMs);
      case 'active':
        return this.escalateIfHeld(c, nowMs);
    }
  }

  private whileFalse(c: Condition, nowMs: number): Alarm | null {
    this.dropPendingRanks();
    switch (this.phase) {
      case 'inactive':
        return null;
      case 'pending':
        this.phase = 'inactive';
        return null;
      case 'active':
        // Back inside the limit but within the margin: still active (section 4, hysteresis).
        if (!pastHysteresis(c)) return null;
        this.phase = 'clearing';
        this.clearingSinceMs = nowMs;
        return HOLD_MS <= 0 ? this.clear(nowMs) : null;
      case 'clearing':
        if (!pastHysteresis(c)) {
          this.phase = 'active';
          this.clearingSinceMs = NaN;
          return null;
        }
        return nowMs - this.clearingSinceMs >= HOLD_MS ? this.clear(nowMs) : null;
    }
  }

  /** A stale or missing input neither raises nor clears (section 4). */
  private whileUnknown(): void {
    this.dropPendingRanks();
    if (this.phase === 'pending') this.phase = 'inactive';
    else if (this.phase === 'clearing') {
      this.phase = 'active';
      this.clearingSinceMs = NaN;
    }
  }

  /** Forgets runs that have not yet become the alarm's priority (a pending onset, a pending escalation). */
  private dropPendingRanks(): void {
    const keep = this.alarm && this.alarm.state === 'active' ? RANK[this.alarm.priority] : -1;
    for (let r = keep + 1; r < 3; r++) this.since[r] = NaN;
  }

  /** The highest priority whose run has lasted the onset delay, or -1. */
  private heldRank(nowMs: number): number {
    for (let r = 2; r >= this.minRank; r--) if (!Number.isNaN(this.since[r]) && nowMs - this.since[r] >= this.delayMs) return r;
    return -1;
  }

  private raiseIfHeld(c: Condition, nowMs: number): Alarm | null {
    const rank = this.heldRank(nowMs);
    if (rank < 0) return null;
    const alarm: Alarm = {
      id: alarmId(this.bedId, this.def.key, nowMs),
      bedId: this.bedId,
      key: this.def.key,
      kind: this.def.kind,
      priority: BY_RANK[rank],
      message: c.message,
      value: c.value,
      limit: c.limit,
      state: 'active',
      latched: false,
      raisedAt: nowMs,
      clearedAt: null,
      ackedBy: null,
      ackedAt: null,
    };
    this.alarm = alarm;
    this.phase = 'active';
    return { ...alarm };
  }

  /**
   * Priority rises within the episode (section 4: venous saturation, hypotension): the same alarm,
   * its priority raised, never a second alarm. It never falls back within the episode. A rise is new
   * information, so an earlier acknowledgement no longer covers it.
   */
  private escalateIfHeld(c: Condition, nowMs: number): Alarm | null {
    const alarm = this.alarm!;
    const rank = this.heldRank(nowMs);
    if (rank <= RANK[alarm.priority]) return null;
    alarm.priority = BY_RANK[rank];
    alarm.message = c.message;
    alarm.value = c.value;
    alarm.limit = c.limit;
    alarm.ackedBy = null;
    alarm.ackedAt = null;
    return { ...alarm };
  }

  /**
   * Ends the episode. A high alarm latches unless it was acknowledged while active: the operator has
   * then already seen it (IEC 60601-1-8 latching: held until deliberate operator action).
   */
  private clear(nowMs: number): Alarm {
    const alarm = this.alarm!;
    alarm.state = 'cleared';
    alarm.clearedAt = nowMs;
    alarm.latched = alarm.priority === 'high' && alarm.ackedAt == null;
    if (alarm.latched) this.latched.push(alarm);
    this.alarm = null;
    this.phase = 'inactive';
    this.clearingSinceMs = NaN;
    this.since[0] = this.since[1] = this.since[2] = NaN;
    return { ...alarm };
  }

  /**
   * Acknowledges one of this machine's alarms. An active alarm stays active (acknowledging never hides
   * a present condition); a latched one stops being latched. The first acknowledgement is kept.
   * Returns a copy of the alarm, or null when this machine does not hold that id.
   */
  acknowledge(id: string, by: string, atMs: number): Alarm | null {
    if (this.alarm && this.alarm.id === id) {
      if (this.alarm.ackedAt == null) {
        this.alarm.ackedBy = by;
        this.alarm.ackedAt = atMs;
      }
      return { ...this.alarm };
    }
    const i = this.latched.findIndex((a) => a.id === id);
    if (i < 0) return null;
    const alarm = this.latched[i];
    this.latched.splice(i, 1);
    alarm.latched = false;
    alarm.ackedBy = by;
    alarm.ackedAt = atMs;
    return { ...alarm };
  }

  /** Adds this machine's active or latched alarms (copies) to `out`. */
  collect(out: Alarm[]): void {
    for (const a of this.latched) out.push({ ...a });
    if (this.alarm) out.push({ ...this.alarm });
  }

  /** Adds this machine's active or latched alarms to the counts, without copying. */
  count(counts: Record<AlarmPriority, number>): void {
    for (const a of this.latched) counts[a.priority]++;
    if (this.alarm) counts[this.alarm.priority]++;
  }

  /**
   * Reinstates a recorded alarm after a restart: an active one becomes this episode (the newest wins),
   * a cleared latched one waits for its acknowledgement again. Anything else is history only.
   */
  restore(a: Alarm): void {
    if (a.state === 'active') {
      if (this.alarm && this.alarm.raisedAt >= a.raisedAt) return;
      this.alarm = { ...a, latched: false };
      this.phase = 'active';
      this.clearingSinceMs = NaN;
      const rank = RANK[a.priority];
      for (let r = 0; r < 3; r++) this.since[r] = r <= rank ? a.raisedAt : NaN;
    } else if (a.latched && !this.latched.some((l) => l.id === a.id)) {
      this.latched.push({ ...a });
      this.latched.sort((x, y) => x.raisedAt - y.raisedAt);
    }
  }
}
