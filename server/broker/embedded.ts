// The embedded MQTT broker (aedes) for the one-machine default. Policy is three hooks: devices
// authenticate with their own credentials (DEVICE_CREDENTIALS: they may publish only under their
// beds and devices) or with the shared DEVICE_PASSWORD (any username; anywhere under the prefix);
// only the server's own client, with a per-process credential, may subscribe. Passwords are
// compared in constant time.
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { randomPassword } from '../auth/passwords.js';
import { allowedBy, type DeviceAcl, type DeviceCredentials } from './device-credentials.js';

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
  close(): Promise<void>;
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
}): Promise<EmbeddedBroker> {
  const serverPassword = randomPassword();
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
      if (!client) return done(null); // the broker's own publications ($SYS)
      const role = roles.get(client);
      if (role === 'server') return done(null);
      if (role === 'device' && packet.topic.startsWith(`${opts.prefix}/`)) {
        const acl = acls.get(client);
        if (!acl || allowedBy(acl, opts.prefix, packet.topic)) return done(null);
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

  // MQTTS when a certificate is given (devices then connect with mqtts://), plain MQTT otherwise.
  const server: Server = opts.tls ? createTlsServer(opts.tls, broker.handle) : createServer(broker.handle);
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

  return {
    port,
    url: `${opts.tls ? 'mqtts' : 'mqtt'}://${hostForUrl === '0.0.0.0' ? '127.0.0.1' : hostForUrl}:${port}`,
    serverCredentials: { username: SERVER_CLIENT_USERNAME, password: serverPassword },
    connectedClients: () => broker.connectedClients,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
