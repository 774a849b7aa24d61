import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tickSlot } from './pipeline.js';

describe('tick slots', () => {
  it('put every bed in exactly one slot, the same one every time', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 32 }), fc.integer({ min: 1, max: 50 }), (bedId, parts) => {
        const slot = tickSlot(bedId, parts);
        expect(slot).toBeGreaterThanOrEqual(0);
        expect(slot).toBeLessThan(parts);
        expect(tickSlot(bedId, parts)).toBe(slot);
      }),
    );
    expect(tickSlot('bed-01', 1)).toBe(0);
  });

  it('spread a ward evenly enough over ten slots that no tenth of a second carries much more than its share', () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 500; i++) counts[tickSlot(`b${i}`, 10)]++;
    expect(Math.max(...counts)).toBeLessThanOrEqual(75); // 50 each on average
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(25);
  });
});
