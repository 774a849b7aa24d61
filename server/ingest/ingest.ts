// Ingest: every MQTT message is validated here once (shared/ingest/validate.ts judges topic and bytes;
// this stage adds what needs memory). It becomes an accepted message with its
// measurement time settled (skew, lateness, duplicates), or a counted rejection. Never throws.
import type { Parsed } from '../../shared/ingest/handlers.js';
import type { RejectReason } from '../../shared/ingest/reasons.js';
import { isInvalid, validatePayload } from '../../shared/ingest/validate.js';
import { parseTopic, type TopicInfo } from '../../shared/topics.js';
import { IngestCounters } from './counters.js';
import { DuplicateFilter } from './dedup.js';
import { inShard, type Shard } from './shard.js';

/** docs/interface.md: a ts more than 5 s ahead of the server clock is accepted with a clock-skew flag. */
export const CLOCK_SKEW_MS = 5_000;
/** docs/interface.md: data up to 48 h old is placed at its own ts; older is rejected. */
export const MAX_LATENESS_MS = 48 * 3600_000;
/** Parsed topics kept: a ward's every bed, device and stream many times over. */
const MAX_TOPICS_KEPT = 20_000;

export type Accepted = Parsed & {
  topic: TopicInfo;
  /** Settled measurement time: the device's ts, or the arrival time when the device clock ran ahead. */
  tsMs: number;
  skew: boolean;
};

export interface Rejected {
  reject: RejectReason;
  detail: string;
  bedId?: string;
  device?: string;
}

export type Outcome = Accepted | Rejected | null;

/**
 * The message accepted last: its bed, when it arrived (the `nowMs` it was handled at) and the
 * device's own ts. Overwritten in place for every accepted message (nothing allocated); the stream
 * reads it while the pipeline handles that message, to time its bed:update (/metrics).
 */
export interface Arrival {
  bedId: string;
  arrivedAtMs: number;
  deviceTsMs: number;
}

export interface IngestOptions {
  prefix: string;
  shard?: Shard | null;
  /** Whether a message may name this bed (a known bed, or room for a new one: MAX_BEDS). */
  admitBed?: (bedId: string) => boolean;
}

export class Ingest {
  readonly counters = new IngestCounters();
  readonly lastArrival: Arrival = { bedId: '', arrivedAtMs: 0, deviceTsMs: 0 };
  private readonly dedup = new DuplicateFilter();
  /** Topics seen, parsed once (a device sends on the same few topics all day); bounded below. */
  private readonly topics = new Map<string, Readonly<TopicInfo>>();

  constructor(private readonly opts: IngestOptions) {}

  /**
   * Validates one message. Returns the accepted message, a rejection, or null for a message that
   * belongs to another shard (ignored, not an error).
   */
  handle(topicName: string, payload: Uint8Array, nowMs: number): Outcome {
    const topic = this.topicOf(topicName);
    if (!topic) return this.reject({ reject: 'unknown_topic', detail: topicName.slice(0, 200) });
    if (this.opts.shard && !inShard(topic.bedId, this.opts.shard)) {
      this.counters.otherShard++;
      return null;
    }
    if (this.opts.admitBed && !this.opts.admitBed(topic.bedId)) {
      return this.reject({ reject: 'bed_limit', detail: `new bed ${topic.bedId} beyond MAX_BEDS` });
    }
    const parsed = validatePayload(topic, payload);
    if (isInvalid(parsed)) return this.reject({ ...parsed, ...where(topic) });

    if (parsed.kind === 'status') {
      // Status is retained state, not a measurement: no lateness or duplicate rules.
      if (parsed.state === 'online') this.dedup.resetDevice(`${topic.bedId}/${topic.device}/`);
      this.accept(topic.bedId, nowMs, parsed.ts ?? nowMs);
      return { ...parsed, topic, tsMs: parsed.ts !== undefined ? Math.min(parsed.ts, nowMs) : nowMs, skew: false };
    }

    let tsMs = parsed.ts;
    let skew = false;
    if (tsMs > nowMs + CLOCK_SKEW_MS) {
      // Placing it at its own ts would show it as current long after it was sent; it counts from arrival.
      skew = true;
      tsMs = nowMs;
      this.counters.clockSkew++;
    } else if (tsMs < nowMs - MAX_LATENESS_MS) {
      return this.reject({ reject: 'too_old', detail: `ts ${new Date(parsed.ts).toISOString()}`, ...where(topic) });
    }
    // Waveform chunks of different signals, and lab results of different sites, share a topic and
    // may share a time: each signal and each site is its own stream.
    const stream =
      parsed.kind === 'waveform'
        ? `${topic.stream}/${parsed.waveform.signal}`
        : parsed.kind === 'numerics' && parsed.site
          ? `${topic.stream}/${parsed.site}`
          : topic.stream;
    if (this.dedup.check(`${topic.bedId}/${topic.device}/${stream}`, parsed.ts, parsed.seq)) {
      return this.reject({ reject: 'duplicate', detail: `ts ${parsed.ts} seq ${parsed.seq ?? '-'}`, ...where(topic) });
    }
    if (parsed.kind === 'numerics' && parsed.ignoredKeys) this.counters.ignoredKeys += parsed.ignoredKeys;
    this.accept(topic.bedId, nowMs, parsed.ts);
    // The handler's result is this message's own: completed in place rather than copied (one
    // object less per message in a flood).
    const accepted = parsed as Accepted;
    accepted.topic = topic;
    accepted.tsMs = tsMs;
    accepted.skew = skew;
    return accepted;
  }

  private accept(bedId: string, nowMs: number, deviceTsMs: number): void {
    this.counters.accepted++;
    const a = this.lastArrival;
    a.bedId = bedId;
    a.arrivedAtMs = nowMs;
    a.deviceTsMs = deviceTsMs;
  }

  /** A topic's parts, parsed at its first message; invented topics past the bound are parsed each time. */
  private topicOf(name: string): Readonly<TopicInfo> | null {
    const known = this.topics.get(name);
    if (known) return known;
    const topic = parseTopic(this.opts.prefix, name);
    if (topic && this.topics.size < MAX_TOPICS_KEPT) this.topics.set(name, Object.freeze(topic));
    return topic;
  }

  private reject(r: Rejected): Rejected {
    this.counters.reject(r.reject);
    return r;
  }
}

/** The bed and device a rejection names (made only for a rejection). */
function where(topic: Readonly<TopicInfo>): { bedId: string; device: string } {
  return { bedId: topic.bedId, device: topic.device };
}

export function isRejected(o: Outcome): o is Rejected {
  return o !== null && 'reject' in o;
}
