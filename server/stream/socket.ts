// Streaming to dashboards over Socket.IO: a room per bed (and one for its waveforms) plus an
// overview room. A handshake without a valid token is refused. Updates are coalesced per bed
// (leading edge, at most one per 25 ms); alarms are sent at once; Socket.IO's connection state recovery replays what a briefly
// disconnected client missed, and the per-bed `seq` lets a client detect any other gap.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type {
  BedSnapshot,
  BedSummary,
  BedWaveform,
  ClientToServerEvents,
  ServerToClientEvents,
  TimelineEvent,
  Alarm,
} from '../../shared/protocol.js';
import { watchRequestSchema } from '../../shared/schemas.js';
import type { Session, Sessions } from '../auth/sessions.js';
import type { BedChange, StreamSink } from '../pipeline.js';
import type { Beds } from '../state/beds.js';
import type { PendingChange, Views } from '../views.js';
import { Coalescer } from './coalescer.js';

/**
 * docs/interface.md: changes of a bed within 25 ms go out as one bed:update, and no change waits
 * longer than 25 ms (at most 40 updates a second per bed). Alarms never wait: they go out at once.
 */
const UPDATE_INTERVAL_MS = 25;
/** The overview list changes rarely; once a second is plenty. */
const OVERVIEW_INTERVAL_MS = 1000;
/**
 * Every connected dashboard hears from the server at least this often, even when no bed changes:
 * a dashboard that hears nothing for a few seconds can then say truthfully that its link is down.
 */
const CLOCK_INTERVAL_MS = 1000;
const OVERVIEW_ROOM = 'overview';
/** Connections that take the overview as changes after one whole list (the dashboard). */
const OVERVIEW_CHANGES_ROOM = 'overview:changes';
const bedRoom = (bedId: string) => `bed:${bedId}`;
const waveRoom = (bedId: string) => `wave:${bedId}`;

type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { user: Session }>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { user: Session }>;

/** The device message being handled (ingest's `lastArrival`): its bed, arrival and device ts, ms. */
export interface MessageArrival {
  readonly bedId: string;
  readonly arrivedAtMs: number;
  readonly deviceTsMs: number;
}

/** Told of every bed:update that carries device data, as it leaves (/metrics latency histograms). */
export interface EmitObserver {
  /** The earliest arrival and device ts among the messages merged into the update, and the emit time (ms). */
  emitted(arrivedAtMs: number, deviceTsMs: number, nowMs: number): void;
}

/** A bed's merged changes, with the earliest message behind them (Infinity: none, e.g. only a tick). */
interface Pending extends PendingChange {
  arrivedAtMs: number;
  deviceTsMs: number;
}

export class Stream implements StreamSink {
  readonly io: IoServer;
  private readonly pending = new Map<string, Pending>();
  /** Per-bed sequence of the updates sent: a client that sees a gap asks for a snapshot again. */
  private readonly seq = new Map<string, number>();
  private readonly bedUpdates: Coalescer<string>;
  private readonly overview: Coalescer<string>;
  /** Each bed's overview entry as last sent to the connections that take changes (JSON). */
  private readonly overviewSent = new Map<string, string>();
  private readonly clock: ReturnType<typeof setInterval>;
  /** Updates sent since start (for /metrics). */
  sent = 0;

  /** Beds whose changes wait in the merge window for their bed:update (for /metrics). */
  get pendingUpdates(): number {
    return this.pending.size;
  }

