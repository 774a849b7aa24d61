import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RATE_PER_BED,
  DEFAULT_RATE_PER_CLIENT,
  MAX_PACKET_BYTES,
  MAX_TOPIC_BYTES,
  PublishLimiter,
  bedOf,
  effectiveRate,
  topicTooLong,
} from './limits.js';
import { MAX_PAYLOAD_BYTES } from '../../shared/schemas.js';
import { ConfigError, loadConfig } from '../config.js';

const client = () => ({ closed: false });
type C = ReturnType<typeof client>;
const limiter = (o: Partial<ConstructorParameters<typeof PublishLimiter<C>>[0]> = {}) =>
  new PublishLimiter<C>({ perClient: { perS: 10, burst: 20 }, perBed: { perS: 20, burst: 40 }, maxBeds: 8, ...o });

/** Publishes n messages at time t; how many passed, and the reasons of the others. */
function burst(l: PublishLimiter<C>, c: C, topic: string, n: number, t: number, status = false) {
  const refused: Record<string, number> = {};
  let passed = 0;
  for (let i = 0; i < n; i++) {
    const r = l.check(c, topic, status, t);
    if (r === null) passed++;
    else refused[r] = (refused[r] ?? 0) + 1;
  }
  return { passed, refused };
}

describe('the broker limits', () => {
  it('hold one client to its own rate, and leave another client on another bed untouched', () => {
    const l = limiter();
    const noisy = client();
    const quiet = client();
    expect(burst(l, noisy, 'icu/b1/monitor/numerics', 100, 0)).toEqual({ passed: 20, refused: { rate_client: 80 } });
    expect(burst(l, quiet, 'icu/b2/monitor/numerics', 3, 0)).toEqual({ passed: 3, refused: {} });
    // a second later: ten more for the noisy one
    expect(burst(l, noisy, 'icu/b1/monitor/numerics', 100, 1000).passed).toBe(10);
  });

  it('hold a bed to its rate across its clients, without one client using up what the others need', () => {
    const l = limiter();
    const [a, b, c] = [client(), client(), client()];
    // a runaway client reaches only its own burst (20 of the bed's 40)
    expect(burst(l, a, 'icu/b1/monitor/numerics', 100, 0).passed).toBe(20);
    // the bed's other device still gets through
    expect(burst(l, b, 'icu/b1/ecmo/numerics', 5, 0)).toEqual({ passed: 5, refused: {} });
    // a third client on the bed: only what is left of the bed's 40
    expect(burst(l, c, 'icu/b1/pump/ch1', 30, 0)).toEqual({ passed: 15, refused: { rate_bed: 15 } });
  });

  it('do not charge a client for a publish its bed refused', () => {
    const l = limiter({ perClient: { perS: 1, burst: 10 }, perBed: { perS: 1, burst: 5 } });
    const c = client();
    expect(burst(l, c, 'icu/b1/monitor/numerics', 8, 0)).toEqual({ passed: 5, refused: { rate_bed: 3 } });
    // five client tokens left: another bed takes them
    expect(burst(l, c, 'icu/b2/monitor/numerics', 8, 0)).toEqual({ passed: 5, refused: { rate_client: 3 } });
  });

  it('let a status through when the client has used up its rate, on an allowance of its own', () => {
    const l = limiter();
    const c = client();
    burst(l, c, 'icu/b1/monitor/numerics', 100, 0);
    expect(burst(l, c, 'icu/b1/monitor/status', 12, 0, true)).toEqual({ passed: 10, refused: { rate_client: 2 } });
  });

  it('never count a status against its bed', () => {
    const l = limiter({ perClient: null });
    expect(burst(l, client(), 'icu/b1/monitor/status', 500, 0, true).passed).toBe(500);
    expect(burst(l, client(), 'icu/b1/monitor/numerics', 100, 0).passed).toBe(40);
  });

  it('limit nothing when off', () => {
    const l = limiter({ perClient: null, perBed: null });
    expect(l.enabled).toBe(false);
    expect(burst(l, client(), 'icu/b1/monitor/numerics', 10_000, 0).passed).toBe(10_000);
    expect(l.sizes()).toEqual({ clients: 0, beds: 0 });
  });

  it('never refuse a client that keeps to its rate, whatever its neighbours on other beds do', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 60 }), (floods) => {
        const l = limiter();
        const quiet = client();
        const noisy = floods.map(() => client());
        for (let s = 0; s < 30; s++) {
          const t = s * 1000;
          floods.forEach((n, i) => burst(l, noisy[i], `icu/n${i}/monitor/numerics`, n, t));
          expect(burst(l, quiet, 'icu/q/monitor/numerics', 10, t).passed).toBe(10);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('forget a disconnected client, and beds whose buckets have filled up again', () => {
    const l = limiter();
    const a = client();
    const b = client();
    burst(l, a, 'icu/b1/monitor/numerics', 5, 0);
    burst(l, b, 'icu/b2/monitor/numerics', 5, 0);
    expect(l.sizes()).toEqual({ clients: 2, beds: 2 });
    l.forget(a);
    b.closed = true;
    l.sweep(100, (c) => c.closed);
    expect(l.sizes()).toEqual({ clients: 0, beds: 2 }); // five of forty used, two back after 100 ms
    l.sweep(250, (c) => c.closed); // refilled at 20/s
    expect(l.sizes()).toEqual({ clients: 0, beds: 0 });
  });

  it('keep at most maxBeds bed buckets, however many beds are invented', () => {
    const l = limiter();
    const c = client();
    for (let i = 0; i < 1000; i++) l.check(c, `icu/x${i}/monitor/numerics`, false, i * 100);
    expect(l.sizes().beds).toBe(8);
  });

  it('share one bed bucket between topics without a valid bed ID', () => {
    expect(bedOf('icu/bed-07/monitor/numerics')).toBe('bed-07');
    expect(bedOf('icu/bed-07')).toBe('bed-07');
    for (const t of ['icu', 'icu/', 'icu/bad bed/monitor/numerics', `icu/${'x'.repeat(33)}/a/b`, 'icu//monitor'])
      expect(bedOf(t), t).toBe('');
  });
});

describe('the size limits', () => {
  it('allow every valid topic and refuse longer ones by their UTF-8 bytes', () => {
    const longest = `${'p'.repeat(32)}/${'b'.repeat(32)}/monitor/${'c'.repeat(32)}`;
    expect(topicTooLong(longest)).toBe(false);
    expect(topicTooLong('x'.repeat(MAX_TOPIC_BYTES))).toBe(false);
    expect(topicTooLong('x'.repeat(MAX_TOPIC_BYTES + 1))).toBe(true);
    expect(topicTooLong('é'.repeat(64))).toBe(false); // 128 bytes
    expect(topicTooLong('é'.repeat(65))).toBe(true); // 130 bytes in 65 characters
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (t) => {
        expect(topicTooLong(t)).toBe(Buffer.byteLength(t) > MAX_TOPIC_BYTES);
      }),
    );
  });

  it('take a packet slightly larger than the ingest payload limit, so ingest still counts a payload a little over it', () => {
    expect(MAX_PACKET_BYTES).toBeGreaterThan(MAX_PAYLOAD_BYTES + MAX_TOPIC_BYTES + 8);
    expect(MAX_PACKET_BYTES).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES * 1.25);
  });
});

