// SQLite recorder (better-sqlite3): WAL mode, rows queued in memory and written in one transaction
// every FLUSH_MS (sqlite-batch.ts). A device message is one row of its feed's wide table
// (docs/decisions/0001), keyed by (bed, ts) — lab rows by (bed, site, ts) — with a `present` mask
// of the keys it carried; inserts are idempotent on that key, so a replay never stores a message
// twice. Schema changes are numbered migrations; an upgrade migrates the recording and never wipes
// it.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BedLimitsOverrides } from '../../shared/alarms.js';
import type { Alarm, TimelineEvent } from '../../shared/protocol.js';
import type { EventStatus } from '../../shared/timeline.js';
import type { Patient } from '../../shared/schemas.js';
import { DERIVED_COLUMNS } from './columns.js';
import { MIGRATIONS } from './migrations.js';
import { CheckpointThread } from './checkpoint.js';
import { MAX_PENDING_ROWS } from './pending.js';
import { WriteQueue, type WriteHealth } from './write-queue.js';
import { FEED_TABLES, locateSignal, type Feed } from './measurements.js';
import { BED_SQL, BatchWriter, queuedDerived, queuedMeasurement, type QueuedDerived, type QueuedMeasurement } from './sqlite-batch.js';
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

export class SqliteRecorder implements Recorder {
  readonly db: Database.Database;
  /** The recording on disk: the database and its write-ahead log (what the disk monitor measures). */
  readonly files: readonly string[];
  /** Device data, and beds first seen while writing failed, waiting for the next batch. */
  private readonly writes: WriteQueue<QueuedMeasurement, QueuedDerived>;
  private readonly writer: BatchWriter;
  private readonly checkpoints: CheckpointThread;
  private readonly stmt;

