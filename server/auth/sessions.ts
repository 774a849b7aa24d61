// Sessions that can end. A token is valid while its signature holds, it has not expired, its user
// exists and is not disabled, it was issued under the user's current token version (a password or
// role change, or disabling, bumps the version) and it was not ended by logout. Checked on every
// REST request and Socket.IO handshake from memory; the recording keeps the versions and the ended
// tokens across restarts. Whoever must act on an ended session (the stream: disconnect its
// sockets) listens.
import type { Role } from '../../shared/schemas.js';
import type { UserRow, UserStore } from '../record/recorder.js';
import type { TokenClaims, TokenSigner } from './tokens.js';

/** Identity of a checked token, with what is needed to end it. */
export type Session = TokenClaims;

type Ended = { username: string } | { jti: string };

export class Sessions {
  private readonly users = new Map<string, { version: number; disabled: boolean; role: Role }>();
  private readonly revoked = new Set<string>();
  private readonly listeners: ((ended: Ended) => void)[] = [];

  constructor(
    private readonly signer: TokenSigner,
    private readonly store: UserStore,
  ) {}

  /** Loads users' versions and ended tokens from the recording (at start). */
  async load(nowMs: number): Promise<void> {
    for (const u of await this.store.listUsers()) this.remember(u);
    for (const jti of await this.store.revokedTokens(nowMs)) this.revoked.add(jti);
  }

  issue(user: UserRow, nowMs: number): string {
    this.remember(user);
    return this.signer.issue({ username: user.username, role: user.role, version: user.tokenVersion ?? 0 }, nowMs);
  }

  verify(token: unknown, nowMs: number): Session | null {
    const c = this.signer.verify(token, nowMs);
    if (!c) return null;
    const u = this.users.get(c.username);
    if (!u || u.disabled || u.version !== c.version || u.role !== c.role || this.revoked.has(c.jti)) return null;
    return c;
  }

  /** Logout: ends this token alone. */
  async logout(s: Session): Promise<void> {
    this.revoked.add(s.jti);
    await this.store.revokeToken(s.jti, s.expiresAtMs);
    this.emit({ jti: s.jti });
  }

  /** A user changed (or was removed: null): tokens issued before stop working at once. */
  userChanged(username: string, now: UserRow | null): void {
    if (now) this.remember(now);
    else this.users.delete(username);
    this.emit({ username });
  }

  onEnded(f: (ended: Ended) => void): void {
    this.listeners.push(f);
  }

  private remember(u: UserRow): void {
    this.users.set(u.username, { version: u.tokenVersion ?? 0, disabled: !!u.disabled, role: u.role });
  }

  private emit(e: Ended): void {
    for (const f of this.listeners) f(e);
  }
}
