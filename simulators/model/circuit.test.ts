import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { designCircuit, drainageAvailability, rpmForFlow, solveCircuit, type CircuitInputs } from './circuit.js';
import { oxygenatorTransfer } from './oxygenator.js';

// A 20 kg child on VA ECMO: target 1.6 L/min (80 mL/kg/min), MAP 60, CVP 6.
const design = designCircuit('VA', 1.6, 60, 6);
const normal: CircuitInputs = {
  rpm: design.designRpm,
  meanArterialPressure: 60,
  centralVenousPressure: 6,
  drainageAvailability: 1,
  drainageObstruction: 0,
  oxygenatorClot: 0,
  clamped: false,
};
const at = (x: Partial<CircuitInputs>) => solveCircuit(design, { ...normal, ...x });
const dpOxy = (x: Partial<CircuitInputs>) => at(x).preOxygenatorPressure - at(x).postOxygenatorPressure;

describe('ECMO circuit', () => {
  it('gives the target flow at the speed set for it, with typical paediatric pressures', () => {
    const s = at({ rpm: rpmForFlow(design, 1.6) });
    expect(s.flowLMin).toBeCloseTo(1.6, 1);
    expect(s.drainagePressure).toBeGreaterThan(-60);
    expect(s.drainagePressure).toBeLessThan(-20);
    expect(dpOxy({ rpm: rpmForFlow(design, 1.6) })).toBeGreaterThan(20);
    expect(dpOxy({ rpm: rpmForFlow(design, 1.6) })).toBeLessThan(40);
    expect(s.suction).toBe(0);
  });

  it('more rpm gives more flow until drainage limits it; then drainage pressure plunges', () => {
    const speeds = Array.from({ length: 41 }, (_, i) => 1500 + i * 100);
    const flows = speeds.map((rpm) => at({ rpm }).flowLMin);
    for (let i = 1; i < flows.length; i++) expect(flows[i]).toBeGreaterThanOrEqual(flows[i - 1]);
    const capacity = 1.6 * 1.6;
    expect(flows.at(-1)!).toBeLessThanOrEqual(capacity);
    // Early on each 100 rpm adds flow; at the top, hardly any.
    expect(flows[6] - flows[5]).toBeGreaterThan(5 * (flows.at(-1)! - flows.at(-2)!));
    expect(at({ rpm: 5500 }).drainagePressure).toBeLessThan(-100);
    expect(at({ rpm: 5500 }).suction).toBeGreaterThan(0);
  });

  it('flow never falls and drainage pressure never rises with more rpm, whatever the patient', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 500, max: 6000 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.double({ min: 0.5, max: 1.2, noNaN: true }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.double({ min: 25, max: 90, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (rpm, more, volume, obstruction, map, clot) => {
          const x = {
            drainageAvailability: drainageAvailability(volume),
            drainageObstruction: obstruction,
            meanArterialPressure: map,
            oxygenatorClot: clot,
          };
          const low = at({ ...x, rpm });
          const high = at({ ...x, rpm: rpm + more });
          expect(high.flowLMin).toBeGreaterThanOrEqual(low.flowLMin - 1e-9);
          expect(high.drainagePressure).toBeLessThanOrEqual(low.drainagePressure + 1e-9);
        },
      ),
    );
  });

  it('an under-filled patient drains less and pulls the drainage pressure far more negative', () => {
    const full = at({ drainageAvailability: drainageAvailability(1) });
    const empty = at({ drainageAvailability: drainageAvailability(0.65) });
    expect(empty.flowLMin).toBeLessThan(0.8 * full.flowLMin);
    expect(empty.drainagePressure).toBeLessThan(-70);
    expect(empty.drainagePressure).toBeLessThan(full.drainagePressure - 40);
  });

  it('clot raises the oxygenator pressure drop and its resistance at a fixed speed', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.9, noNaN: true }), fc.double({ min: 0.01, max: 0.1, noNaN: true }), (clot, more) => {
        const before = at({ oxygenatorClot: clot });
        const after = at({ oxygenatorClot: clot + more });
        expect(dpOxy({ oxygenatorClot: clot + more })).toBeGreaterThan(dpOxy({ oxygenatorClot: clot }));
        const r = (s: typeof before, c: number) => dpOxy({ oxygenatorClot: c }) / s.flowLMin;
        expect(r(after, clot + more)).toBeGreaterThan(r(before, clot));
      }),
    );
    expect(dpOxy({ oxygenatorClot: 0.9 })).toBeGreaterThan(50);
  });

  it('clamped lines carry no flow', () => {
    expect(at({ clamped: true }).flowLMin).toBe(0);
    expect(at({ rpm: 0 }).flowLMin).toBe(0);
  });
});

describe('oxygenator', () => {
  const base = { bloodFlowLMin: 1.6, sweepLMin: 1.6, fdo2Pct: 100, clot: 0, preOxygenatorPo2: 38, preOxygenatorPco2: 46 };

  it('a new oxygenator at FdO2 100 % gives full saturation and PO2 of 200–450 mmHg', () => {
    const g = oxygenatorTransfer(base);
    expect(g.postOxygenatorSaturation).toBeGreaterThanOrEqual(99);
    expect(g.postOxygenatorPo2).toBeGreaterThan(200);
    expect(g.postOxygenatorPo2).toBeLessThan(450);
    expect(g.postOxygenatorPco2).toBeLessThan(base.preOxygenatorPco2);
  });

  it('clot lowers post-oxygenator PO2, below 150 mmHg when it fails; more FdO2 or sweep raises it', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.95, noNaN: true }), (clot) => {
        expect(oxygenatorTransfer({ ...base, clot: Math.min(1, clot + 0.05) }).postOxygenatorPo2).toBeLessThanOrEqual(
          oxygenatorTransfer({ ...base, clot }).postOxygenatorPo2,
        );
      }),
    );
    expect(oxygenatorTransfer({ ...base, clot: 0.97 }).postOxygenatorPo2).toBeLessThan(150);
    expect(oxygenatorTransfer({ ...base, fdo2Pct: 60 }).postOxygenatorPo2).toBeLessThan(oxygenatorTransfer(base).postOxygenatorPo2);
    expect(oxygenatorTransfer({ ...base, sweepLMin: 0.3 }).postOxygenatorPo2).toBeLessThan(oxygenatorTransfer(base).postOxygenatorPo2);
    expect(oxygenatorTransfer({ ...base, sweepLMin: 0 }).postOxygenatorPo2).toBeCloseTo(base.preOxygenatorPo2, 5);
  });
});
