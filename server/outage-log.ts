// How the broker link is logged: one line when an outage starts, one a minute while it lasts, one
// when it ends — not one per reconnection attempt for the whole outage.
import type { Logger } from 'pino';

const REMIND_EVERY_MS = 60_000;

export class OutageLog {
  private since: number | null = null;
  private lastLine = 0;
  private everConnected = false;

  constructor(
    private readonly log: Pick<Logger, 'info' | 'warn'>,
    private readonly url: string,
  ) {}

  changed(connected: boolean, nowMs: number, error?: string): void {
    if (connected) {
      if (this.since !== null)
        this.log.info({ mqttUrl: this.url, outageS: Math.round((nowMs - this.since) / 1000) }, 'broker connection back');
      else if (!this.everConnected) this.log.info({ mqttUrl: this.url }, 'broker connected');
      this.since = null;
      this.everConnected = true;
      return;
    }
    if (this.since === null) {
      this.since = nowMs;
      this.lastLine = nowMs;
      this.log.warn({ mqttUrl: this.url, err: error }, 'broker connection lost; reconnecting');
    } else if (nowMs - this.lastLine >= REMIND_EVERY_MS) {
      this.lastLine = nowMs;
      this.log.warn({ mqttUrl: this.url, outageS: Math.round((nowMs - this.since) / 1000), err: error }, 'broker still unreachable');
    }
  }
}
