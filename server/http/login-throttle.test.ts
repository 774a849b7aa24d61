import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

const T = 1_800_000_000_000;

describe('login throttle', () => {
  it('refuses a key after 10 failures within a minute, for as long as the 10th newest takes to age out', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 9; i++) t.failed('user:ann', T + i * 1000);
    expect(t.retryAfterS('user:ann', T + 9000)).toBe(0);
    t.failed('user:ann', T + 9000);
    expect(t.retryAfterS('user:ann', T + 9000)).toBe(51); // the first failure ages out at T + 60 s
    expect(t.retryAfterS('user:ann', T + 59_500)).toBe(1);
    expect(t.retryAfterS('user:ann', T + 60_000)).toBe(0);
    // Keys are independent: a user locked out does not lock out an address, nor another user.
    expect(t.retryAfterS('ip:10.0.0.1', T + 9000)).toBe(0);
    expect(t.retryAfterS('user:bob', T + 9000)).toBe(0);
  });

  it('stays bounded under a flood of invented user names', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 50_000; i++) t.failed(`user:u${i}`, T + i * 10); // 500 s of one failure every 10 ms
    expect(t.size).toBeLessThanOrEqual(20_000);
  });
});
