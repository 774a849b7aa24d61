// The device data of one flush — new beds, measurements, waveforms, infusions, derived values —
// written in one transaction with the per-minute aggregates of what it wrote (the SQLite recorder's
// flush). Rows are queued as their inserts' arguments, built when they arrive: what waits for the
// flush is a flat array per message, not the message's dozen objects, which then die young instead
// of being carried through the garbage collector for up to FLUSH_MS.
import type Database from 'better-sqlite3';
import { DERIVED_COLUMNS, QUALITY_LETTERS } from './columns.js';
import { FEED_TABLES, locateSignal, type Feed } from './measurements.js';
import type { PendingBatch } from './pending.js';
import type { DerivedRow, MeasurementRow } from './recorder.js';

/** A measurement as its insert's arguments: bed_id, [site], ts, present, then the feed's columns. */
export interface QueuedMeasurement {
  feed: Feed;
  args: (string | number | null)[];
}

/** Derived values as their insert's arguments: bed_id, ts, quality letters, then DERIVED_COLUMNS. */
export type QueuedDerived = (string | number | null)[];

/** What one flush writes (beds: first seen while writing failed). */
export type DeviceBatch = PendingBatch<QueuedMeasurement, QueuedDerived>;

/** One message, one row: the values go to their columns, `present` records which keys came. Null: no value of this feed. */
export function queuedMeasurement(r: MeasurementRow): QueuedMeasurement | null {
  const { keys, bySite } = FEED_TABLES[r.feed];
  const base = bySite ? 4 : 3;
  const args = new Array<string | number | null>(keys.length + base).fill(null);
  args[0] = r.bedId;
  let site: string | undefined;
  let present = 0;
  for (const { signal, value } of r.values) {
    const loc = locateSignal(signal);
    if (!loc || loc.feed !== r.feed) continue;
    site = loc.site;
    present |= 1 << loc.bit;
    args[base + loc.bit] = value;
  }
  if (!present) return null;
  if (bySite) args[1] = site!;
  args[base - 2] = r.ts;
  args[base - 1] = present;
  return { feed: r.feed, args };
}

/** One row per bed and moment: every derived value, and its quality as one letter per column. */
export function queuedDerived(r: DerivedRow): QueuedDerived {
  const args = new Array<string | number | null>(DERIVED_COLUMNS.length + 3);
  let quality = '';
  for (let i = 0; i < DERIVED_COLUMNS.length; i++) {
    const dv = r.values[DERIVED_COLUMNS[i]];
    args[3 + i] = dv?.value ?? null;
    quality += QUALITY_LETTERS[dv?.quality ?? 'missing'];
  }
  args[0] = r.bedId;
  args[1] = r.ts;
  args[2] = quality;
  return args;
}

const MS_PER_MINUTE = 60_000;

/**
 * The aggregates of one bed's minute for one table (one lab site): count, sum, min and max per
 * column, in typed arrays indexed like the table's columns (no object per value).
 */
class MinuteBlock {
  readonly n: Uint32Array;
  readonly sum: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;

  constructor(
    readonly bedId: string,
    readonly minute: number,
    /** The signal each column aggregates (its name in minute_aggregates). */
    readonly signals: readonly string[],
  ) {
    const k = signals.length;
    this.n = new Uint32Array(k);
    this.sum = new Float64Array(k);
    this.min = new Float64Array(k);
    this.max = new Float64Array(k);
  }

  add(i: number, value: number): void {
    if (this.n[i]++ === 0) {
      this.sum[i] = value;
      this.min[i] = value;
      this.max[i] = value;
      return;
    }
    this.sum[i] += value;
    if (value < this.min[i]) this.min[i] = value;
    if (value > this.max[i]) this.max[i] = value;
  }
}

/** A lab site's column names as minute_aggregates names them (`lab.<site>.<key>`); other tables' are their keys. */
const labSignals = new Map<string, readonly string[]>();
function labSignalsOf(site: string): readonly string[] {
  let s = labSignals.get(site);
  if (!s) {
    s = FEED_TABLES.lab.keys.map((k) => `lab.${site}.${k}`);
    labSignals.set(site, s);
  }
  return s;
}

