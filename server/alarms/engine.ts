// The alarms of one bed: every default alarm's condition (conditions.ts) fed to its state machine
// (machine.ts). Pure: the caller passes inputs with their `nowMs`, records and streams what changed.
// `evaluate` runs on every input change of a bed, so it reuses its condition objects and allocates
// only for alarms that change.
import { ALARMS, alarmDef } from '../../shared/alarms.js';
import type { Alarm, AlarmCounts } from '../../shared/protocol.js';
import { conditionsInOrder, createConditionSet, evaluateConditions, type ConditionSet } from './conditions.js';
import { AlarmMachine } from './machine.js';
import type { AlarmInputs } from './types.js';

export class BedAlarms {
  private readonly machines: AlarmMachine[];
  private readonly byKey = new Map<string, AlarmMachine>();
  private readonly conditions: ConditionSet = createConditionSet();
  private readonly inOrder = conditionsInOrder(this.conditions);

  constructor(readonly bedId: string) {
    this.machines = ALARMS.map((def) => new AlarmMachine(bedId, def));
    for (const m of this.machines) this.byKey.set(m.def.key, m);
  }

  /**
   * Evaluates every alarm; returns the alarms whose state, priority or latch changed (whole objects).
   * `derivedOnly`: only derived values changed, so only the conditions that read them are judged
   * again; every machine still steps on its condition (onset delays and clearing holds run on time).
   */
  evaluate(inputs: AlarmInputs, derivedOnly = false): Alarm[] {
    evaluateConditions(inputs, this.conditions, derivedOnly);
    let changed: Alarm[] | null = null;
    // Machines and conditions both in catalogue order.
    const conditions = this.inOrder;
    for (let i = 0; i < this.machines.length; i++) {
      const m = this.machines[i];
      const c = conditions[i];
      // A resting machine stays as it is unless its condition holds (machine.ts, `resting`).
      if (c.state !== 'true' && m.resting()) continue;
      const a = m.step(c, inputs.nowMs);
      if (a) (changed ??= []).push(a);
    }
    return changed ?? [];
  }

  /** The conditions of the last evaluation (for a view of why an alarm is or is not raised). */
  lastConditions(): Readonly<ConditionSet> {
    return this.conditions;
  }

  /** Acknowledges an alarm of this bed; the answer records who and when. Null for an id not held. */
  acknowledge(alarmId: string, by: string, atMs: number): Alarm | null {
    const key = keyOfId(this.bedId, alarmId);
    const m = key === null ? undefined : this.byKey.get(key);
    return m ? m.acknowledge(alarmId, by, atMs) : null;
  }

  /** Active and latched alarms, newest first (the contract's order). */
  current(): Alarm[] {
    const out: Alarm[] = [];
    for (const m of this.machines) m.collect(out);
    return out.sort((a, b) => b.raisedAt - a.raisedAt);
  }

  /** Active or latched alarms per priority (the overview's counts). */
  counts(): AlarmCounts {
    const counts: AlarmCounts = { high: 0, medium: 0, low: 0 };
    for (const m of this.machines) m.count(counts);
    return counts;
  }

  /**
   * Reinstates recorded alarms after a restart: active and latched ones of this bed whose key the
   * catalogue still knows. Conditions then carry on from there (a stale input keeps them as they were).
   */
  restore(alarms: readonly Alarm[]): void {
    for (const a of alarms) {
      if (a.bedId !== this.bedId || !alarmDef(a.key)) continue;
      this.byKey.get(a.key)!.restore(a);
    }
  }
}

/** The alarm key inside an id `${bedId}:${key}:${raisedAt}`, or null for an id of another bed. */
function keyOfId(bedId: string, id: string): string | null {
  const prefix = `${bedId}:`;
  const end = id.lastIndexOf(':');
  if (!id.startsWith(prefix) || end <= prefix.length) return null;
  return id.slice(prefix.length, end);
}
