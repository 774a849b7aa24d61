// Notices when this instance's MQTT session keeps being taken from it. MQTT 3.1.1 does not say why a
// broker closes a connection; but a broker that closes it again and again within seconds of each
// connect is, in practice, another client connecting with the same client id (two instances with the
// same INSTANCE_ID: each takes the session from the other, in a loop, each seeing half the data).
// Pure: the caller reports connects and closes with their times.

/** A close this soon after its connect counts as a quick drop. */
const QUICK_MS = 5_000;
/** This many quick drops within WINDOW_MS mean the session is contested. */
const QUICK_DROPS = 3;
const WINDOW_MS = 60_000;
/** A connection that holds this long ends the suspicion. */
const STABLE_MS = 30_000;

export class SessionWatch {
  private connectedAt: number | null = null;
  private drops: number[] = [];
  private contested = false;

  connected(atMs: number): void {
    this.connectedAt = atMs;
  }

  /** A close not asked for; true when this one made the session count as contested. */
  closed(atMs: number): boolean {
    const since = this.connectedAt;
    this.connectedAt = null;
    if (since === null || atMs - since >= QUICK_MS) return false;
    this.drops.push(atMs);
    this.drops = this.drops.filter((t) => atMs - t < WINDOW_MS);
    if (this.contested || this.drops.length < QUICK_DROPS) return false;
    this.contested = true;
    return true;
  }

  /** Whether the session is contested now; a connection that has held STABLE_MS clears it. */
  isContested(nowMs: number): boolean {
    if (this.contested && this.connectedAt !== null && nowMs - this.connectedAt >= STABLE_MS) {
      this.contested = false;
      this.drops = [];
    }
    return this.contested;
  }
}
