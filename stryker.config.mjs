// Mutation testing of the pure cores (npm run mutation; docs/decisions/0005-mutation-testing.md).
// The unit tests only, through vitest.mutation.config.ts; the per-folder scores are checked by
// scripts/mutation-summary.mjs from the JSON report.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: [
    'shared/calc/**/*.ts',
    'shared/ingest/**/*.ts',
    'server/calc/**/*.ts',
    'server/ingest/**/*.ts',
    'server/state/**/*.ts',
    'server/alarms/**/*.ts',
    '!**/*.test.ts',
    // Test helpers beside the tests (fixtures, not product code).
    '!**/test-inputs.ts',
    '!**/testSupport.ts',
    // The MQTT client shell: only a broker exercises it (test/integration.*), see the decision record.
    '!server/ingest/mqtt-source.ts',
  ],
  // Not needed by the unit tests; kept out of the sandbox copies.
  ignorePatterns: ['/dist', '/data', '/docs', '/test', '/bench', '/test-results', '*.png'],
  // The machine has 2 cores shared with other work.
  concurrency: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false },
  tempDirName: '.stryker-tmp',
};
