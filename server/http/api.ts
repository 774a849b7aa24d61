// REST API routes (docs/interface.md, "HTTP").
import { DEFAULT_LIMITS, bedLimitsOverrideSchema } from '../../shared/alarms.js';
import { DERIVED_KEYS, ECMO_KEYS, LAB_KEYS, LAB_SITES, MONITOR_KEYS, labSignal } from '../../shared/catalogue.js';
import type { BedSummary, HealthAnswer, LoginAnswer } from '../../shared/protocol.js';
import {
  type Patient,
  bedIdSchema,
  eventReviewSchema,
  loginSchema,
  newEventSchema,
  newUserSchema,
  patientSchema,
  userChangeSchema,
} from '../../shared/schemas.js';
import { studyIntervals, t0Of } from '../../shared/timeline.js';
import { bedOfAlarmId } from '../alarms/machine.js';
import type { WardAlarms } from '../alarms/ward.js';
import type { Sessions } from '../auth/sessions.js';
import type { Users } from '../auth/users.js';
import type { DiskStatus } from '../disk-monitor.js';
import type { Ingest } from '../ingest/ingest.js';
import type { Pipeline } from '../pipeline.js';
import type { Recorder } from '../record/recorder.js';
import type { BedState } from '../state/bed.js';
import type { Beds } from '../state/beds.js';
import type { Views } from '../views.js';
import { autoStepS, bucketAggregates, bucketHistory } from './history.js';
import { LoginThrottle } from './login-throttle.js';
import { clientAddress, trustedProxies } from './client-address.js';
import { burdenOf } from './burden.js';
import { writeBurdenCsv, writeDataCsv, writeTimelineCsv } from './export.js';
import { writeFhirBundle } from './fhir.js';
import { HttpError, Router, type BedPlacement, type Ctx } from './router.js';

export interface ApiDeps {
  sessions: Sessions;
  users: Users;
  beds: Beds;
  views: Views;
  pipeline: Pipeline;
  alarms: Pick<WardAlarms, 'ward' | 'current'>;
  recorder: Recorder;
  ingest: Ingest;
  brokerConnected: () => boolean;
  /** Another client keeps taking this instance's MQTT session (the same client id). */
  brokerSessionContested: () => boolean;
  /** Whether a bed may be created (known, or room under MAX_BEDS). */
  admitBed: (bedId: string) => boolean;
  /** p99 of the event loop's delay over the last interval, ms. */
  eventLoopLagP99Ms: () => number;
  /** DATA_DIR's disk: the latest figures and what is wrong (filling up, little free). */
  disk: () => DiskStatus;
  metrics: () => Promise<string>;
  now: () => number;
  startedAtMs: number;
  /** The study centre, written into every export. */
  siteId: string;
  /** TRUST_PROXY: the reverse proxies in front of this server. */
  trustProxy?: string;
  /** Several instances that split the beds: this one's share and whether its Redis link is up. */
  cluster?: () => NonNullable<HealthAnswer['cluster']> | null;
  /** Several instances that split the beds: where each bed is handled (REST about another's bed is forwarded). */
  placement?: BedPlacement | null;
  /** The ward's overview: every bed of every instance (the stream keeps the other instances' lists). */
  overview: (nowMs: number) => BedSummary[];
}

/** GET /api/alarms answers the newest this many by default, at most ALARM_LIST_MAX. */
const ALARM_LIST_DEFAULT = 200;
const ALARM_LIST_MAX = 5000;
/** GET /api/audit answers the newest this many by default. */
const AUDIT_LIST_DEFAULT = 500;

/** data.csv without `keys`: the circuit, the patient and what is computed from them. */
const DEFAULT_EXPORT_KEYS = [
  'flow',
  'rpm',
  'pVen',
  'svo2',
  'map',
  'hr',
  'spo2',
  'lab.arterial.lactate',
  'do2i',
  'do2Vo2',
  'vis',
  'phoenixCv',
];
/** FHIR Observations are means over this step by default (one per key and minute). */
const FHIR_STEP_S = 60;

