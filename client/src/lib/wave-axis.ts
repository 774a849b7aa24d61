// Time labels under a scrolling wave. uPlot asks for them every frame; each second's label is made
// once and reused while that second scrolls by, and the same array is handed back each time, so
// drawing a frame makes no new strings.
import { clock24 } from './clock.js';

export class TimeTickLabels {
  private readonly out: string[] = [];
  private readonly made = new Map<number, string>();
  private readonly keep: number;

  /** Keeps at most `keep` labels (a few windows' worth of ticks) before starting over. */
  constructor(keep: number) {
    this.keep = keep;
  }

  /** "HH:MM:SS" for each tick (seconds since the epoch); blank ones where the axis shows no labels. */
  labels(splitsS: readonly number[], show = true): string[] {
    const out = this.out;
    out.length = splitsS.length;
    for (let i = 0; i < splitsS.length; i++) out[i] = show ? this.labelOf(splitsS[i]) : '';
    return out;
  }

  private labelOf(s: number): string {
    let label = this.made.get(s);
    if (label === undefined) {
      if (this.made.size >= this.keep) this.made.clear();
      label = clock24(s * 1000, true);
      this.made.set(s, label);
    }
    return label;
  }
}
