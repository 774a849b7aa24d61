import { describe, expect, it } from 'vitest';
import type { Alarm } from '../../../shared/protocol.js';
import { alarmTitle, compareBeds, levelOf, sounds, topAlarm, valueAndLimit, type AlarmLevel } from './alarm-view.js';

const T0 = new Date(2030, 0, 2, 7, 5, 9).getTime();

function alarm(over: Partial<Alarm>): Alarm {
  return {
    id: `b1:drainagePressure:${over.raisedAt ?? T0}`,
    bedId: 'b1',
    key: 'drainagePressure',
    kind: 'physiological',
    priority: 'high',
    message: 'Drainage pressure -150 mmHg, below -100 mmHg',
    value: -150,
    limit: -100,
    state: 'active',
    latched: false,
    raisedAt: T0,
    clearedAt: null,
    ackedBy: null,
    ackedAt: null,
    ...over,
  };
}

describe('alarm ranking', () => {
  it('shows the highest priority first, an active alarm before a latched one of the same priority, then the newest', () => {
    const latchedHigh = alarm({ id: 'a', state: 'cleared', latched: true, raisedAt: T0 + 5 });
    const activeHigh = alarm({ id: 'b', raisedAt: T0 });
    const newerMedium = alarm({ id: 'c', priority: 'medium', raisedAt: T0 + 9 });
    expect(topAlarm([newerMedium, latchedHigh, activeHigh])?.id).toBe('b');
    expect(topAlarm([newerMedium, latchedHigh])?.id).toBe('a');
    expect(topAlarm([alarm({ id: 'old' }), alarm({ id: 'new', raisedAt: T0 + 1 })])?.id).toBe('new');
  });

  it('ignores a cleared alarm that is not latched: it is over', () => {
    expect(levelOf([alarm({ state: 'cleared', latched: false })])).toBe('none');
    expect(levelOf([])).toBe('none');
  });

  it('sounds only an active alarm nobody has acknowledged', () => {
    expect(sounds(alarm({}))).toBe(true);
    expect(sounds(alarm({ ackedBy: 'admin', ackedAt: T0 }))).toBe(false);
    expect(sounds(alarm({ state: 'cleared', latched: true }))).toBe(false);
  });
});

describe('overview order', () => {
  const order = (beds: { bedId: string; level: AlarmLevel }[]) => [...beds].sort(compareBeds).map((b) => b.bedId);

  it('puts high, then medium, then low alarming beds first, the rest by bed id with numbers in order', () => {
    expect(
      order([
        { bedId: 'bed10', level: 'none' },
        { bedId: 'bed2', level: 'none' },
        { bedId: 'bed9', level: 'low' },
        { bedId: 'bed3', level: 'high' },
        { bedId: 'bed1', level: 'medium' },
        { bedId: 'bed4', level: 'high' },
      ]),
    ).toEqual(['bed3', 'bed4', 'bed1', 'bed9', 'bed2', 'bed10']);
  });
});

describe('alarm rows in words', () => {
  it('writes value and limit with the catalogue unit and a true minus sign', () => {
    expect(valueAndLimit(alarm({}))).toBe('−150 mmHg, limit −100 mmHg');
    expect(valueAndLimit(alarm({ key: 'lowFlow', value: 1.1, limit: 1.28, message: 'Low flow: 1.10 L/min' }))).toBe(
      '1.10 L/min, limit 1.28 L/min',
    );
    expect(valueAndLimit(alarm({ key: 'lactate', value: 4.2, limit: 4, message: 'Lactate 4.2 mmol/L' }))).toBe(
      '4.2 mmol/L, limit 4.0 mmol/L',
    );
  });

  it('takes the unit the message names where the alarm reads quantities in different units, and none for a ratio', () => {
    expect(valueAndLimit(alarm({ key: 'pumpStopped', value: 0.02, limit: 0.05, message: 'Pump stopped: flow 0.02 L/min' }))).toBe(
      '0.02 L/min, limit 0.05 L/min',
    );
    expect(valueAndLimit(alarm({ key: 'pumpStopped', value: 0, limit: 0, message: 'Pump stopped: 0 rpm' }))).toBe('0, limit 0');
    expect(valueAndLimit(alarm({ key: 'deliveryRatio', value: 2.5, limit: 3, message: 'DO2/VO2 2.5, below 3.0' }))).toBe('2.5, limit 3.0');
  });

  it('never rounds the value onto or across its limit', () => {
    expect(valueAndLimit(alarm({ key: 'deliveryRatio', value: 2.979, limit: 3, message: 'DO2/VO2 2.98, below 3.0' }))).toBe(
      '2.98, limit 3.0',
    );
    expect(valueAndLimit(alarm({ key: 'lowFlow', value: 1.279, limit: 1.28, message: 'Low flow: 1.279 L/min' }))).toBe(
      '1.279 L/min, limit 1.28 L/min',
    );
  });

  it('writes nothing for an alarm without value or limit (a device offline)', () => {
    expect(valueAndLimit(alarm({ key: 'deviceOffline.ecmo', value: null, limit: null }))).toBe('');
  });

  it('titles an alarm from the catalogue, and one it does not list from its key', () => {
    expect(alarmTitle(alarm({}))).toBe('Drainage pressure');
    expect(alarmTitle(alarm({ bedId: '*', key: 'brokerDisconnected' }))).toBe('Broker disconnected');
  });
});
