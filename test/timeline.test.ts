// The study timeline end to end: events over REST with the markers of their moment, intervals in
// minutes, a flow start detected in device data that a researcher confirms, a restart that keeps
// everything, and a pseudonymous CSV export. Real server, embedded broker, SQLite in a temp dir.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Observation } from '@medplum/fhirtypes';
import type { TimelineEvent } from '../shared/protocol.js';
import type { StudyInterval } from '../shared/timeline.js';
import { fhirR4Validator } from './helpers/fhir-schema.js';
import { startTestServer, until, type TestServer } from './helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

const MIN = 60_000;
type Intervals = { bedId: string; studyId: string | null; t0: number | null; intervals: StudyInterval[] };
const intervals = async (bed: string) => (await t.api<Intervals>(`/api/beds/${bed}/intervals`)).body;
const byKey = (i: Intervals) => Object.fromEntries(i.intervals.map((x) => [x.key, x]));
const events = async (bed: string) => (await t.api<TimelineEvent[]>(`/api/beds/${bed}/events`)).body;

async function loginAs(username: string, role: string): Promise<string> {
  await t.api('/api/users', { method: 'POST', body: JSON.stringify({ username, password: `${username}-pw-123`, role }) });
  const r = await t.api<{ token: string }>('/api/login', {
    method: 'POST',
    body: JSON.stringify({ username, password: `${username}-pw-123` }),
  });
  return r.body.token;
}

