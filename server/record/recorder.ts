// The recording seam: everything the server keeps goes through this interface, so that SQLite (the
// one-machine default) and another engine can stand behind it without the rest of the server
// telling them apart.
import type { TimelineEvent } from '../../shared/protocol.js';
import type { EventType, Patient, Role } from '../../shared/schemas.js';
import type { Feed } from './measurements.js';

/** One device message's values: the unit the recording writes. */
export interface MeasurementRow {
  bedId: string;
  feed: Feed;
  ts: number;
  /** Signal names as in a bed's `latest` (`flow`, `lab.arterial.lactate`); all of one feed and site. */
  values: readonly { signal: string; value: number | null }[];
}

export interface SampleRow {
  bedId: string;
  signal: string;
  ts: number;
  value: number | null;
  source: string;
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
}

export interface NewEvent {
  bedId: string;
  type: EventType;
  ts: number;
  note: string | null;
  by: string;
  source: 'manual' | 'device';
}

export interface Recorder {
  /** Queues a device message's values; they are written in batches off the hot path. */
  addMeasurement(row: MeasurementRow): void;
  addWaveform(row: WaveformRow): void;
  addInfusion(row: InfusionRow): void;
  /** Pump messages with ts in [fromMs, toMs], oldest first. */
  infusions(bedId: string, fromMs: number, toMs: number): InfusionRow[];
  /** Writes everything queued now (also called on a timer and at close). */
  flush(): void;
  /** Rows queued and not yet written. */
  pending(): number;

  ensureBed(bedId: string, nowMs: number): void;
  listBeds(): string[];
  savePatient(bedId: string, patient: Patient, nowMs: number): void;
  loadPatients(): Map<string, Patient>;

  /** Samples of the given signals with ts in [fromMs, toMs], ordered by signal then time. */
  samples(bedId: string, signals: readonly string[], fromMs: number, toMs: number): SampleRow[];
  /** Every recorded value of a bed with ts in [fromMs, toMs], per feed, oldest first. */
  recentSamples(bedId: string, feed: Feed, fromMs: number, toMs: number): SampleRow[];

  getUser(username: string): UserRow | undefined;
  putUser(user: UserRow): void;
  countUsers(): number;

  /** Stores a timeline event; `recordedAtMs` is when it was entered (server clock). */
  addEvent(e: NewEvent, recordedAtMs: number): TimelineEvent;
  listEvents(bedId: string): TimelineEvent[];

  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;

  close(): void;
}
