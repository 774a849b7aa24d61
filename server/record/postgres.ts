// PostgreSQL recorder (pg): the same recording as SQLite (sqlite.ts) on a database server, so that
// the recording outlives one machine and two server instances can record the same beds at once
// (active-active on one external broker; docs/decisions/0008-postgres-recorder.md).
//
// Device data is queued in memory and written in one transaction per batch (on a timer, or at once
// past a row threshold), one statement per table with the batch's columns as arrays (unnest). Every
// insert is idempotent on the row's key (bed, [site or signal or channel,] ts): a message two
// instances both received, or a replay, is stored once. Minute aggregates count only the rows an
// insert actually stored (RETURNING), in the same transaction: whichever instance stores a row
// counts it, the other one skips it, so the aggregates stay exact with any number of writers. Rows
// and aggregate keys are written in one global order, so two writers wait for each other rather
// than deadlock (a deadlock, should one happen, retries the batch). Schema changes are numbered
// migrations (postgres-migrations.ts) applied at open under an advisory lock; none drops data.
import pg from 'pg';
import type { BedLimitsOverrides } from '../../shared/alarms.js';
import type { Alarm, TimelineEvent } from '../../shared/protocol.js';
import type { Patient } from '../../shared/schemas.js';
import type { EventStatus } from '../../shared/timeline.js';
import { DERIVED_COLUMNS, QUALITY_LETTERS } from './columns.js';
import { FEED_TABLES, locateSignal, type Feed } from './measurements.js';
import { MAX_PENDING_ROWS } from './pending.js';
import { WriteQueue, type WriteHealth } from './write-queue.js';
import { PG_MIGRATIONS } from './postgres-migrations.js';
import { redactUrl } from '../redact-url.js';
import {
  ALARM_COLUMNS,
  USER_COLUMNS,
  alarmOfRow,
  eventOfRow,
  userOfRow,
  type AlarmDbRow,
  type EventDbRow,
  type UserDbRow,
} from './rows.js';
import type {
  AlarmLogRow,
  AlarmQuery,
  AuditEntry,
  DerivedRow,
  InfusionRow,
  MeasurementRow,
  MinuteAggregate,
  NewEvent,
  Recorder,
  RetentionKind,
  SampleRow,
  UserRow,
  WaveformRow,
} from './recorder.js';

/** A batch that meets a deadlock or a serialization failure is tried again this often at once. */
const BATCH_TRIES = 5;
const MS_PER_MINUTE = 60_000;
/** Taken while migrating, so that two instances starting together do not both migrate ('ECMO'). */
const MIGRATION_LOCK = 0x45434d4f;

export interface PostgresOptions {
  onError?: (e: unknown) => void;
  maxPendingRows?: number;
  /** Connections of the pool (the batch writer uses one at a time; reads and REST writes the others). */
  poolSize?: number;
}

type Client = pg.PoolClient;
type Value = string | number | boolean | null;

/** bigint columns (times in ms, ids, counts) as numbers: every value the recording keeps fits in 2^53. */
const INT8_OID = 20;
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID ? (v: string) => Number(v) : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
};

export class PostgresRecorder implements Recorder {
  /**
   * The recording's files on this machine: none (what the disk monitor sums). The database's disk is
   * its server's to watch.
   */
  readonly files: readonly string[] = [];
  /** Device data, and beds first seen while writing failed, waiting for the next batch (one transaction). */
  private readonly writes: WriteQueue<MeasurementRow, DerivedRow>;
  private closed = false;
  private readonly onError: (e: unknown) => void;

  private constructor(
    private readonly pool: pg.Pool,
    opts: PostgresOptions,
  ) {
    this.onError = opts.onError ?? (() => {});
    this.writes = new WriteQueue({
      write: (batch) => this.transaction((c) => writeBatch(c, batch), BATCH_TRIES),
      onError: this.onError,
      maxPendingRows: opts.maxPendingRows ?? MAX_PENDING_ROWS,
      reason,
    });
  }

