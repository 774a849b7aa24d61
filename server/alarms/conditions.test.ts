import { describe, expect, it } from 'vitest';
import { ALARM_KEYS } from '../../shared/alarms.js';
import { evaluateConditions } from './conditions.js';
import { PATIENT_A, T0, TestBed } from './test-inputs.js';

const MIN = 60_000;
const conditions = (bed: TestBed, nowMs = T0) => evaluateConditions(bed.at(nowMs));

describe('a normal VA ECMO patient', () => {
  it('meets no alarm condition, and every condition is known', () => {
    const c = conditions(new TestBed());
    for (const key of ALARM_KEYS) expect(c[key].state, key).toBe('false');
  });
});

describe('each condition, crossed', () => {
  it.each([
    ['pumpStopped', 'flow 0.02', 'high', (b: TestBed): unknown => b.set('flow', 0.02), 0.02, 0.05],
    ['pumpStopped', 'rpm 0', 'high', (b: TestBed): unknown => b.set('rpm', 0), 0, 0],
    ['lowFlow', 'flow 1.2', 'high', (b: TestBed): unknown => b.set('flow', 1.2), 1.2, 1.28],
    ['drainagePressure', 'pVen -101', 'high', (b: TestBed): unknown => b.set('pVen', -101), -101, -100],
    ['drainagePressureWarning', 'pVen -71', 'medium', (b: TestBed): unknown => b.set('pVen', -71), -71, -70],
    ['postOxyPressure', 'pPost 301', 'high', (b: TestBed): unknown => b.set('pPost', 301), 301, 300],
    ['oxyPressureDrop', 'dpOxy 51', 'medium', (b: TestBed): unknown => b.setDerived('dpOxy', 51), 51, 50],
    ['oxyPressureDrop', 'rOxy 19.8, 32 % over its 1 h mean', 'medium', (b: TestBed): unknown => b.setDerived('rOxy', 19.8), 32, 30],
    ['venousSaturation', 'svo2 59', 'medium', (b: TestBed): unknown => b.set('svo2', 59), 59, 60],
    ['venousSaturation', 'svo2 49', 'high', (b: TestBed): unknown => b.set('svo2', 49), 49, 50],
    ['postOxyPo2', 'postOxyPo2 149', 'medium', (b: TestBed): unknown => b.set('postOxyPo2', 149), 149, 150],
    ['deliveryRatio', 'do2Vo2 2.9', 'medium', (b: TestBed): unknown => b.setDerived('do2Vo2', 2.9, 'assumed'), 2.9, 3],
    ['hypotension', 'map 48.5', 'medium', (b: TestBed): unknown => b.set('map', 48.5), 48.5, 49],
    ['hypotension', 'map 35', 'high', (b: TestBed): unknown => b.set('map', 35), 35, 36],
    ['lactate', 'lab.arterial.lactate 4', 'medium', (b: TestBed): unknown => b.set('lab.arterial.lactate', 4, T0), 4, 4],
    [
      'lactateClearance',
      'lactateClearance2h -5',
      'low',
      (b: TestBed): unknown => b.set('lab.arterial.lactate', 3.2, T0).setDerived('lactateClearance2h', -5, 'ok', T0),
      -5,
      0,
    ],
    ['bloodTemperature', 'tBlood 34.9', 'low', (b: TestBed): unknown => b.set('tBlood', 34.9), 34.9, 35],
    ['bloodTemperature', 'tBlood 38.6', 'low', (b: TestBed): unknown => b.set('tBlood', 38.6), 38.6, 38.5],
    ['valueRejected', '5 rejections in a minute', 'low', (b: TestBed): unknown => (b.rejectsLastMinute = 5), 5, 5],
  ] as const)('%s holds with %s, at %s priority, with its value and limit', (key, _what, priority, bend, value, limit) => {
    const bed = new TestBed();
    bend(bed);
    const c = conditions(bed)[key];
    expect(c.state).toBe('true');
    expect(c.priority).toBe(priority);
    expect(c.value).toBeCloseTo(value, 6);
    expect(c.limit).toBeCloseTo(limit, 6);
    expect(c.message.length).toBeGreaterThan(0);
  });

  it.each([
    ['deviceOffline.ecmo', 'ecmo', 'offline', 'high'],
    ['deviceOffline.ecmo', 'ecmo', 'stale', 'high'],
    ['deviceOffline.monitor', 'monitor', 'stale', 'medium'],
    ['deviceOffline.pump', 'pump', 'offline', 'medium'],
  ] as const)('%s holds when the %s is %s, at %s priority', (key, device, state, priority) => {
    const bed = new TestBed();
    bed.devices[device] = state;
    expect(conditions(bed)[key]).toMatchObject({ state: 'true', priority });
  });

  it('leaves a silent device unknown until the server has listened for its silence limit, but not one that said offline', () => {
    const bed = new TestBed();
    bed.listeningS = 9;
    bed.devices.ecmo = 'stale';
    bed.devices.pump = 'offline';
    let c = conditions(bed);
    expect(c['deviceOffline.ecmo'].state).toBe('unknown');
    expect(c['deviceOffline.pump'].state).toBe('true');
    bed.listeningS = 10;
    c = conditions(bed);
    expect(c['deviceOffline.ecmo'].state).toBe('true');
  });

  it('takes a negative clearance for noise, not a rising lactate, while the newest lactate is in the normal range', () => {
    const bed = new TestBed().set('lab.arterial.lactate', 1.9, T0).setDerived('lactateClearance2h', -8, 'ok', T0);
    expect(conditions(bed).lactateClearance.state).toBe('false');
    bed.set('lab.arterial.lactate', 2.1, T0);
    expect(conditions(bed).lactateClearance.state).toBe('true');
  });

  it('never rounds a value across its limit in the alarm’s words', () => {
    const bed = new TestBed().setDerived('do2Vo2', 2.979);
    expect(conditions(bed).deliveryRatio.message).toBe('DO2/VO2 2.98, below 3.0');
    bed.set('map', 35.6); // Phoenix 2-point band below 36 mmHg at 5 years
    expect(conditions(bed).hypotension.message).toMatch(/^MAP 35\.6 mmHg, below 36 mmHg/);
  });

  it('stays false just inside each limit', () => {
    const bed = new TestBed()
      .set('flow', 1.28)
      .set('pVen', -70)
      .set('pPost', 300)
      .set('svo2', 60)
      .set('postOxyPo2', 150)
      .set('map', 49)
      .set('tBlood', 35)
      .set('lab.arterial.lactate', 3.99, T0)
      .setDerived('dpOxy', 50)
      .setDerived('do2Vo2', 3)
      .setDerived('lactateClearance2h', 0, 'ok', T0);
    bed.rejectsLastMinute = 4;
    const c = conditions(bed);
    for (const key of ALARM_KEYS) expect(c[key].state, key).toBe('false');
  });
});

