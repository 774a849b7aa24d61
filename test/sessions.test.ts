// Sessions that end: logout, and a user's password, role or account changed or removed by an
// admin — the token is refused on REST at once and its live Socket.IO connection is cut, across a
// restart too. Real server, real socket.io-client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, startTestServer, type TestServer } from './helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

async function login(username: string, password: string): Promise<string> {
  const r = await t.api<{ token: string }>('/api/login', { method: 'POST', body: JSON.stringify({ username, password }) });
  expect(r.status).toBe(200);
  return r.body.token;
}
const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('sessions', () => {
  it('ends a token on logout: REST refuses it and its socket is disconnected, while another token of the user still works', async () => {
    await t.api('/api/users', { method: 'POST', body: JSON.stringify({ username: 'lou', password: 'lou-pw-123', role: 'specialist' }) });
    const a = await login('lou', 'lou-pw-123');
    const b = await login('lou', 'lou-pw-123');
    const sa = t.socket(a);
    const sb = t.socket(b);
    await Promise.all([nextEvent(sa, 'connect'), nextEvent(sb, 'connect')]);
    const cut = nextEvent(sa, 'disconnect');
    expect((await t.api('/api/logout', { method: 'POST', ...as(a) })).status).toBe(200);
    await cut;
    expect((await t.api('/api/beds', as(a))).status).toBe(401);
    expect((await t.api('/api/beds', as(b))).status).toBe(200);
    expect(sb.connected).toBe(true);
    // a new handshake with the ended token is refused
    const again = t.socket(a);
    expect((await nextEvent<Error>(again, 'connect_error')).message).toMatch(/unauthorized/);
  });

  it('ends every token of a user whose password or role an admin changes, or whom an admin disables or removes', async () => {
    await t.api('/api/users', { method: 'POST', body: JSON.stringify({ username: 'max', password: 'max-pw-123', role: 'specialist' }) });
    let token = await login('max', 'max-pw-123');
    const s = t.socket(token);
    await nextEvent(s, 'connect');
    const cut = nextEvent(s, 'disconnect');
    const demoted = await t.api<{ role: string }>('/api/users/max', { method: 'PATCH', body: JSON.stringify({ role: 'viewer' }) });
    expect(demoted.body.role).toBe('viewer');
    await cut;
    expect((await t.api('/api/beds', as(token))).status).toBe(401);

    token = await login('max', 'max-pw-123');
    expect((await t.api('/api/beds', as(token))).status).toBe(200);
    await t.api('/api/users/max', { method: 'PATCH', body: JSON.stringify({ password: 'max-new-pw-1' }) });
    expect((await t.api('/api/beds', as(token))).status).toBe(401);
    expect((await t.api('/api/login', { method: 'POST', body: JSON.stringify({ username: 'max', password: 'max-pw-123' }) })).status).toBe(
      401,
    );

    token = await login('max', 'max-new-pw-1');
    await t.api('/api/users/max', { method: 'PATCH', body: JSON.stringify({ disabled: true }) });
    expect((await t.api('/api/beds', as(token))).status).toBe(401);
    expect(
      (await t.api('/api/login', { method: 'POST', body: JSON.stringify({ username: 'max', password: 'max-new-pw-1' }) })).status,
    ).toBe(401);

    await t.api('/api/users/max', { method: 'PATCH', body: JSON.stringify({ disabled: false }) });
    token = await login('max', 'max-new-pw-1');
    expect((await t.api('/api/users/max', { method: 'DELETE' })).status).toBe(200);
    expect((await t.api('/api/beds', as(token))).status).toBe(401);
    expect((await t.api('/api/users/max', { method: 'DELETE' })).status).toBe(404);
  });

  it('lets only an admin manage users, and not lock itself out', async () => {
    await t.api('/api/users', { method: 'POST', body: JSON.stringify({ username: 'sue', password: 'sue-pw-123', role: 'specialist' }) });
    const sue = await login('sue', 'sue-pw-123');
    expect((await t.api('/api/users/sue', { method: 'PATCH', body: JSON.stringify({ role: 'admin' }), ...as(sue) })).status).toBe(403);
    expect((await t.api('/api/users/admin', { method: 'PATCH', body: JSON.stringify({ disabled: true }) })).status).toBe(409);
    expect((await t.api('/api/users/admin', { method: 'DELETE' })).status).toBe(409);
    expect((await t.api('/api/users/sue', { method: 'PATCH', body: JSON.stringify({}) })).status).toBe(400);
    const audit = (await t.api<{ action: string; target: string | null }[]>('/api/audit')).body;
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['login', 'logout', 'user.change', 'user.remove', 'user.create']));
  });

  it('keeps ended sessions ended after a restart', async () => {
    await t.api('/api/users', { method: 'POST', body: JSON.stringify({ username: 'ned', password: 'ned-pw-123', role: 'viewer' }) });
    const ended = await login('ned', 'ned-pw-123');
    const kept = await login('ned', 'ned-pw-123');
    await t.api('/api/logout', { method: 'POST', ...as(ended) });
    await t.restart();
    expect((await t.api('/api/beds', as(ended))).status).toBe(401);
    expect((await t.api('/api/beds', as(kept))).status).toBe(200);
  });
});
