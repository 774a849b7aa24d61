import { describe, expect, it } from 'vitest';
import { Ingest, isRejected, MAX_LATENESS_MS, type Accepted } from './ingest.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const enc = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o));

function ingest() {
  return new Ingest({ prefix: 'icu' });
}

describe('ingest', () => {
  it('turns monitor numerics into samples at the device time, keeping null as "sensor off"', () => {
    const out = ingest().handle(
      'icu/b1/monitor/numerics',
      enc({ ts: NOW - 1000, seq: 4, values: { hr: 120, cvp: null } }),
      NOW,
    ) as Accepted;
    expect(out.kind).toBe('numerics');
    expect(out.tsMs).toBe(NOW - 1000);
    expect(out.kind === 'numerics' && out.values).toEqual([
      { signal: 'hr', value: 120 },
      { signal: 'cvp', value: null },
    ]);
  });

  it('accepts ISO-8601 times with an offset and refuses them without one', () => {
    const i = ingest();
    const ok = i.handle('icu/b1/monitor/numerics', enc({ ts: '2026-11-25T11:00:00+01:00', values: { hr: 80 } }), NOW) as Accepted;
    expect(ok.tsMs).toBe(NOW);
    const bad = i.handle('icu/b1/monitor/numerics', enc({ ts: '2026-11-25T11:00:00', values: { hr: 80 } }), NOW);
    expect(isRejected(bad) && bad.reject).toBe('schema');
  });

  it('names lab values by site so a pre-oxygenator gas never passes for an arterial one', () => {
    const out = ingest().handle(
      'icu/b1/lab/result',
      enc({ ts: NOW - 600_000, site: 'pre-oxygenator', values: { po2: 40, so2: 70 } }),
      NOW,
    ) as Accepted;
    expect(out.kind === 'numerics' && out.values.map((v) => v.signal)).toEqual(['lab.pre-oxygenator.po2', 'lab.pre-oxygenator.so2']);
  });

  it('rejects each kind of bad input with its reason and counts it', () => {
    const i = ingest();
    const cases: [string, Buffer, string][] = [
      ['icu/b1/monitor/numerics', enc('{oops'), 'malformed_json'],
      ['icu/b1/monitor/numerics', enc('"a string"'), 'malformed_json'],
      ['icu/b1/monitor/numerics', enc({ ts: NOW, values: { hr: '80' } }), 'schema'],
      ['icu/b1/monitor/numerics', enc({ ts: NOW, values: { hr: 351 } }), 'out_of_range'],
      ['icu/b1/ecmo/numerics', enc({ ts: NOW, values: { flow: 12 } }), 'out_of_range'],
      [
        'icu/b1/pump/ch1',
        enc({ ts: NOW, drug: 'epinephrine', rateMlH: -1, concentration: 20, concentrationUnit: 'mcg/mL', running: true }),
        'out_of_range',
      ],
      [
        'icu/b1/pump/ch1',
        enc({ ts: NOW, drug: 'epinephrine', rateMlH: 1, concentration: 20, concentrationUnit: 'mcg/L', running: true }),
        'schema',
      ],
      ['icu/b1/lab/result', enc({ ts: NOW, site: 'toe', values: { lactate: 2 } }), 'schema'],
      ['icu/b1/monitor/waveform', enc({ ts: NOW, signal: 'abp', rateHz: 125, samples: new Array(4097).fill(1) }), 'schema'],
      ['icu/b1/monitor/numerics', enc({ ts: NOW - MAX_LATENESS_MS - 1, values: { hr: 80 } }), 'too_old'],
      ['icu/b1/monitor/numerics', Buffer.alloc(64 * 1024 + 1, 32), 'oversized'],
      ['icu/b1/fridge/numerics', enc({ ts: NOW, values: {} }), 'unknown_topic'],
      ['other/b1/monitor/numerics', enc({ ts: NOW, values: {} }), 'unknown_topic'],
      ['icu/b1/monitor/numerics/extra', enc({ ts: NOW, values: {} }), 'unknown_topic'],
      ['icu/b1/pump/status', enc({ state: 'sleeping' }), 'schema'],
    ];
    for (const [topic, payload, reason] of cases) {
      const out = i.handle(topic, payload, NOW);
      expect(isRejected(out) ? out.reject : 'accepted', `${topic} ${payload.toString().slice(0, 40)}`).toBe(reason);
    }
    expect(i.counters.rejected).toBe(cases.length);
    expect(i.counters.accepted).toBe(0);
  });

  it('rejects a whole message when one value is out of range, so no half-trusted message is stored', () => {
    const out = ingest().handle('icu/b1/monitor/numerics', enc({ ts: NOW, values: { hr: 80, spo2: 140 } }), NOW);
    expect(isRejected(out) && out.detail).toMatch(/spo2 140/);
  });

  it('drops duplicates by ts or by seq, but not a device that restarts its seq later', () => {
    const i = ingest();
    const send = (ts: number, seq?: number) => i.handle('icu/b1/ecmo/numerics', enc({ ts, seq, values: { flow: 1 } }), NOW);
    expect(isRejected(send(NOW - 5000, 1))).toBe(false);
    expect(isRejected(send(NOW - 4000, 2))).toBe(false);
    expect(isRejected(send(NOW - 5000, 1)) && 'dup').toBe('dup'); // redelivery
    expect(isRejected(send(NOW - 4500, 2)) && 'dup').toBe('dup'); // same seq
    expect(isRejected(send(NOW - 4000))).toBe(true); // same ts without seq
    expect(isRejected(send(NOW - 4200, 3))).toBe(false); // out of order, new: accepted
    expect(i.counters.duplicates).toBe(3);
    // A different stream of the same bed has its own history.
    expect(isRejected(i.handle('icu/b1/monitor/numerics', enc({ ts: NOW - 5000, seq: 1, values: { hr: 80 } }), NOW))).toBe(false);
    // After the device reports online again, seq 1 is a new message.
    i.handle('icu/b1/ecmo/status', enc({ state: 'online' }), NOW);
    expect(isRejected(send(NOW - 1000, 1))).toBe(false);
  });

  it('treats the waveform chunks of different signals as different streams', () => {
    const i = ingest();
    const chunk = (signal: string) => enc({ ts: NOW - 1000, seq: 7, signal, rateHz: 125, samples: [1, 2, 3] });
    expect(isRejected(i.handle('icu/b1/monitor/waveform', chunk('abp'), NOW))).toBe(false);
    expect(isRejected(i.handle('icu/b1/monitor/waveform', chunk('pleth'), NOW))).toBe(false);
    expect(isRejected(i.handle('icu/b1/monitor/waveform', chunk('abp'), NOW))).toBe(true);
  });

  it('treats lab results of different sites drawn at the same time as different results', () => {
    const i = ingest();
    const result = (site: string) => enc({ ts: NOW - 600_000, site, values: { po2: 90 } });
    expect(isRejected(i.handle('icu/b1/lab/result', result('arterial'), NOW))).toBe(false);
    expect(isRejected(i.handle('icu/b1/lab/result', result('post-oxygenator'), NOW))).toBe(false);
    expect(isRejected(i.handle('icu/b1/lab/result', result('arterial'), NOW))).toBe(true);
  });

  it('accepts a message from a device whose clock runs ahead, flags it and counts it from arrival', () => {
    const i = ingest();
    const ahead = i.handle('icu/b1/monitor/numerics', enc({ ts: NOW + 60_000, values: { hr: 80 } }), NOW) as Accepted;
    expect(ahead.skew).toBe(true);
    expect(ahead.tsMs).toBe(NOW);
    const slightly = i.handle('icu/b1/monitor/numerics', enc({ ts: NOW + 4000, values: { hr: 81 } }), NOW) as Accepted;
    expect(slightly.skew).toBe(false);
    expect(i.counters.clockSkew).toBe(1);
  });

  it('reads pump channels and lower-cases drug names', () => {
    const out = ingest().handle(
      'icu/b1/pump/ch-2',
      enc({ ts: NOW, drug: 'Epinephrine', rateMlH: 3, concentration: 20, concentrationUnit: 'mcg/mL', running: true }),
      NOW,
    ) as Accepted;
    expect(out.kind === 'pump' && out.message.drug).toBe('epinephrine');
    expect(out.topic.channel).toBe('ch-2');
  });

  it('counts keys it does not know and keeps the known ones', () => {
    const i = ingest();
    const out = i.handle('icu/b1/monitor/numerics', enc({ ts: NOW, values: { hr: 80, icp: 12 } }), NOW) as Accepted;
    expect(out.kind === 'numerics' && out.values).toEqual([{ signal: 'hr', value: 80 }]);
    expect(i.counters.ignoredKeys).toBe(1);
  });

  it('ignores beds of another shard without counting them as errors', () => {
    const a = new Ingest({ prefix: 'icu', shard: { index: 0, count: 2 } });
    const b = new Ingest({ prefix: 'icu', shard: { index: 1, count: 2 } });
    let taken = 0;
    for (let n = 0; n < 50; n++) {
      const msg = enc({ ts: NOW, values: { hr: 80 } });
      const ra = a.handle(`icu/bed${n}/monitor/numerics`, msg, NOW);
      const rb = b.handle(`icu/bed${n}/monitor/numerics`, msg, NOW);
      expect((ra === null) !== (rb === null)).toBe(true);
      if (ra) taken++;
    }
    expect(taken).toBeGreaterThan(5);
    expect(taken).toBeLessThan(45);
    expect(a.counters.rejected + b.counters.rejected).toBe(0);
  });

  it('remembers the last accepted message: its bed, arrival and the device ts, even ahead of the clock', () => {
    const i = ingest();
    i.handle('icu/b1/monitor/numerics', enc({ ts: NOW - 2000, values: { hr: 80 } }), NOW);
    expect(i.lastArrival).toEqual({ bedId: 'b1', arrivedAtMs: NOW, deviceTsMs: NOW - 2000 });
    i.handle('icu/b2/ecmo/numerics', enc({ ts: NOW + 60_000, values: { flow: 2 } }), NOW + 5);
    expect(i.lastArrival).toEqual({ bedId: 'b2', arrivedAtMs: NOW + 5, deviceTsMs: NOW + 60_000 });
    // A rejected message leaves it as it was; a status without a ts counts from its arrival.
    i.handle('icu/b3/monitor/numerics', enc('not json'), NOW + 10);
    expect(i.lastArrival.bedId).toBe('b2');
    i.handle('icu/b4/pump/status', enc({ state: 'online' }), NOW + 20);
    expect(i.lastArrival).toEqual({ bedId: 'b4', arrivedAtMs: NOW + 20, deviceTsMs: NOW + 20 });
  });

  it('never throws, whatever the bytes', async () => {
    const fc = await import('fast-check');
    const i = ingest();
    fc.assert(
      fc.property(
        fc.constantFrom(
          'icu/b1/monitor/numerics',
          'icu/b1/ecmo/numerics',
          'icu/b1/pump/c1',
          'icu/b1/lab/result',
          'icu/b1/monitor/waveform',
          'icu/b1/lab/status',
        ),
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.json().map((j) => enc(j)),
          fc.anything().map((j) => enc(JSON.stringify(j) ?? 'null')),
        ),
        (topic, payload) => {
          i.handle(topic, payload, NOW);
        },
      ),
      { numRuns: 2000 },
    );
    expect(i.counters.accepted + i.counters.rejected).toBeGreaterThan(0);
  });
});
