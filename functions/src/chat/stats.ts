// Character statistics without a hot document: every turn increments one of STAT_SHARDS
// counter documents at random; characters/rollup.ts sums them into the character's `stats`.
import { db } from "../shared/firebase";

export const STAT_SHARDS = 10;

export function statShardRef(characterId: string, shard = Math.floor(Math.random() * STAT_SHARDS)) {
  return db().collection("characters").doc(characterId).collection("statShards").doc(String(shard));
}
