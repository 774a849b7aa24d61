// Alarms end to end, as a device and a dashboard see them, run against every broker we support:
// values published over MQTT raise an alarm within its onset delay (REST and a socket.io-client
// `alarm` event), acknowledging records the user, recovery clears it, and a device's last will
// raises its technical alarm at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm, BedDetail } from '../../shared/protocol.js';
import { nextEvent, startTestServer, until, type TestServer } from './server.js';
import type { BrokerPathSetup } from './broker-path.suite.js';

const VA_PATIENT = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' };
/** CLINICAL section 4: drainage pressure below −100 mmHg for 5 s is a high alarm. */
const DRAINAGE_DELAY_MS = 5000;

export function alarmsSuite(name: string, setup: BrokerPathSetup): void {
  describe(`alarms through ${name}`, () => {
    let t: TestServer;

    beforeAll(async () => {
      t = await startTestServer(await setup.env());
    });
    afterAll(async () => {
      await t?.stop();
      await setup.teardown?.();
    });

    const alarms = async (query: string) => (await t.api<Alarm[]>(`/api/alarms?${query}`)).body;

    /** Publishes console numerics once a second until `stop` resolves or `count` messages are out. */
    async function stream(
      dev: Awaited<ReturnType<TestServer['device']>>,
      bed: string,
      values: () => Record<string, number>,
      count: number,
    ) {
      for (let i = 0; i < count; i++) {
        await dev.publishAsync(`icu/${bed}/ecmo/numerics`, JSON.stringify({ ts: Date.now(), values: values() }), { qos: 1 });
        if (i < count - 1) await new Promise((r) => setTimeout(r, 1000));
      }
    }

    it('raises a high drainage alarm after 5 s of −150 mmHg, records who acknowledged it, and clears it after recovery', async () => {
      expect((await t.api(`/api/beds/al1/patient`, { method: 'PUT', body: JSON.stringify(VA_PATIENT) })).status).toBe(200);
      const s = t.socket();
      await nextEvent(s, 'connect');
      await s.emitWithAck('watch', { beds: ['al1'] });
      const raised = nextEvent<Alarm>(s, 'alarm', (a) => a.bedId === 'al1' && a.key === 'drainagePressure' && a.state === 'active', 15_000);
      const dev = await t.device();
      const firstTs = Date.now();
      const normal = { flow: 2.0, rpm: 3000, pPre: 200, pPost: 170, svo2: 75, fdo2: 80, postOxyPo2: 300, tBlood: 37 };
      const publishing = stream(dev, 'al1', () => ({ ...normal, pVen: -150 }), 8);
      const a = await raised;
      const delay = a.raisedAt - firstTs;
      expect(a.priority).toBe('high');
      expect(a.kind).toBe('physiological');
      expect(a.value).toBe(-150);
      expect(a.limit).toBe(-100);
      // Within its delay (5 s) plus a tick, and never before the condition held for the delay.
      expect(delay).toBeGreaterThanOrEqual(DRAINAGE_DELAY_MS - 50);
      expect(delay).toBeLessThan(DRAINAGE_DELAY_MS + 1500);
      await publishing;

      const listed = await alarms('bed=al1&state=active');
      expect(listed.map((x) => x.key)).toContain('drainagePressure');
      expect((await t.api<BedDetail>('/api/beds/al1')).body.alarms.some((x) => x.id === a.id)).toBe(true);
      const counts = (await t.api<{ bedId: string; alarms: { high: number } }[]>('/api/beds')).body.find((b) => b.bedId === 'al1');
      expect(counts?.alarms.high).toBeGreaterThanOrEqual(1);

      // A viewer may not acknowledge; a specialist may, and the answer records who and when.
      await t.api('/api/users', { method: 'POST', body: JSON.stringify({ username: 'vera', password: 'viewer-pw-123', role: 'viewer' }) });
      const viewer = await t.api<{ token: string }>('/api/login', {
        method: 'POST',
        body: JSON.stringify({ username: 'vera', password: 'viewer-pw-123' }),
      });
      const denied = await t.api(`/api/alarms/${encodeURIComponent(a.id)}/ack`, {
        method: 'POST',
        headers: { authorization: `Bearer ${viewer.body.token}` },
      });
      expect(denied.status).toBe(403);
      const ackEvent = nextEvent<Alarm>(s, 'alarm', (x) => x.id === a.id && x.ackedBy === 'admin');
      const acked = await t.api<Alarm>(`/api/alarms/${encodeURIComponent(a.id)}/ack`, { method: 'POST' });
      expect(acked.status).toBe(200);
      expect(acked.body).toMatchObject({ id: a.id, state: 'active', ackedBy: 'admin' });
      expect(acked.body.ackedAt).toBeGreaterThanOrEqual(a.raisedAt);
      await ackEvent;

      // Back inside the limit by more than the hysteresis margin for 5 s: cleared, and not latched
      // (acknowledged while active).
      const cleared = nextEvent<Alarm>(s, 'alarm', (x) => x.id === a.id && x.state === 'cleared', 15_000);
      await stream(dev, 'al1', () => ({ ...normal, pVen: -40 }), 8);
      const c = await cleared;
      expect(c.latched).toBe(false);
      expect(c.clearedAt).toBeGreaterThan(a.raisedAt);
      expect((await alarms('bed=al1&state=cleared')).map((x) => x.id)).toContain(a.id);
      expect((await alarms('bed=al1&state=active')).map((x) => x.key)).not.toContain('drainagePressure');
    });

    it('does not raise the drainage alarm for a blip shorter than its delay', async () => {
      await t.api(`/api/beds/al2/patient`, { method: 'PUT', body: JSON.stringify(VA_PATIENT) });
      const dev = await t.device();
      const normal = { flow: 2.0, rpm: 3000, pPre: 200, pPost: 170, pVen: -40 };
      let i = 0;
      await stream(dev, 'al2', () => ({ ...normal, pVen: i++ < 3 ? -150 : -40 }), 7);
      expect((await alarms('bed=al2')).map((x) => x.key)).not.toContain('drainagePressure');
      // ... while the warning limit (−70 mmHg, 10 s) was not reached either.
      expect(await alarms('bed=al2')).toEqual([]);
    });

    it("raises the console's technical alarm at once when its connection breaks and the broker sends its last will", async () => {
      await t.api(`/api/beds/al3/patient`, { method: 'PUT', body: JSON.stringify(VA_PATIENT) });
      const s = t.socket();
      await nextEvent(s, 'connect');
      const raised = nextEvent<Alarm>(s, 'alarm', (a) => a.bedId === 'al3' && a.key === 'deviceOffline.ecmo');
      const dev = await t.device({ clientId: 'al3-console', will: { topic: 'icu/al3/ecmo/status', payload: '{"state":"offline"}' } });
      await dev.publishAsync('icu/al3/ecmo/status', '{"state":"online"}', { qos: 1, retain: true });
      await dev.publishAsync('icu/al3/ecmo/numerics', JSON.stringify({ ts: Date.now(), values: { flow: 2, rpm: 3000 } }), { qos: 1 });
      await until(async () => (await t.api<BedDetail>('/api/beds/al3')).body.devices?.ecmo === 'online', 'console online');
      // An abrupt end: the broker, not the device, publishes the will.
      (dev as unknown as { stream: { destroy(): void } }).stream.destroy();
      const a = await raised;
      expect(a).toMatchObject({ kind: 'technical', priority: 'high', state: 'active' });
      expect(a.message).toMatch(/ECMO console offline/);
    });
  });
}
