// The embedded MQTT broker (aedes) for the one-machine default. Policy is three hooks: devices
// authenticate with their own credentials (DEVICE_CREDENTIALS: they may publish only under their
// beds and devices) or with the shared DEVICE_PASSWORD (any username; anywhere under the prefix);
// only the server's own client, with a per-process credential, may subscribe. Passwords are
// compared in constant time.
//
// Bounded input (limits.ts): a packet over MAX_PACKET_BYTES closes its connection as soon as its
// header announces the size; a topic over MAX_TOPIC_BYTES and a publish over the client's or the
// bed's rate are dropped in authorizePublish. Dropped, not refused with an error: aedes answers an
// error by closing the connection, and the device's MQTT library sends the same QoS 1 message again
// after reconnecting, closed again each time (its last will flapping). A dropped publish is
// acknowledged as usual (PUBACK at QoS 1) and goes nowhere; the device keeps its connection.
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createServer as createTlsServer } from 'node:tls';
import { randomPassword } from '../auth/passwords.js';
import { allowedBy, type DeviceAcl, type DeviceCredentials } from './device-credentials.js';
import { MAX_PACKET_BYTES, MAX_TOPIC_BYTES, PublishLimiter, bedOf, topicTooLong, type RefusalReason } from './limits.js';
import { PacketSizeGuard } from './packet-size.js';
import { RefusalCounter, RefusalLog, type LineSink } from './refusals.js';
import { formatRate, type Rate } from './token-bucket.js';

const SERVER_CLIENT_USERNAME = '__server';
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

type Role = 'device' | 'server';
const roles = new WeakMap<Client, Role>();
/** Devices with credentials of their own, and what they may publish under. */
const acls = new WeakMap<Client, DeviceAcl>();

/** Constant-time equality of two secrets of any length (compared as SHA-256 digests). */
function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

export interface EmbeddedBroker {
  port: number;
  url: string;
  /** Credentials for the server's own MQTT client. */
  serverCredentials: { username: string; password: string };
  connectedClients(): number;
  /** Publishes refused by the broker's own limits, by reason and client. */
  refusals: RefusalCounter;
  /** Rate buckets held (clients connected and publishing; beds recently busy). */
  rateBuckets(): { clients: number; beds: number };
  /**
   * The server's own subscription, inside the broker's process: every device message under the
   * prefix, with no MQTT client, no loopback socket and no second parse of the packet.
   */
  subscribe(topic: string, onMessage: (topic: string, payload: Buffer) => void): Promise<void>;
  close(): Promise<void>;
}

/** Where a dropped publish goes: a topic no client can subscribe to (only the server subscribes, under the prefix). */
const DROPPED_TOPIC = '$ecmo/dropped';
const EMPTY = Buffer.alloc(0);
/** How often idle buckets are dropped and quiet refusal episodes logged as ended. */
const SWEEP_MS = 5_000;

/** Turns an authorised publish into one that is acknowledged as usual and reaches nobody. */
function drop(packet: PublishPacket): void {
  packet.topic = DROPPED_TOPIC;
  packet.retain = false;
  packet.payload = EMPTY;
}

function authError(code: number, message: string): AuthenticateError {
  return Object.assign<Error, Pick<AuthenticateError, 'returnCode'>>(new Error(message), { returnCode: code });
}

