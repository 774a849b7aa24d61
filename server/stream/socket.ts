// Streaming to dashboards over Socket.IO: a room per bed (and one for its waveforms) plus an
// overview room. A handshake without a valid token is refused. Updates are coalesced per bed
// (leading edge, at most one per 25 ms); alarms are sent at once; Socket.IO's connection state recovery replays what a briefly
// disconnected client missed, and the per-bed `seq` lets a client detect any other gap.
import { randomUUID } from 'node:crypto';
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
import type { Ended, Session, Sessions } from '../auth/sessions.js';
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

/** A watch asked of the other instances for beds they own: snapshots back, and they now know the rooms are watched here. */
interface PeerWatch {
  from: string;
  rooms: string[];
  beds: string[];
  historyS?: number;
  signals?: string[];
}

/** Between instances (REDIS_URL): server-side events over the Socket.IO Redis adapter. */
interface PeerEvents {
  /** The bed and waveform rooms an instance's sockets are in (every few seconds, and when one is new). */
  interest: (from: string, rooms: string[]) => void;
  /** An instance's own beds for the overview, by its shard index. */
  overview: (shard: number, beds: BedSummary[]) => void;
  watch: (req: PeerWatch, ack: (snapshots: BedSnapshot[]) => void) => void;
  /** A session ended (logout, a user changed or removed) on one instance: the others end it too. */
  ended: (ended: Ended) => void;
}

type IoServer = Server<ClientToServerEvents, ServerToClientEvents, PeerEvents, { user: Session }>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, PeerEvents, { user: Session }>;

/** Instances say which rooms their sockets are in this often; a room not repeated for three times that is dropped. */
const INTEREST_EVERY_MS = 5000;
const INTEREST_TTL_MS = 3 * INTEREST_EVERY_MS;
/** Each instance sends its own beds' overview at least this often (a new instance has the ward within it). */
const PEER_OVERVIEW_EVERY_MS = 2000;
/** An instance not heard for this long (five missed overviews) is lost: its beds are monitored by nobody. */
const PEER_LOST_MS = 10_000;

