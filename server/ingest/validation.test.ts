// Ingest at the edges of its rules (docs/interface.md): the limits themselves, what a rejection
// says, and the stateless validator (shared/ingest) that the server and the simulators share.
import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES } from '../../shared/schemas.js';
import { validateMessage } from '../../shared/ingest/validate.js';
import { REJECT_REASONS, REJECT_REASON_TEXT } from '../../shared/ingest/reasons.js';
import { CLOCK_SKEW_MS, Ingest, isRejected, MAX_LATENESS_MS, type Accepted, type Rejected } from './ingest.js';
import { inShard } from './shard.js';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const enc = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o));
const monitor = (values: Record<string, unknown>, extra: Record<string, unknown> = {}) => enc({ ts: NOW, values, ...extra });
const pump = (fields: Record<string, unknown>) =>
  enc({ ts: NOW, drug: 'epinephrine', rateMlH: 3, concentration: 20, concentrationUnit: 'mcg/mL', running: true, ...fields });

function handle(topic: string, payload: Uint8Array, now = NOW) {
  return new Ingest({ prefix: 'icu' }).handle(topic, payload, now);
}
const reason = (o: ReturnType<typeof handle>) => (isRejected(o) ? o.reject : o === null ? 'ignored' : 'accepted');

describe('the limits of ingest', () => {
  it('takes a device clock up to 5 s ahead at its word, and one further ahead from arrival with a flag', () => {
    const at = handle('icu/b1/monitor/numerics', enc({ ts: NOW + CLOCK_SKEW_MS, values: { hr: 80 } })) as Accepted;
    expect(at).toMatchObject({ tsMs: NOW + CLOCK_SKEW_MS, skew: false });
    const beyond = handle('icu/b1/monitor/numerics', enc({ ts: NOW + CLOCK_SKEW_MS + 1, values: { hr: 80 } })) as Accepted;
    expect(beyond).toMatchObject({ tsMs: NOW, skew: true });
  });

  it('places data exactly 48 h old at its time, and rejects older data naming its time', () => {
    const oldest = handle('icu/b1/monitor/numerics', enc({ ts: NOW - MAX_LATENESS_MS, values: { hr: 80 } })) as Accepted;
    expect(oldest.tsMs).toBe(NOW - MAX_LATENESS_MS);
    const older = handle('icu/b1/monitor/numerics', enc({ ts: NOW - MAX_LATENESS_MS - 1, values: { hr: 80 } })) as Rejected;
    expect(older).toMatchObject({ reject: 'too_old', detail: 'ts 2026-11-23T09:59:59.999Z' });
  });

  it('reads a payload of exactly 64 KiB and rejects one byte more, saying how big it was', () => {
    const json = JSON.stringify({ ts: NOW, values: { hr: 80 } });
    const padded = (size: number) => Buffer.from(json + ' '.repeat(size - json.length));
    expect(reason(handle('icu/b1/monitor/numerics', padded(MAX_PAYLOAD_BYTES)))).toBe('accepted');
    expect(handle('icu/b1/monitor/numerics', padded(MAX_PAYLOAD_BYTES + 1))).toMatchObject({
      reject: 'oversized',
      detail: `${MAX_PAYLOAD_BYTES + 1} bytes`,
    });
  });

  it('accepts a value at either end of its plausible range', () => {
    expect(reason(handle('icu/b1/monitor/numerics', monitor({ hr: 0, temp: 45 })))).toBe('accepted');
    expect(reason(handle('icu/b1/monitor/numerics', monitor({ hr: 350, temp: 20 })))).toBe('accepted');
    expect(handle('icu/b1/monitor/numerics', monitor({ temp: 19.9 }))).toMatchObject({
      reject: 'out_of_range',
      detail: 'temp 19.9 °C outside 20..45',
    });
  });

  it('keeps a sensor reported as off (null) even where 0 would be out of range', () => {
    const out = handle('icu/b1/monitor/numerics', monitor({ temp: null })) as Accepted;
    expect(out.kind === 'numerics' && out.values).toEqual([{ signal: 'temp', value: null }]);
    const lab = handle('icu/b1/lab/result', enc({ ts: NOW, site: 'arterial', values: { pco2: null } })) as Accepted;
    expect(lab.kind === 'numerics' && lab.values).toEqual([{ signal: 'lab.arterial.pco2', value: null }]);
  });

  it('rejects a lab result with an implausible value, naming the value and its range', () => {
    expect(handle('icu/b1/lab/result', enc({ ts: NOW, site: 'arterial', values: { lactate: 2, ph: 8.1 } }))).toMatchObject({
      reject: 'out_of_range',
      detail: 'ph 8.1 pH outside 6.5..8',
    });
  });

  it('accepts pump rates from 0 to 2000 mL/h and concentrations above 0 up to 100 000', () => {
    for (const fields of [{ rateMlH: 0 }, { rateMlH: 2000 }, { concentration: 100_000 }, { concentration: 0.001 }]) {
      expect(reason(handle('icu/b1/pump/ch1', pump(fields))), JSON.stringify(fields)).toBe('accepted');
    }
    expect(handle('icu/b1/pump/ch1', pump({ rateMlH: 2000.5 }))).toMatchObject({
      reject: 'out_of_range',
      detail: 'rateMlH 2000.5 outside 0..2000',
    });
    expect(handle('icu/b1/pump/ch1', pump({ concentration: 0 }))).toMatchObject({
      reject: 'out_of_range',
      detail: 'concentration 0 outside (0, 100000]',
    });
    expect(reason(handle('icu/b1/pump/ch1', pump({ concentration: 100_001 })))).toBe('out_of_range');
  });
});

