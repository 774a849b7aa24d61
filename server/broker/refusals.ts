// What the broker refused, counted and logged. Counts by reason, and by client ID for the first
// clients that were refused (client IDs come from the devices: a bounded set of metric series).
// Logged with back-off, as the broker link is (server/outage-log.ts): one line when a client or a
// bed starts being refused, one a minute while it lasts, one when it has stopped for a minute.
import { REFUSAL_REASONS, type RefusalReason } from './limits.js';

/** Client IDs counted one by one; later ones together under OTHER_CLIENTS. */
const MAX_CLIENT_SERIES = 100;
export const OTHER_CLIENTS = '_other';
/** Longest client ID kept as a label (MQTT 3.1.1 sets no limit). */
const MAX_CLIENT_LABEL = 64;

const REMIND_EVERY_MS = 60_000;
/** An episode ends after this long without a refusal. */
const QUIET_MS = 60_000;
/** Clients and beds logged one by one; beyond, refusals are still counted but logged together. */
const MAX_EPISODES = 1000;
const MANY = 'many clients and beds';

type Counts = Record<RefusalReason, number>;
const zero = (): Counts => Object.fromEntries(REFUSAL_REASONS.map((r) => [r, 0])) as Counts;

export class RefusalCounter {
  readonly byReason: Counts = zero();
  private readonly clients = new Map<string, Counts>();

  count(clientId: string, reason: RefusalReason): void {
    this.byReason[reason]++;
    let key = clientId.slice(0, MAX_CLIENT_LABEL);
    if (!this.clients.has(key) && this.clients.size >= MAX_CLIENT_SERIES) key = OTHER_CLIENTS;
    let c = this.clients.get(key);
    if (!c) this.clients.set(key, (c = zero()));
    c[reason]++;
  }

  /** [client ID, counts] of the clients that were refused at least once. */
  byClient(): [string, Readonly<Counts>][] {
    return [...this.clients];
  }
}

/** Who is refused: a client (by its ID, so that reconnections continue its episode) or a bed. */
export interface Subject {
  kind: 'client' | 'bed';
  id: string;
}

interface Episode {
  subject: Subject;
  since: number;
  last: number;
  lastLine: number;
  total: number;
  sinceLine: Counts;
}

/** Where the lines go (a pino logger). */
export interface LineSink {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
}

export class RefusalLog {
  private readonly episodes = new Map<string, Episode>();

  constructor(private readonly log: LineSink) {}

  /** `detail`: what the first line says about the refused publish (its topic, its size). */
  refused(subject: Subject, reason: RefusalReason, nowMs: number, detail: Record<string, unknown> = {}): void {
    let key = `${subject.kind}:${subject.id}`;
    if (!this.episodes.has(key) && this.episodes.size >= MAX_EPISODES) {
      key = MANY;
      subject = { kind: 'client', id: MANY };
    }
    const e = this.episodes.get(key);
    if (!e) {
      this.episodes.set(key, { subject, since: nowMs, last: nowMs, lastLine: nowMs, total: 1, sinceLine: zero() });
      this.log.warn({ ...fields(subject), reason, ...detail }, 'MQTT publishes refused');
      return;
    }
    e.last = nowMs;
    e.total++;
    e.sinceLine[reason]++;
    if (nowMs - e.lastLine >= REMIND_EVERY_MS) {
      this.log.warn(
        { ...fields(e.subject), refused: nonZero(e.sinceLine), sinceS: Math.round((nowMs - e.since) / 1000) },
        'MQTT publishes still refused',
      );
      e.lastLine = nowMs;
      e.sinceLine = zero();
    }
  }

  /** Ends the episodes without a refusal for a minute, one line each. */
  sweep(nowMs: number): void {
    for (const [key, e] of this.episodes) {
      if (nowMs - e.last < QUIET_MS) continue;
      this.episodes.delete(key);
      this.log.info(
        { ...fields(e.subject), refusedTotal: e.total, durationS: Math.round((e.last - e.since) / 1000) },
        'MQTT publishes no longer refused',
      );
    }
  }

  get active(): number {
    return this.episodes.size;
  }
}

function fields(s: Subject): Record<string, string> {
  return s.kind === 'bed' ? { bedId: s.id } : { mqttClient: s.id };
}

function nonZero(c: Counts): Partial<Counts> {
  return Object.fromEntries(Object.entries(c).filter(([, n]) => n > 0));
}
