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

  it('draws its lines exactly: 5 s for a quick drop, a minute for the window, 30 s for a connection that held', () => {
    const quick = (gapMs: number) => {
      const w = new SessionWatch();
      for (let i = 0; i < 3; i++) {
        w.connected(T + i * 10_000);
        w.closed(T + i * 10_000 + gapMs);
      }
      return w.isContested(T + 30_000);
    };
    expect(quick(4999)).toBe(true);
    expect(quick(5000)).toBe(false);
    const spread = (everyMs: number) => {
      const w = new SessionWatch();
      for (let i = 0; i < 3; i++) {
        w.connected(T + i * everyMs);
        w.closed(T + i * everyMs + 100);
      }
      return w.isContested(T + 2 * everyMs + 200);
    };
    expect(spread(29_999)).toBe(true); // three drops within a minute
    expect(spread(30_000)).toBe(false); // the first has left the minute
    const held = new SessionWatch();
    for (let i = 0; i < 3; i++) {
      held.connected(T + i * 1000);
      held.closed(T + i * 1000 + 100);
    }
    held.connected(T + 10_000);
    expect(held.isContested(T + 39_999)).toBe(true);
    expect(held.isContested(T + 40_000)).toBe(false);
    expect(new SessionWatch().closed(T)).toBe(false); // a close with no connect before it
  });
});
