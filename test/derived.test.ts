// A whole case published over MQTT from outside, derived values read back over REST and Socket.IO:
// docs/clinical.md worked examples A, C and F, with honest quality.
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BedDetail, BedUpdate, DerivedValue } from '../shared/protocol.js';
import { nextEvent, startTestServer, until, type TestServer } from './helpers/server.js';

let t: TestServer;
let dev: MqttClient;
beforeAll(async () => {
  t = await startTestServer();
  dev = await t.device();
});
afterAll(async () => t?.stop());

const json = (o: unknown) => JSON.stringify(o);

async function publishCaseA(bed: string, ts = Date.now()) {
  await dev.publishAsync(
    `icu/${bed}/ecmo/numerics`,
    json({ ts, values: { flow: 2.0, hb: 10, svo2: 70, postOxySat: 100, pPre: 200, pPost: 170 } }),
  );
  await dev.publishAsync(`icu/${bed}/monitor/numerics`, json({ ts, values: { hr: 140, sbp: 75, dbp: 45, map: 55, cvp: 10 } }));
  // blood gases drawn 20 minutes ago, published now (late, as labs are)
  await dev.publishAsync(`icu/${bed}/lab/result`, json({ ts: ts - 20 * 60_000, site: 'pre-oxygenator', values: { po2: 40 } }));
  await dev.publishAsync(`icu/${bed}/lab/result`, json({ ts: ts - 20 * 60_000, site: 'post-oxygenator', values: { po2: 300 } }));
}

const derivedOf = async (bed: string) => (await t.api<BedDetail>(`/api/beds/${bed}`)).body.derived;

function within1pct(dv: DerivedValue | undefined, expected: number) {
  expect(dv?.value).not.toBeNull();
  expect(Math.abs((dv!.value as number) - expected)).toBeLessThanOrEqual(Math.abs(expected) * 0.01);
}

describe('derived values of a case published over MQTT', () => {
  it('gives every key of worked example A within 1 % over REST, with quality ok', async () => {
    const put = await t.api('/api/beds/ex-a/patient', {
      method: 'PUT',
      body: json({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' }),
    });
    expect(put.status).toBe(200);
    await publishCaseA('ex-a');
    const d = await until(async () => {
      const x = await derivedOf('ex-a');
      return x.cvo2?.inputs?.some((i) => i.signal === 'lab.pre-oxygenator.po2') &&
        x.cao2Post?.inputs?.some((i) => i.signal === 'lab.post-oxygenator.po2') &&
        x.shockIndex?.value
        ? x
        : null;
    }, 'example A derived');
    const expected: Record<string, number> = {
      bsa: 0.79931,
      cao2Post: 14.3,
      cvo2: 9.5,
      do2Ecmo: 286.0,
      do2i: 357.81,
      vo2Oxy: 96.0,
      vo2i: 120.1,
      o2er: 33.57,
      do2Vo2: 2.979,
      dpOxy: 30,
      rOxy: 15.0,
      flowPerKg: 100.0,
      flowIndex: 2.502,
      perfusionPressure: 45,
      pulsePressure: 30,
      shockIndex: 1.867,
    };
    for (const [k, v] of Object.entries(expected)) {
      within1pct(d[k], v);
      expect(d[k].quality, k).toBe('ok');
    }
    expect(d.do2Ecmo.unit).toBe('mL/min');
    expect(d.phoenixCv.parts?.map).toBe(0);
  });

  it('sends derived values in bed:update when an input changes', async () => {
    const s = t.socket();
    await nextEvent(s, 'connect');
    const snap = await s.emitWithAck('watch', { beds: ['ex-a'] });
    expect(snap.beds[0].derived.do2Ecmo.value).toBeCloseTo(286, 6);
    expect(snap.beds[0].stats?.flow?.['1m']?.n).toBeGreaterThanOrEqual(1);
    const update = nextEvent<BedUpdate>(
      s,
      'bed:update',
      (u) => u.bedId === 'ex-a' && u.derived.do2Ecmo?.value !== undefined && Math.abs((u.derived.do2Ecmo.value ?? 0) - 143) < 0.01,
    );
    await dev.publishAsync(
      'icu/ex-a/ecmo/numerics',
      json({ ts: Date.now(), values: { flow: 1.0, hb: 10, svo2: 70, postOxySat: 100, pPre: 200, pPost: 170 } }),
    );
    const u = await update;
    expect(u.derived.do2Ecmo.quality).toBe('ok');
    expect(u.derived.rOxy.value).toBeCloseTo(30, 6);
  });

  it('scores VIS from infusion pumps (example C) and shows each dose', async () => {
    await t.api('/api/beds/ex-c/patient', { method: 'PUT', body: json({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' }) });
    const ts = Date.now();
    const pump = (ch: string, drug: string, rateMlH: number, concentration: number, concentrationUnit: string, running = true) =>
      dev.publishAsync(`icu/ex-c/pump/${ch}`, json({ ts, drug, rateMlH, concentration, concentrationUnit, running }));
    await pump('p1', 'epinephrine', 3, 20, 'mcg/mL');
    await pump('p2', 'norepinephrine', 3, 40, 'mcg/mL');
    await pump('p3', 'dobutamine', 3, 2, 'mg/mL');
    await pump('p4', 'milrinone', 3, 200, 'mcg/mL', false);
    await pump('p5', 'propofol', 10, 10, 'mg/mL');
    const detail = await until(async () => {
      const b = (await t.api<BedDetail>('/api/beds/ex-c')).body;
      return b.infusions?.length === 5 ? b : null;
    }, 'five pump channels');
    within1pct(detail.derived.vis, 20);
    expect(detail.derived.phoenixCv.parts?.vasoactive).toBe(2);
    const epi = detail.infusions.find((i) => i.channel === 'p1')!;
    expect(epi.dose).toBeCloseTo(0.05, 10);
    expect(epi.doseUnit).toBe('mcg/kg/min');
    expect(detail.infusions.find((i) => i.drug === 'propofol')!.scored).toBe(false);
  });

  it('does not compute circuit delivery in VV mode (example F), but keeps the oxygenator transfer', async () => {
    await t.api('/api/beds/ex-f/patient', { method: 'PUT', body: json({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VV' }) });
    await publishCaseA('ex-f');
    const d = await until(async () => {
      const x = await derivedOf('ex-f');
      return x.vo2Oxy?.inputs?.length && x.cvo2?.inputs?.some((i) => i.signal === 'lab.pre-oxygenator.po2') ? x : null;
    }, 'example F derived');
    within1pct(d.vo2Oxy, 96);
    for (const k of ['do2Ecmo', 'do2i', 'do2Vo2']) {
      expect(d[k].quality, k).toBe('missing');
      expect(d[k].value, k).toBeNull();
    }
  });

  it('never shows stale inputs as current: old values give stale derived values with the reason', async () => {
    await t.api('/api/beds/ex-old/patient', { method: 'PUT', body: json({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' }) });
    await publishCaseA('ex-old', Date.now() - 30_000);
    const d = await until(async () => {
      const x = await derivedOf('ex-old');
      return x.dpOxy?.value !== undefined && x.dpOxy.value !== null && x.perfusionPressure?.value !== null ? x : null;
    }, 'stale derived');
    expect(d.dpOxy.value).toBe(30);
    expect(d.dpOxy.quality).toBe('stale');
    expect(d.dpOxy.reason).toMatch(/old \(max 10 s\)/);
    expect(d.perfusionPressure.quality).toBe('stale');
    expect(d.bsa.quality).toBe('ok');
  });
});