  /**
   * Connects, creates or migrates the schema, and answers the recorder. Rejects with a message that
   * names the database (without its password) when it cannot be reached: the server refuses to start.
   */
  static async open(url: string, opts: PostgresOptions = {}): Promise<PostgresRecorder> {
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.poolSize ?? 8,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      application_name: 'ecmo-monitor',
      types: TYPES,
    });
    // A connection that breaks while idle (the database restarted) is dropped and replaced on the
    // next use; without a listener it would end the process.
    pool.on('error', (err) => opts.onError?.(err));
    try {
      await migrate(pool);
    } catch (e) {
      await pool.end().catch(() => {});
      throw new Error(
        `cannot open the PostgreSQL recording ${redactUrl(url, '(DATABASE_URL is not a URL)')} (DATABASE_URL): ${reason(e)}`,
        { cause: e },
      );
    }
    return new PostgresRecorder(pool, opts);
  }

  // ---- device data: queued, written in batches ----

  // Past maxPendingRows (writing fails for long) further rows are counted and not kept: memory stays bounded.

  addMeasurement(row: MeasurementRow): void {
    if (this.writes.admit()) this.writes.addRow(row);
  }

  addWaveform(row: WaveformRow): void {
    if (this.writes.admit()) this.writes.addWave(row);
  }

  addInfusion(row: InfusionRow): void {
    if (this.writes.admit()) this.writes.addInfusion(row);
  }

  addDerived(row: DerivedRow): void {
    if (this.writes.admit()) this.writes.addDerived(row);
  }

  pending(): number {
    return this.writes.pending();
  }

  writeHealth(): WriteHealth {
    return this.writes.health();
  }

  whenWritten(written: () => void): void {
    this.writes.whenWritten(written);
  }

  /** Writes what is queued now (after the batch being written, if any). Never rejects: a failure keeps the rows. */
  flush(): Promise<void> {
    return this.writes.flush();
  }

  async samples(bedId: string, signals: readonly string[], fromMs: number, toMs: number): Promise<SampleRow[]> {
    await this.flush();
    const [from, to] = msRange(fromMs, toMs);
    const out: SampleRow[] = [];
    for (const signal of signals) {
      if ((DERIVED_COLUMNS as readonly string[]).includes(signal)) {
        const { rows } = await this.pool.query<{ ts: number; value: number | null }>(
          `SELECT ts, ${q(signal)} AS value FROM derived_samples WHERE bed_id = $1 AND ts >= $2 AND ts <= $3 ORDER BY ts`,
          [bedId, from, to],
        );
        for (const r of rows) out.push({ bedId, signal, ts: r.ts, value: r.value, source: 'derived' });
        continue;
      }
      const loc = locateSignal(signal);
      if (!loc) continue;
      const { table } = FEED_TABLES[loc.feed];
      const site = loc.site ? ' AND site = $4' : '';
      const { rows } = await this.pool.query<{ ts: number; value: number | null }>(
        `SELECT ts, ${q(loc.column)} AS value FROM ${table} WHERE bed_id = $1 AND ts >= $2 AND ts <= $3${site} AND (present & ${1 << loc.bit}) <> 0 ORDER BY ts`,
        loc.site ? [bedId, from, to, loc.site] : [bedId, from, to],
      );
      for (const r of rows) out.push({ bedId, signal, ts: r.ts, value: r.value, source: loc.feed });
    }
    return out;
  }

  async minuteAggregates(bedId: string, signals: readonly string[], fromMinute: number, toMinute: number): Promise<MinuteAggregate[]> {
    await this.flush();
    const [from, to] = msRange(fromMinute, toMinute);
    const out: MinuteAggregate[] = [];
    for (const signal of signals) {
      const { rows } = await this.pool.query<{ minute: number; n: number; sum: number; min: number; max: number }>(
        'SELECT minute, n, sum, min, max FROM minute_aggregates WHERE bed_id = $1 AND signal = $2 AND minute >= $3 AND minute <= $4 ORDER BY minute',
        [bedId, signal, from, to],
      );
      for (const r of rows) out.push({ bedId, signal, minute: r.minute, n: r.n, sum: r.sum, min: r.min, max: r.max });
    }
    return out;
  }

  async recentSamples(bedId: string, feed: Feed, fromMs: number, toMs: number): Promise<SampleRow[]> {
    await this.flush();
    const [from, to] = msRange(fromMs, toMs);
    const { table, keys, bySite } = FEED_TABLES[feed];
    const { rows } = await this.pool.query<Record<string, number | string | null>>(
      `SELECT * FROM ${table} WHERE bed_id = $1 AND ts >= $2 AND ts <= $3 ORDER BY ts${bySite ? ', site' : ''}`,
      [bedId, from, to],
    );
    const out: SampleRow[] = [];
    for (const r of rows) {
      const present = r.present as number;
      for (let bit = 0; bit < keys.length; bit++) {
        if (!(present & (1 << bit))) continue;
        const signal = bySite ? `lab.${r.site}.${keys[bit]}` : keys[bit];
        out.push({ bedId, signal, ts: r.ts as number, value: r[keys[bit]] as number | null, source: feed });
      }
    }
    return out;
  }

  async infusions(bedId: string, fromMs: number, toMs: number): Promise<InfusionRow[]> {
    await this.flush();
    const [from, to] = msRange(fromMs, toMs);
    const { rows } = await this.pool.query<{
      channel: string;
      ts: number;
      drug: string;
      rate_ml_h: number;
      concentration: number;
      concentration_unit: string;
      running: boolean;
    }>(
      'SELECT channel, ts, drug, rate_ml_h, concentration, concentration_unit, running FROM infusions WHERE bed_id = $1 AND ts >= $2 AND ts <= $3 ORDER BY ts, channel',
      [bedId, from, to],
    );
    return rows.map((r) => ({
      bedId,
      channel: r.channel,
      ts: r.ts,
      drug: r.drug,
      rateMlH: r.rate_ml_h,
      concentration: r.concentration,
      concentrationUnit: r.concentration_unit,
      running: r.running,
    }));
  }

  async prune(kind: RetentionKind, beforeMs: number, maxRows: number): Promise<number> {
    const max = Math.floor(maxRows);
    if (!(max > 0)) return 0;
    await this.flush(); // what is queued is part of the recording: an old row waiting in memory goes too
    // An aggregate goes when its whole minute lies before the cut-off.
    const cut = clampMs(kind === 'aggregates' ? Math.floor(beforeMs / MS_PER_MINUTE) : Math.ceil(beforeMs));
    return this.transaction(async (c) => {
      let removed = 0;
      for (const t of PRUNE_TABLES[kind]) {
        removed += await pruneTable(c, t, cut, max - removed);
        if (removed >= max) break;
      }
      return removed;
    }, BATCH_TRIES);
  }

  // ---- beds, patients, limits ----

  async ensureBed(bedId: string, nowMs: number): Promise<void> {
    try {
      await this.pool.query(BED_UPSERT, [bedId, Math.round(nowMs)]);
    } catch (e) {
      // The database away: the bed is written with the next batch that succeeds, so a bed first seen
      // now is still in the recording after a restart (its values wait in the queue too).
      this.writes.bedNotWritten(bedId, nowMs, e);
    }
  }

  async listBeds(): Promise<string[]> {
    const { rows } = await this.pool.query<{ bed_id: string }>(
      'SELECT bed_id FROM beds WHERE discharged_at IS NULL ORDER BY bed_id COLLATE "C"',
    );
    return rows.map((r) => r.bed_id);
  }

  async dischargeBed(bedId: string, nowMs: number): Promise<void> {
    await this.flush(); // its last messages belong to the recording before it leaves the ward
    await this.pool.query('UPDATE beds SET discharged_at = $1 WHERE bed_id = $2', [Math.round(nowMs), bedId]);
  }

  async savePatient(bedId: string, patient: Patient, nowMs: number): Promise<void> {
    const data = json(patient);
    const at = Math.round(nowMs);
    await this.transaction(async (c) => {
      await c.query(BED_UPSERT, [bedId, at]);
      await c.query(
        `INSERT INTO patients (bed_id, data, updated_at) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (bed_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
        [bedId, data, at],
      );
      await c.query('INSERT INTO patient_history (bed_id, data, changed_at) VALUES ($1, $2::jsonb, $3)', [bedId, data, at]);
    });
  }

  async loadPatients(): Promise<Map<string, Patient>> {
    const { rows } = await this.pool.query<{ bed_id: string; data: string }>('SELECT bed_id, data::text AS data FROM patients');
    return new Map(rows.map((r) => [r.bed_id, JSON.parse(r.data) as Patient]));
  }

  async saveLimits(bedId: string, overrides: BedLimitsOverrides, by: string, nowMs: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO bed_limits (bed_id, data, updated_at, updated_by) VALUES ($1, $2::jsonb, $3, $4)
       ON CONFLICT (bed_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [bedId, json(overrides), Math.round(nowMs), text(by)],
    );
  }

  async loadLimits(): Promise<Map<string, BedLimitsOverrides>> {
    const { rows } = await this.pool.query<{ bed_id: string; data: string }>('SELECT bed_id, data::text AS data FROM bed_limits');
    return new Map(rows.map((r) => [r.bed_id, JSON.parse(r.data) as BedLimitsOverrides]));
  }

  // ---- the study timeline ----

  async addEvent(e: NewEvent, recordedAtMs: number): Promise<TimelineEvent | null> {
    const ts = Math.round(e.ts);
    // A device candidate already recorded (replayed data, or the other instance detected it): nothing new.
    const { rows } = await this.pool.query<EventDbRow>(
      `INSERT INTO events (bed_id, type, ts, note, "by", source, created_at, status, markers, detected_ts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)
       ON CONFLICT (bed_id, type, detected_ts) WHERE source = 'device' DO NOTHING
       RETURNING ${EVENT_COLUMNS}`,
      [
        e.bedId,
        e.type,
        ts,
        e.note === null ? null : text(e.note),
        text(e.by),
        e.source,
        Math.round(recordedAtMs),
        e.status,
        e.markers ? json(e.markers) : null,
        e.source === 'device' ? ts : null,
      ],
    );
    return rows.length ? eventOfRow(rows[0]) : null;
  }

  async listEvents(bedId: string): Promise<TimelineEvent[]> {
    const { rows } = await this.pool.query<EventDbRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE bed_id = $1 ORDER BY ts, id`, [bedId]);
    return rows.map(eventOfRow);
  }

  async getEvent(id: number): Promise<TimelineEvent | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const { rows } = await this.pool.query<EventDbRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = $1`, [id]);
    return rows.length ? eventOfRow(rows[0]) : undefined;
  }

  async reviewEvent(id: number, review: { status: EventStatus; ts: number; by: string; atMs: number }): Promise<TimelineEvent | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const { rows } = await this.pool.query<EventDbRow>(
      `UPDATE events SET status = $1, ts = $2, reviewed_by = $3, reviewed_at = $4 WHERE id = $5 RETURNING ${EVENT_COLUMNS}`,
      [review.status, Math.round(review.ts), text(review.by), Math.round(review.atMs), id],
    );
    return rows.length ? eventOfRow(rows[0]) : undefined;
  }

  // ---- alarms ----

  async saveAlarm(a: Alarm, atMs: number): Promise<void> {
    await this.transaction(async (c) => {
      await c.query(
        `INSERT INTO alarms (id, bed_id, key, kind, priority, message, value, limit_value, state, latched, raised_at, cleared_at, acked_by, acked_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (id) DO UPDATE SET priority = excluded.priority, message = excluded.message, value = excluded.value,
           limit_value = excluded.limit_value, state = excluded.state, latched = excluded.latched, cleared_at = excluded.cleared_at,
           acked_by = excluded.acked_by, acked_at = excluded.acked_at, updated_at = excluded.updated_at`,
        [
          a.id,
          a.bedId,
          a.key,
          a.kind,
          a.priority,
          text(a.message),
          a.value ?? null,
          a.limit ?? null,
          a.state,
          a.latched,
          Math.round(a.raisedAt),
          a.clearedAt === null || a.clearedAt === undefined ? null : Math.round(a.clearedAt),
          a.ackedBy === null || a.ackedBy === undefined ? null : text(a.ackedBy),
          a.ackedAt === null || a.ackedAt === undefined ? null : Math.round(a.ackedAt),
          Math.round(atMs),
        ],
      );
      // The same change seen by both instances of a pair is logged once.
      await c.query(
        `INSERT INTO alarm_log (alarm_id, at, state, priority, latched, value, acked_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT DO NOTHING`,
        [a.id, Math.round(atMs), a.state, a.priority, a.latched, a.value ?? null, a.ackedBy ? text(a.ackedBy) : null],
      );
    }, BATCH_TRIES);
  }

  async listAlarms(q: AlarmQuery): Promise<Alarm[]> {
    const where: string[] = [];
    const args: Value[] = [];
    const arg = (v: Value) => `$${args.push(v)}`;
    if (q.toMs !== undefined) where.push(`raised_at <= ${arg(clampMs(Math.floor(q.toMs)))}`);
    if (q.fromMs !== undefined) where.push(`(cleared_at IS NULL OR cleared_at >= ${arg(clampMs(Math.ceil(q.fromMs)))})`);
    if (q.bedId !== undefined) where.push(`bed_id = ${arg(q.bedId)}`);
    if (q.state !== undefined) where.push(`state = ${arg(q.state)}`);
    const limit = arg(Math.max(0, Math.floor(q.limit)));
    const { rows } = await this.pool.query<AlarmDbRow>(
      `SELECT ${ALARM_COLUMNS} FROM alarms ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY raised_at DESC, id COLLATE "C" LIMIT ${limit}`,
      args,
    );
    return rows.map(alarmOfRow);
  }

  async getAlarm(id: string): Promise<Alarm | undefined> {
    const { rows } = await this.pool.query<AlarmDbRow>(`SELECT ${ALARM_COLUMNS} FROM alarms WHERE id = $1`, [id]);
    return rows.length ? alarmOfRow(rows[0]) : undefined;
  }

  async openAlarms(): Promise<Alarm[]> {
    const { rows } = await this.pool.query<AlarmDbRow>(`SELECT ${ALARM_COLUMNS} FROM alarms WHERE state = 'active' OR latched`);
    return rows.map(alarmOfRow);
  }

  async alarmLog(id: string): Promise<AlarmLogRow[]> {
    const { rows } = await this.pool.query<{
      at: number;
      state: Alarm['state'];
      priority: Alarm['priority'];
      latched: boolean;
      value: number | null;
      acked_by: string | null;
    }>('SELECT at, state, priority, latched, value, acked_by FROM alarm_log WHERE alarm_id = $1 ORDER BY seq', [id]);
    return rows.map((r) => ({ at: r.at, state: r.state, priority: r.priority, latched: r.latched, value: r.value, ackedBy: r.acked_by }));
  }

  // ---- users, audit, meta ----

  async getUser(username: string): Promise<UserRow | undefined> {
    const { rows } = await this.pool.query<UserDbRow>(`SELECT ${USER_COLUMNS} FROM users WHERE username = $1`, [username]);
    return rows.length ? userOfRow(rows[0]) : undefined;
  }

  async listUsers(): Promise<UserRow[]> {
    const { rows } = await this.pool.query<UserDbRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username COLLATE "C"`);
    return rows.map(userOfRow);
  }

  async putUser(u: UserRow): Promise<void> {
    await this.pool.query(
      `INSERT INTO users (username, role, password_hash, created_at, token_version, disabled) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (username) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash,
         token_version = excluded.token_version, disabled = excluded.disabled`,
      [u.username, u.role, u.passwordHash, Math.round(u.createdAt), u.tokenVersion ?? 0, u.disabled ?? false],
    );
  }

  async deleteUser(username: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM users WHERE username = $1', [username])).rowCount ?? 0) > 0;
  }

  async countUsers(): Promise<number> {
    return (await this.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM users')).rows[0].n;
  }

  async revokeToken(jti: string, expiresAtMs: number): Promise<void> {
    await this.pool.query('INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING', [
      jti,
      clampMs(Math.round(expiresAtMs)),
    ]);
  }

  async revokedTokens(nowMs: number): Promise<string[]> {
    const now = clampMs(Math.round(nowMs));
    await this.pool.query('DELETE FROM revoked_tokens WHERE expires_at < $1', [now]);
    const { rows } = await this.pool.query<{ jti: string }>('SELECT jti FROM revoked_tokens WHERE expires_at >= $1', [now]);
    return rows.map((r) => r.jti);
  }

  async audit(e: AuditEntry): Promise<void> {
    await this.pool.query('INSERT INTO audit (at, username, action, target, detail) VALUES ($1, $2, $3, $4, $5::jsonb)', [
      Math.round(e.at),
      text(e.username),
      text(e.action),
      e.target === null ? null : text(e.target),
      e.detail === undefined ? null : json(e.detail),
    ]);
  }

  async listAudit(limit: number): Promise<AuditEntry[]> {
    const { rows } = await this.pool.query<{ at: number; username: string; action: string; target: string | null; detail: string | null }>(
      'SELECT at, username, action, target, detail::text AS detail FROM audit ORDER BY seq DESC LIMIT $1',
      [Math.max(0, Math.floor(limit))],
    );
    return rows.map((r) => ({
      at: r.at,
      username: r.username,
      action: r.action,
      target: r.target,
      detail: r.detail === null ? undefined : (JSON.parse(r.detail) as unknown),
    }));
  }

  async getMeta(key: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]);
    return rows[0]?.value;
  }

  async claimMeta(key: string, value: string): Promise<string> {
    await this.pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, text(value)]);
    return (await this.getMeta(key))!;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
      key,
      text(value),
    ]);
  }

  /** Writes what is queued (what cannot be written stays counted in writeHealth) and closes the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.writes.close();
    this.closed = true;
    await this.pool.end();
  }

  /** Runs `f` in a transaction on one connection; a deadlock or serialization failure runs it again (up to `tries`). */
  private async transaction<T>(f: (c: Client) => Promise<T>, tries = 1): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c = await this.pool.connect();
      let broken = false;
      try {
        await c.query('BEGIN');
        const out = await f(c);
        await c.query('COMMIT');
        return out;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {
          broken = true;
        });
        const code = (e as { code?: string }).code;
        if (attempt >= tries || (code !== '40P01' && code !== '40001')) throw e;
      } finally {
        c.release(broken);
      }
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    }
  }
}