  constructor(
    dataDir: string,
    private readonly onError: (e: unknown) => void = () => {},
    private readonly maxPendingRows = MAX_PENDING_ROWS,
  ) {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'recording.sqlite');
    this.files = [file, `${file}-wal`];
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.writer = new BatchWriter(this.db);
    this.checkpoints = new CheckpointThread(this.db, file, onError);
    this.writes = new WriteQueue({
      write: async (batch) => {
        // Started with the first batch: a recording that is only read (exports, replay) needs none.
        this.checkpoints.start();
        this.writer.write(batch);
      },
      onError,
      maxPendingRows,
      reason: (e) => (e instanceof Error ? e.message : String(e)),
    });
    this.stmt = {
      infusions: this.db.prepare(
        'SELECT channel, ts, drug, rate_ml_h, concentration, concentration_unit, running FROM infusions WHERE bed_id = ? AND ts >= ? AND ts <= ? ORDER BY ts',
      ),
      bed: this.db.prepare(BED_SQL),
      beds: this.db.prepare('SELECT bed_id FROM beds WHERE discharged_at IS NULL ORDER BY bed_id'),
      bedDischarge: this.db.prepare('UPDATE beds SET discharged_at = ? WHERE bed_id = ?'),
      patientPut: this.db.prepare(
        'INSERT INTO patients (bed_id, data, updated_at) VALUES (?, ?, ?) ON CONFLICT(bed_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
      ),
      patientHistory: this.db.prepare('INSERT INTO patient_history (bed_id, data, changed_at) VALUES (?, ?, ?)'),
      patients: this.db.prepare('SELECT bed_id, data FROM patients'),
      userGet: this.db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`),
      users: this.db.prepare(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`),
      userPut: this.db.prepare(
        `INSERT INTO users (username, role, password_hash, created_at, token_version, disabled) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(username) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash,
           token_version = excluded.token_version, disabled = excluded.disabled`,
      ),
      userDelete: this.db.prepare('DELETE FROM users WHERE username = ?'),
      tokenRevoke: this.db.prepare('INSERT OR IGNORE INTO revoked_tokens (jti, expires_at) VALUES (?, ?)'),
      tokensRevoked: this.db.prepare('SELECT jti FROM revoked_tokens WHERE expires_at >= ?'),
      tokensExpired: this.db.prepare('DELETE FROM revoked_tokens WHERE expires_at < ?'),
      userCount: this.db.prepare('SELECT COUNT(*) AS n FROM users'),
      eventAdd: this.db.prepare(
        `INSERT OR IGNORE INTO events (bed_id, type, ts, note, by, source, created_at, status, markers, detected_ts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      events: this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE bed_id = ? ORDER BY ts, id`),
      eventGet: this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`),
      eventReview: this.db.prepare('UPDATE events SET status = ?, ts = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?'),
      alarmPut: this.db.prepare(
        `INSERT INTO alarms (id, bed_id, key, kind, priority, message, value, limit_value, state, latched, raised_at, cleared_at, acked_by, acked_at, updated_at)
         VALUES (@id, @bedId, @key, @kind, @priority, @message, @value, @limit, @state, @latched, @raisedAt, @clearedAt, @ackedBy, @ackedAt, @updatedAt)
         ON CONFLICT(id) DO UPDATE SET priority = excluded.priority, message = excluded.message, value = excluded.value,
           limit_value = excluded.limit_value, state = excluded.state, latched = excluded.latched, cleared_at = excluded.cleared_at,
           acked_by = excluded.acked_by, acked_at = excluded.acked_at, updated_at = excluded.updated_at`,
      ),
      alarmLogAdd: this.db.prepare(
        'INSERT INTO alarm_log (alarm_id, at, state, priority, latched, value, acked_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      alarmGet: this.db.prepare(`SELECT ${ALARM_COLUMNS} FROM alarms WHERE id = ?`),
      alarmsOpen: this.db.prepare(`SELECT ${ALARM_COLUMNS} FROM alarms WHERE state = 'active' OR latched = 1`),
      alarmLog: this.db.prepare('SELECT at, state, priority, latched, value, acked_by FROM alarm_log WHERE alarm_id = ? ORDER BY seq'),
      limitsPut: this.db.prepare(
        'INSERT INTO bed_limits (bed_id, data, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT(bed_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
      ),
      limitsAll: this.db.prepare('SELECT bed_id, data FROM bed_limits'),
      auditAdd: this.db.prepare('INSERT INTO audit (at, username, action, target, detail) VALUES (?, ?, ?, ?, ?)'),
      auditList: this.db.prepare('SELECT at, username, action, target, detail FROM audit ORDER BY seq DESC LIMIT ?'),
      minutes: this.db.prepare(
        'SELECT minute, n, sum, min, max FROM minute_aggregates WHERE bed_id = ? AND signal = ? AND minute >= ? AND minute <= ? ORDER BY minute',
      ),
      metaGet: this.db.prepare('SELECT value FROM meta WHERE key = ?'),
      metaPut: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
  }

  // While writing fails the queues grow; past maxPendingRows further rows are not kept (counted in
  // writeHealth): memory stays bounded, and live monitoring goes on from memory regardless.

  addMeasurement(row: MeasurementRow): void {
    if (!this.writes.admit()) return;
    const queued = queuedMeasurement(row);
    if (queued) this.writes.addRow(queued); // else no value of this feed: nothing to write
  }

  addWaveform(row: WaveformRow): void {
    if (this.writes.admit()) this.writes.addWave(row);
  }

  addInfusion(row: InfusionRow): void {
    if (this.writes.admit()) this.writes.addInfusion(row);
  }

  async infusions(bedId: string, fromMs: number, toMs: number): Promise<InfusionRow[]> {
    await this.flush();
    type Row = {
      channel: string;
      ts: number;
      drug: string;
      rate_ml_h: number;
      concentration: number;
      concentration_unit: string;
      running: number;
    };
    return (this.stmt.infusions.all(bedId, fromMs, toMs) as Row[]).map((r) => ({
      bedId,
      channel: r.channel,
      ts: r.ts,
      drug: r.drug,
      rateMlH: r.rate_ml_h,
      concentration: r.concentration,
      concentrationUnit: r.concentration_unit,
      running: r.running === 1,
    }));
  }

  addDerived(row: DerivedRow): void {
    if (this.writes.admit()) this.writes.addDerived(queuedDerived(row));
  }

  writeHealth(): WriteHealth {
    return this.writes.health();
  }

  pending(): number {
    return this.writes.pending();
  }

  /** Writes what is queued (after the batch being written); never rejects: a failure keeps the rows. */
  flush(): Promise<void> {
    return this.writes.flush();
  }

  whenWritten(written: () => void): void {
    this.writes.whenWritten(written);
  }

  async ensureBed(bedId: string, nowMs: number): Promise<void> {
    try {
      this.stmt.bed.run(bedId, nowMs);
    } catch (e) {
      // A full or failing disk: the bed is written with the next batch that succeeds, so a bed first
      // seen now is still in the recording after a restart (its values wait in the queue too).
      this.writes.bedNotWritten(bedId, nowMs, e);
    }
  }

  async dischargeBed(bedId: string, nowMs: number): Promise<void> {
    await this.flush(); // its last messages belong to the recording before it leaves the ward
    this.stmt.bedDischarge.run(nowMs, bedId);
  }

  async listBeds(): Promise<string[]> {
    return (this.stmt.beds.all() as { bed_id: string }[]).map((r) => r.bed_id);
  }

  async savePatient(bedId: string, patient: Patient, nowMs: number): Promise<void> {
    const data = JSON.stringify(patient);
    this.db
      .transaction(() => {
        this.stmt.bed.run(bedId, nowMs);
        this.stmt.patientPut.run(bedId, data, nowMs);
        this.stmt.patientHistory.run(bedId, data, nowMs);
      })
      .immediate();
  }

  async loadPatients(): Promise<Map<string, Patient>> {
    const out = new Map<string, Patient>();
    for (const r of this.stmt.patients.all() as { bed_id: string; data: string }[]) out.set(r.bed_id, JSON.parse(r.data) as Patient);
    return out;
  }

  async samples(bedId: string, signals: readonly string[], fromMs: number, toMs: number): Promise<SampleRow[]> {
    await this.flush();
    const out: SampleRow[] = [];
    for (const signal of signals) {
      if ((DERIVED_COLUMNS as readonly string[]).includes(signal)) {
        const sql = `SELECT ts, "${signal}" AS value FROM derived_samples WHERE bed_id = ? AND ts >= ? AND ts <= ? ORDER BY ts`;
        for (const r of this.cached(sql).iterate(bedId, fromMs, toMs) as Iterable<{ ts: number; value: number | null }>) {
          out.push({ bedId, signal, ts: r.ts, value: r.value, source: 'derived' });
        }
        continue;
      }
      const loc = locateSignal(signal);
      if (!loc) continue;
      const { table } = FEED_TABLES[loc.feed];
      const site = loc.site ? ' AND site = ?' : '';
      const sql = `SELECT ts, "${loc.column}" AS value FROM ${table} WHERE bed_id = ?${site} AND ts >= ? AND ts <= ? AND (present & ${1 << loc.bit}) != 0 ORDER BY ts`;
      const args = loc.site ? [bedId, loc.site, fromMs, toMs] : [bedId, fromMs, toMs];
      for (const r of this.cached(sql).iterate(...args) as Iterable<{ ts: number; value: number | null }>) {
        out.push({ bedId, signal, ts: r.ts, value: r.value, source: loc.feed });
      }
    }
    return out;
  }

  async minuteAggregates(bedId: string, signals: readonly string[], fromMinute: number, toMinute: number): Promise<MinuteAggregate[]> {
    await this.flush();
    const out: MinuteAggregate[] = [];
    for (const signal of signals) {
      for (const r of this.stmt.minutes.iterate(bedId, signal, fromMinute, toMinute) as Iterable<{
        minute: number;
        n: number;
        sum: number;
        min: number;
        max: number;
      }>)
        out.push({ bedId, signal, minute: r.minute, n: r.n, sum: r.sum, min: r.min, max: r.max });
    }
    return out;
  }

  async recentSamples(bedId: string, feed: Feed, fromMs: number, toMs: number): Promise<SampleRow[]> {
    await this.flush();
    const { table, keys, bySite } = FEED_TABLES[feed];
    const sql = `SELECT * FROM ${table} WHERE bed_id = ? AND ts >= ? AND ts <= ? ORDER BY ts`;
    const out: SampleRow[] = [];
    for (const r of this.cached(sql).iterate(bedId, fromMs, toMs) as Iterable<Record<string, number | string | null>>) {
      const present = r.present as number;
      for (let bit = 0; bit < keys.length; bit++) {
        if (!(present & (1 << bit))) continue;
        const signal = bySite ? `lab.${r.site}.${keys[bit]}` : keys[bit];
        out.push({ bedId, signal, ts: r.ts as number, value: r[keys[bit]] as number | null, source: feed });
      }
    }
    return out;
  }

  async prune(kind: RetentionKind, beforeMs: number, maxRows: number): Promise<number> {
    const max = Math.floor(maxRows);
    if (!(max > 0)) return 0;
    await this.flush(); // what is queued is part of the recording: an old row waiting in memory goes too
    // An aggregate goes when its whole minute lies before the cut-off.
    const cut = kind === 'aggregates' ? Math.floor(beforeMs / MS_PER_MINUTE) : beforeMs;
    return this.db
      .transaction(() => {
        let removed = 0;
        for (const t of PRUNE_TABLES[kind]) {
          removed += this.pruneTable(t, cut, max - removed);
          if (removed >= max) break;
        }
        return removed;
      })
      .immediate();
  }

  /**
   * Removes up to maxRows rows older than `cut` from one table, walking its primary key: each
   * distinct key prefix (a bed, a bed's signal) is found by a seek and its oldest rows deleted by a
   * range of the key, so a batch never scans the table, however large it has grown.
   */
  private pruneTable(t: PruneTable, cut: number, maxRows: number): number {
    const cols = t.prefix.join(', ');
    const first = this.cachedRaw(`SELECT ${cols} FROM ${t.table} ORDER BY ${cols} LIMIT 1`);
    const same = t.prefix.map((c) => `${c} = ?`).join(' AND ');
    const del = this.cached(
      `DELETE FROM ${t.table} WHERE ${same} AND ${t.time} IN (SELECT ${t.time} FROM ${t.table} WHERE ${same} AND ${t.time} < ? ORDER BY ${t.time} LIMIT ?)`,
    );
    let removed = 0;
    let key = first.get() as unknown[] | undefined;
    while (key && removed < maxRows) {
      removed += del.run(...key, ...key, cut, maxRows - removed).changes;
      key = this.nextPrefix(t, key);
    }
    return removed;
  }

  /**
   * The key prefix after `key` ((bed, signal) after (bed, signal'), else the next bed's first). One
   * seek per column: a row value `(a, b) > (?, ?)` would walk every row of the current prefix.
   */
  private nextPrefix(t: PruneTable, key: unknown[]): unknown[] | undefined {
    const cols = t.prefix.join(', ');
    for (let i = t.prefix.length - 1; i >= 0; i--) {
      const where = [...t.prefix.slice(0, i).map((c) => `${c} = ?`), `${t.prefix[i]} > ?`].join(' AND ');
      const found = this.cachedRaw(`SELECT ${cols} FROM ${t.table} WHERE ${where} ORDER BY ${cols} LIMIT 1`).get(...key.slice(0, i + 1)) as
        unknown[] | undefined;
      if (found) return found;
    }
    return undefined;
  }

  async getUser(username: string): Promise<UserRow | undefined> {
    const r = this.stmt.userGet.get(username) as UserDbRow | undefined;
    return r && userOfRow(r);
  }

  async listUsers(): Promise<UserRow[]> {
    return (this.stmt.users.all() as UserDbRow[]).map(userOfRow);
  }

  async putUser(u: UserRow): Promise<void> {
    this.stmt.userPut.run(u.username, u.role, u.passwordHash, u.createdAt, u.tokenVersion ?? 0, u.disabled ? 1 : 0);
  }

  async deleteUser(username: string): Promise<boolean> {
    return this.stmt.userDelete.run(username).changes > 0;
  }

  async revokeToken(jti: string, expiresAtMs: number): Promise<void> {
    this.stmt.tokenRevoke.run(jti, expiresAtMs);
  }

  async revokedTokens(nowMs: number): Promise<string[]> {
    this.stmt.tokensExpired.run(nowMs);
    return (this.stmt.tokensRevoked.all(nowMs) as { jti: string }[]).map((r) => r.jti);
  }

  async countUsers(): Promise<number> {
    return (this.stmt.userCount.get() as { n: number }).n;
  }

  async addEvent(e: NewEvent, recordedAtMs: number): Promise<TimelineEvent | null> {
    const info = this.stmt.eventAdd.run(
      e.bedId,
      e.type,
      e.ts,
      e.note,
      e.by,
      e.source,
      recordedAtMs,
      e.status,
      e.markers ? JSON.stringify(e.markers) : null,
      e.source === 'device' ? e.ts : null,
    );
    // A device candidate already recorded (replayed data detects it again): nothing new.
    if (info.changes === 0) return null;
    return eventOfRow(this.stmt.eventGet.get(Number(info.lastInsertRowid)) as EventDbRow);
  }

  async listEvents(bedId: string): Promise<TimelineEvent[]> {
    return (this.stmt.events.all(bedId) as EventDbRow[]).map(eventOfRow);
  }

  async getEvent(id: number): Promise<TimelineEvent | undefined> {
    const r = this.stmt.eventGet.get(id) as EventDbRow | undefined;
    return r && eventOfRow(r);
  }

  async reviewEvent(id: number, review: { status: EventStatus; ts: number; by: string; atMs: number }): Promise<TimelineEvent | undefined> {
    this.stmt.eventReview.run(review.status, review.ts, review.by, review.atMs, id);
    return this.getEvent(id);
  }

  async saveAlarm(a: Alarm, atMs: number): Promise<void> {
    this.db
      .transaction(() => {
        this.stmt.alarmPut.run({
          id: a.id,
          bedId: a.bedId,
          key: a.key,
          kind: a.kind,
          priority: a.priority,
          message: a.message,
          value: a.value ?? null,
          limit: a.limit ?? null,
          state: a.state,
          latched: a.latched ? 1 : 0,
          raisedAt: a.raisedAt,
          clearedAt: a.clearedAt ?? null,
          ackedBy: a.ackedBy ?? null,
          ackedAt: a.ackedAt ?? null,
          updatedAt: atMs,
        });
        this.stmt.alarmLogAdd.run(a.id, atMs, a.state, a.priority, a.latched ? 1 : 0, a.value ?? null, a.ackedBy ?? null);
      })
      .immediate();
  }

  async listAlarms(q: AlarmQuery): Promise<Alarm[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.toMs !== undefined) {
      where.push('raised_at <= ?');
      args.push(q.toMs);
    }
    if (q.fromMs !== undefined) {
      where.push('(cleared_at IS NULL OR cleared_at >= ?)');
      args.push(q.fromMs);
    }
    if (q.bedId !== undefined) {
      where.push('bed_id = ?');
      args.push(q.bedId);
    }
    if (q.state !== undefined) {
      where.push('state = ?');
      args.push(q.state);
    }
    const sql = `SELECT ${ALARM_COLUMNS} FROM alarms ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY raised_at DESC, id LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as AlarmDbRow[]).map(alarmOfRow);
  }

  async getAlarm(id: string): Promise<Alarm | undefined> {
    const r = this.stmt.alarmGet.get(id) as AlarmDbRow | undefined;
    return r && alarmOfRow(r);
  }

  async openAlarms(): Promise<Alarm[]> {
    return (this.stmt.alarmsOpen.all() as AlarmDbRow[]).map(alarmOfRow);
  }

  async alarmLog(id: string): Promise<AlarmLogRow[]> {
    return (
      this.stmt.alarmLog.all(id) as {
        at: number;
        state: Alarm['state'];
        priority: Alarm['priority'];
        latched: number;
        value: number | null;
        acked_by: string | null;
      }[]
    ).map((r) => ({ at: r.at, state: r.state, priority: r.priority, latched: r.latched === 1, value: r.value, ackedBy: r.acked_by }));
  }

  async saveLimits(bedId: string, overrides: BedLimitsOverrides, by: string, nowMs: number): Promise<void> {
    this.stmt.limitsPut.run(bedId, JSON.stringify(overrides), nowMs, by);
  }

  async loadLimits(): Promise<Map<string, BedLimitsOverrides>> {
    const out = new Map<string, BedLimitsOverrides>();
    for (const r of this.stmt.limitsAll.all() as { bed_id: string; data: string }[])
      out.set(r.bed_id, JSON.parse(r.data) as BedLimitsOverrides);
    return out;
  }

  async audit(e: AuditEntry): Promise<void> {
    this.stmt.auditAdd.run(e.at, e.username, e.action, e.target, e.detail === undefined ? null : JSON.stringify(e.detail));
  }

  async listAudit(limit: number): Promise<AuditEntry[]> {
    return (
      this.stmt.auditList.all(limit) as { at: number; username: string; action: string; target: string | null; detail: string | null }[]
    ).map((r) => ({
      at: r.at,
      username: r.username,
      action: r.action,
      target: r.target,
      detail: r.detail === null ? undefined : (JSON.parse(r.detail) as unknown),
    }));
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (this.stmt.metaGet.get(key) as { value: string } | undefined)?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.stmt.metaPut.run(key, value);
  }

  async claimMeta(key: string, value: string): Promise<string> {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(key, value);
    return (await this.getMeta(key))!;
  }

  async close(): Promise<void> {
    await this.writes.close();
    await this.checkpoints.stop();
    this.db.close();
  }

  private readonly statements = new Map<string, Database.Statement>();

  private cached(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  /** A cached statement answering rows as arrays (in column order). */
  private cachedRaw(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql).raw(true);
      this.statements.set(sql, st);
    }
    return st;
  }
}

const MS_PER_MINUTE = 60_000;

/** A table retention prunes: the leading columns of its primary key before its time column. */
interface PruneTable {
  table: string;
  prefix: readonly string[];
  time: 'ts' | 'minute';
}

/**
 * The tables of each retention kind. The study record (events, alarms, alarm_log, audit, patients,
 * patient_history, beds, bed_limits, users) is in none of them: it is kept forever.
 */
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

const EVENT_COLUMNS = 'id, bed_id, type, ts, note, by, source, status, markers, detected_ts, reviewed_by, reviewed_at';

/** Applies the numbered migrations the file has not seen yet, each in its own transaction. */
function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`recording schema version ${current} is newer than this program (${MIGRATIONS.length}); refusing to touch it`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return MIGRATIONS.length;
}
