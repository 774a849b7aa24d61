// The on-disk meaning of the recording's wide tables, frozen. A row's `present` mask says which keys
// its message carried: bit i is the i-th column listed here. Stored rows are read with this mapping
// for ever, so it is append only: a new key is added at the end of its feed's list (with a migration
// adding its column); an existing position never moves, or every old row would be misread. The
// catalogue's key lists may be reordered for display without touching the recording.
// (server/record/columns.test.ts fails if a listed position changes.)
export const PRESENT_BITS = {
  monitor: ['hr', 'sbp', 'dbp', 'map', 'cvp', 'spo2', 'rr', 'temp', 'etco2'],
  ecmo: ['rpm', 'flow', 'sweep', 'fdo2', 'pVen', 'pPre', 'pPost', 'svo2', 'postOxySat', 'postOxyPo2', 'hb', 'hct', 'tBlood'],
  lab: ['lactate', 'hb', 'po2', 'pco2', 'so2', 'ph'],
} as const;

/**
 * Columns of `derived_samples` (one row per bed and second) and, in the same order, the letters of
 * its `quality` column (o ok, s stale, a assumed, m missing). Frozen like PRESENT_BITS: append only.
 */
export const DERIVED_COLUMNS = [
  'bsa',
  'flowIndex',
  'flowPerKg',
  'cao2Post',
  'cvo2',
  'do2Ecmo',
  'do2i',
  'vo2Oxy',
  'vo2i',
  'o2er',
  'do2Vo2',
  'dpOxy',
  'rOxy',
  'perfusionPressure',
  'pulsePressure',
  'shockIndex',
  'vis',
  'lactateClearance2h',
  'lactateClearance6h',
  'phoenixCv',
] as const;

export const QUALITY_LETTERS = { ok: 'o', stale: 's', assumed: 'a', missing: 'm' } as const;
