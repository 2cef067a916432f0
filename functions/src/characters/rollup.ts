// Character stats from their counter shards, rolled up inside a transaction: the shards are
// read and the stats written atomically, so a rollup never overwrites newer counts with older
// ones (two rollups, or a rollup and a rating, serialise on the shards they read).
import type { DocumentReference, Transaction } from "firebase-admin/firestore";
import * as logger from "firebase-functions/logger";
import type { CallableRequest } from "firebase-functions/v2/https";
import { FieldValue, db } from "../shared/firebase";
import { requireCurrentAdmin } from "../identity/guards";
import { fail, parseInput } from "../shared/callable";
import { shardCountsFrom } from "./counters";
import { refreshViewCount } from "./gallery";
import {
  characterRefInput,
  type CharacterStats,
  type RefreshCharacterStatsOutput,
} from "../contract/characters";
import { characterStatsFromShards, type ShardCounts } from "./stats";
import { allStatShards, allViewShards, characterDoc, statShardsOf } from "./store";

/**
 * Reads the character and its shards in `tx`; returns the stats the shards (plus `extra`,
 * counts the same transaction is about to add) add up to, or null when the character is gone.
 * The caller writes them with `writeStatsIn` after its other reads.
 */
export async function statsIn(
  tx: Transaction,
  characterId: string,
  nowMs: number,
  extra: ShardCounts[] = [],
): Promise<CharacterStats | null> {
  const read = await characterStatsIn(tx, characterId, nowMs);
  return read ? read.statsWith(extra) : null;
}

/**
 * The same reads, also telling whether the character is published; `statsWith(extra)` adds
 * counts the transaction is about to write. Null when the character is gone.
 */
export async function characterStatsIn(
  tx: Transaction,
  characterId: string,
  nowMs: number,
): Promise<{ published: boolean; statsWith: (extra: ShardCounts[]) => CharacterStats } | null> {
  const [snapshot, shards] = await Promise.all([
    tx.get(characterDoc(characterId)),
    tx.get(statShardsOf(characterId)),
  ]);
  if (!snapshot.exists) return null;
  const counts = shards.docs.map((shard) => shardCountsFrom(shard.data()));
  return {
    published: snapshot.get("published") === true,
    statsWith: (extra) => characterStatsFromShards([...counts, ...extra], nowMs),
  };
}

export function writeStatsIn(tx: Transaction, characterId: string, stats: CharacterStats): void {
  tx.update(characterDoc(characterId), { stats, statsUpdatedAt: FieldValue.serverTimestamp() });
}

/** Sums the shards into characters/{id}.stats; null when there is no such character. */
export async function rollupCharacter(
  characterId: string,
  nowMs = Date.now(),
): Promise<CharacterStats | null> {
  return db().runTransaction(async (tx) => {
    const stats = await statsIn(tx, characterId, nowMs);
    if (stats) writeStatsIn(tx, characterId, stats);
    return stats;
  });
}

/** Shards touched within this window are rolled up; runs are every 10 minutes, so they overlap. */
export const ROLLUP_WINDOW_MS = 15 * 60_000;
/** At most this many shard documents are read per run (and per kind of shard). */
export const ROLLUP_SCAN_LIMIT = 2000;

export interface RollupReport {
  characters: number;
  galleryItems: number;
}

/**
 * The scheduled rollup: the characters whose stat shards recorded activity recently
 * (`lastActiveAtMs`, set with every message; `followersChangedAtMs`, set with every follow),
 * and the gallery items whose view shards changed recently (`updatedAtMs`), each found with a
 * collection-group query.
 */
export async function rollupRecentStats(nowMs = Date.now()): Promise<RollupReport> {
  const since = nowMs - ROLLUP_WINDOW_MS;
  const [statShards, viewShards, followShards] = await Promise.all([
    allStatShards().where("lastActiveAtMs", ">=", since).select().limit(ROLLUP_SCAN_LIMIT).get(),
    allViewShards().where("updatedAtMs", ">=", since).select().limit(ROLLUP_SCAN_LIMIT).get(),
    // Shards whose follower counts changed (follows.ts), which messages may not have touched.
    allStatShards()
      .where("followersChangedAtMs", ">=", since)
      .select()
      .limit(ROLLUP_SCAN_LIMIT)
      .get(),
  ]);
  if (
    statShards.size === ROLLUP_SCAN_LIMIT ||
    viewShards.size === ROLLUP_SCAN_LIMIT ||
    followShards.size === ROLLUP_SCAN_LIMIT
  ) {
    logger.warn("rollup scan limit reached; some counters wait for the next run", {
      statShards: statShards.size,
      viewShards: viewShards.size,
      followShards: followShards.size,
    });
  }
  const characterIds = new Set<string>();
  for (const shard of [...statShards.docs, ...followShards.docs]) {
    const character = shard.ref.parent.parent;
    if (character && character.parent.id === "characters" && character.parent.parent === null) {
      characterIds.add(character.id);
    }
  }
  const items = new Map<string, DocumentReference>();
  for (const shard of viewShards.docs) {
    const item = shard.ref.parent.parent;
    if (item && item.parent.id === "gallery") items.set(item.path, item);
  }
  let characters = 0;
  for (const id of characterIds) {
    if (await rollupCharacter(id, nowMs)) characters++;
  }
  let galleryItems = 0;
  for (const item of items.values()) {
    if (await refreshViewCount(item, nowMs)) galleryItems++;
  }
  if (characters + galleryItems > 0) logger.info("stats rolled up", { characters, galleryItems });
  return { characters, galleryItems };
}

/** Admin callable: recomputes one character's stats now. */
export async function refreshCharacterStats(
  request: CallableRequest<unknown>,
): Promise<RefreshCharacterStatsOutput> {
  await requireCurrentAdmin(request);
  const { id } = parseInput(characterRefInput, request.data);
  const stats = await rollupCharacter(id);
  if (!stats) fail("character_not_found");
  return { id, stats };
}
