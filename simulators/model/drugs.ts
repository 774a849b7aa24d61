// Infusions: the drugs the scenarios titrate, their syringe concentrations, pump rates and their
// effect on the circulation. Effects are illustrative saturating (Emax) curves whose half-effect
// doses sit in the usual paediatric dosing ranges; they shape plausible trends, they are not
// pharmacology data.
import type { CONCENTRATION_UNITS } from '../../shared/catalogue.js';

export type ConcentrationUnit = (typeof CONCENTRATION_UNITS)[number];
export type SimDrug = 'epinephrine' | 'norepinephrine' | 'dopamine' | 'dobutamine' | 'milrinone' | 'vasopressin' | 'heparin';

interface DrugSpec {
  /** Dose unit the scenario speaks in. */
  doseUnit: 'mcg/kg/min' | 'units/kg/min' | 'units/kg/h';
  /** Syringe strength for children under 10 kg and from 10 kg (smaller children: weaker syringes so rates stay above ~0.5 mL/h). */
  concentration: { small: number; large: number };
  concentrationUnit: ConcentrationUnit;
  /** Emax fractions and half-effect doses (in doseUnit); vasoconstriction < 0 means vasodilation. */
  inotropy?: [number, number];
  chronotropy?: [number, number];
  vasoconstriction?: [number, number];
  /** Catecholamines lose effect in refractory septic shock (receptor down-regulation); vasopressin does not. */
  catecholamine: boolean;
}

/** Example C of docs/clinical.md uses epinephrine 20 mcg/mL, norepinephrine 40 mcg/mL, dobutamine 2 mg/mL at 20 kg. */
const DRUGS: Record<SimDrug, DrugSpec> = {
  epinephrine: {
    doseUnit: 'mcg/kg/min',
    concentration: { small: 10, large: 20 },
    concentrationUnit: 'mcg/mL',
    inotropy: [0.6, 0.08],
    chronotropy: [0.25, 0.1],
    vasoconstriction: [0.8, 0.3],
    catecholamine: true,
  },
  norepinephrine: {
    doseUnit: 'mcg/kg/min',
    concentration: { small: 20, large: 40 },
    concentrationUnit: 'mcg/mL',
    inotropy: [0.15, 0.2],
    vasoconstriction: [1.2, 0.15],
    catecholamine: true,
  },
  dopamine: {
    doseUnit: 'mcg/kg/min',
    concentration: { small: 0.8, large: 1.6 },
    concentrationUnit: 'mg/mL',
    inotropy: [0.4, 6],
    chronotropy: [0.2, 8],
    vasoconstriction: [0.6, 12],
    catecholamine: true,
  },
  dobutamine: {
    doseUnit: 'mcg/kg/min',
    concentration: { small: 1, large: 2 },
    concentrationUnit: 'mg/mL',
    inotropy: [0.5, 7],
    chronotropy: [0.15, 10],
    vasoconstriction: [-0.15, 8],
    catecholamine: true,
  },
  milrinone: {
    doseUnit: 'mcg/kg/min',
    concentration: { small: 100, large: 200 },
    concentrationUnit: 'mcg/mL',
    inotropy: [0.3, 0.5],
    vasoconstriction: [-0.25, 0.5],
    catecholamine: false,
  },
  vasopressin: {
    doseUnit: 'units/kg/min',
    concentration: { small: 0.1, large: 0.2 },
    concentrationUnit: 'units/mL',
    vasoconstriction: [0.8, 0.0005],
    catecholamine: false,
  },
  // ECMO anticoagulation: recorded and shown by the server, not scored (not a VIS drug).
  heparin: {
    doseUnit: 'units/kg/h',
    concentration: { small: 50, large: 100 },
    concentrationUnit: 'units/mL',
    catecholamine: false,
  },
};

export interface DrugEffects {
  inotropy: number;
  chronotropy: number;
  vasoconstriction: number;
  /** Epinephrine's beta-2 driven lactate production, mmol/L/min. */
  lactateProduction: number;
}

export function concentrationOf(drug: SimDrug, weightKg: number): { concentration: number; unit: ConcentrationUnit } {
  const spec = DRUGS[drug];
  return { concentration: weightKg < 10 ? spec.concentration.small : spec.concentration.large, unit: spec.concentrationUnit };
}

/** Pump rate in mL/h for a dose, rounded to the 0.1 mL/h a syringe driver is set in. */
export function rateForDose(drug: SimDrug, dose: number, weightKg: number): number {
  const { concentration, unit } = concentrationOf(drug, weightKg);
  const perMl = unit === 'mg/mL' ? concentration * 1000 : concentration; // mcg/mL or units/mL
  const perHour = DRUGS[drug].doseUnit === 'units/kg/h' ? dose * weightKg : dose * weightKg * 60;
  return Math.round((perHour / perMl) * 10) / 10;
}

function emax(curve: [number, number] | undefined, dose: number): number {
  if (!curve || dose <= 0) return 0;
  return (curve[0] * dose) / (dose + curve[1]);
}

/**
 * Combined effect of the drugs at their effect-site doses. `catecholamineResponsiveness` (0..1)
 * scales the catecholamines: in refractory septic shock escalating doses add little.
 */
export function drugEffects(doses: ReadonlyMap<SimDrug, number>, catecholamineResponsiveness: number): DrugEffects {
  const effects: DrugEffects = { inotropy: 0, chronotropy: 0, vasoconstriction: 0, lactateProduction: 0 };
  for (const [drug, dose] of doses) {
    const spec = DRUGS[drug];
    const scale = spec.catecholamine ? catecholamineResponsiveness : 1;
    effects.inotropy += scale * emax(spec.inotropy, dose);
    effects.chronotropy += scale * emax(spec.chronotropy, dose);
    effects.vasoconstriction += scale * emax(spec.vasoconstriction, dose);
    if (drug === 'epinephrine') effects.lactateProduction += (0.01 * dose) / (dose + 0.1);
  }
  return effects;
}
