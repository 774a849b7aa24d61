import { createHmac } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { CLOCK_TOLERANCE_S, TOKEN_AUDIENCE, TOKEN_ISSUER, newSecret, TokenSigner } from './tokens.js';

const TTL_MS = 60_000;
const secret = newSecret();
const signer = new TokenSigner(secret, TTL_MS);
const key = new Uint8Array(Buffer.from(secret, 'base64'));
const id = { username: 'ana', role: 'specialist' as const, version: 3 };
/** Issue time: whole seconds, as JWT times are. */
const T = 1_700_000_000_000;

const b64url = (x: unknown) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
const hmac = (alg: 'sha256' | 'sha512', input: string) => createHmac(alg, key).update(input).digest('base64url');
const validClaims = (over: Record<string, unknown> = {}) => ({
  sub: 'ana',
  role: 'admin',
  ver: 3,
  jti: 'forged-1',
  iss: TOKEN_ISSUER,
  aud: TOKEN_AUDIENCE,
  iat: T / 1000,
  exp: T / 1000 + 60,
  ...over,
});
/** A compact JWS made by hand, signed with our secret under whatever header it is given. */
const handMade = (header: Record<string, unknown>, claims: Record<string, unknown>, sig: 'sha256' | 'sha512' | '' = 'sha256') => {
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${sig ? hmac(sig, input) : ''}`;
};

describe('TokenSigner', () => {
  it('issues HS256 JWTs with sub, role, ver, jti, iat, exp, iss and aud, and verifies them back', async () => {
    const token = await signer.issue(id, T);
    expect(token.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims.jti).toMatch(/^[\w-]{16,}$/);
    expect(claims).toEqual({
      sub: 'ana',
      role: 'specialist',
      ver: 3,
      jti: claims.jti,
      iat: T / 1000,
      exp: T / 1000 + TTL_MS / 1000,
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
    });
    expect(await signer.verify(token, T + 1000)).toEqual({ ...id, jti: claims.jti, expiresAtMs: T + TTL_MS });
    // every token has an id of its own (logout ends one alone)
    expect(decodeJwt(await signer.issue(id, T)).jti).not.toBe(claims.jti);
  });

  it('keeps accepting its tokens with the same secret (a restart), and refuses those of another secret', async () => {
    const token = await signer.issue(id, T);
    expect(await new TokenSigner(secret, TTL_MS).verify(token, T + 1000)).toMatchObject(id);
    expect(await new TokenSigner(newSecret(), TTL_MS).verify(token, T + 1000)).toBeNull();
    expect(await signer.verify(await new TokenSigner(newSecret(), TTL_MS).issue(id, T), T + 1000)).toBeNull();
  });

  it('refuses an expired token, with no more than a few seconds of clock tolerance', async () => {
    const token = await signer.issue(id, T);
    const expMs = T + TTL_MS;
    expect(await signer.verify(token, expMs - 1)).not.toBeNull();
    expect(CLOCK_TOLERANCE_S).toBeLessThanOrEqual(5);
    expect(await signer.verify(token, expMs + CLOCK_TOLERANCE_S * 1000 - 1)).not.toBeNull();
    expect(await signer.verify(token, expMs + CLOCK_TOLERANCE_S * 1000)).toBeNull();
    expect(await signer.verify(token, expMs + 3600_000)).toBeNull();
    // and one issued in the future (beyond the tolerance)
    expect(await signer.verify(await signer.issue(id, T + 60_000), T)).toBeNull();
  });

  it('refuses a tampered payload, header or signature', async () => {
    const token = await signer.issue(id, T);
    const [header, payload, sig] = token.split('.');
    const promoted = b64url({ ...decodeJwt(token), role: 'admin' });
    expect(await signer.verify(`${header}.${promoted}.${sig}`, T + 1000)).toBeNull();
    const older = b64url({ ...decodeJwt(token), ver: 2 });
    expect(await signer.verify(`${header}.${older}.${sig}`, T + 1000)).toBeNull();
    const otherHeader = b64url({ alg: 'HS256', typ: 'JWT', kid: 'x' });
    expect(await signer.verify(`${otherHeader}.${payload}.${sig}`, T + 1000)).toBeNull();
    const flipped = Buffer.from(sig, 'base64url');
    flipped[0] ^= 1;
    expect(await signer.verify(`${header}.${payload}.${flipped.toString('base64url')}`, T + 1000)).toBeNull();
    expect(await signer.verify(`${header}.${payload}.`, T + 1000)).toBeNull();
    expect(await signer.verify(`${header}.${payload}`, T + 1000)).toBeNull();
  });

  it('accepts a hand-made HS256 token (the crafting below is right) but refuses `alg: none`', async () => {
    expect(await signer.verify(handMade({ alg: 'HS256', typ: 'JWT' }, validClaims()), T + 1000)).toMatchObject({ role: 'admin' });
    for (const alg of ['none', 'None', 'NONE']) {
      expect(await signer.verify(handMade({ alg, typ: 'JWT' }, validClaims(), ''), T + 1000), alg).toBeNull();
      expect(await signer.verify(handMade({ alg, typ: 'JWT' }, validClaims()), T + 1000), alg).toBeNull();
    }
  });

  it('refuses tokens under any other algorithm, even signed with the secret', async () => {
    // HS512 with the same secret, by jose and by hand
    const hs512 = await new SignJWT({ role: 'admin', ver: 3 })
      .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
      .setSubject('ana')
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setJti('x1')
      .setIssuedAt(T / 1000)
      .setExpirationTime(T / 1000 + 60)
      .sign(key);
    expect(await signer.verify(hs512, T + 1000)).toBeNull();
    expect(await signer.verify(handMade({ alg: 'HS512', typ: 'JWT' }, validClaims(), 'sha512'), T + 1000)).toBeNull();
    // labelled RS256 / ES256 / PS256 but HMAC-signed with the secret (key confusion)
    for (const alg of ['RS256', 'ES256', 'PS256', 'HS384', 'EdDSA']) {
      expect(await signer.verify(handMade({ alg, typ: 'JWT' }, validClaims()), T + 1000), alg).toBeNull();
    }
  });

  it('refuses a wrong or missing issuer or audience, a wrong type, and claims of the wrong shape', async () => {
    const hs = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }) =>
      signer.verify(handMade(header, claims), T + 1000);
    expect(await hs(validClaims({ iss: 'someone-else' }))).toBeNull();
    expect(await hs(validClaims({ aud: 'another-service' }))).toBeNull();
    expect(await hs(validClaims({ aud: [TOKEN_ISSUER] }))).toBeNull();
    expect(await hs(validClaims({ iss: undefined }))).toBeNull();
    expect(await hs(validClaims({ aud: undefined }))).toBeNull();
    expect(await hs(validClaims(), { alg: 'HS256', typ: 'at+jwt' })).toBeNull();
    expect(await hs(validClaims({ exp: undefined }))).toBeNull();
    expect(await hs(validClaims({ iat: undefined }))).toBeNull();
    expect(await hs(validClaims({ jti: undefined }))).toBeNull();
    expect(await hs(validClaims({ sub: '' }))).toBeNull();
    expect(await hs(validClaims({ role: 'root' }))).toBeNull();
    expect(await hs(validClaims({ ver: '3' }))).toBeNull();
    expect(await hs(validClaims({ ver: -1 }))).toBeNull();
  });

  it('refuses a token of the old `payload.signature` format, even with a valid signature', async () => {
    const body = b64url({ u: 'ana', r: 'admin', exp: T + 60_000, v: 3, j: 'old-1' });
    expect(await signer.verify(`${body}.${hmac('sha256', body)}`, T + 1000)).toBeNull();
  });

  it('refuses junk without throwing', async () => {
    for (const junk of [undefined, null, 42, {}, '', '.', '..', 'a.b.c', 'x'.repeat(5000), `${'a'.repeat(3000)}.b.c`]) {
      expect(await signer.verify(junk, T)).toBeNull();
    }
  });

  it('refuses a secret too short for HS256', () => {
    expect(() => new TokenSigner(Buffer.alloc(16).toString('base64'), TTL_MS)).toThrow(/32 bytes/);
  });
});
