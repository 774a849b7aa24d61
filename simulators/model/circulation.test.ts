import { describe, expect, it } from 'vitest';
import { designCircuit } from './circuit.js';
import { initialCirculation, stepCirculation, type CirculationState, type EcmoSetup, type Physiology } from './circulation.js';
import { DEFAULT_DRIVERS, type Drivers } from './drivers.js';
import { drugEffects, type SimDrug } from './drugs.js';
import { normalsOf } from './patient.js';

const child = normalsOf({ ageMonths: 60, weightKg: 20, heightCm: 110 });
const noDrugs = drugEffects(new Map(), 1);

/** Runs the circulation for minutes under fixed drivers; the end state and physiology. */
function run(minutes: number, drivers: Partial<Drivers>, from?: CirculationState, ecmo: EcmoSetup | null = null, drugs = noDrugs) {
  let state = from ?? initialCirculation(child);
  let physiology!: Physiology;
  for (let s = 0; s < minutes * 60; s++)
    ({ state, physiology } = stepCirculation(state, { ...DEFAULT_DRIVERS, ...drivers }, drugs, child, ecmo, 1));
  return { state, physiology };
}

describe('circulation', () => {
  it('a healthy child settles at normal values: MAP for age, SvO2 ~70 %, lactate ~1', () => {
    const { physiology: p } = run(60, {});
    expect(p.meanArterialPressure).toBeGreaterThan(55);
    expect(p.meanArterialPressure).toBeLessThan(70);
    expect(p.mixedVenousSaturation).toBeGreaterThan(65);
    expect(p.mixedVenousSaturation).toBeLessThan(80);
    expect(p.lactate).toBeGreaterThan(0.8);
    expect(p.lactate).toBeLessThan(1.3);
    expect(p.arterial.saturation).toBeGreaterThan(95);
  });

  for (const [why, drivers] of [
    ['blood loss (volume and Hb)', { volumeStatus: 0.65, hb: 7 }],
    ['septic cardiomyopathy', { myocardialDepression: 0.9, volumeStatus: 0.85 }],
    ['under-resuscitated septic shock', { vasoplegia: 0.7, volumeStatus: 0.7, metabolicDemand: 1.3, temperature: 39.5 }],
  ] as const) {
    it(`falling delivery (${why}) lowers venous saturation and raises lactate; recovery clears it`, () => {
      const well = run(60, {});
      const shock = run(90, drivers, well.state);
      expect(shock.physiology.oxygenDelivery).toBeLessThan(well.physiology.oxygenDelivery);
      expect(shock.physiology.mixedVenousSaturation).toBeLessThan(well.physiology.mixedVenousSaturation - 10);
      expect(shock.physiology.lactate).toBeGreaterThan(well.physiology.lactate + 1);
      const recovered = run(180, {}, shock.state);
      const excess = shock.physiology.lactate - well.physiology.lactate;
      expect(recovered.physiology.lactate).toBeLessThan(well.physiology.lactate + excess / 2);
    });
  }

  it('vasopressors raise MAP in vasoplegia, less so when catecholamines no longer work', () => {
    const doses = new Map<SimDrug, number>([['norepinephrine', 0.3]]);
    const without = run(20, { vasoplegia: 0.7 });
    const responsive = run(20, { vasoplegia: 0.7 }, undefined, null, drugEffects(doses, 1));
    const refractory = run(20, { vasoplegia: 0.7 }, undefined, null, drugEffects(doses, 0.2));
    expect(responsive.physiology.meanArterialPressure).toBeGreaterThan(without.physiology.meanArterialPressure + 10);
    expect(refractory.physiology.meanArterialPressure).toBeLessThan(responsive.physiology.meanArterialPressure - 5);
  });

  it('VA ECMO flow restores systemic flow, MAP and venous saturation of a failing heart, and narrows the pulse pressure', () => {
    const ecmo: EcmoSetup = { mode: 'VA', design: designCircuit('VA', 1.6, child.meanArterialPressure, 6) };
    const failing = { myocardialDepression: 0.9, vasoplegia: 0.6 };
    const before = run(60, failing, undefined, ecmo);
    const on = run(60, { ...failing, ecmoFlowFraction: 1 }, before.state, ecmo);
    expect(before.physiology.ecmo?.flowLMin).toBe(0);
    expect(on.physiology.ecmo!.flowLMin).toBeGreaterThan(1.4);
    expect(on.physiology.systemicFlow).toBeGreaterThan(before.physiology.systemicFlow);
    expect(on.physiology.meanArterialPressure).toBeGreaterThan(before.physiology.meanArterialPressure);
    expect(on.physiology.mixedVenousSaturation).toBeGreaterThan(before.physiology.mixedVenousSaturation + 10);
    expect(on.physiology.pulsePressure).toBeLessThan(before.physiology.pulsePressure);
  });

  it('VV ECMO raises the arterial saturation of a child with failing lungs', () => {
    const ecmo: EcmoSetup = { mode: 'VV', design: designCircuit('VV', 1.6, child.meanArterialPressure, 6) };
    const lungs = { lungFunction: 0.1 };
    const before = run(30, lungs, undefined, ecmo);
    const on = run(30, { ...lungs, ecmoFlowFraction: 1 }, before.state, ecmo);
    expect(before.physiology.arterial.saturation).toBeLessThan(80);
    expect(on.physiology.arterial.saturation).toBeGreaterThan(before.physiology.arterial.saturation + 8);
  });
});
