import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../shared/schemas.js';
import { publishes, numericsOf, runSimulation } from '../testSupport.js';
import { DriverTimeline, HOUR, MIN, SCENARIOS, SCENARIO_NAMES, assignScenarios, eventTime } from './index.js';

const START_MS = Date.UTC(2026, 0, 15, 8, 0, 0);

/** Runs one bed of a scenario from T0 and indexes its numerics by scenario second. */
function story(name: string, untilS: number) {
  const out = runSimulation({ beds: ['bed-01'], scenario: name, offsetS: 0, seed: 21, startMs: START_MS, waveforms: false }, untilS);
  const bySecond = (device: 'monitor' | 'ecmo') =>
    new Map(numericsOf(out, 'bed-01', device).map((p) => [(p.ts - START_MS) / 1000, p.values]));
  const labs = publishes(out)
    .filter((o) => o.device === 'lab' && o.stream === 'result')
    .map((o) => o.payload as { ts: number; site: string; values: Record<string, number> });
  return { out, monitor: bySecond('monitor'), ecmo: bySecond('ecmo'), labs };
}

const dp = (v: Record<string, number | null> | undefined) => (v!.pPre as number) - (v!.pPost as number);
/** Mean of a key over a minute starting at scenario second s (noise averages out). */
function meanOver(series: Map<number, Record<string, number | null>>, key: string, s: number): number {
  const vs = Array.from({ length: 60 }, (_, i) => series.get(s + i)?.[key]).filter((v): v is number => typeof v === 'number');
  return vs.reduce((a, b) => a + b, 0) / vs.length;
}

describe('scenario timelines', () => {
  it('each scenario declares a child of the study age, events in order, and a console when it has ECMO', () => {
    for (const name of SCENARIO_NAMES) {
      const s = SCENARIOS[name];
      expect(s.name).toBe(name);
      expect(s.patient.ageMonths).toBeGreaterThanOrEqual(1);
      expect(s.patient.ageMonths).toBeLessThan(18 * 12);
      const times = s.events.map((e) => e.atS);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      for (const e of s.events) expect(EVENT_TYPES).toContain(e.type);
      expect(s.ecmoMode === null).toBe(s.ecmoConsoleFromS === undefined);
    }
  });

  it('refractory-shock follows docs/clinical.md example E: 90, 30, 20, 45 min; T0 → flow 185 min', () => {
    const s = SCENARIOS['refractory-shock'];
    const t = (type: Parameters<typeof eventTime>[1]) => eventTime(s, type)! / MIN;
    expect(t('shock_recognized')).toBe(0);
    expect(t('refractory_shock') - t('shock_recognized')).toBe(90);
    expect(t('ecmo_decision') - t('refractory_shock')).toBe(30);
    expect(t('cannulation_start') - t('ecmo_decision')).toBe(20);
    expect(t('ecmo_flow_start') - t('cannulation_start')).toBe(45);
    expect(t('ecmo_flow_start')).toBe(185);
  });

  it('drivers ramp linearly from where they were and hold afterwards', () => {
    const timeline = new DriverTimeline([
      { atS: 0, set: { volumeStatus: 0.6 } },
      { atS: 100, rampS: 100, set: { volumeStatus: 1 } },
      { atS: 150, set: { hb: 8 } },
    ]);
    expect(timeline.at(50).volumeStatus).toBe(0.6);
    expect(timeline.at(150).volumeStatus).toBeCloseTo(0.8);
    expect(timeline.at(500).volumeStatus).toBe(1);
    expect(timeline.at(149).hb).toBe(11);
    expect(timeline.at(150).hb).toBe(8);
  });

  it('mixed gives beds different scenarios; beds sharing one start a few minutes apart', () => {
    const beds = assignScenarios(['a', 'b', 'c'], 'mixed');
    expect(new Set(beds.map((b) => b.scenario.name)).size).toBe(3);
    const same = assignScenarios(['a', 'b'], 'refractory-shock');
    expect(same[1].offsetS - same[0].offsetS).toBe(4 * MIN);
    expect(assignScenarios(['a', 'b'], 'refractory-shock', 0).map((b) => b.offsetS)).toEqual([0, 0]);
  });
});

