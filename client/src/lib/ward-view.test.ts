import { describe, expect, it } from 'vitest';
import type { AlarmLevel } from './alarm-view.js';
import { arrangeBeds, filterPrefixes, isWardOrder, matchesFilter } from './ward-view.js';

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
