import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SqliteRecorder } from '../record/sqlite.js';
import { autoStepS, bucketAggregates, bucketHistory } from './history.js';

describe('trend history from the recording', () => {
  it('gives the same bucket means from the per-minute aggregates as from the samples, and counts a replayed message once (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ dt: fc.integer({ min: 1, max: 40_000 }), hr: fc.option(fc.integer({ min: 20, max: 250 }), { freq: 6 }) }), {
          minLength: 1,
          maxLength: 80,
        }),
        fc.integer({ min: 1, max: 5 }),
        async (steps, stepMin) => {
          const aggDir = mkdtempSync(join(tmpdir(), 'ecmo-agg-'));
          const r = new SqliteRecorder(aggDir);
          let ts = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);
          const from = ts;
          for (const s of steps) {
            ts += s.dt;
            const row = { bedId: 'b', feed: 'monitor' as const, ts, values: [{ signal: 'hr', value: s.hr }] };
            r.addMeasurement(row);
            r.addMeasurement(row); // the same message again (a replay): ignored by the rows and the aggregates
          }
          const stepMs = stepMin * 60_000;
          const fromRows = bucketHistory(['hr'], await r.samples('b', ['hr'], from, ts), from, ts, stepMs);
          const minutes = await r.minuteAggregates('b', ['hr'], from / 60_000, Math.floor(ts / 60_000));
          const fromMinutes = bucketAggregates(['hr'], minutes, from, ts, stepMs);
          expect(minutes.reduce((n, m) => n + m.n, 0)).toBe(steps.filter((s) => s.hr !== null).length);
          await r.close();
          rmSync(aggDir, { recursive: true, force: true });
          expect(fromMinutes.t).toEqual(fromRows.t);
          fromMinutes.series.hr.forEach((v, i) => {
            const w = fromRows.series.hr[i];
            if (w === null) expect(v).toBeNull();
            else expect(v).toBeCloseTo(w, 9);
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('chooses whole minutes for long ranges, so they are read from the aggregates', () => {
    expect(autoStepS(0, 3600_000)).toBe(2);
    expect(autoStepS(0, 24 * 3600_000)).toBe(60);
    expect(autoStepS(0, 7 * 24 * 3600_000)).toBe(360);
  });
});
