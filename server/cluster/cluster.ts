// Instances that split the beds (SHARD=i/n) and share one PostgreSQL recording join through Redis
// (REDIS_URL): docs/deployment.md, "Several instances"; decision record 11.
//
// - Socket.IO's Redis adapter carries what one instance emits to a room to the sockets of every
//   instance: a browser connected anywhere hears the updates, alarms and events of every bed from the
//   one instance that owns it (so a bed's `seq` is numbered in one place).
// - Each instance writes its HTTP address under its shard's key (with an expiry, refreshed), so a
//   REST call about a bed another instance owns is forwarded there (server/cluster/forward.ts).
// Everything else between instances (who watches which bed, the overview lists, snapshots, ended
// sessions) travels as Socket.IO server-side events over the same adapter (server/stream/socket.ts).
import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import { inShard, shardOf, type Shard } from '../ingest/shard.js';
import { redactUrl } from '../redact-url.js';

/** A shard's address is written with this expiry and refreshed three times within it. */
const ADDRESS_TTL_MS = 15_000;
const ANNOUNCE_EVERY_MS = 5_000;
/** Addresses read are trusted this long before asking Redis again. */
const ADDRESS_CACHE_MS = 2_000;
/** Redis errors are logged at most this often (they repeat while it is away). */
const ERROR_LOG_EVERY_MS = 10_000;
/** At start, Redis must answer within this long or the server refuses to start. */
const CONNECT_TIMEOUT_MS = 5_000;

function redisClient(url: string) {
  return createClient({
    url,
    // While Redis is away the stream hands it nothing (server/stream/socket.ts, peersReachable), so
    // the client's queue holds only what was sent as the link dropped, delivered when it is back.
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // After the start: 0.1, 0.2, 0.4 ... s, at most 5 s apart, for ever.
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000),
    },
  });
}
type RedisClient = ReturnType<typeof redisClient>;

export interface ClusterOptions {
  url: string;
  siteId: string;
  shard: Shard;
  log: Logger;
  now: () => number;
}

export class Cluster {
  readonly shard: Shard;
  private readonly key: string;
  private readonly addresses = new Map<number, { url: string | null; readAtMs: number }>();
  private announcer: ReturnType<typeof setInterval> | null = null;
  private lastErrorLogMs = -Infinity;

  private constructor(
    private readonly pub: RedisClient,
    private readonly sub: RedisClient,
    private readonly opts: ClusterOptions,
  ) {
    this.shard = opts.shard;
    this.key = `ecmo:${opts.siteId}`;
  }

  /** Connects both Redis clients; throws (the server refuses to start) if Redis does not answer. */
  static async connect(opts: ClusterOptions): Promise<Cluster> {
    const pub = redisClient(opts.url);
    const sub = redisClient(opts.url);
    const c = new Cluster(pub, sub, opts);
    for (const client of [pub, sub]) client.on('error', (err: Error) => c.onError(err));
    const connect = Promise.all([pub.connect(), sub.connect()]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        connect,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      await c.close();
      throw new Error(`Redis at ${redactUrl(opts.url, 'REDIS_URL')} cannot be reached: ${(err as Error).message}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
    return c;
  }

  /** Whether both links to Redis are up (health: other instances' beds are live here only then). */
  get connected(): boolean {
    return this.pub.isReady && this.sub.isReady;
  }

  /** Socket.IO's Redis adapter on these clients, with this site's channel prefix. */
  adapter(): ReturnType<typeof createAdapter> {
    return createAdapter(this.pub, this.sub, {
      key: `${this.key}:io`,
      requestsTimeout: 3000,
      // Answers to one instance's requests go to that instance alone, not to all.
      publishOnSpecificResponseChannel: true,
    });
  }

  owns(bedId: string): boolean {
    return inShard(bedId, this.shard);
  }

  /** Writes this instance's HTTP address under its shard, now and every 5 s (it expires in 15 s). */
  announce(url: string): void {
    const write = () => {
      if (!this.pub.isReady) return;
      this.pub.set(this.addressKey(this.shard.index), url, { PX: ADDRESS_TTL_MS }).catch((err: unknown) => this.onError(err as Error));
    };
    write();
    this.announcer = setInterval(write, ANNOUNCE_EVERY_MS);
    this.announcer.unref();
  }

  /** The HTTP address of the instance that owns a bed, or null when none is announced (or Redis is away). */
  async ownerUrl(bedId: string, nowMs: number): Promise<string | null> {
    const index = shardOf(bedId, this.shard.count);
    const cached = this.addresses.get(index);
    if (cached && nowMs - cached.readAtMs < ADDRESS_CACHE_MS) return cached.url;
    let url: string | null = null;
    try {
      url = this.pub.isReady ? await this.pub.get(this.addressKey(index)) : null;
    } catch (err) {
      this.onError(err as Error);
    }
    this.addresses.set(index, { url, readAtMs: nowMs });
    return url;
  }

  async close(): Promise<void> {
    if (this.announcer) clearInterval(this.announcer);
    // Gone at once rather than after its expiry: forwarding stops trying this address.
    if (this.pub.isReady) await this.pub.del(this.addressKey(this.shard.index)).catch(() => undefined);
    for (const client of [this.sub, this.pub]) {
      if (client.isOpen) await client.close().catch(() => undefined);
      else client.destroy();
    }
  }

  private addressKey(index: number): string {
    return `${this.key}:shard:${index}of${this.shard.count}`;
  }

  private onError(err: Error): void {
    const now = this.opts.now();
    if (now - this.lastErrorLogMs < ERROR_LOG_EVERY_MS) return;
    this.lastErrorLogMs = now;
    this.opts.log.error({ err: err.message }, 'Redis link failing: beds of other instances are not live here until it is back');
  }
}
