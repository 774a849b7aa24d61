import { describe, expect, it } from 'vitest';
import type { PumpMessage } from '../../shared/schemas.js';
import { BedState, DEVICE_SILENCE_MS, PUMP_SILENCE_MS, RING_CAPACITY } from './bed.js';

const T = 1_700_000_000_000;

const pumpMessage = (rateMlH: number): PumpMessage => ({
  ts: T,
  drug: 'epinephrine',
  rateMlH,
  concentration: 20,
  concentrationUnit: 'mcg/mL',
  running: true,
});

describe('a bed’s samples', () => {
  it('lets a correctly timed value that arrives after one stamped ahead (a fast device clock) become the newest', () => {
    const bed = new BedState('b1');
    // arrives at T, stamped 4.9 s ahead
    expect(bed.addSample('hr', T + 4900, 120, 'monitor', false, T)).toBe(true);
    // the next message, correctly timed, arrives a second later
    expect(bed.addSample('hr', T + 1000, 121, 'monitor', false, T + 1000)).toBe(true);
    expect(bed.latest.get('hr')).toMatchObject({ value: 121, ts: T + 1000 });
    // a late message (older than the newest's arrival) still does not replace it
    expect(bed.addSample('hr', T + 500, 99, 'monitor', false, T + 2000)).toBe(false);
    expect(bed.latest.get('hr')?.value).toBe(121);
  });

  it('keeps every sample of a signal in its ring, a null one as NaN (sensor off)', () => {
    const bed = new BedState('b1');
    bed.addSample('hr', T, 120, 'monitor', false);
    bed.addSample('hr', T + 1000, null, 'monitor', false);
    bed.addSample('map', T, 55, 'monitor', false);
    const hr = bed.rings.get('hr')!;
    expect(hr.capacity).toBe(RING_CAPACITY);
    expect(hr.slice(0)).toEqual({ t: [T, T + 1000], v: [120, null] });
    expect(bed.rings.get('map')!.slice(0)).toEqual({ t: [T], v: [55] });
  });

  it('makes a newer sample the latest value with its time and source, and says so', () => {
    const bed = new BedState('b1');
    expect(bed.addSample('hr', T, 120, 'monitor', false)).toBe(true);
    expect(bed.addSample('hr', T + 1000, 121, 'monitor', false)).toBe(true);
    expect(bed.latest.get('hr')).toEqual({ value: 121, ts: T + 1000, source: 'monitor' });
  });

  it('keeps a late sample in the history without replacing a newer latest value', () => {
    const bed = new BedState('b1');
    bed.addSample('hr', T + 1000, 121, 'monitor', false);
    expect(bed.addSample('hr', T, 120, 'monitor', false)).toBe(false);
    expect(bed.addSample('hr', T + 1000, 99, 'monitor', false)).toBe(false);
    expect(bed.latest.get('hr')).toEqual({ value: 121, ts: T + 1000, source: 'monitor' });
    expect(bed.rings.get('hr')!.slice(0).t).toEqual([T, T + 1000]);
  });

  it('flags a latest value whose device clock ran ahead, and only that one', () => {
    const bed = new BedState('b1');
    bed.addSample('hr', T, 120, 'monitor', true);
    expect(bed.latest.get('hr')!.skew).toBe(true);
    bed.addSample('hr', T + 1000, 121, 'monitor', false);
    expect(bed.latest.get('hr')).not.toHaveProperty('skew');
  });

  it('lists the bed’s newest values as a plain object', () => {
    const bed = new BedState('b1');
    bed.addSample('hr', T, 120, 'monitor', false);
    bed.addSample('lab.arterial.po2', T, 90, 'lab', false);
    expect(bed.latestObject()).toEqual({
      hr: { value: 120, ts: T, source: 'monitor' },
      'lab.arterial.po2': { value: 90, ts: T, source: 'lab' },
    });
  });
});

describe('a value stamped ahead of its arrival', () => {
  it('gives way to a correctly timed value that arrives after it, but not to one older than its arrival', () => {
    const bed = new BedState('b1');
    // Stamped 3 s ahead by a fast device clock, arriving at T.
    expect(bed.addSample('hr', T + 3000, 120, 'monitor', false, T)).toBe(true);
    expect(bed.addSample('hr', T - 500, 119, 'monitor', false, T - 500)).toBe(false);
    expect(bed.latest.get('hr')!.ts).toBe(T + 3000);
    expect(bed.addSample('hr', T, 121, 'monitor', false, T)).toBe(true);
    expect(bed.latest.get('hr')).toEqual({ value: 121, ts: T, source: 'monitor' });
    // Correctly timed now: an older value no longer replaces it.
    expect(bed.addSample('hr', T - 100, 118, 'monitor', false, T + 100)).toBe(false);
  });
});

