// Configuration: parsed once from the environment with zod, defaults merged here and nowhere else.
// Bad configuration fails at start with a clear message; everything after that degrades instead.
import { z } from 'zod';
import { parseRate } from './broker/token-bucket.js';

const port = z.coerce.number().int().min(0).max(65535);
/** Days a kind of recorded data is kept: 0 keeps it forever; less than a day is refused (see retention.ts for the floor). */
const retentionDays = z.coerce
  .number()
  .min(0)
  .max(36_500)
  .refine((d) => d === 0 || d >= 1, 'retention: 0 (keep forever) or at least 1 day');
/** `RATE/BURST`, `RATE` or `off`: a token bucket's rate, or null for none. */
const rate = (name: string) =>
  z.string().transform((v, ctx) => {
    const r = parseRate(v);
    if (r === undefined) ctx.addIssue({ code: 'custom', message: `${name}: RATE/BURST (such as 50/200), RATE, or off` });
    return r ?? null;
  });

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8080),
  MQTT_URL: z
    .string()
    .regex(/^(mqtts?|wss?):\/\//, 'MQTT_URL must start with mqtt://, mqtts://, ws:// or wss://')
    .optional(),
  MQTT_PORT: port.default(1883),
  MQTT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'MQTT_PREFIX: letters, digits, _ and -')
    .default('icu'),
  /** Credentials the server itself uses on an external broker. */
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SIM_BEDS: z.coerce.number().int().min(0).max(1000).default(0),
  SIM_SCENARIO: z.string().default('mixed'),
  SIM_SEED: z.coerce.number().int().default(1),
  SIM_HISTORY_HOURS: z.coerce.number().min(0).max(47).default(0),
  ADMIN_PASSWORD: z.string().min(8, 'ADMIN_PASSWORD: at least 8 characters').optional(),
  SITE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'SITE_ID: letters, digits, _ . -')
    .default('site-1'),
  /** PostgreSQL recording instead of SQLite in DATA_DIR (server/record/postgres.ts). */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  /** Instances that split the beds (SHARD) join through Redis (server/cluster/cluster.ts). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .optional(),
  /** Reverse proxies in front of the server, comma-separated addresses (server/http/client-address.ts). */
  TRUST_PROXY: z.string().optional(),
  /** Where the other instances reach this one's HTTP (REST about its beds is forwarded there). */
  ADVERTISE_URL: z
    .string()
    .regex(/^https?:\/\/[^/]+$/, 'ADVERTISE_URL: http(s)://HOST:PORT, nothing after it')
    .optional(),
  SHARD: z
    .string()
    .regex(/^\d+\/\d+$/, 'SHARD must look like i/n')
    .optional(),
  DEVICE_PASSWORD: z.string().min(1).optional(),
  /** Per-device credentials with topic ACLs for the embedded broker (a JSON file). */
  DEVICE_CREDENTIALS: z.string().min(1).optional(),
  /** At most this many beds; messages for further new bed IDs are rejected and counted. */
  MAX_BEDS: z.coerce.number().int().min(1).max(100_000).default(256),
  /** Embedded broker: publishes a second per connected client and per bed (RATE/BURST, or off). */
  MQTT_RATE_PER_CLIENT: rate('MQTT_RATE_PER_CLIENT').optional(),
  MQTT_RATE_PER_BED: rate('MQTT_RATE_PER_BED').optional(),
  /** HTTPS and MQTTS: PEM certificate and key (both, or neither). */
  TLS_CERT: z.string().min(1).optional(),
  TLS_KEY: z.string().min(1).optional(),
  /** Names this instance on the broker (its MQTT client id); unique by default. */
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'INSTANCE_ID: letters, digits, _ . - (1 to 40)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Lifetime of a login token. */
  TOKEN_TTL_H: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  /** Retention per kind of recorded data (server/record/retention.ts); the study record is kept forever. */
  RETENTION_WAVEFORM_DAYS: retentionDays.default(7),
  RETENTION_SAMPLES_DAYS: retentionDays.default(90),
  RETENTION_LAB_DAYS: retentionDays.default(0),
  RETENTION_AGGREGATES_DAYS: retentionDays.default(0),
  /** Health degrades this many days before the disk is full at the recording's rate, or under this free share. */
  DISK_DEGRADED_DAYS: z.coerce.number().min(0).max(3650).default(7),
  DISK_DEGRADED_FREE_PCT: z.coerce.number().min(0).max(100).default(5),
});

