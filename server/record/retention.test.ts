import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import type { RetentionKind } from './recorder.js';
import { describePolicy, Pruner, retentionCutoffs, retentionPolicy, RETENTION_FLOOR_MS, type RetentionPolicy } from './retention.js';

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;

const policyOf = (env: Record<string, string> = {}) => retentionPolicy(loadConfig(env));

describe('the retention policy of the configuration', () => {
  it('keeps waveforms 7 days, samples and derived values 90 days, lab results and aggregates forever by default', () => {
    expect(policyOf()).toEqual({ waveforms: 7, samples: 90, derived: 90, lab: 0, aggregates: 0 });
    expect(retentionCutoffs(policyOf(), NOW)).toEqual({ waveforms: NOW - 7 * DAY, samples: NOW - 90 * DAY, derived: NOW - 90 * DAY });
    expect(describePolicy(policyOf())).toBe('waveforms 7 d, samples 90 d, lab forever, derived 90 d, aggregates forever');
  });

  it('takes each kind from its variable; derived values go with the samples', () => {
    const p = policyOf({
      RETENTION_WAVEFORM_DAYS: '2',
      RETENTION_SAMPLES_DAYS: '30',
      RETENTION_LAB_DAYS: '365',
      RETENTION_AGGREGATES_DAYS: '400',
    });
    expect(p).toEqual({ waveforms: 2, samples: 30, derived: 30, lab: 365, aggregates: 400 });
    expect(retentionCutoffs(p, NOW)).toEqual({
      waveforms: NOW - 2 * DAY,
      samples: NOW - 30 * DAY,
      derived: NOW - 30 * DAY,
      lab: NOW - 365 * DAY,
      aggregates: NOW - 400 * DAY,
    });
  });

  it('keeps a kind forever with 0', () => {
    expect(retentionCutoffs(policyOf({ RETENTION_WAVEFORM_DAYS: '0', RETENTION_SAMPLES_DAYS: '0' }), NOW)).toEqual({});
  });

  it('refuses less than a day, and aggregates kept shorter than the samples they stand in for', () => {
    expect(() => loadConfig({ RETENTION_WAVEFORM_DAYS: '0.5' })).toThrow(/at least 1 day/);
    expect(() => loadConfig({ RETENTION_SAMPLES_DAYS: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ RETENTION_LAB_DAYS: 'seven' })).toThrow(ConfigError);
    expect(() => loadConfig({ RETENTION_AGGREGATES_DAYS: '30' })).toThrow(/RETENTION_AGGREGATES_DAYS/);
    expect(() => loadConfig({ RETENTION_AGGREGATES_DAYS: '30', RETENTION_SAMPLES_DAYS: '0' })).toThrow(/RETENTION_AGGREGATES_DAYS/);
    expect(loadConfig({ RETENTION_AGGREGATES_DAYS: '90' }).RETENTION_AGGREGATES_DAYS).toBe(90);
  });

  it('never cuts into the last day, whatever the policy says', () => {
    const reckless: RetentionPolicy = { waveforms: 0.001, samples: 0.5, lab: 1e-9, derived: 1, aggregates: Number.NaN };
    const cut = retentionCutoffs(reckless, NOW);
    expect(cut).toEqual({ waveforms: NOW - DAY, samples: NOW - DAY, lab: NOW - DAY, derived: NOW - DAY });
    expect(RETENTION_FLOOR_MS).toBe(DAY);
    expect(retentionCutoffs({ ...reckless, waveforms: -3 }, NOW).waveforms).toBeUndefined();
  });

  it('reads thresholds of the disk with their defaults', () => {
    const c = loadConfig({});
    expect([c.DISK_DEGRADED_DAYS, c.DISK_DEGRADED_FREE_PCT]).toEqual([7, 5]);
    expect(() => loadConfig({ DISK_DEGRADED_FREE_PCT: '101' })).toThrow(ConfigError);
  });
});

/** A recorder with `old` rows of each kind before any cut-off; prune removes them in order. */
function fakeRecorder(old: Partial<Record<RetentionKind, number>>) {
  const left = { ...old };
  const calls: [RetentionKind, number, number][] = [];
  return {
    calls,
    left,
    prune: vi.fn(async (kind: RetentionKind, beforeMs: number, maxRows: number) => {
      calls.push([kind, beforeMs, maxRows]);
      const n = Math.min(left[kind] ?? 0, maxRows);
      left[kind] = (left[kind] ?? 0) - n;
      return n;
    }),
  };
}

