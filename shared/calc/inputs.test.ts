// Which input a calculation uses, and how its quality is put in words (docs/clinical.md, section 2).
import { describe as group, expect, it } from 'vitest';
import type { LatestValue } from '../protocol.js';
import { ageText, describe, isCalcSignal, joinReasons, pick, worst, type Picked } from './inputs.js';

const NOW = 1_800_000_000_000;
const S = 1000;

function latest(values: Record<string, { value: number | null; ageS: number }>) {
  const m = new Map<string, LatestValue>(
    Object.entries(values).map(([k, v]) => [k, { value: v.value, ts: NOW - v.ageS * S, source: 'x' }]),
  );
  return (s: string) => m.get(s);
}

group('picking an input', () => {
  it('takes the first source whose value is fresh, with its age', () => {
    const p = pick(latest({ svo2: { value: 70, ageS: 3 }, 'lab.pre-oxygenator.so2': { value: 65, ageS: 60 } }), 'preOxySat', NOW);
    expect(p).toEqual({ name: 'preOxySat', value: 70, signal: 'svo2', ts: NOW - 3 * S, ageS: 3, quality: 'ok' });
  });

  it('counts a value exactly at its maximum age as fresh, and one a millisecond older as stale', () => {
    expect(pick(latest({ flow: { value: 2, ageS: 10 } }), 'flow', NOW).quality).toBe('ok');
    expect(pick(latest({ flow: { value: 2, ageS: 10.001 } }), 'flow', NOW)).toMatchObject({ quality: 'stale', ageS: 10.001 });
  });

  it('falls back to a later source when the first is stale', () => {
    const p = pick(latest({ svo2: { value: 70, ageS: 60 }, 'lab.central-venous.so2': { value: 66, ageS: 600 } }), 'preOxySat', NOW);
    expect(p).toMatchObject({ value: 66, signal: 'lab.central-venous.so2', quality: 'ok' });
  });

  it('uses the newest of the stale sources when none is fresh, marked stale', () => {
    const values = {
      svo2: { value: 70, ageS: 4000 },
      'lab.pre-oxygenator.so2': { value: 65, ageS: 5000 },
      'lab.central-venous.so2': { value: 66, ageS: 3700 },
    };
    expect(pick(latest(values), 'preOxySat', NOW)).toEqual({
      name: 'preOxySat',
      value: 66,
      signal: 'lab.central-venous.so2',
      ts: NOW - 3700 * S,
      ageS: 3700,
      quality: 'stale',
    });
    const firstNewest = { ...values, svo2: { value: 70, ageS: 3600 } };
    expect(pick(latest(firstNewest), 'preOxySat', NOW)).toMatchObject({ value: 70, signal: 'svo2', quality: 'stale' });
  });

  it('is missing when no source has a number (a sensor switched off, a non-finite value)', () => {
    const none = { name: 'hb', value: null, signal: null, ts: 0, ageS: null, quality: 'missing' };
    expect(pick(latest({}), 'hb', NOW)).toEqual(none);
    expect(pick(latest({ hb: { value: null, ageS: 1 }, 'lab.arterial.hb': { value: NaN, ageS: 1 } }), 'hb', NOW)).toEqual(none);
  });

  it('skips a source switched off for the next one', () => {
    expect(pick(latest({ hb: { value: null, ageS: 1 }, 'lab.venous.hb': { value: 9, ageS: 60 } }), 'hb', NOW)).toMatchObject({
      value: 9,
      signal: 'lab.venous.hb',
      quality: 'ok',
    });
  });

  it('looks at every lab site for a `lab.*` source and takes the newest number', () => {
    const values = {
      'lab.arterial.hb': { value: 10, ageS: 7200 },
      'lab.venous.hb': { value: 9, ageS: 3600 },
      'lab.post-oxygenator.hb': { value: null, ageS: 60 },
      'lab.central-venous.hb': { value: Infinity, ageS: 30 },
      'lab.pre-oxygenator.hb': { value: 11, ageS: 5000 },
    };
    expect(pick(latest(values), 'hb', NOW)).toMatchObject({ value: 9, signal: 'lab.venous.hb', quality: 'ok', ageS: 3600 });
  });

  it('takes the first site in catalogue order (arterial first) when two lab sites report at the same time', () => {
    const values = { 'lab.arterial.hb': { value: 10, ageS: 60 }, 'lab.venous.hb': { value: 9, ageS: 60 } };
    expect(pick(latest(values), 'hb', NOW).signal).toBe('lab.arterial.hb');
  });

  it('takes the first source when stale sources are equally old', () => {
    const values = { svo2: { value: 70, ageS: 4000 }, 'lab.pre-oxygenator.so2': { value: 65, ageS: 4000 } };
    expect(pick(latest(values), 'preOxySat', NOW)).toMatchObject({ signal: 'svo2', quality: 'stale' });
  });

  it('gives a lab value its own maximum age (haemoglobin: 12 h) and a device value the device’s (10 s)', () => {
    expect(pick(latest({ 'lab.arterial.hb': { value: 10, ageS: 12 * 3600 } }), 'hb', NOW).quality).toBe('ok');
    expect(pick(latest({ 'lab.arterial.hb': { value: 10, ageS: 12 * 3600 + 1 } }), 'hb', NOW).quality).toBe('stale');
    expect(pick(latest({ hb: { value: 10, ageS: 11 } }), 'hb', NOW).quality).toBe('stale');
  });

  it('gives a value from a clock ahead of ours the age 0', () => {
    expect(pick(latest({ flow: { value: 2, ageS: -5 } }), 'flow', NOW)).toMatchObject({ ageS: 0, quality: 'ok' });
    expect(pick(latest({ flow: { value: 2, ageS: -5 } }), 'flow', NOW + 60 * S)).toMatchObject({
      ageS: 55,
      quality: 'stale',
    });
  });

  it('prefers arterial lactate, then the newest lactate of any site', () => {
    const both = { 'lab.arterial.lactate': { value: 4, ageS: 3 * 3600 }, 'lab.venous.lactate': { value: 3, ageS: 60 } };
    expect(pick(latest(both), 'lactate', NOW)).toMatchObject({ value: 4, signal: 'lab.arterial.lactate', quality: 'ok' });
    const oldArterial = { ...both, 'lab.arterial.lactate': { value: 4, ageS: 7 * 3600 } };
    expect(pick(latest(oldArterial), 'lactate', NOW)).toMatchObject({ value: 3, signal: 'lab.venous.lactate', quality: 'ok' });
  });
});

