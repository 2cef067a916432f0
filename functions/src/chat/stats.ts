// Character statistics without a hot document: every turn increments one of STATS_SHARDS
// counter documents at random; characters/rollup.ts sums them into the character's `stats`.
// Readers sum every shard document that exists, so the count can be raised or lowered at any
// time without losing what the old shards hold.
import { CAPACITY_DEFAULTS, shardCount, STATS_SHARDS } from "../config";
import { statShardsOf } from "../characters/store";

/** How many stat shards writes spread over now (the STATS_SHARDS setting). */
export function statShardCount(): number {
  return shardCount(STATS_SHARDS, CAPACITY_DEFAULTS.statsShards);
}

export function statShardRef(
  characterId: string,
  shard = Math.floor(Math.random() * statShardCount()),
) {
  return statShardsOf(characterId).doc(String(shard));
}
