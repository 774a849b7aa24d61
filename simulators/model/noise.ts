// Slow drift of a measured value around its physiological value: an Ornstein–Uhlenbeck process
// (mean-reverting random walk), so numbers wander like a real patient's instead of jittering.
import type { Random } from '../random.js';

export class Drift {
  private value = 0;

  /** sd: typical size of the wander; tauS: how long a wander lasts. */
  constructor(
    private readonly random: Random,
    private readonly sd: number,
    private readonly tauS: number,
  ) {}

  step(dtS: number): number {
    const decay = Math.exp(-dtS / this.tauS);
    this.value = this.value * decay + this.sd * Math.sqrt(1 - decay * decay) * this.random.normal();
    return this.value;
  }

  get current(): number {
    return this.value;
  }
}

/** Rounds to a number of decimals (catalogue precision). */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
