// ESLint: typed rules for TypeScript (typescript-eslint's project service reads each folder's
// tsconfig), the Svelte plugin for components, and Prettier owns formatting (no style rules here).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'reports/', 'test-results/', '.stryker-tmp/', 'client/public/'] },
  js.configs.recommended,
  ...ts.configs.recommendedTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Errors are values at the edge; a floating promise is an unhandled error waiting to happen.
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Take `now` from the injected clock (pure core, thin shell).' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { globals: globals.browser, parserOptions: { parser: ts.parser } },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...ts.configs.disableTypeChecked,
    languageOptions: { ...ts.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    // better-sqlite3 is synchronous: the SQLite recorder keeps the asynchronous interface that a
    // networked recorder needs (server/record/recorder.ts) without having anything to await.
    files: ['server/record/sqlite.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // The shell owns the wall clock: process entry points, the simulators' pacing, tools and tests.
    files: [
      'server/main.ts',
      'server/app.ts',
      'server/replay/**',
      'simulators/run.ts',
      'simulators/cli.ts',
      'bench/**',
      'scripts/**',
      'tools/**',
      'test/**',
      '**/*.test.ts',
      'client/**',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
);
