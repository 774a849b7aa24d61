// GET /metrics: Prometheus metrics through prom-client, one registry per server instance (tests run
// several servers in one process; the global default registry is never used). What is read from
// state is read when scraped (collect callbacks), so the hot path does nothing for it; the only
// work per event is one histogram observation per bed:update that carries device data.
// docs/interface.md ("Metrics") lists every metric; a test compares that list with /metrics.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EmbeddedBroker } from './broker/embedded.js';
import { REFUSAL_REASONS } from './broker/limits.js';
import type { DiskFigures } from './disk.js';
import type { IngestCounters } from './ingest/counters.js';
import type { Recorder } from './record/recorder.js';
import type { Pruner } from './record/retention.js';
import type { EmitObserver } from './stream/socket.js';

/** Latency buckets from 1 ms (a lone change sent at once) past the 25 ms merge window to 5 s. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** What the server's metrics read when scraped. */
export interface MetricSources {
  ingest: { readonly counters: IngestCounters };
  beds: { readonly size: number };
  recorder: Pick<Recorder, 'pending' | 'writeHealth'>;
  stream: { readonly sent: number; readonly pendingUpdates: number; readonly io: { readonly engine: { readonly clientsCount: number } } };
  /**
   * The server's link to the broker; with an external broker its MQTT client
   * (server/ingest/mqtt-source.ts), whose held acknowledgements are counted.
   */
  mqtt: { readonly connected: boolean; readonly acksAfterCommit?: number };
  uptimeS: () => number;
  /** Health's event-loop figure (server/event-loop-lag.ts). */
  eventLoopLagP99Ms: () => number;
  retention: Pick<Pruner, 'pruned' | 'passes' | 'lastPassMs' | 'longestBatchMs' | 'lastError'>;
  /** Null before the first measurement of the disk (or when it cannot be measured): NaN then. */
  disk: () => DiskFigures | null;
  /** The embedded broker's refusals; null with an external broker (its own limits apply), and then these metrics are absent. */
  broker: Pick<EmbeddedBroker, 'refusals' | 'rateBuckets'> | null;
}

export class ServerMetrics {
  readonly registry = new Registry();
  /** Times each bed:update as the stream sends it (server/stream/socket.ts). */
  readonly emits: EmitObserver;

  constructor() {
    processRegistry(); // GC and event-loop figures count from the start
    const registers = [this.registry];
    // Children made once: an observation allocates no label object.
    const ingestToEmit = new Histogram({
      name: 'ecmo_ingest_to_emit_seconds',
      help: 'From a device message arriving at ingest to the bed:update carrying it leaving the stream (the earliest message merged into the update).',
      buckets: LATENCY_BUCKETS,
      registers,
    }).labels();
    const deviceToEmit = new Histogram({
      name: 'ecmo_device_to_emit_seconds',
      help: "From the device's ts of a message to the bed:update carrying it leaving the stream (the earliest merged; a device clock ahead counts 0).",
      buckets: LATENCY_BUCKETS,
      registers,
    }).labels();
    this.emits = {
      emitted(arrivedAtMs, deviceTsMs, nowMs) {
        ingestToEmit.observe(Math.max(0, nowMs - arrivedAtMs) / 1000);
        deviceToEmit.observe(Math.max(0, nowMs - deviceTsMs) / 1000);
      },
    };
  }

