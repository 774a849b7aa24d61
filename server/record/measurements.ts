// Where a measured signal lives in the recording. One row per device message in a wide table per
// feed (monitor, ECMO console, lab), one column per catalogue key: a message is one insert, not one
// per value. `present` is a bitmask of the keys the message carried, so a sensor reported as off
// (null) stays distinguishable from a key the message did not carry.
import { ECMO_KEYS, LAB_KEYS, LAB_SITES, MONITOR_KEYS, type LabSite } from '../../shared/catalogue.js';

export type Feed = 'monitor' | 'ecmo' | 'lab';

export interface FeedTable {
  table: string;
  keys: readonly string[];
  /** Lab rows carry the sample site. */
  bySite: boolean;
}

export const FEED_TABLES: Record<Feed, FeedTable> = {
  monitor: { table: 'monitor_samples', keys: MONITOR_KEYS, bySite: false },
  ecmo: { table: 'ecmo_samples', keys: ECMO_KEYS, bySite: false },
  lab: { table: 'lab_samples', keys: LAB_KEYS, bySite: true },
};

export interface SignalLocation {
  feed: Feed;
  column: string;
  /** Bit of the column in `present`. */
  bit: number;
  site?: LabSite;
}

/** The table column of a signal (`flow`, `lab.arterial.lactate`), or null for one not recorded there. */
export function locateSignal(signal: string): SignalLocation | null {
  if (signal.startsWith('lab.')) {
    const [, site, key] = signal.split('.');
    const bit = LAB_KEYS.indexOf(key as (typeof LAB_KEYS)[number]);
    if (bit < 0 || !(LAB_SITES as readonly string[]).includes(site)) return null;
    return { feed: 'lab', column: key, bit, site: site as LabSite };
  }
  for (const feed of ['monitor', 'ecmo'] as const) {
    const bit = FEED_TABLES[feed].keys.indexOf(signal);
    if (bit >= 0) return { feed, column: signal, bit };
  }
  return null;
}