describe('hysteresis thresholds handed to the machine', () => {
  it('move each limit inside by 2 % of the range, at least 1 unit', () => {
    const c = conditions(new TestBed().set('pVen', -101).set('pPost', 301).set('svo2', 49).set('map', 35).set('tBlood', 34));
    expect(c.drainagePressure).toMatchObject({ direction: 'low', clearsAt: -90, margin: 10 });
    expect(c.drainagePressureWarning).toMatchObject({ direction: 'low', clearsAt: -60 });
    expect(c.postOxyPressure).toMatchObject({ direction: 'high', clearsAt: 282 });
    // Two-band alarms clear from the outer (medium) limit: 60 % + 2.
    expect(c.venousSaturation).toMatchObject({ direction: 'low', clearsAt: 62 });
    expect(c.hypotension).toMatchObject({ direction: 'low', clearsAt: 54 });
    expect(c.bloodTemperature).toMatchObject({ direction: 'low', clearsAt: 36 });
  });

  it('take the blood temperature threshold from the side the value is nearer to', () => {
    expect(conditions(new TestBed().set('tBlood', 38.2)).bloodTemperature).toMatchObject({
      state: 'false',
      direction: 'high',
      clearsAt: 37.5,
    });
    expect(conditions(new TestBed().set('tBlood', 35.5)).bloodTemperature).toMatchObject({
      state: 'false',
      direction: 'low',
      clearsAt: 36,
    });
  });

  it('give low flow a margin of 2 points of the target, so an infant at target flow is clear of it', () => {
    const infant = new TestBed('bed1', { weightKg: 3.5, heightCm: 50, ageMonths: 2, ecmoMode: 'VA' }).set('flow', 0.3);
    const c = conditions(infant).lowFlow;
    expect(c.state).toBe('false');
    expect(c.limit).toBeCloseTo(0.28, 10);
    expect(c.clearsAt).toBeCloseTo(0.287, 10);
    expect(c.value! >= c.clearsAt!).toBe(true);
  });

  it('clear a stopped pump only above 0.1 L/min', () => {
    expect(conditions(new TestBed().set('flow', 0.08)).pumpStopped).toMatchObject({ state: 'false', clearsAt: 0.1 });
  });

  it('report, for the oxygenator, whichever part is nearer its threshold', () => {
    // dpOxy 20 is clear of its threshold (32 mmHg); a 29 % rise is still inside its margin (clears at 28 %).
    const c = conditions(new TestBed().setDerived('dpOxy', 20).setDerived('rOxy', 15 * 1.29)).oxyPressureDrop;
    expect(c.state).toBe('false');
    expect(c.value).toBeCloseTo(29, 6);
    expect(c.clearsAt).toBeCloseTo(28, 6);
    // The other way round: a pressure drop of 40 mmHg is inside its margin, the resistance back to its mean.
    const d = conditions(new TestBed().setDerived('dpOxy', 40)).oxyPressureDrop;
    expect(d).toMatchObject({ state: 'false', value: 40, clearsAt: 32 });
  });
});

