import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowEventDetector, ZERO_FOR_DECANNULATION_MS } from './flow-events.js';

const T = Date.parse('2026-11-20T10:00:00Z');
const s = (n: number) => T + n * 1000;

function run(samples: [number, number | null][], target: number | null = 1.6) {
  const d = new FlowEventDetector();
  return samples.flatMap(([sec, flow]) => d.sample(s(sec), flow, target));
}

describe('device-detected flow events', () => {
  it('detects a flow start after at least 60 s at zero, then the target reached', () => {
    const samples: [number, number][] = [];
    for (let i = 0; i <= 70; i++) samples.push([i, 0]);
    samples.push([71, 0.4], [72, 1.0], [73, 1.7], [74, 1.8]);
    const events = run(samples);
    expect(events.map((e) => [e.type, e.ts])).toEqual([
      ['ecmo_flow_start', s(71)],
      ['target_flow_reached', s(73)],
    ]);
    expect(events[0].note).toBe('flow 0.4 L/min after 71 s at zero');
  });

  it('says how long flow was at zero in minutes, or hours and minutes, past two minutes', () => {
    const note = (zeroS: number) =>
      run([
        [0, 0],
        [zeroS, 0.5],
      ])[0].note;
    expect(note(600)).toBe('flow 0.5 L/min after 10 min at zero');
    expect(note(22 * 3600 + 5 * 60)).toBe('flow 0.5 L/min after 22 h 5 min at zero');
  });

  it('does not take a rise after less than 60 s at zero for a start', () => {
    const samples: [number, number][] = [];
    for (let i = 0; i < 59; i++) samples.push([i, 0]);
    samples.push([59, 0.5]);
    expect(run(samples)).toEqual([]);
  });

  it('does not call a bed that was already running when monitoring began a start', () => {
    expect(
      run([
        [0, 2.0],
        [1, 2.1],
        [2, 2.0],
      ]),
    ).toEqual([]);
  });

  it('detects a decannulation, dated when flow reached zero, only after it stayed there for the hold', () => {
    const d = new FlowEventDetector();
    d.sample(s(0), 2.0, 1.6);
    expect(d.sample(s(10), 0, 1.6)).toEqual([]);
    expect(d.sample(s(10) + ZERO_FOR_DECANNULATION_MS - 1000, 0, 1.6)).toEqual([]);
    const [e] = d.sample(s(10) + ZERO_FOR_DECANNULATION_MS, 0, 1.6);
    expect(e).toMatchObject({ type: 'decannulation', ts: s(10) });
    expect(d.sample(s(10) + 2 * ZERO_FOR_DECANNULATION_MS, 0, 1.6)).toEqual([]);
  });

  it('ignores samples older than the newest one, and missing flows', () => {
    const d = new FlowEventDetector();
    for (let i = 0; i <= 61; i++) d.sample(s(i), 0, 1.6);
    expect(d.sample(s(30), 2, 1.6)).toEqual([]);
    expect(d.sample(s(62), null, 1.6)).toEqual([]);
    expect(d.sample(s(63), 2, 1.6).map((e) => e.type)).toEqual(['ecmo_flow_start', 'target_flow_reached']);
  });

  it('never reports two starts without a decannulation or a long pause between them (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5, noNaN: true })), { maxLength: 400 }), (flows) => {
        const d = new FlowEventDetector();
        const events = flows.flatMap((f, i) => d.sample(s(i * 5), f, 1.6));
        const starts = events.filter((e) => e.type === 'ecmo_flow_start');
        const targets = events.filter((e) => e.type === 'target_flow_reached');
        expect(targets.length).toBeLessThanOrEqual(starts.length);
        for (let i = 1; i < starts.length; i++) expect(starts[i].ts - starts[i - 1].ts).toBeGreaterThanOrEqual(65_000);
      }),
    );
  });
});
