// Streaming to dashboards over Socket.IO: a room per bed (and one for its waveforms) plus an
// overview room. A handshake without a valid token is refused. Updates are coalesced per bed
// (leading edge, at most one per 25 ms); alarms are sent at once; Socket.IO's connection state recovery replays what a briefly
// disconnected client missed, and the per-bed `seq` lets a client detect any other gap.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { BedSnapshot, BedWaveform, ClientToServerEvents, ServerToClientEvents, TimelineEvent, Alarm } from '../../shared/protocol.js';
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
const bedRoom = (bedId: string) => `bed:${bedId}`;
const waveRoom = (bedId: string) => `wave:${bedId}`;

type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { user: Session }>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { user: Session }>;

export class Stream implements StreamSink {
  readonly io: IoServer;
  private readonly pending = new Map<string, PendingChange>();
  /** Per-bed sequence of the updates sent: a client that sees a gap asks for a snapshot again. */
  private readonly seq = new Map<string, number>();
  private readonly bedUpdates: Coalescer<string>;
  private readonly overview: Coalescer<string>;
  private readonly clock: ReturnType<typeof setInterval>;
  /** Updates sent since start (for /metrics). */
  sent = 0;

  constructor(
    http: HttpServer,
    private readonly deps: { sessions: Sessions; beds: Beds; views: Views; now: () => number; seqBase?: number },
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
      p = { signals: new Set(), derived: new Set(), devices: false, infusions: false, patient: false, alarms: false };
      this.pending.set(bedId, p);
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
    void socket.join(OVERVIEW_ROOM);
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
    const u = this.deps.views.update(bed, p, this.deps.now(), seq);
    this.sent++;
    this.io.to(bedRoom(bedId)).emit('bed:update', u);
  }

  private flushOverview(): void {
    if (!this.hasMembers(OVERVIEW_ROOM)) return;
    const nowMs = this.deps.now();
    const list = this.deps.beds.ids().map((id) => this.deps.views.summary(this.deps.beds.get(id)!, nowMs));
    this.io.to(OVERVIEW_ROOM).emit('beds', list);
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
