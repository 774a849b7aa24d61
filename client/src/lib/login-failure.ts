// Why a login failed, read from the server's answer, so the login page can say what to do: a wrong
// password, too many attempts (and for how long), or a server that is down or out of reach. Pure:
// session.svelte.ts calls it, the unit tests pin it down.

/** A login the server did not accept. */
export type LoginFailure =
  /** Wrong user or password (401). */
  | { kind: 'refused'; message: string }
  /** Too many failed logins from this computer (429); seconds to wait from Retry-After, if sent. */
  | { kind: 'throttled'; message: string; retryAfterS: number | null }
  /** No answer, or a gateway's in front of a server that is down (502, 503, 504). */
  | { kind: 'unreachable'; message: string }
  /** Any other refusal (400, 500…): the server's own words. */
  | { kind: 'other'; message: string; status: number };

const GATEWAY_DOWN = new Set([502, 503, 504]);

/** Retry-After as seconds from now: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, nowMs: number): number | null {
  if (!header) return null;
  const s = header.trim();
  if (/^\d+$/.test(s)) return Number(s);
  // An HTTP date names its day ("Sat, 01 Mar 2025 10:00:30 GMT"); anything else is not one.
  if (!/^[A-Za-z]{3}, /.test(s)) return null;
  const at = Date.parse(s);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** The failure an HTTP answer to POST /api/login means (`message`: the error body's, if any). */
export function loginFailure(status: number, message: string | null, retryAfter: string | null, nowMs: number): LoginFailure {
  if (status === 401) return { kind: 'refused', message: message ?? 'wrong username or password' };
  if (status === 429)
    return { kind: 'throttled', message: message ?? 'too many failed logins', retryAfterS: retryAfterSeconds(retryAfter, nowMs) };
  if (GATEWAY_DOWN.has(status)) return { kind: 'unreachable', message: `HTTP ${status}${message ? `: ${message}` : ''}` };
  return { kind: 'other', message: message ?? `login failed (HTTP ${status})`, status };
}
