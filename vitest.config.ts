import { defineConfig } from 'vitest/config';

// Unit tests sit beside their code (*.test.ts); integration and browser tests live in test/.
export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'server/**/*.test.ts',
      'simulators/**/*.test.ts',
      'client/**/*.test.ts',
      'test/**/*.test.ts',
      'tools/**/*.test.ts',
    ],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