describe('what a rejection says', () => {
  it('names the bed and device of a message it could place', () => {
    expect(handle('icu/b7/ecmo/numerics', enc('{oops'))).toEqual({
      reject: 'malformed_json',
      detail: 'not UTF-8 JSON',
      bedId: 'b7',
      device: 'ecmo',
    });
  });

  it('quotes at most 200 characters of a topic it could not place', () => {
    const topic = `icu/${'x'.repeat(300)}`;
    expect(handle(topic, enc({}))).toEqual({ reject: 'unknown_topic', detail: topic.slice(0, 200) });
  });

  it('rejects bytes that are not UTF-8, even inside a JSON string', () => {
    const payload = Buffer.concat([Buffer.from(`{"ts":${NOW},"values":{"hr":80},"note":"`), Buffer.from([0xff]), Buffer.from('"}')]);
    expect(handle('icu/b1/monitor/numerics', payload)).toMatchObject({ reject: 'malformed_json', detail: 'not UTF-8 JSON' });
  });

  it('rejects JSON that is not an object', () => {
    for (const body of ['null', '[]', '[{"ts":1}]', '42', '"text"']) {
      expect(handle('icu/b1/monitor/numerics', enc(body)), body).toMatchObject({ reject: 'malformed_json', detail: 'not a JSON object' });
    }
  });

  it('names the field that does not match the schema', () => {
    const out = handle('icu/b1/monitor/numerics', monitor({ hr: '80' })) as Rejected;
    expect(out.reject).toBe('schema');
    expect(out.detail).toMatch(/^values\.hr: \S/);
    expect((handle('icu/b1/ecmo/status', enc({ state: 'asleep' })) as Rejected).detail).toMatch(/^state: \S/);
  });

  it('names the time and seq of a duplicate', () => {
    const i = new Ingest({ prefix: 'icu' });
    const send = (seq?: number) => i.handle('icu/b1/ecmo/numerics', enc({ ts: NOW - 1000, seq, values: { flow: 1 } }), NOW);
    send(4);
    expect(send(4)).toMatchObject({ reject: 'duplicate', detail: `ts ${NOW - 1000} seq 4` });
    expect(send()).toMatchObject({ reject: 'duplicate', detail: `ts ${NOW - 1000} seq -` });
  });

  it('has words for every reason it counts (docs/reference.md lists them)', () => {
    for (const r of REJECT_REASONS) expect(REJECT_REASON_TEXT[r], r).toMatch(/^[a-z].{20,}$/);
  });
});

describe('what an accepted message says', () => {
  it('names the feed of numerics, and the site of a lab result', () => {
    expect(handle('icu/b1/monitor/numerics', monitor({ hr: 80 }))).toMatchObject({ kind: 'numerics', source: 'monitor' });
    expect(handle('icu/b1/ecmo/numerics', monitor({ flow: 2 }))).toMatchObject({ kind: 'numerics', source: 'ecmo' });
    expect(handle('icu/b1/lab/result', enc({ ts: NOW, site: 'venous', values: { lactate: 2 } }))).toMatchObject({
      kind: 'numerics',
      source: 'lab',
      site: 'venous',
    });
  });

  it('trims and lower-cases a drug name', () => {
    const out = handle('icu/b1/pump/ch1', pump({ drug: '  NorEpinephrine ' })) as Accepted;
    expect(out.kind === 'pump' && out.message.drug).toBe('norepinephrine');
  });

  it('counts the keys it does not know, each once, and keeps the known ones', () => {
    const i = new Ingest({ prefix: 'icu' });
    const out = i.handle('icu/b1/monitor/numerics', monitor({ hr: 80, spo2: 97, cvp: 8, icp: 12, pap: 20 }), NOW) as Accepted;
    expect(out.kind === 'numerics' && out.values.map((v) => v.signal).sort()).toEqual(['cvp', 'hr', 'spo2']);
    expect(out.kind === 'numerics' && out.ignoredKeys).toBe(2);
    i.handle('icu/b1/pump/ch1', pump({}), NOW);
    i.handle('icu/b1/monitor/waveform', enc({ ts: NOW, signal: 'abp', rateHz: 125, samples: [1, 2] }), NOW);
    expect(i.counters.ignoredKeys).toBe(2);
    expect(i.counters.accepted).toBe(3);
  });
});

