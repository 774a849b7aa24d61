// Slows down password guessing: after MAX_FAILURES failed logins from one address within
// WINDOW_MS, further attempts from it are refused until the window has passed.

const MAX_FAILURES = 10;
const WINDOW_MS = 60_000;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  allowed(ip: string, nowMs: number): boolean {
    const recent = (this.failures.get(ip) ?? []).filter((t) => nowMs - t < WINDOW_MS);
    if (recent.length) this.failures.set(ip, recent);
    else this.failures.delete(ip);
    return recent.length < MAX_FAILURES;
  }

  /** Whole seconds until the next attempt from `ip` is allowed (0 when it is). */
  retryAfterS(ip: string, nowMs: number): number {
    const recent = (this.failures.get(ip) ?? []).filter((t) => nowMs - t < WINDOW_MS);
    if (recent.length < MAX_FAILURES) return 0;
    // Allowed again once enough of the window's failures have aged out of it.
    return Math.max(1, Math.ceil((recent[recent.length - MAX_FAILURES] + WINDOW_MS - nowMs) / 1000));
  }

  failed(ip: string, nowMs: number): void {
    const list = this.failures.get(ip) ?? [];
    list.push(nowMs);
    this.failures.set(ip, list);
  }
}
