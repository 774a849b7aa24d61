import { defineConfig } from 'vitest/config';

// The unit tests only, for mutation testing (npm run mutation, stryker.config.mjs): no globalSetup
// (the default config builds the dashboard for the browser tests) and nothing from test/, which
// needs a broker, Mosquitto or Chromium.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