describe('refractory-shock', () => {
  const s = SCENARIOS['refractory-shock'];
  const cannulation = eventTime(s, 'cannulation_start')!;
  const flowStart = eventTime(s, 'ecmo_flow_start')!;
  const targetReached = eventTime(s, 'target_flow_reached')!;
  const run = story('refractory-shock', 6 * HOUR);

  it('has no ECMO console before cannulation, a console without flow until flow start, and flow right at the stated time', () => {
    const ecmoSeconds = [...run.ecmo.keys()];
    expect(Math.min(...ecmoSeconds)).toBe(cannulation);
    expect(run.out.find((o) => o.kind === 'connect' && o.device === 'ecmo')?.atMs).toBe(START_MS + cannulation * 1000);
    for (let t = cannulation; t < flowStart; t += 60) expect(run.ecmo.get(t)!.flow).toBe(0);
    expect(run.ecmo.get(flowStart - 1)!.flow).toBe(0);
    const firstFlow = ecmoSeconds.find((t) => (run.ecmo.get(t)!.flow as number) > 0.1)!;
    expect(firstFlow - flowStart).toBeGreaterThanOrEqual(0);
    expect(firstFlow - flowStart).toBeLessThan(30);
    expect(meanOver(run.ecmo, 'flow', targetReached)).toBeGreaterThan(0.95 * 1.6);
  });

  it('shock: hypotension for age and rising lactate despite escalating drugs; then ECMO clears lactate', () => {
    // Phoenix MAP band at 5 years: 1 point below 49 mmHg (docs/clinical.md 3.3).
    for (const m of [100, 130, 170]) expect(meanOver(run.monitor, 'map', m * MIN)).toBeLessThan(49);
    const arterialLactate = (fromMin: number, toMin: number) =>
      run.labs
        .filter((l) => l.site === 'arterial' && l.ts >= START_MS + fromMin * 60_000 && l.ts < START_MS + toMin * 60_000)
        .map((l) => l.values.lactate);
    const atT0 = arterialLactate(0, 20)[0];
    const atEcmo = Math.max(...arterialLactate(150, 190));
    const later = arterialLactate(5 * 60, 6 * 60);
    expect(atEcmo).toBeGreaterThan(atT0 + 2);
    expect(later.length).toBeGreaterThan(0);
    expect(Math.max(...later)).toBeLessThan(atEcmo - 2);
    // Well supported: venous saturation ~70 % on the console.
    expect(meanOver(run.ecmo, 'svo2', 5 * HOUR)).toBeGreaterThan(65);
  });
});

