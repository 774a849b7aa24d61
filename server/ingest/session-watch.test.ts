import { describe, expect, it } from 'vitest';
import { SessionWatch } from './session-watch.js';

const T = 1_800_000_000_000;

describe('session watch', () => {
  it('calls a session contested after three closes within seconds of their connects in a minute, once', () => {
    const w = new SessionWatch();
    const said: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      w.connected(T + i * 2000);
      said.push(w.closed(T + i * 2000 + 300));
    }
    expect(said).toEqual([false, false, true, false, false]);
    expect(w.isContested(T + 10_000)).toBe(true);
  });

  it('does not for a broker restart now and then, nor for connections that held', () => {
    const w = new SessionWatch();
    for (let i = 0; i < 5; i++) {
      w.connected(T + i * 60_000);
      expect(w.closed(T + i * 60_000 + 20_000)).toBe(false); // held 20 s each time
    }
    w.connected(T + 400_000);
    w.closed(T + 400_100);
    w.connected(T + 500_000);
    w.closed(T + 500_100); // two quick drops, far apart
    expect(w.isContested(T + 500_200)).toBe(false);
  });

  it('clears once a connection has held 30 s', () => {
    const w = new SessionWatch();
    for (let i = 0; i < 3; i++) {
      w.connected(T + i * 1000);
      w.closed(T + i * 1000 + 100);
    }
    w.connected(T + 5000);
    expect(w.isContested(T + 20_000)).toBe(true);
    expect(w.isContested(T + 35_000)).toBe(false);
  });
});
