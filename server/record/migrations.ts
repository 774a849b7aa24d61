// Numbered schema migrations of the recording. Append only: a released migration is never edited,
// so that every existing recording upgrades in place (PRAGMA user_version holds the count applied).

export const MIGRATIONS: readonly string[] = [
  // 1: the first recording layout.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE beds (bed_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
  CREATE TABLE patients (bed_id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE patient_history (id INTEGER PRIMARY KEY, bed_id TEXT NOT NULL, data TEXT NOT NULL, changed_at INTEGER NOT NULL);
  -- One row per device message, one column per catalogue key (server/record/measurements.ts).
  CREATE TABLE monitor_samples (
    bed_id TEXT NOT NULL, ts INTEGER NOT NULL, present INTEGER NOT NULL,
    hr REAL, sbp REAL, dbp REAL, map REAL, cvp REAL, spo2 REAL, rr REAL, temp REAL, etco2 REAL,
    PRIMARY KEY (bed_id, ts)
  ) WITHOUT ROWID;
  CREATE TABLE ecmo_samples (
    bed_id TEXT NOT NULL, ts INTEGER NOT NULL, present INTEGER NOT NULL,
    rpm REAL, flow REAL, sweep REAL, fdo2 REAL, pVen REAL, pPre REAL, pPost REAL, svo2 REAL, postOxySat REAL,
    postOxyPo2 REAL, hb REAL, hct REAL, tBlood REAL,
    PRIMARY KEY (bed_id, ts)
  ) WITHOUT ROWID;
  CREATE TABLE lab_samples (
    bed_id TEXT NOT NULL, site TEXT NOT NULL, ts INTEGER NOT NULL, present INTEGER NOT NULL,
    lactate REAL, hb REAL, po2 REAL, pco2 REAL, so2 REAL, ph REAL,
    PRIMARY KEY (bed_id, site, ts)
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
  // 2: alarms with their whole life, per-bed alarm limits, and the audit log of who changed what.
  `
  CREATE TABLE alarms (
    id TEXT PRIMARY KEY, bed_id TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL, priority TEXT NOT NULL,
    message TEXT NOT NULL, value REAL, limit_value REAL, state TEXT NOT NULL, latched INTEGER NOT NULL,
    raised_at INTEGER NOT NULL, cleared_at INTEGER, acked_by TEXT, acked_at INTEGER, updated_at INTEGER NOT NULL
  );
  CREATE INDEX alarms_bed_raised ON alarms (bed_id, raised_at);
  CREATE INDEX alarms_open ON alarms (state, latched);
  CREATE TABLE alarm_log (
    seq INTEGER PRIMARY KEY, alarm_id TEXT NOT NULL, at INTEGER NOT NULL, state TEXT NOT NULL, priority TEXT NOT NULL,
    latched INTEGER NOT NULL, value REAL, acked_by TEXT
  );
  CREATE INDEX alarm_log_alarm ON alarm_log (alarm_id, seq);
  CREATE TABLE bed_limits (bed_id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL);
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, username TEXT NOT NULL, action TEXT NOT NULL, target TEXT, detail TEXT
  );
  CREATE INDEX audit_at ON audit (at);
  `,
  // 3: timeline events get a review status (device-detected candidates), the markers at their
  // moment, who reviewed them, and the detected time that keeps a device candidate unique.
  `
  ALTER TABLE events ADD COLUMN status TEXT NOT NULL DEFAULT 'confirmed';
  ALTER TABLE events ADD COLUMN markers TEXT;
  ALTER TABLE events ADD COLUMN detected_ts INTEGER;
  ALTER TABLE events ADD COLUMN reviewed_by TEXT;
  ALTER TABLE events ADD COLUMN reviewed_at INTEGER;
  CREATE UNIQUE INDEX events_device_once ON events (bed_id, type, detected_ts) WHERE source = 'device';
  `,
  // 4: derived values once a second per bed with their quality (server/record/columns.ts).
  `
  CREATE TABLE derived_samples (
    bed_id TEXT NOT NULL, ts INTEGER NOT NULL, quality TEXT NOT NULL,
    bsa REAL, flowIndex REAL, flowPerKg REAL, cao2Post REAL, cvo2 REAL, do2Ecmo REAL, do2i REAL, vo2Oxy REAL,
    vo2i REAL, o2er REAL, do2Vo2 REAL, dpOxy REAL, rOxy REAL, perfusionPressure REAL, pulsePressure REAL,
    shockIndex REAL, vis REAL, lactateClearance2h REAL, lactateClearance6h REAL, phoenixCv REAL,
    PRIMARY KEY (bed_id, ts)
  ) WITHOUT ROWID;
  `,
];
