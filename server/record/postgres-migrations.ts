// Numbered schema migrations of the PostgreSQL recording (server/record/postgres.ts). Append only: a
// released migration is never edited, so every existing database upgrades in place; the table
// schema_migrations holds the versions applied. A migration never drops recorded data.
//
// The layout is SQLite's (migrations.ts) as it stands after its migration 7, in PostgreSQL's types:
// one row per device message in a wide table per feed with a `present` mask (decision 0001, bits in
// columns.ts), times as epoch milliseconds (bigint), JSON documents as jsonb. Column names of
// catalogue keys are quoted: PostgreSQL folds unquoted names to lower case (`pVen`).

export const PG_MIGRATIONS: readonly string[] = [
  // 1: the recording as SQLite has it at its version 7.
  `
  CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
  CREATE TABLE beds (bed_id text PRIMARY KEY, created_at bigint NOT NULL, discharged_at bigint);
  CREATE TABLE patients (bed_id text PRIMARY KEY, data jsonb NOT NULL, updated_at bigint NOT NULL);
  CREATE TABLE patient_history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, bed_id text NOT NULL, data jsonb NOT NULL, changed_at bigint NOT NULL
  );
  CREATE INDEX patient_history_bed ON patient_history (bed_id, changed_at);
  CREATE TABLE monitor_samples (
    bed_id text NOT NULL, ts bigint NOT NULL, present integer NOT NULL,
    "hr" double precision, "sbp" double precision, "dbp" double precision, "map" double precision, "cvp" double precision,
    "spo2" double precision, "rr" double precision, "temp" double precision, "etco2" double precision,
    PRIMARY KEY (bed_id, ts)
  );
  CREATE TABLE ecmo_samples (
    bed_id text NOT NULL, ts bigint NOT NULL, present integer NOT NULL,
    "rpm" double precision, "flow" double precision, "sweep" double precision, "fdo2" double precision,
    "pVen" double precision, "pPre" double precision, "pPost" double precision, "svo2" double precision,
    "postOxySat" double precision, "postOxyPo2" double precision, "hb" double precision, "hct" double precision,
    "tBlood" double precision,
    PRIMARY KEY (bed_id, ts)
  );
  CREATE TABLE lab_samples (
    bed_id text NOT NULL, site text NOT NULL, ts bigint NOT NULL, present integer NOT NULL,
    "lactate" double precision, "hb" double precision, "po2" double precision, "pco2" double precision,
    "so2" double precision, "ph" double precision,
    PRIMARY KEY (bed_id, site, ts)
  );
  -- The samples of one waveform message as single-precision floats (SQLite keeps the same as a blob).
  CREATE TABLE waveforms (
    bed_id text NOT NULL, signal text NOT NULL, ts bigint NOT NULL, rate_hz double precision NOT NULL, samples real[] NOT NULL,
    PRIMARY KEY (bed_id, signal, ts)
  );
  CREATE TABLE infusions (
    bed_id text NOT NULL, channel text NOT NULL, ts bigint NOT NULL, drug text NOT NULL, rate_ml_h double precision NOT NULL,
    concentration double precision NOT NULL, concentration_unit text NOT NULL, running boolean NOT NULL,
    PRIMARY KEY (bed_id, channel, ts)
  );
  CREATE INDEX infusions_bed_ts ON infusions (bed_id, ts);
  -- Derived values once a second per bed; quality: one letter per column (columns.ts).
  CREATE TABLE derived_samples (
    bed_id text NOT NULL, ts bigint NOT NULL, quality text NOT NULL,
    "bsa" double precision, "flowIndex" double precision, "flowPerKg" double precision, "cao2Post" double precision,
    "cvo2" double precision, "do2Ecmo" double precision, "do2i" double precision, "vo2Oxy" double precision,
    "vo2i" double precision, "o2er" double precision, "do2Vo2" double precision, "dpOxy" double precision,
    "rOxy" double precision, "perfusionPressure" double precision, "pulsePressure" double precision,
    "shockIndex" double precision, "vis" double precision, "lactateClearance2h" double precision,
    "lactateClearance6h" double precision, "phoenixCv" double precision,
    PRIMARY KEY (bed_id, ts)
  );
  -- Count, sum, min and max of one signal's non-null values in one minute (minute = ts / 60000).
  CREATE TABLE minute_aggregates (
    bed_id text NOT NULL, signal text NOT NULL, minute bigint NOT NULL,
    n bigint NOT NULL, sum double precision NOT NULL, min double precision, max double precision,
    PRIMARY KEY (bed_id, signal, minute)
  );
  CREATE TABLE users (
    username text PRIMARY KEY, role text NOT NULL, password_hash text NOT NULL, created_at bigint NOT NULL,
    token_version integer NOT NULL DEFAULT 0, disabled boolean NOT NULL DEFAULT false
  );
  CREATE TABLE revoked_tokens (jti text PRIMARY KEY, expires_at bigint NOT NULL);
  CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, bed_id text NOT NULL, type text NOT NULL, ts bigint NOT NULL,
    note text, "by" text NOT NULL, source text NOT NULL, created_at bigint NOT NULL,
    status text NOT NULL DEFAULT 'confirmed', markers jsonb, detected_ts bigint, reviewed_by text, reviewed_at bigint
  );
  CREATE INDEX events_bed_ts ON events (bed_id, ts);
  -- A device-detected event is recorded once, whichever instance detects it first.
  CREATE UNIQUE INDEX events_device_once ON events (bed_id, type, detected_ts) WHERE source = 'device';
  CREATE TABLE alarms (
    id text PRIMARY KEY, bed_id text NOT NULL, key text NOT NULL, kind text NOT NULL, priority text NOT NULL,
    message text NOT NULL, value double precision, limit_value double precision, state text NOT NULL, latched boolean NOT NULL,
    raised_at bigint NOT NULL, cleared_at bigint, acked_by text, acked_at bigint, updated_at bigint NOT NULL
  );
  CREATE INDEX alarms_bed_raised ON alarms (bed_id, raised_at);
  CREATE INDEX alarms_raised ON alarms (raised_at);
  CREATE INDEX alarms_open ON alarms (state, latched);
  CREATE TABLE alarm_log (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, alarm_id text NOT NULL, at bigint NOT NULL, state text NOT NULL,
    priority text NOT NULL, latched boolean NOT NULL, value double precision, acked_by text
  );
  -- Two instances that see the same alarm change log it once.
  CREATE UNIQUE INDEX alarm_log_once ON alarm_log (alarm_id, at, state, priority, latched, (COALESCE(acked_by, '')));
  CREATE TABLE bed_limits (bed_id text PRIMARY KEY, data jsonb NOT NULL, updated_at bigint NOT NULL, updated_by text NOT NULL);
  CREATE TABLE audit (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at bigint NOT NULL, username text NOT NULL, action text NOT NULL,
    target text, detail jsonb
  );
  CREATE INDEX audit_at ON audit (at);
  `,
];
