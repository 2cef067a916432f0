// Token and cost totals per day, per user and per character, for the admin usage view.
// Daily totals for everyone and per character are sharded so a busy day is no hot document.
import { FieldValue, type Transaction } from "firebase-admin/firestore";
import { db } from "../shared/firebase";
import type { TokenUsage } from "../contract/chat";

export const USAGE_SHARDS = 10;

export function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function recordAiUsage(
  tx: Transaction,
  entry: { uid: string; characterId: string; usage: TokenUsage; costUsd: number; nowMs: number },
): void {
  const day = dayKey(entry.nowMs);
  const shard = Math.floor(Math.random() * USAGE_SHARDS);
  const increments = {
    replies: FieldValue.increment(1),
    promptTokens: FieldValue.increment(entry.usage.promptTokens),
    completionTokens: FieldValue.increment(entry.usage.completionTokens),
    cachedTokens: FieldValue.increment(entry.usage.cachedTokens),
    costUsd: FieldValue.increment(entry.costUsd),
  };
  const collection = db().collection("aiUsageDaily");
  const scopes: [string, string, number][] = [
    ["all", "all", shard],
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
