// Character statistics without a hot document: every turn increments one of SHARDS counter
// documents at random, and a rollup sums them into the character's `stats` field.
import { FieldValue } from "firebase-admin/firestore";
import { db } from "../shared/firebase";
import { characterStatsFromShards, type ShardCounts } from "../characters/stats";

export const STAT_SHARDS = 10;

export function statShardRef(characterId: string, shard = Math.floor(Math.random() * STAT_SHARDS)) {
  return db().collection("characters").doc(characterId).collection("statShards").doc(String(shard));
}

/** Sums the shards into characters/{id}.stats (popularity included). */
export async function rollupCharacterStats(characterId: string, nowMs = Date.now()): Promise<void> {
  const character = db().collection("characters").doc(characterId);
  const shards = await character.collection("statShards").get();
  const counts: ShardCounts[] = shards.docs.map((shard) => ({
    conversations: numberField(shard.get("conversations")),
    messages: numberField(shard.get("messages")),
    ratingCount: numberField(shard.get("ratingCount")),
    ratingSum: numberField(shard.get("ratingSum")),
    lastActiveAtMs: numberField(shard.get("lastActiveAtMs")) || null,
  }));
  const stats = characterStatsFromShards(counts, nowMs);
  await character.update({ stats, statsUpdatedAt: FieldValue.serverTimestamp() });
}

function numberField(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}
