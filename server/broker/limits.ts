// Bounded input at the embedded broker: what one device login may publish, and how big. The rate
// limits are token buckets per connected client and per bed (the topic's bed ID, across clients);
// the size limits are fixed. Pure: the time comes in as an argument, clients are opaque keys.
import { ID_PATTERN, MAX_PAYLOAD_BYTES } from '../../shared/schemas.js';
import { TokenBucket, type Rate } from './token-bucket.js';

/** Why the broker refused a publish (the `reason` label of ecmo_mqtt_publishes_refused_total). */
export const REFUSAL_REASONS = ['rate_client', 'rate_bed', 'topic_too_long', 'packet_too_large'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/**
 * Longest topic, in UTF-8 bytes. The longest valid one is about 106: a 32-character prefix, bed and
 * pump channel, `monitor`, three slashes (docs/interface.md).
 */
export const MAX_TOPIC_BYTES = 128;
/**
 * Largest MQTT packet, header included: the ingest payload limit (64 KiB) and a quarter more. A
 * payload a little over 64 KiB still reaches ingest and is counted there against its bed
 * (`oversized`); anything bigger is cut at the broker before its body is read.
 */
export const MAX_PACKET_BYTES = MAX_PAYLOAD_BYTES + MAX_PAYLOAD_BYTES / 4;

/**
 * Default per connected client: a bedside monitor publishes about 3 messages a second (numerics at
 * 1 Hz, abp and pleth chunks once a second each; 6 with ecg and cvp waves too), an ECMO console 1,
 * a pump every 30 s, the lab hours apart. 50 a second is eight times the busiest device; a burst of
 * 200 lets a monitor send the minute it buffered while its network was down in one go.
 */
export const DEFAULT_RATE_PER_CLIENT: Rate = { perS: 50, burst: 200 };
/**
 * Default per bed, all its clients together: a bed's devices send about 5 messages a second. Twice
 * the client limit, so one runaway client on a bed (held at 50/s by its own limit) never uses up
 * what the bed's other devices need; the bed limit holds several clients on one bed, and a device
 * that reconnects under ever new client IDs, whose client buckets start full each time.
 */
export const DEFAULT_RATE_PER_BED: Rate = { perS: 100, burst: 400 };
/**
 * Status messages (retained `online`/`offline`) never wait behind a device's own data: with its
 * client bucket empty, a status still passes on this allowance of its own. Nor do they count
 * towards the bed. A device's last will is never limited at all.
 */
export const STATUS_ALLOWANCE: Rate = { perS: 1, burst: 10 };

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i;

/**
 * The rate limit in force: the variable when set; unset, the default where devices reach the broker
 * over the network, none where only this machine can publish (a loopback HOST: the demo, tests,
 * tools) or where the server runs simulated beds of its own (SIM_BEDS > 0: a demo, whose history is
 * published faster than real time).
 */
export function effectiveRate(configured: Rate | null | undefined, fallback: Rate, env: { host: string; simBeds: number }): Rate | null {
  if (configured !== undefined) return configured;
  return LOOPBACK.test(env.host) || env.simBeds > 0 ? null : fallback;
}

/** The bed a topic `{prefix}/{bed}/...` names; topics without a valid bed ID share one key. */
export function bedOf(topic: string): string {
  const start = topic.indexOf('/') + 1;
  if (start === 0) return '';
  const end = topic.indexOf('/', start);
  const bed = topic.slice(start, end === -1 ? undefined : end);
  return ID_PATTERN.test(bed) ? bed : '';
}

export function topicTooLong(topic: string): boolean {
  // A topic of more than MAX_TOPIC_BYTES / 3 characters may be too long; count its bytes only then.
  return topic.length > MAX_TOPIC_BYTES || (topic.length * 3 > MAX_TOPIC_BYTES && Buffer.byteLength(topic, 'utf8') > MAX_TOPIC_BYTES);
}

export interface LimiterOptions {
  perClient: Rate | null;
  perBed: Rate | null;
  /** Most bed buckets kept (MAX_BEDS × 2); beyond it the least recently used one is dropped. */
  maxBeds: number;
}

interface ClientBuckets {
  data: TokenBucket;
  status: TokenBucket;
}

export class PublishLimiter<Client extends object> {
  private readonly clients = new Map<Client, ClientBuckets>();
  /** In order of last use: the first is the least recently used. */
  private readonly beds = new Map<string, TokenBucket>();

  constructor(private readonly o: LimiterOptions) {}

  get enabled(): boolean {
    return this.o.perClient !== null || this.o.perBed !== null;
  }

  /** Null when the publish may pass (its tokens are taken), else why not. */
  check(client: Client, topic: string, status: boolean, nowMs: number): RefusalReason | null {
    const own = this.o.perClient ? this.clientBuckets(client, this.o.perClient, nowMs) : null;
    if (status) {
      if (!own || own.data.take(nowMs)) return null;
      return own.status.take(nowMs) ? null : 'rate_client';
    }
    if (own && !own.data.take(nowMs)) return 'rate_client';
    if (this.o.perBed && !this.bedBucket(bedOf(topic), this.o.perBed, nowMs).take(nowMs)) {
      own?.data.giveBack();
      return 'rate_bed';
    }
    return null;
  }

  /** A client disconnected: its buckets go (a new connection starts full; the bed's bucket stays). */
  forget(client: Client): void {
    this.clients.delete(client);
  }

  /** Drops bed buckets that have filled up again (the same as none) and clients that are gone. */
  sweep(nowMs: number, gone: (client: Client) => boolean): void {
    for (const [bed, bucket] of this.beds) if (bucket.full(nowMs)) this.beds.delete(bed);
    for (const client of this.clients.keys()) if (gone(client)) this.clients.delete(client);
  }

  sizes(): { clients: number; beds: number } {
    return { clients: this.clients.size, beds: this.beds.size };
  }

  private clientBuckets(client: Client, rate: Rate, nowMs: number): ClientBuckets {
    let b = this.clients.get(client);
    if (!b) {
      b = { data: new TokenBucket(rate, nowMs), status: new TokenBucket(STATUS_ALLOWANCE, nowMs) };
      this.clients.set(client, b);
    }
    return b;
  }

  private bedBucket(bed: string, rate: Rate, nowMs: number): TokenBucket {
    let b = this.beds.get(bed);
    if (b) {
      this.beds.delete(bed); // re-inserted below: now the most recently used
    } else {
      if (this.beds.size >= this.o.maxBeds) {
        // At the cap: the least recently used bed starts afresh next time (memory stays bounded;
        // the client limits still hold whoever invents bed IDs).
        const oldest = this.beds.keys().next();
        if (!oldest.done) this.beds.delete(oldest.value);
      }
      b = new TokenBucket(rate, nowMs);
    }
    this.beds.set(bed, b);
    return b;
  }
}
