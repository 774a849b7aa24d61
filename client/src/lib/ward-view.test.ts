import { describe, expect, it } from 'vitest';
import type { AlarmLevel } from './alarm-view.js';
import { applyOverviewChanges, arrangeBeds, filterPrefixes, isWardOrder, matchesFilter } from './ward-view.js';
import type { BedSummary } from '../../../shared/protocol.js';

const bed = (bedId: string, level: AlarmLevel = 'none') => ({ bedId, level });
const ids = (beds: { bedId: string }[]) => beds.map((b) => b.bedId);

describe('the beds an overview shows', () => {
  const ward = [bed('picu10'), bed('picu2', 'medium'), bed('nicu1'), bed('picu1', 'high'), bed('nicu3', 'low')];

  it('orders alarming beds first by default, high before medium before low, then by bed id', () => {
    expect(ids(arrangeBeds(ward, 'severity', '').shown)).toEqual(['picu1', 'picu2', 'nicu3', 'nicu1', 'picu10']);
  });

  it('orders by bed id alone when asked, numbers in numeric order', () => {
    expect(ids(arrangeBeds(ward, 'bed', '').shown)).toEqual(['nicu1', 'nicu3', 'picu1', 'picu2', 'picu10']);
  });

  it('narrows the ward to the beds whose id starts with a prefix, and names the others', () => {
    const { shown, hidden } = arrangeBeds(ward, 'severity', 'NICU');
    expect(ids(shown)).toEqual(['nicu3', 'nicu1']);
    expect(ids(hidden)).toEqual(['picu1', 'picu2', 'picu10']);
  });

  it('takes several prefixes separated by commas or spaces', () => {
    expect(filterPrefixes(' picu1, nicu ;x ')).toEqual(['picu1', 'nicu', 'x']);
    expect(ids(arrangeBeds(ward, 'bed', 'picu1 nicu3').shown)).toEqual(['nicu3', 'picu1', 'picu10']);
    expect(matchesFilter('anything', [])).toBe(true);
  });

  it('knows its two orders only', () => {
    expect(isWardOrder('severity')).toBe(true);
    expect(isWardOrder('bed')).toBe(true);
    expect(isWardOrder('random')).toBe(false);
  });
});

describe('overview changes', () => {
  const s = (bedId: string, n = 0) => ({ bedId, n }) as unknown as BedSummary;
  it('replaces changed beds in place, appends new ones and drops gone ones', () => {
    const list = [s('a'), s('b'), s('c')];
    const out = applyOverviewChanges(list, { upsert: [s('b', 1), s('d')], remove: ['c'] });
    expect(out.map((x) => x.bedId)).toEqual(['a', 'b', 'd']);
    expect(out[1]).toEqual(s('b', 1));
    // applying the same changes again changes nothing
    expect(applyOverviewChanges(out, { upsert: [s('b', 1), s('d')], remove: ['c'] })).toEqual(out);
  });
});
