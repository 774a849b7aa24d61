// Login state: the token lives in sessionStorage (gone when the tab closes), never in a cookie.
import type { ApiError as ApiErrorBody, LoginAnswer } from '../../../shared/protocol.js';

const KEY = 'ecmo.session';

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

  get token(): string | null {
    return this.current?.token ?? null;
  }

  async login(username: string, password: string): Promise<string | null> {
    const res = await fetch('/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) return (body as Partial<ApiErrorBody> | null)?.error?.message ?? `login failed (${res.status})`;
    this.current = body as LoginAnswer;
    sessionStorage.setItem(KEY, JSON.stringify(body));
    return null;
  }

  /** Ends the session here and on the server (the token stops working at once). */
  logout(): void {
    const token = this.current?.token;
    this.current = null;
    sessionStorage.removeItem(KEY);
    // Best effort: an expired or already ended token answers 401, and that is fine.
    if (token) void fetch('/api/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
  }
}

export const session = new Session();
