// Shapes the server sends (REST answers and Socket.IO events), shared by server and client so both
// sides are type-checked against one definition.
import type { Quality } from './catalogue.js';
import type { EventMarker, EventStatus } from './timeline.js';
import type { Patient, Role, EventType, Waveform, WatchRequest } from './schemas.js';

/** The newest value of one signal (`hr`, `flow`, `lab.arterial.lactate`, ...). */
export interface LatestValue {
  value: number | null;
  /** Measurement time (device clock), epoch ms. */
  ts: number;
  /** Feed that produced it: `monitor`, `ecmo`, `lab`. */
  source: string;
  /** The device clock was ahead of the server's by more than the skew bound; `ts` is the arrival time. */
  skew?: boolean;
}

/** One input a derived value used, so the screen can tell why a number is grey. */
export interface DerivedInput {
  name: string;
  signal: string | null;
  ageS: number | null;
  quality: Quality;
  /** The input's value and measurement time, where it has one. */
  value?: number | null;
  ts?: number;
  /** For an input computed from others (an O2 content): what made it stale, in words. */
  because?: string;
}

export interface DerivedValue {
  value: number | null;
  unit: string;
  /** Newest input time, epoch ms (0 when nothing was known). */
  ts: number;
  quality: Quality;
  /** Why the value is missing, stale or assumed, in words. */
  reason?: string;
  inputs?: DerivedInput[];
  /** Components of a score (Phoenix: vasoactive, lactate, map). */
  parts?: Record<string, number | null>;
}

export type DeviceState = 'online' | 'offline' | 'stale';

export interface Infusion {
  channel: string;
  drug: string;
  rateMlH: number;
  concentration: number;
  concentrationUnit: string;
  running: boolean;
  ts: number;
  /** Dose in mcg/kg/min (vasopressin: units/kg/min); null without a weight. */
  dose: number | null;
  doseUnit: string;
  /** True when the VIS knows this drug. */
  scored: boolean;
}

export interface AlarmCounts {
  high: number;
  medium: number;
  low: number;
}

export type AlarmPriority = 'high' | 'medium' | 'low';
export interface Alarm {
  id: string;
  bedId: string;
  key: string;
  kind: 'physiological' | 'technical';
  priority: AlarmPriority;
  message: string;
  value?: number | null;
  limit?: number | null;
  state: 'active' | 'cleared';
  latched: boolean;
  raisedAt: number;
  clearedAt?: number | null;
  ackedBy?: string | null;
  ackedAt?: number | null;
}

/** `GET /api/beds` row and the Socket.IO `beds` list. */
export interface BedSummary {
  bedId: string;
  patient: Patient | null;
  devices: Record<string, DeviceState>;
  alarms: AlarmCounts;
}

/** Windowed statistics of one signal over one window. */
export interface WindowStats {
  n: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  /** Least-squares slope, units per minute. */
  slopePerMin: number | null;
  /** Fraction (0..1) of the window's time the value spent inside its limits, when limits exist. */
  timeInRange?: number | null;
}

/** Per-signal columns of recent samples: times (epoch ms) and values. */
export interface SeriesColumns {
  t: number[];
  v: (number | null)[];
}

/** `GET /api/beds/{bed}`; the Socket.IO `watch` snapshot adds `history`. */
export interface BedDetail {
  bedId: string;
  patient: Patient | null;
  latest: Record<string, LatestValue>;
  derived: Record<string, DerivedValue>;
  alarms: Alarm[];
  devices: Record<string, DeviceState>;
  infusions: Infusion[];
  stats?: Record<string, Record<string, WindowStats>>;
  /** Server clock when the snapshot was taken, epoch ms (lets a client judge ages). */
  serverNow: number;
}

export interface BedSnapshot extends BedDetail {
  /** Recent samples per signal from the server's ring buffers. */
  history: Record<string, SeriesColumns>;
  /** Sequence number of the last `bed:update` folded into this snapshot. */
  seq: number;
}