/** What the recording holds: monitor and console keys, lab values per site, derived keys. */
const KNOWN_KEYS = new Set<string>([
  ...MONITOR_KEYS,
  ...ECMO_KEYS,
  ...DERIVED_KEYS,
  ...LAB_SITES.flatMap((site) => LAB_KEYS.map((k) => labSignal(site, k))),
]);

function listParam(q: URLSearchParams, name: string, fallback: readonly string[]): string[] {
  const raw = q.get(name);
  if (raw === null || raw.trim() === '') return [...fallback];
  const keys = raw
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const unknown = keys.filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length || keys.length > 64) throw new HttpError(400, 'invalid_query', `${name}: unknown keys ${unknown.join(', ')}`);
  return keys;
}

/** Event-loop lag (p99 over the last 10 s) past which the server is slow to answer its devices. */
const LAG_DEGRADED_MS = 1000;

/** What is wrong, in words; `down` when neither data can arrive nor be kept. */
function healthOf(d: ApiDeps): HealthAnswer {
  const brokerUp = d.brokerConnected();
  const recording = d.recorder.writeHealth();
  const lag = d.eventLoopLagP99Ms();
  const reasons: string[] = [];
  if (!brokerUp) reasons.push('broker disconnected: no device data can arrive');
  if (d.brokerSessionContested())
    reasons.push(
      "broker session taken over again and again: another client uses this instance's MQTT client id (set a unique INSTANCE_ID)",
    );
  if (recording.failing)
    reasons.push(`recording failing: ${recording.lastError ?? 'write error'} (${recording.pendingRows} rows waiting in memory)`);
  if (lag > LAG_DEGRADED_MS) reasons.push(`event loop lagging: p99 ${Math.round(lag)} ms`);
  const disk = d.disk();
  reasons.push(...disk.reasons);
  const cluster = d.cluster?.() ?? null;
  if (cluster && cluster.redis === 'disconnected') reasons.push("Redis disconnected: other instances' beds are not live here");
  return {
    status: !reasons.length ? 'ok' : !brokerUp && recording.failing ? 'down' : 'degraded',
    reasons,
    broker: brokerUp ? 'connected' : 'disconnected',
    recording,
    eventLoopLagP99Ms: Math.round(lag * 10) / 10,
    uptimeS: Math.round((d.now() - d.startedAtMs) / 1000),
    disk: disk.figures,
    ingest: d.ingest.counters.toJSON(),
    ...(cluster ? { cluster } : {}),
  };
}

function bedParam(raw: string): string {
  const r = bedIdSchema.safeParse(raw);
  if (!r.success) throw new HttpError(400, 'invalid_bed', 'bedId must match [A-Za-z0-9_-]{1,32}');
  return r.data;
}

function num(q: URLSearchParams, name: string, fallback: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(n)) throw new HttpError(400, 'invalid_query', `${name}: epoch ms or ISO-8601 expected`);
  return n;
}

