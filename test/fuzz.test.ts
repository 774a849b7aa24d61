// A barrage of 10 000 hostile messages of every kind through the real broker into the real server
// (fast-check, seeded): non-JSON, wrong types, non-finite and out-of-range numbers, deep nesting,
// prototype-pollution keys, oversized payloads, bad topic levels, duplicates, out-of-order and
// far-future timestamps. The server stays up, counts every message once (accepted or rejected by
// reason), and valid traffic sent in between arrives unchanged.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BedDetail, HealthAnswer } from '../shared/protocol.js';
import { startTestServer, until, type TestServer } from './helpers/server.js';

const N = 10_000;
/** Generated; those a client library refuses outright (wildcards, empty) are not sent, so generate more. */
const GENERATED = 11_000;
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ MAX_BEDS: '100000' });
});
afterAll(async () => {
  await t?.stop();
});

const now = Date.now();
const bed = fc.oneof(fc.constantFrom('fz1', 'fz2', 'fz3'), fc.string({ maxLength: 40 }));
const device = fc.constantFrom('monitor', 'ecmo', 'pump', 'lab', 'toaster', '', 'MONITOR', 'monitor ');
const stream = fc.constantFrom('numerics', 'waveform', 'result', 'status', 'ch1', 'x/y', '');
const topic = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(bed, device, stream).map(([b, d, s]) => `icu/${b}/${d}/${s}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }).map((s) => `icu/${s}`) },
  { weight: 1, arbitrary: fc.constantFrom('icu/', 'icu/fz1', 'icu/fz1/monitor', 'icu/fz1/monitor/numerics/extra', 'icu/fz1//numerics') },
);
// (A topic outside the prefix never reaches the server: the embedded broker refuses it and closes
// that device's connection, as MQTT 3.1.1 has no other answer; the broker-path suite covers it.)
const hostileNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(1e308, -1e308, Number.MAX_VALUE * 10, Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 53 + 1),
  fc.integer({ min: -1000, max: 100_000 }),
);
const hostileValue = fc.oneof(
  hostileNumber,
  fc.string({ maxLength: 10 }),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
);
const ts = fc.oneof(
  fc.constant(now),
  fc.integer({ min: now - 60 * 3600_000, max: now + 3600_000 }), // too old, late, far future
  fc.constantFrom(0, -1, 'yesterday', '2026-11-29T10:00:00+01:00', null, 1e20),
);
const values = fc.dictionary(
  fc.oneof(
    fc.constantFrom('hr', 'map', 'flow', 'pVen', 'lactate', 'site', '__proto__', 'constructor', 'prototype'),
    fc.string({ maxLength: 8 }),
  ),
  hostileValue,
  { maxKeys: 6 },
);
const body = fc.oneof(
  fc.record({ ts, values }, { requiredKeys: [] }),
  fc.record({ ts, seq: fc.oneof(fc.integer(), fc.double()), values }),
  fc.record({
    ts,
    signal: fc.constantFrom('abp', 'pleth', 'x'),
    rateHz: hostileNumber,
    samples: fc.array(hostileNumber, { maxLength: 50 }),
  }),
  fc.record({
    ts,
    drug: fc.string(),
    rateMlH: hostileNumber,
    concentration: hostileNumber,
    concentrationUnit: fc.string(),
    running: fc.anything(),
  }),
  fc.record({ state: fc.constantFrom('online', 'offline', 'zombie'), ts }),
  fc.anything({ maxDepth: 4 }),
);
const deep = fc.integer({ min: 50, max: 5000 }).map((d) => '['.repeat(d) + ']'.repeat(d));
const payload = fc.oneof(
  { weight: 6, arbitrary: body.map((b) => JSON.stringify(b) ?? 'undefined') },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constant('{"__proto__":{"polluted":true},"ts":1,"values":{"hr":80}}') },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(70 * 1024)) },
);

describe('a barrage of hostile messages', () => {
  it('leaves the server up, counts every message once by reason, and lets valid traffic through unchanged', async () => {
    const messages = fc.sample(fc.tuple(topic, payload), { numRuns: GENERATED, seed: 42 });
    const dev = await t.device();
    let closed = false;
    dev.on('close', () => (closed = true));
    const before = (await t.api<HealthAnswer>('/api/health')).body.ingest;
    let sent = 0;
    let valid = 0;
    for (let i = 0; i < messages.length; i++) {
      const [tp, pl] = messages[i];
      // Topics a client library refuses outright never reach the broker: they are not sent.
      if (!tp || tp.includes('#') || tp.includes('+') || tp.includes('\u0000')) continue;
      dev.publish(tp, pl, { qos: 0 });
      sent++;
      if (i % 500 === 0) {
        // valid traffic in between, with increasing hr
        valid++;
        dev.publish('icu/good/monitor/numerics', JSON.stringify({ ts: now + valid, values: { hr: 60 + valid } }), { qos: 0 });
        sent++;
      }
    }
    await dev.publishAsync('icu/good/monitor/numerics', JSON.stringify({ ts: now + 1000, values: { hr: 150, map: 65 } }), { qos: 1 });
    sent++;
    const after = await until(
      async () => {
        const h = (await t.api<HealthAnswer>('/api/health')).body.ingest;
        const seen = h.accepted + h.rejected.total - before.accepted - before.rejected.total;
        return seen >= sent ? h : null;
      },
      'every message counted',
      30_000,
    );
    expect(closed, 'the broker closed the device connection').toBe(false);
    const seen = after.accepted + after.rejected.total - before.accepted - before.rejected.total;
    expect(sent).toBeGreaterThanOrEqual(N);
    expect(seen).toBe(sent);
    const reasons = after.rejected.byReason;
    for (const r of ['unknown_topic', 'malformed_json', 'schema', 'oversized']) expect(reasons[r], r).toBeGreaterThan(0);
    const good = (await t.api<BedDetail>('/api/beds/good')).body;
    expect(good.latest.hr).toEqual({ value: 150, ts: now + 1000, source: 'monitor' });
    expect(good.latest.map.value).toBe(65);
    // no prototype pollution
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // still answering
    expect((await t.api('/api/beds')).status).toBe(200);
  });
});
