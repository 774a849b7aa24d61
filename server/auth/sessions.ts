// Sessions that can end. A token is valid while its signature holds, it has not expired, its user
// exists and is not disabled, it was issued under the user's current token version (a password or
// role change, or disabling, bumps the version) and it was not ended by logout. Checked once per
// REST request (before its route runs) and on every Socket.IO handshake: the signature and claims
// asynchronously (jose), then the rest from memory, after the signature check, so a session ended
// meanwhile is refused. The recording keeps the versions and the ended tokens across restarts.
// Whoever must act on an ended session (the stream: disconnect its sockets) listens.
import type { Role } from '../../shared/schemas.js';
import type { UserRow, UserStore } from '../record/recorder.js';
import { CLOCK_TOLERANCE_S, type TokenClaims, type TokenSigner } from './tokens.js';

/** Identity of a checked token, with what is needed to end it. */
export type Session = TokenClaims;

export type Ended = { username: string } | { jti: string };

export class Sessions {
  private readonly users = new Map<string, { version: number; disabled: boolean; role: Role }>();
  private readonly revoked = new Set<string>();
  /** Users removed here: their tokens are not looked up in the recording again. */
  private readonly removed = new Set<string>();
  private readonly listeners: ((ended: Ended, fromPeer: boolean) => void)[] = [];

  constructor(
    private readonly signer: TokenSigner,
    private readonly store: UserStore,
  ) {}

  /** Loads users' versions and ended tokens from the recording (at start). */
  async load(nowMs: number): Promise<void> {
    for (const u of await this.store.listUsers()) this.remember(u);
    for (const jti of await this.store.revokedTokens(nowMs)) this.revoked.add(jti);
  }

  async issue(user: UserRow, nowMs: number): Promise<string> {
    this.remember(user);
    return this.signer.issue({ username: user.username, role: user.role, version: user.tokenVersion ?? 0 }, nowMs);
  }

  /** The session behind a token, or null (bad token, or a session that has ended). Never throws. */
  async verify(token: unknown, nowMs: number): Promise<Session | null> {
    const c = await this.signer.verify(token, nowMs);
    // A user this instance has not met (made on another instance sharing the recording) is read
    // from the recording once.
    if (c && !this.users.has(c.username) && !this.removed.has(c.username)) {
      const u = await this.store.getUser(c.username).catch(() => undefined);
      if (u) this.remember(u);
    }
    return c && this.holds(c) ? c : null;
  }

  /**
   * Whether a verified session still holds now (synchronous): its user exists, is not disabled, has
   * the same token version and role, and the token was not ended by logout.
   */
  holds(s: Session): boolean {
    const u = this.users.get(s.username);
    return !!u && !u.disabled && u.version === s.version && u.role === s.role && !this.revoked.has(s.jti);
  }

  /** Logout: ends this token alone. */
  async logout(s: Session): Promise<void> {
    this.revoked.add(s.jti);
    // Remembered as long as the token could still be accepted (its expiry plus the clock tolerance).
    await this.store.revokeToken(s.jti, s.expiresAtMs + CLOCK_TOLERANCE_S * 1000);
    this.emit({ jti: s.jti });
  }

  /** A user changed (or was removed: null): tokens issued before stop working at once. */
  userChanged(username: string, now: UserRow | null): void {
    if (now) this.remember(now);
    else {
      this.users.delete(username);
      this.removed.add(username);
    }
    this.emit({ username });
  }

  /**
   * Another instance sharing this recording ended a session (logout) or changed a user: the same
   * holds here from now on. The user is read again from the shared recording. Never throws.
   */
  async endedElsewhere(ended: Ended): Promise<void> {
    if ('jti' in ended) {
      if (typeof ended.jti !== 'string') return;
      this.revoked.add(ended.jti);
    } else {
      if (typeof ended.username !== 'string') return;
      try {
        const now = await this.store.getUser(ended.username);
        if (now) this.remember(now);
        else this.users.delete(ended.username);
      } catch {
        // The recording cannot be read: refuse the user's tokens here until it can.
        this.users.delete(ended.username);
      }
    }
    this.emit(ended, true);
  }

  /** `fromPeer`: the session ended on another instance (endedElsewhere), not here. */
  onEnded(f: (ended: Ended, fromPeer: boolean) => void): void {
    this.listeners.push(f);
  }

  private remember(u: UserRow): void {
    this.removed.delete(u.username);
    this.users.set(u.username, { version: u.tokenVersion ?? 0, disabled: !!u.disabled, role: u.role });
  }

  private emit(e: Ended, fromPeer = false): void {
    for (const f of this.listeners) f(e, fromPeer);
  }
}