// ---- the batch ----

interface Batch {
  rows: readonly MeasurementRow[];
  waves: readonly WaveformRow[];
  infusions: readonly InfusionRow[];
  derived: readonly DerivedRow[];
  beds: ReadonlyMap<string, number>;
}

const BED_UPSERT =
  'INSERT INTO beds (bed_id, created_at) VALUES ($1, $2) ON CONFLICT (bed_id) DO UPDATE SET discharged_at = NULL WHERE beds.discharged_at IS NOT NULL';

/**
 * Writes one batch in the open transaction, in a fixed order (beds, monitor, ecmo, lab, infusions,
 * waveforms, derived, aggregates) and each table's rows sorted by key, so that two instances writing
 * overlapping batches take their row locks in the same order.
 */
async function writeBatch(c: Client, b: Batch): Promise<void> {
  if (b.beds.size) {
    const beds = [...b.beds].sort(([x], [y]) => cmp(x, y));
    await c.query(
      `INSERT INTO beds (bed_id, created_at) SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (bed_id) DO UPDATE SET discharged_at = NULL WHERE beds.discharged_at IS NOT NULL`,
      [beds.map(([id]) => id), beds.map(([, at]) => Math.round(at))],
    );
  }
  const minutes = new MinuteBatch();
  for (const feed of ['monitor', 'ecmo', 'lab'] as const) await writeFeed(c, feed, b.rows, minutes);
  if (b.infusions.length) await writeInfusions(c, b.infusions);
  if (b.waves.length) await writeWaves(c, b.waves);
  if (b.derived.length) await writeDerived(c, b.derived, minutes);
  await minutes.write(c);
}

