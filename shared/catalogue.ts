// The parameter catalogue: the single source of truth for every measured and derived parameter.
// Validation ranges, units on screen, display precision, export codes and freshness limits all
// read this table; adding a parameter is one row here.

/** Which feed a raw parameter arrives on. */
type Feed = 'monitor' | 'ecmo' | 'lab';

export interface ParamDef {
  key: string;
  label: string;
  /** Unit as shown on screen. */
  unit: string;
  /** UCUM code of the unit, for FHIR export. */
  ucum: string;
  /** Plausible range: a value outside it is rejected at ingest as `out_of_range`. */
  min: number;
  max: number;
  /** Decimals shown on screen. */
  precision: number;
  /** Feeds that may carry this key. */
  feeds: readonly Feed[];
  /** A device value older than this is stale on screen (docs/clinical.md section 2). */
  maxAgeS: number;
  /** LOINC code where one fits (export). */
  loinc?: string;
  /** Maximum age of the same key when it comes from the lab, where that differs (hb: 12 h). */
  labMaxAgeS?: number;
}

const DEVICE_AGE_S = 10; // docs/clinical.md section 2: monitor and console values, 10 s
const HOUR_S = 3600;

function p(
  key: string,
  label: string,
  unit: string,
  ucum: string,
  min: number,
  max: number,
  precision: number,
  feeds: readonly Feed[],
  maxAgeS: number,
  loinc?: string,
): ParamDef {
  return { key, label, unit, ucum, min, max, precision, feeds, maxAgeS, loinc };
}

/** Raw parameters as devices publish them (docs/interface.md, canonical units). */
export const PARAMS = {
  hr: p('hr', 'Heart rate', '1/min', '/min', 0, 350, 0, ['monitor'], DEVICE_AGE_S, '8867-4'),
  sbp: p('sbp', 'Systolic BP', 'mmHg', 'mm[Hg]', 0, 300, 0, ['monitor'], DEVICE_AGE_S, '8480-6'),
  dbp: p('dbp', 'Diastolic BP', 'mmHg', 'mm[Hg]', 0, 250, 0, ['monitor'], DEVICE_AGE_S, '8462-4'),
  map: p('map', 'Mean arterial pressure', 'mmHg', 'mm[Hg]', 0, 250, 0, ['monitor'], DEVICE_AGE_S, '8478-0'),
  cvp: p('cvp', 'Central venous pressure', 'mmHg', 'mm[Hg]', -20, 60, 0, ['monitor'], DEVICE_AGE_S, '60985-9'),
  spo2: p('spo2', 'SpO2', '%', '%', 0, 100, 0, ['monitor'], DEVICE_AGE_S, '59408-5'),
  rr: p('rr', 'Respiratory rate', '1/min', '/min', 0, 150, 0, ['monitor'], DEVICE_AGE_S, '9279-1'),
  temp: p('temp', 'Temperature', '°C', 'Cel', 20, 45, 1, ['monitor'], DEVICE_AGE_S, '8310-5'),
  etco2: p('etco2', 'EtCO2', 'mmHg', 'mm[Hg]', 0, 150, 0, ['monitor'], DEVICE_AGE_S, '19889-5'),

  rpm: p('rpm', 'Pump speed', '1/min', '/min', 0, 10000, 0, ['ecmo'], DEVICE_AGE_S),
  // Consoles report small negative flows (retrograde); formulas turn them into null.
  flow: p('flow', 'Pump flow', 'L/min', 'L/min', -2, 10, 2, ['ecmo'], DEVICE_AGE_S),
  sweep: p('sweep', 'Sweep gas', 'L/min', 'L/min', 0, 15, 1, ['ecmo'], DEVICE_AGE_S),
  fdo2: p('fdo2', 'FdO2', '%', '%', 21, 100, 0, ['ecmo'], DEVICE_AGE_S),
  pVen: p('pVen', 'Drainage pressure', 'mmHg', 'mm[Hg]', -400, 100, 0, ['ecmo'], DEVICE_AGE_S),
  pPre: p('pPre', 'Pre-oxygenator pressure', 'mmHg', 'mm[Hg]', -100, 800, 0, ['ecmo'], DEVICE_AGE_S),
  pPost: p('pPost', 'Post-oxygenator pressure', 'mmHg', 'mm[Hg]', -100, 800, 0, ['ecmo'], DEVICE_AGE_S),
  svo2: p('svo2', 'SvO2 (pre-oxygenator)', '%', '%', 0, 100, 0, ['ecmo'], DEVICE_AGE_S),
  postOxySat: p('postOxySat', 'Post-oxygenator saturation', '%', '%', 0, 100, 0, ['ecmo'], DEVICE_AGE_S),
  postOxyPo2: p('postOxyPo2', 'Post-oxygenator PO2', 'mmHg', 'mm[Hg]', 0, 800, 0, ['ecmo'], DEVICE_AGE_S),
  // docs/clinical.md section 2: console hb 10 s, lab hb 12 h.
  hb: { ...p('hb', 'Haemoglobin', 'g/dL', 'g/dL', 2, 25, 1, ['ecmo', 'lab'], DEVICE_AGE_S, '718-7'), labMaxAgeS: 12 * HOUR_S },
  hct: p('hct', 'Haematocrit', '%', '%', 5, 75, 0, ['ecmo'], DEVICE_AGE_S, '20570-8'),
  tBlood: p('tBlood', 'Blood temperature', '°C', 'Cel', 20, 45, 1, ['ecmo'], DEVICE_AGE_S),

  lactate: p('lactate', 'Lactate', 'mmol/L', 'mmol/L', 0, 30, 1, ['lab'], 6 * HOUR_S, '32693-4'),
  po2: p('po2', 'PO2', 'mmHg', 'mm[Hg]', 0, 800, 0, ['lab'], HOUR_S, '11556-8'),
  pco2: p('pco2', 'PCO2', 'mmHg', 'mm[Hg]', 5, 200, 0, ['lab'], HOUR_S, '11557-6'),
  so2: p('so2', 'SO2', '%', '%', 0, 100, 0, ['lab'], HOUR_S, '20564-1'),
  ph: p('ph', 'pH', 'pH', '[pH]', 6.5, 8, 2, ['lab'], HOUR_S, '11558-4'),
} as const satisfies Record<string, ParamDef>;

