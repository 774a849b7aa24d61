import { describe, expect, it } from 'vitest';
import { HOUR, MIN, SCENARIOS, SCENARIO_NAMES } from './scenarios/index.js';
import { Simulation } from './simulation.js';
import { judge, publishes, runSimulation } from './testSupport.js';

const START_MS = Date.UTC(2026, 0, 15, 8, 0, 0);
const LONG_RUN_S = 6 * HOUR;

describe('every message a scenario publishes is valid', () => {
  for (const name of SCENARIO_NAMES) {
    it(`${name}: a long run (numerics, pumps, lab, status) passes topic, schema and range checks`, () => {
      const out = runSimulation(
        { beds: ['bed-1'], scenario: name, offsetS: 0, seed: 3, startMs: START_MS, waveforms: false },
        Math.min(LONG_RUN_S, SCENARIOS[name].durationS),
      );
      const messages = publishes(out);
      const bad = messages
        .filter((o) => !o.fault)
        .map((o) => ({ o, j: judge(o) }))
        .filter((x) => x.j.verdict !== 'ok');
      expect(bad.map((b) => `${b.o.device}/${b.o.stream}: ${b.j.verdict} ${b.j.detail ?? ''}`)).toEqual([]);
      const streams = new Set(messages.map((o) => o.device));
      expect(streams).toContain('monitor');
      expect(streams).toContain('pump');
      expect(streams).toContain('lab');
      if (SCENARIOS[name].ecmoMode) expect(streams).toContain('ecmo');
    });

    it(`${name}: ten minutes with waveforms pass too`, () => {
      const out = runSimulation({ beds: ['bed-1'], scenario: name, seed: 4, startMs: START_MS }, 10 * MIN);
      const waves = publishes(out).filter((o) => o.stream === 'waveform');
      expect(waves.length).toBeGreaterThan(0);
      for (const o of publishes(out).filter((m) => !m.fault)) expect(judge(o).verdict).toBe('ok');
    });
  }

  it('mixed beds with every fault requested: only malformed and out-of-range messages fail, as named', () => {
    const out = runSimulation(
      {
        beds: ['a', 'b', 'c', 'd'],
        scenario: 'mixed',
        seed: 5,
        startMs: START_MS,
        faults: ['malformed', 'out-of-range', 'clock-skew', 'duplicate', 'out-of-order', 'dropout', 'disconnect'],
        faultMeanIntervalS: 120,
      },
      HOUR,
    );
    for (const o of publishes(out)) {
      const verdict = judge(o).verdict;
      if (o.fault === 'malformed') expect(verdict).toBe('malformed_json');
      else if (o.fault === 'out-of-range') expect(verdict).toBe('out_of_range');
      else expect(verdict, `${o.device}/${o.stream} ${o.fault ?? ''}`).toBe('ok');
    }
  });
});