/** A feed's messages: one wide row each (decision 0001), stored once; the stored ones counted in their minute. */
async function writeFeed(c: Client, feed: Feed, all: readonly MeasurementRow[], minutes: MinuteBatch): Promise<void> {
  const { table, keys, bySite } = FEED_TABLES[feed];
  // Column values of each message of this feed; the first of two with the same key wins, as a replay does.
  const byKey = new Map<string, { bedId: string; site: string; ts: number; present: number; values: (number | null)[] }>();
  for (const r of all) {
    if (r.feed !== feed) continue;
    const values = new Array<number | null>(keys.length).fill(null);
    let site = '';
    let present = 0;
    for (const { signal, value } of r.values) {
      const loc = locateSignal(signal);
      if (!loc || loc.feed !== feed) continue;
      site = loc.site ?? '';
      present |= 1 << loc.bit;
      values[loc.bit] = value;
    }
    if (!present) continue;
    const ts = Math.round(r.ts);
    const key = rowKey(r.bedId, site, ts);
    if (!byKey.has(key)) byKey.set(key, { bedId: r.bedId, site, ts, present, values });
  }
  if (!byKey.size) return;
  const rows = [...byKey.values()].sort((x, y) => cmp(x.bedId, y.bedId) || cmp(x.site, y.site) || x.ts - y.ts);
  const cols = ['bed_id', ...(bySite ? ['site'] : []), 'ts', 'present', ...keys.map(q)];
  const types = ['text', ...(bySite ? ['text'] : []), 'bigint', 'integer', ...keys.map(() => 'float8')];
  const args: Value[][] = [
    rows.map((r) => r.bedId),
    ...(bySite ? [rows.map((r) => r.site)] : []),
    rows.map((r) => r.ts),
    rows.map((r) => r.present),
  ];
  for (let i = 0; i < keys.length; i++) args.push(rows.map((r) => r.values[i]));
  const conflict = bySite ? '(bed_id, site, ts)' : '(bed_id, ts)';
  const { rows: stored } = await c.query<{ bed_id: string; site?: string; ts: number }>(
    `INSERT INTO ${table} (${cols.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
     ON CONFLICT ${conflict} DO NOTHING RETURNING bed_id, ${bySite ? 'site, ' : ''}ts`,
    args,
  );
  for (const s of stored) {
    const r = byKey.get(rowKey(s.bed_id, s.site ?? '', s.ts))!;
    const minute = Math.floor(r.ts / MS_PER_MINUTE);
    for (let i = 0; i < keys.length; i++) {
      const v = r.values[i];
      if (v !== null && r.present & (1 << i)) minutes.add(r.bedId, bySite ? `lab.${r.site}.${keys[i]}` : keys[i], minute, v);
    }
  }
}

