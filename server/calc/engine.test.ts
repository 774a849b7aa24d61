import { describe, expect, it } from 'vitest';
import type { PumpMessage } from '../../shared/schemas.js';
import { BedState } from '../state/bed.js';
import { CalcEngine } from './engine.js';

const T = 1_700_000_000_000;
const patient = { weightKg: 20, heightCm: 115, ageMonths: 60, ecmoMode: 'VA' as const };

/** A bed with a patient and a pump pressure pair: dpOxy = pPre − pPost. */
function bedWithPressures(id = 'b1'): BedState {
  const bed = new BedState(id);
  bed.patient = patient;
  bed.addSample('pPre', T, 200, 'ecmo', false);
  bed.addSample('pPost', T, 170, 'ecmo', false);
  return bed;
}

/** Adds a sample to the bed, as the pipeline does (the engine reads the bed's rings). */
function sample(bed: BedState, signal: string, ts: number, value: number | null): void {
  bed.addSample(signal, ts, value, 'ecmo', false);
}

describe('derived values of a bed', () => {
  it('are computed when the pipeline recomputes, and reading them never computes', () => {
    const engine = new CalcEngine();
    const bed = bedWithPressures();
    expect(engine.derivedOf(bed)).toEqual({});
    engine.recompute(bed, T);
    const first = engine.derivedOf(bed);
    expect(first.dpOxy.value).toBe(30);
    bed.addSample('pPost', T + 500, 150, 'ecmo', false);
    expect(engine.derivedOf(bed)).toBe(first);
    engine.recompute(bed, T + 500);
    expect(engine.derivedOf(bed).dpOxy.value).toBe(50);
  });

  it('are kept per bed', () => {
    const engine = new CalcEngine();
    const a = bedWithPressures('a');
    const b = bedWithPressures('b');
    b.addSample('pPre', T + 1, 300, 'ecmo', false);
    engine.recompute(a, T + 1);
    engine.recompute(b, T + 1);
    expect(engine.derivedOf(a).dpOxy.value).toBe(30);
    expect(engine.derivedOf(b).dpOxy.value).toBe(130);
  });

  it('are forgotten with their bed', () => {
    const engine = new CalcEngine();
    const bed = bedWithPressures();
    engine.recompute(bed, T);
    engine.forget(bed.bedId);
    expect(engine.derivedOf(bed)).toEqual({});
  });
});

describe('changed keys for the stream', () => {
  it('names every key on the first computation, then only what changed', () => {
    const engine = new CalcEngine();
    const bed = bedWithPressures();
    const all = engine.recompute(bed, T);
    expect(all).toContain('dpOxy');
    expect(all).toContain('vis');
    expect(all).toHaveLength(Object.keys(engine.derivedOf(bed)).length);
    expect(engine.recompute(bed, T)).toEqual([]);
  });

  it('names only the keys whose value changed', () => {
    const engine = new CalcEngine();
    const bed = bedWithPressures();
    engine.recompute(bed, T);
    sample(bed, 'pPre', T + 1000, 210);
    expect(engine.recompute(bed, T + 1000)).toEqual(['dpOxy']);
    sample(bed, 'pPre', T + 2000, 210);
    expect(engine.recompute(bed, T + 2000)).toEqual([]);
  });

  it('names a key whose quality or reason changed with the same value (an input ageing)', () => {
    const engine = new CalcEngine();
    const bed = bedWithPressures();
    expect(engine.recompute(bed, T)).toContain('dpOxy');
    expect(engine.recompute(bed, T + 5_000)).toEqual([]);
    // Stale after 10 s: same value, worse quality.
    expect(engine.recompute(bed, T + 30_000)).toContain('dpOxy');
    expect(engine.derivedOf(bed).dpOxy).toMatchObject({ value: 30, quality: 'stale' });
    // Still stale, older: the reason's words change.
    const later = engine.recompute(bed, T + 40_000);
    expect(later).toContain('dpOxy');
    expect(engine.derivedOf(bed).dpOxy.reason).toMatch(/40 s old/);
  });
});

describe('the oxygenator resistance of the last hour', () => {
  it('is the mean pressure drop over the mean flow once the hour holds ten minutes of all three', () => {
    const engine = new CalcEngine();
    const bed = new BedState('b1');
    for (let i = 0; i < 700; i++) {
      const t = T + i * 1000;
      sample(bed, 'pPre', t, i % 2 ? 210 : 190);
      sample(bed, 'pPost', t, 170);
      sample(bed, 'flow', t, 2);
      if (i === 500) expect(engine.rOxyMean1h(bed, t)).toBeNull();
    }
    expect(engine.rOxyMean1h(bed, T + 699_000)).toBeCloseTo(15, 6);
  });
});

