// What the alarm core reads and what its conditions say. The caller (the shell) assembles one
// AlarmInputs per bed from state and calc; everything in server/alarms is pure over it.
import type { AlarmPriority, DerivedValue, DeviceState, LatestValue } from '../../shared/protocol.js';
import type { EffectiveLimits } from '../../shared/alarms.js';
import type { Patient } from '../../shared/schemas.js';

/** One bed's inputs at one moment. */
export interface AlarmInputs {
  nowMs: number;
  bedId: string;
  /** ecmoMode 'VA' | 'VV' | null, weightKg, ageMonths. */
  patient: Patient | null;
  /** Raw newest values: `flow`, `rpm`, `pVen`, `pPost`, `svo2`, `fdo2`, `map`, `tBlood`, `postOxyPo2`, `lab.<site>.<key>`. */
  latest: (signal: string) => LatestValue | undefined;
  /** Maximum age of a signal (shared/catalogue.ts `maxAgeOfSignal`); an older value is stale. */
  maxAgeS: (signal: string) => number;
  /** Derived values with quality; only `ok` and `assumed` count as known. */
  derived: Record<string, DerivedValue>;
  /** Mean of rOxy over the last hour, null if unknown. */
  rOxyMean1h: number | null;
  /** Per device name (`monitor`, `ecmo`, `pump`, `lab`). */
  devices: Record<string, DeviceState>;
  /**
   * How long the server has heard the broker without interruption, in seconds (0 while it is down).
   * A device's silence can be judged only after listening for at least its silence limit; before
   * that a `stale` device is unknown: the silence may be the server's, not the device's.
   */
  listeningS: number;
  /** Rejected messages of this bed in the last 60 s. */
  rejectsLastMinute: number;
  limits: EffectiveLimits;
}

/** Whether an alarm condition holds; `unknown` (a stale or missing input) neither raises nor clears. */
type ConditionState = 'true' | 'false' | 'unknown';

/** Which side of its limit a value alarms on: `low` alarms below the limit, `high` above it. */
export type LimitDirection = 'low' | 'high';

/** One alarm's condition at one moment (conditions.ts writes these; machine.ts reads them). */
export interface Condition {
  state: ConditionState;
  /** Priority the condition calls for while true (the band reached, for escalating alarms). */
  priority: AlarmPriority;
  /** The value compared, in the unit of its limit; null when there is none (a device's silence). */
  value: number | null;
  /** The limit crossed (while true) or nearest (while false). */
  limit: number | null;
  /** Words for the alarm row; only filled while the condition is true. */
  message: string;
  /**
   * Hysteresis (docs/clinical.md section 4): an active alarm may start clearing only once `value` is
   * at or past this threshold, the limit moved inside by the margin; undefined when the condition
   * has no threshold (a device back online, not on ECMO any more) and clears once false.
   */
  clearsAt?: number;
  direction?: LimitDirection;
  margin?: number;
  /** For "on result" alarms: the measurement time of the result judged. */
  resultTs?: number;
}
