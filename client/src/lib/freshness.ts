// Whether a value may be shown as current (docs/clinical.md section 2: maximum ages). A value that is
// stale, missing or switched off must look so on screen: never an old number shown as current.
import { maxAgeOfSignal } from '../../../shared/catalogue.js';
import type { LatestValue } from '../../../shared/protocol.js';

export type Freshness = 'none' | 'off' | 'fresh' | 'stale';

export function freshnessOf(
  lv: LatestValue | undefined,
  signal: string,
  nowMs: number,
): { state: Freshness; ageS: number | null; maxAgeS: number } {
  const maxAgeS = maxAgeOfSignal(signal);
  if (!lv) return { state: 'none', ageS: null, maxAgeS };
  const ageS = Math.max(0, (nowMs - lv.ts) / 1000);
  if (lv.value === null) return { state: 'off', ageS, maxAgeS };
  return { state: ageS > maxAgeS ? 'stale' : 'fresh', ageS, maxAgeS };
}

/** "8 s", "4 min", "3 h 10 min", "2 d". */
export function formatAge(ageS: number | null): string {
  if (ageS === null) return '';
  if (ageS < 60) return `${Math.round(ageS)} s`;
  if (ageS < 3600) return `${Math.floor(ageS / 60)} min`;
  if (ageS < 86400) {
    const h = Math.floor(ageS / 3600);
    const m = Math.floor((ageS % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  return `${Math.floor(ageS / 86400)} d`;
}

/** The largest unit only, for narrow cells: "8 s", "35 min", "3 h", "2 d" (the tooltip keeps the full age). */
export function formatAgeShort(ageS: number | null): string {
  if (ageS === null) return '';
  if (ageS < 3600) return formatAge(ageS);
  if (ageS < 86400) return `${Math.floor(ageS / 3600)} h`;
  return `${Math.floor(ageS / 86400)} d`;
}
