// Slows down password guessing: after MAX_FAILURES failed logins for one key (an address, or a
// user name) within WINDOW_MS, further attempts for it are refused until enough of them have aged
// out of the window.

const MAX_FAILURES = 10;
const WINDOW_MS = 60_000;
/** Past this many keys (invented user names, many addresses) the aged-out ones are swept at once. */
const SWEEP_AT_KEYS = 10_000;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  /** Whole seconds until the next attempt for `key` is allowed (0 when it is); forgets what aged out. */
  retryAfterS(key: string, nowMs: number): number {
    const recent = (this.failures.get(key) ?? []).filter((t) => nowMs - t < WINDOW_MS);
    if (recent.length) this.failures.set(key, recent);
    else this.failures.delete(key);
    if (recent.length < MAX_FAILURES) return 0;
    // Allowed again once enough of the window's failures have aged out of it.
    return Math.max(1, Math.ceil((recent[recent.length - MAX_FAILURES] + WINDOW_MS - nowMs) / 1000));
  }

  failed(key: string, nowMs: number): void {
    if (this.failures.size >= SWEEP_AT_KEYS) {
      for (const [k, times] of this.failures) if (nowMs - times[times.length - 1] >= WINDOW_MS) this.failures.delete(k);
    }
    const list = this.failures.get(key) ?? [];
    list.push(nowMs);
    this.failures.set(key, list);
  }

  /** Keys with failures on record (bounded by the sweep). */
  get size(): number {
    return this.failures.size;
  }
}
