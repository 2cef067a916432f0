// Decisions behind the character and gallery counters: what a rating event changes, how a
// counter shard reads, when an item's view count is worth refreshing. Pure: zod only.
import { z } from "zod";
import { ratingSchema } from "../contract/characters";
import { timestampSchema } from "../contract/timestamp";
import type { ShardCounts } from "./stats";

// ---- ratings --------------------------------------------------------------------------

/** The stars of a rating document, or null when there is none (or it is malformed). */
export function starsOf(data: unknown): number | null {
  const parsed = ratingSchema.pick({ stars: true }).safeParse(data);
  return parsed.success ? parsed.data.stars : null;
}

export interface RatingDelta {
  ratingCount: number;
  ratingSum: number;
}

/**
 * What one rating write changes: a new rating adds its stars and one rating; a change adds
 * the difference; a removal takes its stars and one rating away. A document that is not a
 * valid rating counts as no rating, so a malformed write can never move the average.
 */
export function ratingDelta(before: unknown, after: unknown): RatingDelta {
  const was = starsOf(before);
  const now = starsOf(after);
  return {
    ratingCount: (now === null ? 0 : 1) - (was === null ? 0 : 1),
    ratingSum: (now ?? 0) - (was ?? 0),
  };
}

/**
 * The delta a rating write makes to a character's stats. A draft (unpublished character)
 * collects no ratings: a rating written under it (the rules refuse that; only a write that
 * bypasses them could) counts for nothing. A removal under a draft still takes its stars
 * out, because it can only be a rating counted while the character was published (its
 * author's account being deleted, say).
 */
export function countedRatingDelta(
  published: boolean,
  before: unknown,
  after: unknown,
): RatingDelta {
  if (published || starsOf(after) === null) return ratingDelta(before, after);
  return { ratingCount: 0, ratingSum: 0 };
}

export function isNoChange(delta: RatingDelta): boolean {
  return delta.ratingCount === 0 && delta.ratingSum === 0;
}

/** A delta as a shard, to be added to the shards read before the write lands. */
export function deltaAsShard(delta: RatingDelta): ShardCounts {
  return {
    conversations: 0,
    messages: 0,
    ratingCount: delta.ratingCount,
    ratingSum: delta.ratingSum,
    lastActiveAtMs: null,
    followers: 0,
  };
}

// ---- shards ---------------------------------------------------------------------------

const counter = z.number().catch(0);

const statShardSchema = z.object({
  conversations: counter,
  messages: counter,
  ratingCount: counter,
  ratingSum: counter,
  lastActiveAtMs: z.number().positive().nullable().catch(null),
  followers: counter,
});

/** A stat shard as stored (missing or malformed counters read as 0). */
export function shardCountsFrom(data: unknown): ShardCounts {
  const parsed = statShardSchema.safeParse(data ?? {});
  return parsed.success
    ? parsed.data
    : {
        conversations: 0,
        messages: 0,
        ratingCount: 0,
        ratingSum: 0,
        lastActiveAtMs: null,
        followers: 0,
      };
}

const viewShardSchema = z.object({ count: counter });

/** The sum of gallery view shards (never below zero). */
export function sumViewShards(shards: readonly unknown[]): number {
  const total = shards.reduce<number>((sum, data) => {
    const parsed = viewShardSchema.safeParse(data ?? {});
    return sum + (parsed.success ? parsed.data.count : 0);
  }, 0);
  return Math.max(0, total);
}

// ---- view counts ----------------------------------------------------------------------

/** Sharded view counters per gallery item: each sustains about one write a second. */
export const VIEW_SHARDS = 10;

/**
 * An item's `viewCount` is refreshed from its shards by the view trigger at most once per
 * this interval; the scheduled rollup catches up the views that arrive in between.
 */
export const VIEW_COUNT_REFRESH_MS = 60_000;

export function viewCountRefreshDue(lastRefreshedAtMs: unknown, nowMs: number): boolean {
  if (typeof lastRefreshedAtMs !== "number" || !Number.isFinite(lastRefreshedAtMs)) return true;
  return nowMs - lastRefreshedAtMs >= VIEW_COUNT_REFRESH_MS || nowMs < lastRefreshedAtMs;
}

/**
 * A character's `stats` are refreshed from its shards by the follow trigger at most once per
 * this interval (`statsUpdatedAt`); the scheduled rollup catches up the follows in between.
 */
export const STATS_REFRESH_MS = 60_000;

export function statsRefreshDue(statsUpdatedAt: unknown, nowMs: number): boolean {
  const parsed = timestampSchema.safeParse(statsUpdatedAt);
  if (!parsed.success) return true;
  const updatedMs = parsed.data.toMillis();
  return nowMs - updatedMs >= STATS_REFRESH_MS || nowMs < updatedMs;
}

/** A shard index in [0, count), from a random number in [0, 1). */
export function pickShard(count: number, random: number): number {
  return Math.min(count - 1, Math.max(0, Math.floor(random * count)));
}
