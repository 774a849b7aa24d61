import { describe, expect, it } from 'vitest';
import type { FaultName } from './faultNames.js';
import type { PublishOutput, SimOutput } from './messages.js';
import { MIN } from './scenarios/index.js';
import { judge, numericsOf, publishes, runSimulation } from './testSupport.js';

const START_MS = Date.UTC(2026, 0, 15, 8, 0, 0);
/** The server's clock-skew bound (docs/interface.md). */
const SKEW_MS = 5000;

function withFault(fault: FaultName, durationS = 20 * MIN): SimOutput[] {
  return runSimulation(
    { beds: ['bed-01'], scenario: 'stable-vv', seed: 11, startMs: START_MS, faults: [fault], faultMeanIntervalS: 120 },
    durationS,
  );
}

const tsOf = (o: PublishOutput) => (o.payload as { ts: number }).ts;
const streamKey = (o: PublishOutput) => `${o.bedId}/${o.device}/${o.stream}`;

describe('requested faults produce what they name', () => {
  it('malformed: payloads that are not JSON', () => {
    const bad = publishes(withFault('malformed')).filter((o) => o.fault === 'malformed');
    expect(bad.length).toBeGreaterThan(0);
    for (const o of bad) {
      expect(typeof o.payload).toBe('string');
      expect(() => JSON.parse(o.payload as string) as unknown).toThrow();
    }
  });

  it('out-of-range: a value outside the catalogue range', () => {
    const bad = publishes(withFault('out-of-range')).filter((o) => o.fault === 'out-of-range');
    expect(bad.length).toBeGreaterThan(0);
    for (const o of bad) expect(judge(o).verdict).toBe('out_of_range');
  });

  it('clock-skew: ts more than 5 s ahead of the send time, for a while', () => {
    const skewed = publishes(withFault('clock-skew')).filter((o) => o.fault === 'clock-skew');
    expect(skewed.length).toBeGreaterThan(30);
    for (const o of skewed) expect(tsOf(o) - o.atMs).toBeGreaterThan(SKEW_MS);
  });

  it('duplicate: the same message twice in a row', () => {
    const out = publishes(withFault('duplicate'));
    const copies = out.map((o, i) => [out[i - 1], o] as const).filter(([prev, o]) => o.fault === 'duplicate' && prev);
    expect(copies.length).toBeGreaterThan(0);
    for (const [prev, o] of copies) {
      expect(streamKey(o)).toBe(streamKey(prev));
      expect(JSON.stringify(o.payload)).toBe(JSON.stringify(prev.payload));
    }
  });

  it('out-of-order: a message arrives after a newer one of its stream', () => {
    const out = publishes(withFault('out-of-order')).filter((o) => o.stream !== 'status');
    const lastTs = new Map<string, number>();
    let inversions = 0;
    for (const o of out) {
      const k = streamKey(o);
      if ((lastTs.get(k) ?? -Infinity) > tsOf(o)) {
        inversions++;
        expect(o.fault).toBe('out-of-order');
      }
      lastTs.set(k, Math.max(lastTs.get(k) ?? -Infinity, tsOf(o)));
    }
    expect(inversions).toBeGreaterThan(0);
  });

  it('dropout: a device goes silent for 15 s or more while staying online', () => {
    const out = withFault('dropout');
    expect(out.some((o) => o.kind === 'disconnect' && o.abrupt)).toBe(false);
    const gaps = (['monitor', 'ecmo'] as const).flatMap((device) => {
      const ts = numericsOf(out, 'bed-01', device).map((p) => p.ts);
      return ts
        .slice(1)
        .map((t, i) => t - ts[i])
        .filter((d) => d > 1000);
    });
    const pumpGap = publishes(out)
      .filter((o) => o.device === 'pump' && o.stream === 'ch1')
      .map(tsOf);
    const pumpGaps = pumpGap
      .slice(1)
      .map((t, i) => t - pumpGap[i])
      .filter((d) => d > 30_000);
    expect([...gaps, ...pumpGaps].length).toBeGreaterThan(0);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(15_000);
  });

  it('disconnect: an abrupt disconnect, silence, then connect and online again', () => {
    const out = withFault('disconnect');
    const cut = out.findIndex((o) => o.kind === 'disconnect' && o.abrupt);
    expect(cut).toBeGreaterThanOrEqual(0);
    const { device, atMs } = out[cut];
    const back = out.findIndex((o, i) => i > cut && o.device === device && o.kind === 'connect');
    expect(back).toBeGreaterThan(cut);
    expect(out[back].atMs - atMs).toBeGreaterThanOrEqual(20_000);
    expect(out.slice(cut + 1, back).some((o) => o.device === device)).toBe(false);
    expect(out[back + 1]).toMatchObject({ kind: 'publish', device, stream: 'status', payload: { state: 'online' } });
  });

  it('faults leave the physiology of the untouched messages as it was', () => {
    const clean = new Map(
      numericsOf(
        runSimulation({ beds: ['bed-01'], scenario: 'stable-vv', seed: 11, startMs: START_MS }, 10 * MIN),
        'bed-01',
        'monitor',
      ).map((p) => [p.ts, JSON.stringify(p.values)]),
    );
    const faulted = numericsOf(withFault('duplicate', 10 * MIN), 'bed-01', 'monitor');
    expect(faulted.length).toBeGreaterThan(500);
    for (const p of faulted) expect(JSON.stringify(p.values)).toBe(clean.get(p.ts));
  });

  it('without requested faults a calm scenario carries none', () => {
    const out = publishes(runSimulation({ beds: ['bed-01'], scenario: 'stable-va', seed: 1, startMs: START_MS }, 30 * MIN));
    expect(out.filter((o) => o.fault)).toEqual([]);
  });
});