group('signals that feed a calculation', () => {
  it('are the sources of the inputs, lab results of any site for a `lab.*` source', () => {
    for (const s of [
      'flow',
      'pPre',
      'hb',
      'svo2',
      'map',
      'lab.pre-oxygenator.po2',
      'lab.arterial.lactate',
      'lab.venous.lactate',
      'lab.venous.hb',
    ]) {
      expect(isCalcSignal(s), s).toBe(true);
    }
  });

  it('are not the other signals', () => {
    for (const s of ['rpm', 'spo2', 'temp', 'lab.venous.po2', 'lab.arterial.ph', 'hb.lab', 'labs.venous.hb', 'lactate']) {
      expect(isCalcSignal(s), s).toBe(false);
    }
  });
});

group('quality', () => {
  it('takes the worst: missing over stale over assumed over ok', () => {
    expect(worst()).toBe('ok');
    expect(worst('ok', 'ok')).toBe('ok');
    expect(worst('ok', 'assumed')).toBe('assumed');
    expect(worst('stale', 'assumed', 'ok')).toBe('stale');
    expect(worst('assumed', 'missing', 'stale')).toBe('missing');
    expect(worst('missing', 'ok')).toBe('missing');
  });
});

group('reasons in words', () => {
  it('state an age in seconds under 2 min, minutes under 2 h, hours beyond', () => {
    expect(ageText(0)).toBe('0 s');
    expect(ageText(89.6)).toBe('90 s');
    expect(ageText(119)).toBe('119 s');
    expect(ageText(120)).toBe('2 min');
    expect(ageText(4260)).toBe('71 min');
    expect(ageText(7199)).toBe('120 min');
    expect(ageText(7200)).toBe('2 h');
    expect(ageText(50_400)).toBe('14 h');
  });

  it('name each part once, in the order first given', () => {
    expect(joinReasons(['a; b', 'c', 'b; a', 'd'])).toBe('a; b; c; d');
    expect(joinReasons([])).toBe('');
    expect(joinReasons(['no CVP'])).toBe('no CVP');
    expect(joinReasons(['no CVP; no CVP'])).toBe('no CVP');
  });

  const stale = (over: Partial<Picked>): Picked => ({ name: 'hb', value: 10, signal: 'hb', ts: 0, ageS: 30, quality: 'stale', ...over });

  it('say what is missing by its label', () => {
    expect(describe(stale({ name: 'flow', quality: 'missing', value: null, signal: null, ageS: null }))).toBe('no pump flow');
    expect(describe(stale({ name: 'weight', quality: 'missing' }))).toBe('no weight');
  });

  it('name each input by its label', () => {
    const labels = {
      flow: 'pump flow',
      pPre: 'pre-oxygenator pressure',
      pPost: 'post-oxygenator pressure',
      hb: 'haemoglobin',
      preOxySat: 'pre-oxygenator saturation',
      preOxyPo2: 'pre-oxygenator PO2',
      postOxySat: 'post-oxygenator saturation',
      postOxyPo2: 'post-oxygenator PO2',
      hr: 'heart rate',
      map: 'MAP',
      sbp: 'systolic pressure',
      dbp: 'diastolic pressure',
      cvp: 'CVP',
      lactate: 'lactate',
    };
    for (const [name, label] of Object.entries(labels)) expect(describe(stale({ name, quality: 'missing' }))).toBe(`no ${label}`);
  });

  it('say how old a stale input is against its maximum', () => {
    expect(describe(stale({}))).toBe('haemoglobin 30 s old (max 10 s)');
    expect(describe(stale({ name: 'preOxyPo2', signal: 'lab.pre-oxygenator.po2', ageS: 71 * 60 }))).toBe(
      'pre-oxygenator PO2 71 min old (max 60 min)',
    );
    expect(describe(stale({ signal: 'lab.venous.hb', ageS: 13 * 3600 }))).toBe('haemoglobin 13 h old (max 12 h)');
  });

  it('give a computed input’s own words for why it is stale', () => {
    expect(describe(stale({ name: 'cvo2', because: 'haemoglobin 30 s old (max 10 s)' }))).toBe('haemoglobin 30 s old (max 10 s)');
  });

  it('say an unknown age as 0 s and an input without a source as max 0 s', () => {
    expect(describe(stale({ name: 'x', signal: null, ageS: null }))).toBe('x 0 s old (max 0 s)');
  });
});
