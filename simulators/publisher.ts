// The thin MQTT shell: executes the simulation's outputs with MQTT.js. Per-device mode gives every
// device its own connection with a retained last will `{state:"offline"}` on its status topic;
// shared mode uses one connection for the whole run (hundreds of beds), and publishes the offline
// status itself where a device's will would have fired.
import { randomBytes } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { topicOf, type Device } from '../shared/topics.js';
import { OFFLINE_PAYLOAD, STATUS_STREAM, payloadText, topicOfOutput, type SimOutput } from './messages.js';
import type { ConnectionMode } from './options.js';

const CONNECT_TIMEOUT_MS = 10_000;
const RECONNECT_PERIOD_MS = 1000;
/** How long a clean close may wait for acknowledgements before the connection is cut. */
const CLOSE_TIMEOUT_MS = 5000;
const SHARED = 'shared';

export interface PublisherOptions {
  url: string;
  username?: string;
  password?: string;
  prefix: string;
  connection: ConnectionMode;
  /** Current simulated time, for the online status re-sent after an automatic reconnect. */
  simNowMs: () => number;
  onWarn?: (message: string) => void;
}

export class MqttPublisher {
  private readonly clients = new Map<string, MqttClient>();
  private readonly runId = randomBytes(3).toString('hex');
  private closed = false;
  sent = 0;
  dropped = 0;

  constructor(private readonly o: PublisherOptions) {}

  /** Shared mode connects at once; per-device mode connects as devices come online. */
  async open(): Promise<void> {
    if (this.o.connection === SHARED) await this.connect(SHARED, `sim-${this.runId}`);
  }

  /** Executes outputs in order; resolves when their bytes are handed to the sockets (backpressure). */
  async handle(outputs: readonly SimOutput[]): Promise<void> {
    if (this.o.connection !== SHARED) await this.connectAhead(outputs);
    const writes = new Map<MqttClient, Promise<void>>();
    for (const o of outputs) {
      const key = this.o.connection === SHARED ? SHARED : `${o.bedId}/${o.device}`;
      if (o.kind === 'connect') {
        if (this.o.connection !== SHARED && !this.clients.has(key)) await this.connectDevice(key, o.bedId, o.device);
        continue;
      }
      if (o.kind === 'disconnect') {
        if (this.o.connection === SHARED) {
          // No connection of its own to lose: publish what its will would have said.
          if (o.abrupt)
            await this.publish(
              this.clients.get(SHARED)!,
              topicOf(this.o.prefix, o.bedId, o.device, STATUS_STREAM),
              JSON.stringify(OFFLINE_PAYLOAD),
              1,
              true,
            );
          continue;
        }
        const client = this.clients.get(key);
        this.clients.delete(key);
        if (client) await (o.abrupt ? forceClose(client) : closeCleanly(client));
        continue;
      }
      const client = this.clients.get(key);
      if (!client) {
        this.dropped++;
        continue;
      }
      const write = this.publish(client, topicOfOutput(this.o.prefix, o), payloadText(o), o.qos, o.retain);
      if (o.qos === 0) writes.set(client, write);
    }
    await Promise.all(writes.values());
  }

  /** Devices coming online in this batch connect in parallel (hundreds at the start of a run). */
  private async connectAhead(outputs: readonly SimOutput[]): Promise<void> {
    const leaving = new Set<string>();
    const arriving = new Map<string, SimOutput>();
    for (const o of outputs) {
      const key = `${o.bedId}/${o.device}`;
      if (o.kind === 'disconnect') leaving.add(key);
      else if (o.kind === 'connect' && !leaving.has(key) && !this.clients.has(key)) arriving.set(key, o);
    }
    const results = await Promise.allSettled([...arriving].map(([key, o]) => this.connectDevice(key, o.bedId, o.device)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private connectDevice(key: string, bedId: string, device: Device): Promise<void> {
    return this.connect(key, `sim-${bedId}-${device}-${this.runId}`, bedId, device);
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map(closeCleanly));
  }

  private publish(client: MqttClient, topic: string, text: string, qos: 0 | 1, retain: boolean): Promise<void> {
    return new Promise((resolve) => {
      client.publish(topic, text, { qos, retain }, (err) => {
        if (err) {
          this.dropped++;
          this.o.onWarn?.(`publish to ${topic} failed: ${err.message}`);
        } else this.sent++;
        resolve();
      });
    });
  }

  private connect(key: string, clientId: string, bedId?: string, device?: Device): Promise<void> {
    const statusTopic = bedId && device ? topicOf(this.o.prefix, bedId, device, STATUS_STREAM) : null;
    const options: IClientOptions = {
      clientId,
      username: this.o.username,
      password: this.o.password,
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectPeriod: RECONNECT_PERIOD_MS,
      // A device that lost its link does not send stale numerics later.
      queueQoSZero: false,
      ...(statusTopic ? { will: { topic: statusTopic, payload: Buffer.from(JSON.stringify(OFFLINE_PAYLOAD)), qos: 1, retain: true } } : {}),
    };
    const client = mqtt.connect(this.o.url, options);
    return new Promise((resolve, reject) => {
      let connected = false;
      const giveUp = (message: string) => {
        clearTimeout(timer);
        client.end(true);
        reject(new Error(`MQTT connection to ${this.o.url} as ${clientId} failed: ${message}`));
      };
      // A broker that never answers makes MQTT.js retry silently; the first attempt decides.
      const timer = setTimeout(() => giveUp('no answer'), CONNECT_TIMEOUT_MS + RECONNECT_PERIOD_MS);
      client.on('connect', () => {
        if (!connected) {
          clearTimeout(timer);
          connected = true;
          if (this.closed) client.end(true);
          else this.clients.set(key, client);
          resolve();
          return;
        }
        // Back after a broker outage: the will has told everyone we were gone.
        this.o.onWarn?.(`${clientId} reconnected`);
        if (statusTopic) void this.publish(client, statusTopic, JSON.stringify({ state: 'online', ts: this.o.simNowMs() }), 1, true);
      });
      client.on('error', (err) => {
        if (!connected) giveUp(err.message);
        else this.o.onWarn?.(`${clientId}: ${err.message}`);
      });
      client.on('offline', () => {
        if (connected) this.o.onWarn?.(`${clientId} lost its connection; retrying`);
      });
    });
  }
}

/** Cuts the socket without DISCONNECT, so the broker publishes the last will. */
function forceClose(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.end(true, {}, () => resolve()));
}

/** DISCONNECT after in-flight QoS 1 messages are acknowledged, or a cut after a timeout. */
function closeCleanly(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => client.end(true, {}, () => resolve()), CLOSE_TIMEOUT_MS);
    client.end(false, {}, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
