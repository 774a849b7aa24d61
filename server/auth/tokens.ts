// Login tokens: JWTs (RFC 7519) signed HS256 by `jose`, with a secret kept in the recording, so
// tokens survive a restart of the server and cannot be forged without the secret. Verification
// accepts HS256 only (no `alg: none`, no other algorithm, the key itself is an HMAC-SHA-256 key),
// checks issuer, audience, type and expiry (with a small clock tolerance), and the claims' shape.
import { randomBytes, webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import { ROLES, type Role } from '../../shared/schemas.js';

export interface Identity {
  username: string;
  role: Role;
}

/** What a valid token says: who, under which of the user's token versions, which token, until when. */
export interface TokenClaims extends Identity {
  version: number;
  jti: string;
  expiresAtMs: number;
}

const ALG = 'HS256';
const TYP = 'JWT';
export const TOKEN_ISSUER = 'ecmo-monitor';
export const TOKEN_AUDIENCE = 'ecmo-monitor:dashboard';
/** Seconds a token is still accepted after its `exp` (and before its `iat`): clocks that were stepped. */
export const CLOCK_TOLERANCE_S = 5;
/** Longer strings are refused before any parsing. */
const MAX_TOKEN_CHARS = 2048;

/** Claims of our tokens besides what jose checks (iss, aud, exp, iat). */
const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  /** The user's token version when issued. */
  ver: z.number().int().nonnegative(),
  /** This token's id (logout ends it alone). */
  jti: z.string().min(1),
  exp: z.number(),
});

export function newSecret(): string {
  return randomBytes(32).toString('base64');
}

export class TokenSigner {
  private readonly raw: Uint8Array;
  private readonly ttlS: number;
  private key: Promise<webcrypto.CryptoKey> | undefined;

  constructor(secret: string, ttlMs: number) {
    this.raw = new Uint8Array(Buffer.from(secret, 'base64'));
    // HS256 wants a key of at least its hash's size; newSecret() makes 32 bytes.
    if (this.raw.length < 32) throw new Error('token secret: at least 32 bytes (base64) expected');
    this.ttlS = Math.max(1, Math.round(ttlMs / 1000));
  }

  async issue(id: Identity & { version: number }, nowMs: number): Promise<string> {
    const iat = Math.floor(nowMs / 1000);
    return new SignJWT({ role: id.role, ver: id.version })
      .setProtectedHeader({ alg: ALG, typ: TYP })
      .setSubject(id.username)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setJti(randomBytes(16).toString('base64url'))
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlS)
      .sign(await this.cryptoKey());
  }

  /** What a token says, or null for a forged, malformed, foreign or expired one. Never throws. */
  async verify(token: unknown, nowMs: number): Promise<TokenClaims | null> {
    if (typeof token !== 'string' || !token || token.length > MAX_TOKEN_CHARS) return null;
    try {
      const { payload } = await jwtVerify(token, await this.cryptoKey(), {
        algorithms: [ALG],
        typ: TYP,
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
        maxTokenAge: this.ttlS,
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(nowMs),
      });
      const c = claimsSchema.safeParse(payload);
      if (!c.success) return null;
      return { username: c.data.sub, role: c.data.role, version: c.data.ver, jti: c.data.jti, expiresAtMs: c.data.exp * 1000 };
    } catch {
      // jose's errors (bad signature, algorithm, claims, expiry, malformed) and anything else: refused.
      return null;
    }
  }

  /** The secret as a key usable for HMAC-SHA-256 only, imported once. */
  private cryptoKey(): Promise<webcrypto.CryptoKey> {
    this.key ??= webcrypto.subtle.importKey('raw', this.raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    return this.key;
  }
}
