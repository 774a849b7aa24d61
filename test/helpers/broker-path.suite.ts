// One contract suite for the path device → broker → server → REST and Socket.IO, run against every
// broker we support (embedded aedes, Debian's Mosquitto), as MQTT.js runs one suite per transport.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BedDetail, BedUpdate, HealthAnswer } from '../../shared/protocol.js';
import { nextEvent, startTestServer, until, type TestServer } from './server.js';

export interface BrokerPathSetup {
  /** Environment for the server (e.g. MQTT_URL of an external broker). */
  env(): Promise<Record<string, string>> | Record<string, string>;
  teardown?(): Promise<void>;
}

export function brokerPathSuite(name: string, setup: BrokerPathSetup): void {
  describe(`device to dashboard through ${name}`, () => {
    let t: TestServer;

    beforeAll(async () => {
      t = await startTestServer(await setup.env());
    });
    afterAll(async () => {
      await t?.stop();
      await setup.teardown?.();
    });

    const health = async () => (await t.api<HealthAnswer>('/api/health')).body;
    const bed = async (id: string) => (await t.api<BedDetail>(`/api/beds/${id}`)).body;

    it('shows a monitor value published over MQTT in GET /api/beds/{bed} and in a bed:update', async () => {
      const s = t.socket();
      await nextEvent(s, 'connect');
      const watched = await s.emitWithAck('watch', { beds: ['p1'] });
      expect(watched.beds).toEqual([]); // not known yet: the room is joined, the bed appears later
      const update = nextEvent<BedUpdate>(s, 'bed:update', (u) => u.bedId === 'p1' && u.latest.hr?.value === 118);
      const dev = await t.device();
      const ts = Date.now();
      await dev.publishAsync('icu/p1/monitor/numerics', JSON.stringify({ ts, seq: 1, values: { hr: 118, map: 52, spo2: 96 } }));
      const u = await update;
      expect(u.latest.map).toEqual({ value: 52, ts, source: 'monitor' });
      const detail = await until(async () => ((await bed('p1')).latest?.hr ? bed('p1') : null), 'bed p1 in REST');
      expect(detail.latest.hr).toEqual({ value: 118, ts, source: 'monitor' });
      expect(detail.devices.monitor).toBe('online');
    });

    it('counts every kind of bad message by reason and changes nothing', async () => {
      const dev = await t.device();
      const ts = Date.now();
      await dev.publishAsync('icu/p2/monitor/numerics', JSON.stringify({ ts, seq: 1, values: { hr: 90 } }));
      await until(async () => (await bed('p2')).latest?.hr, 'p2 first value');
      const before = await health();
      const bad: [string, string | Buffer][] = [
        ['icu/p2/monitor/numerics', 'not json at all'],
        ['icu/p2/monitor/numerics', '[1,2,3]'],
        ['icu/p2/monitor/numerics', JSON.stringify({ ts, values: { hr: 'fast' } })],
        ['icu/p2/monitor/numerics', JSON.stringify({ values: { hr: 80 } })],
        ['icu/p2/monitor/numerics', JSON.stringify({ ts: Date.now(), values: { hr: 900 } })],
        ['icu/p2/ecmo/numerics', JSON.stringify({ ts: Date.now(), values: { fdo2: 12 } })],
        ['icu/p2/monitor/numerics', JSON.stringify({ ts: Date.now() - 49 * 3600_000, values: { hr: 70 } })],
        ['icu/p2/monitor/numerics', JSON.stringify({ ts, seq: 1, values: { hr: 91 } })], // duplicate ts and seq
        ['icu/p2/toaster/numerics', JSON.stringify({ ts: Date.now(), values: { hr: 70 } })],
        ['icu/bad bed/monitor/numerics', JSON.stringify({ ts: Date.now(), values: { hr: 70 } })],
        ['icu/p2/monitor/numerics', Buffer.alloc(65 * 1024, 0x20)],
      ];
      for (const [topic, payload] of bad) await dev.publishAsync(topic, payload);
      const after = await until(async () => {
        const h = await health();
        return h.ingest.rejected.total - before.ingest.rejected.total >= bad.length ? h : null;
      }, 'all rejections counted');
      const delta = (r: string) => after.ingest.rejected.byReason[r] - before.ingest.rejected.byReason[r];
      expect(delta('malformed_json')).toBe(2);
      expect(delta('schema')).toBe(2);
      expect(delta('out_of_range')).toBe(2);
      expect(delta('too_old')).toBe(1);
      expect(delta('duplicate')).toBe(1);
      expect(delta('unknown_topic')).toBe(2);
      expect(delta('oversized')).toBe(1);
      expect(after.ingest.accepted).toBe(before.ingest.accepted);
      const d = await bed('p2');
      expect(d.latest.hr.value).toBe(90);
      expect(d.latest.fdo2).toBeUndefined();
    });

    it('places a late message at its own time without replacing the newer value, and flags a device clock that runs ahead', async () => {
      const dev = await t.device();
      const now = Date.now();
      await dev.publishAsync('icu/p3/ecmo/numerics', JSON.stringify({ ts: now, values: { flow: 1.8 } }));
      await until(async () => (await bed('p3')).latest?.flow, 'p3 flow');
      await dev.publishAsync('icu/p3/ecmo/numerics', JSON.stringify({ ts: now - 60_000, values: { flow: 0.9 } }));
      await dev.publishAsync('icu/p3/monitor/numerics', JSON.stringify({ ts: now + 3600_000, values: { hr: 100 } }));
      const d = await until(async () => {
        const b = await bed('p3');
        return b.latest?.hr ? b : null;
      }, 'p3 hr');
      expect(d.latest.flow.value).toBe(1.8);
      expect(d.latest.hr.skew).toBe(true);
      expect(d.latest.hr.ts).toBeLessThanOrEqual(Date.now());
      const h = await t.api<{ series: Record<string, (number | null)[]> }>(
        `/api/beds/p3/history?keys=flow&from=${now - 120_000}&to=${now}&stepS=1`,
      );
      expect(h.status).toBe(200);
      expect(h.body.series.flow.filter((v) => v !== null)).toEqual([0.9, 1.8]);
    });

    it('marks a device offline when its connection drops and its last will arrives', async () => {
      const dev = await t.device({
        clientId: 'p4-monitor',
        will: { topic: 'icu/p4/monitor/status', payload: JSON.stringify({ state: 'offline' }) },
      });
      await dev.publishAsync('icu/p4/monitor/status', JSON.stringify({ state: 'online', ts: Date.now() }), { retain: true, qos: 1 });
      await dev.publishAsync('icu/p4/monitor/numerics', JSON.stringify({ ts: Date.now(), values: { hr: 130 } }));
      await until(async () => (await bed('p4')).devices?.monitor === 'online', 'p4 monitor online');
      dev.stream.destroy(); // an abrupt loss, not a clean disconnect: the broker sends the will
      await until(async () => (await bed('p4')).devices?.monitor === 'offline', 'p4 monitor offline', 10_000);
    });

    it('lets a reconnecting dashboard recover what it missed from the snapshot history', async () => {
      const dev = await t.device();
      const t0 = Date.now() - 10_000;
      await dev.publishAsync('icu/p5/ecmo/numerics', JSON.stringify({ ts: t0, values: { flow: 1.1 } }));
      // Through an external broker the server has it a moment later: watch a bed it knows.
      await until(async () => (await bed('p5')).latest?.flow?.ts === t0, 'first value ingested');
      const s = t.socket();
      await nextEvent(s, 'connect');
      const first = await s.emitWithAck('watch', { beds: ['p5'], historyS: 300 });
      s.disconnect();
      for (let i = 1; i <= 3; i++)
        await dev.publishAsync('icu/p5/ecmo/numerics', JSON.stringify({ ts: t0 + i * 1000, values: { flow: 1.1 + i / 10 } }));
      await until(async () => (await bed('p5')).latest?.flow?.ts === t0 + 3000, 'missed values ingested');
      s.connect();
      await nextEvent(s, 'connect');
      const again = await s.emitWithAck('watch', { beds: ['p5'], historyS: 300 });
      expect(first.beds[0].history.flow.v).toEqual([1.1]);
      expect(again.beds[0].history.flow.t).toEqual([t0, t0 + 1000, t0 + 2000, t0 + 3000]);
      expect(again.beds[0].history.flow.v.map((v) => Math.round(v! * 10) / 10)).toEqual([1.1, 1.2, 1.3, 1.4]);
      expect(again.beds[0].seq).toBeGreaterThanOrEqual(first.beds[0].seq);
    });

    it('refuses a Socket.IO handshake without a valid token', async () => {
      const s = t.socket('forged.token');
      const err = await nextEvent<Error>(s, 'connect_error');
      expect(err.message).toMatch(/unauthorized/);
    });
  });
}