describe('study timeline', () => {
  it('gives the intervals in minutes from events entered over REST, with who entered them and the markers of their moment', async () => {
    await t.api('/api/beds/tl1/patient', {
      method: 'PUT',
      body: JSON.stringify({ weightKg: 14, heightCm: 95, ageMonths: 36, ecmoMode: 'VA', studyId: 'S-017', studyGroup: 'RSS-ECMO' }),
    });
    const dev = await t.device();
    const now = Date.now();
    await dev.publishAsync('icu/tl1/monitor/numerics', JSON.stringify({ ts: now, values: { map: 41, hr: 150 } }), { qos: 1 });
    await dev.publishAsync('icu/tl1/lab/result', JSON.stringify({ ts: now - 20 * MIN, site: 'arterial', values: { lactate: 6.2 } }), {
      qos: 1,
    });
    await until(async () => (await t.api<{ latest: Record<string, unknown> }>('/api/beds/tl1')).body.latest?.map, 'map arrived');

    const t0 = now - 240 * MIN;
    const post = (type: string, ts: number, note?: string) =>
      t.api<TimelineEvent>('/api/beds/tl1/events', { method: 'POST', body: JSON.stringify({ type, ts, note }) });
    await post('shock_recognized', t0, 'triage nurse Smith');
    await post('refractory_shock', t0 + 95 * MIN);
    await post('ecmo_decision', t0 + 140 * MIN);
    await post('cannulation_start', t0 + 185 * MIN);
    const flow = await post('ecmo_flow_start', now);
    expect(flow.status).toBe(201);
    expect(flow.body).toMatchObject({ by: 'admin', source: 'manual', status: 'confirmed' });
    expect(flow.body.markers?.map).toMatchObject({ value: 41, unit: 'mmHg', quality: 'ok' });
    expect(flow.body.markers?.lactate).toMatchObject({ value: 6.2, unit: 'mmol/L' });
    expect(flow.body.markers?.lactate?.ageS).toBeGreaterThanOrEqual(20 * 60 - 2);

    const i = byKey(await intervals('tl1'));
    expect(i.shockToRefractory.minutes).toBe(95);
    expect(i.refractoryToDecision.minutes).toBe(45);
    expect(i.decisionToCannulation.minutes).toBe(45);
    expect(i.cannulationToFlow.minutes).toBeCloseTo(55, 6);
    expect(i.timeToEcmo.minutes).toBeCloseTo(240, 6);
    expect(i.ecmoDuration).toMatchObject({ minutes: null, missing: ['decannulation'] });
  });

  it('detects a flow start in device data as a candidate that a researcher confirms and moves, and a viewer may not', async () => {
    await t.api('/api/beds/tl2/patient', {
      method: 'PUT',
      body: JSON.stringify({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA', studyId: 'S-018', studyGroup: 'RSS-ECMO' }),
    });
    await t.api('/api/beds/tl2/events', { method: 'POST', body: JSON.stringify({ type: 'shock_recognized', ts: Date.now() - 180 * MIN }) });
    const dev = await t.device();
    // A console's last ten minutes, arriving late (as after a network outage): 90 s at zero, then flow.
    const start = Date.now() - 10 * MIN;
    for (let s = 0; s < 120; s++) {
      const flowLMin = s < 90 ? 0 : 2.0;
      await dev.publishAsync(
        'icu/tl2/ecmo/numerics',
        JSON.stringify({ ts: start + s * 1000, values: { flow: flowLMin, rpm: flowLMin ? 3000 : 0 } }),
      );
    }
    const [candidate] = await until(async () => {
      const list = (await events('tl2')).filter((e) => e.type === 'ecmo_flow_start');
      return list.length ? list : null;
    }, 'a detected flow start');
    expect(candidate).toMatchObject({
      source: 'device',
      status: 'candidate',
      ts: start + 90_000,
      detectedTs: start + 90_000,
      by: 'device',
    });
    expect(candidate.markers?.flow).toMatchObject({ value: 2, unit: 'L/min', ageS: 0 });
    // A candidate is not yet an interval bound.
    expect(byKey(await intervals('tl2')).timeToEcmo.minutes).toBeNull();
    // Target flow (80 mL/kg/min × 20 kg = 1.6 L/min) reached by the same sample.
    expect((await events('tl2')).some((e) => e.type === 'target_flow_reached' && e.source === 'device')).toBe(true);

    const viewer = await loginAs('vic', 'viewer');
    const denied = await t.api(`/api/beds/tl2/events/${candidate.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'confirmed' }),
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(denied.status).toBe(403);

    const researcher = await loginAs('rhea', 'researcher');
    const moved = start + 85_000;
    const confirmed = await t.api<TimelineEvent>(`/api/beds/tl2/events/${candidate.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'confirmed', ts: moved }),
      headers: { authorization: `Bearer ${researcher}` },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', ts: moved, detectedTs: start + 90_000, reviewedBy: 'rhea' });
    const i = byKey(await intervals('tl2'));
    expect(i.timeToEcmo.toTs).toBe(moved);
    expect(i.timeToEcmo.minutes).toBeGreaterThan(160);

    // The same device data replayed after a restart detects the same event: it is not stored twice.
    await t.restart();
    t.token = (
      await t.api<{ token: string }>('/api/login', {
        method: 'POST',
        body: JSON.stringify({ username: 'admin', password: 'test-admin-pw' }),
      })
    ).body.token;
    const dev2 = await t.device();
    for (let s = 0; s < 120; s++) {
      const flowLMin = s < 90 ? 0 : 2.0;
      await dev2.publishAsync('icu/tl2/ecmo/numerics', JSON.stringify({ ts: start + s * 1000, values: { flow: flowLMin } }));
    }
    await dev2.publishAsync('icu/tl2/monitor/numerics', JSON.stringify({ ts: Date.now(), values: { hr: 100 } }), { qos: 1 });
    await until(async () => (await t.api<{ latest: Record<string, unknown> }>('/api/beds/tl2')).body.latest?.hr, 'replay processed');
    const after = await events('tl2');
    expect(after.filter((e) => e.type === 'ecmo_flow_start')).toHaveLength(1);
    expect(after.find((e) => e.id === candidate.id)).toMatchObject({ status: 'confirmed', ts: moved, reviewedBy: 'rhea' });
    expect(byKey(await intervals('tl2')).timeToEcmo.toTs).toBe(moved);
    expect(byKey(await intervals('tl1')).shockToRefractory.minutes).toBe(95);
  });

  it('records each bed’s derived values once a second, readable as history', async () => {
    await t.api('/api/beds/tl3/patient', {
      method: 'PUT',
      body: JSON.stringify({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' }),
    });
    const dev = await t.device();
    const from = Date.now();
    for (let i = 0; i < 3; i++) {
      await dev.publishAsync('icu/tl3/ecmo/numerics', JSON.stringify({ ts: Date.now(), values: { pPre: 200, pPost: 170, flow: 2 } }));
      await new Promise((r) => setTimeout(r, 1000));
    }
    const history = async () =>
      (
        await t.api<{ t: number[]; series: Record<string, (number | null)[]> }>(
          `/api/beds/tl3/history?keys=dpOxy,rOxy&from=${from}&stepS=1`,
        )
      ).body;
    const h = await until(async () => {
      const x = await history();
      return x.series.dpOxy.filter((v) => v !== null).length >= 2 ? x : null;
    }, 'two seconds of recorded dpOxy');
    expect(h.series.dpOxy.filter((v) => v !== null).every((v) => v === 30)).toBe(true);
    expect(h.series.rOxy.filter((v) => v !== null).every((v) => v === 15)).toBe(true);
  });

  it('gives the oxygen-debt burden since T0 from the recording, exactly, with gaps as unknown', async () => {
    await t.api('/api/beds/tl5/patient', {
      method: 'PUT',
      body: JSON.stringify({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' }),
    });
    const now = Date.now();
    const t0 = now - 20 * MIN;
    await t.api('/api/beds/tl5/events', { method: 'POST', body: JSON.stringify({ type: 'shock_recognized', ts: t0 }) });
    const dev = await t.device();
    // Ten minutes after T0: two minutes of SvO2 45 %, then three of 70 %, one sample a second; then silence.
    const start = t0 + 10 * MIN;
    for (let i = 0; i < 300; i++) {
      await dev.publishAsync('icu/tl5/ecmo/numerics', JSON.stringify({ ts: start + i * 1000, values: { svo2: i < 120 ? 45 : 70 } }));
    }
    await dev.publishAsync('icu/tl5/lab/result', JSON.stringify({ ts: t0 + 2 * MIN, site: 'venous', values: { lactate: 5.1 } }), {
      qos: 1,
    });
    type Burden = {
      t0: number;
      sinceT0: {
        svo2Below50: { minutes: number; area: number; knownMinutes: number; unknownMinutes: number };
        lactateAtLeast4: { minutes: number };
      };
    };
    const b = await until(async () => {
      const x = (await t.api<Burden>('/api/beds/tl5/burden')).body;
      return x.sinceT0?.svo2Below50.knownMinutes >= 300 / 60 - 1e-9 && x.sinceT0.lactateAtLeast4.minutes > 0 ? x : null;
    }, 'burden from the recording');
    expect(b.t0).toBe(t0);
    expect(b.sinceT0.svo2Below50.minutes).toBeCloseTo(2, 9);
    expect(b.sinceT0.svo2Below50.area).toBeCloseTo(10, 9); // (50 − 45) % × 2 min
    // The last sample holds its 10 s maximum age; everything else since T0 is unknown, not normal.
    expect(b.sinceT0.svo2Below50.knownMinutes).toBeCloseTo(5 + 9 / 60, 9);
    expect(b.sinceT0.svo2Below50.unknownMinutes).toBeGreaterThan(14);
    // The lactate result holds until now (within its 6 h), from 2 min after T0.
    expect(b.sinceT0.lactateAtLeast4.minutes).toBeGreaterThan(17.9);
    expect(b.sinceT0.lactateAtLeast4.minutes).toBeLessThan(18.5);
  });

  it('discharges a bed: gone from the ward and its alarms ended, its recording kept and exportable, and back in care when a device speaks again', async () => {
    await t.api('/api/beds/tl6/patient', {
      method: 'PUT',
      body: JSON.stringify({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA', studyId: 'S-606', studyGroup: 'SS' }),
    });
    const dev = await t.device();
    await dev.publishAsync('icu/tl6/ecmo/numerics', JSON.stringify({ ts: Date.now(), values: { flow: 0, rpm: 0 } }), { qos: 1 });
    await until(async () => (await t.api<{ key: string }[]>('/api/alarms?bed=tl6&state=active')).body.length > 0, 'an alarm of tl6');
    const viewer = await loginAs('vivi', 'viewer');
    expect((await t.api('/api/beds/tl6/discharge', { method: 'POST', headers: { authorization: `Bearer ${viewer}` } })).status).toBe(403);
    expect((await t.api('/api/beds/tl6/discharge', { method: 'POST' })).status).toBe(200);
    expect((await t.api<{ bedId: string }[]>('/api/beds')).body.map((b) => b.bedId)).not.toContain('tl6');
    expect((await t.api('/api/beds/tl6')).status).toBe(404);
    expect((await t.api<unknown[]>('/api/alarms?bed=tl6&state=active')).body).toEqual([]);
    const data = await fetch(`${t.url}/api/export/beds/tl6/data.csv?keys=flow`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(data.status).toBe(200);
    expect(await data.text()).toMatch(/S-606/);
    await t.restart();
    t.token = (
      await t.api<{ token: string }>('/api/login', {
        method: 'POST',
        body: JSON.stringify({ username: 'admin', password: 'test-admin-pw' }),
      })
    ).body.token;
    expect((await t.api<{ bedId: string }[]>('/api/beds')).body.map((b) => b.bedId)).not.toContain('tl6');
    const csv = await (await fetch(`${t.url}/api/export/timeline.csv`, { headers: { authorization: `Bearer ${t.token}` } })).text();
    expect(csv).toMatch(/S-017/); // the other study patients are there as before
    const again = await t.device();
    await again.publishAsync('icu/tl6/monitor/numerics', JSON.stringify({ ts: Date.now(), values: { hr: 90 } }), { qos: 1 });
    await until(async () => (await t.api<{ bedId: string }[]>('/api/beds')).body.some((b) => b.bedId === 'tl6'), 'tl6 admitted again');
  });

  it('exports the oxygen-debt burden of every study patient, since T0 and per interval, with the studyId only', async () => {
    const res = await fetch(`${t.url}/api/export/burden.csv`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(res.status).toBe(200);
    const [header, ...rows] = (await res.text()).trim().split('\n');
    expect(header.split(',').slice(0, 6)).toEqual(['siteId', 'studyId', 'studyGroup', 'period', 'minutes', 'svo2Below50Min']);
    const s017 = rows.filter((r) => r.startsWith('site-1,S-017,'));
    expect(s017.map((r) => r.split(',')[3])).toEqual(expect.arrayContaining(['sinceT0', 'shockToRefractory', 'timeToEcmo']));
    expect(rows.join('\n')).not.toMatch(/tl1|tl2|tl5|admin/);
  });

  it('exports the timeline of every study patient as CSV with the studyId only, to researchers and admins', async () => {
    const res = await fetch(`${t.url}/api/export/timeline.csv`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await res.text();
    const [header, ...rows] = text.trim().split('\n');
    expect(header.split(',')).toEqual(
      expect.arrayContaining(['siteId', 'studyId', 'studyGroup', 'type', 'ts', 'minutesFromT0', 'map', 'mapAgeS']),
    );
    expect(rows.some((r) => r.startsWith('site-1,S-017,RSS-ECMO,shock_recognized,'))).toBe(true);
    expect(rows.some((r) => r.includes(',S-018,') && r.includes('ecmo_flow_start'))).toBe(true);
    // Pseudonymous: no bed names, no user names, no free-text notes.
    expect(text).not.toMatch(/tl1|tl2|admin|rhea|Smith/);

    const relative = await (
      await fetch(`${t.url}/api/export/timeline.csv?times=relative`, { headers: { authorization: `Bearer ${t.token}` } })
    ).text();
    expect(relative.split('\n')[0].split(',')).not.toContain('ts');
    expect(relative).not.toMatch(/\d{4}-\d{2}-\d{2}T/);

    const specialist = await loginAs('spec', 'specialist');
    const denied = await fetch(`${t.url}/api/export/timeline.csv`, { headers: { authorization: `Bearer ${specialist}` } });
    expect(denied.status).toBe(403);
  });

  it('exports one study bed’s recorded values, measured and derived, one row per time, keyed by studyId', async () => {
    const res = await fetch(`${t.url}/api/export/beds/tl2/data.csv?keys=flow,rpm,vis`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(res.status).toBe(200);
    const [header, ...rows] = (await res.text()).trim().split('\n');
    expect(header).toBe('siteId,studyId,ts,minutesFromT0,flow,rpm,vis');
    expect(rows.length).toBeGreaterThanOrEqual(120);
    expect(rows.every((r) => r.startsWith('site-1,S-018,'))).toBe(true);
    // The first console message of the late stretch: flow 0, rpm 0, no derived value at that second.
    expect(rows[0].split(',').slice(4, 6)).toEqual(['0', '0']);
    expect(rows.some((r) => r.split(',')[4] === '2')).toBe(true);
    const unknownKey = await fetch(`${t.url}/api/export/beds/tl2/data.csv?keys=flow,lactate`, {
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(unknownKey.status).toBe(400);
    const noStudy = await fetch(`${t.url}/api/export/beds/tl3/data.csv`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(noStudy.status).toBe(409);
  });

  it('exports one study bed as a FHIR R4 Bundle of Observations, valid against the FHIR schema, with codes and UCUM units', async () => {
    const res = await fetch(`${t.url}/api/export/beds/tl1/fhir?keys=map,hr,lab.arterial.lactate,flow&stepS=60`, {
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/fhir\+json/);
    const text = await res.text();
    const bundle = JSON.parse(text) as Omit<Bundle, 'entry'> & { entry: { resource: Observation }[] };
    const validate = fhirR4Validator();
    expect(validate(bundle), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    // The schema catches a broken resource (the validator is not a rubber stamp).
    expect(validate({ ...bundle, entry: [{ resource: { resourceType: 'Observation', status: 'invented' } }] })).toBe(false);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const obs: Observation[] = bundle.entry.map((e) => e.resource);
    const map = obs.find((o) => o.code.coding?.some((c) => c.code === '8478-0'));
    expect(map).toMatchObject({
      resourceType: 'Observation',
      status: 'final',
      subject: { identifier: { value: 'S-017' } },
      valueQuantity: { value: 41, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
      category: [{ coding: [{ code: 'vital-signs' }] }],
    });
    const lactate = obs.find((o) => o.code.coding?.some((c) => c.code === '32693-4'));
    expect(lactate?.valueQuantity).toMatchObject({ value: 6.2, code: 'mmol/L' });
    expect(text).not.toMatch(/tl1|admin|Smith/);
  });
});
