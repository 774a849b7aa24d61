import { describe, expect, it } from 'vitest';
import { ALARM_KEYS, alarmDef } from '../../shared/alarms.js';
import { SCENARIOS, SCENARIO_NAMES } from './index.js';

describe('alarm ground-truth labels', () => {
  it('every scenario is labelled, with a default window inside its story', () => {
    for (const name of SCENARIO_NAMES) {
      const s = SCENARIOS[name];
      expect(s.alarms, name).toBeDefined();
      expect(s.alarmWindow, name).toBeDefined();
      const w = s.alarmWindow!;
      expect(w.fromS, name).toBeGreaterThanOrEqual(0);
      expect(w.toS, name).toBeGreaterThan(w.fromS);
      expect(w.toS, name).toBeLessThanOrEqual(s.durationS);
    }
  });

  it('every label names an alarm of the catalogue and lies within the story', () => {
    for (const name of SCENARIO_NAMES) {
      const s = SCENARIOS[name];
      for (const l of s.alarms ?? []) {
        const what = `${name} ${l.key} at ${l.fromS}`;
        expect(ALARM_KEYS, what).toContain(l.key);
        expect(l.earliestS ?? l.fromS, what).toBeGreaterThanOrEqual(0);
        expect(l.earliestS ?? l.fromS, what).toBeLessThanOrEqual(l.fromS);
        expect(l.fromS, what).toBeLessThan(s.durationS);
        if (l.toS !== undefined) {
          expect(l.toS, what).toBeGreaterThan(l.fromS);
          expect(l.toS, what).toBeLessThanOrEqual(s.durationS);
        }
        expect(l.note.length, what).toBeGreaterThan(10);
      }
    }
  });

  it('deadlines are the onset delay plus an allowance, inside the story', () => {
    for (const name of SCENARIO_NAMES) {
      const s = SCENARIOS[name];
      for (const l of s.alarms ?? []) {
        const what = `${name} ${l.key} at ${l.fromS}`;
        expect(l.maxDelayS, what).toBeGreaterThanOrEqual(alarmDef(l.key)!.delayS);
        if (l.expect === 'required') expect(l.fromS + l.maxDelayS, what).toBeLessThanOrEqual(s.durationS);
      }
    }
  });

  it('ECMO alarms are labelled only where ECMO runs, VA-only ones only on VA', () => {
    for (const name of SCENARIO_NAMES) {
      const s = SCENARIOS[name];
      for (const l of s.alarms ?? []) {
        const scope = alarmDef(l.key)!.scope;
        if (scope === 'always') continue;
        const what = `${name} ${l.key}`;
        expect(s.ecmoMode, what).not.toBeNull();
        if (scope === 'va') expect(s.ecmoMode, what).toBe('VA');
        expect(l.fromS, what).toBeGreaterThanOrEqual(s.ecmoConsoleFromS ?? Infinity);
      }
    }
  });

  it('a device-offline label sits on a scheduled outage of that device', () => {
    for (const name of SCENARIO_NAMES) {
      const s = SCENARIOS[name];
      for (const l of (s.alarms ?? []).filter((x) => x.key.startsWith('deviceOffline.'))) {
        const device = l.key.slice('deviceOffline.'.length);
        const fault = (s.faults ?? []).find((f) => f.device === device && f.atS === l.fromS);
        expect(fault, `${name} ${l.key} at ${l.fromS}`).toBeDefined();
        expect(['dropout', 'disconnect']).toContain(fault!.fault);
        expect(l.toS).toBe(l.fromS + fault!.durationS!);
      }
    }
  });

  it('required labels of one key do not overlap (each is one episode)', () => {
    for (const name of SCENARIO_NAMES) {
      const byKey = new Map<string, { fromS: number; toS: number }[]>();
      for (const l of (SCENARIOS[name].alarms ?? []).filter((x) => x.expect === 'required')) {
        const list = byKey.get(l.key) ?? [];
        list.push({ fromS: l.earliestS ?? l.fromS, toS: l.toS ?? Infinity });
        byKey.set(l.key, list);
      }
      for (const [key, list] of byKey) {
        list.sort((a, b) => a.fromS - b.fromS);
        for (let i = 1; i < list.length; i++) expect(list[i].fromS, `${name} ${key}`).toBeGreaterThanOrEqual(list[i - 1].toS);
      }
    }
  });
});
