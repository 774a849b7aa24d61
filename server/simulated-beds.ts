// SIM_BEDS: the demo's simulated beds, run in-process against the server's own broker with the
// device password, exactly as external devices connect. Each simulated patient is configured on
// its bed unless a clinician already configured that bed.
import { startSimulators } from '../simulators/index.js';
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
  return { stop: () => sims.stop() };
}
