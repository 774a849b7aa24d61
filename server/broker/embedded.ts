// The embedded MQTT broker (aedes) for the one-machine default. Policy is three hooks: devices
// authenticate with DEVICE_PASSWORD (any username) and may only publish under the prefix; only the
// server's own client, with a per-process credential, may subscribe.
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { createServer, type Server } from 'node:net';
import { randomPassword } from '../auth/passwords.js';

const SERVER_CLIENT_USERNAME = '__server';
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

type Role = 'device' | 'server';
const roles = new WeakMap<Client, Role>();

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
  onWarn?: (msg: string) => void;
}): Promise<EmbeddedBroker> {
  const serverPassword = randomPassword();
  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const pw = password?.toString('utf8');
      if (username === SERVER_CLIENT_USERNAME && pw === serverPassword) {
        roles.set(client, 'server');
        return done(null, true);
      }
      if (pw !== undefined && pw === opts.devicePassword) {
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
      if (role === 'device' && packet.topic.startsWith(`${opts.prefix}/`)) return done(null);
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

  const server: Server = createServer(broker.handle);
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
    url: `mqtt://${hostForUrl === '0.0.0.0' ? '127.0.0.1' : hostForUrl}:${port}`,
    serverCredentials: { username: SERVER_CLIENT_USERNAME, password: serverPassword },
    connectedClients: () => broker.connectedClients,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
