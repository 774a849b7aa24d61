// Cost of the windowed statistics per sample at 1, 2 and 10 Hz: each sample into a bed-sized ring
// (RING_CAPACITY), the 60 min mean read once per simulated second and every statistic once per
// simulated 10 s, over 3 h of data, after one warm-up pass. Prints one JSON line: µs per sample by rate. Not part of
// `npm test` (timings are measured here, never asserted).
import { performance } from 'node:perf_hooks';
import { SignalWindows } from '../server/calc/window-stats.js';
import { RING_CAPACITY } from '../server/state/bed.js';
import { TimeRing } from '../server/state/ring.js';

const HOURS = 3;

function run(hz: number): number {
  const ring = new TimeRing(RING_CAPACITY);
  const step = 1000 / hz;
  const total = HOURS * 3600 * hz;
  const t0 = 1_700_000_000_000;
  ring.insert(t0, 50);
  const w = new SignalWindows(ring, { lo: 40, hi: 60 });
  let sink = 0;
  const start = performance.now();
  for (let i = 1; i < total; i++) {
    const t = t0 + Math.round(i * step);
    ring.insert(t, 50 + 10 * Math.sin(i / 500) + (i % 7));
    if (i % hz === 0) sink += w.mean('60m', t).n;
    if (i % (10 * hz) === 0) sink += w.stats(t)['15m'].n;
  }
  const us = ((performance.now() - start) * 1000) / total;
  if (sink < 0) console.log(sink);
  return Math.round(us * 100) / 100;
}

const out: Record<string, number> = {};
for (const hz of [1, 2, 10]) run(hz); // warm-up (JIT), not reported
for (const hz of [1, 2, 10]) out[`${hz}Hz_usPerSample`] = run(hz);
console.log(JSON.stringify(out));
