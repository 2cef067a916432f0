// Follows: a user follows a character by creating users/{uid}/following/{characterId} (the
// rules allow it for published characters) and unfollows by deleting it. This trigger counts
// each change into one of the character's stat shards, once per event (a marker in the same
// transaction), and refreshes the character's `stats` at most once a minute from the shards,
// so a popular character's document is never hot; the scheduled rollup catches up the rest.
import { FieldValue } from "firebase-admin/firestore";
import { statShardCount, statShardRef } from "../chat/stats";
import { pickShard, statsRefreshDue } from "./counters";
import { statsIn, writeStatsIn } from "./rollup";
import { applyOnce, characterDoc } from "./store";

export interface FollowEvent {
  eventId: string;
  characterId: string;
  /** The follow document before and after the write (undefined when absent). */
  before: unknown;
  after: unknown;
}

export type FollowOutcome = "counted" | "unchanged" | "duplicate" | "no-character";

/** +1 for a new follow, -1 for a removed one, 0 for anything else. */
export function followDelta(before: unknown, after: unknown): number {
  return (after === undefined ? 0 : 1) - (before === undefined ? 0 : 1);
}

export async function applyFollowEvent(
  event: FollowEvent,
  nowMs = Date.now(),
): Promise<FollowOutcome> {
  const delta = followDelta(event.before, event.after);
  if (delta === 0) return "unchanged";
  return applyOnce("follow", event.eventId, nowMs, async (tx) => {
    const character = await tx.get(characterDoc(event.characterId));
    // A deleted character's followers count for nothing.
    if (!character.exists) return "no-character";
    const refresh = statsRefreshDue(character.get("statsUpdatedAt"), nowMs);
    const stats = refresh
      ? await statsIn(tx, event.characterId, nowMs, [
          {
            conversations: 0,
            messages: 0,
            ratingCount: 0,
            ratingSum: 0,
            lastActiveAtMs: null,
            followers: delta,
          },
        ])
      : null;
    tx.set(
      statShardRef(event.characterId, pickShard(statShardCount(), Math.random())),
      // followersChangedAtMs lets the rollup find shards that only followers changed.
      { followers: FieldValue.increment(delta), followersChangedAtMs: nowMs },
      { merge: true },
    );
    if (stats) writeStatsIn(tx, event.characterId, stats);
    return "counted";
  });
}
