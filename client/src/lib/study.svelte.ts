// One bed's study record on screen (docs/clinical.md section 5): its timeline, read over REST and
// then kept current by the socket's `event` (upsert by id), its study intervals and its oxygen-debt
// burden, read again after every event change and once a minute. Entering and reviewing go over REST.
import type { BurdenAnswer } from '../../../shared/burden.js';
import type { TimelineEvent } from '../../../shared/protocol.js';
import type { EventType, Patient } from '../../../shared/schemas.js';
import type { StudyInterval } from '../../../shared/timeline.js';
import { ApiError, api } from './api.js';
import { live } from './live.svelte.js';

/** `GET /api/beds/{bed}/intervals`. */
export interface IntervalsAnswer {
  bedId: string;
  studyId: string | null;
  studyGroup: Patient['studyGroup'] | null;
  t0: number | null;
  intervals: StudyInterval[];
}

/** The burden grows with time even without events: read again this often. */
const BURDEN_REFRESH_MS = 60_000;
/** A bed nobody has configured and no device has published for: nothing recorded yet, not an error. */
const UNKNOWN_BED = 404;

const oldestFirst = (a: TimelineEvent, b: TimelineEvent) => a.ts - b.ts || a.id - b.id;

/**
 * The list with `e` in place of its earlier version (or added), oldest first. The newer of two
 * versions wins: a late answer never undoes a later review.
 */
function withEvent(list: readonly TimelineEvent[], e: TimelineEvent): readonly TimelineEvent[] {
  const had = list.find((x) => x.id === e.id);
  if (had && (had.reviewedAt ?? 0) > (e.reviewedAt ?? 0)) return list;
  return [...list.filter((x) => x.id !== e.id), e].sort(oldestFirst);
}

/** null for a bed the server does not know yet; other failures are thrown. */
async function readOrNull<T>(path: string): Promise<T | null> {
  try {
    return await api<T>(path);
  } catch (e) {
    if (e instanceof ApiError && e.status === UNKNOWN_BED) return null;
    throw e;
  }
}

export class BedStudy {
  /** The bed's events, oldest first (dismissed ones included: the screen greys them). */
  events = $state.raw<readonly TimelineEvent[]>([]);
  intervals = $state.raw<IntervalsAnswer | null>(null);
  burden = $state.raw<BurdenAnswer | null>(null);
  /** The timeline has been read once. */
  loaded = $state(false);
  loadError = $state<string | null>(null);
  /** Intervals and burden could not be read (the last values stay, marked as such). */
  summaryError = $state<string | null>(null);
  /** The last entry or review that failed, in words. */
  actionError = $state<string | null>(null);
  /** Entries (`add:<type>`) and reviews (`review:<id>`) on their way. */
  pending = $state<Record<string, boolean>>({});

  readonly #path: string;
  /** Events that arrive while the list is being read: replayed over its (possibly older) answer. */
  #during: TimelineEvent[] | null = null;
  #generation = 0;
  #stopped = false;
  #summariesRunning = false;
  #summariesAgain = false;

  constructor(readonly bedId: string) {
    this.#path = `/api/beds/${encodeURIComponent(bedId)}`;
  }

  /** Starts listening and reading; returns the function that stops it all. */
  start(): () => void {
    const offEvent = live.onTimelineEvent((e) => {
      if (e.bedId !== this.bedId) return;
      this.#upsert(e);
      void this.refreshSummaries();
    });
    // After a reconnection events may have been missed: read the whole list again.
    const offConnect = live.onConnect(() => void this.reload());
    const timer = setInterval(() => void this.refreshSummaries(), BURDEN_REFRESH_MS);
    void this.reload();
    return () => {
      offEvent();
      offConnect();
      clearInterval(timer);
      this.#stopped = true;
      this.#generation++;
    };
  }

  async reload(): Promise<void> {
    const generation = ++this.#generation;
    this.#during = [];
    try {
      const list = (await readOrNull<TimelineEvent[]>(`${this.#path}/events`)) ?? [];
      if (generation !== this.#generation) return;
      let events: readonly TimelineEvent[] = [...list].sort(oldestFirst);
      for (const e of this.#during ?? []) events = withEvent(events, e);
      this.events = events;
      this.loaded = true;
      this.loadError = null;
    } catch (e) {
      if (generation === this.#generation) this.loadError = `timeline not readable: ${(e as Error).message}`;
    } finally {
      if (generation === this.#generation) this.#during = null;
    }
    await this.refreshSummaries();
  }

  /**
   * Reads the intervals and the burden again. Calls while a read is on its way are merged into one
   * more read after it, so a burst of events costs two reads and the newest answer always wins.
   */
  async refreshSummaries(): Promise<void> {
    if (this.#summariesRunning) {
      this.#summariesAgain = true;
      return;
    }
    this.#summariesRunning = true;
    try {
      do {
        this.#summariesAgain = false;
        try {
          const [intervals, burden] = await Promise.all([
            readOrNull<IntervalsAnswer>(`${this.#path}/intervals`),
            readOrNull<BurdenAnswer>(`${this.#path}/burden`),
          ]);
          if (this.#stopped) return;
          this.intervals = intervals;
          this.burden = burden;
          this.summaryError = null;
        } catch (e) {
          if (!this.#stopped) this.summaryError = `intervals and burden not readable: ${(e as Error).message}`;
        }
      } while (this.#summariesAgain);
    } finally {
      this.#summariesRunning = false;
    }
  }

  /** Enters an event of `type` now (with an optional note); true when the server took it. */
  add(type: EventType, note: string): Promise<boolean> {
    const body = note.trim() ? { type, note: note.trim() } : { type };
    return this.#send(`add:${type}`, `${this.#path}/events`, 'POST', body);
  }

  /** Confirms or dismisses an event, optionally at another time (a moved candidate). */
  review(id: number, status: 'confirmed' | 'dismissed', ts?: number): Promise<boolean> {
    return this.#send(`review:${id}`, `${this.#path}/events/${id}`, 'PATCH', ts === undefined ? { status } : { status, ts });
  }

  async #send(key: string, path: string, method: 'POST' | 'PATCH', body: object): Promise<boolean> {
    this.pending[key] = true;
    this.actionError = null;
    try {
      this.#upsert(await api<TimelineEvent>(path, { method, body: JSON.stringify(body) }));
      void this.refreshSummaries();
      return true;
    } catch (e) {
      this.actionError = (e as Error).message;
      return false;
    } finally {
      delete this.pending[key];
    }
  }

  #upsert(e: TimelineEvent): void {
    this.events = withEvent(this.events, e);
    this.#during?.push(e);
  }
}
