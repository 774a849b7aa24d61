// The recording seam: everything the server keeps goes through this interface, so that SQLite (the
// one-machine default) and another engine can stand behind it without the rest of the server
// telling them apart.
import type { BedLimitsOverrides } from '../../shared/alarms.js';
import type { Alarm, DerivedValue, TimelineEvent } from '../../shared/protocol.js';
import type { EventType, Patient, Role } from '../../shared/schemas.js';
import type { EventStatus } from '../../shared/timeline.js';
import type { Feed } from './measurements.js';

/** One device message's values: the unit the recording writes. */
export interface MeasurementRow {
  bedId: string;
  feed: Feed;
  ts: number;
  /** Signal names as in a bed's `latest` (`flow`, `lab.arterial.lactate`); all of one feed and site. */
  values: readonly { signal: string; value: number | null }[];
}

/** Which alarms to list, newest first. */
export interface AlarmQuery {
  bedId?: string;
  state?: 'active' | 'cleared';
  /** Only alarms whose life (raised until cleared, or still on) overlaps [fromMs, toMs]. */
  fromMs?: number;
  toMs?: number;
  limit: number;
}

export interface SampleRow {
  bedId: string;
  signal: string;
  ts: number;
  value: number | null;
  source: string;
}

export interface DerivedRow {
  bedId: string;
  ts: number;
  values: Readonly<Record<string, DerivedValue>>;
}

/** Count, sum, min and max of one signal's non-null values in one minute (`minute` = ts / 60 000). */
export interface MinuteAggregate {
  bedId: string;
  signal: string;
  minute: number;
  n: number;
  sum: number;
  min: number;
  max: number;
}

export interface WaveformRow {
  bedId: string;
  signal: string;
  ts: number;
  rateHz: number;
  samples: readonly number[];
}

export interface InfusionRow {
  bedId: string;
  channel: string;
  ts: number;
  drug: string;
  rateMlH: number;
  concentration: number;
  concentrationUnit: string;
  running: boolean;
}

export interface UserRow {
  username: string;
  role: Role;
  passwordHash: string;
  createdAt: number;
  /** Tokens issued under an older version no longer work (password or role changed, disabled). */
  tokenVersion?: number;
  disabled?: boolean;
}

export interface NewEvent {
  bedId: string;
  type: EventType;
  ts: number;
  note: string | null;
  by: string;
  source: 'manual' | 'device';
  status: EventStatus;
  markers?: TimelineEvent['markers'];
}

export interface AlarmLogRow {
  at: number;
  state: Alarm['state'];
  priority: Alarm['priority'];
  latched: boolean;
  value: number | null;
  ackedBy: string | null;
}

export interface AuditEntry {
  at: number;
  username: string;
  /** What was done: `patient.set`, `limits.set`, `alarm.ack`, `event.add`, `user.create`, ... */
  action: string;
  /** What it was done to: a bed, an alarm id, a user. */
  target: string | null;
  detail?: unknown;
}

/**
 * Device data. Writes are queued and written in batches off the hot path (so they return nothing);
 * reads and the flush are asynchronous, as a database on the network would be.
 */
export interface MeasurementStore {
  /** Queues a device message's values. */
  addMeasurement(row: MeasurementRow): void;
  addWaveform(row: WaveformRow): void;
  addInfusion(row: InfusionRow): void;
  /** Queues a bed's derived values at one moment (the tick records them once a second). */
  addDerived(row: DerivedRow): void;
  /** Writes everything queued now (also done on a timer and at close). */
  flush(): Promise<void>;
  /**
   * Calls `written` once everything queued so far is written, at the next batch (not forcing one);
   * at once when nothing waits. While writing fails it calls back at once too: what waits is held in
   * memory (writeHealth), and live monitoring must not wait for the disk.
   */
  whenWritten(written: () => void): void;
  /** Rows queued and not yet written. */
  pending(): number;
  /** Whether writing works: the last write failed (with why), and how much waits in memory. */
  writeHealth(): { failing: boolean; pendingRows: number; droppedRows: number; lastError: string | null };
  /** Samples of the given signals (measured or derived keys) with ts in [fromMs, toMs], ordered by signal then time. */
  samples(bedId: string, signals: readonly string[], fromMs: number, toMs: number): Promise<SampleRow[]>;
  /** Per-minute aggregates of the given signals for minutes in [fromMinute, toMinute], per signal, oldest first. */
  minuteAggregates(bedId: string, signals: readonly string[], fromMinute: number, toMinute: number): Promise<MinuteAggregate[]>;
  /** Every recorded value of a bed with ts in [fromMs, toMs], per feed, oldest first. */
  recentSamples(bedId: string, feed: Feed, fromMs: number, toMs: number): Promise<SampleRow[]>;
  /** Pump messages with ts in [fromMs, toMs], oldest first. */
  infusions(bedId: string, fromMs: number, toMs: number): Promise<InfusionRow[]>;
  /**
   * Retention: removes at most `maxRows` rows of one kind whose time is before `beforeMs` (an
   * aggregate: whose whole minute is), rows still queued included, and answers how many it
   * removed; fewer than `maxRows` means none of that kind older than `beforeMs` is left. Never
   * touches the study record (events, alarms, audit, patients, users). The caller keeps batches
   * small and the cut-off a day back at least (server/record/retention.ts).
   */
  prune(kind: RetentionKind, beforeMs: number, maxRows: number): Promise<number>;
}

