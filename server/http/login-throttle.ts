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

  failed(ip: string, nowMs: number): void {
    const list = this.failures.get(ip) ?? [];
    list.push(nowMs);
    this.failures.set(ip, list);
  }
}
