import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFERENCE_PATH, renderReference } from '../scripts/gen-docs.js';
import { RefusalCounter } from '../server/broker/refusals.js';
import { IngestCounters } from '../server/ingest/counters.js';
import { ServerMetrics } from '../server/metrics.js';
import { zeroCounts } from '../server/record/retention.js';
import { documentedMetrics } from './helpers/metrics.js';

describe('documentation', () => {
  it('docs/reference.md matches the catalogue, schemas and configuration (run npm run docs after changing them)', () => {
    expect(readFileSync(REFERENCE_PATH, 'utf8')).toBe(renderReference());
  });

  it('docs/interface.md lists every metric the server registers, with its type and labels', () => {
    // Every source present (an embedded broker, and an MQTT client holding acknowledgements), so
    // every metric is registered; what /metrics adds (the process's) is checked in test/metrics.test.ts.
    const m = new ServerMetrics();
    m.watch({
      ingest: { counters: new IngestCounters() },
      beds: { size: 0 },
      recorder: { pending: () => 0, writeHealth: () => ({ failing: false, pendingRows: 0, droppedRows: 0, lastError: null }) },
      stream: { sent: 0, pendingUpdates: 0, io: { engine: { clientsCount: 0 } } },
      mqtt: { connected: true, acksAfterCommit: 0 },
      uptimeS: () => 0,
      eventLoopLagP99Ms: () => 0,
      retention: { pruned: zeroCounts(), passes: 0, lastPassMs: null, longestBatchMs: 0, lastError: null },
      disk: () => null,
      broker: { refusals: new RefusalCounter(), rateBuckets: () => ({ clients: 0, beds: 0 }) },
    });
    // prom-client's metric objects carry their label names (not in its MetricObject type).
    const registered = m.registry
      .getMetricsAsArray()
      .map((x) => [x.name, { type: x.type, labels: [...(x as unknown as { labelNames: string[] }).labelNames].sort() }]);
    const documented = [...documentedMetrics()]
      .filter(([name]) => name.startsWith('ecmo_'))
      .map(([name, d]) => [name, { type: d.type, labels: d.labels }]);
    expect(Object.fromEntries(registered)).toEqual(Object.fromEntries(documented));
  });
});
