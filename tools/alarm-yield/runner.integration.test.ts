// The whole loop on a short stretch: the real server on the virtual clock, the simulator through the
// broker, alarms read back and matched. Device dropout is quick to judge: outages at fixed times.
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../simulators/scenarios/index.js';
import { matchAlarms } from './match.js';
import { runBatch, type RunSpec } from './runner.js';

const spec = (toS: number): RunSpec => ({ scenario: SCENARIOS['device-dropout'], seed: 1, bedId: 'ay-test-dropout', fromS: 0, toS });
const quiet = () => undefined;

describe('alarm-yield runner', () => {
  it('runs the server on the virtual clock: every message counted before each tick, the outages alarm on time', async () => {
    const b = await runBatch([spec(9 * 60)], { stepS: 1, log: quiet });
    expect(b.syncTimeouts).toBe(0);
    expect(b.runs[0].messages).toBeGreaterThan(900); // monitor and console at 1 Hz, less the outages
    if (b.alarmsApi !== 'ok') return; // engine not wired in this checkout: nothing more to judge
    const m = matchAlarms(SCENARIOS['device-dropout'].alarms ?? [], b.runs[0].alarms, { fromS: 0, toS: 9 * 60 - 1 });
    expect(m.outcomes.map((o) => [o.label.key, o.delayS])).toEqual([
      ['deviceOffline.monitor', 10],
      ['deviceOffline.ecmo', 0],
    ]);
    expect(m.nonActionable).toEqual([]);
  });

  it('the same seed gives the same alarms, run after run', async () => {
    const one = await runBatch([spec(9 * 60)], { stepS: 1, log: quiet });
    const again = await runBatch([spec(9 * 60)], { stepS: 1, log: quiet });
    const times = (r: typeof one) => r.runs[0].alarms.map((a) => `${a.key}@${a.raisedS}`);
    expect(times(again)).toEqual(times(one));
  });

  it('an alarm list that is not there (404) leaves the run complete with no alarms', async () => {
    const b = await runBatch([spec(60)], { stepS: 1, log: quiet, alarmsPath: '/api/no-such-alarms' });
    expect(b.alarmsApi).toMatch(/404/);
    expect(b.runs[0].alarms).toEqual([]);
  });
});
