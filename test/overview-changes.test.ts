// The overview list as changes: a dashboard that asks for them (`auth.overview: "changes"`) gets the
// whole list once, then only the beds that changed and the ids of beds gone; a client that does not
// ask still gets the whole list on every change (the contract's `beds`).
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BedSummary, OverviewChanges } from '../shared/protocol.js';
import { nextEvent, startTestServer, type TestServer } from './helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  for (const bed of ['oc1', 'oc2', 'oc3']) {
    await t.api(`/api/beds/${bed}/patient`, {
      method: 'PUT',
      body: JSON.stringify({ weightKg: 10, heightCm: 80, ageMonths: 20, ecmoMode: 'VA' }),
    });
  }
});
afterAll(async () => t?.stop());

describe('the overview as changes', () => {
  it('sends the whole list once, then only what changed, and beds gone by id', async () => {
    const changes = io(t.url, {
      auth: { token: t.token, overview: 'changes' },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    const whole = t.socket();
    try {
      const first = await nextEvent<BedSummary[]>(changes, 'beds');
      expect(first.map((b) => b.bedId).sort()).toEqual(['oc1', 'oc2', 'oc3']);
      const dev = await t.device();
      const addedP = nextEvent<OverviewChanges>(changes, 'beds:changes', (c) => c.upsert.some((b) => b.bedId === 'oc4'));
      const listP = nextEvent<BedSummary[]>(whole, 'beds', (l) => l.some((b) => b.bedId === 'oc4'));
      await dev.publishAsync('icu/oc4/monitor/numerics', JSON.stringify({ ts: Date.now(), values: { hr: 120 } }));
      const added = await addedP;
      expect(added.upsert.map((b) => b.bedId)).not.toContain('oc2'); // unchanged beds are not sent again
      expect(added.remove).toEqual([]);
      // The plain client gets the whole list, oc4 included.
      const list = await listP;
      expect(list.length).toBe(4);
      const goneP = nextEvent<OverviewChanges>(changes, 'beds:changes', (c) => c.remove.includes('oc3'));
      const r = await t.api('/api/beds/oc3/discharge', { method: 'POST' });
      expect(r.status).toBe(200);
      const gone = await goneP;
      expect(gone.upsert.map((b) => b.bedId)).not.toContain('oc3');
    } finally {
      changes.disconnect();
    }
  });
});