describe('a retention pass', () => {
  it('removes each kind batch after batch with its own cut-off until none older is left, and counts the rows', async () => {
    const rec = fakeRecorder({ waveforms: 25, samples: 10, aggregates: 7 });
    const pruner = new Pruner({ recorder: rec, policy: policyOf(), now: () => NOW, batchRows: 10 });
    const rows = await pruner.pass();
    expect(rows).toEqual({ waveforms: 25, samples: 10, lab: 0, derived: 0, aggregates: 0 });
    expect(rec.calls).toEqual([
      ['waveforms', NOW - 7 * DAY, 10],
      ['waveforms', NOW - 7 * DAY, 10],
      ['waveforms', NOW - 7 * DAY, 10],
      // exactly a batch: one more call finds nothing left
      ['samples', NOW - 90 * DAY, 10],
      ['samples', NOW - 90 * DAY, 10],
      ['derived', NOW - 90 * DAY, 10],
    ]);
    expect(rec.left.aggregates).toBe(7); // kept forever: never asked
    await pruner.pass();
    expect(pruner.pruned).toEqual({ waveforms: 25, samples: 10, lab: 0, derived: 0, aggregates: 0 });
    expect(pruner.passes).toBe(2);
    expect(pruner.lastPassMs).toBeGreaterThanOrEqual(0);
  });

  it('uses smaller batches for waveforms than for numeric rows by default', async () => {
    const rec = fakeRecorder({});
    await new Pruner({ recorder: rec, policy: policyOf(), now: () => NOW }).pass();
    const batch = Object.fromEntries(rec.calls.map(([k, , n]) => [k, n]));
    expect(batch.waveforms).toBeLessThan(batch.samples);
    expect(batch.samples).toBeLessThanOrEqual(5000);
  });

  it('lets the event loop run between batches', async () => {
    const rec = fakeRecorder({ waveforms: 30 });
    let between = 0;
    const order: string[] = [];
    rec.prune.mockImplementation(async (kind: RetentionKind, _b: number, maxRows: number) => {
      order.push(`batch after ${between} turns`);
      setImmediate(() => between++);
      const n = Math.min(rec.left[kind] ?? 0, maxRows);
      rec.left[kind] = (rec.left[kind] ?? 0) - n;
      return n;
    });
    await new Pruner({ recorder: rec, policy: policyOf(), now: () => NOW, batchRows: 10 }).pass();
    expect(order.slice(0, 4)).toEqual(['batch after 0 turns', 'batch after 1 turns', 'batch after 2 turns', 'batch after 3 turns']);
  });

  it('answers a call during a pass with that pass, not a second one', async () => {
    const rec = fakeRecorder({ waveforms: 30 });
    const pruner = new Pruner({ recorder: rec, policy: policyOf(), now: () => NOW, batchRows: 10 });
    const [a, b] = await Promise.all([pruner.pass(), pruner.pass()]);
    expect(a).toBe(b);
    expect(pruner.passes).toBe(1);
  });

  it('stops after the current batch when the server stops', async () => {
    const rec = fakeRecorder({ waveforms: 1000 });
    const pruner = new Pruner({ recorder: rec, policy: policyOf(), now: () => NOW, batchRows: 10 });
    const pass = pruner.pass();
    await pruner.stop();
    const rows = await pass;
    expect(rows.waveforms).toBeLessThan(1000);
    expect(rec.left.waveforms).toBeGreaterThan(0);
  });

  it('says why it failed, and clears that once a pass succeeds', async () => {
    const rec = fakeRecorder({});
    rec.prune.mockRejectedValueOnce(new Error('database or disk is full'));
    const errors: unknown[] = [];
    const pruner = new Pruner({ recorder: rec, policy: policyOf(), now: () => NOW, onError: (e) => errors.push(e) });
    await expect(pruner.pass()).rejects.toThrow(/disk is full/);
    expect(pruner.lastError).toBe('database or disk is full');
    await pruner.pass();
    expect(pruner.lastError).toBeNull();
  });
});

describe('the retention schedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a pass shortly after start, then every interval, until stopped', async () => {
    vi.useFakeTimers();
    const rec = fakeRecorder({});
    const passes: number[] = [];
    const pruner = new Pruner({ recorder: rec, policy: policyOf(), now: () => NOW, onPass: () => passes.push(passes.length) });
    pruner.start(60_000, 600_000);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(passes).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(passes).toHaveLength(2);
    await pruner.stop();
    await vi.advanceTimersByTimeAsync(3 * 600_000);
    expect(passes).toHaveLength(2);
  });

  it('reports a failed scheduled pass and tries again at the next one', async () => {
    vi.useFakeTimers();
    const rec = fakeRecorder({});
    rec.prune.mockRejectedValueOnce(new Error('busy'));
    const errors: unknown[] = [];
    const pruner = new Pruner({ recorder: rec, policy: policyOf(), now: () => NOW, onError: (e) => errors.push(e) });
    pruner.start(1000, 5000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(errors).toHaveLength(1);
    expect(pruner.passes).toBe(2);
    await pruner.stop();
  });
});