describe('circuit scenarios', () => {
  it('oxygenator-clot: pressure drop climbs and PO2 falls, until the oxygenator is changed', () => {
    const run = story('oxygenator-clot', 5 * HOUR);
    const change = eventTime(SCENARIOS['oxygenator-clot'], 'note')! + 75 * MIN; // second note: 4 h 15
    const dpAt = (s: number) => Array.from({ length: 60 }, (_, i) => dp(run.ecmo.get(s + i))).reduce((a, b) => a + b) / 60;
    expect(dpAt(0)).toBeLessThan(35);
    expect(dpAt(2 * HOUR)).toBeGreaterThan(dpAt(0) + 15);
    expect(dpAt(change - 5 * MIN)).toBeGreaterThan(60);
    expect(meanOver(run.ecmo, 'postOxyPo2', change - 5 * MIN)).toBeLessThan(200);
    expect(run.ecmo.get(change + 20)!.flow).toBe(0);
    expect(dpAt(change + 10 * MIN)).toBeLessThan(35);
    expect(meanOver(run.ecmo, 'postOxyPo2', change + 10 * MIN)).toBeGreaterThan(300);
  });

  it('drainage-problem: drainage pressure below −90 mmHg with falling flow, resolved by repositioning', () => {
    const run = story('drainage-problem', 90 * MIN);
    expect(meanOver(run.ecmo, 'pVen', 20 * MIN)).toBeGreaterThan(-60);
    expect(meanOver(run.ecmo, 'pVen', 40 * MIN)).toBeLessThan(-90);
    expect(meanOver(run.ecmo, 'flow', 40 * MIN)).toBeLessThan(0.75 * meanOver(run.ecmo, 'flow', 20 * MIN));
    expect(meanOver(run.ecmo, 'pVen', 75 * MIN)).toBeGreaterThan(-60);
    expect(meanOver(run.ecmo, 'flow', 75 * MIN)).toBeGreaterThan(0.95 * meanOver(run.ecmo, 'flow', 20 * MIN));
  });

  it('hypovolemia: drainage worsens, flow, MAP and SvO2 fall, heart rate rises; transfusion restores them', () => {
    const run = story('hypovolemia', 2 * HOUR);
    const before = 10 * MIN;
    const bled = 54 * MIN;
    const after = 100 * MIN;
    expect(meanOver(run.ecmo, 'pVen', bled)).toBeLessThan(meanOver(run.ecmo, 'pVen', before) - 30);
    expect(meanOver(run.ecmo, 'flow', bled)).toBeLessThan(meanOver(run.ecmo, 'flow', before));
    expect(meanOver(run.monitor, 'map', bled)).toBeLessThan(meanOver(run.monitor, 'map', before) - 5);
    expect(meanOver(run.ecmo, 'svo2', bled)).toBeLessThan(meanOver(run.ecmo, 'svo2', before) - 5);
    expect(meanOver(run.monitor, 'hr', bled)).toBeGreaterThan(meanOver(run.monitor, 'hr', before));
    expect(meanOver(run.ecmo, 'pVen', after)).toBeGreaterThan(-60);
    expect(meanOver(run.ecmo, 'hb', after)).toBeGreaterThan(meanOver(run.ecmo, 'hb', bled) + 1.5);
  });

  it('stable-va: an infant at ~100 mL/kg/min with typical circuit values', () => {
    const run = story('stable-va', 30 * MIN);
    const flowPerKg = (meanOver(run.ecmo, 'flow', 10 * MIN) * 1000) / SCENARIOS['stable-va'].patient.weightKg;
    expect(flowPerKg).toBeGreaterThan(90);
    expect(flowPerKg).toBeLessThan(115);
    const v = run.ecmo.get(10 * MIN)!;
    expect(v.pVen).toBeGreaterThan(-60);
    expect(v.pVen).toBeLessThan(-20);
    expect(dp(v)).toBeGreaterThan(15);
    expect(dp(v)).toBeLessThan(40);
    expect(v.postOxySat).toBeGreaterThanOrEqual(99);
    expect(v.postOxyPo2).toBeGreaterThan(200);
    expect(v.postOxyPo2).toBeLessThan(450);
    expect(v.svo2).toBeGreaterThan(65);
    expect(v.svo2).toBeLessThan(88);
  });

  it('stable-vv: arterial saturation in the high 80s to low 90s, as on VV support', () => {
    const run = story('stable-vv', 20 * MIN);
    const spo2 = meanOver(run.monitor, 'spo2', 10 * MIN);
    expect(spo2).toBeGreaterThan(85);
    expect(spo2).toBeLessThan(95);
  });

  it('septic-shock responds: MAP leaves the Phoenix band within 2 h, lactate below 2 by 10 h, drugs stopped by 12 h', () => {
    const run = story('septic-shock', 12 * HOUR + 60);
    // 2 years: 1 point below 44 mmHg.
    expect(meanOver(run.monitor, 'map', 5 * MIN)).toBeLessThan(44);
    expect(meanOver(run.monitor, 'map', 2 * HOUR)).toBeGreaterThan(50);
    const late = run.labs.filter((l) => l.site === 'arterial' && l.ts > START_MS + 10 * HOUR * 1000);
    for (const l of late) expect(l.values.lactate).toBeLessThan(2);
    const lastPumps = new Map(
      publishes(run.out)
        .filter((o) => o.device === 'pump' && o.stream !== 'status')
        .map((o) => [o.stream, o.payload as { running: boolean }]),
    );
    for (const p of lastPumps.values()) expect(p.running).toBe(false);
  });
});
