// Login tokens: `payload.signature`, HMAC-SHA256 with a secret kept in the recording, so tokens
// survive a restart of the server and cannot be forged without the secret.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ROLES, type Role } from '../../shared/schemas.js';

export interface Identity {
  username: string;
  role: Role;
}

interface Payload {
  u: string;
  r: Role;
  exp: number;
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

  issue(id: Identity, nowMs: number): string {
    const payload: Payload = { u: id.username, r: id.role, exp: nowMs + this.ttlMs };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The identity behind a token, or null for a forged, malformed or expired one. */
  verify(token: unknown, nowMs: number): Identity | null {
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
      return { username: p.u, role: p.r };
    } catch {
      return null;
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