export class BatchWriter {
  private readonly stmt;
  /** Per-minute aggregates of the rows written in the current batch: by table (lab: and site), bed and minute. */
  private readonly minuteBatch = new Map<string, MinuteBlock>();

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      measurement: {
        monitor: db.prepare(insertSql('monitor')),
        ecmo: db.prepare(insertSql('ecmo')),
        lab: db.prepare(insertSql('lab')),
      },
      derived: db.prepare(
        `INSERT OR IGNORE INTO derived_samples (bed_id, ts, quality, ${DERIVED_COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${new Array(
          DERIVED_COLUMNS.length + 3,
        )
          .fill('?')
          .join(', ')})`,
      ),
      wave: db.prepare('INSERT OR IGNORE INTO waveforms (bed_id, signal, ts, rate_hz, samples) VALUES (?, ?, ?, ?, ?)'),
      infusion: db.prepare(
        'INSERT OR IGNORE INTO infusions (bed_id, channel, ts, drug, rate_ml_h, concentration, concentration_unit, running) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      bed: db.prepare(BED_SQL),
      minuteAdd: db.prepare(
        `INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(bed_id, signal, minute) DO UPDATE SET n = n + excluded.n, sum = sum + excluded.sum,
           min = MIN(min, excluded.min), max = MAX(max, excluded.max)`,
      ),
    };
  }

  /** Writes the batch in one transaction; throws (and writes nothing) when the database refuses. */
  write(b: DeviceBatch): void {
    try {
      this.db
        .transaction(() => {
          for (const [bedId, atMs] of b.beds) this.stmt.bed.run(bedId, atMs);
          for (const r of b.rows) this.writeMeasurement(r);
          const w = this.stmt.wave;
          for (const r of b.waves) w.run(r.bedId, r.signal, r.ts, r.rateHz, Buffer.from(new Float32Array(r.samples).buffer));
          const f = this.stmt.infusion;
          for (const r of b.infusions)
            f.run(r.bedId, r.channel, r.ts, r.drug, r.rateMlH, r.concentration, r.concentrationUnit, r.running ? 1 : 0);
          for (const r of b.derived) this.writeDerived(r);
          const st = this.stmt.minuteAdd;
          for (const m of this.minuteBatch.values())
            for (let i = 0; i < m.signals.length; i++)
              if (m.n[i] > 0) st.run(m.bedId, m.signals[i], m.minute, m.n[i], m.sum[i], m.min[i], m.max[i]);
        })
        .immediate();
    } finally {
      // Written, or rolled back with the rows (rebuilt when they are written again).
      this.minuteBatch.clear();
    }
  }

  /** One message, one row; then its values' minute aggregates (a replayed row, ignored, adds nothing). */
  private writeMeasurement(q: QueuedMeasurement): void {
    const { args, feed } = q;
    if (this.stmt.measurement[feed].run(...args).changes === 0) return;
    const { keys, bySite } = FEED_TABLES[feed];
    const base = bySite ? 4 : 3;
    const present = args[base - 1] as number;
    const bedId = args[0] as string;
    const minute = Math.floor((args[base - 2] as number) / MS_PER_MINUTE);
    const block = bySite
      ? this.blockOf(`lab.${args[1] as string}`, bedId, minute, labSignalsOf(args[1] as string))
      : this.blockOf(feed, bedId, minute, keys);
    for (let bit = 0; bit < block.signals.length; bit++) {
      const value = args[base + bit];
      if (!(present & (1 << bit)) || value === null) continue;
      block.add(bit, value as number);
    }
  }

  private writeDerived(args: QueuedDerived): void {
    if (this.stmt.derived.run(...args).changes === 0) return;
    const bedId = args[0] as string;
    const block = this.blockOf('derived', bedId, Math.floor((args[1] as number) / MS_PER_MINUTE), DERIVED_COLUMNS);
    for (let i = 0; i < DERIVED_COLUMNS.length; i++) {
      const v = args[3 + i];
      if (typeof v === 'number') block.add(i, v);
    }
  }

  /** The aggregates of one table's (lab: site's) bed and minute in this batch: one lookup per row, not per value. */
  private blockOf(table: string, bedId: string, minute: number, signals: readonly string[]): MinuteBlock {
    const key = `${table}\u0000${bedId}\u0000${minute}`;
    let m = this.minuteBatch.get(key);
    if (!m) {
      m = new MinuteBlock(bedId, minute, signals);
      this.minuteBatch.set(key, m);
    }
    return m;
  }
}

/** A bed seen again after its discharge is a new admission: it is back in care. */
export const BED_SQL =
  'INSERT INTO beds (bed_id, created_at) VALUES (?, ?) ON CONFLICT(bed_id) DO UPDATE SET discharged_at = NULL WHERE discharged_at IS NOT NULL';

function insertSql(feed: Feed): string {
  const { table, keys, bySite } = FEED_TABLES[feed];
  const cols = ['bed_id', ...(bySite ? ['site'] : []), 'ts', 'present', ...keys.map((k) => `"${k}"`)];
  return `INSERT OR IGNORE INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
}
