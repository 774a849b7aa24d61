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
  // 5: per-minute aggregates of every recorded signal (count, sum, min, max of its non-null values),
  // so a trend over hours or days reads minutes, not seconds; filled from the rows already there.
  `
  CREATE TABLE minute_aggregates (
    bed_id TEXT NOT NULL, signal TEXT NOT NULL, minute INTEGER NOT NULL,
    n INTEGER NOT NULL, sum REAL NOT NULL, min REAL, max REAL,
    PRIMARY KEY (bed_id, signal, minute)
  ) WITHOUT ROWID;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'hr', ts / 60000, COUNT("hr"), TOTAL("hr"), MIN("hr"), MAX("hr") FROM monitor_samples
    WHERE (present & 1) != 0 AND "hr" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'sbp', ts / 60000, COUNT("sbp"), TOTAL("sbp"), MIN("sbp"), MAX("sbp") FROM monitor_samples
    WHERE (present & 2) != 0 AND "sbp" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'dbp', ts / 60000, COUNT("dbp"), TOTAL("dbp"), MIN("dbp"), MAX("dbp") FROM monitor_samples
    WHERE (present & 4) != 0 AND "dbp" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'map', ts / 60000, COUNT("map"), TOTAL("map"), MIN("map"), MAX("map") FROM monitor_samples
    WHERE (present & 8) != 0 AND "map" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'cvp', ts / 60000, COUNT("cvp"), TOTAL("cvp"), MIN("cvp"), MAX("cvp") FROM monitor_samples
    WHERE (present & 16) != 0 AND "cvp" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'spo2', ts / 60000, COUNT("spo2"), TOTAL("spo2"), MIN("spo2"), MAX("spo2") FROM monitor_samples
    WHERE (present & 32) != 0 AND "spo2" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'rr', ts / 60000, COUNT("rr"), TOTAL("rr"), MIN("rr"), MAX("rr") FROM monitor_samples
    WHERE (present & 64) != 0 AND "rr" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'temp', ts / 60000, COUNT("temp"), TOTAL("temp"), MIN("temp"), MAX("temp") FROM monitor_samples
    WHERE (present & 128) != 0 AND "temp" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'etco2', ts / 60000, COUNT("etco2"), TOTAL("etco2"), MIN("etco2"), MAX("etco2") FROM monitor_samples
    WHERE (present & 256) != 0 AND "etco2" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'rpm', ts / 60000, COUNT("rpm"), TOTAL("rpm"), MIN("rpm"), MAX("rpm") FROM ecmo_samples
    WHERE (present & 1) != 0 AND "rpm" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'flow', ts / 60000, COUNT("flow"), TOTAL("flow"), MIN("flow"), MAX("flow") FROM ecmo_samples
    WHERE (present & 2) != 0 AND "flow" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'sweep', ts / 60000, COUNT("sweep"), TOTAL("sweep"), MIN("sweep"), MAX("sweep") FROM ecmo_samples
    WHERE (present & 4) != 0 AND "sweep" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'fdo2', ts / 60000, COUNT("fdo2"), TOTAL("fdo2"), MIN("fdo2"), MAX("fdo2") FROM ecmo_samples
    WHERE (present & 8) != 0 AND "fdo2" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'pVen', ts / 60000, COUNT("pVen"), TOTAL("pVen"), MIN("pVen"), MAX("pVen") FROM ecmo_samples
    WHERE (present & 16) != 0 AND "pVen" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'pPre', ts / 60000, COUNT("pPre"), TOTAL("pPre"), MIN("pPre"), MAX("pPre") FROM ecmo_samples
    WHERE (present & 32) != 0 AND "pPre" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'pPost', ts / 60000, COUNT("pPost"), TOTAL("pPost"), MIN("pPost"), MAX("pPost") FROM ecmo_samples
    WHERE (present & 64) != 0 AND "pPost" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'svo2', ts / 60000, COUNT("svo2"), TOTAL("svo2"), MIN("svo2"), MAX("svo2") FROM ecmo_samples
    WHERE (present & 128) != 0 AND "svo2" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'postOxySat', ts / 60000, COUNT("postOxySat"), TOTAL("postOxySat"), MIN("postOxySat"), MAX("postOxySat") FROM ecmo_samples
    WHERE (present & 256) != 0 AND "postOxySat" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'postOxyPo2', ts / 60000, COUNT("postOxyPo2"), TOTAL("postOxyPo2"), MIN("postOxyPo2"), MAX("postOxyPo2") FROM ecmo_samples
    WHERE (present & 512) != 0 AND "postOxyPo2" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'hb', ts / 60000, COUNT("hb"), TOTAL("hb"), MIN("hb"), MAX("hb") FROM ecmo_samples
    WHERE (present & 1024) != 0 AND "hb" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'hct', ts / 60000, COUNT("hct"), TOTAL("hct"), MIN("hct"), MAX("hct") FROM ecmo_samples
    WHERE (present & 2048) != 0 AND "hct" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'tBlood', ts / 60000, COUNT("tBlood"), TOTAL("tBlood"), MIN("tBlood"), MAX("tBlood") FROM ecmo_samples
    WHERE (present & 4096) != 0 AND "tBlood" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'lab.' || site || '.lactate', ts / 60000, COUNT("lactate"), TOTAL("lactate"), MIN("lactate"), MAX("lactate") FROM lab_samples
    WHERE (present & 1) != 0 AND "lactate" IS NOT NULL GROUP BY bed_id, site, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'lab.' || site || '.hb', ts / 60000, COUNT("hb"), TOTAL("hb"), MIN("hb"), MAX("hb") FROM lab_samples
    WHERE (present & 2) != 0 AND "hb" IS NOT NULL GROUP BY bed_id, site, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'lab.' || site || '.po2', ts / 60000, COUNT("po2"), TOTAL("po2"), MIN("po2"), MAX("po2") FROM lab_samples
    WHERE (present & 4) != 0 AND "po2" IS NOT NULL GROUP BY bed_id, site, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'lab.' || site || '.pco2', ts / 60000, COUNT("pco2"), TOTAL("pco2"), MIN("pco2"), MAX("pco2") FROM lab_samples
    WHERE (present & 8) != 0 AND "pco2" IS NOT NULL GROUP BY bed_id, site, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'lab.' || site || '.so2', ts / 60000, COUNT("so2"), TOTAL("so2"), MIN("so2"), MAX("so2") FROM lab_samples
    WHERE (present & 16) != 0 AND "so2" IS NOT NULL GROUP BY bed_id, site, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'lab.' || site || '.ph', ts / 60000, COUNT("ph"), TOTAL("ph"), MIN("ph"), MAX("ph") FROM lab_samples
    WHERE (present & 32) != 0 AND "ph" IS NOT NULL GROUP BY bed_id, site, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'bsa', ts / 60000, COUNT("bsa"), TOTAL("bsa"), MIN("bsa"), MAX("bsa") FROM derived_samples
    WHERE "bsa" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'flowIndex', ts / 60000, COUNT("flowIndex"), TOTAL("flowIndex"), MIN("flowIndex"), MAX("flowIndex") FROM derived_samples
    WHERE "flowIndex" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'flowPerKg', ts / 60000, COUNT("flowPerKg"), TOTAL("flowPerKg"), MIN("flowPerKg"), MAX("flowPerKg") FROM derived_samples
    WHERE "flowPerKg" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'cao2Post', ts / 60000, COUNT("cao2Post"), TOTAL("cao2Post"), MIN("cao2Post"), MAX("cao2Post") FROM derived_samples
    WHERE "cao2Post" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'cvo2', ts / 60000, COUNT("cvo2"), TOTAL("cvo2"), MIN("cvo2"), MAX("cvo2") FROM derived_samples
    WHERE "cvo2" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'do2Ecmo', ts / 60000, COUNT("do2Ecmo"), TOTAL("do2Ecmo"), MIN("do2Ecmo"), MAX("do2Ecmo") FROM derived_samples
    WHERE "do2Ecmo" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'do2i', ts / 60000, COUNT("do2i"), TOTAL("do2i"), MIN("do2i"), MAX("do2i") FROM derived_samples
    WHERE "do2i" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'vo2Oxy', ts / 60000, COUNT("vo2Oxy"), TOTAL("vo2Oxy"), MIN("vo2Oxy"), MAX("vo2Oxy") FROM derived_samples
    WHERE "vo2Oxy" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'vo2i', ts / 60000, COUNT("vo2i"), TOTAL("vo2i"), MIN("vo2i"), MAX("vo2i") FROM derived_samples
    WHERE "vo2i" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'o2er', ts / 60000, COUNT("o2er"), TOTAL("o2er"), MIN("o2er"), MAX("o2er") FROM derived_samples
    WHERE "o2er" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'do2Vo2', ts / 60000, COUNT("do2Vo2"), TOTAL("do2Vo2"), MIN("do2Vo2"), MAX("do2Vo2") FROM derived_samples
    WHERE "do2Vo2" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'dpOxy', ts / 60000, COUNT("dpOxy"), TOTAL("dpOxy"), MIN("dpOxy"), MAX("dpOxy") FROM derived_samples
    WHERE "dpOxy" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'rOxy', ts / 60000, COUNT("rOxy"), TOTAL("rOxy"), MIN("rOxy"), MAX("rOxy") FROM derived_samples
    WHERE "rOxy" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'perfusionPressure', ts / 60000, COUNT("perfusionPressure"), TOTAL("perfusionPressure"), MIN("perfusionPressure"), MAX("perfusionPressure") FROM derived_samples
    WHERE "perfusionPressure" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'pulsePressure', ts / 60000, COUNT("pulsePressure"), TOTAL("pulsePressure"), MIN("pulsePressure"), MAX("pulsePressure") FROM derived_samples
    WHERE "pulsePressure" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'shockIndex', ts / 60000, COUNT("shockIndex"), TOTAL("shockIndex"), MIN("shockIndex"), MAX("shockIndex") FROM derived_samples
    WHERE "shockIndex" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'vis', ts / 60000, COUNT("vis"), TOTAL("vis"), MIN("vis"), MAX("vis") FROM derived_samples
    WHERE "vis" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'lactateClearance2h', ts / 60000, COUNT("lactateClearance2h"), TOTAL("lactateClearance2h"), MIN("lactateClearance2h"), MAX("lactateClearance2h") FROM derived_samples
    WHERE "lactateClearance2h" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'lactateClearance6h', ts / 60000, COUNT("lactateClearance6h"), TOTAL("lactateClearance6h"), MIN("lactateClearance6h"), MAX("lactateClearance6h") FROM derived_samples
    WHERE "lactateClearance6h" IS NOT NULL GROUP BY bed_id, ts / 60000;
  INSERT INTO minute_aggregates (bed_id, signal, minute, n, sum, min, max)
    SELECT bed_id, 'phoenixCv', ts / 60000, COUNT("phoenixCv"), TOTAL("phoenixCv"), MIN("phoenixCv"), MAX("phoenixCv") FROM derived_samples
    WHERE "phoenixCv" IS NOT NULL GROUP BY bed_id, ts / 60000;
  `,
  // 6: sessions that can end: a user's token version (bumped by a password or role change, or
  // when disabled) and the tokens ended by logout, kept until they would have expired anyway.
  `
  ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE revoked_tokens (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
  `,
  // 7: beds can be discharged: gone from the live ward, their recording kept and exportable.
  `
  ALTER TABLE beds ADD COLUMN discharged_at INTEGER;
  `,
];
