// GET /metrics through prom-client: the latency of device data to the dashboards, measured where the
// stream sends each bed:update, and the list of metrics in docs/interface.md against what a real
// server exposes (names, types and labels, both ways). Real server, embedded broker, MQTT device,
// socket.io-client dashboard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BedDetail, BedUpdate } from '../shared/protocol.js';
import { LATENCY_BUCKETS } from '../server/metrics.js';
import { documentedMetrics, histogram, metricTypes, samples } from './helpers/metrics.js';
import { nextEvent, startTestServer, until, type TestServer } from './helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.stop());

const scrape = async () => {
  const r = await fetch(`${t.url}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return r.text();
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LE = [...LATENCY_BUCKETS.map(String), '+Inf'];

describe('/metrics', () => {
  it('times every bed:update carrying device data, from ingest and from the device ts, into histograms', async () => {
    const before = await scrape();
    expect(histogram(before, 'ecmo_device_to_emit_seconds').count).toBe(0);
    expect(histogram(before, 'ecmo_ingest_to_emit_seconds').count).toBe(0);

    const s = t.socket();
    await nextEvent(s, 'connect');
    await s.emitWithAck('watch', { beds: ['lat1'], historyS: 0 });
    const updates: BedUpdate[] = [];
    s.on('bed:update', (u: BedUpdate) => {
      if (u.bedId === 'lat1' && (Object.keys(u.latest).length > 0 || u.infusions)) updates.push(u);
    });
    const dev = await t.device();
    const publish = (ts: number, seq: number, values: Record<string, number>) =>
      dev.publishAsync('icu/lat1/monitor/numerics', JSON.stringify({ ts, seq, values }));
    const monitor = (ts: number, seq: number, hr: number) => publish(ts, seq, { hr });

    // Three at once: the first goes out at once, the next two are merged into one update 25 ms later,
    // timed from the earlier of them: a map two seconds old (the device's clock or the network
    // behind), which shows in device-to-emit only.
    const t0 = Date.now();
    await Promise.all([publish(t0 - 2, 1, { hr: 70 }), publish(t0 - 2000, 2, { map: 60 }), publish(t0 - 1, 3, { spo2: 97 })]);
    await sleep(60);
    expect(updates.find((u) => u.latest.map)?.latest.spo2?.value).toBe(97); // merged
    // A burst: merged into a few updates, each timed once from its earliest message.
    const burst = Date.now() - 50; // distinct times: a repeated ts is a duplicate
    for (let i = 0; i < 20; i++) await monitor(burst + i, 4 + i, 80 + i);
    await sleep(60);
    // A pump is device data too.
    await dev.publishAsync(
      'icu/lat1/pump/p1',
      JSON.stringify({ ts: Date.now(), drug: 'epinephrine', rateMlH: 3, concentration: 20, concentrationUnit: 'mcg/mL', running: true }),
    );
    await sleep(60);
    // A device clock 3 s ahead (within the skew bound): its own ts, counted as 0, never negative.
    const last = nextEvent<BedUpdate>(s, 'bed:update', (u) => u.bedId === 'lat1' && u.latest.hr?.value === 150);
    await monitor(Date.now() + 3000, 30, 150);
    await last;

    const text = await scrape();
    const device = histogram(text, 'ecmo_device_to_emit_seconds');
    const ingest = histogram(text, 'ecmo_ingest_to_emit_seconds');
    // One observation per update that carried device data, in each histogram.
    expect(device.count).toBeGreaterThan(0);
    expect(device.count).toBe(updates.length);
    expect(ingest.count).toBe(updates.length);
    // Fewer updates than messages: the burst was merged (25 messages in all).
    expect(device.count).toBeLessThan(25);
    for (const h of [device, ingest]) {
      expect([...h.buckets.keys()]).toEqual(LE);
      const counts = LE.map((le) => h.buckets.get(le)!);
      for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]); // cumulative
      expect(h.buckets.get('+Inf')).toBe(h.count);
      expect(h.sum).toBeGreaterThanOrEqual(0);
    }
    // From ingest to the socket: within the merge window and some, never seconds.
    expect(ingest.buckets.get('1')).toBe(ingest.count);
    expect(ingest.sum / ingest.count).toBeLessThan(0.5);
    // The merged update of the 2 s old map: one update between 1 and 5 s; the clock ahead: one at 0.
    expect(device.count - device.buckets.get('1')!).toBe(1);
    expect(device.buckets.get('5')).toBe(device.count);
    expect(device.buckets.get('0.001')).toBeGreaterThanOrEqual(1);
    expect(device.sum).toBeGreaterThanOrEqual(2);
    expect(device.sum).toBeLessThan(5);

    // A change without device data (a patient entered) is sent, and not timed.
    const patient = nextEvent<BedUpdate>(s, 'bed:update', (u) => u.bedId === 'lat1' && u.patient?.weightKg === 20);
    const put = await t.api('/api/beds/lat1/patient', {
      method: 'PUT',
      body: JSON.stringify({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' }),
    });
    expect(put.status).toBe(200);
    await patient;
    expect(histogram(await scrape(), 'ecmo_device_to_emit_seconds').count).toBe(device.count);
  });

  it('times nothing for a bed nobody watches (nothing is sent)', async () => {
    const before = histogram(await scrape(), 'ecmo_device_to_emit_seconds').count;
    const dev = await t.device();
    const base = Date.now() - 10;
    for (let i = 0; i < 5; i++) {
      await dev.publishAsync('icu/unwatched/monitor/numerics', JSON.stringify({ ts: base + i, seq: i, values: { hr: 90 + i } }));
    }
    await until(async () => (await t.api<BedDetail>('/api/beds/unwatched')).body.latest?.hr?.value === 94, 'every message handled');
    expect(histogram(await scrape(), 'ecmo_device_to_emit_seconds').count).toBe(before);
  });

  it('counts what it read from state when scraped: ingest, beds, clients, queues', async () => {
    const text = await scrape();
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples(text).find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v))?.value;
    expect(value('ecmo_ingest_accepted_total')).toBe(25 + 5); // the messages above, with the pump
    expect(value('ecmo_ingest_rejected_total', { reason: 'malformed_json' })).toBe(0);
    expect(value('ecmo_beds')).toBe(2);
    expect(value('ecmo_socket_clients')).toBeGreaterThanOrEqual(1);
    expect(value('ecmo_bed_updates_sent_total')).toBeGreaterThanOrEqual(histogram(text, 'ecmo_device_to_emit_seconds').count);
    expect(value('ecmo_stream_pending_updates')).toBeGreaterThanOrEqual(0);
    expect(value('ecmo_record_pending_rows')).toBeGreaterThanOrEqual(0);
    expect(value('ecmo_broker_connected')).toBe(1);
    expect(value('ecmo_event_loop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(value('ecmo_mqtt_rate_buckets', { kind: 'bed' })).toBeGreaterThanOrEqual(0);
    // The process's own metrics under prom-client's default names.
    expect(value('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('exposes exactly the metrics docs/interface.md lists, with their types and labels', async () => {
    const text = await scrape();
    const exposed = metricTypes(text);
    const documented = documentedMetrics();
    // With the embedded broker; the ones only an external broker has are checked in metrics.mosquitto.test.ts.
    const expected = [...documented].filter(([, d]) => d.only !== 'external').map(([name, d]) => [name, d.type]);
    expect(Object.fromEntries(exposed)).toEqual(Object.fromEntries(expected));
    // Labels: every sample of a metric carries the labels the table names (and `le` for a histogram bucket).
    for (const s of samples(text)) {
      const name = [...documented.keys()].find((n) => s.name === n || ['_bucket', '_sum', '_count'].some((x) => s.name === n + x))!;
      expect(name, s.name).toBeDefined();
      const labels = Object.keys(s.labels)
        .filter((l) => !(l === 'le' && s.name.endsWith('_bucket')))
        .sort();
      expect(labels, s.name).toEqual(documented.get(name)!.labels);
    }
  });
});