async function writeInfusions(c: Client, all: readonly InfusionRow[]): Promise<void> {
  const rows = dedupe(all, (r) => rowKey(r.bedId, r.channel, Math.round(r.ts))).sort(
    (x, y) => cmp(x.bedId, y.bedId) || cmp(x.channel, y.channel) || x.ts - y.ts,
  );
  await c.query(
    `INSERT INTO infusions (bed_id, channel, ts, drug, rate_ml_h, concentration, concentration_unit, running)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::float8[], $6::float8[], $7::text[], $8::boolean[])
     ON CONFLICT (bed_id, channel, ts) DO NOTHING`,
    [
      rows.map((r) => r.bedId),
      rows.map((r) => r.channel),
      rows.map((r) => Math.round(r.ts)),
      rows.map((r) => text(r.drug)),
      rows.map((r) => r.rateMlH),
      rows.map((r) => r.concentration),
      rows.map((r) => text(r.concentrationUnit)),
      rows.map((r) => r.running),
    ],
  );
}

async function writeWaves(c: Client, all: readonly WaveformRow[]): Promise<void> {
  const rows = dedupe(all, (r) => rowKey(r.bedId, r.signal, Math.round(r.ts))).sort(
    (x, y) => cmp(x.bedId, y.bedId) || cmp(x.signal, y.signal) || x.ts - y.ts,
  );
  // Each message's samples as an array literal, made a real[] in the statement (unnest flattens arrays of arrays).
  await c.query(
    `INSERT INTO waveforms (bed_id, signal, ts, rate_hz, samples)
     SELECT b, s, t, r, w::real[] FROM unnest($1::text[], $2::text[], $3::bigint[], $4::float8[], $5::text[]) AS u(b, s, t, r, w)
     ON CONFLICT (bed_id, signal, ts) DO NOTHING`,
    [
      rows.map((r) => r.bedId),
      rows.map((r) => r.signal),
      rows.map((r) => Math.round(r.ts)),
      rows.map((r) => r.rateHz),
      rows.map((r) => `{${r.samples.join(',')}}`),
    ],
  );
}