  /** Registers what is read from state at each scrape (once, when the server is wired). */
  watch(s: MetricSources): void {
    const counter = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });

    const c = s.ingest.counters;
    counter('ecmo_ingest_accepted_total', 'Messages accepted by ingest.', () => c.accepted);
    new Counter({
      name: 'ecmo_ingest_rejected_total',
      help: 'Messages rejected by ingest, by reason.',
      labelNames: ['reason'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(c.byReason)) this.inc({ reason }, n);
      },
    });
    counter('ecmo_ingest_clock_skew_total', 'Messages whose device clock ran ahead of the server.', () => c.clockSkew);
    counter('ecmo_ingest_late_samples_total', 'Samples older than the newest of their signal.', () => c.late);
    gauge('ecmo_beds', 'Beds known to this instance.', () => s.beds.size);
    gauge('ecmo_socket_clients', 'Connected dashboard clients.', () => s.stream.io.engine.clientsCount);
    counter('ecmo_bed_updates_sent_total', 'bed:update messages sent.', () => s.stream.sent);
    gauge(
      'ecmo_stream_pending_updates',
      'Beds whose changes wait in the 25 ms merge window for their bed:update.',
      () => s.stream.pendingUpdates,
    );
    gauge('ecmo_record_pending_rows', 'Rows queued for the recording.', () => s.recorder.pending());
    gauge('ecmo_record_failing', '1 while writing to the recording fails (disk full, read-only, I/O error).', () =>
      s.recorder.writeHealth().failing ? 1 : 0,
    );
    counter(
      'ecmo_record_dropped_rows_total',
      'Rows dropped because the queue for a failing recording was full.',
      () => s.recorder.writeHealth().droppedRows,
    );
    gauge('ecmo_broker_connected', '1 when the server is subscribed to the broker.', () => (s.mqtt.connected ? 1 : 0));
    if (s.mqtt.acksAfterCommit !== undefined) {
      counter(
        'ecmo_mqtt_acks_after_commit_total',
        'QoS 1 acknowledgements sent to the external broker only once the recording kept their messages.',
        () => s.mqtt.acksAfterCommit ?? 0,
      );
    }
    gauge('ecmo_uptime_seconds', 'Seconds since start.', () => Math.round(s.uptimeS()));
    gauge(
      'ecmo_event_loop_lag_p99_seconds',
      "p99 of the event loop's delay over the last completed 10 s (what health judges).",
      () => s.eventLoopLagP99Ms() / 1000,
    );
    this.retention(s.retention);
    this.disk(s.disk);
    if (s.broker) this.broker(s.broker);
  }

  /** The text of a scrape: this server's metrics, then the process's (shared by every server in it). */
  async text(): Promise<string> {
    const [own, proc] = await Promise.all([this.registry.metrics(), processRegistry().metrics()]);
    return own + proc;
  }

  private retention(r: MetricSources['retention']): void {
    const registers = [this.registry];
    new Counter({
      name: 'ecmo_retention_pruned_rows_total',
      help: 'Rows removed by retention since start, by kind.',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const [kind, n] of Object.entries(r.pruned)) this.inc({ kind }, n);
      },
    });
    new Counter({
      name: 'ecmo_retention_passes_total',
      help: 'Retention passes run since start.',
      registers,
      collect() {
        this.reset();
        this.inc(r.passes);
      },
    });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge(
      'ecmo_retention_last_pass_seconds',
      'Duration of the last retention pass (batches with the event loop free between them; NaN before the first).',
      () => (r.lastPassMs === null ? NaN : r.lastPassMs / 1000),
    );
    gauge(
      'ecmo_retention_longest_batch_seconds',
      'The longest single retention batch: the longest the event loop was held.',
      () => r.longestBatchMs / 1000,
    );
    gauge('ecmo_retention_failing', '1 when the last retention pass failed.', () => (r.lastError === null ? 0 : 1));
  }

  private disk(figures: () => DiskFigures | null): void {
    const gauge = (name: string, help: string, read: (d: DiskFigures) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const d = figures();
          this.set(d ? read(d) : NaN);
        },
      });
    gauge('ecmo_disk_free_bytes', "Bytes available on DATA_DIR's file system.", (d) => d.freeBytes);
    gauge('ecmo_disk_total_bytes', "Size of DATA_DIR's file system.", (d) => d.totalBytes);
    gauge('ecmo_recording_bytes', 'The recording on disk: the SQLite file and its write-ahead log.', (d) => d.recordingBytes);
    gauge(
      'ecmo_recording_growth_bytes_per_day',
      'Growth of the recording over the last hours (NaN for its first half hour).',
      (d) => d.growthBytesPerDay ?? NaN,
    );
    // Days left while the recording is not growing is +Inf; unknown growth is NaN.
    gauge('ecmo_disk_days_left', 'Days until the disk is full at that growth (+Inf while not growing).', (d) =>
      d.daysLeft !== null ? d.daysLeft : d.growthBytesPerDay === null ? NaN : Infinity,
    );
  }

  private broker(b: NonNullable<MetricSources['broker']>): void {
    const registers = [this.registry];
    new Counter({
      name: 'ecmo_mqtt_publishes_refused_total',
      help: 'Publishes the embedded broker dropped (rate, topic length) or cut (packet size), by reason.',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        for (const reason of REFUSAL_REASONS) this.inc({ reason }, b.refusals.byReason[reason]);
      },
    });
    new Counter({
      name: 'ecmo_mqtt_client_publishes_refused_total',
      help: 'The same by MQTT client ID (the first 100 clients refused; later ones as client="_other").',
      labelNames: ['client', 'reason'],
      registers,
      collect() {
        this.reset();
        for (const [client, counts] of b.refusals.byClient()) {
          for (const reason of REFUSAL_REASONS) if (counts[reason] > 0) this.inc({ client, reason }, counts[reason]);
        }
      },
    });
    new Gauge({
      name: 'ecmo_mqtt_rate_buckets',
      help: 'Rate-limit buckets the embedded broker holds (connected clients; recently busy beds).',
      labelNames: ['kind'],
      registers,
      collect() {
        const n = b.rateBuckets();
        this.set({ kind: 'client' }, n.clients);
        this.set({ kind: 'bed' }, n.beds);
      },
    });
  }
}

let processMetrics: Registry | null = null;

/**
 * prom-client's default metrics under their usual names (`process_*`, `nodejs_*`: CPU, memory, heap,
 * GC, event-loop lag, handles): one registry for the whole process, since they describe the process,
 * started with its first server and never stopped (their observers are not per server).
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}
