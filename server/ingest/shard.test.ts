import { describe, expect, it } from 'vitest';
import { inShard } from './shard.js';

const TWO_TO_THE_32 = 2 ** 32;

describe('shards (SHARD=i/n)', () => {
  it('share beds by the 32-bit FNV-1a hash of their id, the same in every process', () => {
    // With 2^32 shares the share is the hash itself; reference values of FNV-1a (isthe.com/chongo/tech/comp/fnv).
    expect(inShard('', { index: 0x811c9dc5, count: TWO_TO_THE_32 })).toBe(true);
    expect(inShard('a', { index: 0xe40c292c, count: TWO_TO_THE_32 })).toBe(true);
    expect(inShard('foobar', { index: 0xbf9cf968, count: TWO_TO_THE_32 })).toBe(true);
    expect(inShard('foobar', { index: 0xbf9cf967, count: TWO_TO_THE_32 })).toBe(false);
  });

  it('give every bed to exactly one of n instances', () => {
    for (const count of [1, 2, 3, 7]) {
      for (let n = 0; n < 100; n++) {
        const owners = Array.from({ length: count }, (_, index) => index).filter((index) => inShard(`bed-${n}`, { index, count }));
        expect(owners, `bed-${n} of ${count}`).toHaveLength(1);
      }
    }
  });
});