/** One row per bed and moment: every derived value, and its quality as one letter per column. */
async function writeDerived(c: Client, all: readonly DerivedRow[], minutes: MinuteBatch): Promise<void> {
  const rows = dedupe(all, (r) => rowKey(r.bedId, '', Math.round(r.ts))).sort((x, y) => cmp(x.bedId, y.bedId) || x.ts - y.ts);
  const values = rows.map((r) => DERIVED_COLUMNS.map((col) => r.values[col]?.value ?? null));
  const quality = rows.map((r) => DERIVED_COLUMNS.map((col) => QUALITY_LETTERS[r.values[col]?.quality ?? 'missing']).join(''));
  const args: Value[][] = [rows.map((r) => r.bedId), rows.map((r) => Math.round(r.ts)), quality];
  for (let i = 0; i < DERIVED_COLUMNS.length; i++) args.push(values.map((v) => v[i]));
  const types = ['text', 'bigint', 'text', ...DERIVED_COLUMNS.map(() => 'float8')];
  const { rows: stored } = await c.query<{ bed_id: string; ts: number }>(
    `INSERT INTO derived_samples (bed_id, ts, quality, ${DERIVED_COLUMNS.map(q).join(', ')})
     SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
     ON CONFLICT (bed_id, ts) DO NOTHING RETURNING bed_id, ts`,
    args,
  );
  const index = new Map(rows.map((r, i) => [rowKey(r.bedId, '', Math.round(r.ts)), i]));
  for (const s of stored) {
    const i = index.get(rowKey(s.bed_id, '', s.ts))!;
    const minute = Math.floor(s.ts / MS_PER_MINUTE);
    for (let k = 0; k < DERIVED_COLUMNS.length; k++) {
      const v = values[i][k];
      if (typeof v === 'number') minutes.add(s.bed_id, DERIVED_COLUMNS[k], minute, v);
    }
  }
}

