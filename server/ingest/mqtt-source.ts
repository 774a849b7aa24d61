// The server's own MQTT client: subscribes to every device topic under the prefix and hands each
// message to the pipeline. A persistent session (clean: false, QoS 1) lets an external broker keep
// what devices published while the server restarts. With `whenKept`, a QoS 1 message is acknowledged
// to the broker only once what it brought is written to the recording: a kill -9 at any moment loses
// nothing the broker has not been told is kept, since the broker sends the unacknowledged again.
import mqtt, { type MqttClient, type Packet } from 'mqtt';
import { SessionWatch } from './session-watch.js';

export interface MqttSourceOptions {
  url: string;
  prefix: string;
  clientId: string;
  username?: string;
  password?: string;
  onMessage: (topic: string, payload: Buffer) => void;
  onState?: (connected: boolean, error?: Error) => void;
  /** A certificate to trust for mqtts:// (the embedded broker's own). */
  ca?: Buffer;
  /**
   * Calls back once everything handed to `onMessage` so far is written to the recording: the
   * acknowledgements of those messages wait for it. Unset: acknowledged on receipt.
   */
  whenKept?: (kept: () => void) => void;
  /** The clock, for telling a session taken over again and again from an outage. */
  now?: () => number;
  /** The broker keeps closing this session right after connecting: another client has its id. */
  onContested?: (clientId: string) => void;
}

/** MQTT.js sends every packet through this (not public API; pinned by the lockfile, covered by the kill -9 test). */
type SendPacket = (packet: Packet, cb?: (err?: Error) => void, ...rest: unknown[]) => void;

/** Reconnecting after a lost link: first after this long, doubling per failed try, up to the most. */
const RETRY_FIRST_MS = 1000;
const RETRY_MOST_MS = 10_000;

export class MqttSource {
  private readonly client: MqttClient;
  private subscribed = false;
  private closing = false;
  private waiters: (() => void)[] = [];
  /** Acknowledgements waiting for the recording, and the connection they belong to. */
  private held: Packet[] = [];
  private releasing = false;
  private connection = 0;
  private heldAcks = 0;
  private readonly session = new SessionWatch();
  private retryMs = RETRY_FIRST_MS;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: MqttSourceOptions) {
    this.client = mqtt.connect(opts.url, {
      clientId: opts.clientId,
      username: opts.username,
      password: opts.password,
      clean: false,
      // Reconnects are timed here, with back-off (MQTT.js alone retries at one fixed period).
      reconnectPeriod: 0,
      connectTimeout: 5000,
      protocolVersion: 4,
      // The embedded broker over MQTTS presents the server's own certificate: trust exactly that one.
      ...(opts.ca ? { ca: opts.ca } : {}),
    });
    if (opts.whenKept) this.holdAcks(opts.whenKept);
    const now = opts.now ?? (() => performance.timeOrigin + performance.now());
    this.client.on('connect', () => {
      this.retryMs = RETRY_FIRST_MS;
      this.connection++;
      this.session.connected(now());
      this.client.subscribe(`${opts.prefix}/#`, { qos: 1 }, (err) => {
        this.subscribed = !err;
        opts.onState?.(!err, err ?? undefined);
        if (!err) for (const w of this.waiters.splice(0)) w();
      });
    });
    this.client.on('close', () => {
      this.subscribed = false;
      // Acknowledgements of a connection that is gone must not reach the next one (its message ids
      // mean other messages there); the broker sends those messages again, and ingest drops repeats.
      this.held = [];
      if (!this.closing && this.session.closed(now())) opts.onContested?.(opts.clientId);
      if (!this.closing) {
        opts.onState?.(false);
        this.retry();
      }
    });
    this.client.on('error', (err) => {
      if (!this.closing) opts.onState?.(false, err);
    });
    this.client.on('message', (topic, payload) => opts.onMessage(topic, payload));
  }

  /** The next reconnect, after the current back-off; the one after waits twice as long (up to the most). */
  private retry(): void {
    if (this.retryTimer) return;
    const waitMs = this.retryMs;
    this.retryMs = Math.min(RETRY_MOST_MS, this.retryMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closing) this.client.reconnect();
    }, waitMs);
  }

  /** QoS 1 acknowledgements sent only after the recording kept their messages, since the start. */
  get acksAfterCommit(): number {
    return this.heldAcks;
  }

  /**
   * Takes each PUBACK MQTT.js is about to send and sends it once the recording has kept its message.
   * The client is told at once that the ack went, so it reads on: messages keep flowing while their
   * acknowledgements wait (at most one flush interval).
   */
  private holdAcks(whenKept: (kept: () => void) => void): void {
    const client = this.client as unknown as { _sendPacket: SendPacket };
    const send: SendPacket = client._sendPacket.bind(this.client);
    client._sendPacket = (packet, cb, ...rest) => {
      if (packet.cmd !== 'puback') return send(packet, cb, ...rest);
      cb?.();
      this.held.push(packet);
      this.release(whenKept, send);
    };
  }

  private release(whenKept: (kept: () => void) => void, send: SendPacket): void {
    if (this.releasing || !this.held.length) return;
    this.releasing = true;
    const batch = this.held;
    const connection = this.connection;
    this.held = [];
    whenKept(() => {
      this.releasing = false;
      if (connection === this.connection && this.client.connected) {
        for (const p of batch) send(p);
        this.heldAcks += batch.length;
      }
      this.release(whenKept, send);
    });
  }

  /** The session keeps being taken over (see SessionWatch); health says so. */
  contested(nowMs: number): boolean {
    return this.session.isContested(nowMs);
  }

  get connected(): boolean {
    return this.client.connected && this.subscribed;
  }

  /** Resolves once subscribed, or after `timeoutMs` (the server then starts and keeps retrying). */
  ready(timeoutMs: number): Promise<boolean> {
    if (this.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async close(): Promise<void> {
    // An orderly stop is not an outage: no state change is reported from here on.
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.client.endAsync(true);
  }
}
