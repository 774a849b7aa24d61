// Wires the server together: recording, auth, broker, ingest pipeline, REST, Socket.IO and the
// in-process simulators. `startServer` is what `npm start` runs and what integration tests start.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { randomPassword } from './auth/passwords.js';
import { Sessions } from './auth/sessions.js';
import { newSecret, TokenSigner } from './auth/tokens.js';
import { Users } from './auth/users.js';
import { DeviceCredentials } from './broker/device-credentials.js';
import { safeLogger } from './safe-log.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded.js';
import { DEFAULT_RATE_PER_BED, DEFAULT_RATE_PER_CLIENT, effectiveRate } from './broker/limits.js';
import { WardAlarms } from './alarms/ward.js';
import { CalcEngine } from './calc/engine.js';
import { Timeline } from './timeline/timeline.js';
import type { Config } from './config.js';
import { apiRouter } from './http/api.js';
import { sendError } from './http/router.js';
import { staticFiles } from './http/static.js';
import { Ingest } from './ingest/ingest.js';
import { MqttSource } from './ingest/mqtt-source.js';
import { ServerMetrics } from './metrics.js';
import { Pipeline } from './pipeline.js';
import type { Patient } from '../shared/schemas.js';
import { SqliteRecorder } from './record/sqlite.js';
import { PostgresRecorder } from './record/postgres.js';
import { describePolicy, Pruner, retentionPolicy, type PruneCounts } from './record/retention.js';
import { DiskMonitor } from './disk-monitor.js';
import { Beds } from './state/beds.js';
import type { Cluster } from './cluster/cluster.js';
import { bedPlacement } from './cluster/forward.js';
import { Stream } from './stream/socket.js';
import { Views } from './views.js';
import { EventLoopLag } from './event-loop-lag.js';
import { OutageLog } from './outage-log.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const TICK_MS = 1000;
/** Room for a billion updates of one bed per run before the next run's numbers. */
const SEQ_PER_RUN = 1e9;

export interface RunningServer {
  httpUrl: string;
  httpPort: number;
  /** Embedded broker URL and port (null with an external broker). */
  mqttUrl: string | null;
  mqttPort: number | null;
  /** Password devices use on the embedded broker. */
  devicePassword: string;
  /** Generated admin password (first start without ADMIN_PASSWORD), else null. */
  generatedAdminPassword: string | null;
  log: Logger;
  /** Sets a bed's patient as PUT /api/beds/{bed}/patient does; `onlyIfUnset` keeps a clinician's edit. */
  configurePatient(bedId: string, patient: Patient, opts?: { onlyIfUnset?: boolean }): Promise<void>;
  /** Runs the periodic work once (device silence, ageing inputs); the server does this every second unless `manualTick`. */
  tick(): void;
  /** Runs a retention pass now and answers the rows it removed per kind (the server runs one a minute after start, then every 10 minutes). */
  prune(): Promise<PruneCounts>;
  /** Measures the disk now (the server does this every minute). */
  measureDisk(): Promise<void>;
  /** Stops; says how many rows could not be written (a shutdown that loses data must say so). */
  stop(): Promise<{ unwrittenRows: number }>;
}