/** Per-minute count, sum, min and max of the values this batch stored; added to the table at the batch's end. */
class MinuteBatch {
  private readonly m = new Map<string, MinuteAggregate>();

  add(bedId: string, signal: string, minute: number, value: number): void {
    const key = `${bedId}\u0000${signal}\u0000${minute}`;
    const a = this.m.get(key);
    if (a) {
      a.n++;
      a.sum += value;
      if (value < a.min) a.min = value;
      if (value > a.max) a.max = value;
    } else this.m.set(key, { bedId, signal, minute, n: 1, sum: value, min: value, max: value });
  }

  async write(c: Client): Promise<void> {
    if (!this.m.size) return;
    const rows = [...this.m.values()].sort((x, y) => cmp(x.bedId, y.bedId) || cmp(x.signal, y.signal) || x.minute - y.minute);
    await c.query(
      `INSERT INTO minute_aggregates AS a (bed_id, signal, minute, n, sum, min, max)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::float8[], $6::float8[], $7::float8[])
       ON CONFLICT (bed_id, signal, minute) DO UPDATE SET n = a.n + excluded.n, sum = a.sum + excluded.sum,
         min = LEAST(a.min, excluded.min), max = GREATEST(a.max, excluded.max)`,
      [
        rows.map((r) => r.bedId),
        rows.map((r) => r.signal),
        rows.map((r) => r.minute),
        rows.map((r) => r.n),
        rows.map((r) => r.sum),
        rows.map((r) => r.min),
        rows.map((r) => r.max),
      ],
    );
  }
}

// ---- retention ----

/** A table retention prunes: the leading columns of its primary key before its time column. */
interface PruneTable {
  table: string;
  prefix: readonly string[];
  time: 'ts' | 'minute';
}