export type Env = z.infer<typeof envSchema>;

/** What each variable means: the source of the environment table in docs/ (npm run docs). */
export const ENV_DOCS: Record<keyof Env, string> = {
  HOST: 'HTTP (and embedded broker) bind address; loopback by default, a deployment sets 0.0.0.0',
  PORT: 'HTTP port for the dashboard, REST and Socket.IO; 0 picks a free port (printed)',
  MQTT_URL: 'external broker (mqtt://, mqtts://, ws://, wss://); unset starts the embedded broker',
  MQTT_PORT: 'port of the embedded broker; 0 picks a free port (printed)',
  MQTT_PREFIX: 'first topic level',
  MQTT_USERNAME: 'username the server uses on an external broker',
  MQTT_PASSWORD: 'password the server uses on an external broker',
  DATA_DIR: 'where the recording (SQLite) lives; with DATABASE_URL nothing is recorded there',
  SIM_BEDS: 'simulated beds started in-process (npm start: 16 unless set; 0 = none)',
  SIM_SCENARIO: 'scenario of the in-process simulated beds (mixed = a different one per bed)',
  SIM_SEED: 'seed of the in-process simulators',
  SIM_HISTORY_HOURS:
    "hours of each simulated patient's past published first, so trends open filled (npm start: 24 on the first start of a DATA_DIR, else 0)",
  ADMIN_PASSWORD: 'password of the built-in admin user; unset: a random one is printed once at first start',
  SITE_ID: 'study centre of this installation, written into every export',
  DATABASE_URL:
    'PostgreSQL recording, postgres://USER:PASSWORD@HOST:PORT/DATABASE (libpq parameters such as ?sslmode=require accepted): everything is recorded there instead of SQLite in DATA_DIR; the schema is created or migrated at start, and the server refuses to start if the database cannot be reached. Two instances may record the same beds into one database (each message stored once)',
  REDIS_URL:
    "redis://[:PASSWORD@]HOST:PORT (or rediss://): joins instances through the Socket.IO Redis adapter: with SHARD, a browser on any instance sees every bed live and REST calls about another instance's bed are forwarded to it (give them one broker, MQTT_URL, and one recording, DATABASE_URL, so that users and logins are shared); without SHARD (every instance has every bed), logouts and user changes reach every instance at once. The server refuses to start if Redis cannot be reached",
  TRUST_PROXY:
    'addresses of reverse proxies in front of the server (comma-separated): a request from one of them is taken to come from the right-most X-Forwarded-For address that is not such a proxy (for the login throttle per address and the audit); unset: every request comes from where its connection does',
  ADVERTISE_URL:
    "with REDIS_URL: the address other instances reach this one's HTTP on (http(s)://HOST:PORT); unset: the address it listens on (set it when HOST is 0.0.0.0 or behind NAT)",
  SHARD: 'i/n: process only the beds whose bedId hashes to share i of n',
  DEVICE_PASSWORD:
    'password devices use on the embedded broker (any username); unset: a random one, printed at start and handed to in-process simulators',
  DEVICE_CREDENTIALS:
    'JSON file of per-device credentials for the embedded broker: [{username, passwordHash, beds: [...] or "*", devices?: [...]}]; such a device may publish only under its beds and devices (npm run hash-password makes a hash)',
  MAX_BEDS: 'most beds this instance keeps; messages naming further new beds are rejected (reason bed_limit) and counted',
  MQTT_RATE_PER_CLIENT:
    'publishes a second one client may make on the embedded broker, RATE/BURST (a burst of RATE×4 when only RATE is given; off or 0: none); over it, publishes are dropped and counted (ecmo_mqtt_publishes_refused_total, reason rate_client). Unset: 50/200 where devices reach the broker over the network, off with a loopback HOST or SIM_BEDS > 0 (the demo, tests and tools publish faster than real time)',
  MQTT_RATE_PER_BED:
    "publishes a second for one bed (the topic's bed ID), all its clients together, RATE/BURST as above (reason rate_bed). Unset: 100/400 where devices reach the broker over the network, off with a loopback HOST or SIM_BEDS > 0",
  TLS_CERT:
    'PEM certificate file: with TLS_KEY, the dashboard, REST and Socket.IO are served over HTTPS (WSS) and the embedded broker over MQTTS',
  TLS_KEY: 'PEM private key file of TLS_CERT',
  INSTANCE_ID:
    'names this instance on the broker (MQTT client id ecmo-server-SITE_ID-INSTANCE_ID); unset: the host name and a tag of DATA_DIR, the same across restarts (the persistent session is found again) and different for two instances',
  LOG_LEVEL: 'log level of the JSON log on stdout',
  TOKEN_TTL_H: 'hours a login token stays valid',
  RETENTION_WAVEFORM_DAYS:
    'days waveforms (abp, pleth, ...) are kept; 0 = forever. Pruned every 10 minutes in small batches; nothing of the last day is ever removed, whatever the setting',
  RETENTION_SAMPLES_DAYS:
    'days monitor, console and pump messages and the once-a-second derived values are kept; 0 = forever. Longer trends then come from the per-minute aggregates; burden and exports read these samples',
  RETENTION_LAB_DAYS:
    'days lab results are kept; 0 = forever (the default: about a hundred rows per bed and day, and lactate and gases are what a study reads over a whole run)',
  RETENTION_AGGREGATES_DAYS:
    'days the per-minute aggregates (what trends of hours and days read) are kept; 0 = forever; otherwise at least RETENTION_SAMPLES_DAYS. Timeline events, alarms, audit, patients and users are never removed',
  DISK_DEGRADED_DAYS:
    "health is degraded (503) when DATA_DIR's disk is full in fewer days than this at the recording's growth over the last hours; 0 = never",
  DISK_DEGRADED_FREE_PCT: "health is degraded (503) when less than this percentage of DATA_DIR's file system is free; 0 = never",
};

