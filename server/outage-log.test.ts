import { describe, expect, it } from 'vitest';
import { OutageLog } from './outage-log.js';

describe('logging a broker outage', () => {
  it('writes one line when it starts, one a minute while it lasts, and one when it ends', () => {
    const lines: string[] = [];
    const log = { info: (_o: object, m: string) => void lines.push(m), warn: (_o: object, m: string) => void lines.push(m) };
    const o = new OutageLog(log as never, 'mqtt://x');
    o.changed(true, 0);
    for (let t = 1000; t <= 150_000; t += 1000) o.changed(false, t, 'ECONNREFUSED');
    o.changed(true, 151_000);
    expect(lines).toEqual([
      'broker connected',
      'broker connection lost; reconnecting',
      'broker still unreachable',
      'broker still unreachable',
      'broker connection back',
    ]);
  });
});
