// GET /metrics with an external broker (Debian's Mosquitto): the server's MQTT client counts the
// acknowledgements it held until the recording kept their messages, the embedded broker's limits
// are not there, and device data is timed to the dashboard as through the embedded broker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BedUpdate } from '../shared/protocol.js';
import { documentedMetrics, histogram, metricTypes, samples } from './helpers/metrics.js';
import { startMosquitto, type Mosquitto } from './helpers/mosquitto.js';
import { nextEvent, startTestServer, until, type TestServer } from './helpers/server.js';

let mosq: Mosquitto;
let t: TestServer;
beforeAll(async () => {
  mosq = await startMosquitto({ server: 'server-pw', device: 'device-pw' });
  t = await startTestServer({ MQTT_URL: mosq.url, MQTT_USERNAME: 'server', MQTT_PASSWORD: 'server-pw', DEVICE_PASSWORD: 'device-pw' });
});
afterAll(async () => {
  await t?.stop();
  await mosq?.stop();
});

const scrape = async () => (await t.api<string>('/metrics')).body;
const value = (text: string, name: string) => samples(text).find((s) => s.name === name)?.value;

describe('/metrics with an external broker', () => {
  it('counts the QoS 1 acknowledgements held until the recording kept their messages, and times the bed:update', async () => {
    const s = t.socket();
    await nextEvent(s, 'connect');
    await s.emitWithAck('watch', { beds: ['ext1'], historyS: 0 });
    const update = nextEvent<BedUpdate>(s, 'bed:update', (u) => u.bedId === 'ext1' && u.latest.hr?.value === 88);
    const dev = await t.device();
    await dev.publishAsync('icu/ext1/monitor/numerics', JSON.stringify({ ts: Date.now(), seq: 1, values: { hr: 88 } }), { qos: 1 });
    await update;
    const text = await until(async () => {
      const m = await scrape();
      return (value(m, 'ecmo_mqtt_acks_after_commit_total') ?? 0) >= 1 ? m : null;
    }, 'the acknowledgement sent after the write');
    expect(value(text, 'ecmo_broker_connected')).toBe(1);
    const h = histogram(text, 'ecmo_device_to_emit_seconds');
    expect(h.count).toBe(1);
    expect(h.buckets.get('1')).toBe(1);
    expect(histogram(text, 'ecmo_ingest_to_emit_seconds').count).toBe(1);
  });

  it('exposes the metrics docs/interface.md lists, without the embedded broker’s', async () => {
    const exposed = Object.fromEntries(metricTypes(await scrape()));
    const expected = [...documentedMetrics()].filter(([, d]) => d.only !== 'embedded').map(([name, d]) => [name, d.type]);
    expect(exposed).toEqual(Object.fromEntries(expected));
  });
});
