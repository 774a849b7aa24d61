// Where a measured signal lives in the recording. One row per device message in a wide table per
// feed (monitor, ECMO console, lab), one column per catalogue key: a message is one insert, not one
// per value. `present` is a bitmask of the keys the message carried, so a sensor reported as off
// (null) stays distinguishable from a key the message did not carry; which bit is which key is
// frozen in columns.ts.
import { LAB_SITES, type LabSite } from '../../shared/catalogue.js';
import { PRESENT_BITS } from './columns.js';

export type Feed = 'monitor' | 'ecmo' | 'lab';

export interface FeedTable {
  table: string;
  keys: readonly string[];
  /** Lab rows carry the sample site. */
  bySite: boolean;
}

export const FEED_TABLES: Record<Feed, FeedTable> = {
  monitor: { table: 'monitor_samples', keys: PRESENT_BITS.monitor, bySite: false },
  ecmo: { table: 'ecmo_samples', keys: PRESENT_BITS.ecmo, bySite: false },
  lab: { table: 'lab_samples', keys: PRESENT_BITS.lab, bySite: true },
};

export interface SignalLocation {
  feed: Feed;
  column: string;
  /** Bit of the column in `present`. */
  bit: number;
  site?: LabSite;
}

/**
 * Locations found so far: every row written asks for each of its values, twice. Only signals that
 * have a column are kept (the catalogue's, a bounded set), never a name a history request made up.
 */
const located = new Map<string, SignalLocation>();

/** The table column of a signal (`flow`, `lab.arterial.lactate`), or null for one not recorded there. */
export function locateSignal(signal: string): SignalLocation | null {
  const known = located.get(signal);
  if (known) return known;
  const loc = findSignal(signal);
  if (loc) located.set(signal, loc);
  return loc;
}

function findSignal(signal: string): SignalLocation | null {
  if (signal.startsWith('lab.')) {
    const [, site, key] = signal.split('.');
    const bit = (PRESENT_BITS.lab as readonly string[]).indexOf(key);
    if (bit < 0 || !(LAB_SITES as readonly string[]).includes(site)) return null;
    return { feed: 'lab', column: key, bit, site: site as LabSite };
  }
  for (const feed of ['monitor', 'ecmo'] as const) {
    const bit = FEED_TABLES[feed].keys.indexOf(signal);
    if (bit >= 0) return { feed, column: signal, bit };
  }
  return null;
}
