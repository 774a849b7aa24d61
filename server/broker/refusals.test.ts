import { describe, expect, it } from 'vitest';
import { OTHER_CLIENTS, RefusalCounter, RefusalLog } from './refusals.js';

function recorder() {
  const lines: { level: 'info' | 'warn'; msg: string; fields: Record<string, unknown> }[] = [];
  return {
    lines,
    sink: {
      info: (fields: Record<string, unknown>, msg: string) => lines.push({ level: 'info', msg, fields }),
      warn: (fields: Record<string, unknown>, msg: string) => lines.push({ level: 'warn', msg, fields }),
    },
  };
}

describe('refusal counts', () => {
  it('count by reason and by client', () => {
    const c = new RefusalCounter();
    c.count('mon-1', 'rate_client');
    c.count('mon-1', 'rate_client');
    c.count('mon-2', 'topic_too_long');
    expect(c.byReason).toEqual({ rate_client: 2, rate_bed: 0, topic_too_long: 1, packet_too_large: 0 });
    expect(Object.fromEntries(c.byClient().map(([id, n]) => [id, n.rate_client + n.topic_too_long]))).toEqual({ 'mon-1': 2, 'mon-2': 1 });
  });

  it('keep at most a hundred clients apart, whatever IDs devices invent, and lose no count', () => {
    const c = new RefusalCounter();
    for (let i = 0; i < 10_000; i++) c.count(`invented-${i}-${'x'.repeat(100)}`, 'rate_bed');
    const clients = c.byClient();
    expect(clients).toHaveLength(101);
    expect(clients.every(([id]) => id.length <= 64)).toBe(true);
    expect(clients.find(([id]) => id === OTHER_CLIENTS)?.[1].rate_bed).toBe(9_900);
    expect(c.byReason.rate_bed).toBe(10_000);
  });
});

describe('the refusal log', () => {
  it('says once when a client starts being refused, once a minute while it lasts, once when it has stopped', () => {
    const r = recorder();
    const log = new RefusalLog(r.sink);
    const mon = { kind: 'client' as const, id: 'mon-7' };
    // ten refusals a second for three and a half minutes
    for (let t = 0; t < 210_000; t += 100) log.refused(mon, 'rate_client', t, { topic: 'icu/b7/monitor/numerics' });
    log.sweep(215_000); // quiet for 5 s: not over yet
    log.sweep(270_000); // quiet for a minute: over
    expect(r.lines.map((l) => `${l.level} ${l.msg}`)).toEqual([
      'warn MQTT publishes refused',
      'warn MQTT publishes still refused',
      'warn MQTT publishes still refused',
      'warn MQTT publishes still refused',
      'info MQTT publishes no longer refused',
    ]);
    expect(r.lines[0].fields).toEqual({ mqttClient: 'mon-7', reason: 'rate_client', topic: 'icu/b7/monitor/numerics' });
    expect(r.lines[1].fields).toEqual({ mqttClient: 'mon-7', refused: { rate_client: 600 }, sinceS: 60 });
    expect(r.lines[4].fields).toEqual({ mqttClient: 'mon-7', refusedTotal: 2100, durationS: 210 });
    expect(log.active).toBe(0);
  });

  it('keeps clients and beds apart, and starts afresh after an episode ended', () => {
    const r = recorder();
    const log = new RefusalLog(r.sink);
    log.refused({ kind: 'client', id: 'a' }, 'rate_client', 0);
    log.refused({ kind: 'bed', id: 'a' }, 'rate_bed', 0);
    log.refused({ kind: 'client', id: 'a' }, 'rate_client', 1000);
    expect(r.lines.map((l) => l.fields)).toEqual([
      { mqttClient: 'a', reason: 'rate_client' },
      { bedId: 'a', reason: 'rate_bed' },
    ]);
    log.sweep(70_000);
    log.refused({ kind: 'client', id: 'a' }, 'packet_too_large', 80_000, { bytes: 100_000 });
    expect(r.lines.at(-1)).toEqual({
      level: 'warn',
      msg: 'MQTT publishes refused',
      fields: { mqttClient: 'a', reason: 'packet_too_large', bytes: 100_000 },
    });
  });

  it('stays bounded when devices invent client IDs: beyond a thousand, one episode for all of them', () => {
    const r = recorder();
    const log = new RefusalLog(r.sink);
    for (let i = 0; i < 5000; i++) log.refused({ kind: 'client', id: `c${i}` }, 'rate_client', i);
    expect(log.active).toBe(1001);
    expect(r.lines.filter((l) => l.msg === 'MQTT publishes refused')).toHaveLength(1001);
  });
});
