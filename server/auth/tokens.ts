// Login tokens: `payload.signature`, HMAC-SHA256 with a secret kept in the recording, so tokens
// survive a restart of the server and cannot be forged without the secret.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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

interface Payload {
  u: string;
  r: Role;
  exp: number;
  /** The user's token version when issued. */
  v?: number;
  /** This token's id (logout ends it alone). */
  j?: string;
}

export function newSecret(): string {
  return randomBytes(32).toString('base64');
}

export class TokenSigner {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlMs: number,
  ) {
    this.key = Buffer.from(secret, 'base64');
  }

  issue(id: Identity & { version: number }, nowMs: number): string {
    const payload: Payload = {
      u: id.username,
      r: id.role,
      exp: nowMs + this.ttlMs,
      v: id.version,
      j: randomBytes(12).toString('base64url'),
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** What a token says, or null for a forged, malformed or expired one. */
  verify(token: unknown, nowMs: number): TokenClaims | null {
    if (typeof token !== 'string' || token.length > 2048) return null;
    const dot = token.indexOf('.');
    if (dot <= 0) return null;
    const body = token.slice(0, dot);
    const sig = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.sign(body), 'base64url');
    if (sig.length !== expected.length || !timingSafeEqual(sig, expected)) return null;
    try {
      const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
      if (typeof p.u !== 'string' || !ROLES.includes(p.r) || typeof p.exp !== 'number' || p.exp < nowMs) return null;
      return { username: p.u, role: p.r, version: p.v ?? 0, jti: p.j ?? '', expiresAtMs: p.exp };
    } catch {
      return null;
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
