import { describe, expect, it } from 'vitest';
import type { Alarm, HealthAnswer } from '../shared/protocol.js';
import { startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { nextEvent, startTestServer } from './helpers/server.js';
import { alarmsSuite } from './helpers/alarms.suite.js';
import { brokerPathSuite, type BrokerPathSetup } from './helpers/broker-path.suite.js';

/** Each suite gets a Mosquitto of its own, so they can run side by side. */
function mosquittoSetup(): BrokerPathSetup {
  let mosq: Mosquitto;
  return {
    async env() {
      mosq = await startMosquitto({ server: 'server-pw', device: 'device-pw' });
      return { MQTT_URL: mosq.url, MQTT_USERNAME: 'server', MQTT_PASSWORD: 'server-pw', DEVICE_PASSWORD: 'device-pw' };
    },
    teardown: async () => mosq?.stop(),
  };
}

brokerPathSuite("Debian's Mosquitto", mosquittoSetup());
alarmsSuite("Debian's Mosquitto", mosquittoSetup());

describe('the broker link as an alarm', () => {
  it('raises one ward-wide technical alarm when Mosquitto goes away, acknowledged with who and when while the outage lasts', async () => {
    const mosq = await startMosquitto({ server: 'server-pw', device: 'device-pw' });
    const t = await startTestServer({
      MQTT_URL: mosq.url,
      MQTT_USERNAME: 'server',
      MQTT_PASSWORD: 'server-pw',
      DEVICE_PASSWORD: 'device-pw',
    });
    try {
      const s = t.socket();
      await nextEvent(s, 'connect');
      const raised = nextEvent<Alarm>(s, 'alarm', (a) => a.bedId === '*' && a.key === 'brokerDisconnected' && a.state === 'active', 15_000);
      await mosq.stop();
      const a = await raised;
      expect(a).toMatchObject({ kind: 'technical', priority: 'high' });
      // Health tells the truth: 503 with the reason, for a load balancer or an uptime check.
      const health = await t.api<HealthAnswer>('/api/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'degraded', broker: 'disconnected' });
      expect(health.body.reasons.join(' ')).toMatch(/broker disconnected/);
      expect((await t.api('/api/health/ready')).status).toBe(503);
      expect((await t.api('/api/health/live')).status).toBe(200);
      const listed = (await t.api<Alarm[]>('/api/alarms?bed=*&state=active')).body;
      expect(listed.map((x) => x.id)).toEqual([a.id]);
      // Acknowledged while the outage lasts: recorded with who and when.
      const ack = await t.api<Alarm>(`/api/alarms/${encodeURIComponent(a.id)}/ack`, { method: 'POST' });
      expect(ack.body).toMatchObject({ id: a.id, state: 'active', ackedBy: 'admin' });
    } finally {
      await t.stop();
    }
  });
});
