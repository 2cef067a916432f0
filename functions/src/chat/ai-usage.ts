// Token and cost totals per day, per user and per character, for the admin usage view.
//
// Per character, a day's totals are spread over USAGE_SHARDS documents (one picked at random
// per reply), so a popular character's day is no hot document; a user's day is one document
// (one person's replies come far slower than a write a second). There is no global document:
// the day's total is the sum of its character documents (chat/usage-report.ts), since every
// reply has exactly one character, and a document every reply wrote would cap the whole
// deployment at about one reply a second per shard (docs/scaling.md).
import { FieldValue, type Transaction } from "firebase-admin/firestore";
import { CAPACITY_DEFAULTS, shardCount, USAGE_SHARDS } from "../config";
import { aiUsageDailyCollection } from "./store";
import type { TokenUsage } from "../contract/chat";

/** How many shards a character's daily usage spreads over now (the USAGE_SHARDS setting). */
export function usageShardCount(): number {
  return shardCount(USAGE_SHARDS, CAPACITY_DEFAULTS.usageShards);
}

export function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function recordAiUsage(
  tx: Transaction,
  entry: { uid: string; characterId: string; usage: TokenUsage; costUsd: number; nowMs: number },
): void {
  const day = dayKey(entry.nowMs);
  const shard = Math.floor(Math.random() * usageShardCount());
  const increments = {
    replies: FieldValue.increment(1),
    promptTokens: FieldValue.increment(entry.usage.promptTokens),
    completionTokens: FieldValue.increment(entry.usage.completionTokens),
    cachedTokens: FieldValue.increment(entry.usage.cachedTokens),
    costUsd: FieldValue.increment(entry.costUsd),
  };
  const collection = aiUsageDailyCollection();
  const scopes: [string, string, number][] = [
    ["character", entry.characterId, shard],
    ["user", entry.uid, 0],
  ];
  for (const [scope, id, shardIndex] of scopes) {
    tx.set(
      collection.doc(`${day}_${scope}_${id}_${shardIndex}`),
      { day, scope, id, ...increments },
      { merge: true },
    );
  }
}