describe('scenario-scheduled faults', () => {
  const run = runSimulation({ beds: ['bed-01'], scenario: 'sensor-faults', offsetS: 0, seed: 1, startMs: START_MS }, 40 * MIN);
  const monitorAt = (minute: number, plusS = 0) =>
    numericsOf(run, 'bed-01', 'monitor').find((p) => p.ts === START_MS + (minute * 60 + plusS) * 1000)!.values;

  it('sensor-faults: artefacts show as the monitor would show them', () => {
    expect(monitorAt(3, 5).sbp).toBeGreaterThan(280); // arterial line flush
    expect(monitorAt(8, 30).spo2).toBeNull(); // probe off
    expect(monitorAt(13, 20).hr).toBeNull(); // leads off
    expect(monitorAt(26).cvp).toBeNull(); // transducer off
    expect(monitorAt(29).cvp).not.toBeNull();
    const damped = monitorAt(20);
    expect((damped.sbp as number) - (damped.dbp as number)).toBeLessThan(monitorAt(15).sbp! - monitorAt(15).dbp!);
    const plethDuringProbeOff = publishes(run).filter(
      (o) =>
        o.stream === 'waveform' &&
        (o.payload as { signal: string }).signal === 'pleth' &&
        tsOf(o) >= START_MS + 8 * 60_000 &&
        tsOf(o) < START_MS + 9 * 60_000,
    );
    expect(plethDuringProbeOff).toEqual([]);
  });

  it('sensor-faults: invalid messages at their scheduled times', () => {
    const faulted = publishes(run).filter((o) => o.fault);
    const at = (fault: FaultName) => faulted.filter((o) => o.fault === fault).map((o) => (o.atMs - START_MS) / 60_000);
    expect(at('malformed')[0]).toBeCloseTo(11, 1);
    expect(at('out-of-range')[0]).toBeCloseTo(6, 1);
    expect(at('clock-skew')[0]).toBeCloseTo(16, 1);
  });

  it('device-dropout: the console loses its connection at 7 min and returns 90 s later', () => {
    const out = runSimulation({ beds: ['bed-01'], scenario: 'device-dropout', offsetS: 0, seed: 1, startMs: START_MS }, 12 * MIN);
    const cut = out.find((o) => o.kind === 'disconnect' && o.abrupt)!;
    expect(cut).toMatchObject({ device: 'ecmo', atMs: START_MS + 7 * 60_000 });
    const back = out.find((o) => o.kind === 'connect' && o.device === 'ecmo' && o.atMs > cut.atMs)!;
    expect(back.atMs - cut.atMs).toBe(90_000);
  });
});