describe('the default rate limits', () => {
  it('apply where devices reach the broker over the network', () => {
    for (const host of ['0.0.0.0', '10.1.2.3', '::', 'ward-server.local']) {
      expect(effectiveRate(undefined, DEFAULT_RATE_PER_CLIENT, { host, simBeds: 0 }), host).toEqual(DEFAULT_RATE_PER_CLIENT);
    }
  });

  it('are off on loopback and with simulated beds of the server’s own (the demo, tests and tools)', () => {
    for (const host of ['127.0.0.1', '127.0.1.1', '::1', 'localhost'])
      expect(effectiveRate(undefined, DEFAULT_RATE_PER_BED, { host, simBeds: 0 })).toBeNull();
    expect(effectiveRate(undefined, DEFAULT_RATE_PER_BED, { host: '0.0.0.0', simBeds: 6 })).toBeNull();
  });

  it('give way to the variable, set or off', () => {
    expect(effectiveRate({ perS: 5, burst: 5 }, DEFAULT_RATE_PER_CLIENT, { host: '127.0.0.1', simBeds: 6 })).toEqual({ perS: 5, burst: 5 });
    expect(effectiveRate(null, DEFAULT_RATE_PER_CLIENT, { host: '0.0.0.0', simBeds: 0 })).toBeNull();
  });

  it('keep a bed at least twice a client, so one runaway client never uses up its bed', () => {
    expect(DEFAULT_RATE_PER_BED.perS).toBeGreaterThanOrEqual(2 * DEFAULT_RATE_PER_CLIENT.perS);
    expect(DEFAULT_RATE_PER_BED.burst).toBeGreaterThanOrEqual(2 * DEFAULT_RATE_PER_CLIENT.burst);
  });
});

describe('the rate settings', () => {
  it('are read as RATE/BURST, RATE or off, and a bad one stops the start with its name', () => {
    expect(loadConfig({ MQTT_RATE_PER_CLIENT: '50/200', MQTT_RATE_PER_BED: 'off' })).toMatchObject({
      MQTT_RATE_PER_CLIENT: { perS: 50, burst: 200 },
      MQTT_RATE_PER_BED: null,
    });
    expect(loadConfig({}).MQTT_RATE_PER_CLIENT).toBeUndefined();
    expect(() => loadConfig({ MQTT_RATE_PER_BED: 'fast' })).toThrow(ConfigError);
    expect(() => loadConfig({ MQTT_RATE_PER_BED: 'fast' })).toThrow(/MQTT_RATE_PER_BED: RATE\/BURST/);
  });
});
