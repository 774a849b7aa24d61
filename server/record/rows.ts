// Rows of the research record as both recordings store them (SQLite and PostgreSQL use the same
// column names), and how each becomes what the rest of the server uses. A flag is a 0/1 integer in
// SQLite and a boolean in PostgreSQL; both read as a boolean here.
import type { Alarm, TimelineEvent } from '../../shared/protocol.js';
import type { EventStatus } from '../../shared/timeline.js';
import type { UserRow } from './recorder.js';

type Flag = number | boolean;

export const USER_COLUMNS = 'username, role, password_hash, created_at, token_version, disabled';

export interface UserDbRow {
  username: string;
  role: UserRow['role'];
  password_hash: string;
  created_at: number;
  token_version: number;
  disabled: Flag;
}

export function userOfRow(r: UserDbRow): UserRow {
  return {
    username: r.username,
    role: r.role,
    passwordHash: r.password_hash,
    createdAt: r.created_at,
    tokenVersion: r.token_version,
    disabled: r.disabled === true || r.disabled === 1,
  };
}

export interface EventDbRow {
  id: number;
  bed_id: string;
  type: TimelineEvent['type'];
  ts: number;
  note: string | null;
  by: string;
  source: TimelineEvent['source'];
  status: EventStatus;
  /** JSON text. */
  markers: string | null;
  detected_ts: number | null;
  reviewed_by: string | null;
  reviewed_at: number | null;
}

export function eventOfRow(r: EventDbRow): TimelineEvent {
  const e: TimelineEvent = {
    id: r.id,
    bedId: r.bed_id,
    type: r.type,
    ts: r.ts,
    note: r.note,
    by: r.by,
    source: r.source,
    status: r.status,
  };
  if (r.markers) e.markers = JSON.parse(r.markers) as TimelineEvent['markers'];
  if (r.detected_ts !== null) e.detectedTs = r.detected_ts;
  if (r.reviewed_by !== null) {
    e.reviewedBy = r.reviewed_by;
    e.reviewedAt = r.reviewed_at;
  }
  return e;
}

export const ALARM_COLUMNS =
  'id, bed_id, key, kind, priority, message, value, limit_value, state, latched, raised_at, cleared_at, acked_by, acked_at';

export interface AlarmDbRow {
  id: string;
  bed_id: string;
  key: string;
  kind: Alarm['kind'];
  priority: Alarm['priority'];
  message: string;
  value: number | null;
  limit_value: number | null;
  state: Alarm['state'];
  latched: Flag;
  raised_at: number;
  cleared_at: number | null;
  acked_by: string | null;
  acked_at: number | null;
}

export function alarmOfRow(r: AlarmDbRow): Alarm {
  return {
    id: r.id,
    bedId: r.bed_id,
    key: r.key,
    kind: r.kind,
    priority: r.priority,
    message: r.message,
    value: r.value,
    limit: r.limit_value,
    state: r.state,
    latched: r.latched === true || r.latched === 1,
    raisedAt: r.raised_at,
    clearedAt: r.cleared_at,
    ackedBy: r.acked_by,
    ackedAt: r.acked_at,
  };
}
