// Ratings: a client writes characters/{id}/ratings/{uid} (one per user, rules check the shape);
// this trigger applies each write's delta to a stat shard and refreshes the character's stats,
// in one transaction with a marker keyed by the event id, so a redelivered event counts once.
import { FieldValue } from "firebase-admin/firestore";
import { statShardCount, statShardRef } from "../chat/stats";
import { deltaAsShard, isNoChange, pickShard, ratingDelta } from "./counters";
import { statsIn, writeStatsIn } from "./rollup";
import { applyOnce } from "./store";

export interface RatingEvent {
  eventId: string;
  characterId: string;
  /** The rating document before and after the write (undefined when absent). */
  before: unknown;
  after: unknown;
}

export type RatingOutcome = "applied" | "duplicate" | "unchanged" | "no-character";

export async function applyRatingEvent(
  event: RatingEvent,
  nowMs = Date.now(),
): Promise<RatingOutcome> {
  const delta = ratingDelta(event.before, event.after);
  return applyOnce("rating", event.eventId, nowMs, async (tx) => {
    if (isNoChange(delta)) return "unchanged";
    // The shards already hold every earlier delta; this one is added as it is written.
    const stats = await statsIn(tx, event.characterId, nowMs, [deltaAsShard(delta)]);
    // Deleting a character deletes its ratings; their events find it gone and change nothing.
    if (!stats) return "no-character";
    tx.set(
      statShardRef(event.characterId, pickShard(statShardCount(), Math.random())),
      {
        ratingCount: FieldValue.increment(delta.ratingCount),
        ratingSum: FieldValue.increment(delta.ratingSum),
      },
      { merge: true },
    );
    writeStatsIn(tx, event.characterId, stats);
    return "applied";
  });
}