describe('a bed’s lactate results', () => {
  it('collects the lactate results of every site in time order, late ones included, with their site', () => {
    const bed = new BedState('b1');
    bed.addSample('lab.arterial.lactate', T + 2000, 4, 'lab', false);
    bed.addSample('lab.venous.lactate', T, 5, 'lab', false);
    bed.addSample('lab.arterial.lactate', T + 1000, 6, 'lab', false);
    bed.addSample('lab.arterial.po2', T + 3000, 90, 'lab', false);
    bed.addSample('lab.arterial.lactate', T + 4000, null, 'lab', false);
    expect(bed.lactates).toEqual([
      { ts: T, value: 5, site: 'venous' },
      { ts: T + 1000, value: 6, site: 'arterial' },
      { ts: T + 2000, value: 4, site: 'arterial' },
    ]);
  });

  it('keeps one result per site and time: a repeated result is not counted twice, another site at the same time is', () => {
    const bed = new BedState('b1');
    bed.addSample('lab.arterial.lactate', T, 4, 'lab', false);
    bed.addSample('lab.arterial.lactate', T, 4, 'lab', false);
    bed.addSample('lab.venous.lactate', T, 5, 'lab', false);
    expect(bed.lactates).toEqual([
      { ts: T, value: 4, site: 'arterial' },
      { ts: T, value: 5, site: 'venous' },
    ]);
  });

  it('keeps the newest 256 results', () => {
    const bed = new BedState('b1');
    for (let i = 0; i < 300; i++) bed.addSample('lab.arterial.lactate', T + i * 60_000, i, 'lab', false);
    expect(bed.lactates).toHaveLength(256);
    expect(bed.lactates[0]).toEqual({ ts: T + 44 * 60_000, value: 44, site: 'arterial' });
    expect(bed.lactates[255].value).toBe(299);
  });
});

describe('a bed’s pump channels', () => {
  it('takes a newer message of a channel and ignores an older or repeated one', () => {
    const bed = new BedState('b1');
    expect(bed.setPump('ch1', pumpMessage(3), T)).toBe(true);
    expect(bed.setPump('ch1', pumpMessage(4), T + 1000)).toBe(true);
    expect(bed.setPump('ch1', pumpMessage(5), T + 1000)).toBe(false);
    expect(bed.setPump('ch1', pumpMessage(6), T)).toBe(false);
    expect(bed.pumps.get('ch1')).toMatchObject({ channel: 'ch1', tsMs: T + 1000, rateMlH: 4 });
    expect(bed.setPump('ch2', pumpMessage(1), T)).toBe(true);
    expect(bed.pumps.size).toBe(2);
  });
});

