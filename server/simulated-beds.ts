// SIM_BEDS: the demo's simulated beds, run in-process against the server's own broker with the
// device password, exactly as external devices connect. Each simulated patient is configured on
// its bed unless a clinician already configured that bed.
import { startSimulators } from '../simulators/index.js';
import type { HealthAnswer } from '../shared/protocol.js';
import type { RunningServer } from './app.js';
import type { Config } from './config.js';

export async function startInProcessSimulators(config: Config, server: RunningServer): Promise<{ stop(): Promise<void> }> {
  const url = server.mqttUrl ?? config.MQTT_URL!;
  const sims = await startSimulators({
    url,
    username: 'simulator',
    password: server.mqttUrl ? server.devicePassword : config.DEVICE_PASSWORD,
    prefix: config.MQTT_PREFIX,
    beds: config.SIM_BEDS,
    scenario: config.SIM_SCENARIO,
    seed: config.SIM_SEED,
    speed: 1,
    historyS: config.SIM_HISTORY_HOURS * 3600,
    onWarn: (msg: string) => server.log.warn({ simulator: true }, msg),
  });
  for (const bed of sims.beds) await server.configurePatient(bed.bedId, bed.patient, { onlyIfUnset: true });
  if (config.SIM_HISTORY_HOURS > 0) await historyTakenIn(server, sims.stats().messages);
  return { stop: () => sims.stop() };
}

/**
 * The history is published as fast as the broker takes it; the server works through it a little
 * later. Wait (up to a minute) until it has taken in as many messages as were sent, so a dashboard
 * opened once the server says it listens finds the patients' last hours, sparklines included.
 */
async function historyTakenIn(server: RunningServer, sent: number): Promise<void> {
  const POLL_MS = 200;
  for (let i = 0; i < 60_000 / POLL_MS; i++) {
    try {
      const h = (await (await fetch(`${server.httpUrl}/api/health`)).json()) as HealthAnswer;
      if (h.ingest.accepted + h.ingest.rejected.total >= sent) return;
    } catch {
      return; // health not readable here (e.g. TLS with its own certificate): do not hold the start
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  server.log.warn({ sent }, 'simulated history: not all taken in within a minute; trends fill as it arrives');
}
