// Bounded input at the embedded broker itself: a rate limit per client and per bed, a largest
// packet and a longest topic. Real server, real aedes, real MQTT.js clients. On loopback the rate
// limits are off unless set (the demo, tests and tools publish faster than real time), so each
// server here sets them.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BedDetail, BedUpdate, HealthAnswer } from '../shared/protocol.js';
import { DEVICE_PASSWORD, nextEvent, startTestServer, until, type TestServer } from './helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  // Per client 10 a second, 20 at once; per bed twice that.
  t = await startTestServer({ MQTT_RATE_PER_CLIENT: '10/20', MQTT_RATE_PER_BED: '20/40' });
});
afterAll(async () => t?.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const numerics = (ts: number, seq: number, hr = 80) => JSON.stringify({ ts, seq, values: { hr } });
/** One second of arterial pressure at 125 Hz: what a monitor sends most of. */
const wave = (ts: number, seq: number) =>
  JSON.stringify({
    ts,
    seq,
    signal: 'abp',
    rateHz: 125,
    samples: Array.from({ length: 125 }, (_, i) => 80 + Math.round(20 * Math.sin(i / 10))),
  });

async function metrics(): Promise<string> {
  return (await t.api<string>('/metrics')).body;
}
function metric(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
const refused = (text: string, reason: string) => metric(text, 'ecmo_mqtt_publishes_refused_total', `reason="${reason}"`);
const refusedOf = (text: string, client: string, reason: string) =>
  metric(text, 'ecmo_mqtt_client_publishes_refused_total', `client="${client}",reason="${reason}"`);
const ingest = async () => (await t.api<HealthAnswer>('/api/health')).body.ingest;

function connect(clientId: string, o: mqtt.IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(t.mqttUrl, { clientId, username: 'device', password: DEVICE_PASSWORD, reconnectPeriod: 0, ...o });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('the embedded broker’s limits', () => {
  it('refuse most of a flooding client’s publishes while a client on another bed keeps every message, as fast as before', async () => {
    const s = t.socket();
    await nextEvent(s, 'connect');
    await s.emitWithAck('watch', { beds: ['calm'], historyS: 0 });
    const latencies: number[] = [];
    let lastHr = 0;
    s.on('bed:update', (u: BedUpdate) => {
      if (u.bedId !== 'calm' || !u.latest.hr) return;
      latencies.push(Date.now() - u.latest.hr.ts);
      lastHr = u.latest.hr.value ?? 0;
    });
    const calm = await connect('calm-monitor');
    const flood = await connect('flood-monitor');
    let floodClosed = false;
    flood.on('close', () => (floodClosed = true));
    const before = await ingest();
    const m0 = await metrics();

    // The calm monitor publishes at 8 a second (under its 10) throughout: 8 before, 24 during, 8 after.
    let calmSent = 0;
    const calmRun = (async () => {
      for (let i = 0; i < 40; i++) {
        calm.publish('icu/calm/monitor/numerics', numerics(Date.now(), ++calmSent, 60 + (i % 40)));
        await sleep(125);
      }
    })();
    await sleep(1000);
    const baseline = latencies.length;
    // The flood: 50 waveform chunks every 10 ms (5000 a second) for 3 s.
    let floodSent = 0;
    const floodBase = Date.now() - 60_000;
    const floodStart = performance.now();
    while (performance.now() - floodStart < 3000) {
      for (let j = 0; j < 50; j++) flood.publish('icu/flood/monitor/waveform', wave(floodBase + ++floodSent, floodSent));
      await sleep(10);
    }
    const during = latencies.length;
    await calmRun;

    const m1 = await until(async () => {
      const m = await metrics();
      const i = await ingest();
      const floodAccepted = i.accepted - before.accepted - calmSent;
      return refused(m, 'rate_client') - refused(m0, 'rate_client') + floodAccepted >= floodSent ? m : null;
    }, 'every flood message accepted or refused');
    // Everything was taken in within this window (the broker may lag behind the sender).
    const windowS = (performance.now() - floodStart) / 1000;
    const after = await ingest();
    const floodRefused = refused(m1, 'rate_client') - refused(m0, 'rate_client');
    const floodAccepted = after.accepted - before.accepted - calmSent;
    expect(floodSent).toBeGreaterThan(5000);
    // At most the burst and the rate over the flood's duration got through; the rest was refused.
    expect(floodAccepted).toBeLessThanOrEqual(20 + 10 * windowS);
    expect(floodAccepted).toBeGreaterThanOrEqual(20); // at least its burst
    expect(floodAccepted + floodRefused).toBe(floodSent);
    expect(floodRefused).toBeGreaterThan(0.9 * floodSent);
    expect(refusedOf(m1, 'flood-monitor', 'rate_client')).toBe(floodRefused);
    expect(refusedOf(m1, 'calm-monitor', 'rate_client')).toBe(0);
    // Nothing of it reached ingest as a rejection either; the flooding client kept its connection.
    expect(after.rejected.total).toBe(before.rejected.total);
    expect(floodClosed).toBe(false);

    // The calm bed: every message arrived (none refused), no slower during the flood than before it.
    await until(() => lastHr === 60 + 39, 'the last calm update');
    expect(calmSent).toBe(40);
    const base = median(latencies.slice(0, baseline));
    const flooded = median(latencies.slice(baseline, during));
    expect(flooded).toBeLessThanOrEqual(3 * base + 100);
    s.disconnect();
    await Promise.all([calm.endAsync(), flood.endAsync()]);
  });

  it('hold a bed to its rate across several clients, and leave other beds alone', async () => {
    const m0 = await metrics();
    const before = await ingest();
    const clientBuckets = metric(m0, 'ecmo_mqtt_rate_buckets', 'kind="client"');
    const clients = await Promise.all(['a', 'b', 'c', 'd'].map((n) => connect(`crowd-${n}`)));
    const other = await connect('crowd-other');
    // Four clients, 15 each at once on bed "crowd": each within its own burst of 20, together over the bed's 40.
    const base = Date.now() - 60_000;
    const flow = (seq: number) => JSON.stringify({ ts: base + seq, seq, values: { flow: 2 } });
    let seq = 0;
    for (const c of clients) for (let i = 0; i < 15; i++) c.publish('icu/crowd/ecmo/numerics', flow(++seq));
    for (let i = 0; i < 15; i++) other.publish('icu/elsewhere/ecmo/numerics', flow(i + 1));
    const m1 = await until(async () => {
      const m = await metrics();
      const i = await ingest();
      return i.accepted - before.accepted + refused(m, 'rate_bed') - refused(m0, 'rate_bed') >= 75 ? m : null;
    }, 'all 75 counted');
    const bedRefused = refused(m1, 'rate_bed') - refused(m0, 'rate_bed');
    expect((await ingest()).accepted - before.accepted).toBe(75 - bedRefused); // the refused ones went nowhere
    // 60 for the bed: 40 at once, and the few its rate added meanwhile
    expect(bedRefused).toBeGreaterThanOrEqual(10);
    expect(bedRefused).toBeLessThanOrEqual(20);
    expect(refused(m1, 'rate_client')).toBe(refused(m0, 'rate_client'));
    expect(refusedOf(m1, 'crowd-other', 'rate_bed')).toBe(0);
    const crowdRefused = ['a', 'b', 'c', 'd'].reduce((n, c) => n + refusedOf(m1, `crowd-${c}`, 'rate_bed'), 0);
    expect(crowdRefused).toBe(bedRefused);
    expect(m1).toMatch(/^ecmo_mqtt_rate_buckets\{kind="bed"\} [1-9]/m);
    // Their buckets go with them.
    for (const c of [...clients, other]) await c.endAsync();
    await until(async () => metric(await metrics(), 'ecmo_mqtt_rate_buckets', 'kind="client"') === clientBuckets, 'client buckets dropped');
  });

  it('never limit a device’s status: its online status passes after it has used up its rate, and its last will always', async () => {
    const dev = await connect('will-monitor', {
      will: { topic: 'icu/will/monitor/status', payload: Buffer.from(JSON.stringify({ state: 'offline' })), qos: 1, retain: true },
    });
    const base = Date.now() - 60_000;
    for (let i = 0; i < 200; i++) dev.publish('icu/will/monitor/numerics', numerics(base + i, i + 1));
    await dev.publishAsync('icu/will/monitor/status', JSON.stringify({ state: 'online' }), { qos: 1, retain: true });
    await until(async () => (await t.api<BedDetail>('/api/beds/will')).body.devices?.monitor === 'online', 'online');
    for (let i = 0; i < 200; i++) dev.publish('icu/will/monitor/numerics', numerics(base + 1000 + i, 1000 + i));
    // Status after status, beyond its allowance too: refused.
    const m0 = await metrics();
    for (let i = 0; i < 20; i++) dev.publish('icu/will/monitor/status', JSON.stringify({ state: 'online' }), { qos: 0, retain: true });
    await until(
      async () => refusedOf(await metrics(), 'will-monitor', 'rate_client') > refusedOf(m0, 'will-monitor', 'rate_client') + 5,
      'statuses refused',
    );
    // Its rate used up again, this time with acknowledgements to wait for (refused ones are acknowledged too) ...
    for (let i = 0; i < 5; i++) await dev.publishAsync('icu/will/monitor/numerics', numerics(base + 2000 + i, 2000 + i), { qos: 1 });
    // ... and the device dies at once: no DISCONNECT, every bucket empty. Its will still says offline.
    dev.stream.destroy();
    await until(async () => (await t.api<BedDetail>('/api/beds/will')).body.devices?.monitor === 'offline', 'offline by its will');
  });

  it('drop a publish to a topic over 128 bytes, acknowledged as usual, the connection kept', async () => {
    const m0 = await metrics();
    const before = await ingest();
    const dev = await connect('long-topic');
    await dev.publishAsync(`icu/lt/monitor/${'x'.repeat(120)}`, numerics(Date.now(), 1), { qos: 1 });
    await dev.publishAsync('icu/lt/monitor/numerics', numerics(Date.now(), 2, 77), { qos: 1 });
    await until(async () => (await t.api<BedDetail>('/api/beds/lt')).body.latest?.hr?.value === 77, 'the next message');
    const m1 = await metrics();
    expect(refused(m1, 'topic_too_long') - refused(m0, 'topic_too_long')).toBe(1);
    expect(refusedOf(m1, 'long-topic', 'topic_too_long')).toBe(1);
    expect((await ingest()).rejected.total).toBe(before.rejected.total); // it never reached ingest
    expect(dev.connected).toBe(true);
  });

  it('close a connection whose packet is over the limit as soon as its header says so, before its body is read', async () => {
    const m0 = await metrics();
    const before = await ingest();
    // A little over the ingest limit (70 KiB): still taken, and rejected by ingest as oversized.
    const dev = await connect('big-payload');
    await dev.publishAsync('icu/big/monitor/numerics', Buffer.alloc(70 * 1024, 0x20), { qos: 1 });
    await until(async () => (await ingest()).rejected.byReason.oversized === before.rejected.byReason.oversized + 1, 'oversized at ingest');
    expect(dev.connected).toBe(true);
    // 200 KiB: the broker closes the connection.
    const closed = new Promise<void>((r) => dev.once('close', () => r()));
    dev.publish('icu/big/monitor/numerics', Buffer.alloc(200 * 1024, 0x20), { qos: 1 });
    await closed;
    // A header announcing 100 MB, and no body: closed all the same, nothing buffered.
    const raw = await connect('huge-header');
    const rawClosed = new Promise<void>((r) => raw.once('close', () => r()));
    raw.stream.write(Buffer.from([0x32, 0x80, 0x80, 0x80, 0x30]));
    await rawClosed;
    const m1 = await until(async () => {
      const m = await metrics();
      return refused(m, 'packet_too_large') - refused(m0, 'packet_too_large') >= 2 ? m : null;
    }, 'two packets too large');
    expect(refused(m1, 'packet_too_large') - refused(m0, 'packet_too_large')).toBe(2);
    expect(refusedOf(m1, 'big-payload', 'packet_too_large')).toBe(1);
    expect(refusedOf(m1, 'huge-header', 'packet_too_large')).toBe(1);
    const after = await ingest();
    expect(after.rejected.byReason.oversized).toBe(before.rejected.byReason.oversized + 1);
    // The broker goes on.
    const next = await connect('after-big');
    await next.publishAsync('icu/big/monitor/numerics', numerics(Date.now(), 5, 66), { qos: 1 });
    await until(async () => (await t.api<BedDetail>('/api/beds/big')).body.latest?.hr?.value === 66, 'the broker goes on');
    await next.endAsync();
  });
});
