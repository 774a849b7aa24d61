// Prometheus text exposition of the server's counters (GET /metrics).
import type { Ingest } from './ingest/ingest.js';
import type { Recorder } from './record/recorder.js';
import type { Beds } from './state/beds.js';
import type { Stream } from './stream/socket.js';

export function renderMetrics(m: {
  ingest: Ingest;
  beds: Beds;
  recorder: Recorder;
  stream: Stream;
  brokerConnected: boolean;
  uptimeS: number;
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
  return lines.join('\n') + '\n';
}
