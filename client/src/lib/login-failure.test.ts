import { describe, expect, it } from 'vitest';
import { loginFailure, retryAfterSeconds } from './login-failure.js';

const NOW = Date.parse('2025-03-01T10:00:00Z');

describe('loginFailure: what an answer to a login means', () => {
  it('reads 401 as a wrong user or password, in the server’s words', () => {
    expect(loginFailure(401, 'wrong username or password', null, NOW)).toEqual({ kind: 'refused', message: 'wrong username or password' });
    expect(loginFailure(401, null, null, NOW).kind).toBe('refused');
  });

  it('reads 429 as throttled, with the wait from Retry-After when the server sends one', () => {
    expect(loginFailure(429, 'too many failed logins; wait a minute', '60', NOW)).toEqual({
      kind: 'throttled',
      message: 'too many failed logins; wait a minute',
      retryAfterS: 60,
    });
    expect(loginFailure(429, null, null, NOW)).toMatchObject({ kind: 'throttled', retryAfterS: null });
  });

  it('reads a gateway’s 502, 503 and 504 as a server out of reach', () => {
    for (const status of [502, 503, 504])
      expect(loginFailure(status, null, null, NOW)).toEqual({ kind: 'unreachable', message: `HTTP ${status}` });
  });

  it('keeps any other refusal as the server said it', () => {
    expect(loginFailure(400, 'invalid body', null, NOW)).toEqual({ kind: 'other', message: 'invalid body', status: 400 });
    expect(loginFailure(500, null, null, NOW)).toEqual({ kind: 'other', message: 'login failed (HTTP 500)', status: 500 });
  });
});

describe('retryAfterSeconds', () => {
  it('takes seconds or an HTTP date, and nothing else', () => {
    expect(retryAfterSeconds('42', NOW)).toBe(42);
    expect(retryAfterSeconds(' 7 ', NOW)).toBe(7);
    expect(retryAfterSeconds('Sat, 01 Mar 2025 10:00:30 GMT', NOW)).toBe(30);
    expect(retryAfterSeconds('Sat, 01 Mar 2025 09:59:00 GMT', NOW)).toBe(0);
    expect(retryAfterSeconds(null, NOW)).toBeNull();
    expect(retryAfterSeconds('soon', NOW)).toBeNull();
    expect(retryAfterSeconds('-5', NOW)).toBeNull();
  });
});
