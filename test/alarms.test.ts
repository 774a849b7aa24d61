// Alarms across a restart, limits set by a specialist, and a device that falls silent: the server
// with its embedded broker, a real SQLite recording, REST and a socket.io-client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm, BedDetail } from '../shared/protocol.js';
import { nextEvent, startTestServer, until, type TestServer } from './helpers/server.js';

const VA_PATIENT = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' };

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

const alarms = async (query: string) => (await t.api<Alarm[]>(`/api/alarms?${query}`)).body;

describe('alarms over a restart', () => {
  it('keeps an active alarm, its acknowledgement and the bed limits across a restart, with the same id', async () => {
    await t.api('/api/beds/rs1/patient', { method: 'PUT', body: JSON.stringify(VA_PATIENT) });
    const limits = await t.api<{ overrides: Record<string, number>; limits: { drainageHighMmHg: number } }>('/api/beds/rs1/limits', {
      method: 'PUT',
      body: JSON.stringify({ drainageHighMmHg: -120 }),
    });
    expect(limits.status).toBe(200);
    expect(limits.body.overrides).toEqual({ drainageHighMmHg: -120 });

    const dev = await t.device();
    // Pump stopped on ECMO: a high alarm with no onset delay.
    await dev.publishAsync('icu/rs1/ecmo/numerics', JSON.stringify({ ts: Date.now(), values: { flow: 0, rpm: 0 } }), { qos: 1 });
    const [stopped] = await until(async () => {
      const list = await alarms('bed=rs1&state=active');
      return list.some((a) => a.key === 'pumpStopped') ? list.filter((a) => a.key === 'pumpStopped') : null;
    }, 'pump stopped alarm');
    expect(stopped.priority).toBe('high');
    const ack = await t.api<Alarm>(`/api/alarms/${encodeURIComponent(stopped.id)}/ack`, { method: 'POST' });
    expect(ack.body.ackedBy).toBe('admin');
    const before = t.socket();
    await nextEvent(before, 'connect');
    const seqBefore = (await before.emitWithAck('watch', { beds: ['rs1'] })).beds[0].seq;

    await t.restart();
    const login = await t.api<{ token: string }>('/api/login', {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: 'test-admin-pw' }),
    });
    t.token = login.body.token;

    const after = await alarms('bed=rs1&state=active');
    const same = after.find((a) => a.id === stopped.id);
    expect(same).toMatchObject({ key: 'pumpStopped', state: 'active', ackedBy: 'admin', raisedAt: stopped.raisedAt });
    const detail = (await t.api<BedDetail>('/api/beds/rs1')).body;
    expect(detail.alarms.map((a) => a.id)).toContain(stopped.id);
    // The bed's update numbers keep rising across the restart: a client sees a gap, never a repeat.
    const afterSocket = t.socket();
    await nextEvent(afterSocket, 'connect');
    expect((await afterSocket.emitWithAck('watch', { beds: ['rs1'] })).beds[0].seq).toBeGreaterThan(seqBefore);
    const kept = await t.api<{ overrides: Record<string, number> }>('/api/beds/rs1/limits');
    expect(kept.body.overrides).toEqual({ drainageHighMmHg: -120 });
    // The audit log kept who changed what, and only an admin reads it.
    const audit = (await t.api<{ username: string; action: string; target: string | null }[]>('/api/audit')).body;
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ username: 'admin', action: 'patient.set', target: 'rs1' }),
        expect.objectContaining({ username: 'admin', action: 'limits.set', target: 'rs1' }),
        expect.objectContaining({ username: 'admin', action: 'alarm.ack', target: stopped.id }),
      ]),
    );

    // The restored alarm carries on: the pump turning again clears it (acknowledged: not latched).
    const s = t.socket();
    await nextEvent(s, 'connect');
    const cleared = nextEvent<Alarm>(s, 'alarm', (a) => a.id === stopped.id && a.state === 'cleared', 15_000);
    const dev2 = await t.device();
    for (let i = 0; i < 7; i++) {
      await dev2.publishAsync('icu/rs1/ecmo/numerics', JSON.stringify({ ts: Date.now(), values: { flow: 2, rpm: 3000 } }), { qos: 1 });
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect((await cleared).latched).toBe(false);
  });

  it('refuses limits that do not fit together, and a viewer who tries to change them', async () => {
    await t.api('/api/beds/rs2/patient', { method: 'PUT', body: JSON.stringify(VA_PATIENT) });
    const bad = await t.api<{ error: { code: string } }>('/api/beds/rs2/limits', {
      method: 'PUT',
      body: JSON.stringify({ drainageHighMmHg: -50 }), // the high limit above the warning limit
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_limits');
    const unknown = await t.api('/api/beds/rs2/limits', { method: 'PUT', body: JSON.stringify({ madeUp: 1 }) });
    expect(unknown.status).toBe(400);
    await t.api('/api/users', { method: 'POST', body: JSON.stringify({ username: 'val', password: 'viewer-pw-123', role: 'viewer' }) });
    const viewer = await t.api<{ token: string }>('/api/login', {
      method: 'POST',
      body: JSON.stringify({ username: 'val', password: 'viewer-pw-123' }),
    });
    const denied = await t.api('/api/beds/rs2/limits', {
      method: 'PUT',
      body: JSON.stringify({ drainageHighMmHg: -110 }),
      headers: { authorization: `Bearer ${viewer.body.token}` },
    });
    expect(denied.status).toBe(403);
    expect((await t.api<{ overrides: object }>('/api/beds/rs2/limits')).body.overrides).toEqual({});
    const auditDenied = await t.api('/api/audit', { headers: { authorization: `Bearer ${viewer.body.token}` } });
    expect(auditDenied.status).toBe(403);
  });

  it('raises the monitor’s technical alarm when it falls silent for 10 s, and clears it when it speaks again', async () => {
    await t.api('/api/beds/rs3/patient', { method: 'PUT', body: JSON.stringify(VA_PATIENT) });
    const s = t.socket();
    await nextEvent(s, 'connect');
    const raised = nextEvent<Alarm>(s, 'alarm', (a) => a.bedId === 'rs3' && a.key === 'deviceOffline.monitor', 20_000);
    const dev = await t.device();
    const sent = Date.now();
    await dev.publishAsync('icu/rs3/monitor/numerics', JSON.stringify({ ts: sent, values: { hr: 120, map: 60 } }), { qos: 1 });
    const a = await raised;
    expect(a).toMatchObject({ kind: 'technical', priority: 'medium', state: 'active' });
    expect(a.raisedAt - sent).toBeGreaterThan(10_000);
    expect(a.raisedAt - sent).toBeLessThan(12_500);
    const cleared = nextEvent<Alarm>(s, 'alarm', (x) => x.id === a.id && x.state === 'cleared', 15_000);
    for (let i = 0; i < 7; i++) {
      await dev.publishAsync('icu/rs3/monitor/numerics', JSON.stringify({ ts: Date.now(), values: { hr: 120, map: 60 } }), { qos: 1 });
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect((await cleared).state).toBe('cleared');
  });
});
