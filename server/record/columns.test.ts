import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ECMO_KEYS, LAB_KEYS, MONITOR_KEYS } from '../../shared/catalogue.js';
import { DERIVED_KEYS } from '../../shared/catalogue.js';
import { DERIVED_COLUMNS, PRESENT_BITS } from './columns.js';
import { MIGRATIONS } from './migrations.js';
import { FEED_TABLES } from './measurements.js';

// The mapping as released with the first recording layout. Appending is allowed; this prefix is not
// to change, ever: stored rows are decoded with it.
const RELEASED = {
  monitor: ['hr', 'sbp', 'dbp', 'map', 'cvp', 'spo2', 'rr', 'temp', 'etco2'],
  ecmo: ['rpm', 'flow', 'sweep', 'fdo2', 'pVen', 'pPre', 'pPost', 'svo2', 'postOxySat', 'postOxyPo2', 'hb', 'hct', 'tBlood'],
  lab: ['lactate', 'hb', 'po2', 'pco2', 'so2', 'ph'],
};

describe('the frozen meaning of stored columns', () => {
  it.each(Object.keys(RELEASED) as (keyof typeof RELEASED)[])('keeps every released bit of %s where it was', (feed) => {
    expect(PRESENT_BITS[feed].slice(0, RELEASED[feed].length)).toEqual(RELEASED[feed]);
  });

  it('records every catalogue key of each feed (a new key is appended to the mapping)', () => {
    expect([...PRESENT_BITS.monitor].sort()).toEqual([...MONITOR_KEYS].sort());
    expect([...PRESENT_BITS.ecmo].sort()).toEqual([...ECMO_KEYS].sort());
    expect([...PRESENT_BITS.lab].sort()).toEqual([...LAB_KEYS].sort());
  });

  it('keeps the derived columns in their released order and records every derived key', () => {
    expect(DERIVED_COLUMNS.slice(0, 20)).toEqual([
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
    ]);
    expect([...DERIVED_COLUMNS].sort()).toEqual([...DERIVED_KEYS].sort());
  });

  it('fits in the mask and has a column in the migrated schema for every bit', () => {
    const db = new Database(':memory:');
    for (const m of MIGRATIONS) db.exec(m);
    for (const { table, keys } of [...Object.values(FEED_TABLES), { table: 'derived_samples', keys: DERIVED_COLUMNS }]) {
      if (table !== 'derived_samples') expect(keys.length).toBeLessThanOrEqual(31);
      const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      for (const k of keys) expect(columns, `${table}.${k}`).toContain(k);
    }
    db.close();
  });
});
