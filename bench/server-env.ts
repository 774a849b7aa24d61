// The environment the benchmarks start the server with: loopback, free ports, its own recording, no
// simulated beds, room for every bench bed (the default cap is 256) and no rate limit on the one
// client that floods: they measure the pipeline, not the broker's protection.
export function benchServerEnv(o: { dataDir: string; beds: number; adminPassword: string; devicePassword: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    MQTT_PORT: '0',
    DATA_DIR: o.dataDir,
    SIM_BEDS: '0',
    MAX_BEDS: String(o.beds + 16),
    MQTT_RATE_PER_CLIENT: 'off',
    MQTT_RATE_PER_BED: 'off',
    ADMIN_PASSWORD: o.adminPassword,
    DEVICE_PASSWORD: o.devicePassword,
    LOG_LEVEL: 'warn',
  };
}