/**
 * What retention may remove, each kind kept for its own number of days: `waveforms`; `samples`
 * (monitor and console messages, pump messages); `lab` (lab results); `derived` (the once-a-second
 * computed values); `aggregates` (per-minute aggregates, what long trends read).
 */
export type RetentionKind = 'waveforms' | 'samples' | 'lab' | 'derived' | 'aggregates';

/** Beds, their patients (with the history of changes) and their alarm limits. */
export interface BedStore {
  /** Records a bed in care (a bed seen again after its discharge is back in care). */
  ensureBed(bedId: string, nowMs: number): Promise<void>;
  /** Beds in care (not discharged). */
  listBeds(): Promise<string[]>;
  /** The bed leaves the live ward; its recording stays, exportable. */
  dischargeBed(bedId: string, nowMs: number): Promise<void>;
  savePatient(bedId: string, patient: Patient, nowMs: number): Promise<void>;
  loadPatients(): Promise<Map<string, Patient>>;
  saveLimits(bedId: string, overrides: BedLimitsOverrides, by: string, nowMs: number): Promise<void>;
  loadLimits(): Promise<Map<string, BedLimitsOverrides>>;
}

/** The study timeline. */
export interface EventStore {
  /**
   * Stores a timeline event; `recordedAtMs` is when it was entered (server clock). Null for a device
   * candidate of the same bed, type and detected time that is already recorded.
   */
  addEvent(e: NewEvent, recordedAtMs: number): Promise<TimelineEvent | null>;
  listEvents(bedId: string): Promise<TimelineEvent[]>;
  getEvent(id: number): Promise<TimelineEvent | undefined>;
  /** A researcher confirms, moves (new ts) or dismisses an event. */
  reviewEvent(id: number, review: { status: EventStatus; ts: number; by: string; atMs: number }): Promise<TimelineEvent | undefined>;
}

/** Alarms and their life. */
export interface AlarmStore {
  /** Stores an alarm's new state (upsert by id) and appends the change to its life log. */
  saveAlarm(a: Alarm, atMs: number): Promise<void>;
  /** Alarms newest first, optionally of one bed and in one state. */
  listAlarms(q: AlarmQuery): Promise<Alarm[]>;
  getAlarm(id: string): Promise<Alarm | undefined>;
  /** Alarms still active or latched (what a restart must reinstate). */
  openAlarms(): Promise<Alarm[]>;
  /** The life of one alarm: every recorded change, oldest first. */
  alarmLog(id: string): Promise<AlarmLogRow[]>;
}

export interface UserStore {
  getUser(username: string): Promise<UserRow | undefined>;
  listUsers(): Promise<UserRow[]>;
  putUser(user: UserRow): Promise<void>;
  deleteUser(username: string): Promise<boolean>;
  countUsers(): Promise<number>;
  /** Ends one token (logout) until it would have expired. */
  revokeToken(jti: string, expiresAtMs: number): Promise<void>;
  /** Tokens ended and not yet expired. */
  revokedTokens(nowMs: number): Promise<string[]>;
}

export interface AuditStore {
  /** Appends to the audit log: who changed what, when. */
  audit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(limit: number): Promise<AuditEntry[]>;
}

/** Small settings of the installation (the token secret). */
export interface MetaStore {
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  /**
   * Stores the value unless the key has one, and answers the stored value: two instances starting
   * at once on one recording agree on it (the token secret).
   */
  claimMeta(key: string, value: string): Promise<string>;
}

/**
 * Everything the server keeps, split by concern. Any recorder (SQLite by default; another engine
 * for scale-out) passes the one contract suite in recorder.contract.ts.
 */
export interface Recorder extends MeasurementStore, BedStore, EventStore, AlarmStore, UserStore, AuditStore, MetaStore {
  /** Writes what is queued and closes. */
  close(): Promise<void>;
}
