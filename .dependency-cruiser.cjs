// Import boundaries that follow the data flow (docs/architecture.md). `npm run boundaries` checks
// them; `npm run docs` draws the result into docs/dependencies.md. Type-only imports count too.
const STAGES = ['ingest', 'state', 'calc', 'alarms', 'timeline', 'record', 'stream', 'http'];

/** server/<stage> may not import any stage after it: data flows one way. */
const laterStageRules = STAGES.slice(0, -1).map((stage, i) => ({
  name: `no-later-stage-from-${stage}`,
  comment: `data flows ${STAGES.join(' → ')}: ${stage} must not reach a later stage`,
  severity: 'error',
  from: { path: `^server/${stage}/` },
  to: { path: `^server/(${STAGES.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'shared-is-self-contained',
      comment: 'shared/ is the contract in code for server, client and simulators alike: it imports nothing of ours',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(server|client|simulators|test|bench|scripts|tools)/' },
    },
    {
      name: 'client-only-shared',
      comment: 'the dashboard runs in a browser and talks to the server over HTTP and Socket.IO only',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^(server|simulators|test|bench|scripts|tools)/' },
    },
    {
      name: 'simulators-over-mqtt-only',
      comment: 'simulators are devices: they reach the server over MQTT, never through its code',
      severity: 'error',
      from: { path: '^simulators/' },
      to: { path: '^(server|client|test|bench|tools)/' },
    },
    {
      name: 'server-starts-simulators-through-their-interface',
      comment: 'the demo starts simulators through simulators/index.ts, from server/simulated-beds.ts only',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/simulated-beds\\.ts$' },
      to: { path: '^simulators/' },
    },
    {
      name: 'simulators-interface-only',
      comment: 'the server sees the simulators as one small interface, not their internals',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^simulators/', pathNot: '^simulators/index\\.ts$' },
    },
    {
      name: 'core-knows-no-transport',
      comment: 'calc, alarms, timeline and state are pure logic: no Socket.IO, HTTP, MQTT or database in them',
      severity: 'error',
      from: { path: '^server/(calc|alarms|timeline|state)/' },
      to: {
        path: '(^server/(stream|http|broker|record)/|^server/ingest/mqtt-source|node_modules/(socket\\.io|mqtt|aedes|better-sqlite3|pino)/|^(http|https|net)$)',
      },
    },
    {
      name: 'production-code-not-from-tests',
      comment: 'test helpers and tools serve tests; product code never depends on them',
      severity: 'error',
      from: { path: '^(server|client|shared|simulators)/', pathNot: '\\.test\\.ts$' },
      to: { path: '(^(test|bench|tools)/|\\.test\\.ts$|testSupport\\.ts$)' },
    },
    ...laterStageRules,
    {
      name: 'no-circular',
      comment: 'a cycle hides which side owns the data',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^node_modules|^dist|^\\.stryker-tmp|^reports)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.tools.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    builtInModules: { add: [] },
  },
};