describe('the oxygenator resistance of the last hour, at its edges', () => {
  /** `count` samples a second of each signal, ending at `end`. */
  function fill(engine: CalcEngine, bed: BedState, counts: Record<'pPre' | 'pPost' | 'flow', number>, flow = 2): number {
    const end = T + 3600_000;
    for (const [signal, count] of Object.entries(counts)) {
      for (let i = count - 1; i >= 0; i--) sample(bed, signal, end - i * 1000, signal === 'pPre' ? 200 : signal === 'pPost' ? 170 : flow);
    }
    return end;
  }

  it('needs 600 samples of each of the three in the hour', () => {
    const enough = { pPre: 600, pPost: 600, flow: 600 };
    let engine = new CalcEngine();
    let bed = new BedState('b1');
    expect(engine.rOxyMean1h(bed, fill(engine, bed, enough))).toBeCloseTo(15, 9);
    for (const short of ['pPre', 'pPost', 'flow'] as const) {
      engine = new CalcEngine();
      bed = new BedState('b1');
      expect(engine.rOxyMean1h(bed, fill(engine, bed, { ...enough, [short]: 599 })), short).toBeNull();
    }
  });

  it('is null without any streamed signal, without one of the three, and at a mean flow of zero', () => {
    const engine = new CalcEngine();
    expect(engine.rOxyMean1h(new BedState('none'), T)).toBeNull();
    const noPre = new BedState('b3');
    expect(engine.rOxyMean1h(noPre, fill(engine, noPre, { pPre: 0, pPost: 700, flow: 700 }))).toBeNull();
    const noPost = new BedState('b4');
    expect(engine.rOxyMean1h(noPost, fill(engine, noPost, { pPre: 700, pPost: 0, flow: 700 }))).toBeNull();
    const noFlow = new BedState('b1');
    expect(engine.rOxyMean1h(noFlow, fill(engine, noFlow, { pPre: 700, pPost: 700, flow: 0 }))).toBeNull();
    const stopped = new BedState('b2');
    expect(engine.rOxyMean1h(stopped, fill(engine, stopped, { pPre: 700, pPost: 700, flow: 700 }, 0))).toBeNull();
  });
});

describe('windowed statistics of a bed', () => {
  it('follow the streamed monitor and console signals, not lab results', () => {
    const engine = new CalcEngine();
    const bed = new BedState('b1');
    sample(bed, 'hr', T, 100);
    sample(bed, 'hr', T + 1000, 110);
    sample(bed, 'flow', T, 2);
    sample(bed, 'lab.arterial.lactate', T, 3);
    const stats = engine.statsOf(bed, T + 1000);
    expect(Object.keys(stats).sort()).toEqual(['flow', 'hr']);
    expect(stats.hr['1m']).toMatchObject({ n: 2, mean: 105, min: 100, max: 110 });
    expect(stats.flow['1m']).toMatchObject({ n: 1, mean: 2 });
  });

  it('measure time in range against the signal’s default range, where it has one', () => {
    const engine = new CalcEngine();
    const bed = new BedState('b1');
    sample(bed, 'pPost', T, 250);
    sample(bed, 'pPost', T + 30_000, 350);
    sample(bed, 'hr', T, 100);
    const stats = engine.statsOf(bed, T + 60_000);
    expect(stats.pPost['5m'].timeInRange).toBeCloseTo(0.5, 12);
    expect(stats.hr['5m'].timeInRange).toBeUndefined();
  });

  it('are empty for a bed without streamed samples', () => {
    expect(new CalcEngine().statsOf(new BedState('b1'), T)).toEqual({});
  });
});

describe('infusions of a bed', () => {
  it('list each pump channel with its dose for the patient’s weight', () => {
    const engine = new CalcEngine();
    const bed = new BedState('b1');
    bed.patient = patient;
    const message = { ts: T, drug: 'epinephrine', rateMlH: 3, concentration: 20, concentrationUnit: 'mcg/mL', running: true };
    bed.setPump('ch1', message as PumpMessage, T);
    expect(engine.infusionsOf(bed)).toEqual([
      {
        channel: 'ch1',
        drug: 'epinephrine',
        rateMlH: 3,
        concentration: 20,
        concentrationUnit: 'mcg/mL',
        running: true,
        ts: T,
        dose: 0.05,
        doseUnit: 'mcg/kg/min',
        scored: true,
      },
    ]);
    bed.patient = null;
    expect(engine.infusionsOf(bed)[0].dose).toBeNull();
  });

  it('count in the bed’s VIS', () => {
    const engine = new CalcEngine();
    const bed = new BedState('b1');
    bed.patient = patient;
    const message = { ts: T, drug: 'epinephrine', rateMlH: 3, concentration: 20, concentrationUnit: 'mcg/mL', running: true };
    bed.setPump('ch1', message as PumpMessage, T);
    engine.recompute(bed, T);
    expect(engine.derivedOf(bed).vis.value).toBeCloseTo(5, 12);
  });
});
