// Prometheus text exposition of the server's counters (GET /metrics).
import type { EmbeddedBroker } from './broker/embedded.js';
import { REFUSAL_REASONS } from './broker/limits.js';
import type { DiskFigures } from './disk.js';
import type { Ingest } from './ingest/ingest.js';
import type { Recorder } from './record/recorder.js';
import type { Pruner } from './record/retention.js';
import type { Beds } from './state/beds.js';
import type { Stream } from './stream/socket.js';

export function renderMetrics(m: {
  ingest: Ingest;
  beds: Beds;
  recorder: Recorder;
  stream: Stream;
  brokerConnected: boolean;
  uptimeS: number;
  retention?: Pick<Pruner, 'pruned' | 'passes' | 'lastPassMs' | 'longestBatchMs' | 'lastError'>;
  /** Null before the first measurement of the disk. */
  disk?: DiskFigures | null;
  /** The embedded broker's refusals (null with an external broker: its own limits apply). */
  broker?: Pick<EmbeddedBroker, 'refusals' | 'rateBuckets'> | null;
}): string {
  const c = m.ingest.counters;
  const lines: string[] = [
    '# HELP ecmo_ingest_accepted_total Messages accepted by ingest.',
    '# TYPE ecmo_ingest_accepted_total counter',
    `ecmo_ingest_accepted_total ${c.accepted}`,
    '# HELP ecmo_ingest_rejected_total Messages rejected by ingest, by reason.',
    '# TYPE ecmo_ingest_rejected_total counter',
    ...Object.entries(c.byReason).map(([reason, n]) => `ecmo_ingest_rejected_total{reason="${reason}"} ${n}`),
    '# HELP ecmo_ingest_clock_skew_total Messages whose device clock ran ahead of the server.',
    '# TYPE ecmo_ingest_clock_skew_total counter',
    `ecmo_ingest_clock_skew_total ${c.clockSkew}`,
    '# HELP ecmo_ingest_late_samples_total Samples older than the newest of their signal.',
    '# TYPE ecmo_ingest_late_samples_total counter',
    `ecmo_ingest_late_samples_total ${c.late}`,
    '# HELP ecmo_beds Beds known to this instance.',
    '# TYPE ecmo_beds gauge',
    `ecmo_beds ${m.beds.size}`,
    '# HELP ecmo_socket_clients Connected dashboard clients.',
    '# TYPE ecmo_socket_clients gauge',
    `ecmo_socket_clients ${m.stream.io.engine.clientsCount}`,
    '# HELP ecmo_bed_updates_sent_total bed:update messages sent.',
    '# TYPE ecmo_bed_updates_sent_total counter',
    `ecmo_bed_updates_sent_total ${m.stream.sent}`,
    '# HELP ecmo_record_pending_rows Rows queued for the recording.',
    '# TYPE ecmo_record_pending_rows gauge',
    `ecmo_record_pending_rows ${m.recorder.pending()}`,
    '# HELP ecmo_broker_connected 1 when the server is subscribed to the broker.',
    '# TYPE ecmo_broker_connected gauge',
    `ecmo_broker_connected ${m.brokerConnected ? 1 : 0}`,
    '# HELP ecmo_uptime_seconds Seconds since start.',
    '# TYPE ecmo_uptime_seconds gauge',
    `ecmo_uptime_seconds ${Math.round(m.uptimeS)}`,
  ];
  if (m.retention) lines.push(...retentionLines(m.retention));
  if (m.disk) lines.push(...diskLines(m.disk));
  if (m.broker) lines.push(...brokerLines(m.broker));
  return lines.join('\n') + '\n';
}