/** Pumps send on change and at least every 30 s: a pump channel older than this is stale (section 2). */
export const PUMP_MAX_AGE_S = 90;

/**
 * How long a streaming device may stay silent before its values, and the device itself, are stale
 * (sections 2 and 4, device offline). The lab reports hours apart: its silence is normal.
 */
export const DEVICE_SILENCE_S: Readonly<Record<string, number>> = { monitor: DEVICE_AGE_S, ecmo: DEVICE_AGE_S, pump: PUMP_MAX_AGE_S };

export const MONITOR_KEYS = ['hr', 'sbp', 'dbp', 'map', 'cvp', 'spo2', 'rr', 'temp', 'etco2'] as const;
export const ECMO_KEYS = [
  'rpm',
  'flow',
  'sweep',
  'fdo2',
  'pVen',
  'pPre',
  'pPost',
  'svo2',
  'postOxySat',
  'postOxyPo2',
  'hb',
  'hct',
  'tBlood',
] as const;
export const LAB_KEYS = ['lactate', 'hb', 'po2', 'pco2', 'so2', 'ph'] as const;
export const LAB_SITES = ['arterial', 'venous', 'central-venous', 'pre-oxygenator', 'post-oxygenator'] as const;
export type LabSite = (typeof LAB_SITES)[number];
export type MonitorKey = (typeof MONITOR_KEYS)[number];
export type EcmoKey = (typeof ECMO_KEYS)[number];
export type LabKey = (typeof LAB_KEYS)[number];

/**
 * Default target ranges for time-in-range statistics: the default alarm limits of docs/clinical.md,
 * section 4 (drainage pressure above −70 mmHg, post-oxygenator pressure up to 300 mmHg,
 * pre-oxygenator saturation 60 % or more, blood temperature 35 to 38.5 °C).
 */
export const DEFAULT_RANGES: Partial<Record<string, { lo?: number; hi?: number }>> = {
  pVen: { lo: -70 },
  pPost: { hi: 300 },
  svo2: { lo: 60 },
  tBlood: { lo: 35, hi: 38.5 },
};

/** Infusion pump limits (plausible range of a pump message). */
export const PUMP_LIMITS = {
  rateMlH: { min: 0, max: 2000, unit: 'mL/h' },
  concentration: { min: 0, max: 100_000 },
} as const;
export const CONCENTRATION_UNITS = ['mcg/mL', 'mg/mL', 'units/mL'] as const;

/** Drugs the vasoactive-inotropic score knows (docs/clinical.md section 3.1). */
export const VIS_DRUGS = ['epinephrine', 'norepinephrine', 'dopamine', 'dobutamine', 'milrinone', 'vasopressin'] as const;
export type VisDrug = (typeof VIS_DRUGS)[number];

/** Key of a lab value in a bed's `latest` map: `lab.<site>.<key>`, e.g. `lab.arterial.lactate`. */
export function labSignal(site: LabSite, key: LabKey): string {
  return `lab.${site}.${key}`;
}

/** Maximum age of a `latest` signal before it is stale (docs/clinical.md section 2). */
export function maxAgeOfSignal(signal: string): number {
  const def = paramOfSignal(signal);
  if (!def) return DEVICE_AGE_S;
  return signal.startsWith('lab.') ? (def.labMaxAgeS ?? def.maxAgeS) : def.maxAgeS;
}

/** Looks up the catalogue row behind a `latest` signal (`hr`, `lab.arterial.lactate`). */
export function paramOfSignal(signal: string): ParamDef | undefined {
  const dot = signal.lastIndexOf('.');
  const key = dot >= 0 ? signal.slice(dot + 1) : signal;
  return (PARAMS as Record<string, ParamDef>)[key];
}

