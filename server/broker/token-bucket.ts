// A token bucket: `perS` publishes a second on average, up to `burst` at once. Pure: every call
// takes the time (milliseconds on a monotonic clock) as an argument.

export interface Rate {
  /** Tokens added a second (the sustained rate). */
  perS: number;
  /** Capacity: how many may come at once after a quiet spell. */
  burst: number;
}

/** Without a burst given (`MQTT_RATE_PER_CLIENT=50`), this many seconds of the rate may come at once. */
const DEFAULT_BURST_S = 4;
/** Floating-point slack: a sender at exactly the rate is never refused by a rounding error. */
const EPSILON = 1e-9;

/**
 * `RATE/BURST` (`50/200`), `RATE` (burst of four seconds' worth) or `off` / `0` (no limit: null).
 * Publishes a second, fractions allowed (`0.5/10`).
 * Undefined for anything else.
 */
export function parseRate(text: string): Rate | null | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === '0') return null;
  const m = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(t);
  if (!m) return undefined;
  const perS = Number(m[1]);
  if (perS === 0) return null;
  const burst = m[2] !== undefined ? Number(m[2]) : Math.max(1, Math.ceil(perS * DEFAULT_BURST_S));
  if (!Number.isFinite(perS) || !Number.isSafeInteger(burst) || burst < 1) return undefined;
  return { perS, burst };
}

export function formatRate(rate: Rate | null): string {
  return rate ? `${rate.perS}/${rate.burst}` : 'off';
}

export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly rate: Rate,
    nowMs: number,
  ) {
    this.tokens = rate.burst;
    this.at = nowMs;
  }

  private refill(nowMs: number): void {
    // A clock that steps back adds nothing (and takes nothing away).
    if (nowMs <= this.at) return;
    this.tokens = Math.min(this.rate.burst, this.tokens + ((nowMs - this.at) * this.rate.perS) / 1000);
    this.at = nowMs;
  }

  /** Takes one token if there is one. */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1 - EPSILON) return false;
    this.tokens = Math.max(0, this.tokens - 1);
    return true;
  }

  /** Gives back a token taken for a publish that another limit then refused. */
  giveBack(): void {
    this.tokens = Math.min(this.rate.burst, this.tokens + 1);
  }

  /** Full again: it behaves exactly as a new bucket would, so it can be forgotten. */
  full(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= this.rate.burst - EPSILON;
  }
}
