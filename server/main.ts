// `npm start`: configuration from the environment, the server, and the in-process simulators.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from './app.js';
import { ignoreOutputErrors } from './safe-log.js';
import { ConfigError, loadConfig } from './config.js';

// A central station's worth: sixteen beds fill one 1920x1080 screen.
const DEMO_BEDS = 16;
/** The demo's patients arrive with a day of history, so trends open filled; only on a new recording. */
const DEMO_HISTORY_HOURS = 24;

async function main(): Promise<void> {
  ignoreOutputErrors();
  let config;
  try {
    // The demo: sixteen simulated beds unless SIM_BEDS says otherwise (SIM_BEDS=0: none).
    const fresh = !existsSync(join(process.env.DATA_DIR ?? './data', 'recording.sqlite'));
    config = loadConfig({
      ...process.env,
      SIM_BEDS: process.env.SIM_BEDS ?? String(DEMO_BEDS),
      // A restart keeps what was recorded: a second history would overlap the first.
      SIM_HISTORY_HOURS: process.env.SIM_HISTORY_HOURS ?? String(fresh ? DEMO_HISTORY_HOURS : 0),
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const server = await startServer(config);
  const log = server.log;
  process.on('uncaughtException', (err) => log.error({ err }, 'uncaught exception (kept running)'));
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection (kept running)'));

  if (server.generatedAdminPassword) {
    console.log(
      `first start: user "admin" has the generated password ${server.generatedAdminPassword} (shown once; set ADMIN_PASSWORD to choose one)`,
    );
  }
  if (!config.DEVICE_PASSWORD && server.mqttUrl) {
    console.log(`device password for this run: ${server.devicePassword} (set DEVICE_PASSWORD to fix it)`);
  }
  const sims = config.SIM_BEDS > 0 ? await (await import('./simulated-beds.js')).startInProcessSimulators(config, server) : null;
  const mqttScheme = server.mqttUrl?.startsWith('mqtts:') ? 'mqtts' : 'mqtt';
  console.log(`listening ${server.httpUrl}${server.mqttPort !== null ? ` ${mqttScheme}://${config.HOST}:${server.mqttPort}` : ''}`);
  if (sims) console.log(`${config.SIM_BEDS} simulated beds (scenario ${config.SIM_SCENARIO}); open ${server.httpUrl} and log in as admin`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await sims?.stop();
    const { unwrittenRows } = await server.stop();
    // A shutdown that could not keep everything says so in its exit code.
    process.exit(unwrittenRows > 0 ? 1 : 0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  const e = err as NodeJS.ErrnoException & { port?: number };
  const sqlite = typeof e.code === 'string' && e.code.startsWith('SQLITE_');
  const hint =
    e.code === 'EADDRINUSE'
      ? ` (port ${e.port ?? '?'} is taken, perhaps by a Mosquitto service on 1883: set MQTT_PORT and PORT, 0 picks free ones)`
      : sqlite
        ? ` (the recording in DATA_DIR=${process.env.DATA_DIR ?? './data'} cannot be opened for writing: a read-only file system, its permissions or a full disk; nothing would be recorded, so the server does not start)`
        : '';
  console.error(`could not start: ${e instanceof Error ? e.message : String(e)}${hint}`);
  process.exit(1);
});