function retentionLines(r: NonNullable<Parameters<typeof renderMetrics>[0]['retention']>): string[] {
  return [
    '# HELP ecmo_retention_pruned_rows_total Rows removed by retention since start, by kind.',
    '# TYPE ecmo_retention_pruned_rows_total counter',
    ...Object.entries(r.pruned).map(([kind, n]) => `ecmo_retention_pruned_rows_total{kind="${kind}"} ${n}`),
    '# HELP ecmo_retention_passes_total Retention passes run since start.',
    '# TYPE ecmo_retention_passes_total counter',
    `ecmo_retention_passes_total ${r.passes}`,
    '# HELP ecmo_retention_last_pass_seconds Duration of the last retention pass (batches with the event loop free between them).',
    '# TYPE ecmo_retention_last_pass_seconds gauge',
    `ecmo_retention_last_pass_seconds ${r.lastPassMs === null ? 'NaN' : (r.lastPassMs / 1000).toFixed(3)}`,
    '# HELP ecmo_retention_longest_batch_seconds The longest single retention batch: the longest the event loop was held.',
    '# TYPE ecmo_retention_longest_batch_seconds gauge',
    `ecmo_retention_longest_batch_seconds ${(r.longestBatchMs / 1000).toFixed(3)}`,
    '# HELP ecmo_retention_failing 1 when the last retention pass failed.',
    '# TYPE ecmo_retention_failing gauge',
    `ecmo_retention_failing ${r.lastError === null ? 0 : 1}`,
  ];
}

function diskLines(d: DiskFigures): string[] {
  // Unknown is NaN; days left while the recording is not growing is +Inf.
  const growth = d.growthBytesPerDay === null ? 'NaN' : String(d.growthBytesPerDay);
  const days = d.daysLeft !== null ? String(d.daysLeft) : d.growthBytesPerDay === null ? 'NaN' : '+Inf';
  return [
    "# HELP ecmo_disk_free_bytes Bytes available on DATA_DIR's file system.",
    '# TYPE ecmo_disk_free_bytes gauge',
    `ecmo_disk_free_bytes ${d.freeBytes}`,
    "# HELP ecmo_disk_total_bytes Size of DATA_DIR's file system.",
    '# TYPE ecmo_disk_total_bytes gauge',
    `ecmo_disk_total_bytes ${d.totalBytes}`,
    '# HELP ecmo_recording_bytes The recording on disk: the SQLite file and its write-ahead log.',
    '# TYPE ecmo_recording_bytes gauge',
    `ecmo_recording_bytes ${d.recordingBytes}`,
    '# HELP ecmo_recording_growth_bytes_per_day Growth of the recording over the last hours (NaN for its first half hour).',
    '# TYPE ecmo_recording_growth_bytes_per_day gauge',
    `ecmo_recording_growth_bytes_per_day ${growth}`,
    '# HELP ecmo_disk_days_left Days until the disk is full at that growth (+Inf while not growing).',
    '# TYPE ecmo_disk_days_left gauge',
    `ecmo_disk_days_left ${days}`,
  ];
}

function brokerLines(b: Pick<EmbeddedBroker, 'refusals' | 'rateBuckets'>): string[] {
  const r = b.refusals;
  const buckets = b.rateBuckets();
  return [
    '# HELP ecmo_mqtt_publishes_refused_total Publishes the embedded broker dropped (rate, topic length) or cut (packet size), by reason.',
    '# TYPE ecmo_mqtt_publishes_refused_total counter',
    ...REFUSAL_REASONS.map((reason) => `ecmo_mqtt_publishes_refused_total{reason="${reason}"} ${r.byReason[reason]}`),
    '# HELP ecmo_mqtt_client_publishes_refused_total The same by MQTT client ID (the first 100 clients refused; later ones as client="_other").',
    '# TYPE ecmo_mqtt_client_publishes_refused_total counter',
    ...r
      .byClient()
      .flatMap(([client, counts]) =>
        REFUSAL_REASONS.filter((reason) => counts[reason] > 0).map(
          (reason) => `ecmo_mqtt_client_publishes_refused_total{client="${label(client)}",reason="${reason}"} ${counts[reason]}`,
        ),
      ),
    '# HELP ecmo_mqtt_rate_buckets Rate-limit buckets the embedded broker holds (connected clients; recently busy beds).',
    '# TYPE ecmo_mqtt_rate_buckets gauge',
    `ecmo_mqtt_rate_buckets{kind="client"} ${buckets.clients}`,
    `ecmo_mqtt_rate_buckets{kind="bed"} ${buckets.beds}`,
  ];
}

/** A Prometheus label value: backslash, double quote and line feed escaped. */
function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
