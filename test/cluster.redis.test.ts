// Two instances that split the beds (SHARD 0/2 and 1/2) on real Mosquitto, PostgreSQL and Redis
// (docs/deployment.md, "Several instances"): a dashboard connected to either one sees every bed
// live, with one `seq` per bed whichever instance it listens on, the whole ward in its overview and
// the alarms of the other instance's beds; REST about a bed is answered by its owner wherever it is
// asked; a logout on one instance ends the session on the other; Redis going away is reported and
// everything is live again when it is back.
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Alarm,
  BedSnapshot,
  BedSummary,
  BedUpdate,
  ClientToServerEvents,
  HealthAnswer,
  ServerToClientEvents,
} from '../shared/protocol.js';
import { shardOf } from '../server/ingest/shard.js';
import { startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { startPostgres, type Postgres } from './helpers/postgres.js';
import { startRedis, type Redis } from './helpers/redis.js';
import { DEVICE_PASSWORD, nextEvent, startTestServer, until, type TestServer } from './helpers/server.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const SERVER_USER = 'ecmo-server';
const SERVER_PW = 'server-pw';
const VA = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' as const };

/** The first bed names of the form `${prefix}N` that fall into shard 0 and shard 1 of 2. */
function bedsOfEachShard(prefix: string): [string, string] {
  const found: (string | undefined)[] = [undefined, undefined];
  for (let i = 1; found.some((b) => !b); i++) {
    const id = `${prefix}${i}`;
    found[shardOf(id, 2)] ??= id;
  }
  return found as [string, string];
}

let mosq: Mosquitto;
let pgs: Postgres;
let redis: Redis;
let a: TestServer;
let b: TestServer;
let envOf: (shard: string) => Record<string, string>;

beforeAll(async () => {
  [mosq, pgs, redis] = await Promise.all([
    startMosquitto({ device: DEVICE_PASSWORD, [SERVER_USER]: SERVER_PW }),
    startPostgres(),
    startRedis(),
  ]);
  const database = await pgs.createDatabase();
  envOf = (shard: string) => ({
    MQTT_URL: mosq.url,
    MQTT_USERNAME: SERVER_USER,
    MQTT_PASSWORD: SERVER_PW,
    DATABASE_URL: database,
    REDIS_URL: redis.url,
    SHARD: shard,
    INSTANCE_ID: `shard-${shard.replace('/', 'of')}`,
  });
  // Both at once, as a deployment starts them: one token secret, one set of users.
  [a, b] = await Promise.all([startTestServer(envOf('0/2')), startTestServer(envOf('1/2'))]);
  // The device clients of the test helper log in as `device` on the same Mosquitto.
  a.mqttUrl = mosq.url;
  b.mqttUrl = mosq.url;
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await Promise.allSettled([mosq?.stop(), pgs?.stop(), redis?.dispose()]);
});

async function connected(t: TestServer): Promise<Client> {
  const s = t.socket();
  await nextEvent(s, 'connect', () => true, 10_000);
  return s;
}

function monitor(hr: number) {
  return JSON.stringify({ ts: Date.now(), values: { hr, map: 60, spo2: 97 } });
}

describe('two sharded instances joined through Redis', () => {
  it('agree on one token secret: a login on one instance is good on the other', async () => {
    const me = await b.api<{ username: string }[]>('/api/users', { headers: { authorization: `Bearer ${a.token}` } });
    expect(me.status).toBe(200);
    const health = await a.api<HealthAnswer>('/api/health');
    expect(health.body.cluster).toEqual({ shard: '0/2', redis: 'connected' });
  });

  it('shows a dashboard on one instance every bed live, with the owner’s seq, the whole overview and the other’s alarms', async () => {
    const [mine, theirs] = bedsOfEachShard('cl');
    const dev = await a.device();
    for (const bed of [mine, theirs]) await dev.publishAsync(`icu/${bed}/monitor/numerics`, monitor(100), { qos: 1 });
    // Each bed is taken by its owner alone.
    await until(() => a.server && b.server, 'servers');

    // The overview on instance A lists B's bed too (B sends its beds every 2 s at least).
    const overviewA = await connected(a);
    const list = await nextEvent<BedSummary[]>(overviewA, 'beds', (l) => l.some((s) => s.bedId === theirs), 10_000);
    expect(list.map((s) => s.bedId)).toEqual(expect.arrayContaining([mine, theirs]));
    const rest = await a.api<BedSummary[]>('/api/beds');
    expect(rest.body.map((s) => s.bedId)).toEqual(expect.arrayContaining([mine, theirs]));
    // A dashboard that takes the overview as changes gets the whole ward first, too.
    const changesA = a.socket();
    changesA.auth = { ...(changesA.auth as object), overview: 'changes' };
    const first = await nextEvent<BedSummary[]>(changesA, 'beds', () => true, 10_000);
    expect(first.map((s) => s.bedId)).toEqual(expect.arrayContaining([mine, theirs]));

    // A watch on A of B's bed: its snapshot comes from B, and so do its updates.
    const onA = await connected(a);
    const onB = await connected(b);
    const [snapA, snapB] = await Promise.all([
      onA.emitWithAck('watch', { beds: [mine, theirs] }),
      onB.emitWithAck('watch', { beds: [theirs] }),
    ]);
    const theirsOnA = snapA.beds.find((s: BedSnapshot) => s.bedId === theirs)!;
    expect(theirsOnA.latest.hr.value).toBe(100);
    expect(snapA.beds.find((s: BedSnapshot) => s.bedId === mine)?.latest.hr.value).toBe(100);
    expect(snapB.beds[0].seq).toBe(theirsOnA.seq);

    const seen = { a: [] as BedUpdate[], b: [] as BedUpdate[] };
    onA.on('bed:update', (u) => u.bedId === theirs && seen.a.push(u));
    onB.on('bed:update', (u) => u.bedId === theirs && seen.b.push(u));
    for (let i = 1; i <= 5; i++) {
      await dev.publishAsync(`icu/${theirs}/monitor/numerics`, monitor(100 + i), { qos: 1 });
      await new Promise((r) => setTimeout(r, 60));
    }
    await until(() => seen.a.some((u) => u.latest.hr?.value === 105) && seen.b.some((u) => u.latest.hr?.value === 105), 'hr 105 on both');
    // One numbering: the same updates with the same seq on both instances, rising by one from the snapshot.
    const numbered = (us: BedUpdate[]) => us.filter((u) => u.latest.hr).map((u) => [u.seq, u.latest.hr.value]);
    expect(numbered(seen.a)).toEqual(numbered(seen.b));
    expect(seen.a.map((u) => u.seq)).toEqual(seen.a.map((_, i) => theirsOnA.seq + 1 + i));

    // An alarm of B's bed reaches the dashboard on A.
    const patient = await a.api(`/api/beds/${theirs}/patient`, { method: 'PUT', body: JSON.stringify(VA) });
    expect(patient.status).toBe(200);
    const raised = nextEvent<Alarm>(onA, 'alarm', (x) => x.bedId === theirs && x.key === 'pumpStopped', 10_000);
    await dev.publishAsync(`icu/${theirs}/ecmo/numerics`, JSON.stringify({ ts: Date.now(), values: { flow: 0, rpm: 0 } }), { qos: 1 });
    const alarm = await raised;
    // Acknowledged through A, it is acknowledged where it lives.
    const ack = await a.api<Alarm>(`/api/alarms/${encodeURIComponent(alarm.id)}/ack`, { method: 'POST' });
    expect(ack.status).toBe(200);
    expect(ack.body.ackedBy).toBe('admin');
    const open = await b.api<Alarm[]>(`/api/alarms?bed=${theirs}&state=active`);
    expect(open.body.find((x) => x.id === alarm.id)?.ackedBy).toBe('admin');
  });

  it('answers REST about a bed on its owner, wherever it is asked', async () => {
    const [mine, theirs] = bedsOfEachShard('rest');
    for (const [t, bed] of [
      [a, theirs],
      [b, mine],
    ] as const) {
      const put = await t.api(`/api/beds/${bed}/patient`, { method: 'PUT', body: JSON.stringify({ ...VA, studyId: `S-${bed}` }) });
      expect(put.status).toBe(200);
    }
    // Each bed exists on its owner only, with the patient entered through the other instance.
    expect(b.server).toBeTruthy();
    const detailOnA = await a.api<{ bedId: string; patient: { studyId: string } }>(`/api/beds/${theirs}`);
    expect(detailOnA.status).toBe(200);
    expect(detailOnA.body.patient.studyId).toBe(`S-${theirs}`);
    const detailOnB = await b.api<{ patient: { studyId: string } }>(`/api/beds/${theirs}`);
    expect(detailOnB.body.patient.studyId).toBe(`S-${theirs}`);

    // A timeline event entered on A for B's bed is B's: it is in B's live stream and in the record.
    const onB = await connected(b);
    await onB.emitWithAck('watch', { beds: [theirs] });
    const live = nextEvent<{ type: string; bedId: string }>(onB, 'event', (e) => e.bedId === theirs, 10_000);
    const ev = await a.api<{ id: number }>(`/api/beds/${theirs}/events`, {
      method: 'POST',
      body: JSON.stringify({ type: 'shock_recognized', ts: Date.now() - 60_000 }),
    });
    expect(ev.status).toBe(201);
    expect((await live).type).toBe('shock_recognized');
    const events = await b.api<{ id: number }[]>(`/api/beds/${theirs}/events`);
    expect(events.body.map((e) => e.id)).toContain(ev.body.id);

    // Errors come back from the owner as they are.
    const bad = await a.api<{ error: { code: string } }>(`/api/beds/${theirs}/patient`, { method: 'PUT', body: '{"weightKg": -1}' });
    expect(bad.status).toBe(400);
    const unauth = await a.api(`/api/beds/${theirs}`, { headers: { authorization: 'Bearer nonsense' } });
    expect(unauth.status).toBe(401);
    // A call that was already forwarded once is not passed round again.
    const looped = await a.api<{ error: { code: string } }>(`/api/beds/${theirs}`, { headers: { 'x-ecmo-forwarded-from': '1/2' } });
    expect(looped.status).toBe(503);
    expect(looped.body.error.code).toBe('wrong_instance');
  });

  it('ends a session on both instances at a logout on one', async () => {
    const login = await b.api<{ token: string }>('/api/login', {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: 'test-admin-pw' }),
    });
    const token = login.body.token;
    const onA = a.socket(token);
    await nextEvent(onA, 'connect', () => true, 10_000);
    expect((await a.api('/api/beds', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const cut = nextEvent(onA, 'disconnect', () => true, 10_000);
    expect((await b.api('/api/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await cut;
    await until(
      async () => (await a.api('/api/beds', { headers: { authorization: `Bearer ${token}` } })).status === 401,
      'the token refused on A',
    );
  });

  it('says so when Redis goes away, and is whole again when it is back', async () => {
    await redis.stop();
    await until(
      async () => (await a.api<HealthAnswer>('/api/health')).body.cluster?.redis === 'disconnected',
      'Redis reported away',
      10_000,
    );
    const h = await a.api<HealthAnswer>('/api/health');
    expect(h.status).toBe(503);
    expect(h.body.reasons.join(' ')).toMatch(/Redis disconnected/);
    // Meanwhile the instance's own beds stay live on it.
    const [mine, theirs] = bedsOfEachShard('away');
    const dev = await a.device();
    const onA = await connected(a);
    await onA.emitWithAck('watch', { beds: [mine] });
    const own = nextEvent<BedUpdate>(onA, 'bed:update', (u) => u.bedId === mine, 10_000);
    await dev.publishAsync(`icu/${mine}/monitor/numerics`, monitor(90), { qos: 1 });
    expect((await own).latest.hr.value).toBe(90);

    await redis.start();
    await until(async () => (await a.api<HealthAnswer>('/api/health')).body.cluster?.redis === 'connected', 'Redis back', 15_000);
    // B's address is written again within 5 s; then the other instance's beds are live here again.
    await dev.publishAsync(`icu/${theirs}/monitor/numerics`, monitor(91), { qos: 1 });
    await until(async () => (await a.api(`/api/beds/${theirs}`)).status === 200, 'the other bed answered through A', 15_000);
    const onA2 = await connected(a);
    await onA2.emitWithAck('watch', { beds: [theirs] });
    const other = nextEvent<BedUpdate>(onA2, 'bed:update', (u) => u.bedId === theirs && u.latest.hr?.value === 92, 10_000);
    await dev.publishAsync(`icu/${theirs}/monitor/numerics`, monitor(92), { qos: 1 });
    await other;
  });

  it('raises a ward alarm on one instance when the other is not heard, naming its beds, and clears it when it is back', async () => {
    const [, theirs] = bedsOfEachShard('lost');
    const dev = await a.device();
    await dev.publishAsync(`icu/${theirs}/monitor/numerics`, monitor(80), { qos: 1 });
    const overview = await connected(a);
    await nextEvent<BedSummary[]>(overview, 'beds', (l) => l.find((x) => x.bedId === theirs)?.devices.monitor === 'online', 10_000);
    // The dashboard's own kind of connection (the overview as changes) hears the ward alarm too.
    const dashboard = a.socket();
    dashboard.auth = { ...(dashboard.auth as object), overview: 'changes' };
    await nextEvent(dashboard, 'connect', () => true, 10_000);
    const raised = nextEvent<Alarm>(dashboard, 'alarm', (x) => x.key === 'instanceLost' && x.state === 'active', 20_000);
    const stale = nextEvent<BedSummary[]>(overview, 'beds', (l) => l.find((x) => x.bedId === theirs)?.devices.monitor === 'stale', 20_000);
    await b.stop({ keepData: true });
    const alarm = await raised;
    expect(alarm.priority).toBe('high');
    expect(alarm.bedId).toBe('*');
    expect(alarm.message).toContain('shard 1/2');
    expect(alarm.message).toContain(theirs);
    // Its beds stay on the overview, no longer shown as online.
    await stale;
    const cleared = nextEvent<Alarm>(overview, 'alarm', (x) => x.id === alarm.id && x.state === 'cleared', 20_000);
    b = await startTestServer(envOf('1/2'));
    await cleared;
  });
});

describe('two instances joined through Redis without SHARD (each has every bed)', () => {
  let c: TestServer;
  let d: TestServer;
  beforeAll(async () => {
    const database = await pgs.createDatabase();
    const env = (id: string) => ({
      MQTT_URL: mosq.url,
      MQTT_USERNAME: SERVER_USER,
      MQTT_PASSWORD: SERVER_PW,
      DATABASE_URL: database,
      REDIS_URL: redis.url,
      SITE_ID: 'site-pair',
      INSTANCE_ID: id,
    });
    [c, d] = await Promise.all([startTestServer(env('pair-c')), startTestServer(env('pair-d'))]);
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled([c?.stop(), d?.stop()]);
  });

  it('streams each update once, from the instance the dashboard is on, and ends a session everywhere', async () => {
    const onC = await connected(c);
    await onC.emitWithAck('watch', { beds: ['pair1'] });
    const updates: BedUpdate[] = [];
    onC.on('bed:update', (u) => u.bedId === 'pair1' && updates.push(u));
    const dev = await c.device();
    for (let i = 0; i < 3; i++) {
      await dev.publishAsync('icu/pair1/monitor/numerics', monitor(70 + i), { qos: 1 });
      await new Promise((r) => setTimeout(r, 100));
    }
    await until(() => updates.some((u) => u.latest.hr?.value === 72), 'hr 72');
    await new Promise((r) => setTimeout(r, 300));
    // Both instances compute the bed; only this instance's numbering reaches this dashboard.
    const seqs = updates.map((u) => u.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(updates.filter((u) => u.latest.hr).map((u) => u.latest.hr.value)).toEqual([70, 71, 72]);

    // A logout on D ends the same token's connection on C.
    const login = await d.api<{ token: string }>('/api/login', {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: 'test-admin-pw' }),
    });
    const s = c.socket(login.body.token);
    await nextEvent(s, 'connect', () => true, 10_000);
    const cut = nextEvent(s, 'disconnect', () => true, 10_000);
    await d.api('/api/logout', { method: 'POST', headers: { authorization: `Bearer ${login.body.token}` } });
    await cut;
  });
});