/** Defaults as documented (the schema holds them; this reads them back for the docs). */
export function envDefaults(): Partial<Record<keyof Env, unknown>> {
  const parsed = envSchema.parse({});
  return parsed;
}

export interface Config extends Env {
  shard: { index: number; count: number } | null;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as in a shell `FOO= npm start`.
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') cleaned[k] = v;
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`bad configuration: ${msg}`);
  }
  const c = parsed.data;
  let shard: Config['shard'] = null;
  if (c.SHARD) {
    const [index, count] = c.SHARD.split('/').map(Number);
    if (count < 1 || index >= count) throw new ConfigError(`bad configuration: SHARD ${c.SHARD}: need 0 <= i < n`);
    shard = { index, count };
  }
  if (c.RETENTION_AGGREGATES_DAYS > 0 && (c.RETENTION_SAMPLES_DAYS === 0 || c.RETENTION_AGGREGATES_DAYS < c.RETENTION_SAMPLES_DAYS)) {
    throw new ConfigError(
      'bad configuration: RETENTION_AGGREGATES_DAYS must be 0 (forever) or at least RETENTION_SAMPLES_DAYS: trends longer than a few hours read the aggregates',
    );
  }
  if (!c.TLS_CERT !== !c.TLS_KEY) throw new ConfigError('bad configuration: TLS_CERT and TLS_KEY go together (both, or neither)');
  if (c.ADVERTISE_URL && !c.REDIS_URL) throw new ConfigError('bad configuration: ADVERTISE_URL is only used with REDIS_URL');
  return { ...c, shard };
}
