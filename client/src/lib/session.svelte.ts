// Login state: the token lives in sessionStorage (gone when the tab closes), never in a cookie.
// A session that ends without the user logging out (expired, revoked by an admin, refused by the
// server on a later call) returns to the login page, which says so.
import type { ApiError as ApiErrorBody, LoginAnswer } from '../../../shared/protocol.js';
import { loginFailure, type LoginFailure } from './login-failure.js';

/** A login that has not been answered in this long counts as the server unreachable. */
const LOGIN_TIMEOUT_MS = 15_000;

const KEY = 'ecmo.session';

/** What the login page says after a session ended by itself. */
const SESSION_ENDED = 'Your session ended; log in again.';

function load(): LoginAnswer | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as LoginAnswer) : null;
  } catch {
    return null;
  }
}

class Session {
  current = $state<LoginAnswer | null>(load());
  /** Why the last session ended, when not by logging out (shown on the login page); null otherwise. */
  endedNotice = $state<string | null>(null);
  /** The name of the user whose session ended, to fill in on the login page. */
  lastUsername = $state<string | null>(null);

  get token(): string | null {
    return this.current?.token ?? null;
  }

  /** Logs in; null when it worked, else why not. Never throws: a network failure is `unreachable`. */
  async login(username: string, password: string): Promise<LoginFailure | null> {
    let res: Response;
    try {
      res = await fetch('/api/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
        // A server that took the connection and never answers is as unreachable as one that is off.
        signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
      });
    } catch (err) {
      return { kind: 'unreachable', message: err instanceof Error ? err.message : String(err) };
    }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const message = (body as Partial<ApiErrorBody> | null)?.error?.message ?? null;
      return loginFailure(res.status, message, res.headers.get('retry-after'), Date.now());
    }
    this.current = body as LoginAnswer;
    this.endedNotice = null;
    sessionStorage.setItem(KEY, JSON.stringify(body));
    return null;
  }

  /**
   * The server no longer accepts this session (a 401 on a later call, a refused socket): back to
   * the login page, which says the session ended.
   */
  expire(): void {
    if (!this.current) return;
    this.lastUsername = this.current.username;
    this.endedNotice = SESSION_ENDED;
    this.current = null;
    sessionStorage.removeItem(KEY);
  }

  /** Ends the session here and on the server (the token stops working at once). */
  logout(): void {
    const token = this.current?.token;
    this.current = null;
    this.endedNotice = null;
    sessionStorage.removeItem(KEY);
    // Best effort: an expired or already ended token answers 401, and that is fine.
    if (token) void fetch('/api/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
  }
}

export const session = new Session();