/** `bed:update`: what changed since the previous update of this bed (merged by the client). */
export interface BedUpdate {
  bedId: string;
  /** Newest measurement time among the changes, epoch ms. */
  ts: number;
  /** Per-bed update sequence: a client that sees a gap asks for a snapshot again. */
  seq: number;
  serverNow: number;
  latest: Record<string, LatestValue>;
  derived: Record<string, DerivedValue>;
  devices?: Record<string, DeviceState>;
  infusions?: Infusion[];
  /** The patient configuration, when it changed. */
  patient?: Patient | null;
  /** The bed's active and latched alarms, when they changed (each change also comes as `alarm`). */
  alarms?: Alarm[];
}

export type BedWaveform = { bedId: string } & Pick<Waveform, 'signal' | 'ts' | 'rateHz' | 'samples'>;

/** A marker recorded with a timeline event: a value at that moment and how old it was then. */
export interface EventMarkerValue {
  value: number;
  unit: string;
  /** Age of the value at the event's time, seconds (null where unknown). */
  ageS: number | null;
  quality: Quality;
}

export interface TimelineEvent {
  id: number;
  bedId: string;
  type: EventType;
  ts: number;
  note?: string | null;
  /** Who entered it (`device` for a detected candidate). */
  by: string;
  source: 'manual' | 'device';
  /** Manual events are confirmed as entered; device-detected ones are candidates until a researcher confirms or dismisses them. */
  status: EventStatus;
  /** For a device-detected event: the time the device data showed (ts may have been moved since). */
  detectedTs?: number | null;
  /** The patient at that moment: MAP, lactate, VIS, Phoenix CV, flow, DO2i, SvO2 with their ages. */
  markers?: Partial<Record<EventMarker, EventMarkerValue | null>>;
  /** Who last confirmed, moved or dismissed it, and when. */
  reviewedBy?: string | null;
  reviewedAt?: number | null;
}

interface WatchAnswer {
  beds: BedSnapshot[];
  error?: string;
}

export interface OverviewChanges {
  upsert: BedSummary[];
  remove: string[];
}

export interface ServerToClientEvents {
  'bed:update': (u: BedUpdate) => void;
  'bed:waveform': (w: BedWaveform) => void;
  alarm: (a: Alarm) => void;
  event: (e: TimelineEvent) => void;
  beds: (list: BedSummary[]) => void;
  /**
   * For a connection that asked for changes (`auth.overview: "changes"`): the overview list's
   * changes since the last `beds` or `beds:changes`, beds added or changed whole, beds gone by id.
   */
  'beds:changes': (c: OverviewChanges) => void;
  /** Once a second to every dashboard, whatever else happens: the server's clock, and proof of a live link. */
  clock: (c: { serverNow: number }) => void;
}

export interface ClientToServerEvents {
  watch: (req: WatchRequest, ack: (a: WatchAnswer) => void) => void;
  unwatch: (req: WatchRequest, ack?: (a: { beds: string[] }) => void) => void;
}

export interface LoginAnswer {
  token: string;
  role: Role;
  username: string;
}

export interface HealthAnswer {
  /** `ok` (HTTP 200); `degraded` or `down` (HTTP 503) with the reasons. */
  status: 'ok' | 'degraded' | 'down';
  reasons: string[];
  broker: 'connected' | 'disconnected';
  recording: { failing: boolean; pendingRows: number; droppedRows: number; lastError: string | null };
  eventLoopLagP99Ms: number;
  uptimeS: number;
  /** DATA_DIR's file system and the recording on it, measured every minute; null before the first measurement. */
  disk: {
    /** Bytes available to the server. */
    freeBytes: number;
    totalBytes: number;
    /** The SQLite file and its write-ahead log. */
    recordingBytes: number;
    /** The recording's growth over the last hours, bytes per day; null for its first half hour. */
    growthBytesPerDay: number | null;
    /** Days until the disk is full at that rate; null while the recording is not growing (or the rate is not known yet). */
    daysLeft: number | null;
  } | null;
  ingest: {
    accepted: number;
    rejected: { total: number; byReason: Record<string, number> };
    duplicates: number;
    clockSkew: number;
    late: number;
    ignoredKeys: number;
  };
  /** Present when instances split the beds (SHARD with REDIS_URL): this one's share and its Redis link. */
  cluster?: { shard: string; redis: 'connected' | 'disconnected' };
}

export interface ApiError {
  error: { code: string; message: string };
}