describe('a bed’s devices', () => {
  it('knows no state for a device it never heard of', () => {
    const bed = new BedState('b1');
    expect(bed.deviceState('monitor', T)).toBeUndefined();
    expect(bed.deviceStates(T)).toEqual({});
  });

  it('shows a streaming device online while it sends, and stale after 10 s of silence (not at exactly 10 s)', () => {
    const bed = new BedState('b1');
    bed.touchDevice('monitor', T);
    expect(bed.devices.get('monitor')).toEqual({ status: 'online', lastDataAtMs: T, sentData: true });
    expect(bed.deviceState('monitor', T + DEVICE_SILENCE_MS)).toBe('online');
    expect(bed.deviceState('monitor', T + DEVICE_SILENCE_MS + 1)).toBe('stale');
  });

  it('gives pumps 90 s of silence before they are stale', () => {
    const bed = new BedState('b1');
    bed.touchDevice('pump', T);
    expect(bed.deviceState('pump', T + PUMP_SILENCE_MS)).toBe('online');
    expect(bed.deviceState('pump', T + PUMP_SILENCE_MS + 1)).toBe('stale');
  });

  it('counts a device that says online as heard then, stale only when no data follows within its silence limit', () => {
    const bed = new BedState('b1');
    bed.setDeviceStatus('ecmo', 'online', T);
    expect(bed.deviceState('ecmo', T)).toBe('online');
    expect(bed.deviceState('ecmo', T + DEVICE_SILENCE_MS)).toBe('online');
    expect(bed.deviceState('ecmo', T + DEVICE_SILENCE_MS + 1)).toBe('stale');
  });

  it('does not move the last sign of life back when a status arrives with an older clock', () => {
    const bed = new BedState('b1');
    bed.touchDevice('ecmo', T + 5000);
    bed.setDeviceStatus('ecmo', 'online', T);
    expect(bed.devices.get('ecmo')!.lastDataAtMs).toBe(T + 5000);
  });

  it('does not count a device saying offline as heard', () => {
    const bed = new BedState('b1');
    bed.touchDevice('ecmo', T);
    bed.setDeviceStatus('ecmo', 'offline', T + 60_000);
    expect(bed.devices.get('ecmo')).toEqual({ status: 'offline', lastDataAtMs: T, sentData: true });
  });

  it('shows a device never heard from as stale, even at the start of a (virtual) clock', () => {
    const bed = new BedState('b1');
    bed.noteDevice('monitor');
    expect(bed.deviceState('monitor', 5000)).toBe('stale');
  });

  it('gives a device the catalogue does not name the monitor’s silence limit', () => {
    const bed = new BedState('b1');
    bed.touchDevice('ventilator', T);
    expect(bed.deviceState('ventilator', T + DEVICE_SILENCE_MS)).toBe('online');
    expect(bed.deviceState('ventilator', T + DEVICE_SILENCE_MS + 1)).toBe('stale');
  });

  it('keeps a pump module that is online but has no channel yet online, and judges its silence once a channel spoke', () => {
    const bed = new BedState('b1');
    bed.setDeviceStatus('pump', 'online', T);
    expect(bed.deviceState('pump', T + 10 * PUMP_SILENCE_MS)).toBe('online');
    bed.touchDevice('pump', T + 10 * PUMP_SILENCE_MS);
    expect(bed.deviceState('pump', T + 11 * PUMP_SILENCE_MS + 1)).toBe('stale');
  });

  it('shows a device offline when it says so, whatever data it sent, until it says online again', () => {
    const bed = new BedState('b1');
    bed.touchDevice('ecmo', T);
    bed.setDeviceStatus('ecmo', 'offline', T);
    bed.touchDevice('ecmo', T + 1000);
    expect(bed.deviceState('ecmo', T + 1000)).toBe('offline');
    bed.setDeviceStatus('ecmo', 'online', T + 1000);
    expect(bed.deviceState('ecmo', T + 1000)).toBe('online');
  });

  it('keeps the lab online through hours of silence, and offline when it says so', () => {
    const bed = new BedState('b1');
    bed.noteDevice('lab');
    expect(bed.devices.get('lab')).toEqual({ status: 'online', lastDataAtMs: 0, sentData: false });
    expect(bed.deviceState('lab', T + 12 * 3600_000)).toBe('online');
    bed.setDeviceStatus('lab', 'offline', T);
    bed.noteDevice('lab');
    expect(bed.deviceState('lab', T)).toBe('offline');
  });

  it('lists the state of every device', () => {
    const bed = new BedState('b1');
    bed.touchDevice('monitor', T);
    bed.touchDevice('ecmo', T - 60_000);
    bed.noteDevice('lab');
    expect(bed.deviceStates(T)).toEqual({ monitor: 'online', ecmo: 'stale', lab: 'online' });
  });

  it('reports a change of what the devices show once, and nothing while it stays the same', () => {
    const bed = new BedState('b1');
    expect(bed.refreshDeviceStates(T)).toBe(false);
    bed.touchDevice('monitor', T);
    expect(bed.refreshDeviceStates(T)).toBe(true);
    expect(bed.refreshDeviceStates(T + 1000)).toBe(false);
    expect(bed.refreshDeviceStates(T + DEVICE_SILENCE_MS + 1)).toBe(true);
    expect(bed.refreshDeviceStates(T + DEVICE_SILENCE_MS + 2)).toBe(false);
    bed.touchDevice('ecmo', T + DEVICE_SILENCE_MS + 2);
    expect(bed.refreshDeviceStates(T + DEVICE_SILENCE_MS + 2)).toBe(true);
  });
});

describe('a bed’s rejected messages', () => {
  it('counts the rejections that arrived at or after a time', () => {
    const bed = new BedState('b1');
    expect(bed.rejectsSince(0)).toBe(0);
    for (const t of [T, T + 1000, T + 2000]) bed.noteRejection(t);
    expect(bed.rejectsSince(T + 1000)).toBe(2);
    expect(bed.rejectsSince(T)).toBe(3);
    expect(bed.rejectsSince(T + 2001)).toBe(0);
  });

  it('remembers the newest 16, enough to count five in a minute', () => {
    const bed = new BedState('b1');
    for (let i = 0; i < 20; i++) bed.noteRejection(T + i);
    expect(bed.rejectsSince(0)).toBe(16);
    expect(bed.rejectsSince(T + 4)).toBe(16);
    expect(bed.rejectsSince(T + 5)).toBe(15);
  });
});
