// The server's own MQTT client: subscribes to every device topic under the prefix and hands each
// message to the pipeline. A persistent session (clean: false, QoS 1) lets an external broker keep
// what devices published while the server restarts.
import mqtt, { type MqttClient } from 'mqtt';

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
}

export class MqttSource {
  private readonly client: MqttClient;
  private subscribed = false;
  private closing = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly opts: MqttSourceOptions) {
    this.client = mqtt.connect(opts.url, {
      clientId: opts.clientId,
      username: opts.username,
      password: opts.password,
      clean: false,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      protocolVersion: 4,
      // The embedded broker over MQTTS presents the server's own certificate: trust exactly that one.
      ...(opts.ca ? { ca: opts.ca } : {}),
    });
    this.client.on('connect', () => {
      this.client.subscribe(`${opts.prefix}/#`, { qos: 1 }, (err) => {
        this.subscribed = !err;
        opts.onState?.(!err, err ?? undefined);
        if (!err) for (const w of this.waiters.splice(0)) w();
      });
    });
    this.client.on('close', () => {
      this.subscribed = false;
      if (!this.closing) opts.onState?.(false);
    });
    this.client.on('error', (err) => {
      if (!this.closing) opts.onState?.(false, err);
    });
    this.client.on('message', (topic, payload) => opts.onMessage(topic, payload));
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
    await this.client.endAsync(true);
  }
}