/** The tables of each retention kind; the study record (events, alarms, audit, patients, users) is in none. */
const PRUNE_TABLES: Record<RetentionKind, readonly PruneTable[]> = {
  waveforms: [{ table: 'waveforms', prefix: ['bed_id', 'signal'], time: 'ts' }],
  samples: [
    { table: 'monitor_samples', prefix: ['bed_id'], time: 'ts' },
    { table: 'ecmo_samples', prefix: ['bed_id'], time: 'ts' },
    { table: 'infusions', prefix: ['bed_id', 'channel'], time: 'ts' },
  ],
  lab: [{ table: 'lab_samples', prefix: ['bed_id', 'site'], time: 'ts' }],
  derived: [{ table: 'derived_samples', prefix: ['bed_id'], time: 'ts' }],
  aggregates: [{ table: 'minute_aggregates', prefix: ['bed_id', 'signal'], time: 'minute' }],
};

/**
 * Removes up to maxRows rows older than `cut` from one table, walking its primary key: each key
 * prefix (a bed, a bed's signal) found by an index seek, its oldest rows deleted by a key range, so
 * a batch never scans the table however large it has grown.
 */
async function pruneTable(c: Client, t: PruneTable, cut: number, maxRows: number): Promise<number> {
  const cols = t.prefix.join(', ');
  const same = t.prefix.map((col, i) => `${col} = $${i + 1}`).join(' AND ');
  const n = t.prefix.length;
  let removed = 0;
  let key = (await c.query({ text: `SELECT ${cols} FROM ${t.table} ORDER BY ${cols} LIMIT 1`, rowMode: 'array' })).rows[0] as
    Value[] | undefined;
  while (key && removed < maxRows) {
    const del = await c.query(
      `DELETE FROM ${t.table} WHERE ${same} AND ${t.time} IN
         (SELECT ${t.time} FROM ${t.table} WHERE ${same} AND ${t.time} < $${n + 1} ORDER BY ${t.time} LIMIT $${n + 2})`,
      [...key, cut, maxRows - removed],
    );
    removed += del.rowCount ?? 0;
    // The next prefix: a row comparison the index seeks to directly.
    const row = `(${cols})`;
    const params = t.prefix.map((_, i) => `$${i + 1}`).join(', ');
    key = (
      await c.query({
        text: `SELECT ${cols} FROM ${t.table} WHERE ${row} > (${params}) ORDER BY ${cols} LIMIT 1`,
        values: key,
        rowMode: 'array',
      })
    ).rows[0] as Value[] | undefined;
  }
  return removed;
}

// ---- schema ----

/** Applies the numbered migrations the database has not seen, under an advisory lock, in one transaction. */
async function migrate(pool: pg.Pool): Promise<number> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)');
    const { rows } = await c.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    const current = rows[0].v ?? 0;
    if (current > PG_MIGRATIONS.length) {
      throw new Error(`recording schema version ${current} is newer than this program (${PG_MIGRATIONS.length}); refusing to touch it`);
    }
    for (let v = current; v < PG_MIGRATIONS.length; v++) {
      await c.query(PG_MIGRATIONS[v]);
      await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, (extract(epoch FROM now()) * 1000)::bigint)', [v + 1]);
    }
    await c.query('COMMIT');
    return PG_MIGRATIONS.length;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

// ---- helpers ----

/** A quoted identifier: catalogue keys keep their case (`pVen`). Only ever our own column names. */
function q(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Byte order, as SQLite compares text (and as the lock order must be the same for every instance). */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function rowKey(bedId: string, part: string, ts: number): string {
  return `${bedId}\u0000${part}\u0000${ts}`;
}

/** The first of each key, as INSERT ... DO NOTHING keeps the first of a batch. */
function dedupe<T>(rows: readonly T[], key: (r: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    if (!seen.has(k)) seen.set(k, r);
  }
  return [...seen.values()];
}

/** Times beyond any stored row (bigint holds ±9.2e18): a query to ±Infinity still answers. */
const MAX_MS = Number.MAX_SAFE_INTEGER;
function clampMs(v: number): number {
  return Number.isNaN(v) ? 0 : Math.max(-MAX_MS, Math.min(MAX_MS, v));
}

/** Whole-ms bounds of [from, to] that keep the same integer times (times are stored to the millisecond). */
function msRange(from: number, to: number): [number, number] {
  return [clampMs(Math.ceil(from)), clampMs(Math.floor(to))];
}

/** PostgreSQL text cannot hold NUL: it becomes U+FFFD rather than fail the write (or a whole batch). */
function text(s: string): string {
  return s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s;
}

/** JSON for a jsonb column (which cannot hold \u0000 either). */
function json(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' ? text(x) : x));
}

function reason(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length) return e.errors.map(reason).join('; ');
  const err = e as { message?: string; code?: string };
  return err?.message || err?.code || String(e);
}

const EVENT_COLUMNS = 'id, bed_id, type, ts, note, "by", source, status, markers::text AS markers, detected_ts, reviewed_by, reviewed_at';
