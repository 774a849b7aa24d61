// Numbered schema migrations of the recording. Append only: a released migration is never edited,
// so that every existing recording upgrades in place (PRAGMA user_version holds the count applied).

export const MIGRATIONS: readonly string[] = [
  // 1: the first recording layout.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE beds (bed_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
  CREATE TABLE patients (bed_id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE patient_history (id INTEGER PRIMARY KEY, bed_id TEXT NOT NULL, data TEXT NOT NULL, changed_at INTEGER NOT NULL);
  CREATE TABLE samples (
    bed_id TEXT NOT NULL, signal TEXT NOT NULL, ts INTEGER NOT NULL, value REAL, source TEXT NOT NULL,
    PRIMARY KEY (bed_id, signal, ts)
  ) WITHOUT ROWID;
  CREATE TABLE waveforms (
    bed_id TEXT NOT NULL, signal TEXT NOT NULL, ts INTEGER NOT NULL, rate_hz REAL NOT NULL, samples BLOB NOT NULL,
    PRIMARY KEY (bed_id, signal, ts)
  ) WITHOUT ROWID;
  CREATE TABLE users (username TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE events (
    id INTEGER PRIMARY KEY, bed_id TEXT NOT NULL, type TEXT NOT NULL, ts INTEGER NOT NULL, note TEXT,
    by TEXT NOT NULL, source TEXT NOT NULL, created_at INTEGER NOT NULL
  );
  CREATE INDEX events_bed_ts ON events (bed_id, ts);
  CREATE TABLE infusions (
    bed_id TEXT NOT NULL, channel TEXT NOT NULL, ts INTEGER NOT NULL, drug TEXT NOT NULL, rate_ml_h REAL NOT NULL,
    concentration REAL NOT NULL, concentration_unit TEXT NOT NULL, running INTEGER NOT NULL,
    PRIMARY KEY (bed_id, channel, ts)
  ) WITHOUT ROWID;
  `,
];