/** What a stream needs to join other instances (server/cluster/cluster.ts). */
export interface StreamCluster {
  shard: { index: number; count: number };
  /** Whether the link to the other instances (Redis) is up now. */
  readonly connected: boolean;
  owns(bedId: string): boolean;
  adapter(): NonNullable<ConstructorParameters<typeof Server>[1]>['adapter'];
}

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
  /** This process among the instances. */
  private readonly uid = randomUUID();
  /** Rooms other instances' sockets are in, by instance, until when (ms) that holds. */
  private readonly remoteRooms = new Map<string, { rooms: Set<string>; untilMs: number }>();
  /** The other instances' own beds for the overview, by shard index. */
  private readonly peerOverview = new Map<number, BedSummary[]>();
  /** This instance's own overview as last sent to the others (JSON). */
  private ownOverviewSent = '';
  /** When each other shard's instance was last heard (ms); the start stands for those never heard. */
  private readonly peerHeardAtMs = new Map<number, number>();
  private readonly startedAtMs: number;
  /** Closed: nothing more goes to the other instances (the Redis link is closed next). */
  private closed = false;
  private readonly peerTimers: ReturnType<typeof setInterval>[] = [];
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
      /** Instances that split the beds (SHARD with REDIS_URL); unset: this one has every bed. */
      cluster?: StreamCluster | null;
    },
  ) {
    const cluster = deps.cluster ?? null;
    this.startedAtMs = deps.now();
    this.io = new Server(http, {
      serveClient: false,
      // With the Redis adapter a session is kept by the instance that held it: a dashboard that
      // comes back there (sticky sessions) gets what it missed; elsewhere it watches again and takes
      // snapshots, as after any gap in `seq`.
      connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
      maxHttpBufferSize: 64 * 1024,
      ...(cluster ? { adapter: cluster.adapter() } : {}),
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
    // An ended session (logout, a changed or removed user) loses its live connections at once, on
    // every instance.
    deps.sessions.onEnded((ended, fromPeer) => {
      for (const s of this.io.of('/').sockets.values()) {
        const u = s.data.user;
        if ('jti' in ended ? u.jti === ended.jti : u.username === ended.username) s.disconnect(true);
      }
      if (!fromPeer && this.peersReachable()) this.io.serverSideEmit('ended', ended);
    });
    if (cluster) this.joinPeers(cluster);
    this.bedUpdates = new Coalescer(UPDATE_INTERVAL_MS, (bedId) => this.flushBed(bedId));
    this.overview = new Coalescer(OVERVIEW_INTERVAL_MS, () => this.flushOverview());
    // Volatile: a clock is worth nothing later, so connection state recovery does not replay it.
    this.clock = setInterval(() => this.io.local.volatile.emit('clock', { serverNow: deps.now() }), CLOCK_INTERVAL_MS);
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
    if (!this.closed && this.hasMembers(room)) this.beds().to(room).emit('bed:waveform', w);
  }

  overviewChanged(): void {
    this.overview.touch(OVERVIEW_ROOM);
  }

  alarm(a: Alarm): void {
    if (this.closed) return;
    this.beds().to(bedRoom(a.bedId)).to(OVERVIEW_ROOM).to(OVERVIEW_CHANGES_ROOM).emit('alarm', a);
  }

  event(e: TimelineEvent): void {
    if (this.closed) return;
    this.beds().to(bedRoom(e.bedId)).emit('event', e);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.clock);
    for (const t of this.peerTimers) clearInterval(t);
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
      const w = r.data;
      const rooms: string[] = [];
      for (const bedId of w.beds) {
        rooms.push(bedRoom(bedId));
        if (w.waveforms) rooms.push(waveRoom(bedId));
      }
      void socket.join(rooms);
      const snapshots = this.snapshots(w.beds, w.historyS, w.signals);
      const cluster = this.deps.cluster;
      const elsewhere = cluster ? w.beds.filter((b) => !cluster.owns(b)) : [];
      // Redis away: the other instances' beds have no snapshot now (asking would wait for Redis).
      if (!elsewhere.length || !this.peersReachable()) {
        if (typeof ack === 'function') ack({ beds: snapshots });
        return;
      }
      // Beds of other instances: their owners learn that these rooms are watched here (so they emit
      // to them) and answer their snapshots, numbered in their own `seq`.
      const ask: PeerWatch = {
        from: this.uid,
        rooms: rooms.filter((room) => elsewhere.some((b) => room.endsWith(`:${b}`))),
        beds: elsewhere,
        historyS: w.historyS,
        signals: w.signals,
      };
      this.io.serverSideEmit('watch', ask, (err: Error | null, answers: BedSnapshot[][]) => {
        // An instance that did not answer in time (err) leaves its beds without a snapshot: their
        // next update (or the dashboard's gap check) brings them.
        for (const a of answers ?? []) if (Array.isArray(a)) snapshots.push(...a);
        if (typeof ack === 'function') ack({ beds: snapshots });
      });
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
    if (!p || !bed || this.closed) return;
    const seq = this.seqOf(bedId) + 1;
    this.seq.set(bedId, seq);
    const nowMs = this.deps.now();
    const u = this.deps.views.update(bed, p, nowMs, seq);
    this.sent++;
    this.beds().to(bedRoom(bedId)).emit('bed:update', u);
    if (p.arrivedAtMs !== Infinity) this.deps.onEmit?.emitted(p.arrivedAtMs, p.deviceTsMs, nowMs);
  }

  private flushOverview(): void {
    // Lists go to this instance's sockets alone (`local`): each instance sends its own the whole ward.
    const whole = this.localMembers(OVERVIEW_ROOM);
    const changes = this.localMembers(OVERVIEW_CHANGES_ROOM);
    if (!whole && !changes && !this.deps.cluster) return;
    const nowMs = this.deps.now();
    // This instance's own beds, summarised once for the other instances and for its own sockets.
    const own = this.ownOverview(nowMs);
    if (this.deps.cluster) this.sendOwnOverview(own, true);
    if (!whole && !changes) return;
    const list = this.overviewList(nowMs, own);
    if (whole) this.io.local.to(OVERVIEW_ROOM).emit('beds', list);
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
    if (upsert.length || remove.length) this.io.local.to(OVERVIEW_CHANGES_ROOM).emit('beds:changes', { upsert, remove });
  }

  /** The ward's overview: this instance's beds, then each other instance's as it last sent them. */
  overviewList(nowMs: number, own = this.ownOverview(nowMs)): BedSummary[] {
    if (!this.peerOverview.size) return own;
    const all = [...own];
    for (const [index, list] of this.peerOverview) {
      if (index === this.deps.cluster?.shard.index) continue;
      // The last word of an instance no longer heard: its devices' data reaches nobody now.
      if (this.peerLost(index, nowMs)) {
        for (const s of list) all.push({ ...s, devices: Object.fromEntries(Object.keys(s.devices).map((d) => [d, 'stale' as const])) });
      } else all.push(...list);
    }
    return all.sort((a, b) => (a.bedId < b.bedId ? -1 : a.bedId > b.bedId ? 1 : 0));
  }

  private ownOverview(nowMs: number): BedSummary[] {
    return this.deps.beds.ids().map((id) => this.deps.views.summary(this.deps.beds.get(id)!, nowMs));
  }

  private snapshots(bedIds: readonly string[], historyS: number | undefined, signals: readonly string[] | undefined): BedSnapshot[] {
    const nowMs = this.deps.now();
    const out: BedSnapshot[] = [];
    for (const bedId of bedIds) {
      const bed = this.deps.beds.get(bedId);
      if (bed) out.push(this.deps.views.snapshot(bed, nowMs, this.seqOf(bedId), historyS, signals));
    }
    return out;
  }

  // ---- between instances (REDIS_URL) -----------------------------------------------------------

  private joinPeers(cluster: StreamCluster): void {
    this.io.on('interest', (from, rooms) => this.noteInterest(from, rooms));
    this.io.on('watch', (req, ack) => {
      this.noteInterest(req.from, req.rooms, true);
      ack(
        this.snapshots(
          req.beds.filter((b) => cluster.owns(b)),
          req.historyS,
          req.signals,
        ),
      );
    });
    this.io.on('overview', (index, list) => {
      if (index === cluster.shard.index || !Array.isArray(list)) return;
      this.peerOverview.set(index, list);
      this.peerHeardAtMs.set(index, this.deps.now());
      this.overview.touch(OVERVIEW_ROOM);
    });
    this.io.on('ended', (ended) => this.deps.sessions.endedElsewhere(ended));
    // A room that a socket here joins for the first time is told at once (a watch of another
    // instance's bed also tells its owner in the request); all of them every few seconds.
    this.io.of('/').adapter.on('join-room', (room: string) => {
      if ((room.startsWith('bed:') || room.startsWith('wave:')) && this.io.of('/').adapter.rooms.get(room)?.size === 1) {
        if (this.peersReachable()) this.io.serverSideEmit('interest', this.uid, [room]);
      }
    });
    this.peerTimers.push(
      setInterval(() => {
        if (this.peersReachable()) this.io.serverSideEmit('interest', this.uid, this.watchedRooms());
      }, INTEREST_EVERY_MS),
      setInterval(() => this.sendOwnOverview(), PEER_OVERVIEW_EVERY_MS),
    );
    for (const t of this.peerTimers) t.unref();
    this.sendOwnOverview();
  }

  /**
   * Rooms some other instance's sockets are in. `add`: these rooms besides what it said before
   * (a new watch); otherwise its whole list now.
   */
  private noteInterest(from: string, rooms: unknown, add = false): void {
    if (from === this.uid || !Array.isArray(rooms)) return;
    const untilMs = this.deps.now() + INTEREST_TTL_MS;
    const known = this.remoteRooms.get(from);
    const set = add && known ? known.rooms : new Set<string>();
    for (const room of rooms) if (typeof room === 'string') set.add(room);
    this.remoteRooms.set(from, { rooms: set, untilMs });
  }

  /**
   * The other instances not heard for 10 s (counted from this one's start for those never heard),
   * in words with their beds; null when every shard is heard.
   */
  lostPeers(nowMs: number): string | null {
    const cluster = this.deps.cluster;
    if (!cluster) return null;
    const lost: string[] = [];
    for (let i = 0; i < cluster.shard.count; i++) {
      if (i === cluster.shard.index || !this.peerLost(i, nowMs)) continue;
      const beds = (this.peerOverview.get(i) ?? []).map((b) => b.bedId);
      const named = beds.length > 8 ? `${beds.slice(0, 8).join(', ')} and ${beds.length - 8} more` : beds.join(', ');
      lost.push(`shard ${i}/${cluster.shard.count}${named ? `: ${named}` : ''}`);
    }
    return lost.length ? lost.join('; ') : null;
  }

  private peerLost(index: number, nowMs: number): boolean {
    return nowMs - (this.peerHeardAtMs.get(index) ?? this.startedAtMs) > PEER_LOST_MS;
  }

  private watchedRooms(): string[] {
    const out: string[] = [];
    for (const [room, members] of this.io.of('/').adapter.rooms) {
      if (members.size && (room.startsWith('bed:') || room.startsWith('wave:'))) out.push(room);
    }
    return out;
  }

  /**
   * This instance's beds to the others: every 2 s whatever (a new or restarted instance has them
   * within that, and silence means this one is gone), and at a flush only when they changed (a flush
   * that another instance's list caused would otherwise send this one's back, and so on for ever).
   */
  private sendOwnOverview(own = this.ownOverview(this.deps.now()), onlyIfChanged = false): void {
    const cluster = this.deps.cluster;
    if (!cluster || !this.peersReachable()) return;
    const text = JSON.stringify(own);
    if (onlyIfChanged && text === this.ownOverviewSent) return;
    this.ownOverviewSent = text;
    this.io.serverSideEmit('overview', cluster.shard.index, own);
  }

  /**
   * The bed's last update number. It starts at this run's base (the run number × 10⁹), so numbers
   * keep rising across restarts and a client that was connected before sees a gap, never a repeat.
   */
  private seqOf(bedId: string): number {
    return this.seq.get(bedId) ?? this.deps.seqBase ?? 0;
  }

  /**
   * Where what this instance's beds do goes: every instance's sockets when the beds are split
   * (each bed has one owner), this instance's own when each instance has every bed (an unsharded
   * pair joined through Redis would otherwise send each update twice) or while Redis is away.
   */
  private beds() {
    return this.deps.cluster && this.deps.cluster.shard.count > 1 && this.peersReachable() ? this.io : this.io.local;
  }

  /**
   * Whether anything may go to the other instances now. While Redis is away nothing is handed to its
   * client: its queue would hold every update of the outage in memory (and deliver them late).
   */
  private peersReachable(): boolean {
    return !this.closed && this.deps.cluster !== null && this.deps.cluster !== undefined && this.deps.cluster.connected;
  }

  /** Whether a socket of any instance is in the room (an emit to it reaches them all). */
  private hasMembers(room: string): boolean {
    if (this.localMembers(room)) return true;
    if (!this.remoteRooms.size) return false;
    const nowMs = this.deps.now();
    for (const [from, r] of this.remoteRooms) {
      if (r.untilMs < nowMs) this.remoteRooms.delete(from);
      else if (r.rooms.has(room)) return true;
    }
    return false;
  }

  private localMembers(room: string): boolean {
    return (this.io.of('/').adapter.rooms.get(room)?.size ?? 0) > 0;
  }
}