describe('unknown inputs', () => {
  it('make a condition unknown when its value is stale, whatever the value says', () => {
    const stale = T0 - 11_000;
    const c = conditions(new TestBed().set('flow', 0, stale).set('pVen', -200, stale).set('map', 10, stale).set('tBlood', 30, stale));
    expect(c.drainagePressure.state).toBe('unknown');
    expect(c.lowFlow.state).toBe('unknown');
    expect(c.hypotension.state).toBe('unknown');
    expect(c.bloodTemperature.state).toBe('unknown');
    // A fresh rpm of 3000 does not prove the pump pumps when the flow is stale.
    expect(c.pumpStopped.state).toBe('unknown');
  });

  it('make a condition unknown when its value is missing or null', () => {
    const bed = new TestBed().set('pPost', null);
    bed.values.delete('map');
    delete bed.derived.do2Vo2;
    const c = conditions(bed);
    expect(c.postOxyPressure.state).toBe('unknown');
    expect(c.hypotension.state).toBe('unknown');
    expect(c.deliveryRatio.state).toBe('unknown');
  });

  it('count only ok or assumed derived values as known', () => {
    const c = conditions(new TestBed().setDerived('dpOxy', 80, 'stale').setDerived('do2Vo2', 1.5, 'missing'));
    expect(c.oxyPressureDrop.state).toBe('unknown');
    expect(c.deliveryRatio.state).toBe('unknown');
  });

  it('stop at a stopped pump: the oxygenator resistance is then unknown, so is its alarm', () => {
    expect(conditions(new TestBed().setDerived('rOxy', null, 'missing')).oxyPressureDrop.state).toBe('unknown');
  });

  it('judge only the pressure drop while rOxy has no 1 h mean yet', () => {
    const bed = new TestBed().setDerived('rOxy', 40);
    bed.rOxyMean1h = null;
    expect(conditions(bed).oxyPressureDrop).toMatchObject({ state: 'false', value: 30 });
  });

  it('make hypotension unknown without the patient age', () => {
    const bed = new TestBed('bed1', null).set('map', 20);
    expect(conditions(bed).hypotension.state).toBe('unknown');
  });

  it('make a lactate older than 6 h unknown', () => {
    const c = conditions(new TestBed().set('lab.arterial.lactate', 9, T0 - 6 * 3600_000 - 1));
    expect(c.lactate.state).toBe('unknown');
  });
});

