// Ratings: a client writes characters/{id}/ratings/{uid} (one per user, rules check the shape);
// this trigger applies each write's delta to a stat shard and refreshes the character's stats,
// in one transaction with a marker keyed by the event id, so a redelivered event counts once.
import { FieldValue } from "firebase-admin/firestore";
import { statShardCount, statShardRef } from "../chat/stats";
import { countedRatingDelta, deltaAsShard, isNoChange, pickShard, ratingDelta } from "./counters";
import { characterStatsIn, writeStatsIn } from "./rollup";
import { applyOnce } from "./store";

export interface RatingEvent {
  eventId: string;
  characterId: string;
  /** The rating document before and after the write (undefined when absent). */
  before: unknown;
  after: unknown;
}

export type RatingOutcome = "applied" | "duplicate" | "unchanged" | "no-character" | "draft";

export async function applyRatingEvent(
  event: RatingEvent,
  nowMs = Date.now(),
): Promise<RatingOutcome> {
  return applyOnce("rating", event.eventId, nowMs, async (tx) => {
    if (isNoChange(ratingDelta(event.before, event.after))) return "unchanged";
    const read = await characterStatsIn(tx, event.characterId, nowMs);
    // Deleting a character deletes its ratings; their events find it gone and change nothing.
    if (!read) return "no-character";
    const delta = countedRatingDelta(read.published, event.before, event.after);
    if (isNoChange(delta)) return "draft";
    // The shards already hold every earlier delta; this one is added as it is written.
    const stats = read.statsWith([deltaAsShard(delta)]);
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
