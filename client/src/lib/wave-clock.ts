// The time at the right edge of the scrolling waves: the server-adjusted clock minus a display delay,
// so a chunk is in before its time is drawn. Chunks come whole (0.2 s, 1 s) and late by their own
// length, so the delay follows how old chunks are when they arrive. The edge moves smoothly with the
// frame clock and is pulled gently toward the server clock, whose offset is re-measured with every
// message and would otherwise make the waves jitter.

/** Never less than this behind the server clock. */
export const MIN_DELAY_MS = 500;
/** Never more: a chunk later than this is drawn as it arrives (into the past), not waited for. */
export const MAX_DELAY_MS = 2000;
/** Added to the oldest arrival age seen, for jitter in delivery. */
const DELAY_MARGIN_MS = 150;
/** How many recent chunk ages decide the delay. */
const AGES_KEPT = 8;
/** The edge closes half of its distance to the target in about this time. */
const PULL_MS = 400;
/** Further off than this (start, a tab asleep, a clock change) the edge jumps instead of gliding. */
const SNAP_MS = 1500;

export class WaveClock {
  private edgeMs = NaN;
  private delayMs = MIN_DELAY_MS;
  private readonly ages = new Float64Array(AGES_KEPT);
  private agesSeen = 0;

  get displayDelayMs(): number {
    return this.delayMs;
  }

  /** A chunk arrived `ageMs` after its first sample was taken (by the server-adjusted clock). */
  noteChunk(ageMs: number): void {
    const first = this.agesSeen === 0;
    this.ages[this.agesSeen++ % AGES_KEPT] = ageMs;
    let oldest = 0;
    for (let i = 0; i < Math.min(this.agesSeen, AGES_KEPT); i++) oldest = Math.max(oldest, this.ages[i]);
    this.delayMs = Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, oldest + DELAY_MARGIN_MS));
    // Until the first chunk the delay was a guess: place the edge where it belongs at once.
    if (first) this.edgeMs = NaN;
  }

  /** The right edge for a frame `frameMs` after the previous one, at server time `serverNowMs`. */
  tick(serverNowMs: number, frameMs: number): number {
    const target = serverNowMs - this.delayMs;
    if (!Number.isFinite(this.edgeMs) || Math.abs(target - this.edgeMs) > SNAP_MS) {
      this.edgeMs = target;
      return this.edgeMs;
    }
    const advanced = this.edgeMs + frameMs;
    const pulled = advanced + (target - advanced) * (1 - 0.5 ** (frameMs / PULL_MS));
    // Time on screen never runs backwards: a longer delay is taken up by slowing down, not reversing.
    this.edgeMs = Math.max(this.edgeMs, pulled);
    return this.edgeMs;
  }
}