describe('sources', () => {
  it('read venous saturation from the console first, then a pre-oxygenator, then a central-venous sample (section 2)', () => {
    const bed = new TestBed()
      .set('svo2', 80, T0 - 20_000)
      .set('lab.pre-oxygenator.so2', 55, T0 - 30 * MIN)
      .set('lab.central-venous.so2', 45, T0);
    expect(conditions(bed).venousSaturation).toMatchObject({ state: 'true', value: 55, priority: 'medium' });
    bed.set('lab.pre-oxygenator.so2', 55, T0 - 61 * MIN);
    expect(conditions(bed).venousSaturation).toMatchObject({ value: 45, priority: 'high' });
  });

  it('read venous saturation off ECMO from central-venous samples only', () => {
    const bed = new TestBed('bed1', { ...PATIENT_A, ecmoMode: null }).set('svo2', 40).set('lab.central-venous.so2', 58, T0);
    expect(conditions(bed).venousSaturation).toMatchObject({ state: 'true', value: 58 });
  });

  it('read lactate from the arterial result while fresh, else the newest of any site', () => {
    const bed = new TestBed().set('lab.arterial.lactate', 2, T0 - 3 * 3600_000).set('lab.venous.lactate', 6, T0);
    expect(conditions(bed).lactate.state).toBe('false');
    bed.set('lab.arterial.lactate', 2, T0 - 7 * 3600_000).set('lab.central-venous.lactate', 5, T0 - MIN);
    expect(conditions(bed).lactate).toMatchObject({ state: 'true', value: 6, resultTs: T0 });
  });

  it('read post-oxygenator PO2 from the console or the lab, whichever is newer and fresh', () => {
    const bed = new TestBed().set('postOxyPo2', 320, T0 - 2_000).set('lab.post-oxygenator.po2', 120, T0 - 1_000);
    expect(conditions(bed).postOxyPo2).toMatchObject({ state: 'true', value: 120, resultTs: T0 - 1_000 });
    bed.set('postOxyPo2', 320, T0);
    expect(conditions(bed).postOxyPo2).toMatchObject({ state: 'false', value: 320 });
    bed.set('postOxyPo2', 100, T0 - 11_000);
    expect(conditions(bed).postOxyPo2).toMatchObject({ state: 'true', value: 120 });
  });

  it('judge post-oxygenator PO2 only at FdO2 of 60 % or more, and not without a fresh FdO2', () => {
    const bed = new TestBed().set('postOxyPo2', 120).set('fdo2', 59);
    expect(conditions(bed).postOxyPo2).toMatchObject({ state: 'false', clearsAt: undefined });
    bed.set('fdo2', 60);
    expect(conditions(bed).postOxyPo2.state).toBe('true');
    bed.set('fdo2', 80, T0 - 11_000);
    expect(conditions(bed).postOxyPo2.state).toBe('unknown');
  });
});

describe('scope', () => {
  it('keeps every circuit alarm false without an ECMO mode, whatever the circuit says', () => {
    const bed = new TestBed('bed1', { ...PATIENT_A, ecmoMode: null })
      .set('flow', 0)
      .set('rpm', 0)
      .set('pVen', -200)
      .set('pPost', 500)
      .set('postOxyPo2', 50)
      .set('tBlood', 30)
      .setDerived('dpOxy', 200)
      .setDerived('do2Vo2', 1.2);
    bed.devices.ecmo = 'offline';
    const c = conditions(bed);
    for (const key of [
      'pumpStopped',
      'lowFlow',
      'drainagePressure',
      'drainagePressureWarning',
      'postOxyPressure',
      'oxyPressureDrop',
      'postOxyPo2',
      'deliveryRatio',
      'bloodTemperature',
      'deviceOffline.ecmo',
    ] as const)
      expect(c[key], key).toMatchObject({ state: 'false', clearsAt: undefined });
  });

  it('judges the delivery ratio on VA only', () => {
    const bed = new TestBed('bed1', { ...PATIENT_A, ecmoMode: 'VV' }).setDerived('do2Vo2', 1.5);
    expect(conditions(bed).deliveryRatio.state).toBe('false');
    expect(conditions(bed.set('pVen', -120)).drainagePressure.state).toBe('true');
  });

  it('watches the monitor and the pumps off ECMO, and ignores a device never seen', () => {
    const bed = new TestBed('bed1', null);
    bed.devices = { monitor: 'stale' };
    const c = conditions(bed);
    expect(c['deviceOffline.monitor'].state).toBe('true');
    expect(c['deviceOffline.pump'].state).toBe('false');
  });
});