describe('the message stream', () => {
  it('is the same for the same seed and start', () => {
    const options = { beds: ['bed-01', 'bed-02', 'bed-03'], scenario: 'mixed', seed: 7, startMs: START_MS };
    const a = runSimulation({ ...options, faults: ['duplicate', 'dropout'] }, 15 * MIN);
    const b = runSimulation({ ...options, faults: ['duplicate', 'dropout'] }, 15 * MIN);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('differs for another seed', () => {
    const options = { beds: ['bed-01', 'bed-02'], scenario: 'refractory-shock', startMs: START_MS };
    const a = publishes(runSimulation({ ...options, seed: 7 }, 5 * MIN)).map((o) => JSON.stringify(o.payload));
    const b = publishes(runSimulation({ ...options, seed: 8 }, 5 * MIN)).map((o) => JSON.stringify(o.payload));
    expect(b).not.toEqual(a);
  });

  it('is the same whether it is stepped a second at a time or in large batches', () => {
    const options = { beds: ['bed-01'], scenario: 'drainage-problem', seed: 2, startMs: START_MS };
    const oneGo = new Simulation(options).advanceTo(20 * MIN * 1000 - 1);
    const stepped = new Simulation(options);
    const pieces = [];
    for (let t = 0; t < 20 * MIN; t += 7) pieces.push(...stepped.advanceTo(Math.min(t + 6, 20 * MIN - 1) * 1000));
    expect(JSON.stringify(pieces)).toBe(JSON.stringify(oneGo));
  });

  it('stamps ts = startMs + simulated elapsed, and numerics once a second per device', () => {
    const out = runSimulation({ beds: ['bed-01'], scenario: 'stable-va', seed: 1, startMs: START_MS }, 60, false);
    const monitor = publishes(out).filter((o) => o.device === 'monitor' && o.stream === 'numerics');
    expect(monitor.map((o) => (o.payload as { ts: number }).ts)).toEqual(Array.from({ length: 60 }, (_, i) => START_MS + i * 1000));
    expect(publishes(out).filter((o) => o.device === 'ecmo' && o.stream === 'numerics')).toHaveLength(60);
  });

  it('numbers each device stream with an increasing seq', () => {
    const out = publishes(runSimulation({ beds: ['bed-01'], scenario: 'refractory-shock', seed: 1, startMs: START_MS }, 30 * MIN));
    const byStream = new Map<string, number[]>();
    for (const o of out) {
      const seq = (o.payload as { seq?: number }).seq;
      if (seq !== undefined) byStream.set(`${o.device}/${o.stream}`, [...(byStream.get(`${o.device}/${o.stream}`) ?? []), seq]);
    }
    expect(byStream.size).toBeGreaterThanOrEqual(4);
    for (const seqs of byStream.values()) expect(seqs).toEqual(seqs.map((_, i) => i));
  });

  it('brings each device online with a retained status before its data, and offline at the end', () => {
    const out = runSimulation({ beds: ['bed-01'], scenario: 'stable-vv', seed: 1, startMs: START_MS }, 30);
    for (const device of ['monitor', 'ecmo', 'pump', 'lab'] as const) {
      const mine = out.filter((o) => o.device === device);
      expect(mine[0]).toMatchObject({ kind: 'connect' });
      expect(mine[1]).toMatchObject({ kind: 'publish', stream: 'status', retain: true, payload: { state: 'online' } });
      expect(mine.at(-2)).toMatchObject({ kind: 'publish', stream: 'status', retain: true, payload: { state: 'offline' } });
      expect(mine.at(-1)).toMatchObject({ kind: 'disconnect', abrupt: false });
    }
  });
});

describe('pumps and lab', () => {
  it('pumps publish on change and at least every 30 s', () => {
    const out = publishes(
      runSimulation({ beds: ['bed-01'], scenario: 'refractory-shock', offsetS: 0, seed: 1, startMs: START_MS }, 3 * HOUR),
    );
    const channels = new Map<string, number[]>();
    for (const o of out.filter((m) => m.device === 'pump' && m.stream !== 'status')) {
      channels.set(o.stream, [...(channels.get(o.stream) ?? []), (o.payload as { ts: number }).ts]);
    }
    expect(channels.size).toBeGreaterThanOrEqual(3);
    for (const times of channels.values()) {
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeLessThanOrEqual(30_000);
    }
    const epinephrine = out
      .filter((m) => (m.payload as { drug?: string }).drug === 'epinephrine')
      .map((m) => (m.payload as { rateMlH: number }).rateMlH);
    // 0.05 → 0.3 mcg/kg/min at 20 mcg/mL for 20 kg: 3 → 18 mL/h.
    expect(epinephrine[0]).toBe(3);
    expect(Math.max(...epinephrine)).toBe(18);
  });

  it('lab results are published 5 to 15 minutes after their sample time, every 30 to 60 minutes at least', () => {
    const out = publishes(runSimulation({ beds: ['bed-01'], scenario: 'stable-va', offsetS: 0, seed: 9, startMs: START_MS }, 8 * HOUR));
    const results = publishes(out).filter((o) => o.device === 'lab' && o.stream === 'result');
    const delaysMin = results.map((o) => (o.atMs - (o.payload as { ts: number }).ts) / 60_000);
    for (const d of delaysMin) {
      expect(d).toBeGreaterThanOrEqual(5);
      expect(d).toBeLessThanOrEqual(15);
    }
    const arterial = results
      .filter((o) => (o.payload as { site: string }).site === 'arterial')
      .map((o) => (o.payload as { ts: number }).ts)
      .sort((a, b) => a - b);
    for (let i = 1; i < arterial.length; i++) expect(arterial[i] - arterial[i - 1]).toBeLessThanOrEqual(60 * MIN * 1000);
    const sites = new Set(results.map((o) => (o.payload as { site: string }).site));
    expect(sites).toEqual(new Set(['arterial', 'pre-oxygenator', 'post-oxygenator']));
  });

  it('a run that starts mid-story first publishes the recent lab history with its own (past) sample times', () => {
    const out = publishes(runSimulation({ beds: ['bed-01'], scenario: 'refractory-shock', seed: 1, startMs: START_MS }, 1, false));
    const history = out.filter((o) => o.device === 'lab' && o.stream === 'result');
    expect(history.length).toBeGreaterThan(3);
    for (const o of history) expect((o.payload as { ts: number }).ts).toBeLessThan(START_MS);
  });
});

describe('monitor waveforms', () => {
  it('come as 1 s chunks of 125 abp and pleth samples whose range and mean match the numerics of that second', () => {
    const out = publishes(runSimulation({ beds: ['bed-01'], scenario: 'septic-shock', seed: 6, startMs: START_MS }, 5 * MIN));
    const numerics = new Map(
      out
        .filter((o) => o.stream === 'numerics' && o.device === 'monitor')
        .map((o) => [(o.payload as { ts: number }).ts, (o.payload as { values: Record<string, number> }).values]),
    );
    const chunks = out
      .filter((o) => o.stream === 'waveform')
      .map((o) => o.payload as { ts: number; signal: string; rateHz: number; samples: number[] });
    expect(chunks.filter((c) => c.signal === 'abp')).toHaveLength(5 * 60);
    expect(chunks.filter((c) => c.signal === 'pleth')).toHaveLength(5 * 60);
    let sumWave = 0;
    let sumMap = 0;
    for (const c of chunks.filter((w) => w.signal === 'abp')) {
      expect(c.rateHz).toBe(125);
      expect(c.samples).toHaveLength(125);
      const v = numerics.get(c.ts)!;
      const slack = 0.2 * (v.sbp - v.dbp) + 2;
      expect(Math.abs(Math.max(...c.samples) - v.sbp)).toBeLessThan(slack);
      expect(Math.abs(Math.min(...c.samples) - v.dbp)).toBeLessThan(slack);
      sumWave += c.samples.reduce((a, b) => a + b, 0) / c.samples.length;
      sumMap += v.map;
    }
    expect(Math.abs(sumWave - sumMap) / 300).toBeLessThan(1.5);
  });
});