describe('device status', () => {
  it('is taken at its own time, never later than now, or now without one; never flagged, never a duplicate', () => {
    const i = new Ingest({ prefix: 'icu' });
    const status = (fields: Record<string, unknown>) => i.handle('icu/b1/ecmo/status', enc({ state: 'online', ...fields }), NOW);
    expect(status({ ts: NOW - 5000 })).toMatchObject({ kind: 'status', state: 'online', tsMs: NOW - 5000, skew: false });
    expect(status({ ts: NOW + 60_000 })).toMatchObject({ tsMs: NOW, skew: false });
    expect(status({})).toMatchObject({ tsMs: NOW, skew: false });
    expect(status({ ts: NOW - 5000 })).toMatchObject({ kind: 'status' });
    expect(i.counters.accepted).toBe(4);
    expect(i.counters.rejected).toBe(0);
  });

  it('starts a new seq run for the device that comes back online only: not on offline, not for other devices or beds', () => {
    const i = new Ingest({ prefix: 'icu' });
    const send = (topic: string) => i.handle(topic, enc({ ts: NOW - 1000, seq: 1, values: { flow: 1, hr: 80 } }), NOW);
    const topics = ['icu/b1/ecmo/numerics', 'icu/b1/monitor/numerics', 'icu/b2/ecmo/numerics'];
    for (const t of topics) expect(reason(send(t)), t).toBe('accepted');
    i.handle('icu/b1/ecmo/status', enc({ state: 'offline' }), NOW);
    expect(reason(send('icu/b1/ecmo/numerics'))).toBe('duplicate');
    i.handle('icu/b1/ecmo/status', enc({ state: 'online' }), NOW);
    expect(reason(send('icu/b1/ecmo/numerics'))).toBe('accepted');
    expect(reason(send('icu/b1/monitor/numerics'))).toBe('duplicate');
    expect(reason(send('icu/b2/ecmo/numerics'))).toBe('duplicate');
  });
});

describe('the bed limit', () => {
  it('turns away a message naming a bed it may not admit, before reading it, and counts it', () => {
    const i = new Ingest({ prefix: 'icu', admitBed: (bedId) => bedId !== 'b9' });
    expect(i.handle('icu/b9/monitor/numerics', enc('{not even json'), NOW)).toEqual({
      reject: 'bed_limit',
      detail: 'new bed b9 beyond MAX_BEDS',
    });
    expect(reason(i.handle('icu/b1/monitor/numerics', monitor({ hr: 80 }), NOW))).toBe('accepted');
    expect(i.counters.byReason.bed_limit).toBe(1);
    expect(i.counters.accepted).toBe(1);
  });
});

describe('shards', () => {
  it('process exactly the beds of their share and count the others as ignored', () => {
    const shard = { index: 1, count: 3 };
    const i = new Ingest({ prefix: 'icu', shard });
    let other = 0;
    for (let n = 0; n < 30; n++) {
      const bed = `bed${n}`;
      const out = i.handle(`icu/${bed}/monitor/numerics`, monitor({ hr: 80 }), NOW);
      expect(out === null, bed).toBe(!inShard(bed, shard));
      if (out === null) other++;
    }
    expect(other).toBeGreaterThan(0);
    expect(i.counters.otherShard).toBe(other);
    expect(i.counters.accepted).toBe(30 - other);
    expect(isRejected(null)).toBe(false);
  });
});

describe('the shared validator', () => {
  it('judges a message as the server does, short of what needs memory (duplicates, lateness)', () => {
    const messages: [string, Buffer][] = [
      ['icu/b1/monitor/numerics', monitor({ hr: 80, cvp: null })],
      ['icu/b1/monitor/numerics', monitor({ hr: 351 })],
      ['icu/b1/monitor/numerics', enc('[1]')],
      ['icu/b1/lab/result', enc({ ts: NOW, site: 'pre-oxygenator', values: { po2: 40 } })],
      ['icu/b1/pump/ch-2', pump({ drug: 'Milrinone' })],
      ['icu/b1/ecmo/status', enc({ state: 'offline', ts: NOW - 1 })],
      ['icu/b1/fridge/numerics', monitor({})],
      [`icu/${'y'.repeat(250)}`, monitor({})],
    ];
    for (const [topic, payload] of messages) {
      const server = new Ingest({ prefix: 'icu' }).handle(topic, payload, NOW)!;
      const shared = validateMessage('icu', topic, payload);
      if (isRejected(server)) expect(shared, topic).toEqual({ reject: server.reject, detail: server.detail });
      else {
        const { tsMs: _tsMs, skew: _skew, ...rest } = server;
        expect(shared, topic).toEqual(rest);
      }
    }
  });
});
