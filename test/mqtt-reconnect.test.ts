// The server's MQTT client backs off while its broker is unreachable: a port that accepts and drops
// every connection at once (as a broker refusing or crashing on each) sees the tries spread out,
// 1, 2, 4, 8 s apart (at most 10 s), not one a second for the whole outage.
import { createServer, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { MqttSource } from '../server/ingest/mqtt-source.js';

const sockets: Socket[] = [];
const tries: number[] = [];
const server = createServer((s) => {
  tries.push(Date.now());
  sockets.push(s);
  s.destroy();
});
let source: MqttSource | null = null;

afterAll(async () => {
  await source?.close();
  await new Promise((r) => server.close(r));
});

describe('reconnecting to a broker that is away', () => {
  it('tries again with a growing pause, not at one fixed period', async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const states: boolean[] = [];
    source = new MqttSource({
      url: `mqtt://127.0.0.1:${port}`,
      prefix: 'icu',
      clientId: 'backoff-test',
      onMessage: () => undefined,
      onState: (up) => states.push(up),
    });
    await new Promise((r) => setTimeout(r, 7600));
    // Tries at about 0, 1, 3 and 7 s: four in 7.6 s (a fixed 1 s period would have made eight).
    expect(tries.length).toBeGreaterThanOrEqual(3);
    expect(tries.length).toBeLessThanOrEqual(5);
    const gaps = tries.slice(1).map((t, i) => t - tries[i]);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1] * 1.5);
    expect(states.every((up) => !up)).toBe(true);
  });
});