  constructor(
    http: HttpServer,
    private readonly deps: {
      sessions: Sessions;
      beds: Beds;
      views: Views;
      now: () => number;
      seqBase?: number;
      /** Ingest's last accepted message: the one a change with signals or infusions comes from. */
      arrival?: MessageArrival;
      onEmit?: EmitObserver;
    },
  ) {
    this.io = new Server(http, {
      serveClient: false,
      connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
      maxHttpBufferSize: 64 * 1024,
    });
    // The handshake's token is verified asynchronously (signature, claims, session); a connection
    // whose session ended between that check and its joining (when `onEnded` cannot see it yet) is
    // cut as it connects.
    const unauthorized = () => Object.assign(new Error('unauthorized: a valid token is required'), { data: { code: 'unauthorized' } });
    this.io.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      deps.sessions.verify(token, deps.now()).then(
        (user) => {
          if (!user) return next(unauthorized());
          socket.data.user = user;
          next();
        },
        () => next(unauthorized()),
      );
    });
    this.io.on('connection', (socket) => {
      if (!deps.sessions.holds(socket.data.user)) socket.disconnect(true);
      else this.onConnection(socket);
    });
    // An ended session (logout, a changed or removed user) loses its live connections at once.
    deps.sessions.onEnded((ended) => {
      for (const s of this.io.of('/').sockets.values()) {
        const u = s.data.user;
        if ('jti' in ended ? u.jti === ended.jti : u.username === ended.username) s.disconnect(true);
      }
    });
    this.bedUpdates = new Coalescer(UPDATE_INTERVAL_MS, (bedId) => this.flushBed(bedId));
    this.overview = new Coalescer(OVERVIEW_INTERVAL_MS, () => this.flushOverview());
    // Volatile: a clock is worth nothing later, so connection state recovery does not replay it.
    this.clock = setInterval(() => this.io.volatile.emit('clock', { serverNow: deps.now() }), CLOCK_INTERVAL_MS);
    this.clock.unref();
  }

  bedChanged(bedId: string, change: BedChange): void {
    if (!this.hasMembers(bedRoom(bedId))) return; // nobody watches: nothing to send, nothing to merge
    let p = this.pending.get(bedId);
    if (!p) {
      p = {
        signals: new Set(),
        derived: new Set(),
        devices: false,
        infusions: false,
        patient: false,
        alarms: false,
        arrivedAtMs: Infinity,
        deviceTsMs: Infinity,
      };
      this.pending.set(bedId, p);
    }
    // New signals or infusions come only from a device message, handled just now by ingest.
    const a = this.deps.arrival;
    if (a && a.bedId === bedId && (change.signals?.length || change.infusions)) {
      if (a.arrivedAtMs < p.arrivedAtMs) p.arrivedAtMs = a.arrivedAtMs;
      if (a.deviceTsMs < p.deviceTsMs) p.deviceTsMs = a.deviceTsMs;
    }
    if (change.signals) for (const s of change.signals) p.signals.add(s);
    if (change.derived) for (const k of change.derived) p.derived.add(k);
    if (change.devices) p.devices = true;
    if (change.infusions) p.infusions = true;
    if (change.patient) p.patient = true;
    if (change.alarms) p.alarms = true;
    this.bedUpdates.touch(bedId);
  }

  waveform(w: BedWaveform): void {
    const room = waveRoom(w.bedId);
    if (this.hasMembers(room)) this.io.to(room).emit('bed:waveform', w);
  }

  overviewChanged(): void {
    this.overview.touch(OVERVIEW_ROOM);
  }

  alarm(a: Alarm): void {
    this.io.to(bedRoom(a.bedId)).to(OVERVIEW_ROOM).emit('alarm', a);
  }

  event(e: TimelineEvent): void {
    this.io.to(bedRoom(e.bedId)).emit('event', e);
  }

  async close(): Promise<void> {
    clearInterval(this.clock);
    this.bedUpdates.close();
    this.overview.close();
    await new Promise<void>((resolve) => void this.io.close(() => resolve()));
  }

  private onConnection(socket: IoSocket): void {
    if ((socket.handshake.auth as { overview?: unknown } | undefined)?.overview === 'changes') {
      // The whole list now, then only what changes: a ward of many beds is not sent again whole
      // every second for one bed's change.
      void socket.join(OVERVIEW_CHANGES_ROOM);
      const list = this.overviewList(this.deps.now());
      socket.emit('beds', list);
      // The first such connection: what it got is what the next changes are counted from.
      if (!this.overviewSent.size) for (const b of list) this.overviewSent.set(b.bedId, JSON.stringify(b));
    } else void socket.join(OVERVIEW_ROOM);
    socket.on('watch', (req, ack) => {
      const r = watchRequestSchema.safeParse(req);
      if (!r.success) {
        if (typeof ack === 'function') ack({ beds: [], error: r.error.issues[0]?.message ?? 'bad watch request' });
        return;
      }
      const nowMs = this.deps.now();
      const snapshots: BedSnapshot[] = [];
      for (const bedId of r.data.beds) {
        void socket.join(bedRoom(bedId));
        if (r.data.waveforms) void socket.join(waveRoom(bedId));
        const bed = this.deps.beds.get(bedId);
        if (bed) snapshots.push(this.deps.views.snapshot(bed, nowMs, this.seqOf(bedId), r.data.historyS, r.data.signals));
      }
      if (typeof ack === 'function') ack({ beds: snapshots });
    });
    socket.on('unwatch', (req, ack) => {
      const r = watchRequestSchema.safeParse(req);
      const beds = r.success ? r.data.beds : [];
      for (const bedId of beds) {
        void socket.leave(bedRoom(bedId));
        void socket.leave(waveRoom(bedId));
      }
      if (typeof ack === 'function') ack({ beds });
    });
  }

  private flushBed(bedId: string): void {
    const p = this.pending.get(bedId);
    const bed = this.deps.beds.get(bedId);
    this.pending.delete(bedId);
    if (!p || !bed) return;
    const seq = this.seqOf(bedId) + 1;
    this.seq.set(bedId, seq);
    const nowMs = this.deps.now();
    const u = this.deps.views.update(bed, p, nowMs, seq);
    this.sent++;
    this.io.to(bedRoom(bedId)).emit('bed:update', u);
    if (p.arrivedAtMs !== Infinity) this.deps.onEmit?.emitted(p.arrivedAtMs, p.deviceTsMs, nowMs);
  }

  private flushOverview(): void {
    const whole = this.hasMembers(OVERVIEW_ROOM);
    const changes = this.hasMembers(OVERVIEW_CHANGES_ROOM);
    if (!whole && !changes) return;
    const list = this.overviewList(this.deps.now());
    if (whole) this.io.to(OVERVIEW_ROOM).emit('beds', list);
    if (!changes) {
      this.overviewSent.clear(); // nobody takes changes: the next one starts from a whole list
      return;
    }
    // Changes against what was last sent. A connection that joined since then got the whole list
    // then; the changes since the last send include the ones since it joined, and an upsert or a
    // removal applied twice is the same as once.
    const upsert: BedSummary[] = [];
    const seen = new Set<string>();
    for (const s of list) {
      seen.add(s.bedId);
      const text = JSON.stringify(s);
      if (this.overviewSent.get(s.bedId) !== text) {
        upsert.push(s);
        this.overviewSent.set(s.bedId, text);
      }
    }
    const remove: string[] = [];
    for (const id of this.overviewSent.keys()) if (!seen.has(id)) remove.push(id);
    for (const id of remove) this.overviewSent.delete(id);
    if (upsert.length || remove.length) this.io.to(OVERVIEW_CHANGES_ROOM).emit('beds:changes', { upsert, remove });
  }

  private overviewList(nowMs: number): BedSummary[] {
    return this.deps.beds.ids().map((id) => this.deps.views.summary(this.deps.beds.get(id)!, nowMs));
  }

  /**
   * The bed's last update number. It starts at this run's base (the run number × 10⁹), so numbers
   * keep rising across restarts and a client that was connected before sees a gap, never a repeat.
   */
  private seqOf(bedId: string): number {
    return this.seq.get(bedId) ?? this.deps.seqBase ?? 0;
  }

  private hasMembers(room: string): boolean {
    return (this.io.of('/').adapter.rooms.get(room)?.size ?? 0) > 0;
  }
}