export interface StartOptions {
  now?: () => number;
  log?: Logger;
  clientDir?: string;
  /**
   * No wall-clock tick: the caller drives periodic work with `tick()` (tools that run the server on a
   * virtual clock, such as the alarm-yield run, together with `now`).
   */
  manualTick?: boolean;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? safeLogger(config.LOG_LEVEL);
  const startedAtMs = now();
  const cleanups: (() => Promise<void> | void)[] = [];
  let stopped = false;
  let unwritten = (): number => 0;
  const stop = async (): Promise<{ unwrittenRows: number }> => {
    if (stopped) return { unwrittenRows: unwritten() };
    stopped = true;
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        log.warn({ err }, 'error while stopping');
      }
    }
    const unwrittenRows = unwritten();
    if (unwrittenRows > 0) log.error({ unwrittenRows }, 'stopped with rows the recording could not write');
    return { unwrittenRows };
  };

  try {
    const onFlushError = (err: unknown) => log.error({ err }, 'recording flush failed; will retry');
    // DATABASE_URL: PostgreSQL (refuses to start when it cannot be reached); else SQLite in DATA_DIR.
    const recorder = config.DATABASE_URL
      ? await PostgresRecorder.open(config.DATABASE_URL, { onError: onFlushError })
      : new SqliteRecorder(resolve(config.DATA_DIR), onFlushError);
    if (config.DATABASE_URL) mkdirSync(resolve(config.DATA_DIR), { recursive: true }); // the disk monitor still measures it
    cleanups.push(() => recorder.close());
    unwritten = () => recorder.writeHealth().pendingRows + recorder.writeHealth().droppedRows;
    // Retention and disk use (docs/deployment.md): old rows pruned in small batches, the disk measured.
    const policy = retentionPolicy(config);
    const pruner = new Pruner({
      recorder,
      policy,
      now,
      onPass: (rows, ms) => {
        if (Object.values(rows).some((n) => n > 0)) log.info({ rows, ms: Math.round(ms) }, 'retention pass');
      },
      onError: (err) => log.error({ err }, 'retention pass failed; will retry'),
    });
    cleanups.push(() => pruner.stop());
    log.info(`retention: ${describePolicy(policy)}`);
    const disk = new DiskMonitor({
      dir: resolve(config.DATA_DIR),
      files: recorder.files,
      now,
      thresholds: { degradedDays: config.DISK_DEGRADED_DAYS, degradedFreePct: config.DISK_DEGRADED_FREE_PCT },
      onError: (err) => log.warn({ err }, 'measuring the disk failed'),
    });
    await disk.measure();
    cleanups.push(() => disk.stop());

    // Claimed, not set: instances starting at once on one recording end up with the same secret.
    const secret = (await recorder.getMeta('token_secret')) ?? (await recorder.claimMeta('token_secret', newSecret()));
    const signer = new TokenSigner(secret, config.TOKEN_TTL_H * 3600_000);
    const users = new Users(recorder);
    const generatedAdminPassword = await users.bootstrapAdmin(config.ADMIN_PASSWORD, now());
    const sessions = new Sessions(signer, recorder);
    await sessions.load(now());
    const devicePassword = config.DEVICE_PASSWORD ?? randomPassword();

    const calc = new CalcEngine();
    const beds = new Beds((bed) => {
      recorder.ensureBed(bed.bedId, now()).catch((err: unknown) => log.error({ err, bedId: bed.bedId }, 'recording a new bed failed'));
    });
    // MAX_BEDS: invented bed IDs cannot grow memory, the overview or the recording without bound.
    const admitBed = (bedId: string) => beds.get(bedId) !== undefined || beds.size < config.MAX_BEDS;
    const ingest = new Ingest({ prefix: config.MQTT_PREFIX, shard: config.shard, admitBed });
    const alarms = new WardAlarms(calc);
    const timeline = new Timeline(calc);
    const views = new Views(calc, alarms);

    const lag = new EventLoopLag();
    cleanups.push(() => lag.stop());
    const tls = config.TLS_CERT && config.TLS_KEY ? { cert: readFileSync(config.TLS_CERT), key: readFileSync(config.TLS_KEY) } : null;
    // HTTPS (and so WSS for Socket.IO) when a certificate is given.
    const http: HttpServer = tls ? createHttpsServer(tls) : createServer();
    // Update numbers rise across restarts: each run starts at its run number × 10⁹.
    const run = Number((await recorder.getMeta('runs')) ?? 0) + 1;
    await recorder.setMeta('runs', String(run));
    const metrics = new ServerMetrics();
    // Instances that split the beds join through Redis; it must answer now or the start fails.
    let cluster: Cluster | null = null;
    if (config.REDIS_URL) {
      const shard = config.shard ?? { index: 0, count: 1 };
      if (shard.count > 1 && !config.MQTT_URL)
        log.warn(
          'SHARD with the embedded broker: devices must publish to the instance of their bed, or their messages are ignored (set MQTT_URL to one broker)',
        );
      if (shard.count > 1 && !config.DATABASE_URL)
        log.warn(
          "REDIS_URL without DATABASE_URL: each instance has its own users and token secret, so REST about another instance's bed (forwarded there) needs a login there",
        );
      // Loaded only here: an instance without Redis never loads its client.
      const { Cluster } = await import('./cluster/cluster.js');
      cluster = await Cluster.connect({ url: config.REDIS_URL, siteId: config.SITE_ID, shard, log, now });
      const joined = cluster;
      cleanups.push(() => joined.close());
    }
    const stream = new Stream(http, {
      cluster,
      sessions,
      beds,
      views,
      now,
      seqBase: run * SEQ_PER_RUN,
      arrival: ingest.lastArrival,
      onEmit: metrics.emits,
    });
    const pipeline = new Pipeline({ ingest, beds, calc, alarms, timeline, recorder, stream, log, now });
    // Its timer for derived values held back in a burst (decision 12) stops with the server.
    cleanups.push(() => pipeline.stop());
    await pipeline.restore(config.shard);

    let broker: EmbeddedBroker | null = null;
    if (!config.MQTT_URL) {
      broker = await startEmbeddedBroker({
        host: config.HOST,
        port: config.MQTT_PORT,
        prefix: config.MQTT_PREFIX,
        devicePassword,
        deviceCredentials: config.DEVICE_CREDENTIALS ? DeviceCredentials.fromFile(config.DEVICE_CREDENTIALS) : null,
        tls,
        onWarn: (msg) => log.warn(msg),
        ...brokerRates(config),
        maxBeds: config.MAX_BEDS,
        log,
      });
      cleanups.push(() => broker!.close());
    }
    const mqttUrl = config.MQTT_URL ?? broker!.url;
    const outageLog = new OutageLog(log, mqttUrl);
    const shardTag = config.shard ? `-${config.shard.index}of${config.shard.count}` : '';
    let source: Pick<MqttSource, 'connected' | 'ready' | 'close' | 'contested'>;
    if (broker) {
      // The embedded broker lives in this process: the server subscribes inside it, with no MQTT
      // client of its own. Its link cannot fail while the process runs.
      await broker.subscribe(`${config.MQTT_PREFIX}/#`, (topic, payload) => pipeline.process(topic, payload));
      pipeline.brokerChanged(true);
      source = { connected: true, ready: () => Promise.resolve(true), close: () => Promise.resolve(), contested: () => false };
    } else {
      const mqtt = new MqttSource({
        url: mqttUrl,
        prefix: config.MQTT_PREFIX,
        // Stable across restarts (its persistent session and what the broker queued for it must be found
        // again), distinct between instances: by default the host and the recording's directory.
        clientId: `ecmo-server-${config.SITE_ID}-${config.INSTANCE_ID ?? `${hostname()}-${dirTag(config.DATA_DIR)}`}${shardTag}`.slice(
          0,
          64,
        ),
        username: config.MQTT_USERNAME,
        password: config.MQTT_PASSWORD,
        onMessage: (topic, payload) => pipeline.process(topic, payload),
        // A device's QoS 1 message is acknowledged once its values are written (docs/deployment.md).
        whenKept: (kept) => recorder.whenWritten(kept),
        now,
        onContested: (clientId) =>
          log.error(
            { clientId },
            "the broker keeps taking this instance's session: another client connects with the same client id (set a unique INSTANCE_ID); each sees only part of the data",
          ),
        onState: (connected, err) => {
          outageLog.changed(connected, now(), err?.message);
          pipeline.brokerChanged(connected);
        },
      });
      cleanups.push(() => mqtt.close());
      source = mqtt;
    }

    metrics.watch({
      ingest,
      beds,
      recorder,
      stream,
      mqtt: source, // with an external broker the MqttSource, whose acksAfterCommit is counted
      uptimeS: () => (now() - startedAtMs) / 1000,
      eventLoopLagP99Ms: () => lag.p99Ms(),
      retention: pruner,
      disk: () => disk.status().figures,
      broker,
    });
    const api = apiRouter({
      sessions,
      users,
      beds,
      views,
      pipeline,
      alarms,
      recorder,
      ingest,
      brokerConnected: () => source.connected,
      brokerSessionContested: () => source.contested(now()),
      admitBed,
      eventLoopLagP99Ms: () => lag.p99Ms(),
      disk: () => disk.status(),
      metrics: () => metrics.text(),
      now,
      startedAtMs,
      siteId: config.SITE_ID,
      overview: (nowMs) => stream.overviewList(nowMs),
      trustProxy: config.TRUST_PROXY,
      placement: cluster ? bedPlacement(cluster, now) : null,
      cluster: cluster
        ? () => ({ shard: `${cluster.shard.index}/${cluster.shard.count}`, redis: cluster.connected ? 'connected' : 'disconnected' })
        : undefined,
    });
    const serveStatic = staticFiles(opts.clientDir ?? join(ROOT, 'dist', 'client'));
    http.on('request', (req, res) => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        return sendError(res, 400, 'bad_request', 'bad URL');
      }
      const done = (err: unknown) => {
        log.error({ err, url: url.pathname }, 'request failed');
        if (!res.headersSent) sendError(res, 500, 'internal', 'internal error');
        else res.destroy();
      };
      if (url.pathname.startsWith('/api/') || url.pathname === '/metrics') {
        api
          .handle(req, res, url)
          .then((handled) => {
            if (!handled) sendError(res, 404, 'not_found', `no route ${url.pathname}`);
          })
          .catch(done);
      } else if (!url.pathname.startsWith('/socket.io/')) {
        try {
          serveStatic(req, res, url);
        } catch (err) {
          done(err);
        }
      }
    });
    await new Promise<void>((resolveListen, reject) => {
      http.once('error', reject);
      http.listen(config.PORT, config.HOST, () => {
        http.off('error', reject);
        resolveListen();
      });
    });
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          http.close(() => r());
          http.closeAllConnections(); // keep-alive browsers would hold the close open
        }),
    );
    // Runs before the HTTP close: dashboards' websockets are closed first.
    cleanups.push(() => stream.close());
    http.on('error', (err) => log.error({ err }, 'http server error'));

    if (!opts.manualTick) {
      // Each bed once a second, the beds spread over ten slots: a tenth every 100 ms, so a ward's
      // periodic work never stalls every message behind it at once.
      const TICK_PARTS = 10;
      let part = 0;
      const ticker = setInterval(() => {
        pipeline.tick(part, TICK_PARTS);
        part = (part + 1) % TICK_PARTS;
      }, TICK_MS / TICK_PARTS);
      cleanups.push(() => clearInterval(ticker));
    }
    pruner.start();
    disk.start();
    if (cluster) {
      // Another instance not heard: a ward-wide alarm here, naming its beds.
      const peers = setInterval(() => pipeline.peersChanged(stream.lostPeers(now())), 1000);
      cleanups.push(() => clearInterval(peers));
    }

    if (!(await source.ready(broker ? 10_000 : 5_000))) {
      log.warn({ mqttUrl }, 'broker not reachable yet; retrying in the background');
    }
    const addr = http.address();
    const httpPort = typeof addr === 'object' && addr ? addr.port : config.PORT;
    const hostForUrl = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    // Other instances forward REST about this instance's beds here from now on.
    cluster?.announce(config.ADVERTISE_URL ?? `${tls ? 'https' : 'http'}://${wildcard(config.HOST) ? hostname() : hostForUrl}:${httpPort}`);
    return {
      httpUrl: `${tls ? 'https' : 'http'}://${hostForUrl}:${httpPort}`,
      httpPort,
      mqttUrl: broker ? broker.url : null,
      mqttPort: broker ? broker.port : null,
      devicePassword,
      generatedAdminPassword,
      log,
      async configurePatient(bedId, patient, o = {}) {
        if (o.onlyIfUnset && beds.get(bedId)?.patient) return;
        await pipeline.setPatient(bedId, patient, 'simulator');
      },
      tick: () => pipeline.tick(),
      prune: () => pruner.pass(),
      measureDisk: () => disk.measure(),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function wildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** A short, stable tag of a data directory (its absolute path), for the default MQTT client id. */
function dirTag(dataDir: string): string {
  return createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 8);
}

/** The embedded broker's rate limits: MQTT_RATE_PER_CLIENT and MQTT_RATE_PER_BED, or their defaults. */
function brokerRates(config: Config) {
  const where = { host: config.HOST, simBeds: config.SIM_BEDS };
  return {
    ratePerClient: effectiveRate(config.MQTT_RATE_PER_CLIENT, DEFAULT_RATE_PER_CLIENT, where),
    ratePerBed: effectiveRate(config.MQTT_RATE_PER_BED, DEFAULT_RATE_PER_BED, where),
  };
}
