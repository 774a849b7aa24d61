// Event-loop lag as health sees it: Node's delay histogram, read as the p99 of the last completed
// 10 s interval (a single slow moment long ago does not keep the server "degraded").
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

const WINDOW_MS = 10_000;
const RESOLUTION_MS = 20;

export class EventLoopLag {
  private readonly h: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private last = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor() {
    this.h.enable();
    this.timer = setInterval(() => {
      this.last = this.h.count ? this.h.percentile(99) / 1e6 : 0;
      this.h.reset();
    }, WINDOW_MS);
    this.timer.unref();
  }

  /** p99 of the event loop's delay over the last completed interval, ms. */
  p99Ms(): number {
    return this.last;
  }

  stop(): void {
    clearInterval(this.timer);
    this.h.disable();
  }
}