export interface DerivedDef {
  key: string;
  label: string;
  unit: string;
  ucum: string;
  precision: number;
}

function d(key: string, label: string, unit: string, ucum: string, precision: number): DerivedDef {
  return { key, label, unit, ucum, precision };
}

/** Derived parameters (docs/interface.md "Derived keys", formulas in docs/clinical.md section 3). */
export const DERIVED = {
  bsa: d('bsa', 'Body surface area', 'm²', 'm2', 2),
  flowIndex: d('flowIndex', 'Flow index', 'L/min/m²', 'L/min/m2', 2),
  flowPerKg: d('flowPerKg', 'Flow per kg', 'mL/kg/min', 'mL/kg/min', 0),
  cao2Post: d('cao2Post', 'Post-oxygenator O2 content', 'mL/dL', 'mL/dL', 1),
  cvo2: d('cvo2', 'Venous O2 content', 'mL/dL', 'mL/dL', 1),
  do2Ecmo: d('do2Ecmo', 'Circuit DO2', 'mL/min', 'mL/min', 0),
  do2i: d('do2i', 'Circuit DO2 index', 'mL/min/m²', 'mL/min/m2', 0),
  vo2Oxy: d('vo2Oxy', 'Oxygenator O2 transfer', 'mL/min', 'mL/min', 0),
  vo2i: d('vo2i', 'O2 transfer index', 'mL/min/m²', 'mL/min/m2', 0),
  o2er: d('o2er', 'O2 extraction ratio', '%', '%', 0),
  do2Vo2: d('do2Vo2', 'DO2/VO2', 'ratio', '1', 1),
  dpOxy: d('dpOxy', 'Oxygenator ΔP', 'mmHg', 'mm[Hg]', 0),
  rOxy: d('rOxy', 'Oxygenator resistance', 'mmHg·min/L', 'mm[Hg].min/L', 1),
  perfusionPressure: d('perfusionPressure', 'Perfusion pressure', 'mmHg', 'mm[Hg]', 0),
  pulsePressure: d('pulsePressure', 'Pulse pressure', 'mmHg', 'mm[Hg]', 0),
  shockIndex: d('shockIndex', 'Shock index', 'ratio', '1', 2),
  vis: d('vis', 'Vasoactive-inotropic score', 'points', '{score}', 0),
  lactateClearance2h: d('lactateClearance2h', 'Lactate clearance 2 h', '%', '%', 0),
  lactateClearance6h: d('lactateClearance6h', 'Lactate clearance 6 h', '%', '%', 0),
  phoenixCv: d('phoenixCv', 'Phoenix CV (live)', 'points', '{score}', 0),
} as const satisfies Record<string, DerivedDef>;

/**
 * Short labels for screen cells, as monitors abbreviate them; the full label stays the cell's
 * tooltip and the export's name. A key without one shows its full label.
 */
const SHORT_LABELS: Readonly<Record<string, string>> = {
  hr: 'HR',
  sbp: 'SBP',
  dbp: 'DBP',
  map: 'MAP',
  cvp: 'CVP',
  rr: 'RR',
  temp: 'Temp',
  rpm: 'Pump speed',
  flow: 'Pump flow',
  sweep: 'Sweep',
  pVen: 'P ven (drainage)',
  pPre: 'P pre-oxy',
  pPost: 'P post-oxy',
  svo2: 'SvO2 (pre-oxy)',
  postOxySat: 'Sat post-oxy',
  postOxyPo2: 'PO2 post-oxy',
  hb: 'Hb',
  hct: 'Hct',
  tBlood: 'T blood',
  bsa: 'BSA',
  cao2Post: 'O2 content post-oxy',
  cvo2: 'O2 content venous',
  do2Ecmo: 'Circuit DO2',
  do2i: 'Circuit DO2i',
  vo2Oxy: 'Oxy O2 transfer',
  vo2i: 'Oxy O2 transfer i.',
  o2er: 'O2 extraction',
  dpOxy: 'Oxy ΔP',
  rOxy: 'Oxy resistance',
  perfusionPressure: 'Perfusion P',
  pulsePressure: 'Pulse P',
  vis: 'VIS',
  lactateClearance2h: 'Lactate clear. 2 h',
  lactateClearance6h: 'Lactate clear. 6 h',
  phoenixCv: 'Phoenix CV',
};

/** The label of a raw or derived key for a screen cell. */
export function shortLabel(key: string): string {
  return (
    SHORT_LABELS[key] ?? (PARAMS as Record<string, ParamDef>)[key]?.label ?? (DERIVED as Record<string, DerivedDef>)[key]?.label ?? key
  );
}

export type DerivedKey = keyof typeof DERIVED;
export const DERIVED_KEYS = Object.keys(DERIVED) as DerivedKey[];

/** Quality of a derived value (docs/interface.md). */
export type Quality = 'ok' | 'stale' | 'assumed' | 'missing';

/** Formats a value with its catalogue precision; `null` becomes an em dash. */
export function formatValue(value: number | null | undefined, precision: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(precision);
}
