// The REST API from outside: login, roles, validation, errors in the contract's shape, and a
// recording that survives a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BedDetail, BedSummary, HealthAnswer } from '../shared/protocol.js';
import { ADMIN_PASSWORD, nextEvent, startTestServer, until, type TestServer } from './helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.stop());

async function loginAs(username: string, password: string) {
  const r = await t.api<{ token: string; role: string }>('/api/login', { method: 'POST', body: JSON.stringify({ username, password }) });
  return r;
}

describe('authentication', () => {
  it('answers /api/health without a login and everything else with 401 in the contract error shape', async () => {
    const saved = t.token;
    t.token = '';
    try {
      expect((await t.api<HealthAnswer>('/api/health')).body.status).toBe('ok');
      for (const path of ['/api/beds', '/api/beds/x', '/api/beds/x/history?keys=hr']) {
        const r = await t.api<{ error: { code: string; message: string } }>(path);
        expect(r.status, path).toBe(401);
        expect(r.body.error.code).toBe('unauthorized');
        expect(typeof r.body.error.message).toBe('string');
      }
    } finally {
      t.token = saved;
    }
  });

  it('refuses a wrong password and a forged token', async () => {
    expect((await loginAs('admin', 'wrong-password')).status).toBe(401);
    const r = await fetch(`${t.url}/api/beds`, { headers: { authorization: `Bearer ${t.token.slice(0, -2)}xx` } });
    expect(r.status).toBe(401);
  });

  it('lets an admin create users whose role limits what they may do', async () => {
    const created = await t.api('/api/users', {
      method: 'POST',
      body: JSON.stringify({ username: 'vera', password: 'viewer-pass-1', role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    expect(
      (await t.api('/api/users', { method: 'POST', body: JSON.stringify({ username: 'vera', password: 'viewer-pass-1', role: 'viewer' }) }))
        .status,
    ).toBe(409);
    const login = await loginAs('vera', 'viewer-pass-1');
    expect(login.body.role).toBe('viewer');
    const asViewer = { authorization: `Bearer ${login.body.token}` };
    expect((await t.api('/api/beds', { headers: asViewer })).status).toBe(200);
    const put = await t.api<{ error: { code: string } }>('/api/beds/v1/patient', {
      method: 'PUT',
      headers: asViewer,
      body: JSON.stringify({ weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' }),
    });
    expect(put.status).toBe(403);
    expect(put.body.error.code).toBe('forbidden');
    expect(
      (
        await t.api('/api/users', {
          method: 'POST',
          headers: asViewer,
          body: JSON.stringify({ username: 'x', password: 'xxxxxxxx1', role: 'admin' }),
        })
      ).status,
    ).toBe(403);
  });
});

describe('login throttling', () => {
  it('refuses logins from an address after 10 failures within a minute, with a 429 that says how long to wait', async () => {
    const own = await startTestServer(); // its own server: the throttle would lock this file's logins out
    try {
      const login = (password: string) => own.api('/api/login', { method: 'POST', body: JSON.stringify({ username: 'admin', password }) });
      for (let i = 0; i < 10; i++) expect((await login('wrong-password')).status).toBe(401);
      const res = await fetch(`${own.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
      });
      expect(res.status).toBe(429); // even the right password, until the window has passed
      const wait = Number(res.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(50);
      expect(wait).toBeLessThanOrEqual(60);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(new RegExp(`try again in ${wait} s`));
    } finally {
      await own.stop();
    }
  });
});

describe('patient configuration', () => {
  it('creates a bed before its devices connect and stores the patient', async () => {
    const patient = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA', studyId: 'S-001', studyGroup: 'RSS-ECMO' };
    const put = await t.api('/api/beds/new-bed/patient', { method: 'PUT', body: JSON.stringify(patient) });
    expect(put.status).toBe(200);
    expect(put.body).toEqual(patient);
    const list = (await t.api<BedSummary[]>('/api/beds')).body;
    expect(list.find((b) => b.bedId === 'new-bed')?.patient).toEqual(patient);
    expect((await t.api<BedDetail>('/api/beds/new-bed')).body.patient).toEqual(patient);
  });

  it('answers 400 with the reason for a body that fails validation', async () => {
    const bad = await t.api<{ error: { code: string; message: string } }>('/api/beds/b9/patient', {
      method: 'PUT',
      body: JSON.stringify({ weightKg: -3, heightCm: 115, ageMonths: 60, ecmoMode: 'ECMO' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/weightKg/);
    expect(bad.body.error.message).toMatch(/ecmoMode/);
    const notJson = await t.api<{ error: { code: string } }>('/api/beds/b9/patient', { method: 'PUT', body: '{nope' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('bad_json');
    expect((await t.api('/api/beds/b9')).status).toBe(404);
  });

  it('answers 404 for an unknown bed and 400 for an impossible bed id', async () => {
    expect((await t.api('/api/beds/nobody-here')).status).toBe(404);
    expect((await t.api('/api/beds/' + encodeURIComponent('a/b'))).status).toBe(400);
    expect((await t.api('/api/beds/' + 'x'.repeat(40))).status).toBe(400);
  });
});

describe('recording across a restart', () => {
  it('keeps beds, patients, recent values and history after the server restarts on the same DATA_DIR', async () => {
    const dev = await t.device();
    const ts = Date.now() - 2000;
    await dev.publishAsync('icu/keep/ecmo/numerics', JSON.stringify({ ts, values: { flow: 2.1, rpm: 3200 } }));
    await t.api('/api/beds/keep/patient', {
      method: 'PUT',
      body: JSON.stringify({ weightKg: 12, heightCm: 88, ageMonths: 24, ecmoMode: 'VV' }),
    });
    await until(async () => (await t.api<BedDetail>('/api/beds/keep')).body.latest?.flow, 'keep flow');
    await dev.endAsync();
    await t.restart();
    const after = await t.api<BedDetail>('/api/beds/keep');
    expect(after.status).toBe(200);
    expect(after.body.latest.flow).toEqual({ value: 2.1, ts, source: 'ecmo' });
    expect(after.body.patient?.ecmoMode).toBe('VV');
    const h = await t.api<{ t: number[]; series: Record<string, (number | null)[]> }>(
      `/api/beds/keep/history?keys=flow,rpm&from=${ts - 5000}&to=${ts + 5000}&stepS=1`,
    );
    expect(h.body.series.rpm.filter((v) => v !== null)).toEqual([3200]);
    // the old token still works: tokens are signed with a secret kept in the recording
    expect((await t.api('/api/beds')).status).toBe(200);
    // and the admin password is the one configured
    expect((await loginAs('admin', ADMIN_PASSWORD)).status).toBe(200);
  });
});

describe('metrics', () => {
  it('exposes ingest counters in Prometheus text format', async () => {
    const r = await fetch(`${t.url}/metrics`);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await r.text();
    expect(text).toMatch(/^# TYPE ecmo_ingest_accepted_total counter$/m);
    expect(text).toMatch(/^ecmo_ingest_accepted_total \d+$/m);
    expect(text).toMatch(/^ecmo_ingest_rejected_total\{reason="malformed_json"\} \d+$/m);
    expect(text).toMatch(/^# TYPE ecmo_device_to_emit_seconds histogram$/m);
    expect(text).toMatch(/^ecmo_device_to_emit_seconds_bucket\{le="0\.001"\} \d+$/m);
    expect(text).toMatch(/^# TYPE process_cpu_seconds_total counter$/m);
  });
});

describe('the server clock on Socket.IO', () => {
  it('reaches every dashboard once a second even when no bed exists, with the server time', async () => {
    const s = t.socket();
    const first = await nextEvent<{ serverNow: number }>(s, 'clock', () => true, 3000);
    const second = await nextEvent<{ serverNow: number }>(s, 'clock', () => true, 3000);
    expect(Math.abs(first.serverNow - Date.now())).toBeLessThan(5000);
    expect(second.serverNow - first.serverNow).toBeGreaterThanOrEqual(500);
    expect(second.serverNow - first.serverNow).toBeLessThan(2500);
    s.close();
  });
});
