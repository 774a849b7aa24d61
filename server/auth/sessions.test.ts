// Sessions over the JWT signer, with the recording faked in memory: every rule that ends a valid
// token (logout, token version, role, disabled, removed), across a reload, and the synchronous
// `holds` that REST's `require` and the socket's connection use after the asynchronous check.
import { describe, expect, it } from 'vitest';
import type { UserRow, UserStore } from '../record/recorder.js';
import { Sessions } from './sessions.js';
import { CLOCK_TOLERANCE_S, newSecret, TokenSigner } from './tokens.js';

const T = 1_700_000_000_000;
const TTL_MS = 3600_000;

function memoryStore(users: UserRow[]): UserStore & { revoked: Map<string, number> } {
  const byName = new Map(users.map((u) => [u.username, u]));
  const revoked = new Map<string, number>();
  return {
    revoked,
    getUser: async (name) => byName.get(name),
    listUsers: async () => [...byName.values()],
    putUser: async (u) => void byName.set(u.username, u),
    deleteUser: async (name) => byName.delete(name),
    countUsers: async () => byName.size,
    revokeToken: async (jti, until) => void revoked.set(jti, until),
    revokedTokens: async (nowMs) => [...revoked].filter(([, until]) => until > nowMs).map(([jti]) => jti),
  };
}

const ana: UserRow = { username: 'ana', role: 'specialist', passwordHash: 'x', createdAt: 0, tokenVersion: 2 };

async function setup() {
  const secret = newSecret();
  const store = memoryStore([ana]);
  const sessions = new Sessions(new TokenSigner(secret, TTL_MS), store);
  await sessions.load(T);
  return { secret, store, sessions };
}

describe('Sessions', () => {
  it('verifies a token it issued into the session, which holds', async () => {
    const { sessions } = await setup();
    const s = await sessions.verify(await sessions.issue(ana, T), T + 1000);
    expect(s).toMatchObject({ username: 'ana', role: 'specialist', version: 2, expiresAtMs: T + TTL_MS });
    expect(sessions.holds(s!)).toBe(true);
  });

  it('ends one token on logout, remembered until it could no longer be accepted, also after a reload', async () => {
    const { secret, store, sessions } = await setup();
    const a = await sessions.issue(ana, T);
    const b = await sessions.issue(ana, T);
    const sa = (await sessions.verify(a, T))!;
    const ended: unknown[] = [];
    sessions.onEnded((e) => ended.push(e));
    await sessions.logout(sa);
    expect(ended).toEqual([{ jti: sa.jti }]);
    expect(sessions.holds(sa)).toBe(false);
    expect(await sessions.verify(a, T + 1000)).toBeNull();
    expect(await sessions.verify(b, T + 1000)).not.toBeNull();
    expect(store.revoked.get(sa.jti)).toBe(sa.expiresAtMs + CLOCK_TOLERANCE_S * 1000);
    // a restart: the same secret and recording
    const again = new Sessions(new TokenSigner(secret, TTL_MS), store);
    await again.load(T + TTL_MS + 1000);
    expect(await again.verify(a, T + TTL_MS + 1000)).toBeNull();
    expect(await again.verify(b, T + TTL_MS + 1000)).not.toBeNull();
  });

  it('ends every token of a user whose version or role changes, who is disabled or removed', async () => {
    const { sessions } = await setup();
    const token = await sessions.issue(ana, T);
    const s = (await sessions.verify(token, T))!;
    for (const change of [{ tokenVersion: 3 }, { role: 'viewer' as const }, { disabled: true }]) {
      sessions.userChanged('ana', { ...ana, ...change });
      expect(sessions.holds(s), JSON.stringify(change)).toBe(false);
      expect(await sessions.verify(token, T + 1000), JSON.stringify(change)).toBeNull();
      sessions.userChanged('ana', ana);
      expect(await sessions.verify(token, T + 1000)).not.toBeNull();
    }
    sessions.userChanged('ana', null);
    expect(sessions.holds(s)).toBe(false);
    expect(await sessions.verify(token, T + 1000)).toBeNull();
  });

  it('refuses a session ended while its signature was being checked', async () => {
    const { sessions } = await setup();
    const token = await sessions.issue(ana, T);
    const pending = sessions.verify(token, T + 1000);
    sessions.userChanged('ana', { ...ana, disabled: true });
    expect(await pending).toBeNull();
  });

  it('between instances sharing the recording: a user made elsewhere is read once, and what ends there ends here', async () => {
    const { secret, store, sessions: here } = await setup();
    const there = new Sessions(new TokenSigner(secret, TTL_MS), store);
    await there.load(T);
    // Made on the other instance after this one loaded its users.
    const bea: UserRow = { username: 'bea', role: 'viewer', passwordHash: 'y', createdAt: T };
    await store.putUser(bea);
    const token = await there.issue(bea, T);
    const s = (await here.verify(token, T + 1000))!;
    expect(s.username).toBe('bea');
    // Logged out there: told here, the token is refused here too, and its sockets here are cut.
    const endedHere: [unknown, boolean][] = [];
    here.onEnded((e, fromPeer) => endedHere.push([e, fromPeer]));
    await there.logout(s);
    expect(await here.verify(token, T + 2000)).not.toBeNull(); // not told yet
    await here.endedElsewhere({ jti: s.jti });
    expect(await here.verify(token, T + 2000)).toBeNull();
    expect(endedHere).toEqual([[{ jti: s.jti }, true]]);
    // A role changed there: read again here, the old token no longer holds.
    const token2 = await there.issue(bea, T);
    expect(await here.verify(token2, T + 3000)).not.toBeNull();
    await store.putUser({ ...bea, role: 'specialist', tokenVersion: 1 });
    await here.endedElsewhere({ username: 'bea' });
    expect(await here.verify(token2, T + 3000)).toBeNull();
    // Removed there: gone here too.
    const token3 = await there.issue({ ...bea, role: 'specialist', tokenVersion: 1 }, T);
    expect(await here.verify(token3, T + 3000)).not.toBeNull();
    await store.deleteUser('bea');
    await here.endedElsewhere({ username: 'bea' });
    expect(await here.verify(token3, T + 4000)).toBeNull();
  });
});
