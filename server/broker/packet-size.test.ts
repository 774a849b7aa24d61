import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacketSizeGuard } from './packet-size.js';

/** An MQTT packet: its type byte, the remaining length as a variable byte integer, the body. */
function packet(typeByte: number, body: Buffer): Buffer {
  const len: number[] = [];
  let n = body.length;
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    len.push(b);
  } while (n > 0);
  return Buffer.concat([Buffer.from([typeByte, ...len]), body]);
}

function publish(topic: string, payloadBytes: number, qos: 0 | 1 = 1): Buffer {
  const t = Buffer.from(topic);
  const head = Buffer.alloc(2);
  head.writeUInt16BE(t.length);
  const id = qos ? Buffer.from([0, 7]) : Buffer.alloc(0);
  return packet(0x30 | (qos << 1), Buffer.concat([head, t, id, Buffer.alloc(payloadBytes, 0x20)]));
}

/** Cuts a byte stream into chunks of the given sizes (the rest in one). */
function chunks(bytes: Buffer, sizes: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const s of sizes) {
    if (at >= bytes.length) break;
    out.push(bytes.subarray(at, at + s));
    at += s;
  }
  if (at < bytes.length) out.push(bytes.subarray(at));
  return out;
}

function firstTooLarge(max: number, parts: readonly Buffer[]): number | null {
  const g = new PacketSizeGuard(max);
  for (const p of parts) {
    const r = g.feed(p);
    if (r !== null) return r;
  }
  return null;
}

describe('the packet size guard', () => {
  it('lets packets up to the limit through and names the first one over it, by its whole size', () => {
    const ok = publish('icu/b1/monitor/numerics', 1000);
    const big = publish('icu/b1/monitor/waveform', 5000);
    expect(firstTooLarge(ok.length, [ok, ok, ok])).toBeNull();
    expect(firstTooLarge(ok.length, [ok, big, ok])).toBe(big.length);
  });

  it('judges a packet from its header alone, before its body arrives', () => {
    const big = publish('icu/b1/monitor/numerics', 10_000_000);
    expect(firstTooLarge(80 * 1024, [big.subarray(0, 5)])).toBe(big.length);
  });

  it('follows packet boundaries however the stream is cut into chunks', () => {
    const stream = fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.constantFrom<0 | 1>(0, 1)), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(
        stream,
        fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 80 }),
        fc.integer({ min: 100, max: 3100 }),
        (pkts, cuts, max) => {
          const packets = pkts.map(([n, qos]) => publish('icu/b1/monitor/numerics', n, qos));
          const expected = packets.find((p) => p.length > max)?.length ?? null;
          expect(firstTooLarge(max, chunks(Buffer.concat(packets), cuts))).toBe(expected);
        },
      ),
    );
  });

  it('reads every packet type, pings and acknowledgements included', () => {
    const ping = packet(0xc0, Buffer.alloc(0));
    const ack = packet(0x40, Buffer.from([0, 3]));
    const connect = packet(0x10, Buffer.alloc(2000, 0x63));
    expect(firstTooLarge(100, [ping, ack, ping])).toBeNull();
    expect(firstTooLarge(100, [ping, connect])).toBe(connect.length);
  });

  it('gives up on a malformed length and leaves it to the protocol parser', () => {
    expect(firstTooLarge(100, [Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])])).toBeNull();
  });
});
