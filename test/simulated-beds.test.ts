// The simulators against the real server: every scenario's messages pass ingest (only the
// sensor-faults scenario sends bad ones, on purpose), every feed arrives, and the computed values
// of a simulated ECMO bed are plausible.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BedDetail, BedSummary, HealthAnswer } from '../shared/protocol.js';
import { startSimulators } from '../simulators/index.js';
import { DEVICE_PASSWORD, startTestServer, until, type TestServer } from './helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.stop());

const SIM_S = 120;
const SPEED = 60;

describe('simulated beds through the server', () => {
  it('send every feed of the mixed demo, all accepted by ingest', async () => {
    const before = (await t.api<HealthAnswer>('/api/health')).body.ingest;
    const sims = await startSimulators({
      url: t.mqttUrl,
      username: 'sim',
      password: DEVICE_PASSWORD,
      beds: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'],
      scenario: 'mixed',
      seed: 3,
      speed: SPEED,
      durationS: SIM_S,
      connection: 'shared',
    });
    await sims.done;
    await sims.stop();
    // Wait until the server has taken in everything: the count stops moving.
    let last = -1;
    const after = await until(
      async () => {
        const h = (await t.api<HealthAnswer>('/api/health')).body.ingest;
        const seen = h.accepted + h.rejected.total;
        const settled = seen === last && h.accepted > before.accepted + 500;
        last = seen;
        if (!settled) await new Promise((r) => setTimeout(r, 100));
        return settled ? h : null;
      },
      'messages accepted',
      15_000,
    );
    expect(after.rejected.total - before.rejected.total).toBe(0);
    const beds = (await t.api<BedSummary[]>('/api/beds')).body.filter((b) => b.bedId.startsWith('m'));
    expect(beds).toHaveLength(6);
    const withEcmo = beds.filter((b) => b.devices.ecmo);
    expect(withEcmo.length).toBeGreaterThanOrEqual(4);
    for (const b of beds) {
      expect(Object.keys(b.devices), b.bedId).toEqual(expect.arrayContaining(['monitor', 'pump', 'lab']));
    }
  });

  it('give an ECMO bed plausible computed values once its patient is configured', async () => {
    const sims = await startSimulators({
      url: t.mqttUrl,
      username: 'sim',
      password: DEVICE_PASSWORD,
      beds: ['va1'],
      scenario: 'stable-va',
      seed: 5,
      speed: SPEED,
      durationS: SIM_S,
      connection: 'shared',
    });
    const info = sims.beds[0];
    await t.api('/api/beds/va1/patient', { method: 'PUT', body: JSON.stringify(info.patient) });
    await sims.done;
    await sims.stop();
    const d = (await t.api<BedDetail>('/api/beds/va1')).body;
    // the run's last messages are up to its end; all values known, none nonsensical
    expect(d.derived.flowPerKg.value).toBeGreaterThan(50);
    expect(d.derived.flowPerKg.value).toBeLessThan(200);
    expect(d.derived.dpOxy.value).toBeGreaterThan(0);
    expect(d.derived.cao2Post.value).toBeGreaterThan(d.derived.cvo2.value ?? Infinity);
    expect(d.derived.vis.value).not.toBeNull();
    expect(d.stats?.flow?.['1m']?.n).toBeGreaterThan(10);
  });
});
