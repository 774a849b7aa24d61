import { describe, expect, it } from 'vitest';
import { REJECT_REASONS } from '../../shared/ingest/reasons.js';
import { IngestCounters } from './counters.js';

describe('ingest counters', () => {
  it('start at zero for every reason', () => {
    const c = new IngestCounters();
    expect(c.rejected).toBe(0);
    expect(c.byReason).toEqual(Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])));
  });

  it('count each rejection under its reason and in the total, a duplicate also on its own', () => {
    const c = new IngestCounters();
    c.reject('schema');
    c.reject('schema');
    c.reject('duplicate');
    expect(c.byReason).toMatchObject({ schema: 2, duplicate: 1, oversized: 0 });
    expect(c.rejected).toBe(3);
    expect(c.duplicates).toBe(1);
  });

  it('serialise as /api/health shows them, with a snapshot of the per-reason counts', () => {
    const c = new IngestCounters();
    c.accepted = 5;
    c.clockSkew = 1;
    c.late = 2;
    c.ignoredKeys = 3;
    c.reject('too_old');
    const json = c.toJSON();
    expect(json).toEqual({
      accepted: 5,
      rejected: { total: 1, byReason: { ...Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])), too_old: 1 } },
      duplicates: 0,
      clockSkew: 1,
      late: 2,
      ignoredKeys: 3,
    });
    c.reject('too_old');
    expect(json.rejected.byReason.too_old).toBe(1);
  });
});