export function apiRouter(d: ApiDeps): Router {
  const r = new Router(d.sessions, d.now, d.placement ?? null);
  const trusted = trustedProxies(d.trustProxy);
  const throttle = new LoginThrottle();

  /**
   * A bed of the recording with its study patient, for the exports: a bed in care, or one
   * discharged (gone from memory, its recording kept). 404 for a bed never recorded, 409 without a
   * studyId (nothing to export pseudonymously).
   */
  const studyBed = async (raw: string): Promise<{ bed: string; studyId: string }> => {
    const bedId = bedParam(raw);
    const patient = d.beds.get(bedId)?.patient ?? (await d.recorder.loadPatients()).get(bedId);
    if (!patient && !d.beds.get(bedId)) throw new HttpError(404, 'unknown_bed', `no bed ${bedId} in the recording`);
    if (!patient?.studyId)
      throw new HttpError(409, 'no_study_id', 'this bed has no study patient (studyId): nothing to export pseudonymously');
    return { bed: bedId, studyId: patient.studyId };
  };

  const knownBed = (raw: string) => {
    const bed = d.beds.get(bedParam(raw));
    if (!bed) throw new HttpError(404, 'unknown_bed', `no bed ${raw}`);
    return bed;
  };

  r.on('GET', '/api/health', (ctx): HealthAnswer => {
    const h = healthOf(d);
    if (h.status !== 'ok') ctx.res.statusCode = 503;
    return h;
  });

  // For orchestrators: alive while the process answers; ready when it can do its work.
  r.on('GET', '/api/health/live', () => ({ status: 'alive' }));
  r.on('GET', '/api/health/ready', (ctx) => {
    const ready = d.brokerConnected() && !d.recorder.writeHealth().failing;
    if (!ready) ctx.res.statusCode = 503;
    return { status: ready ? 'ready' : 'not ready' };
  });

  r.on('POST', '/api/login', async (ctx): Promise<LoginAnswer> => {
    const ip = clientAddress(ctx.req, trusted);
    const body = await ctx.body(loginSchema);
    // Per address (one machine guessing) and per user (many machines guessing one password).
    const keys = [`ip:${ip}`, `user:${body.username.toLowerCase()}`];
    const waitS = Math.max(...keys.map((k) => throttle.retryAfterS(k, d.now())));
    if (waitS > 0) {
      ctx.res.setHeader('retry-after', String(waitS));
      await d.recorder.audit({ at: d.now(), username: body.username, action: 'login.throttled', target: ip });
      throw new HttpError(429, 'too_many_attempts', `too many failed logins; try again in ${waitS} s`);
    }
    const id = await d.users.authenticate(body.username, body.password);
    if (!id) {
      for (const k of keys) throttle.failed(k, d.now());
      await d.recorder.audit({ at: d.now(), username: body.username, action: 'login.failed', target: ip });
      throw new HttpError(401, 'bad_credentials', 'wrong username or password');
    }
    await d.recorder.audit({ at: d.now(), username: id.username, action: 'login', target: ip });
    return { token: await d.sessions.issue(id, d.now()), role: id.role, username: id.username };
  });

  r.on('POST', '/api/users', async (ctx) => {
    const admin = ctx.require('manageUsers');
    const body = await ctx.body(newUserSchema);
    const nowMs = d.now();
    if ((await d.users.create(body.username, body.password, body.role, nowMs)) === 'exists') {
      throw new HttpError(409, 'user_exists', `user ${body.username} exists`);
    }
    // Known at once here and on the other instances sharing the recording.
    const created = await d.recorder.getUser(body.username);
    if (created) d.sessions.userChanged(body.username, created);
    await d.recorder.audit({
      at: nowMs,
      username: admin.username,
      action: 'user.create',
      target: body.username,
      detail: { role: body.role },
    });
    ctx.res.statusCode = 201;
    return { username: body.username, role: body.role };
  });

  r.on('POST', '/api/logout', async (ctx) => {
    const user = ctx.require('read');
    await d.sessions.logout(user);
    await d.recorder.audit({ at: d.now(), username: user.username, action: 'logout', target: null });
    return { ok: true };
  });

  r.on('GET', '/api/users', async (ctx) => {
    ctx.require('manageUsers');
    return await d.users.list();
  });

  r.on('PATCH', '/api/users/:name', async (ctx) => {
    const admin = ctx.require('manageUsers');
    const change = await ctx.body(userChangeSchema);
    const name = ctx.params.name;
    if (name === admin.username && (change.disabled || (change.role && change.role !== 'admin')))
      throw new HttpError(409, 'own_account', 'an admin cannot disable or demote the account they are using');
    const u = await d.users.update(name, change);
    if (!u) throw new HttpError(404, 'unknown_user', `no user ${name}`);
    d.sessions.userChanged(name, u);
    await d.recorder.audit({
      at: d.now(),
      username: admin.username,
      action: 'user.change',
      target: name,
      detail: { role: change.role, disabled: change.disabled, password: change.password !== undefined ? 'changed' : undefined },
    });
    return { username: u.username, role: u.role, disabled: !!u.disabled };
  });

  r.on('DELETE', '/api/users/:name', async (ctx) => {
    const admin = ctx.require('manageUsers');
    const name = ctx.params.name;
    if (name === admin.username) throw new HttpError(409, 'own_account', 'an admin cannot remove the account they are using');
    if (!(await d.users.remove(name))) throw new HttpError(404, 'unknown_user', `no user ${name}`);
    d.sessions.userChanged(name, null);
    await d.recorder.audit({ at: d.now(), username: admin.username, action: 'user.remove', target: name });
    return { ok: true };
  });

  r.on('GET', '/api/audit', async (ctx) => {
    ctx.require('manageUsers');
    const limit = Math.min(num(ctx.query, 'limit', AUDIT_LIST_DEFAULT), ALARM_LIST_MAX);
    return await d.recorder.listAudit(limit);
  });

  r.on('GET', '/api/beds', (ctx) => {
    ctx.require('read');
    return d.overview(d.now());
  });

  r.on('GET', '/api/beds/:bed', (ctx) => {
    ctx.require('read');
    return d.views.detail(knownBed(ctx.params.bed), d.now());
  });

  r.on('PUT', '/api/beds/:bed/patient', async (ctx) => {
    const user = ctx.require('editPatient');
    const bedId = bedParam(ctx.params.bed);
    if (!d.admitBed(bedId)) throw new HttpError(409, 'bed_limit', `no room for a new bed: MAX_BEDS reached`);
    return await d.pipeline.setPatient(bedId, await ctx.body(patientSchema), user.username);
  });

  r.on('POST', '/api/beds/:bed/discharge', async (ctx) => {
    const user = ctx.require('editPatient');
    const bedId = bedParam(ctx.params.bed);
    if (!(await d.pipeline.discharge(bedId, user.username))) throw new HttpError(404, 'unknown_bed', `no bed ${bedId} in care`);
    return { bedId, discharged: true };
  });

  const limitsOf = (bed: BedState) => ({
    bedId: bed.bedId,
    limits: bed.limits(),
    overrides: bed.limitOverrides,
    defaults: DEFAULT_LIMITS,
  });

  r.on('GET', '/api/beds/:bed/limits', (ctx) => {
    ctx.require('read');
    return limitsOf(knownBed(ctx.params.bed));
  });

  r.on('PUT', '/api/beds/:bed/limits', async (ctx) => {
    const user = ctx.require('editLimits');
    const bedId = bedParam(ctx.params.bed);
    const r = await d.pipeline.setLimits(bedId, await ctx.body(bedLimitsOverrideSchema), user.username);
    if (!r.ok) throw new HttpError(400, 'invalid_limits', r.message);
    return limitsOf(d.beds.get(bedId)!);
  });

  r.on('GET', '/api/alarms', async (ctx) => {
    ctx.require('read');
    const bed = ctx.query.get('bed');
    const state = ctx.query.get('state');
    if (bed !== null && bed !== '*' && !bedIdSchema.safeParse(bed).success)
      throw new HttpError(400, 'invalid_query', 'bed: a bedId, or * for ward-wide alarms');
    if (state !== null && state !== 'active' && state !== 'cleared') throw new HttpError(400, 'invalid_query', 'state: active or cleared');
    const limit = Math.min(num(ctx.query, 'limit', ALARM_LIST_DEFAULT), ALARM_LIST_MAX);
    const fromMs = ctx.query.has('from') ? num(ctx.query, 'from', 0) : undefined;
    const toMs = ctx.query.has('to') ? num(ctx.query, 'to', 0) : undefined;
    const recorded = await d.recorder.listAlarms({ bedId: bed ?? undefined, state: state ?? undefined, fromMs, toMs, limit });
    // The open alarms as they are now, also those the recording could not take (a full disk raises
    // its own alarm there): the live version of an alarm wins over its recorded one.
    const live = (
      bed === null
        ? [...d.alarms.ward(), ...[...d.beds.all()].flatMap((b) => d.alarms.current(b.bedId))]
        : bed === '*'
          ? d.alarms.ward()
          : d.alarms.current(bed)
    ).filter(
      (a) =>
        (state === null || a.state === state) &&
        (toMs === undefined || a.raisedAt <= toMs) &&
        (fromMs === undefined || a.state === 'active' || (a.clearedAt ?? Infinity) >= fromMs),
    );
    if (!live.length) return recorded;
    const byId = new Map(recorded.map((a) => [a.id, a]));
    for (const a of live) byId.set(a.id, a);
    return [...byId.values()].sort((a, b) => b.raisedAt - a.raisedAt || (a.id < b.id ? -1 : 1)).slice(0, limit);
  });

  r.on('POST', '/api/alarms/:id/ack', async (ctx) => {
    const user = ctx.require('ackAlarm');
    const id = ctx.params.id;
    // An alarm id starts with its bed's ID: another instance's bed has its alarms there (also
    // one raised a moment ago and not yet in the shared recording).
    const bedOfId = bedOfAlarmId(id);
    if (bedOfId !== null && bedIdSchema.safeParse(bedOfId).success && ctx.elsewhere(bedOfId)) return void (await ctx.forward(bedOfId));
    const acked = await d.pipeline.acknowledge(id, user.username);
    if (acked) return acked;
    const known = await d.recorder.getAlarm(id);
    if (!known) throw new HttpError(404, 'unknown_alarm', `no alarm ${id}`);
    // Cleared and not latched: nothing left to acknowledge; the answer says who did, if anyone.
    return known;
  });

  r.on('GET', '/api/beds/:bed/history', async (ctx) => {
    ctx.require('read');
    const bed = knownBed(ctx.params.bed);
    const nowMs = d.now();
    const keys = (ctx.query.get('keys') ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    if (!keys.length || keys.length > 32) throw new HttpError(400, 'invalid_query', 'keys: 1 to 32 comma-separated signal names');
    const to = num(ctx.query, 'to', nowMs);
    const from = num(ctx.query, 'from', to - 3600_000);
    if (from > to) throw new HttpError(400, 'invalid_query', 'from is after to');
    const stepS = num(ctx.query, 'stepS', autoStepS(from, to));
    if (stepS <= 0 || (to - from) / 1000 / stepS > 100_000)
      throw new HttpError(400, 'invalid_query', 'stepS too small for the range (at most 100000 points)');
    if (stepS % 60 === 0) {
      // Whole minutes: read the per-minute aggregates, on a minute-aligned grid.
      const alignedFrom = Math.floor(from / 60_000) * 60_000;
      const aggregates = await d.recorder.minuteAggregates(bed.bedId, keys, alignedFrom / 60_000, Math.floor(to / 60_000));
      return bucketAggregates(keys, aggregates, alignedFrom, to, stepS * 1000);
    }
    return bucketHistory(keys, await d.recorder.samples(bed.bedId, keys, from, to), from, to, stepS * 1000);
  });

  r.on('POST', '/api/beds/:bed/events', async (ctx) => {
    const user = ctx.require('timeline');
    const bedId = bedParam(ctx.params.bed);
    const ev = await d.pipeline.addEvent(bedId, await ctx.body(newEventSchema), user.username);
    ctx.res.statusCode = 201;
    return ev;
  });

  r.on('GET', '/api/beds/:bed/events', async (ctx) => {
    ctx.require('read');
    return await d.recorder.listEvents(knownBed(ctx.params.bed).bedId);
  });

  r.on('PATCH', '/api/beds/:bed/events/:id', async (ctx) => {
    const user = ctx.require('timeline');
    const bedId = bedParam(ctx.params.bed);
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(400, 'invalid_event', 'event id: a positive integer');
    const ev = await d.pipeline.reviewEvent(bedId, id, await ctx.body(eventReviewSchema), user.username);
    if (!ev) throw new HttpError(404, 'unknown_event', `no event ${id} on bed ${bedId}`);
    return ev;
  });

  r.on('GET', '/api/beds/:bed/burden', async (ctx) => {
    ctx.require('read');
    const bed = knownBed(ctx.params.bed);
    return await burdenOf(
      { bedId: bed.bedId, studyId: bed.patient?.studyId ?? null },
      await d.recorder.listEvents(bed.bedId),
      d.now(),
      (keys, from, to) => d.recorder.samples(bed.bedId, keys, from, to),
    );
  });

  r.on('GET', '/api/beds/:bed/intervals', async (ctx) => {
    ctx.require('read');
    const bed = knownBed(ctx.params.bed);
    const events = await d.recorder.listEvents(bed.bedId);
    return {
      bedId: bed.bedId,
      studyId: bed.patient?.studyId ?? null,
      studyGroup: bed.patient?.studyGroup ?? null,
      t0: t0Of(events),
      intervals: studyIntervals(events),
    };
  });

  r.on('GET', '/api/export/timeline.csv', async (ctx) => {
    const user = ctx.require('export');
    const relativeOnly = ctx.query.get('times') === 'relative';
    const nowMs = d.now();
    // Every study patient of the recording, in care or discharged.
    const patients = await d.recorder.loadPatients();
    const studyBeds = await Promise.all(
      [...patients]
        .filter((e): e is [string, Patient & { studyId: string }] => !!e[1].studyId)
        .sort((a, b) => a[1].studyId.localeCompare(b[1].studyId))
        .map(async ([bedId, patient]) => ({ patient, events: await d.recorder.listEvents(bedId) })),
    );

    await d.recorder.audit({
      at: nowMs,
      username: user.username,
      action: 'export.timeline',
      target: null,
      detail: { beds: studyBeds.length, relativeOnly },
    });
    await writeTimelineCsv(ctx.res, d.siteId, studyBeds, relativeOnly);
    return undefined;
  });

  /**
   * What both per-bed exports share: the study bed, the keys and the range asked for (default the
   * last 24 h), and the audit entry of who exported what.
   */
  const bedExport = async (ctx: Ctx, action: string, extra: Record<string, unknown> = {}) => {
    const user = ctx.require('export');
    const { bed, studyId } = await studyBed(ctx.params.bed);
    const keys = listParam(ctx.query, 'keys', DEFAULT_EXPORT_KEYS);
    const nowMs = d.now();
    const toMs = num(ctx.query, 'to', nowMs);
    const fromMs = num(ctx.query, 'from', toMs - 24 * 3600_000);
    if (fromMs > toMs) throw new HttpError(400, 'invalid_query', 'from is after to');
    await d.recorder.audit({ at: nowMs, username: user.username, action, target: studyId, detail: { keys, fromMs, toMs, ...extra } });
    const read = (k: readonly string[], from: number, to: number) => d.recorder.samples(bed, k, from, to);
    return { bed, studyId, keys, nowMs, fromMs, toMs, read };
  };

  r.on('GET', '/api/export/beds/:bed/data.csv', async (ctx) => {
    const relativeOnly = ctx.query.get('times') === 'relative';
    const e = await bedExport(ctx, 'export.data', { relativeOnly });
    const t0 = t0Of(await d.recorder.listEvents(e.bed));
    await writeDataCsv(
      ctx.res,
      { siteId: d.siteId, studyId: e.studyId, t0, keys: e.keys, fromMs: e.fromMs, toMs: e.toMs, relativeOnly },
      e.read,
    );
    return undefined;
  });

  r.on('GET', '/api/export/beds/:bed/fhir', async (ctx) => {
    const stepS = num(ctx.query, 'stepS', FHIR_STEP_S);
    if (stepS < 1 || stepS > 86_400) throw new HttpError(400, 'invalid_query', 'stepS: 1 to 86400');
    const e = await bedExport(ctx, 'export.fhir', { stepS });
    await writeFhirBundle(
      ctx.res,
      { siteId: d.siteId, studyId: e.studyId, keys: e.keys, fromMs: e.fromMs, toMs: e.toMs, stepS, nowMs: e.nowMs },
      e.read,
    );
    return undefined;
  });

  r.on('GET', '/api/export/burden.csv', async (ctx) => {
    const user = ctx.require('export');
    const nowMs = d.now();
    const patients = [...(await d.recorder.loadPatients())].filter((e): e is [string, Patient & { studyId: string }] => !!e[1].studyId);
    await d.recorder.audit({
      at: nowMs,
      username: user.username,
      action: 'export.burden',
      target: null,
      detail: { beds: patients.length },
    });
    await writeBurdenCsv(
      ctx.res,
      d.siteId,
      patients.sort((a, b) => a[1].studyId.localeCompare(b[1].studyId)),
      async (bedId, patient) =>
        burdenOf({ bedId, studyId: patient.studyId }, await d.recorder.listEvents(bedId), nowMs, (keys, from, to) =>
          d.recorder.samples(bedId, keys, from, to),
        ),
    );
    return undefined;
  });

  r.on('GET', '/metrics', async (ctx) => {
    const text = await d.metrics();
    ctx.res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    ctx.res.end(text);
    return undefined;
  });

  return r;
}
