// Sessions that end: logout, and a user's password, role or account changed or removed by an
// admin — the token is refused on REST at once and its live Socket.IO connection is cut, across a
// restart too. Real server, real socket.io-client.
import Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
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

  it('issues HS256 JWTs, and refuses with 401 (REST) and "unauthorized" (Socket.IO) a token of the old format, `alg: none` or another algorithm', async () => {
    expect(decodeProtectedHeader(t.token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(t.token);
    expect(claims).toMatchObject({ sub: 'admin', role: 'admin', ver: expect.any(Number) as number });
    // forged with the server's own secret (from the recording), so only the format or algorithm is wrong
    const db = new Database(join(t.dataDir, 'recording.sqlite'), { readonly: true, fileMustExist: true });
    const secret = (db.prepare("SELECT value FROM meta WHERE key = 'token_secret'").get() as { value: string }).value;
    db.close();
    const key = new Uint8Array(Buffer.from(secret, 'base64'));
    const b64url = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
    const hs = (input: string) => createHmac('sha256', key).update(input).digest('base64url');
    const oldBody = b64url({ u: 'admin', r: 'admin', exp: Date.now() + 3600_000, v: claims.ver, j: 'old-format' });
    const handMade = (alg: string) => `${b64url({ alg, typ: 'JWT' })}.${b64url({ ...claims, jti: `hand-${alg}` })}`;
    // the control: the same claims re-signed HS256 by hand are accepted
    expect((await t.api('/api/beds', as(`${handMade('HS256')}.${hs(handMade('HS256'))}`))).status).toBe(200);
    const refused = {
      'old format': `${oldBody}.${hs(oldBody)}`,
      'alg none': `${handMade('none')}.`,
      'alg none, signed': `${handMade('none')}.${hs(handMade('none'))}`,
      'RS256 label': `${handMade('RS256')}.${hs(handMade('RS256'))}`,
      HS512: await new SignJWT({ ...claims, jti: 'hs512' }).setProtectedHeader({ alg: 'HS512', typ: 'JWT' }).sign(key),
    };
    for (const [what, token] of Object.entries(refused)) {
      const r = await t.api<{ error: { code: string; message: string } }>('/api/beds', as(token));
      expect(r.status, what).toBe(401);
      expect(r.body, what).toEqual({ error: { code: 'unauthorized', message: 'log in first: Authorization: Bearer <token>' } });
      const s = t.socket(token);
      expect((await nextEvent<Error>(s, 'connect_error')).message, what).toBe('unauthorized: a valid token is required');
    }
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
