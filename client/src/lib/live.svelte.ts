// The live connection: one Socket.IO client, the overview list, and the newest state of each
// watched bed. Charts subscribe to raw updates and keep their own columns outside reactive state.
import { io, type Socket } from 'socket.io-client';
import type {
  Alarm,
  BedSnapshot,
  BedSummary,
  BedUpdate,
  BedWaveform,
  ClientToServerEvents,
  DerivedValue,
  DeviceState,
  Infusion,
  LatestValue,
  ServerToClientEvents,
  TimelineEvent,
} from '../../../shared/protocol.js';
import type { Patient } from '../../../shared/schemas.js';
import { applyOverviewChanges } from './ward-view.js';

export interface BedLive {
  bedId: string;
  patient: Patient | null;
  latest: Record<string, LatestValue>;
  derived: Record<string, DerivedValue>;
  devices: Record<string, DeviceState>;
  infusions: Infusion[];
  seq: number;
}

interface WatchOptions {
  historyS?: number;
  signals?: string[];
  waveforms?: boolean;
}

type UpdateListener = (u: BedUpdate) => void;
type SnapshotListener = (s: BedSnapshot) => void;
type WaveListener = (w: BedWaveform) => void;
type AlarmListener = (a: Alarm) => void;
type TimelineListener = (e: TimelineEvent) => void;
type ConnectListener = () => void;

/** No message at all for this long while connected: the link is stale (data not live). */
const LINK_STALE_MS = 5000;
const TICK_MS = 1000;

class Live {
  connected = $state(false);
  everConnected = $state(false);
  error = $state<string | null>(null);
  /** Server-adjusted clock, ticking once a second: ages on screen are measured against it. */
  now = $state(Date.now());
  lastMessageAt = $state(0);
  overview = $state<BedSummary[]>([]);
  beds = $state<Record<string, BedLive>>({});

  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private offsetMs = 0;
  /** Watched beds with the number of views watching each (the overview and a bed page may overlap). */
  private readonly watched = new Map<string, { count: number; opts: WatchOptions }>();
  private readonly updateListeners = new Set<UpdateListener>();
  private readonly snapshotListeners = new Set<SnapshotListener>();
  private readonly waveListeners = new Set<WaveListener>();
  private readonly alarmListeners = new Set<AlarmListener>();
  private readonly timelineListeners = new Set<TimelineListener>();
  private readonly connectListeners = new Set<ConnectListener>();
  private ticker: ReturnType<typeof setInterval> | null = null;
  /** The newest snapshot of each bed (plain, not reactive): a chart mounted later starts from it. */
  private readonly snapshots = new Map<string, BedSnapshot>();

  /**
   * True when the link is up and has carried something recently (the server's clock arrives every
   * second). Reading it inside a component re-evaluates it with each tick of `now`.
   */
  get linkLive(): boolean {
    void this.now;
    return this.connected && Date.now() - this.lastMessageAt < LINK_STALE_MS;
  }

  /** The server-adjusted clock to the millisecond (`now` ticks once a second): the live waves scroll with it. */
  serverNowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** The link was up once and is not now: nothing on screen is live (the banner, grey computed values). */
  get linkLost(): boolean {
    return this.everConnected && !this.linkLive;
  }

  /**
   * The dashboard's own alarm (docs/clinical.md section 4: a secondary display raises one when its
   * link is lost or stale): the link was up and is not now, or it never came up and says why.
   */
  get linkAlarm(): boolean {
    return this.linkLost || (!this.everConnected && this.error !== null);
  }

  /** Something arrived from the server; with its clock, the offset that ages on screen are measured by. */
  private heard(serverNow?: number): void {
    this.lastMessageAt = Date.now();
    if (serverNow !== undefined) this.offsetMs = serverNow - Date.now();
  }