export async function startEmbeddedBroker(opts: {
  host: string;
  port: number;
  prefix: string;
  devicePassword: string;
  deviceCredentials?: DeviceCredentials | null;
  tls?: { cert: Buffer; key: Buffer } | null;
  onWarn?: (msg: string) => void;
  /** Publishes a second with a burst, per connected client and per bed; null: no limit. */
  ratePerClient?: Rate | null;
  ratePerBed?: Rate | null;
  /** MAX_BEDS: at most twice as many bed buckets are kept. */
  maxBeds?: number;
  /** Refusals are logged here, with back-off (without: as warnings through onWarn). */
  log?: LineSink;
  /** Monotonic milliseconds for the rate limits (default: performance.now). */
  clock?: () => number;
}): Promise<EmbeddedBroker> {
  const serverPassword = randomPassword();
  const clock = opts.clock ?? (() => performance.now());
  const limiter = new PublishLimiter<Client>({
    perClient: opts.ratePerClient ?? null,
    perBed: opts.ratePerBed ?? null,
    maxBeds: (opts.maxBeds ?? 256) * 2,
  });
  const refusals = new RefusalCounter();
  const refusalLog = new RefusalLog(
    opts.log ?? { info: () => undefined, warn: (fields, msg) => opts.onWarn?.(`${msg} ${JSON.stringify(fields)}`) },
  );
  const refuse = (client: Client, reason: RefusalReason, detail: { topic: string } | { bytes: number }): void => {
    const id = client.id ?? '(before CONNECT)';
    refusals.count(id, reason);
    const subject =
      reason === 'rate_bed' && 'topic' in detail
        ? { kind: 'bed' as const, id: bedOf(detail.topic) || '(no valid bed ID)' }
        : { kind: 'client' as const, id };
    refusalLog.refused(subject, reason, clock(), 'topic' in detail ? { mqttClient: id, topic: detail.topic.slice(0, 200) } : detail);
  };
  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const pw = password?.toString('utf8');
      if (username === SERVER_CLIENT_USERNAME && pw !== undefined && sameSecret(pw, serverPassword)) {
        roles.set(client, 'server');
        return done(null, true);
      }
      const own = opts.deviceCredentials;
      if (own && username !== undefined && own.has(username)) {
        // A device with credentials of its own: only its own password, and its ACL from then on.
        const acl = pw === undefined ? null : own.check(username, pw);
        if (acl) {
          roles.set(client, 'device');
          acls.set(client, acl);
          return done(null, true);
        }
      } else if (pw !== undefined && sameSecret(pw, opts.devicePassword)) {
        roles.set(client, 'device');
        return done(null, true);
      }
      opts.onWarn?.(`MQTT client ${client?.id ?? '?'} refused: bad credentials`);
      done(authError(BAD_USERNAME_OR_PASSWORD, 'bad username or password'), false);
    },
    authorizePublish(client, packet, done) {
      if (!client) return done(null); // the broker's own publications ($SYS, wills of clients long gone)
      const role = roles.get(client);
      if (role === 'server') return done(null);
      if (topicTooLong(packet.topic)) {
        refuse(client, 'topic_too_long', { topic: packet.topic });
        drop(packet);
        return done(null);
      }
      if (role === 'device' && packet.topic.startsWith(`${opts.prefix}/`)) {
        const acl = acls.get(client);
        if (!acl || allowedBy(acl, opts.prefix, packet.topic)) {
          // A last will is published after its client has closed: never limited.
          if (limiter.enabled && !client.closed) {
            const status = packet.topic.endsWith('/status');
            const refused = limiter.check(client, packet.topic, status, clock());
            if (refused) {
              refuse(client, refused, { topic: packet.topic });
              drop(packet);
            }
          }
          return done(null);
        }
      }
      opts.onWarn?.(`MQTT client ${client.id} may not publish to ${packet.topic}`);
      done(authError(NOT_AUTHORIZED, `publish to ${packet.topic} not allowed`));
    },
    authorizeSubscribe(client, sub, done) {
      if (roles.get(client) === 'server') return done(null, sub);
      done(authError(NOT_AUTHORIZED, `subscribe to ${sub.topic} not allowed`));
    },
  });
  broker.on('clientError', () => {
    /* a client's protocol error closes that client; it says nothing about the broker */
  });
  broker.on('clientDisconnect', (client) => limiter.forget(client));
  const sweeper = setInterval(() => {
    limiter.sweep(clock(), (c) => c.closed);
    refusalLog.sweep(clock());
  }, SWEEP_MS);
  sweeper.unref();

  // Every connection's bytes pass the size guard as aedes reads them: with a 'readable' listener
  // (aedes's) in charge of the flow, a 'data' listener sees each chunk that read() returns, and
  // does not change how the stream flows.
  const handle = (socket: Socket): void => {
    // Acknowledgements and subscriptions go out at once, not held back by Nagle's algorithm.
    socket.setNoDelay(true);
    const client = broker.handle(socket);
    const guard = new PacketSizeGuard(MAX_PACKET_BYTES);
    const watch = (chunk: Buffer) => {
      const size = guard.feed(chunk);
      if (size === null) return;
      socket.off('data', watch);
      refuse(client, 'packet_too_large', { bytes: size });
      socket.destroy();
    };
    socket.on('data', watch);
    socket.once('close', () => socket.off('data', watch));
  };
  // MQTTS when a certificate is given (devices then connect with mqtts://), plain MQTT otherwise.
  const server: Server = opts.tls ? createTlsServer(opts.tls, handle) : createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  opts.log?.info(
    {
      ratePerClient: formatRate(opts.ratePerClient ?? null),
      ratePerBed: formatRate(opts.ratePerBed ?? null),
      maxPacketBytes: MAX_PACKET_BYTES,
      maxTopicBytes: MAX_TOPIC_BYTES,
    },
    'embedded broker limits',
  );

  return {
    port,
    url: `${opts.tls ? 'mqtts' : 'mqtt'}://${hostForUrl === '0.0.0.0' ? '127.0.0.1' : hostForUrl}:${port}`,
    serverCredentials: { username: SERVER_CLIENT_USERNAME, password: serverPassword },
    connectedClients: () => broker.connectedClients,
    refusals,
    rateBuckets: () => limiter.sizes(),
    subscribe: (topic, onMessage) =>
      new Promise<void>((resolve) =>
        broker.subscribe(
          topic,
          (packet, done) => {
            const p = packet.payload;
            onMessage(packet.topic, Buffer.isBuffer(p) ? p : Buffer.from(p));
            done();
          },
          resolve,
        ),
      ),
    async close() {
      clearInterval(sweeper);
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
