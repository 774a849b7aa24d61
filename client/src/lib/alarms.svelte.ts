// The alarms on screen: every bed's and the ward's active and latched alarms. Read over REST after
// each (re)connection, then kept current by the `alarm` events (sent at once at every change) and by
// the bed lists that snapshots and `bed:update`s carry. Acknowledging goes over REST.
import type { Alarm, BedSnapshot, BedUpdate } from '../../../shared/protocol.js';
import { api } from './api.js';
import { isShown, levelOf, newestFirst, sounds, topAlarm, type AlarmLevel } from './alarm-view.js';
import { live } from './live.svelte.js';

/** Ward-wide alarms (the broker link) carry this bedId. */
export const WARD_BED = '*';
/** GET /api/alarms answers the newest 200 unless asked for more; this is the server's maximum. */
const LIST_LIMIT = 5000;

type Change = (byId: Map<string, Alarm>) => void;

const upsert =
  (a: Alarm): Change =>
  (byId) => {
    if (isShown(a)) byId.set(a.id, a);
    else byId.delete(a.id);
  };

/** A bed's whole active and latched list (snapshot, `bed:update`): what the server holds now. */
const replaceBed =
  (bedId: string, list: readonly Alarm[]): Change =>
  (byId) => {
    for (const [id, a] of byId) if (a.bedId === bedId) byId.delete(id);
    for (const a of list) if (isShown(a)) byId.set(a.id, a);
  };

class Alarms {
  /** Active and latched alarms of every bed and of the ward, newest first. */
  all = $state.raw<Alarm[]>([]);
  /** The lists have been read since the last connection. */
  loaded = $state(false);
  loadError = $state<string | null>(null);
  /** Alarm ids with an acknowledgement on its way, and the last failure per id. */
  acking = $state<Record<string, boolean>>({});
  ackError = $state<Record<string, string>>({});

  readonly #byBed = $derived(groupByBed(this.all));
  /** The highest priority still sounding (active, unacknowledged), for the tone. */
  readonly soundingLevel: AlarmLevel = $derived(levelOf(this.all.filter(sounds)));
  /** Ids (with priority: an escalation is news) of the sounding alarms; a new one ends an audio pause. */
  readonly soundingKeys: string[] = $derived(this.all.filter(sounds).map((a) => `${a.id}@${a.priority}`));

  #byId = new Map<string, Alarm>();
  /** Changes that arrive while a reload is on its way: replayed over its (older) answer. */
  #during: Change[] | null = null;
  #generation = 0;

  constructor() {
    live.onConnect(() => void this.reload());
    live.onAlarm((a) => this.#apply(upsert(a)));
    live.onSnapshot((s: BedSnapshot) => this.#apply(replaceBed(s.bedId, s.alarms)));
    live.onUpdate((u: BedUpdate) => {
      if (u.alarms) this.#apply(replaceBed(u.bedId, u.alarms));
    });
  }

  /** A bed's active and latched alarms, newest first ('*': the ward's). */
  of(bedId: string): Alarm[] {
    return this.#byBed[bedId] ?? [];
  }

  /** The alarm a bed shows first (highest priority, active before latched, newest). */
  topOf(bedId: string): Alarm | undefined {
    return topAlarm(this.of(bedId));
  }

  levelOf(bedId: string): AlarmLevel {
    return this.topOf(bedId)?.priority ?? 'none';
  }

  /** Reads every active alarm and every cleared one still latched. */
  async reload(): Promise<void> {
    const generation = ++this.#generation;
    this.#during = [];
    try {
      const [active, cleared] = await Promise.all([
        api<Alarm[]>(`/api/alarms?state=active&limit=${LIST_LIMIT}`),
        api<Alarm[]>(`/api/alarms?state=cleared&limit=${LIST_LIMIT}`),
      ]);
      if (generation !== this.#generation) return;
      const byId = new Map<string, Alarm>();
      for (const a of [...active, ...cleared]) upsert(a)(byId);
      for (const change of this.#during ?? []) change(byId);
      this.#byId = byId;
      this.#publish();
      this.loaded = true;
      this.loadError = null;
    } catch (e) {
      if (generation === this.#generation) this.loadError = (e as Error).message;
    } finally {
      if (generation === this.#generation) this.#during = null;
    }
  }

  /** After logout: nothing of the previous session stays on screen. */
  clear(): void {
    this.#generation++;
    this.#during = null;
    this.#byId = new Map();
    this.#publish();
    this.loaded = false;
  }

  /** Acknowledges over REST; the answer (and the `alarm` event) update the row. */
  async acknowledge(id: string): Promise<void> {
    this.acking[id] = true;
    delete this.ackError[id];
    try {
      const a = await api<Alarm>(`/api/alarms/${encodeURIComponent(id)}/ack`, { method: 'POST' });
      this.#apply(upsert(a));
    } catch (e) {
      this.ackError[id] = (e as Error).message;
    } finally {
      delete this.acking[id];
    }
  }

  #apply(change: Change): void {
    change(this.#byId);
    this.#during?.push(change);
    this.#publish();
  }

  #publish(): void {
    this.all = [...this.#byId.values()].sort(newestFirst);
  }
}

function groupByBed(all: readonly Alarm[]): Record<string, Alarm[]> {
  const byBed = Object.create(null) as Record<string, Alarm[]>; // bed ids may spell __proto__
  for (const a of all) (byBed[a.bedId] ??= []).push(a);
  return byBed;
}

export const alarms = new Alarms();
