import { describe, expect, it } from 'vitest';
import { MAX_DELAY_MS, MIN_DELAY_MS, WaveClock } from './wave-clock.js';

const NOW = 1_700_000_000_000;
const FRAME = 1000 / 60;

/** Runs `frames` frames with the server clock advancing by one frame each; the edges drawn. */
function run(c: WaveClock, from: number, frames: number, serverAt = (t: number) => t): number[] {
  const edges: number[] = [];
  for (let i = 1; i <= frames; i++) edges.push(c.tick(serverAt(from + i * FRAME), FRAME));
  return edges;
}

describe('the scrolling waves’ clock', () => {
  it('draws half a second behind the server clock for short chunks', () => {
    const c = new WaveClock();
    c.noteChunk(210);
    expect(c.displayDelayMs).toBe(MIN_DELAY_MS);
    expect(c.tick(NOW, FRAME)).toBe(NOW - MIN_DELAY_MS);
  });

  it('waits for whole-second chunks: the delay covers the oldest arrival age seen, with a margin, up to a limit', () => {
    const c = new WaveClock();
    c.noteChunk(1020);
    expect(c.displayDelayMs).toBeGreaterThan(1020);
    expect(c.displayDelayMs).toBeLessThan(1300);
    c.noteChunk(60_000);
    expect(c.displayDelayMs).toBe(MAX_DELAY_MS);
    for (let i = 0; i < 8; i++) c.noteChunk(200);
    expect(c.displayDelayMs).toBe(MIN_DELAY_MS);
  });

  it('moves by exactly one frame per frame when the server clock does', () => {
    const c = new WaveClock();
    c.noteChunk(200);
    c.tick(NOW, FRAME);
    const edges = run(c, NOW, 120);
    for (let i = 1; i < edges.length; i++) expect(edges[i] - edges[i - 1]).toBeCloseTo(FRAME, 3);
  });

  it('smooths the server clock’s re-measured offset: a 20 ms step is taken up over many frames', () => {
    const c = new WaveClock();
    c.noteChunk(200);
    c.tick(NOW, FRAME);
    const edges = run(c, NOW, 120, (t) => t + 20);
    const steps = edges.map((e, i) => e - (i ? edges[i - 1] : NOW - MIN_DELAY_MS));
    expect(Math.max(...steps) - FRAME).toBeLessThan(1);
    // caught up within a millisecond after two seconds
    expect(Math.abs(edges.at(-1)! - (NOW + 120 * FRAME + 20 - MIN_DELAY_MS))).toBeLessThan(1);
  });

  it('never runs backwards, and jumps when far off (start, a sleeping tab)', () => {
    const c = new WaveClock();
    c.noteChunk(200);
    c.tick(NOW, FRAME);
    const edges = run(c, NOW, 60, (t) => t - 300);
    for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThanOrEqual(edges[i - 1]);
    expect(c.tick(NOW + 60_000, 60_000)).toBe(NOW + 60_000 - MIN_DELAY_MS);
  });
});
