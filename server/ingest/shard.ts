// SHARD=i/n: an instance processes only the beds whose bedId hashes to its share, so that all of a
// bed's messages meet in one process (the README architecture, scale-out). FNV-1a: stable across processes.

export interface Shard {
  index: number;
  count: number;
}

function bedHash(bedId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bedId.length; i++) {
    h ^= bedId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The share (0 to count - 1) a bed belongs to. */
export function shardOf(bedId: string, count: number): number {
  return bedHash(bedId) % count;
}

export function inShard(bedId: string, shard: Shard): boolean {
  return shardOf(bedId, shard.count) === shard.index;
}