  connect(token: string): void {
    this.disconnect();
    // The overview as changes after one whole list: a big ward is not sent whole every second.
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      auth: { token, overview: 'changes' },
      transports: ['websocket'],
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.connected = true;
      this.everConnected = true;
      this.error = null;
      this.heard();
      // After any reconnection ask again for snapshots: the server only assembles updates for beds
      // somebody watches, so even a recovered session may have missed changes; the snapshot's
      // history refills the charts.
      for (const [bedId, w] of this.watched) this.requestSnapshot(bedId, w.opts);
      for (const l of this.connectListeners) l();
    });
    socket.on('disconnect', () => {
      this.connected = false;
    });
    socket.on('connect_error', (err) => {
      this.connected = false;
      this.error = err.message;
    });
    socket.on('beds', (list) => {
      this.heard();
      this.overview = list;
    });
    socket.on('beds:changes', (c) => {
      this.heard();
      this.overview = applyOverviewChanges(this.overview, c);
    });
    socket.on('clock', (c) => this.heard(c.serverNow));
    socket.on('bed:update', (u) => this.handleUpdate(u));
    socket.on('alarm', (a) => {
      this.heard();
      for (const l of this.alarmListeners) l(a);
    });
    socket.on('event', (e) => {
      this.heard();
      for (const l of this.timelineListeners) l(e);
    });
    socket.on('bed:waveform', (w) => {
      this.heard();
      for (const l of this.waveListeners) l(w);
    });
    this.ticker = setInterval(() => (this.now = Date.now() + this.offsetMs), TICK_MS);
  }

  disconnect(): void {
    this.socket?.disconnect();
    this.socket = null;
    if (this.ticker) clearInterval(this.ticker);
    this.connected = false;
  }

  setOverview(list: BedSummary[]): void {
    this.overview = list;
  }

  /** Starts watching beds; resolves with their snapshots. */
  watch(bedIds: string[], opts: WatchOptions = {}): Promise<BedSnapshot[]> {
    for (const id of bedIds) {
      const w = this.watched.get(id);
      if (!w) this.watched.set(id, { count: 1, opts });
      else {
        w.count++;
        w.opts = { ...w.opts, waveforms: w.opts.waveforms || opts.waveforms };
      }
    }
    return this.emitWatch(bedIds, opts);
  }

  unwatch(bedIds: string[]): void {
    const gone: string[] = [];
    for (const id of bedIds) {
      const w = this.watched.get(id);
      if (!w) continue;
      if (--w.count <= 0) {
        this.watched.delete(id);
        this.snapshots.delete(id);
        gone.push(id);
      }
    }
    if (gone.length) this.socket?.emit('unwatch', { beds: gone });
  }

  snapshotOf(bedId: string): BedSnapshot | undefined {
    return this.snapshots.get(bedId);
  }

  onUpdate(l: UpdateListener): () => void {
    this.updateListeners.add(l);
    return () => this.updateListeners.delete(l);
  }

  onSnapshot(l: SnapshotListener): () => void {
    this.snapshotListeners.add(l);
    return () => this.snapshotListeners.delete(l);
  }

  onWaveform(l: WaveListener): () => void {
    this.waveListeners.add(l);
    return () => this.waveListeners.delete(l);
  }

  /** Every `alarm` event (any bed's, and the ward's), as the server sends it. */
  onAlarm(l: AlarmListener): () => void {
    this.alarmListeners.add(l);
    return () => this.alarmListeners.delete(l);
  }

  /** Every timeline `event` of a watched bed (entered, detected, confirmed, moved or dismissed). */
  onTimelineEvent(l: TimelineListener): () => void {
    this.timelineListeners.add(l);
    return () => this.timelineListeners.delete(l);
  }

  /** Each connection, the first after login and every reconnection: what may have been missed must be read again. */
  onConnect(l: ConnectListener): () => void {
    this.connectListeners.add(l);
    return () => this.connectListeners.delete(l);
  }

  private requestSnapshot(bedId: string, opts: WatchOptions): void {
    void this.emitWatch([bedId], opts);
  }

  private emitWatch(bedIds: string[], opts: WatchOptions): Promise<BedSnapshot[]> {
    const socket = this.socket;
    if (!socket || !bedIds.length) return Promise.resolve([]);
    return new Promise((resolve) => {
      socket.emit('watch', { beds: bedIds, ...opts }, (answer) => {
        for (const s of answer.beds ?? []) this.applySnapshot(s);
        resolve(answer.beds ?? []);
      });
    });
  }

  private applySnapshot(s: BedSnapshot): void {
    this.snapshots.set(s.bedId, s);
    this.heard(s.serverNow);
    this.now = s.serverNow;
    this.beds[s.bedId] = {
      bedId: s.bedId,
      patient: s.patient,
      latest: s.latest,
      derived: s.derived,
      devices: s.devices,
      infusions: s.infusions,
      seq: s.seq,
    };
    for (const l of this.snapshotListeners) l(s);
  }

  private handleUpdate(u: BedUpdate): void {
    this.heard(u.serverNow);
    const bed = this.beds[u.bedId];
    if (!bed) {
      this.beds[u.bedId] = {
        bedId: u.bedId,
        patient: u.patient ?? null,
        latest: u.latest,
        derived: u.derived,
        devices: u.devices ?? {},
        infusions: u.infusions ?? [],
        seq: u.seq,
      };
    } else {
      if (u.seq !== bed.seq + 1 && this.watched.has(u.bedId)) {
        // A gap: something was missed. Merge what came and ask for a fresh snapshot.
        this.requestSnapshot(u.bedId, this.watched.get(u.bedId)!.opts);
      }
      bed.seq = u.seq;
      Object.assign(bed.latest, u.latest);
      Object.assign(bed.derived, u.derived);
      if (u.devices) bed.devices = u.devices;
      if (u.infusions) bed.infusions = u.infusions;
      if (u.patient !== undefined) bed.patient = u.patient;
    }
    for (const l of this.updateListeners) l(u);
  }
}

export const live = new Live();
