// Leading-edge coalescing (docs/interface.md, bed:update): the first change after a quiet interval is sent
// at once; changes inside the interval are merged and sent when it ends. At most one flush per key
// per interval, and a lone change never waits.

export class Coalescer<K> {
  private readonly last = new Map<K, number>();
  private readonly timers = new Map<K, NodeJS.Timeout>();

  constructor(
    private readonly intervalMs: number,
    private readonly flush: (key: K) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  touch(key: K): void {
    if (this.timers.has(key)) return; // already scheduled: this change rides along
    const t = this.now();
    const since = t - (this.last.get(key) ?? -Infinity);
    if (since >= this.intervalMs) {
      this.last.set(key, t);
      this.flush(key);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.last.set(key, this.now());
      this.flush(key);
    }, this.intervalMs - since);
    timer.unref?.();
    this.timers.set(key, timer);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
